/**
 * One client WebSocket, wrapped so that everything it does becomes log entries and state
 * snapshots in the protocol's terms, and every user action is validated before any byte is sent.
 *
 * Deliberately free of `vscode` imports: it is unit-tested in plain Node against real servers.
 * Socket event handlers never throw (an exception there would take down the extension host);
 * failures inside them become 'error' entries instead.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import {
  checkCloseCode,
  checkCloseReason,
  closeCodeName,
  MAX_CONTROL_PAYLOAD_BYTES,
} from '../shared/closeCodes';
import { encodeBody, payloadFromBytes, payloadFromText, utf8Encode } from '../shared/codecs';
import type {
  CloseInfo,
  ConnectionParams,
  ConnectionState,
  Counters,
  Field,
  HandshakeRefusal,
  HeaderRow,
  LogEntry,
  PayloadFormat,
  ReadyState,
} from '../shared/protocol';
import { checkConnectionParams } from '../shared/validation';
import { Emitter, type Disposable } from './emitter';
import { HandshakeInspector } from './handshakeInspector';
import { directAgent } from './proxyBypass';
import { describeCertificateRefusal, isCertificateVerifyCode } from './tlsRefusal';

export interface ConnectionOptions {
  /** How long the server may take to answer the HTTP Upgrade. */
  handshakeTimeoutMs: number;
  /** Largest message accepted from the server; a bigger one closes the connection with 1009. */
  maxPayload: number;
  /** How long to wait for the server's Close frame after ours before ending the TCP connection (ws's default: 30 s). */
  closeTimeoutMs?: number;
  /** Contents of the endpoint's CA, client certificate, key and PFX files, read by the caller. */
  tlsFiles?: { ca?: Buffer; cert?: Buffer; key?: Buffer; pfx?: Buffer };
  /** Values hidden wherever the connection reports what was sent (secret variables). */
  secrets?: readonly string[];
}

/** What secret values are replaced with in the inspector and the log's words. */
export const MASK = '••••••';

export type ActionResult =
  | { ok: true }
  | { ok: false; field: Field; error: string; needsConfirmation?: boolean };

/** A log row before the log assigns its id. */
export type ConnectionEntry = Omit<LogEntry, 'id'>;

/** A refused handshake keeps at most this much of the response body. */
const REFUSAL_BODY_LIMIT = 4096;
/** A refusal body that never ends must not keep the connection CONNECTING. */
const REFUSAL_BODY_WAIT_MS = 2000;
/** Like ws's own auto-pong guard: a server flooding pings faster than we can answer is cut off. */
const MAX_PENDING_PONGS = 60;
/**
 * Most fragments one message may arrive in; more closes the connection with 1008. maxPayload
 * bounds the bytes, this bounds the per-fragment bookkeeping of endless tiny fragments.
 */
const MAX_MESSAGE_FRAGMENTS = 16 * 1024;
/** ws's close timeout when the options do not set one. */
const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;

const READY_STATES: readonly ReadyState[] = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'];

/** What ws reports when a handshake is aborted by terminate(); expected when we cancel. */
const ABORTED_HANDSHAKE_MESSAGE = 'WebSocket was closed before the connection was established';
const HANDSHAKE_TIMEOUT_MESSAGE = 'Opening handshake has timed out';

/** ws's frame-level error codes: the words for the log and the close code ws fails with. */
const PROTOCOL_ERRORS: Readonly<
  Record<string, { closeCode: number; words: (maxPayload: number, wsMessage: string) => string }>
> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: {
    closeCode: 1009,
    words: (limit) => `The server sent a message bigger than the limit of ${limit} bytes`,
  },
  WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH: {
    closeCode: 1009,
    words: () => 'The server announced a frame longer than 2^53 - 1 bytes',
  },
  WS_ERR_INVALID_UTF8: {
    closeCode: 1007,
    words: () => 'The server sent text (a text message or a close reason) that is not valid UTF-8',
  },
  WS_ERR_INVALID_CLOSE_CODE: {
    closeCode: 1002,
    words: (_limit, wsMessage) =>
      `The server sent a Close frame with a close code that must not be sent (${frameDetail(wsMessage)})`,
  },
  WS_ERR_UNEXPECTED_MASK: {
    closeCode: 1002,
    words: () => 'The server sent a masked frame; servers must not mask their frames',
  },
  WS_ERR_EXPECTED_MASK: {
    closeCode: 1002,
    words: () => 'The peer sent an unmasked frame where masking is required',
  },
  WS_ERR_INVALID_OPCODE: {
    closeCode: 1002,
    words: (_limit, wsMessage) => `The server sent a frame with an unknown or unexpected opcode (${frameDetail(wsMessage)})`,
  },
  WS_ERR_EXPECTED_FIN: {
    closeCode: 1002,
    words: () => 'The server sent a fragmented control frame',
  },
  WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH: {
    closeCode: 1002,
    words: (_limit, wsMessage) =>
      / 1$/.test(wsMessage)
        ? 'The server sent a Close frame with a 1-byte payload; a close code takes 2 bytes'
        : `The server sent a control frame with more than ${MAX_CONTROL_PAYLOAD_BYTES} bytes of payload (${frameDetail(wsMessage)})`,
  },
  WS_ERR_UNEXPECTED_RSV_1: {
    closeCode: 1002,
    words: () => 'The server set the compression bit (RSV1) where it is not allowed or was not negotiated',
  },
  WS_ERR_UNEXPECTED_RSV_2_3: {
    closeCode: 1002,
    words: () => 'The server set the reserved bits RSV2/RSV3, which no negotiated extension uses',
  },
  WS_ERR_TOO_MANY_BUFFERED_PARTS: {
    closeCode: 1008,
    words: () => 'The server sent a message in too many fragments or chunks',
  },
};

interface NodeError extends Error {
  code?: string;
  /** Node's host-name check attaches the name and the certificate it compared. */
  host?: string;
  cert?: { subjectaltname?: string; subject?: { CN?: string | string[] } };
  address?: string;
  port?: number;
  hostname?: string;
  errors?: unknown[];
}

/** The refusal body being read; `finish` records it, `abandon` drops it silently. */
interface RefusalReader {
  finish(truncated: boolean): void;
  abandon(): void;
}

export class Connection {
  private readonly entryEmitter = new Emitter<ConnectionEntry>();
  private textSink: ((time: number, utf8: Uint8Array) => void) | undefined;
  private readonly stateEmitter = new Emitter<ConnectionState>();

  readonly onEntry: (listener: (entry: ConnectionEntry) => void) => Disposable = this.entryEmitter.event;
  readonly onStateChange: (listener: (state: ConnectionState) => void) => Disposable = this.stateEmitter.event;

  private currentParams: ConnectionParams;
  private ws: WebSocket | undefined;
  private detachListeners: (() => void) | undefined;
  private refusalReader: RefusalReader | undefined;

  private counters: Counters = { messagesSent: 0, messagesReceived: 0, bytesSent: 0, bytesReceived: 0 };
  private closeInfo: CloseInfo | undefined;
  private refusal: HandshakeRefusal | undefined;
  private failure: string | undefined;

  private wasOpen = false;
  private cancelled = false;
  /** Set when we abort the handshake ourselves, so ws's generic abort error is not logged. */
  private expectAbortError = false;
  /** The Close frame we sent, to tell who closed and to report what we asked for. */
  private sentClose: { code: number; reason: string; at: number } | undefined;
  /** Close code ws sends when it fails the connection for a protocol error by the server. */
  private failureCloseCode: number | undefined;
  private pendingPongs = 0;
  private statePending = false;
  private disposed = false;
  private inspector: HandshakeInspector | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private keepAliveCount = 0;
  private lastKeepAlive: { payload: Uint8Array; sentAt: number } | undefined;

  constructor(
    params: ConnectionParams,
    private readonly options: ConnectionOptions,
  ) {
    this.currentParams = copyParams(params);
  }

  get params(): ConnectionParams {
    return copyParams(this.currentParams);
  }

  get state(): ConnectionState {
    const ws = this.ws;
    const state: ConnectionState = {
      readyState: this.readyState,
      url: this.mask(this.currentParams.url),
      protocol: ws?.protocol ?? '',
      extensions: ws?.extensions ?? '',
      bufferedAmount: ws?.bufferedAmount ?? 0,
      counters: { ...this.counters },
    };
    if (this.closeInfo) state.close = { ...this.closeInfo };
    if (this.refusal) state.refusal = { ...this.refusal, headers: this.refusal.headers.map(([n, v]) => [n, v]) };
    if (this.failure !== undefined) state.error = this.failure;
    if (this.inspector) state.inspector = this.inspector.info;
    return state;
  }

  /** Whether the user ended this connection (Disconnect, Close, cancel): no auto-reconnect then. */
  get endedByUser(): boolean {
    return this.cancelled || this.sentClose !== undefined;
  }

