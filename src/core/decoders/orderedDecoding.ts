/**
 * Decode binary as, without blocking the thread the entries arrive on. Small messages are decoded
 * at once (a 2 KiB message takes well under a millisecond); a message with more than
 * INLINE_DECODE_BYTES to decode goes to a decode worker (decodeWorker.ts), and it and everything
 * after it wait until its Decoded view is back, so the log keeps the order of the wire. Decoding
 * 16 MiB of MessagePack takes about a second: on the extension host thread that second froze every
 * extension and the panel's replies (docs/decoders.md, Limits).
 *
 * Nothing is lost: a worker that cannot start or dies gives the waiting entries a note saying so,
 * with their raw bytes, and the next large message starts a new worker.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LogEntry } from '../../shared/protocol';
import { MAX_DECODE_BYTES, type BinaryDecoder } from './binaryCodec';
import type { DecodeReply, DecodeRequest, DecodeWorkerData } from './decodeWorkerProtocol';
import { base64Size, withDecoded } from './entryDecoder';
import { l10n } from '../../shared/l10n';

/** Up to this many bytes to decode, an entry is decoded on the caller's thread (about 2 ms at most). */
export const INLINE_DECODE_BYTES = 64 * 1024;

/** A worker with nothing to do for this long is stopped (a new one starts in about 30 ms). */
const IDLE_MS = 30_000;

/** Decoding 16 MiB of small records builds a few hundred MiB of objects and JSON text. */
const WORKER_OLD_GENERATION_MB = 1024;

/** Where the worker's bundle is: beside this file, in dist/ (bundled) as in out/ (tests). */
const WORKER_FILE = path.join(__dirname, 'decodeWorker.js');

type Item<E> =
  | { kind: 'entry'; entry: E; waiting: number | undefined }
  | { kind: 'text'; time: number; utf8: Uint8Array };

export interface DecodedOutput<E> {
  entry(entry: E): void;
  /** Received text as UTF-8 bytes (Session.setTextSink), kept in order with the entries. */
  text(time: number, utf8: Uint8Array): void;
}

/** How many bytes decoding `entry` would read (binary payloads within the limit only). */
export function bytesToDecode(entry: Omit<LogEntry, 'id'>, limit: number): number {
  if ((entry.kind === 'event' || entry.kind === 'ack') && entry.event) {
    let total = 0;
    for (const arg of entry.event.args) {
      const size = arg.kind === 'binary' ? base64Size(arg.base64) : 0;
      if (size <= limit) total += size;
    }
    return total;
  }
  if (entry.kind !== 'message' || entry.frame !== 'binary' || entry.payload?.kind !== 'binary') return 0;
  // The same test as withDecoded's, which looks at the base64 length before any padding.
  const size = Math.floor((entry.payload.base64.length * 3) / 4);
  return size > limit + 3 ? 0 : size;
}

function workerDataOf(decoder: BinaryDecoder, limit: number): DecodeWorkerData {
  if (decoder.as !== 'protobuf') return { as: decoder.as, limit, l10n: l10n.bundle() };
  return { as: 'protobuf', limit, l10n: l10n.bundle(), root: decoder.type.root.toJSON(), type: decoder.type.fullName.replace(/^\./, '') };
}

export class OrderedDecoding<E extends Omit<LogEntry, 'id'>> {
  /** Entries (and texts) held back behind one whose Decoded view is still being made, from `head` on. */
  private queue: Item<E>[] = [];
  private head = 0;
  private waitingCount = 0;
  private worker: Worker | undefined;
  private nextId = 1;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** No more entries will come: the worker stops once the waiting ones are back. */
  private closing = false;
  private disposed = false;

  constructor(
    private readonly decoder: BinaryDecoder,
    private readonly out: DecodedOutput<E>,
    private readonly options: {
      inlineBytes?: number;
      limit?: number;
      workerFile?: string;
      /** What the note on entries left waiting by dispose() says went away (a panel, a flow's connection). */
      closing?: 'panel' | 'flow connection';
    } = {},
  ) {}

  /** How many entries wait for their Decoded view. */
  get waiting(): number {
    return this.waitingCount;
  }

