/**
 * The message log of one connection: a fixed-capacity ring buffer, so a chatty server costs
 * bounded memory and every append is O(1) however full the log is.
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

  constructor(private readonly capacity: number = DEFAULT_LOG_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Log capacity must be a positive whole number, got ${capacity}`);
    }
  }

  /** Adds an entry with the next id; when full, the oldest entry is dropped and counted. */
  append(entry: Omit<LogEntry, 'id'>): LogEntry {
    const logged: LogEntry = { ...entry, id: this.nextId++ };
    if (this.count < this.capacity) {
      this.slots[(this.head + this.count) % this.capacity] = logged;
      this.count++;
    } else {
      this.slots[this.head] = logged;
      this.head = (this.head + 1) % this.capacity;
      this.dropped++;
    }
    return logged;
  }

  get size(): number {
    return this.count;
  }

  /** How many entries were dropped to make room since the log was created or last cleared. */
  get evicted(): number {
    return this.dropped;
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