  /** Validates the parameters, then starts the handshake. One socket per Connection. */
  open(): ActionResult {
    if (this.disposed) return { ok: false, field: 'general', error: 'This connection has been disposed' };
    if (this.ws) {
      return { ok: false, field: 'general', error: `This connection was already opened (it is ${this.readyState})` };
    }
    const checked = checkConnectionParams(this.currentParams);
    if (!checked.ok) return { ok: false, field: checked.field, error: checked.error };
    this.currentParams = copyParams(checked.params);

    const endpoint = this.currentParams.options ?? {};
    const inspector = new HandshakeInspector((text) => this.mask(text), endpoint.bypassProxy === true);
    let ws: WebSocket;
    try {
      const wsOptions: WebSocket.ClientOptions = {
        ...this.options.tlsFiles,
        ...(endpoint.passphrase !== undefined ? { passphrase: endpoint.passphrase } : {}),
        // Per endpoint and visible in the form; never a process-wide switch.
        rejectUnauthorized: endpoint.acceptInvalidCerts !== true,
        perMessageDeflate: endpoint.perMessageDeflate !== false,
        // Bypass proxy: an agent of our own that the bundled ws sends past VS Code's proxy support.
        ...(endpoint.bypassProxy === true ? { agent: directAgent(this.currentParams.url.startsWith('wss:')) } : {}),
        // ws leaves sending the request to us: the inspector sees the request and its socket first.
        finishRequest: (req) => {
          inspector.watch(req);
          req.end();
        },
        handshakeTimeout: this.options.handshakeTimeoutMs,
        maxPayload: this.options.maxPayload,
        // ws hands the headers to http.request, which takes repeated headers as arrays.
        headers: headerObject(this.currentParams.headers) as Record<string, string>,
        // A redirect is shown as a refusal with its Location header instead of being followed.
        followRedirects: false,
        // We answer pings ourselves so the log can truthfully show each automatic pong.
        autoPong: false,
        maxFragments: MAX_MESSAGE_FRAGMENTS,
        // ws reads closeTimeout; @types/ws does not declare it yet.
        ...{ closeTimeout: this.closeTimeoutMs },
      };
      ws = new WebSocket(this.currentParams.url, this.currentParams.protocols, wsOptions);
    } catch (error) {
      // Validation should have caught these; ws and Node throw synchronously for what slipped by.
      return { ok: false, field: fieldOfConstructorError(error), error: messageOf(error) };
    }
    ws.binaryType = 'nodebuffer';
    this.ws = ws;
    this.inspector = inspector;
    this.attach(ws);
    this.notifyState();
    return { ok: true };
  }

  /** Encodes the composer body and sends it as one text or binary message. */
  send(format: PayloadFormat, body: string): ActionResult {
    const encoded = encodeBody(format, body);
    if (!encoded.ok) return { ok: false, field: 'message', error: encoded.error };
    const ws = this.openSocket();
    if (!ws) return this.notConnected('message');
    try {
      if (encoded.frame === 'text') ws.send(encoded.text);
      else ws.send(encoded.bytes, { binary: true });
    } catch (error) {
      return { ok: false, field: 'message', error: `Could not send the message: ${messageOf(error)}` };
    }
    this.counters.messagesSent += 1;
    this.counters.bytesSent += encoded.size;
    this.log({
      kind: 'message',
      direction: 'sent',
      frame: encoded.frame,
      size: encoded.size,
      payload: encoded.frame === 'text' ? payloadFromText(encoded.text) : payloadFromBytes(encoded.bytes),
    });
    this.notifyState();
    return { ok: true };
  }

  /** Sends a ping or an unsolicited pong whose payload is the UTF-8 of `payloadText`. */
  control(frame: 'ping' | 'pong', payloadText: string): ActionResult {
    const bytes = utf8Encode(payloadText);
    if (bytes.byteLength > MAX_CONTROL_PAYLOAD_BYTES) {
      return {
        ok: false,
        field: 'control',
        error: `The ${frame} payload is ${bytes.byteLength} bytes of UTF-8; control frames carry at most ${MAX_CONTROL_PAYLOAD_BYTES}`,
      };
    }
    const ws = this.openSocket();
    if (!ws) return this.notConnected('control');
    try {
      if (frame === 'ping') {
        ws.ping(bytes);
        this.inspector?.pingSent(bytes);
      } else ws.pong(bytes);
    } catch (error) {
      return { ok: false, field: 'control', error: `Could not send the ${frame}: ${messageOf(error)}` };
    }
    this.log({ kind: frame, direction: 'sent', frame: 'binary', size: bytes.byteLength, payload: payloadFromBytes(bytes) });
    this.notifyState();
    return { ok: true };
  }

