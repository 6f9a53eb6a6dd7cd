/**
 * One client WebSocket, wrapped so that everything it does becomes log entries and state
 * snapshots in the protocol's terms, and every user action is validated before any byte is sent.
 *
 * Deliberately free of `vscode` imports: it is unit-tested in plain Node against real servers.
 * Socket event handlers never throw (an exception there would take down the extension host);
 * failures inside them become 'error' entries instead.
 */
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { checkCloseRequest, MAX_CONTROL_PAYLOAD_BYTES } from '../shared/closeCodes';
import { encodeBody, payloadFromBytes, payloadFromText, utf8Encode } from '../shared/codecs';
import { l10n } from '../shared/l10n';
import type {
  CloseInfo,
  ConnectionParams,
  ConnectionState,
  Counters,
  Field,
  HandshakeRefusal,
  PayloadFormat,
  ReadyState,
} from '../shared/protocol';
import { checkConnectionParams } from '../shared/validation';
import {
  ABORTED_HANDSHAKE_MESSAGE,
  describeClose,
  describeError,
  describeMissingPong,
  describeRefusal,
  protocolErrorCloseCode,
  type NodeError,
} from './connectionErrors';
import { HandshakeInspector } from './handshakeInspector';
import { headerObject } from './headers';
import { KeepAlive } from './keepAlive';
import { directAgent } from './proxyBypass';
import { readRefusal, type RefusalReader } from './refusalReader';
import type { ActionResult, ConnectionEntry } from './sessionBase';
import { messageOf, SessionBase, type SessionOptions } from './sessionBase';

export interface ConnectionOptions extends SessionOptions {
  /** Largest message accepted from the server; a bigger one closes the connection with 1009. */
  maxPayload: number;
  /** How long to wait for the server's Close frame after ours before ending the TCP connection (ws's default: 30 s). */
  closeTimeoutMs?: number;
  /** Contents of the endpoint's CA, client certificate, key and PFX files, read by the caller. */
  tlsFiles?: { ca?: Buffer; cert?: Buffer; key?: Buffer; pfx?: Buffer };
  /**
   * The route the caller knows the handshake takes ("DIRECT"), for where no proxy agent reports
   * one: a session worker, whose thread VS Code's proxy support does not patch.
   */
  route?: string;
}

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

/** A plain WebSocket session: the one kind that sends frames (messages, ping/pong, Close). */
export class Connection extends SessionBase {
  readonly kind = 'websocket';
  private textSink: ((time: number, utf8: Uint8Array) => void) | undefined;

  private currentParams: ConnectionParams;
  private ws: WebSocket | undefined;
  private detachListeners: (() => void) | undefined;
  private refusalReader: RefusalReader | undefined;

  private counters: Counters = { messagesSent: 0, messagesReceived: 0, bytesSent: 0, bytesReceived: 0 };
  private closeInfo: CloseInfo | undefined;
  private refusal: HandshakeRefusal | undefined;

  private wasOpen = false;
  private cancelled = false;
  /** Set when we abort the handshake ourselves, so ws's generic abort error is not logged. */
  private expectAbortError = false;
  /** The Close frame we sent, to tell who closed and to report what we asked for. */
  private sentClose: { code: number; reason: string; at: number } | undefined;
  /** Close code ws sends when it fails the connection for a protocol error by the server. */
  private failureCloseCode: number | undefined;
  private pendingPongs = 0;
  private inspector: HandshakeInspector | undefined;
  private readonly keepAlive: KeepAlive;

  constructor(
    params: ConnectionParams,
    private readonly options: ConnectionOptions,
  ) {
    super(options);
    this.currentParams = copyParams(params);
    this.keepAlive = this.createKeepAlive();
  }

  get params(): ConnectionParams {
    return copyParams(this.currentParams);
  }

