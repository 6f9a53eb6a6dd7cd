/**
 * One Socket.IO namespace connection, reported like a WebSocket Connection: every event, ack,
 * connect, connect_error, disconnect and reconnect attempt becomes a log entry, and the state is
 * a ConnectionState snapshot. Free of `vscode` imports: unit-tested against real servers.
 * Library callbacks never throw into the library (that would reach the extension host).
 */
import type { ConnectionParams, ConnectionState, PayloadFormat, ReadyState, SocketIoOptions } from '../shared/protocol';
import {
  AckTracker,
  checkEventName,
  checkSocketIoParams,
  describeDisconnectReason,
  emitArgumentPayload,
  engineIoOf,
  formatSeconds,
  engineIoOfOpenResponse,
  parseAuth,
  parseEmitArguments,
  payloadsSize,
  receivedArgumentPayload,
  versionHint,
  type EmitArgument,
} from '../shared/socketIo';
import { unproxiedFetch } from './proxyBypass';
import type { ActionResult } from './sessionBase';
import { messageOf, SessionBase, type SessionOptions } from './sessionBase';
import { createClient, type ClientSocket, type ConnectFailure } from './socketIoClients';
import { withOurRemedy } from './connectionErrors';
import { l10n } from '../shared/l10n';

/** How long the version probe waits for the server's polling handshake. */
const PROBE_TIMEOUT_MS = 3000;

interface QueuedEmit {
  number: number;
  name: string;
  args: EmitArgument[];
  expectAck: boolean;
}

type Phase = 'idle' | 'connecting' | 'open' | 'closed';

/** A Socket.IO namespace session: the one kind that emits events (with optional acks). */
export class SocketIoConnection extends SessionBase {
  readonly kind = 'socketio';
  private params: ConnectionParams;
  private client: ClientSocket | undefined;
  private phase: Phase = 'idle';
  private readonly counters = { messagesSent: 0, messagesReceived: 0, bytesSent: 0, bytesReceived: 0 };
  private emitCount = 0;
  private readonly queue: QueuedEmit[] = [];
  private readonly names = new Map<number, string>();
  private acks: AckTracker | undefined;
  private probed = false;

  constructor(
    params: ConnectionParams,
    private readonly sessionOptions: SessionOptions,
  ) {
    super(sessionOptions);
    this.params = params;
  }

  private get options(): SocketIoOptions {
    // checkSocketIoParams fills this in before anything uses it.
    return this.params.socketio!;
  }

  protected snapshot(): ConnectionState {
    const options = this.params.socketio;
    const state: ConnectionState = {
      readyState: this.readyState,
      url: this.params.url,
      protocol: '',
      extensions: '',
      bufferedAmount: 0,
      counters: { ...this.counters },
    };
    if (options) {
      state.socketio = {
        namespace: options.namespace,
        eio: engineIoOf(options.version),
        transport: this.client?.transport ?? '',
        sid: this.client?.connected ? this.client.id : '',
        queued: this.queue.length,
      };
    }
    if (this.failure !== undefined) state.error = this.failure;
    return state;
  }

  private get headers(): Record<string, string> {
    return Object.fromEntries(this.params.headers.map((row) => [row.name, row.value]));
  }

  private get readyState(): ReadyState {
    switch (this.phase) {
      case 'connecting':
        return 'CONNECTING';
      case 'open':
        return 'OPEN';
      default:
        return 'CLOSED';
    }
  }

  open(): ActionResult {
    if (this.disposed) return { ok: false, field: 'general', error: 'This connection has been disposed' };
    if (this.client) return { ok: false, field: 'general', error: 'This connection was already opened' };
    const checked = checkSocketIoParams(this.params);
    if (!checked.ok) return checked;
    this.params = checked.params;
    const options = this.options;
    const auth = parseAuth(options.auth);
    let client: ClientSocket;
    try {
      client = createClient(
        {
          url: this.params.url,
          options,
          auth: auth.ok ? auth.auth : undefined,
          headers: this.headers,
          timeoutMs: this.sessionOptions.handshakeTimeoutMs,
          bypassProxy: this.params.options?.bypassProxy === true,
        },
        {
          connect: this.guarded('connect', () => this.handleConnect()),
          connectError: this.guarded('connect_error', (failure: ConnectFailure) => this.handleConnectError(failure)),
          disconnect: this.guarded('disconnect', (reason: string) => this.handleDisconnect(reason)),
          event: this.guarded('event', (name: string, args: unknown[], ack: boolean) => this.handleEvent(name, args, ack)),
          reconnectAttempt: this.guarded('reconnect_attempt', (attempt: number) => {
            this.phase = 'connecting';
            this.info(l10n.t('Reconnect attempt {0}', attempt));
          }),
          reconnect: this.guarded('reconnect', (attempts: number) => {
            this.info(attempts === 1 ? l10n.t('Reconnected after 1 attempt') : l10n.t('Reconnected after {0} attempts', attempts));
          }),
          reconnectFailed: this.guarded('reconnect_failed', () => {
            this.phase = 'closed';
            this.fail(l10n.t('Gave up reconnecting'));
          }),
          transportChanged: this.guarded('upgrade', () => {
            this.info(l10n.t('Transport upgraded to {0}', this.client?.transport || 'websocket'));
          }),
        },
      );
    } catch (error) {
      return this.refuse('url', l10n.t('Could not start the Socket.IO client: {0}', messageOf(error)));
    }
    this.client = client;
    this.acks = new AckTracker(options.ackTimeoutSeconds * 1000, (n) => this.handleAckTimeout(n));
    this.phase = 'connecting';
    if (this.params.options?.bypassProxy) this.info(l10n.t("Connecting directly: Bypass proxy is on, VS Code's proxy settings are not used"));
    client.open();
    this.notifyState();
    return { ok: true };
  }