  /**
   * Starts the closing handshake with a user-chosen code and reason. Everything is checked first:
   * ws would throw on some invalid codes, and the user should get a sentence either way.
   */
  close(code: number, reason: string, advancedConfirmed: boolean): ActionResult {
    const verdict = checkCloseCode(code);
    if (!verdict.ok) return { ok: false, field: 'closeCode', error: verdict.reason };
    const reasonError = checkCloseReason(reason);
    if (reasonError !== undefined) return { ok: false, field: 'closeReason', error: reasonError };
    if (verdict.advanced && !advancedConfirmed) {
      return {
        ok: false,
        field: 'closeCode',
        needsConfirmation: true,
        error: `${code} ${closeCodeName(code)} normally reports a condition the endpoint detected itself; confirm to send it anyway`,
      };
    }
    const ws = this.openSocket();
    if (!ws) return this.notConnected('closeCode');
    const at = Date.now();
    try {
      ws.close(code, reason);
    } catch (error) {
      return { ok: false, field: 'closeCode', error: `Could not close: ${messageOf(error)}` };
    }
    this.sentClose = { code, reason, at };
    this.notifyState();
    return { ok: true };
  }

  /** The toolbar's Disconnect: cancels a pending handshake, or closes an open socket normally. */
  disconnect(): void {
    const ws = this.ws;
    if (!ws || this.disposed) return;
    if (ws.readyState === WebSocket.CONNECTING) {
      if (this.refusalReader) {
        // The refusal is already known; keep what arrived of its body.
        this.refusalReader.finish(true);
        return;
      }
      this.cancelled = true;
      this.expectAbortError = true;
      ws.terminate();
      this.notifyState();
    } else if (ws.readyState === WebSocket.OPEN) {
      this.sentClose = { code: 1000, reason: '', at: Date.now() };
      ws.close(1000);
      this.notifyState();
    }
  }

  /** Ends the socket (Going Away when open) and releases every listener. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopKeepAlive();
    this.entryEmitter.dispose();
    this.stateEmitter.dispose();
    this.refusalReader?.abandon();
    this.refusalReader = undefined;
    const ws = this.ws;
    if (ws) {
      this.detachListeners?.();
      this.detachListeners = undefined;
      // terminate() during the handshake emits 'error' on the next tick; without a listener
      // EventEmitter would throw it as an uncaught exception.
      ws.on('error', ignore);
      // An open socket says Going Away, as a browser does for a closed tab; ws ends the TCP
      // connection when the server answers, or after its own close timeout.
      if (ws.readyState === WebSocket.OPEN) ws.close(1001);
      else ws.terminate();
    }
  }

  // -------------------------------------------------------------------------------------------

  private get closeTimeoutMs(): number {
    return this.options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
  }

  private get readyState(): ReadyState {
    return this.ws ? (READY_STATES[this.ws.readyState] ?? 'CLOSED') : 'CLOSED';
  }

  private openSocket(): WebSocket | undefined {
    return this.ws && this.ws.readyState === WebSocket.OPEN && !this.disposed ? this.ws : undefined;
  }

  private notConnected(field: Field): ActionResult {
    return { ok: false, field, error: `Not connected: the socket is ${this.readyState}` };
  }

  private attach(ws: WebSocket): void {
    const onOpen = this.guarded('open', () => this.handleOpen(ws));
    const onMessage = this.guarded('message', (data: WebSocket.RawData, isBinary: boolean) =>
      this.handleMessage(data, isBinary),
    );
    const onPing = this.guarded('ping', (data: Buffer) => this.handlePing(ws, data));
    const onPong = this.guarded('pong', (data: Buffer) => this.handlePong(data));
    const onUpgrade = this.guarded('upgrade', (res: IncomingMessage) => this.inspector?.response(res));
    const onError = this.guarded('error', (error: Error) => this.handleError(error));
    const onClose = this.guarded('close', (code: number, reason: Buffer) => this.handleClose(code, reason));
    const onUnexpectedResponse = this.guarded('unexpected-response', (req: ClientRequest, res: IncomingMessage) => {
      this.inspector?.response(res);
      this.readRefusal(ws, req, res);
    });
    ws.on('open', onOpen);
    ws.on('message', onMessage);
    ws.on('ping', onPing);
    ws.on('pong', onPong);
    ws.on('upgrade', onUpgrade);
    ws.on('error', onError);
    ws.on('close', onClose);
    ws.on('unexpected-response', onUnexpectedResponse);
    this.detachListeners = () => {
      ws.off('open', onOpen);
      ws.off('message', onMessage);
      ws.off('ping', onPing);
      ws.off('pong', onPong);
      ws.off('upgrade', onUpgrade);
      ws.off('error', onError);
      ws.off('close', onClose);
      ws.off('unexpected-response', onUnexpectedResponse);
    };
  }

  private handleOpen(ws: WebSocket): void {
    this.wasOpen = true;
    const negotiated: string[] = [];
    if (ws.protocol) negotiated.push(`protocol ${JSON.stringify(ws.protocol)}`);
    if (ws.extensions) negotiated.push(`extensions ${JSON.stringify(ws.extensions)}`);
    const suffix = negotiated.length > 0 ? ` (${negotiated.join(', ')})` : '';
    this.inspector?.opened();
    this.log({ kind: 'open', direction: 'none', size: 0, detail: `Connected to ${this.mask(this.currentParams.url)}${suffix}` });
    this.startKeepAlive(ws);
    this.notifyState();
  }

  private handlePong(data: Buffer): void {
    const bytes = exactBytes(data);
    const rtt = this.inspector?.pongReceived(bytes);
    if (this.lastKeepAlive && rtt !== undefined && Buffer.from(bytes).equals(Buffer.from(this.lastKeepAlive.payload))) {
      this.lastKeepAlive = undefined;
    }
    const entry: Omit<ConnectionEntry, 'time'> = { kind: 'pong', direction: 'received', frame: 'binary', size: data.length, payload: payloadFromBytes(bytes) };
    if (rtt !== undefined) entry.detail = `round trip ${rtt} ms`;
    this.log(entry);
    this.notifyState();
  }

  /** Keep-alive: a ping every N seconds; a pong still missing when the next is due is reported. */
  private startKeepAlive(ws: WebSocket): void {
    const seconds = this.currentParams.options?.pingIntervalSeconds ?? 0;
    if (!(seconds > 0)) return;
    const intervalMs = Math.max(0.1, seconds) * 1000;
    this.keepAliveTimer = setInterval(
      this.guarded('keep-alive', () => this.keepAliveTick(ws)),
      intervalMs,
    );
  }

