/**
 * One connection over the browser's own `WebSocket` (the web extension host runs in a web
 * worker, where it is the only socket there is). It reports what the API exposes and nothing
 * more: no handshake headers, no ping or pong, close codes 1000 and 3000–4999 only.
 */
import { browserLimits, browserMayClose, type BinaryType } from '../shared/browserLimits';
import { checkCloseReason } from '../shared/closeCodes';
import { closeCodeMeaning } from '../shared/closeMeaning';
import { l10n } from '../shared/l10n';
import { encodeBody, payloadFromBytes, utf8ByteLength } from '../shared/codecs';
import type { ConnectionState, Counters, Field, LogEntry, PayloadFormat, ReadyState } from '../shared/protocol';

export type WebActionResult = { ok: true } | { ok: false; field: Field; error: string };

const READY_STATES: readonly ReadyState[] = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'];

export interface BrowserSessionEvents {
  entry(entry: Omit<LogEntry, 'id'>): void;
  state(): void;
}

export class BrowserSession {
  private readonly socket: WebSocket;
  private readonly counters: Counters = { messagesSent: 0, messagesReceived: 0, bytesSent: 0, bytesReceived: 0 };
  private closeInfo: ConnectionState['close'];
  private error: string | undefined;
  private opened = false;
  /** Blobs are read asynchronously; received messages are logged in arrival order through this chain. */
  private received: Promise<void> = Promise.resolve();

  constructor(
    readonly url: string,
    protocols: readonly string[],
    binaryType: BinaryType,
    private readonly events: BrowserSessionEvents,
  ) {
    // Throws SyntaxError for a URL or subprotocol the browser refuses; the caller reports it.
    this.socket = new WebSocket(url, [...protocols]);
    this.socket.binaryType = binaryType;
    this.socket.addEventListener('open', () => {
      this.opened = true;
      const detail = this.socket.protocol ? l10n.t('Connected to {0} (subprotocol {1})', url, this.socket.protocol) : l10n.t('Connected to {0}', url);
      this.log({ kind: 'open', direction: 'none', size: 0, detail });
      this.events.state();
    });
    this.socket.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data));
    this.socket.addEventListener('error', () => {
      // The API gives no reason on purpose (it would let pages probe the network).
      this.error = this.opened
        ? l10n.t('The browser reported a WebSocket error (it gives no details)')
        : l10n.t('Could not connect to {0}: the browser gives no reason (server down, refused handshake, certificate or mixed-content block); its developer tools may show more', url);
      this.log({ kind: 'error', direction: 'none', size: 0, detail: this.error });
      this.events.state();
    });
    this.socket.addEventListener('close', (event: CloseEvent) => {
      this.closeInfo = { code: event.code, reason: event.reason, wasClean: event.wasClean };
      // Logged after the messages still being read, so the close comes last as it did on the wire.
      void this.received.then(() => {
        const meaning = closeCodeMeaning(event.code);
        const detail = event.reason
          ? (event.wasClean ? l10n.t('Closed {0} "{1}"', meaning, event.reason) : l10n.t('Closed {0} "{1}" (not clean)', meaning, event.reason))
          : (event.wasClean ? l10n.t('Closed {0}', meaning) : l10n.t('Closed {0} (not clean)', meaning));
        this.log({ kind: 'close', direction: 'none', size: 0, detail });
        this.events.state();
      });
    });
  }

  get binaryType(): BinaryType {
    return this.socket.binaryType;
  }

  /** As in the API: applies to messages received from now on. */
  set binaryType(value: BinaryType) {
    this.socket.binaryType = value;
  }

  get state(): ConnectionState {
    const state: ConnectionState = {
      readyState: READY_STATES[this.socket.readyState] ?? 'CLOSED',
      url: this.url,
      protocol: this.socket.protocol,
      extensions: this.socket.extensions,
      bufferedAmount: this.socket.bufferedAmount,
      counters: { ...this.counters },
      binaryType: this.socket.binaryType,
    };
    if (this.closeInfo) state.close = this.closeInfo;
    if (this.error) state.error = this.error;
    return state;
  }

  get isActive(): boolean {
    return this.socket.readyState === WebSocket.CONNECTING || this.socket.readyState === WebSocket.OPEN;
  }

  send(format: PayloadFormat, body: string): WebActionResult {
    if (this.socket.readyState !== WebSocket.OPEN) return { ok: false, field: 'message', error: l10n.t('Not connected') };
    const encoded = encodeBody(format, body);
    if (!encoded.ok) return { ok: false, field: 'message', error: encoded.error };
    if (encoded.frame === 'text') {
      this.socket.send(encoded.text);
      this.sent({ frame: 'text', size: encoded.size, payload: { kind: 'text', text: encoded.text } });
    } else {
      this.socket.send(encoded.bytes);
      this.sent({ frame: 'binary', size: encoded.size, payload: payloadFromBytes(encoded.bytes) });
    }
    return { ok: true };
  }

  close(code: number, reason: string): WebActionResult {
    if (!browserMayClose(code)) return { ok: false, field: 'closeCode', error: browserLimits().closeCodes };
    const tooLong = checkCloseReason(reason);
    if (tooLong) return { ok: false, field: 'closeReason', error: tooLong };
    if (!this.isActive) return { ok: false, field: 'general', error: l10n.t('Not connected') };
    this.socket.close(code, reason);
    this.events.state();
    return { ok: true };
  }

  disconnect(): void {
    if (this.isActive) this.socket.close(1000, '');
  }

  private sent(entry: Pick<LogEntry, 'frame' | 'size' | 'payload'>): void {
    this.counters.messagesSent += 1;
    this.counters.bytesSent += entry.size;
    this.log({ kind: 'message', direction: 'sent', ...entry });
  }

  private receive(data: unknown): void {
    const time = Date.now();
    this.received = this.received.then(async () => {
      if (typeof data === 'string') {
        this.gotMessage(time, { frame: 'text', size: utf8ByteLength(data), payload: { kind: 'text', text: data } });
        return;
      }
      // arraybuffer hands over an ArrayBuffer, blob a Blob that is read here: what the user picked.
      const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(await (data as Blob).arrayBuffer());
      const as = data instanceof ArrayBuffer ? 'ArrayBuffer' : 'Blob';
      this.gotMessage(time, { frame: 'binary', size: bytes.length, payload: payloadFromBytes(bytes), detail: l10n.t('received as {0}', as) });
    }).catch((error: unknown) => {
      this.log({ kind: 'error', direction: 'none', size: 0, detail: l10n.t('Could not read a received message: {0}', error instanceof Error ? error.message : String(error)) });
    });
  }

  private gotMessage(time: number, entry: Pick<LogEntry, 'frame' | 'size' | 'payload' | 'detail'>): void {
    this.counters.messagesReceived += 1;
    this.counters.bytesReceived += entry.size;
    this.events.entry({ time, kind: 'message', direction: 'received', ...entry });
    this.events.state();
  }

  private log(entry: Omit<LogEntry, 'id' | 'time'>): void {
    this.events.entry({ time: Date.now(), ...entry });
  }
}
