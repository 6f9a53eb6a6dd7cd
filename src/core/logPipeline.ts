/**
 * The path every log entry takes on the host: into the connection's MessageLog, then, gathered
 * for ~50 ms, to the webview in one post and to the recording file in one write. One post per
 * message would flood the webview channel at tens of thousands of messages a second.
 *
 * Flow control: one batch is in flight until the webview acknowledges it, so a webview (or
 * workbench) that cannot keep up gets fewer, larger batches instead of a queue of posts that
 * grows in the extension host. What waits is bounded by the log's capacity: the webview keeps
 * only that many entries, so older queued ones would be evicted on arrival anyway. Nothing is
 * queued besides the log itself: what the webview still needs is the log's entries from an id on,
 * built (see MessageLog's compact form) only when their batch is posted.
 *
 * During a flood that the webview only watches go by, it is sent a tail window and the rest
 * later (see tailWindow.ts): the bytes it is sent then are a fraction of the wire's.
 *
 * Free of `vscode`: the benchmark runs it against a real flood without VS Code.
 */
import { EntryBatchWriter } from '../shared/entryTransport';
import { MessageLog } from '../shared/messageLog';
import type { EntriesJson, EntriesMessage, LogEntry } from '../shared/protocol';
import { TailWindow } from '../shared/tailWindow';

/** How long entries are gathered before one post to the webview. */
export const FLUSH_INTERVAL_MS = 50;

/**
 * The most entries in one post: a webview that fell behind catches up in steps it can parse
 * without blocking typing, and the host never builds one huge string.
 */
export const MAX_BATCH = 20_000;

/**
 * The most bytes in one post (one entry more may cross it): the workbench and the webview each
 * take a post in one task, so a bounded post keeps every such task short, however far behind
 * the webview is. 1 MiB is about 10,000 entries of a 64-byte flood; in code-server a webview
 * that fell 100,000 entries behind caught up as fast with it as with 2 MiB, and twice as fast as
 * with 256 KiB.
 */
export const MAX_BATCH_BYTES = 1024 * 1024;

/**
 * How long entries are gathered while a flood goes to the webview as tail windows: it draws a
 * flood 8 times a second (FLOOD_DRAW_INTERVAL in logView.ts), so more windows than that would
 * be posted, carried and received only to be replaced before they are drawn.
 */
export const WINDOW_FLUSH_INTERVAL_MS = 125;

/** Past this wait an unacknowledged batch no longer holds the next one back. */
export const ACK_TIMEOUT_MS = 5000;

/** Payloads longer than this (characters of text, bytes of binary) reach the webview as a preview. */
export const PREVIEW_LIMIT = 64 * 1024;

/** Where each flushed batch goes besides the webview (Record to file). */
export interface EntrySink {
  write(entries: readonly LogEntry[]): void;
}

/**
 * The entry as the webview gets it: large payloads (and decoded values) cut to a preview marked
 * `truncated`, so a 16 MiB message costs the webview 64 KiB. The host keeps the whole entry for
 * Open and Save.
 */
export function previewOf(entry: LogEntry): LogEntry {
  const decoded = entry.decoded;
  if (decoded?.json !== undefined && decoded.json.length > PREVIEW_LIMIT) {
    return previewOf({ ...entry, decoded: { ...decoded, json: decoded.json.slice(0, PREVIEW_LIMIT), truncated: true } });
  }
  const payload = entry.payload;
  if (!payload) return entry;
  if (payload.kind === 'text') {
    if (payload.text.length <= PREVIEW_LIMIT) return entry;
    return { ...entry, payload: { kind: 'text', text: payload.text.slice(0, PREVIEW_LIMIT) }, truncated: true };
  }
  // Base64 carries 3 bytes in 4 characters; cut on a 4-character boundary.
  const limit = Math.floor(PREVIEW_LIMIT / 3) * 4;
  if (payload.base64.length <= limit) return entry;
  return { ...entry, payload: { kind: 'binary', base64: payload.base64.slice(0, limit) }, truncated: true };
}

export class LogPipeline {
  readonly log: MessageLog;
  /** The first id the webview has not been sent yet (older entries went, or were dropped). */
  private unsentFrom = 1;
  /** Entries the recording has not been given yet. */
  private forSink: LogEntry[] = [];
  private stateDirty = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private live = false;
  /** When the batch in flight was posted, if one is. */
  private inFlightSince: number | undefined;
  private sink: EntrySink | undefined;
  private disposed = false;
  private readonly writer = new EntryBatchWriter();
  private readonly window = new TailWindow(undefined, MAX_BATCH_BYTES);

  /**
   * `postEntries` sends a batch to the webview; `postState` is called at most once per flush
   * after the state changed.
   */
  constructor(
    capacity: number,
    private readonly postEntries: (message: EntriesMessage) => void,
    private readonly postState: () => void,
    private readonly intervalMs = FLUSH_INTERVAL_MS,
  ) {
    this.log = MessageLog.compact(capacity);
  }

