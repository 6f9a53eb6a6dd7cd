/**
 * The messages between the extension host and a session worker (sessionWorker.ts), one union
 * each way. Received text messages cross in batches of raw UTF-8 bytes with a Float64Array of
 * [time, byte length] pairs: the host puts the bytes into its log as they are, so a flood costs
 * the host's heap no string and no object per message.
 *
 * A batch's bytes are written into one of a few fixed slots of memory shared by both threads
 * (allocated once per session, see `newBatchSlots`); the batch message names its slot and the
 * host hands the slot back once it copied the texts into its log. Transferring a fresh
 * ArrayBuffer per batch instead cost the host's thread its major garbage collections: V8 counts
 * every transferred buffer as new external memory (tens of MB/s at a 50,000 msg/s flood) and
 * collects the whole host heap to account for it, a pause of 40-100 ms each time in code-server.
 */
import type { ConnectionParams, ConnectionState, PayloadFormat } from '../../shared/protocol';
import type { ActionResult, ConnectionEntry } from '../sessionBase';

/** Batch slots: how many (one being filled and MAX_IN_FLIGHT handed over), their bytes and texts. */
export const SLOT_COUNT = 5;
export const SLOT_BYTES = 512 * 1024;
export const SLOT_TEXTS = 8192;
/**
 * Batches handed over and not handed back yet: past this many the host's thread is behind, and
 * the worker does not read its socket until it catches up.
 */
export const MAX_IN_FLIGHT = SLOT_COUNT - 1;

/** The memory of a session's batch slots, shared by the host and its worker. */
export interface BatchSlots {
  bytes: SharedArrayBuffer;
  /** Per slot SLOT_TEXTS [time, byte length] pairs. */
  index: SharedArrayBuffer;
}

export function newBatchSlots(): BatchSlots {
  return { bytes: new SharedArrayBuffer(SLOT_COUNT * SLOT_BYTES), index: new SharedArrayBuffer(SLOT_COUNT * SLOT_TEXTS * 16) };
}

/** The views of one slot. */
export function slotViews(slots: BatchSlots, slot: number): { bytes: Uint8Array; index: Float64Array } {
  return {
    bytes: new Uint8Array(slots.bytes, slot * SLOT_BYTES, SLOT_BYTES),
    index: new Float64Array(slots.index, slot * SLOT_TEXTS * 16, SLOT_TEXTS * 2),
  };
}

/**
 * Where a batch's texts are: in a shared slot, or (a message larger than a slot, or every slot
 * in use) in buffers of their own, transferred with the batch.
 */
export type BatchTexts = { in: 'slot'; slot: number } | { in: 'buffers'; bytes: ArrayBuffer; index: ArrayBuffer };

/** What the worker needs to open its session; Buffers cross as Uint8Arrays. */
export interface WorkerOpen {
  type: 'open';
  params: ConnectionParams;
  handshakeTimeoutMs: number;
  maxPayload: number;
  closeTimeoutMs?: number;
  secrets: readonly string[];
  tlsFiles: { ca?: Uint8Array; cert?: Uint8Array; key?: Uint8Array; pfx?: Uint8Array };
  /** The route the handshake takes, reported on the Connection details (no proxy agent runs in a worker). */
  route?: string;
  slots: BatchSlots;
  /** The host's translations (src/shared/l10n.ts), so the worker's sentences match the panel's language. */
  l10n?: Readonly<Record<string, string>>;
}

export type WorkerAction =
  | { action: 'send'; format: PayloadFormat; body: string }
  | { action: 'control'; frame: 'ping' | 'pong'; payload: string }
  | { action: 'close'; code: number; reason: string; advancedConfirmed: boolean }
  | { action: 'disconnect' };

/** Test hooks: the worker fails as a bug, a crash or running out of memory would. */
export type WorkerFault = 'throw' | 'exit' | 'oom';

export type ToWorker =
  | WorkerOpen
  /** A batch replayed: its slot (if it had one) may be filled again, and the next batch may go. */
  | { type: 'done'; slot?: number }
  | ({ type: 'action'; requestId: number } & WorkerAction)
  | { type: 'fault'; fault: WorkerFault };

/**
 * What the session did since the last batch, in order: `count` received texts, and the other
 * entries, each after the first `before` of those texts. `state` is the newest state, if it
 * changed.
 */
export interface WorkerBatch {
  type: 'batch';
  /**
   * The texts' UTF-8 bytes, one after another (the memory may be longer than they are), and per
   * text its time, then its byte length; absent when `count` is 0.
   */
  texts?: BatchTexts;
  count: number;
  entries: { before: number; entry: ConnectionEntry }[];
  state?: { state: ConnectionState; endedByUser: boolean };
}

export type FromWorker = WorkerBatch | { type: 'result'; inReplyTo: number; result: ActionResult };