  private keepAliveTick(ws: WebSocket): void {
    if (ws.readyState !== WebSocket.OPEN || this.disposed) {
      this.stopKeepAlive();
      return;
    }
    const previous = this.lastKeepAlive;
    if (previous && this.inspector?.awaitingPong(previous.payload)) {
      this.inspector.pongMissed(previous.payload);
      const ago = formatSeconds(Date.now() - previous.sentAt);
      this.log({ kind: 'error', direction: 'none', size: 0, detail: `No pong came back for the keep-alive ping sent ${ago} ago` });
    }
    this.keepAliveCount += 1;
    const payload = utf8Encode(`keep-alive ${this.keepAliveCount}`);
    ws.ping(payload);
    this.inspector?.pingSent(payload);
    this.lastKeepAlive = { payload, sentAt: Date.now() };
    this.log({ kind: 'ping', direction: 'sent', frame: 'binary', size: payload.byteLength, payload: payloadFromBytes(payload), detail: 'keep-alive' });
    this.notifyState();
  }

  private stopKeepAlive(): void {
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = undefined;
  }

  /** Replaces every secret value in `text` with the mask. */
  private mask(text: string): string {
    let out = text;
    for (const secret of this.options.secrets ?? []) {
      if (secret !== '') out = out.split(secret).join(MASK);
    }
    return out;
  }

  /** See Session.setTextSink. */
  setTextSink(sink: ((time: number, utf8: Uint8Array) => void) | undefined): void {
    this.textSink = sink;
  }

  private handleMessage(data: WebSocket.RawData, isBinary: boolean): void {
    const buffer = toBuffer(data);
    this.counters.messagesReceived += 1;
    this.counters.bytesReceived += buffer.length;
    if (!isBinary && this.textSink) {
      // ws has already validated the UTF-8 of text messages.
      this.textSink(Date.now(), buffer);
      this.notifyStateSoon();
      return;
    }
    // Built whole here (not through log()): one object less per message in a flood.
    this.emit({
      time: Date.now(),
      kind: 'message',
      direction: 'received',
      frame: isBinary ? 'binary' : 'text',
      size: buffer.length,
      // ws has already validated the UTF-8 of text messages.
      payload: isBinary ? payloadFromBytes(exactBytes(buffer)) : payloadFromText(buffer.toString('utf8')),
    });
    this.notifyStateSoon();
  }