  /** Emits an event (queued while the client reconnects), optionally waiting for its ack. */
  emit(name: string, format: PayloadFormat, body: string, expectAck: boolean): ActionResult {
    const nameError = checkEventName(name);
    if (nameError) return { ok: false, field: 'eventName', error: nameError };
    const parsed = parseEmitArguments(format, body);
    if (!parsed.ok) return { ok: false, field: 'eventArgs', error: parsed.error };
    if (!this.client || this.disposed || (this.phase !== 'open' && this.phase !== 'connecting')) {
      return { ok: false, field: 'eventName', error: l10n.t('Not connected: press Connect first') };
    }
    const emit: QueuedEmit = { number: ++this.emitCount, name, args: parsed.args, expectAck };
    const payloads = parsed.args.map(emitArgumentPayload);
    const queued = !this.client.connected;
    this.log({
      kind: 'event',
      direction: 'sent',
      size: payloadsSize(payloads),
      detail: expectAck
        ? (queued ? l10n.t('emit #{0}, expects ack, queued until connected', emit.number) : l10n.t('emit #{0}, expects ack', emit.number))
        : (queued ? l10n.t('emit #{0}, queued until connected', emit.number) : l10n.t('emit #{0}', emit.number)),
      event: { name, args: payloads, emitNumber: emit.number, ...(expectAck ? { expectsAck: true as const } : {}), ...(queued ? { queued: true } : {}) },
    });
    if (queued) this.queue.push(emit);
    else this.sendEmit(emit, payloads);
    this.notifyState();
    return { ok: true };
  }

  /** Disconnects the namespace (and its own Engine.IO connection); stops reconnecting. */
  disconnect(): void {
    const client = this.client;
    if (!client || this.disposed || this.phase === 'closed') return;
    const wasOpen = this.phase === 'open';
    this.phase = 'closed';
    client.close();
    this.acks?.dispose();
    if (!wasOpen) this.log({ kind: 'close', direction: 'none', size: 0, detail: l10n.t('Connection attempt cancelled by the client') });
    this.dropQueue();
    this.notifyState();
  }

  override dispose(): void {
    if (this.disposed) return;
    super.dispose();
    this.acks?.dispose();
    this.client?.close();
  }

  // -------------------------------------------------------------------------------------------

  private sendEmit(emit: QueuedEmit, payloads = emit.args.map(emitArgumentPayload)): void {
    const client = this.client;
    if (!client) return;
    this.names.set(emit.number, emit.name);
    const args = emit.args.map((arg) => (arg.kind === 'binary' ? Buffer.from(arg.bytes) : arg.value));
    const ack = emit.expectAck
      ? (...reply: unknown[]) => this.guarded('ack', () => this.handleAck(emit.number, reply))()
      : undefined;
    client.emit(emit.name, args, ack);
    if (emit.expectAck) this.acks?.start(emit.number);
    this.counters.messagesSent += 1;
    this.counters.bytesSent += payloadsSize(payloads);
  }

  private handleConnect(): void {
    this.phase = 'open';
    this.failure = undefined;
    const client = this.client;
    const options = this.options;
    const versionWords = options.version === 'v2' ? l10n.t('Socket.IO 2 client') : l10n.t('Socket.IO v4 client');
    this.log({
      kind: 'open',
      direction: 'none',
      size: 0,
      detail: l10n.t('Connected to namespace {0} of {1} ({2}, EIO={3}, transport {4}, sid {5})', options.namespace, this.params.url, versionWords, engineIoOf(options.version), client?.transport || '?', client?.id || '?'),
    });
    const queued = this.queue.splice(0);
    for (const emit of queued) {
      this.sendEmit(emit);
      this.info(l10n.t('Queued emit #{0} "{1}" sent', emit.number, emit.name));
    }
    this.notifyState();
  }