  /** Whether a webview is ready to take batches; while not, only the log (and sink) get entries. */
  setLive(live: boolean): void {
    this.live = live;
    this.inFlightSince = undefined;
    this.window.clear();
    if (!live) this.unsentFrom = this.log.upcomingId;
  }

  /**
   * The webview took in the last batch (or the whole log): the next one may go. `tail`: it
   * follows the newest entries, unfiltered and not paused, so a flood may reach it as a tail
   * window (see tailWindow.ts).
   */
  acknowledge(tail = false): void {
    this.inFlightSince = undefined;
    this.window.tail = tail;
    if (this.hasUnsent() || this.window.hasHole || this.stateDirty) this.schedule();
  }

  /** Every entry from now on also goes to `sink`, until `setSink(undefined)`. */
  setSink(sink: EntrySink | undefined): void {
    this.drainSink();
    this.sink = sink;
  }

  add(entry: Omit<LogEntry, 'id'>): LogEntry {
    const stored = this.log.append(entry);
    this.appended(stored);
    return stored;
  }

  /** A received text message as its UTF-8 bytes (see Session.setTextSink), stored as they are. */
  addReceivedText(time: number, utf8: Uint8Array): void {
    this.log.appendReceivedText(time, utf8);
    this.appended(undefined);
  }

  /** After an append: the recording gets the entry (built from the log when not given). */
  private appended(stored: LogEntry | undefined): void {
    if (this.sink) this.forSink.push(stored ?? (this.log.at(this.log.size - 1) as LogEntry));
    // Only what arrives while a webview is live is posted to it as a batch.
    if (!this.live) this.unsentFrom = this.log.upcomingId;
    if (this.sink || this.live) this.schedule();
  }

  markStateDirty(): void {
    this.stateDirty = true;
    this.schedule();
  }

  /** Empties the log; entries not yet posted are dropped with it (but still recorded). */
  clear(): void {
    this.drainSink();
    this.unsentFrom = this.log.upcomingId;
    this.window.clear();
    this.log.clear();
  }

  /**
   * The whole log for the webview, which is about to get it at once (init): nothing queued
   * for it is needed any more, and the next batch waits for its acknowledgement.
   */
  takeAll(): EntriesJson {
    this.unsentFrom = this.log.upcomingId;
    this.window.clear();
    this.stateDirty = false;
    this.inFlightSince = Date.now();
    this.log.writeSince(0, this.log.size, this.writer, PREVIEW_LIMIT, previewOf);
    return this.writer.finish();
  }

  private hasUnsent(): boolean {
    return this.unsentFrom < this.log.upcomingId;
  }

  private schedule(): void {
    if (this.timer || this.disposed) return;
    const interval = this.window.flooding ? Math.max(this.intervalMs, WINDOW_FLUSH_INTERVAL_MS) : this.intervalMs;
    this.timer = setTimeout(() => this.flush(), interval);
  }

  private drainSink(): void {
    if (this.sink && this.forSink.length > 0) this.sink.write(this.forSink);
    this.forSink = [];
  }

  /** Posts what was gathered now (also called by the timer). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.drainSink();
    if (!this.live) return;
    const waiting = this.inFlightSince !== undefined && Date.now() - this.inFlightSince < ACK_TIMEOUT_MS;
    if (this.hasUnsent() || this.window.hasHole) {
      if (waiting) {
        // Checked again shortly; the acknowledgement usually schedules the flush first.
        this.schedule();
      } else {
        this.postBatch();
      }
    }
    if (this.stateDirty) {
      this.stateDirty = false;
      this.postState();
    }
  }

  /** The next batch: new entries (or a tail window of them), and a page of the hole if one is due. */
  private postBatch(): void {
    const arrived = this.log.upcomingId - this.unsentFrom;
    const { from, skipped } = this.window.tailStart(this.unsentFrom, this.log.upcomingId);
    if (from < this.log.upcomingId) {
      const last = this.log.writeSince(from, MAX_BATCH, this.writer, PREVIEW_LIMIT, previewOf, MAX_BATCH_BYTES);
      // Everything from `from` on was written, or the batch stopped after `last`.
      this.unsentFrom = last > 0 ? last + 1 : this.log.upcomingId;
    }
    const message: EntriesMessage = { type: 'entries', entries: this.writer.finish(), evicted: this.log.evicted };
    if (skipped) message.window = true;
    const firstKept = this.log.idAt(0) ?? this.log.upcomingId;
    const fill = this.window.fillRange(firstKept, arrived);
    if (fill) {
      const last = fill.count > 0 ? this.log.writeSince(fill.from, fill.count, this.writer, PREVIEW_LIMIT, previewOf, fill.maxBytes) : 0;
      message.older = this.writer.finish();
      if (this.window.filled(fill, last)) message.olderDone = true;
    } else if (message.entries.starts.length === 0) {
      // Nothing new and no page due (cannot happen while the flood that left the hole goes on).
      return;
    }
    const notLoaded = this.window.notLoaded(firstKept);
    if (notLoaded > 0) message.notLoaded = notLoaded;
    this.postEntries(message);
    this.inFlightSince = Date.now();
  }

  dispose(): void {
    if (this.disposed) return;
    this.drainSink();
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