  /** Logs the ping and answers it with the same payload, as RFC 6455 §5.5.3 requires. */
  private handlePing(ws: WebSocket, data: Buffer): void {
    const bytes = exactBytes(data);
    this.log({ kind: 'ping', direction: 'received', frame: 'binary', size: bytes.byteLength, payload: payloadFromBytes(bytes) });
    if (ws.readyState !== WebSocket.OPEN) return;
    if (this.currentParams.options?.autoPong === false) {
      this.log({ kind: 'info', direction: 'none', size: 0, detail: 'Ping not answered: automatic pongs are off for this endpoint' });
      return;
    }
    if (this.pendingPongs >= MAX_PENDING_PONGS) {
      this.fail(`The server sent more than ${MAX_PENDING_PONGS} pings that could not be answered yet; the connection was dropped`);
      ws.terminate();
      return;
    }
    this.pendingPongs += 1;
    ws.pong(bytes, undefined, () => {
      this.pendingPongs -= 1;
    });
    this.log({
      kind: 'pong',
      direction: 'sent',
      frame: 'binary',
      size: bytes.byteLength,
      payload: payloadFromBytes(bytes),
      detail: 'automatic reply',
    });
  }

  private handleError(error: Error): void {
    if (this.expectAbortError && error.message === ABORTED_HANDSHAKE_MESSAGE) return;
    const code = (error as NodeError).code;
    const protocolError = code !== undefined ? PROTOCOL_ERRORS[code] : undefined;
    if (protocolError) this.failureCloseCode = protocolError.closeCode;
    this.fail(this.describeError(error));
  }

  private handleClose(code: number, reasonBytes: Buffer): void {
    // The socket ended while a refusal body was still arriving: keep what came.
    this.refusalReader?.finish(true);
    const reason = reasonBytes.toString('utf8');
    // ws reports 1006 exactly when no Close frame arrived, which is what wasClean means.
    const wasClean = code !== 1006;
    this.closeInfo = { code, reason, wasClean };
    this.stopKeepAlive();
    this.inspector?.closed(this.closedBy(wasClean), code, reason, wasClean);
    this.log({ kind: 'close', direction: 'none', size: 0, detail: this.describeClose(code, reason, wasClean) });
    this.notifyState();
  }

  /** Who ended the connection: the side whose Close frame came first, or the network. */
  private closedBy(wasClean: boolean): 'client' | 'server' | 'network' {
    if (this.cancelled || this.failureCloseCode !== undefined || this.sentClose) return 'client';
    if (this.refusal) return 'server';
    return wasClean ? 'server' : 'network';
  }

  private describeClose(code: number, reason: string, wasClean: boolean): string {
    const abnormal = `1006 ${closeCodeName(1006)}`;
    if (!this.wasOpen) {
      if (this.cancelled) return `Connection attempt cancelled by the client (${abnormal}, not clean)`;
      return `The connection was not established (${abnormal}, not clean)`;
    }
    if (!wasClean) {
      if (this.failureCloseCode !== undefined) {
        const sent = `${this.failureCloseCode} ${closeCodeName(this.failureCloseCode)}`;
        return `Closed by client with ${sent} after a protocol error, without waiting for the server's Close frame (${abnormal}, not clean)`;
      }
      // ws's timer and the wall clock may disagree by a millisecond or so.
      if (this.sentClose && Date.now() - this.sentClose.at >= this.closeTimeoutMs - 10) {
        return `Closed by client; the server did not answer our Close frame within ${formatSeconds(this.closeTimeoutMs)}, so the connection was terminated (${abnormal}, not clean)`;
      }
      if (this.sentClose) return `Closed by client; no Close frame came back from the server (${abnormal}, not clean)`;
      return `Connection lost without a Close frame (${abnormal}, not clean)`;
    }
    const received = describeCode(code, reason);
    const sent = this.sentClose;
    if (!sent) return `Closed by server: ${received} (clean)`;
    if (sent.code === code && sent.reason === reason) return `Closed by client: ${received} (clean)`;
    return `Closed by client with ${describeCode(sent.code, sent.reason)}; the server answered ${received} (clean)`;
  }

