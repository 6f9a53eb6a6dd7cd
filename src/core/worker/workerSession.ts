/**
 * A plain WebSocket session run in a `worker_threads` worker (sessionWorker.ts), seen from the
 * extension host as a session like the others: state and entry events, received text as bytes
 * (setTextSink), and the frame actions, answered asynchronously. The extension host is one
 * thread shared with every other extension: during a 50,000 msg/s flood the socket, ws's frame
 * parsing and the session's bookkeeping then cost that thread one message per ~20 ms batch, and
 * the worker's heap is bounded by `resourceLimits` instead of growing the host's.
 *
 * A worker that dies (out of memory, a bug) is a closed session whose error says why; the log
 * stays on the host with everything it received, and the next Connect starts a new worker.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ConnectionParams, ConnectionState, PayloadFormat } from '../../shared/protocol';
import { checkConnectionParams } from '../../shared/validation';
import { l10n } from '../../shared/l10n';
import type { ConnectionOptions } from '../connection';
import { messageOf, SessionBase, type ActionResult } from '../sessionBase';
import { newBatchSlots, slotViews, type BatchSlots, type FromWorker, type ToWorker, type WorkerAction, type WorkerBatch, type WorkerFault } from './workerProtocol';

/**
 * The worker's young generation, in MiB: small, so that a flood's short-lived garbage is
 * collected often and V8 does not grow the semi-spaces the way it does on the host.
 */
const YOUNG_GENERATION_MB = 8;
/** The worker's old generation holds at most a few messages of the largest size allowed, and its code. */
const MIN_OLD_GENERATION_MB = 96;

/** Where the worker's bundle is: beside this file, in dist/ (bundled) as in out/ (tests). */
const WORKER_FILE = path.join(__dirname, 'sessionWorker.js');

/** Old-generation limit for a session that may receive messages of `maxPayload` bytes. */
export function oldGenerationLimitMb(maxPayload: number): number {
  return Math.max(MIN_OLD_GENERATION_MB, Math.ceil((maxPayload * 3) / 2 ** 20) + 64);
}

function idle(url: string): ConnectionState {
  return {
    readyState: 'CONNECTING',
    url,
    protocol: '',
    extensions: '',
    bufferedAmount: 0,
    counters: { messagesSent: 0, messagesReceived: 0, bytesSent: 0, bytesReceived: 0 },
  };
}

export class WorkerSession extends SessionBase {
  readonly kind = 'worker';
  private worker: Worker | undefined;
  private last: ConnectionState;
  private ended = false;
  /** Why the worker stopped on its own, once it has. */
  private stoppedBecause: string | undefined;
  private textSink: ((time: number, utf8: Uint8Array) => void) | undefined;
  private nextRequest = 1;
  private readonly pending = new Map<number, (result: ActionResult) => void>();
  /** The batch slots shared with the worker, and their views (made once). */
  private slots: { memory: BatchSlots; views: { bytes: Uint8Array; index: Float64Array }[] } | undefined;

  /** `route`: the route the handshake takes, for the Connection details ("DIRECT"). */
  constructor(
    private readonly params: ConnectionParams,
    private readonly options: ConnectionOptions,
    private readonly route?: string,
  ) {
    super(options);
    this.last = idle(params.url);
  }

  protected snapshot(): ConnectionState {
    return structuredClone(this.last);
  }

  /** Whether the user ended this connection (Disconnect, Close): no auto-reconnect then. */
  get endedByUser(): boolean {
    return this.ended;
  }

  setTextSink(sink: ((time: number, utf8: Uint8Array) => void) | undefined): void {
    this.textSink = sink;
  }

  /** Checks the parameters here (so a mistake is answered at once), then starts the worker. */
  open(): ActionResult {
    if (this.disposed) return { ok: false, field: 'general', error: 'This connection has been disposed' };
    if (this.worker) return { ok: false, field: 'general', error: 'This connection was already opened' };
    const checked = checkConnectionParams(this.params);
    if (!checked.ok) return { ok: false, field: checked.field, error: checked.error };
    let worker: Worker;
    try {
      worker = new Worker(WORKER_FILE, {
        name: 'WebSocket Debugger session',
        resourceLimits: {
          maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
          maxOldGenerationSizeMb: oldGenerationLimitMb(this.options.maxPayload),
        },
      });
    } catch (error) {
      return this.refuse('general', l10n.t('The session worker could not start: {0}', messageOf(error)));
    }
    this.worker = worker;
    const memory = newBatchSlots();
    this.slots = { memory, views: [] };
    worker.on('message', (message: FromWorker) => this.guarded('message', () => this.received(message))());
    worker.on('error', (error) => this.stopped(messageOf(error)));
    worker.on('exit', (code) => this.stopped(l10n.t('it exited with code {0}', code)));
    const tls = this.options.tlsFiles ?? {};
    const open: ToWorker = {
      type: 'open',
      params: checked.params,
      handshakeTimeoutMs: this.options.handshakeTimeoutMs,
      maxPayload: this.options.maxPayload,
      secrets: this.options.secrets ?? [],
      tlsFiles: { ...tls },
      ...(this.options.closeTimeoutMs !== undefined ? { closeTimeoutMs: this.options.closeTimeoutMs } : {}),
      ...(this.route !== undefined ? { route: this.route } : {}),
      slots: memory,
      l10n: l10n.bundle(),
    };
    worker.postMessage(open);
    this.notifyState();
    return { ok: true };
  }