  private handleConnectError(failure: ConnectFailure): void {
    const retrying = failure.transport && this.options.reconnection && this.phase !== 'closed';
    this.phase = retrying ? 'connecting' : 'closed';
    // The client library may pass Node's TLS message on, advice about Node's flags included.
    this.fail(
      failure.data !== undefined
        ? l10n.t('connect_error: {0} (server data: {1})', withOurRemedy(failure.message), safeJson(failure.data))
        : `connect_error: ${withOurRemedy(failure.message)}`,
    );
    if (!retrying) {
      this.client?.close();
      this.dropQueue();
    }
    if (!this.probed && failure.data === undefined) {
      this.probed = true;
      void this.probeVersion();
    }
  }

  /** Asks the server which Engine.IO protocol it speaks, to turn a mismatch into a hint. */
  private async probeVersion(): Promise<void> {
    const answers = await Promise.all([this.probeHandshake(3), this.probeHandshake(4)]);
    const hint = versionHint(this.options.version, { eio3: answers.includes(3), eio4: answers.includes(4) });
    if (!hint || this.disposed || this.phase === 'open') return;
    // Retrying cannot help: the client and the server speak different protocols.
    this.phase = 'closed';
    this.client?.close();
    this.dropQueue();
    this.fail(hint);
  }

  /** The Engine.IO protocol of the server's answer to a polling handshake asking for `eio`. */
  private async probeHandshake(eio: 3 | 4): Promise<3 | 4 | undefined> {
    try {
      const url = new URL(this.options.path.replace(/\/?$/, '/'), this.params.url);
      url.searchParams.set('EIO', String(eio));
      url.searchParams.set('transport', 'polling');
      const request = this.params.options?.bypassProxy ? unproxiedFetch() : fetch;
      const response = await request(url, { headers: this.headers, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      return engineIoOfOpenResponse(response.status, await response.text());
    } catch {
      return undefined;
    }
  }

  private handleDisconnect(reason: string): void {
    const retrying =
      this.options.reconnection &&
      this.phase !== 'closed' &&
      reason !== 'io server disconnect' &&
      reason !== 'io client disconnect';
    this.phase = retrying ? 'connecting' : 'closed';
    this.log({
      kind: 'close',
      direction: 'none',
      size: 0,
      detail: retrying ? l10n.t('Disconnected: {0}; reconnecting', describeDisconnectReason(reason)) : l10n.t('Disconnected: {0}', describeDisconnectReason(reason)),
    });
    this.notifyState();
  }

  private handleEvent(name: string, args: unknown[], ack: boolean): void {
    const payloads = args.map(receivedArgumentPayload);
    const size = payloadsSize(payloads);
    this.counters.messagesReceived += 1;
    this.counters.bytesReceived += size;
    this.log({
      kind: 'event',
      direction: 'received',
      size,
      ...(ack ? { detail: l10n.t('the server asked for an ack (not answered)') } : {}),
      event: { name, args: payloads, ...(ack ? { serverAsksAck: true as const } : {}) },
    });
    this.notifyState();
  }

  private handleAck(emitNumber: number, reply: unknown[]): void {
    const outcome = this.acks?.settle(emitNumber) ?? { kind: 'unknown' };
    const payloads = reply.map(receivedArgumentPayload);
    const size = payloadsSize(payloads);
    this.counters.messagesReceived += 1;
    this.counters.bytesReceived += size;
    const name = this.names.get(emitNumber) ?? '';
    this.names.delete(emitNumber);
    const rtt = outcome.kind === 'unknown' ? undefined : outcome.roundTripMs;
    const detail =
      outcome.kind === 'late'
        ? l10n.t('ack for emit #{0}, arrived {1} ms after the emit (after the {2} timeout)', emitNumber, outcome.roundTripMs, formatSeconds(this.options.ackTimeoutSeconds))
        : rtt !== undefined ? l10n.t('ack for emit #{0} after {1} ms', emitNumber, rtt) : l10n.t('ack for emit #{0}', emitNumber);
    this.log({
      kind: 'ack',
      direction: 'received',
      size,
      detail,
      event: { name, args: payloads, emitNumber, ...(rtt !== undefined ? { roundTripMs: rtt } : {}) },
    });
    this.notifyState();
  }

  private handleAckTimeout(emitNumber: number): void {
    const name = this.names.get(emitNumber) ?? '';
    this.log({
      kind: 'error',
      direction: 'none',
      size: 0,
      detail: l10n.t('no ack within {0} for emit #{1} "{2}"', formatSeconds(this.options.ackTimeoutSeconds), emitNumber, name),
    });
  }

  private dropQueue(): void {
    const dropped = this.queue.splice(0);
    if (dropped.length === 0) return;
    const list = dropped.map((e) => `#${e.number}`).join(', ');
    this.log({ kind: 'error', direction: 'none', size: 0, detail: l10n.t('Queued emits {0} were not sent: the connection ended', list) });
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