  entry(entry: E): void {
    const limit = this.options.limit ?? MAX_DECODE_BYTES;
    if (bytesToDecode(entry, limit) <= (this.options.inlineBytes ?? INLINE_DECODE_BYTES)) {
      this.push({ kind: 'entry', entry: withDecoded(entry, this.decoder, limit), waiting: undefined });
      return;
    }
    if (this.disposed) {
      this.push({ kind: 'entry', entry: { ...entry, decoded: { as: this.decoder.as, error: l10n.t('Not decoded: {0}', this.closingNote()) } }, waiting: undefined });
      return;
    }
    const id = this.nextId++;
    this.queue.push({ kind: 'entry', entry, waiting: id });
    this.waitingCount += 1;
    const worker = this.ensureWorker();
    if (worker === undefined) return;
    clearTimeout(this.idleTimer);
    // Held while something waits (a process does not end with a message half decoded), not after.
    worker.ref();
    worker.postMessage({ id, entry } satisfies DecodeRequest);
  }

  text(time: number, utf8: Uint8Array): void {
    if (this.head === this.queue.length) this.out.text(time, utf8);
    // A copy: the sink's bytes may be a view of a buffer its session reuses once the call returns.
    else this.queue.push({ kind: 'text', time, utf8: utf8.slice() });
  }

  /** No more entries: the worker stops as soon as the ones it decodes are back. */
  close(): void {
    this.closing = true;
    if (this.waitingCount === 0) this.stopWorker();
  }

  /** Stops the worker now; entries still waiting go out with a note, so the log keeps them. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopWorker();
    this.failWaiting(this.closingNote());
  }

  private closingNote(): string {
    return this.options.closing === 'flow connection' ? l10n.t('the flow connection was closing') : l10n.t('the panel was closing');
  }

  private push(item: Item<E>): void {
    if (this.head === this.queue.length) this.emit(item);
    else this.queue.push(item);
  }

  private emit(item: Item<E>): void {
    if (item.kind === 'entry') this.out.entry(item.entry);
    else this.out.text(item.time, item.utf8);
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker) return this.worker;
    let worker: Worker;
    try {
      worker = new Worker(this.options.workerFile ?? WORKER_FILE, {
        name: 'WebSocket Debugger decoder',
        workerData: workerDataOf(this.decoder, this.options.limit ?? MAX_DECODE_BYTES),
        resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_GENERATION_MB },
      });
    } catch (error) {
      this.failWaiting(l10n.t('the decode worker could not start ({0})', error instanceof Error ? error.message : String(error)));
      return undefined;
    }
    this.worker = worker;
    worker.on('message', (reply: DecodeReply) => this.replied(reply));
    worker.on('error', (error) => this.workerStopped(worker, error.message));
    worker.on('exit', (code) => this.workerStopped(worker, l10n.t('it exited with code {0}', code)));
    return worker;
  }

  private replied(reply: DecodeReply): void {
    let item: Item<E> | undefined;
    for (let index = this.head; index < this.queue.length; index += 1) {
      const candidate = this.queue[index];
      if (candidate.kind === 'entry' && candidate.waiting === reply.id) {
        item = candidate;
        break;
      }
    }
    if (item?.kind !== 'entry') return;
    item.waiting = undefined;
    this.waitingCount -= 1;
    if (reply.decoded) item.entry = { ...item.entry, decoded: reply.decoded };
    this.drain();
    if (this.waitingCount > 0) return;
    this.worker?.unref();
    if (this.closing) {
      this.stopWorker();
      return;
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.waitingCount === 0) this.stopWorker();
    }, IDLE_MS);
    this.idleTimer.unref?.();
  }

  private stopWorker(): void {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }

  private workerStopped(worker: Worker, why: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failWaiting(l10n.t('the decode worker stopped: {0}', why));
  }

  private failWaiting(why: string): void {
    for (let index = this.head; index < this.queue.length; index += 1) {
      const item = this.queue[index];
      if (item.kind !== 'entry' || item.waiting === undefined) continue;
      item.waiting = undefined;
      item.entry = { ...item.entry, decoded: { as: this.decoder.as, error: l10n.t('Not decoded: {0}', why) } };
    }
    this.waitingCount = 0;
    this.drain();
  }

  /** Hands on everything at the head of the queue that no longer waits. */
  private drain(): void {
    while (this.head < this.queue.length) {
      const item = this.queue[this.head];
      if (item.kind === 'entry' && item.waiting !== undefined) break;
      this.head += 1;
      this.emit(item);
    }
    if (this.head < this.queue.length) {
      // A steady stream of large messages may never empty the queue: drop what went out.
      if (this.head > 1024) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      return;
    }
    this.queue = [];
    this.head = 0;
  }
}
