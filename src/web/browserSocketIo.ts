/**
 * A Socket.IO v3/v4 namespace over socket.io-client's browser build (the browser's WebSocket and
 * XMLHttpRequest underneath), for the web extension host. Events, emits and acks are logged the
 * way the desktop host logs them, with the shared argument helpers.
 */
import { io, type Socket } from 'socket.io-client';
import {
  checkEventName,
  describeDisconnectReason,
  emitArgumentPayload,
  formatSeconds,
  parseAuth,
  parseEmitArguments,
  payloadsSize,
  receivedArgumentPayload,
  type EmitArgument,
} from '../shared/socketIo';
import type { ConnectionState, Counters, LogEntry, PayloadFormat, SocketIoOptions } from '../shared/protocol';
import type { BrowserSessionEvents, WebActionResult } from './browserSession';
import { l10n } from '../shared/l10n';

function argumentValue(arg: EmitArgument): unknown {
  return arg.kind === 'json' ? arg.value : arg.bytes;
}

export class BrowserSocketIo {
  private readonly socket: Socket;
  private readonly counters: Counters = { messagesSent: 0, messagesReceived: 0, bytesSent: 0, bytesReceived: 0 };
  private emitCount = 0;
  private error: string | undefined;
  private ended = false;

  constructor(
    readonly url: string,
    private readonly options: SocketIoOptions,
    private readonly events: BrowserSessionEvents,
  ) {
    const auth = parseAuth(options.auth);
    const query: Record<string, string> = {};
    for (const row of options.query) query[row.name] = row.value;
    this.socket = io(url + (options.namespace === '/' ? '' : options.namespace), {
      path: options.path,
      transports: options.transports === 'websocket' ? ['websocket'] : ['polling', 'websocket'],
      query,
      reconnection: options.reconnection,
      forceNew: true,
      ...(auth.ok && auth.auth ? { auth: auth.auth } : {}),
    });
    this.socket.on('connect', () => {
      this.error = undefined;
      this.log({ kind: 'open', direction: 'none', size: 0, detail: l10n.t('Connected to namespace {0} (sid {1})', options.namespace, this.socket.id ?? '?') });
      this.socket.io.engine.on('upgrade', () => this.events.state());
      this.events.state();
    });
    this.socket.on('connect_error', (err: Error & { data?: unknown }) => {
      const data = err.data !== undefined ? `: ${JSON.stringify(err.data)}` : '';
      this.error = `connect_error: ${err.message}${data}`;
      this.log({ kind: 'error', direction: 'none', size: 0, detail: this.error });
      this.events.state();
    });
    this.socket.on('disconnect', (reason: string) => {
      this.log({ kind: 'close', direction: 'none', size: 0, detail: l10n.t('Disconnected: {0}', describeDisconnectReason(reason)) });
      this.events.state();
    });
    this.socket.onAny((name: string, ...args: unknown[]) => {
      const payloads = args.map(receivedArgumentPayload);
      const size = payloadsSize(payloads);
      this.counters.messagesReceived += 1;
      this.counters.bytesReceived += size;
      this.log({ kind: 'event', direction: 'received', size, event: { name, args: payloads } });
      this.events.state();
    });
  }

  get state(): ConnectionState {
    const connected = this.socket.connected;
    const state: ConnectionState = {
      readyState: connected ? 'OPEN' : this.ended || !this.socket.active ? 'CLOSED' : 'CONNECTING',
      url: this.url,
      protocol: '',
      extensions: '',
      bufferedAmount: 0,
      counters: { ...this.counters },
      socketio: {
        namespace: this.options.namespace,
        eio: 4,
        transport: connected ? this.socket.io.engine.transport.name : '',
        sid: this.socket.id ?? '',
        queued: 0,
      },
    };
    if (this.error) state.error = this.error;
    return state;
  }

  get isActive(): boolean {
    return !this.ended && (this.socket.connected || this.socket.active);
  }

  emit(name: string, format: PayloadFormat, text: string, expectAck: boolean): WebActionResult {
    const badName = checkEventName(name);
    if (badName) return { ok: false, field: 'eventName', error: badName };
    if (!this.socket.connected) return { ok: false, field: 'eventArgs', error: l10n.t('Not connected') };
    const parsed = parseEmitArguments(format, text);
    if (!parsed.ok) return { ok: false, field: 'eventArgs', error: parsed.error };
    const number = ++this.emitCount;
    const payloads = parsed.args.map(emitArgumentPayload);
    const size = payloadsSize(payloads);
    this.counters.messagesSent += 1;
    this.counters.bytesSent += size;
    this.log({
      kind: 'event',
      direction: 'sent',
      size,
      detail: expectAck ? l10n.t('emit #{0}, expects ack', number) : l10n.t('emit #{0}', number),
      event: { name, args: payloads, emitNumber: number, ...(expectAck ? { expectsAck: true as const } : {}) },
    });
    const values = parsed.args.map(argumentValue);
    if (expectAck) {
      const sent = Date.now();
      const timeout = this.options.ackTimeoutSeconds;
      this.socket.timeout(timeout * 1000).emit(name, ...values, (err: Error | null, ...reply: unknown[]) => {
        if (err) {
          this.log({ kind: 'error', direction: 'none', size: 0, detail: l10n.t('no ack for emit #{0} within {1}', number, formatSeconds(timeout)) });
          return;
        }
        const replyPayloads = reply.map(receivedArgumentPayload);
        const roundTripMs = Date.now() - sent;
        this.counters.messagesReceived += 1;
        this.counters.bytesReceived += payloadsSize(replyPayloads);
        this.log({
          kind: 'ack',
          direction: 'received',
          size: payloadsSize(replyPayloads),
          detail: l10n.t('ack for emit #{0} after {1} ms', number, roundTripMs),
          event: { name, args: replyPayloads, emitNumber: number, roundTripMs },
        });
        this.events.state();
      });
    } else {
      this.socket.emit(name, ...values);
    }
    this.events.state();
    return { ok: true };
  }

  disconnect(): void {
    this.ended = true;
    this.socket.disconnect();
    this.events.state();
  }

  private log(entry: Omit<LogEntry, 'id' | 'time'>): void {
    this.events.entry({ time: Date.now(), ...entry });
  }
}
