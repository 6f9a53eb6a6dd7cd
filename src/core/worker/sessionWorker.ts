/**
 * The entry of a session worker (a `worker_threads` worker, bundled as dist/sessionWorker.js):
 * one plain WebSocket session whose socket, frame parsing, UTF-8 checks, masking and state run
 * here instead of on the extension host's thread. What the session reports is gathered for up
 * to FLUSH_MS and handed to the host as one batch in a slot of memory both threads share (see
 * workerProtocol.ts); the host keeps the log, so whatever it received survives this worker.
 */
import { parentPort } from 'node:worker_threads';
import { Connection, type ConnectionOptions } from '../connection';
import type { ConnectionEntry } from '../sessionBase';
import { MAX_IN_FLIGHT, SLOT_BYTES, SLOT_COUNT, SLOT_TEXTS, slotViews, type BatchTexts, type FromWorker, type ToWorker, type WorkerAction } from './workerProtocol';
import type { ActionResult } from '../sessionBase';
import type { ConnectionState } from '../../shared/protocol';
import { l10n } from '../../shared/l10n';

/** How long the worker gathers before a batch: short next to the host's 50 ms posts to the webview. */
const FLUSH_MS = 20;
/** A batch leaves early past this many texts or bytes (a slot's), so neither side ever holds a large one. */
const MAX_TEXTS = SLOT_TEXTS;
const MAX_BYTES = SLOT_BYTES;

const port = parentPort;
if (!port) throw new Error('sessionWorker.js runs as a worker thread');

let session: Connection | undefined;
/** The shared slots' views, and those not handed over. */
let slots: { bytes: Uint8Array; index: Float64Array }[] = [];
const freeSlots: number[] = [];
/** The slot being filled, or undefined while the batch fills buffers of its own. */
let slot: number | undefined;
let bytes: Uint8Array = new Uint8Array(0);
let used = 0;
let index: Float64Array = new Float64Array(MAX_TEXTS * 2);
let count = 0;
let entries: { before: number; entry: ConnectionEntry }[] = [];
let pendingState: ConnectionState | undefined;
let postedReadyState: string | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;
/** Batches handed over and not yet handed back (see MAX_IN_FLIGHT). */
let inFlight = 0;

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  (port as NonNullable<typeof port>).postMessage(message, transfer);
}

function schedule(): void {
  if (!timer) timer = setTimeout(flush, FLUSH_MS);
}

/** The next batch fills a free slot, or (none free) buffers of its own of `byteLength`. */
function startBatch(byteLength = MAX_BYTES): void {
  slot = byteLength <= MAX_BYTES ? freeSlots.pop() : undefined;
  const views = slot !== undefined ? slots[slot] : undefined;
  bytes = views?.bytes ?? new Uint8Array(byteLength);
  index = views?.index ?? new Float64Array(MAX_TEXTS * 2);
}

function addText(time: number, utf8: Uint8Array): void {
  if (used + utf8.length > bytes.length) {
    if (count > 0) flush();
    if (utf8.length > bytes.length) {
      // A message larger than a slot travels in a buffer of its size; the slot stays free.
      if (slot !== undefined) freeSlots.push(slot);
      startBatch(utf8.length);
    }
  }
  bytes.set(utf8, used);
  used += utf8.length;
  index[count * 2] = time;
  index[count * 2 + 1] = utf8.length;
  count += 1;
  if (count === MAX_TEXTS || used >= MAX_BYTES) flush();
  else schedule();
}

function addEntry(entry: ConnectionEntry): void {
  entries.push({ before: count, entry });
  schedule();
}

function stateChanged(state: ConnectionState): void {
  pendingState = state;
  // Open, closing and closed reach the host at once; counters ride with the next batch.
  if (state.readyState !== postedReadyState) flush();
  else schedule();
}

/** Hands everything gathered to the host; the next batch fills another slot. */
function flush(): void {
  if (timer) clearTimeout(timer);
  timer = undefined;
  if (count === 0 && entries.length === 0 && !pendingState) return;
  const state = pendingState && session ? { state: pendingState, endedByUser: session.endedByUser } : undefined;
  if (state) postedReadyState = state.state.readyState;
  // A batch without texts leaves its slot to the next one.
  const texts: BatchTexts | undefined =
    count === 0 ? undefined : slot !== undefined ? { in: 'slot', slot } : { in: 'buffers', bytes: bytes.buffer as ArrayBuffer, index: index.buffer as ArrayBuffer };
  post(
    { type: 'batch', ...(texts ? { texts } : {}), count, entries, ...(state ? { state } : {}) },
    texts?.in === 'buffers' ? [texts.bytes, texts.index] : [],
  );
  inFlight += 1;
  if (inFlight === MAX_IN_FLIGHT) session?.setReading(false);
  if (texts) startBatch();
  used = 0;
  count = 0;
  entries = [];
  pendingState = undefined;
}

function act(request: WorkerAction): ActionResult {
  if (!session) return { ok: false, field: 'general', error: l10n.t('Not connected: press Connect first.') };
  switch (request.action) {
    case 'send':
      return session.send(request.format, request.body);
    case 'control':
      return session.control(request.frame, request.payload);
    case 'close':
      return session.close(request.code, request.reason, request.advancedConfirmed);
    case 'disconnect':
      session.disconnect();
      return { ok: true };
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'open': {
      slots = Array.from({ length: SLOT_COUNT }, (_, at) => slotViews(message.slots, at));
      freeSlots.push(...slots.keys());
      startBatch();
      l10n.configure(message.l10n);
      const tls = message.tlsFiles;
      const tlsFiles: NonNullable<ConnectionOptions['tlsFiles']> = {};
      for (const key of ['ca', 'cert', 'key', 'pfx'] as const) {
        const file = tls[key];
        if (file) tlsFiles[key] = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
      }
      session = new Connection(message.params, {
        handshakeTimeoutMs: message.handshakeTimeoutMs,
        maxPayload: message.maxPayload,
        secrets: message.secrets,
        ...(message.closeTimeoutMs !== undefined ? { closeTimeoutMs: message.closeTimeoutMs } : {}),
        ...(message.route !== undefined ? { route: message.route } : {}),
        tlsFiles,
      });
      session.setTextSink(addText);
      session.onEntry(addEntry);
      session.onStateChange(stateChanged);
      const result = session.open();
      if (!result.ok) {
        // The host checked the parameters already; what ws refused is the session's first entry.
        addEntry({ time: Date.now(), kind: 'error', direction: 'none', size: 0, detail: result.error });
        stateChanged(session.state);
      }
      return;
    }
    case 'action': {
      const result = act(message);
      // The entries the action logged (a sent message) reach the host before its answer.
      flush();
      post({ type: 'result', inReplyTo: message.requestId, result });
      return;
    }
    case 'done':
      inFlight -= 1;
      if (inFlight === MAX_IN_FLIGHT - 1) session?.setReading(true);
      if (message.slot !== undefined) freeSlots.push(message.slot);
      // A batch of its own buffers not begun yet takes the slot instead.
      if (slot === undefined && count === 0) startBatch();
      return;
    case 'fault':
      if (message.fault === 'exit') process.exit(70);
      if (message.fault === 'oom') {
        // Until resourceLimits stops the thread.
        const held: number[][] = [];
        for (;;) held.push(new Array<number>(1 << 20).fill(held.length));
      }
      setImmediate(() => {
        throw new Error('a fault injected by a test');
      });
      return;
  }
});
