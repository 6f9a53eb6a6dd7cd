/**
 * The messages between the extension host and a session worker (sessionWorker.ts), one union
 * each way. Received text messages cross in batches of raw UTF-8 bytes with a Float64Array of
 * [time, byte length] pairs, both transferred (not copied): the host puts the bytes into its
 * log as they are, so a flood costs the host's heap no string and no object per message.
 */
import type { ConnectionParams, ConnectionState, PayloadFormat } from '../../shared/protocol';
import type { ActionResult, ConnectionEntry } from '../sessionBase';

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
  /** A batch's buffers handed back once replayed, for the worker to fill again instead of allocating. */
  | { type: 'recycle'; bytes: ArrayBuffer; index: ArrayBuffer }
  | ({ type: 'action'; requestId: number } & WorkerAction)
  | { type: 'fault'; fault: WorkerFault };

/**
 * What the session did since the last batch, in order: `count` received texts, and the other
 * entries, each after the first `before` of those texts. `state` is the newest state, if it
 * changed.
 */
export interface WorkerBatch {
  type: 'batch';
  /** The texts' UTF-8 bytes, one after another (the buffer may be longer than they are). */
  bytes: ArrayBuffer;
  /** Per text: its time, then its byte length. */
  index: ArrayBuffer;
  count: number;
  entries: { before: number; entry: ConnectionEntry }[];
  state?: { state: ConnectionState; endedByUser: boolean };
}

export type FromWorker = WorkerBatch | { type: 'result'; inReplyTo: number; result: ActionResult };