  send(format: PayloadFormat, body: string): Promise<ActionResult> {
    return this.request({ action: 'send', format, body });
  }

  control(frame: 'ping' | 'pong', payload: string): Promise<ActionResult> {
    return this.request({ action: 'control', frame, payload });
  }

  close(code: number, reason: string, advancedConfirmed: boolean): Promise<ActionResult> {
    return this.request({ action: 'close', code, reason, advancedConfirmed });
  }

  disconnect(): void {
    void this.request({ action: 'disconnect' });
  }

  /** Test hook (integration suite): makes the worker fail as a bug or a crash would. */
  injectFault(fault: WorkerFault): void {
    this.worker?.postMessage({ type: 'fault', fault } satisfies ToWorker);
  }

  override dispose(): void {
    if (this.disposed) return;
    super.dispose();
    const worker = this.worker;
    this.worker = undefined;
    this.answerPending('This connection has been disposed');
    // The socket ends with the thread.
    if (worker) void worker.terminate();
  }

  private request(action: WorkerAction): Promise<ActionResult> {
    const worker = this.worker;
    if (!worker || this.stoppedBecause !== undefined) {
      return Promise.resolve({ ok: false, field: 'general', error: this.stoppedBecause !== undefined ? this.stoppedSentence() : l10n.t('Not connected: press Connect first.') });
    }
    const requestId = this.nextRequest++;
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      worker.postMessage({ type: 'action', requestId, ...action } satisfies ToWorker);
    });
  }

  private received(message: FromWorker): void {
    switch (message.type) {
      case 'batch':
        this.replay(message);
        return;
      case 'result': {
        const resolve = this.pending.get(message.inReplyTo);
        this.pending.delete(message.inReplyTo);
        resolve?.(message.result);
        return;
      }
    }
  }

  /** The batch's texts and entries in the order the session reported them, then its state. */
  private replay(batch: WorkerBatch): void {
    const texts = batch.texts;
    try {
      const { bytes, index } = !texts ? { bytes: new Uint8Array(0), index: new Float64Array(0) } : texts.in === 'slot' ? this.slotViews(texts.slot) : { bytes: new Uint8Array(texts.bytes), index: new Float64Array(texts.index) };
      let text = 0;
      let offset = 0;
      const textsUpTo = (end: number): void => {
        for (; text < end; text++) {
          const length = index[text * 2 + 1] as number;
          this.textSink?.(index[text * 2] as number, bytes.subarray(offset, offset + length));
          offset += length;
        }
      };
      for (const { before, entry } of batch.entries) {
        textsUpTo(before);
        this.emitEntry(entry);
      }
      textsUpTo(batch.count);
    } finally {
      // The sink copied what it keeps (into the log's arena): the slot may be filled again, and
      // the next batch may come (the worker's flow control).
      this.worker?.postMessage({ type: 'done', ...(texts?.in === 'slot' ? { slot: texts.slot } : {}) } satisfies ToWorker);
    }
    if (batch.state) {
      this.last = batch.state.state;
      this.ended = batch.state.endedByUser;
      this.notifyState();
    }
  }

  private slotViews(slot: number): { bytes: Uint8Array; index: Float64Array } {
    const slots = this.slots as NonNullable<typeof this.slots>;
    return (slots.views[slot] ??= slotViews(slots.memory, slot));
  }

  /** The worker ended without being asked to: the session is closed, and says why. */
  private stopped(reason: string): void {
    if (this.disposed || this.stoppedBecause !== undefined) return;
    this.stoppedBecause = reason;
    this.worker = undefined;
    const sentence = this.stoppedSentence();
    this.last = { ...this.last, readyState: 'CLOSED', bufferedAmount: 0, error: sentence };
    this.answerPending(sentence);
    this.fail(sentence);
  }

  private stoppedSentence(): string {
    return l10n.t('The session worker stopped ({0}); the log received so far is kept. Press Connect to connect again.', String(this.stoppedBecause));
  }

  private answerPending(error: string): void {
    for (const resolve of this.pending.values()) resolve({ ok: false, field: 'general', error });
    this.pending.clear();
  }
}