  /**
   * Reads the start of a refusal response (anything but 101), then aborts the handshake.
   * Listening to 'unexpected-response' makes ws leave the request to us, so it must always end:
   * after 4 KB, at the end of the body, on error, or after a short wait.
   */
  private readRefusal(ws: WebSocket, _req: ClientRequest, res: IncomingMessage): void {
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const release = (): void => {
      done = true;
      clearTimeout(timer);
      res.off('data', onData);
      // Keep an error listener: destroying the response may still emit 'error' later.
      res.on('error', ignore);
      res.destroy();
      if (this.refusalReader === reader) this.refusalReader = undefined;
    };
    const reader: RefusalReader = {
      finish: (truncated) => {
        if (done) return;
        release();
        const body = Buffer.concat(chunks, received);
        const statusCode = res.statusCode ?? 0;
        const statusMessage = res.statusMessage ?? '';
        this.refusal = {
          statusCode,
          statusMessage,
          headers: headerPairs(res.rawHeaders),
          body: body.subarray(0, REFUSAL_BODY_LIMIT).toString('utf8'),
          bodyTruncated: truncated || received > REFUSAL_BODY_LIMIT,
        };
        const location = statusCode >= 300 && statusCode < 400 ? res.headers.location : undefined;
        const redirect = location ? `; it redirects to ${location} (redirects are not followed)` : '';
        this.fail(`The server refused the WebSocket handshake: HTTP ${statusCode} ${statusMessage}`.trimEnd() + redirect);
        // ws still owns the request: terminate() aborts it and ends in CLOSED with 1006.
        this.expectAbortError = true;
        ws.terminate();
      },
      abandon: () => {
        if (!done) release();
      },
    };
    const finishGuarded = (truncated: boolean) => (): void => {
      try {
        reader.finish(truncated);
      } catch (error) {
        this.internalError('unexpected-response', error);
      }
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      received += chunk.length;
      if (received > REFUSAL_BODY_LIMIT) finishGuarded(true)();
    };
    const timer = setTimeout(finishGuarded(true), REFUSAL_BODY_WAIT_MS);
    this.refusalReader = reader;
    res.on('data', onData);
    res.on('end', finishGuarded(false));
    // 'close' without 'end' (reset, abort): keep what arrived, marked as cut short.
    res.on('close', finishGuarded(true));
    res.on('error', finishGuarded(true));
  }

  /** Turns an error into one sentence, with the Node or ws error code when there is one. */
  private describeError(error: Error): string {
    const err = error as NodeError;
    const code = err.code;
    const host = hostOf(this.currentParams.url);
    if (err.message === HANDSHAKE_TIMEOUT_MESSAGE) {
      return `The server did not complete the WebSocket handshake within ${formatSeconds(this.options.handshakeTimeoutMs)}`;
    }
    if (code !== undefined) {
      const protocolError = PROTOCOL_ERRORS[code];
      if (protocolError) {
        const closeCode = protocolError.closeCode;
        return `${protocolError.words(this.options.maxPayload, err.message)} (${code}); closing the connection with ${closeCode} ${closeCodeName(closeCode)}`;
      }
      const endpoint = socketAddressOf(err) ?? host;
      switch (code) {
        case 'ECONNREFUSED':
          return `Connection refused by ${endpoint} (ECONNREFUSED): no server is listening there`;
        case 'ENOTFOUND':
          return `DNS lookup failed for ${err.hostname ?? host} (ENOTFOUND): no such host`;
        case 'EAI_AGAIN':
          return `DNS lookup failed for ${err.hostname ?? host} (EAI_AGAIN): the name server did not answer; check the network and try again`;
        case 'ETIMEDOUT':
          return `Connecting to ${endpoint} timed out (ETIMEDOUT)`;
        case 'ECONNRESET':
          return `The server reset the connection (ECONNRESET)${this.wasOpen ? '' : ' during the handshake'}`;
        case 'EPIPE':
          return 'The server closed the connection while data was being written (EPIPE)';
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
          return `Cannot reach ${endpoint} from this machine (${code}): no network route leads there`;
        case 'ERR_SSL_WRONG_VERSION_NUMBER':
        case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
          return `The TLS handshake with ${host} failed (${code}); is the server speaking plain ws:// rather than wss://?`;
      }
      if (isCertificateVerifyCode(code) || code.startsWith('ERR_TLS_CERT')) {
        return describeCertificateRefusal(code, err.host ?? host, err.message, this.inspector?.presentedCertificate, err.cert);
      }
      // The server's alert about this side's certificate (none sent, or not one it trusts).
      if (code.startsWith('ERR_SSL') && code.includes('ALERT') && code.includes('CERTIFICATE')) {
        return `The server refused the TLS handshake over the client certificate (${code}): choose the certificate and key, or a PFX file, that it accepts under Connection options`;
      }
      if (code.startsWith('ERR_SSL')) return `The TLS handshake with ${host} failed (${code}): ${err.message}`;
      return `${err.message} (${code})`;
    }
    // ws's own handshake checks (bad Sec-WebSocket-Accept, unrequested subprotocol, ...) carry no code.
    if (!this.wasOpen) return `The WebSocket handshake failed: ${err.message}`;
    return err.message;
  }