  protected snapshot(): ConnectionState {
    const ws = this.ws;
    const state: ConnectionState = {
      readyState: this.readyState,
      url: this.currentParams.url,
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
    const inspector = new HandshakeInspector(this.mask, endpoint.bypassProxy === true, this.options.route);
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
      return this.refuse(fieldOfConstructorError(error), messageOf(error));
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
      return this.refuse('message', l10n.t('Could not send the message: {0}', messageOf(error)));
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
        error: l10n.t('The {0} payload is {1} bytes of UTF-8; control frames carry at most {2}', frame, bytes.byteLength, MAX_CONTROL_PAYLOAD_BYTES),
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
      return this.refuse('control', frame === 'ping' ? l10n.t('Could not send the ping: {0}', messageOf(error)) : l10n.t('Could not send the pong: {0}', messageOf(error)));
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
    const refusal = checkCloseRequest(code, reason, advancedConfirmed);
    if (refusal) return { ok: false, ...refusal };
    const ws = this.openSocket();
    if (!ws) return this.notConnected('closeCode');
    const at = Date.now();
    try {
      ws.close(code, reason);
    } catch (error) {
      return this.refuse('closeCode', l10n.t('Could not close: {0}', messageOf(error)));
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
  override dispose(): void {
    if (this.disposed) return;
    super.dispose();
    this.keepAlive.stop();
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
    return { ok: false, field, error: l10n.t('Not connected: the socket is {0}', this.readyState) };
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
    const onUnexpectedResponse = this.guarded('unexpected-response', (_req: unknown, res: IncomingMessage) => {
      this.inspector?.response(res);
      this.readRefusal(ws, res);
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
    this.keepAlive.start(this.currentParams.options?.pingIntervalSeconds ?? 0, (tick) => this.guarded('keep-alive', tick));
    this.notifyState();
  }

  private handlePong(data: Buffer): void {
    const bytes = exactBytes(data);
    const rtt = this.inspector?.pongReceived(bytes);
    if (rtt !== undefined) this.keepAlive.answered(bytes);
    const entry: Omit<ConnectionEntry, 'time'> = { kind: 'pong', direction: 'received', frame: 'binary', size: data.length, payload: payloadFromBytes(bytes) };
    if (rtt !== undefined) entry.detail = l10n.t('round trip {0} ms', rtt);
    this.log(entry);
    this.notifyState();
  }

  private createKeepAlive(): KeepAlive {
    return new KeepAlive({
      isOpen: () => this.ws?.readyState === WebSocket.OPEN && !this.disposed,
      awaitingPong: (payload) => this.inspector?.awaitingPong(payload) ?? false,
      pongMissed: (payload, sentAgoMs) => {
        this.inspector?.pongMissed(payload);
        this.log({ kind: 'error', direction: 'none', size: 0, detail: describeMissingPong(sentAgoMs) });
      },
      ping: (payload) => {
        this.ws?.ping(payload);
        this.inspector?.pingSent(payload);
        this.log({ kind: 'ping', direction: 'sent', frame: 'binary', size: payload.byteLength, payload: payloadFromBytes(payload), detail: 'keep-alive' });
        this.notifyState();
      },
    });
  }

  /**
   * Where received text messages go instead of `onEntry`, as the UTF-8 bytes the socket
   * delivered (already validated), when set: a listener that stores bytes (the panel's log)
   * then costs no string and no entry object per message of a flood.
   */
  setTextSink(sink: ((time: number, utf8: Uint8Array) => void) | undefined): void {
    this.textSink = sink;
  }

  /**
   * Stops reading the socket (TCP then holds the server back) until called with true: for a
   * consumer on another thread (a session worker's host) that has fallen behind, so that what
   * waits for it stays bounded instead of queueing without end.
   */
  setReading(reading: boolean): void {
    if (reading) this.ws?.resume();
    else this.ws?.pause();
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
    this.emitEntry({
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
      this.log({ kind: 'info', direction: 'none', size: 0, detail: l10n.t('Ping not answered: automatic pongs are off for this endpoint') });
      return;
    }
    if (this.pendingPongs >= MAX_PENDING_PONGS) {
      this.fail(l10n.t('The server sent more than {0} pings that could not be answered yet; the connection was dropped', MAX_PENDING_PONGS));
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
    this.failureCloseCode = protocolErrorCloseCode(error) ?? this.failureCloseCode;
    this.fail(
      describeError(error, {
        url: this.currentParams.url,
        handshakeTimeoutMs: this.options.handshakeTimeoutMs,
        maxPayload: this.options.maxPayload,
        wasOpen: this.wasOpen,
        presentedCertificate: this.inspector?.presentedCertificate,
      }),
    );
  }

  private handleClose(code: number, reasonBytes: Buffer): void {
    // The socket ended while a refusal body was still arriving: keep what came.
    this.refusalReader?.finish(true);
    const reason = reasonBytes.toString('utf8');
    // ws reports 1006 exactly when no Close frame arrived, which is what wasClean means.
    const wasClean = code !== 1006;
    this.closeInfo = { code, reason, wasClean };
    this.keepAlive.stop();
    this.inspector?.closed(this.closedBy(wasClean), code, reason, wasClean);
    const detail = describeClose(code, reason, wasClean, {
      wasOpen: this.wasOpen,
      cancelled: this.cancelled,
      failureCloseCode: this.failureCloseCode,
      sentClose: this.sentClose,
      closeTimeoutMs: this.closeTimeoutMs,
      now: Date.now(),
    });
    this.log({ kind: 'close', direction: 'none', size: 0, detail });
    this.notifyState();
  }

  /** Who ended the connection: the side whose Close frame came first, or the network. */
  private closedBy(wasClean: boolean): 'client' | 'server' | 'network' {
    if (this.cancelled || this.failureCloseCode !== undefined || this.sentClose) return 'client';
    if (this.refusal) return 'server';
    return wasClean ? 'server' : 'network';
  }

  /** Reads the refusal response, then reports it and aborts the handshake. */
  private readRefusal(ws: WebSocket, res: IncomingMessage): void {
    const reader = readRefusal(res, {
      refused: (refusal, location) => {
        if (this.refusalReader === reader) this.refusalReader = undefined;
        this.refusal = refusal;
        this.fail(describeRefusal(refusal.statusCode, refusal.statusMessage, location));
        // ws still owns the request: terminate() aborts it and ends in CLOSED with 1006.
        this.expectAbortError = true;
        ws.terminate();
      },
      internalError: (error) => this.internalError('unexpected-response', error),
    });
    this.refusalReader = reader;
  }
}

function ignore(): void {
  // Intentionally empty: see the callers.
}

function copyParams(params: ConnectionParams): ConnectionParams {
  const copy: ConnectionParams = {
    url: params.url,
    protocols: [...params.protocols],
    headers: params.headers.map((row) => ({ name: row.name, value: row.value })),
  };
  if (params.options) copy.options = { ...params.options };
  if (params.decode) copy.decode = { ...params.decode };
  return copy;
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

function fieldOfConstructorError(error: unknown): Field {
  const code = (error as NodeError | undefined)?.code ?? '';
  if (code === 'ERR_INVALID_HTTP_TOKEN' || code === 'ERR_INVALID_CHAR' || code.startsWith('ERR_HTTP_INVALID_HEADER')) {
    return 'headers';
  }
  if (/subprotocol/i.test(messageOf(error))) return 'protocols';
  return 'url';
}

