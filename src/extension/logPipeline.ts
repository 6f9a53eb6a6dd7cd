/**
 * The path every log entry takes on the host: into the connection's MessageLog, then, gathered
 * for ~50 ms, to the webview in one post and to the recording file in one write. One post per
 * message would flood the webview channel at tens of thousands of messages a second.
 *
 * Free of `vscode`: the benchmark runs it against a real flood without VS Code.
 */
import { MessageLog } from '../shared/messageLog';
import type { EntriesMessage, LogEntry } from '../shared/protocol';

/** How long entries are gathered before one post to the webview. */
export const FLUSH_INTERVAL_MS = 50;

/** Payloads longer than this (characters of text, bytes of binary) reach the webview as a preview. */
export const PREVIEW_LIMIT = 64 * 1024;

/** Where each flushed batch goes besides the webview (Record to file). */
export interface EntrySink {
  write(entries: readonly LogEntry[]): void;
}

/**
 * The entry as the webview gets it: large payloads cut to a preview marked `truncated`, so a
 * 16 MiB message costs the webview 64 KiB. The host keeps the whole entry for Open and Save.
 */
export function previewOf(entry: LogEntry): LogEntry {
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
  private pending: LogEntry[] = [];
  private stateDirty = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private live = false;
  private sink: EntrySink | undefined;
  private disposed = false;

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
    this.log = new MessageLog(capacity);
  }

  /** Whether a webview is ready to take batches; while not, only the log (and sink) get entries. */
  setLive(live: boolean): void {
    this.live = live;
    if (!live && !this.sink) this.pending = [];
  }

  /** Every entry from now on also goes to `sink`, until `setSink(undefined)`. */
  setSink(sink: EntrySink | undefined): void {
    if (this.sink && this.pending.length > 0) this.sink.write(this.pending);
    if (!this.live) this.pending = [];
    this.sink = sink;
  }

  add(entry: Omit<LogEntry, 'id'>): LogEntry {
    const stored = this.log.append(entry);
    if (this.live || this.sink) {
      this.pending.push(stored);
      this.schedule();
    }
    return stored;
  }

  markStateDirty(): void {
    this.stateDirty = true;
    this.schedule();
  }

  /** Empties the log; entries not yet posted are dropped with it (but still recorded). */
  clear(): void {
    if (this.sink && this.pending.length > 0) this.sink.write(this.pending);
    this.pending = [];
    this.log.clear();
  }

  /** Forgets what is queued for the webview: it is about to get the whole log at once. */
  discardPending(): void {
    if (this.sink && this.pending.length > 0) this.sink.write(this.pending);
    this.pending = [];
    this.stateDirty = false;
  }

  /** Entries as the webview gets them (previews of large payloads). */
  entriesForWebview(): LogEntry[] {
    return this.log.entries().map(previewOf);
  }

  private schedule(): void {
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Posts what was gathered now (also called by the timer). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length > 0) {
      const entries = this.pending;
      this.pending = [];
      this.sink?.write(entries);
      if (this.live) this.postEntries({ type: 'entries', entries: entries.map(previewOf), evicted: this.log.evicted });
    }
    if (this.stateDirty) {
      this.stateDirty = false;
      if (this.live) this.postState();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.flush();
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