  /** Records a failure as the state's error and as an 'error' entry. */
  private fail(sentence: string): void {
    this.failure = sentence;
    this.log({ kind: 'error', direction: 'none', size: 0, detail: sentence });
    this.notifyState();
  }

  private log(entry: Omit<ConnectionEntry, 'time'>): void {
    this.emit({ time: Date.now(), ...entry });
  }

  private emit(entry: ConnectionEntry): void {
    if (this.disposed) return;
    this.entryEmitter.fire(entry);
  }

  private notifyState(): void {
    if (this.disposed) return;
    this.stateEmitter.fire(this.state);
  }

  /**
   * One state notification for a run of messages: ws parses every frame of a TCP chunk in one
   * go, and a state snapshot per message was a large share of the cost of a flood.
   */
  private notifyStateSoon(): void {
    if (this.statePending) return;
    this.statePending = true;
    queueMicrotask(() => {
      this.statePending = false;
      this.notifyState();
    });
  }

  /** Wraps a socket event handler so that nothing it throws escapes into ws / the host. */
  private guarded<A extends unknown[]>(event: string, handler: (...args: A) => void): (...args: A) => void {
    return (...args: A): void => {
      try {
        handler(...args);
      } catch (error) {
        this.internalError(event, error);
      }
    };
  }

  private internalError(event: string, error: unknown): void {
    try {
      this.log({
        kind: 'error',
        direction: 'none',
        size: 0,
        detail: `Internal error while handling the '${event}' event: ${messageOf(error)}`,
      });
    } catch {
      // Logging itself failed; swallowing is the only way to protect the host.
    }
  }
}

function ignore(): void {
  // Intentionally empty: see the callers.
}

/** The specific cause in a ws frame error, without its generic prefix. */
function frameDetail(wsMessage: string): string {
  return wsMessage.replace(/^Invalid WebSocket frame: /, '');
}

function copyParams(params: ConnectionParams): ConnectionParams {
  const copy: ConnectionParams = {
    url: params.url,
    protocols: [...params.protocols],
    headers: params.headers.map((row) => ({ name: row.name, value: row.value })),
  };
  if (params.options) copy.options = { ...params.options };
  return copy;
}

/** Header rows to Node's header object; repeated names become one multi-value header. */
function headerObject(rows: readonly HeaderRow[]): Record<string, string | string[]> {
  const byLowerName = new Map<string, { name: string; values: string[] }>();
  for (const row of rows) {
    const key = row.name.toLowerCase();
    const existing = byLowerName.get(key);
    if (existing) existing.values.push(row.value);
    else byLowerName.set(key, { name: row.name, values: [row.value] });
  }
  const headers: Record<string, string | string[]> = {};
  for (const { name, values } of byLowerName.values()) {
    headers[name] = values.length === 1 ? values[0]! : values;
  }
  return headers;
}

function headerPairs(rawHeaders: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return pairs;
}

/** ws hands over a Buffer, an ArrayBuffer or (for binaryType 'fragments') a list of Buffers. */
function toBuffer(data: WebSocket.RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}

/**
 * Bytes that own exactly their memory. A Node Buffer may be a view into a larger pooled
 * ArrayBuffer; anything that later looks at `.buffer` must not see the neighbours' bytes.
 */
function exactBytes(buffer: Uint8Array): Uint8Array {
  if (buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength) {
    return new Uint8Array(buffer.buffer, 0, buffer.byteLength);
  }
  return new Uint8Array(buffer);
}

function describeCode(code: number, reason: string): string {
  return `${code} ${closeCodeName(code)}${reason ? `, reason ${JSON.stringify(reason)}` : ''}`;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The address:port Node tried; with several addresses (happy eyeballs) it is in `errors`. */
function socketAddressOf(err: NodeError): string | undefined {
  const candidates = [err, ...(Array.isArray(err.errors) ? err.errors : [])];
  for (const candidate of candidates) {
    const { address, port } = candidate as NodeError;
    if (typeof address === 'string') {
      const host = address.includes(':') ? `[${address}]` : address;
      return typeof port === 'number' ? `${host}:${port}` : host;
    }
  }
  return undefined;
}

function fieldOfConstructorError(error: unknown): Field {
  const code = (error as NodeError | undefined)?.code ?? '';
  if (code === 'ERR_INVALID_HTTP_TOKEN' || code === 'ERR_INVALID_CHAR' || code.startsWith('ERR_HTTP_INVALID_HEADER')) {
    return 'headers';
  }
  if (/subprotocol/i.test(messageOf(error))) return 'protocols';
  return 'url';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
