/**
 * The message log of one connection: a fixed-capacity ring buffer, so a chatty server costs
 * bounded memory and every append is O(1) however full the log is. The host's log assigns ids;
 * the webview keeps a mirror of it with the same capacity (`push` keeps the host's ids).
 */
import type { LogEntry } from './protocol';

/** Enough for a long session while keeping memory bounded; older entries are dropped first. */
export const DEFAULT_LOG_CAPACITY = 100_000;

export class MessageLog {
  private readonly slots: (LogEntry | undefined)[] = [];
  /** Index of the oldest entry in `slots`. */
  private head = 0;
  private count = 0;
  private nextId = 1;
  private dropped = 0;

  constructor(readonly capacity: number = DEFAULT_LOG_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Log capacity must be a positive whole number, got ${capacity}`);
    }
  }

  /**
   * Adds an entry with the next id; when full, the oldest entry is dropped and counted. The log
   * takes the object as its own and sets its id (no copy: at tens of thousands of entries a
   * second, copying every entry costs more than everything else the log does).
   */
  append(entry: Omit<LogEntry, 'id'>): LogEntry {
    const logged = entry as LogEntry;
    logged.id = this.nextId;
    this.push(logged);
    return logged;
  }

  /**
   * Adds an entry that already has its id (a mirror of another log). Ids must increase; the
   * next `append` continues after it.
   */
  push(entry: LogEntry): void {
    this.nextId = entry.id + 1;
    if (this.count < this.capacity) {
      this.slots[(this.head + this.count) % this.capacity] = entry;
      this.count++;
    } else {
      this.slots[this.head] = entry;
      this.head = (this.head + 1) % this.capacity;
      this.dropped++;
    }
  }

  get size(): number {
    return this.count;
  }

  /** How many entries were dropped to make room since the log was created or last cleared. */
  get evicted(): number {
    return this.dropped;
  }

  /** The entry at `index` (0 is the oldest kept), or undefined outside the log. */
  at(index: number): LogEntry | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.slots[(this.head + index) % this.capacity];
  }

  /** The entry with this id, if it is still kept. Ids of kept entries increase, so this is a search. */
  get(id: number): LogEntry | undefined {
    let low = 0;
    let high = this.count - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const entry = this.at(mid) as LogEntry;
      if (entry.id === id) return entry;
      if (entry.id < id) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }

  /** A copy of the entries, oldest first. */
  entries(): LogEntry[] {
    const out = new Array<LogEntry>(this.count);
    for (let i = 0; i < this.count; i++) {
      out[i] = this.slots[(this.head + i) % this.capacity] as LogEntry;
    }
    return out;
  }

  /** Empties the log. Ids keep increasing, so the webview never confuses old and new rows. */
  clear(): void {
    this.slots.length = 0;
    this.head = 0;
    this.count = 0;
    this.dropped = 0;
  }
}
