/**
 * The log of a running mock: one bounded MessageLog for all its clients (the merged view) and,
 * beside it, which client each kept entry belongs to, so the per-client view is a filter over
 * the same bounded memory. A flooding client costs what a flooding server costs a client session:
 * the log's capacity, however long it goes on.
 */
import { DEFAULT_LOG_CAPACITY, MessageLog } from '../../shared/messageLog';
import type { LogEntry } from '../../shared/protocol';

export type MockEntryListener = (entry: LogEntry, clientId: string) => void;

export class MockLog {
  readonly messages: MessageLog;
  /** The client number of the entry with id `id`, at `(id - 1) % capacity`; 0 for the mock itself. */
  private readonly owners: Uint32Array;
  private listeners: MockEntryListener[] = [];

  constructor(capacity: number = DEFAULT_LOG_CAPACITY) {
    this.messages = MessageLog.compact(capacity);
    this.owners = new Uint32Array(capacity);
  }

  /** Whether anyone listens: the flood path skips building what nobody reads. */
  get observed(): boolean {
    return this.listeners.length > 0;
  }

  /** Takes `entry` as its own (see MessageLog.append) and reports it to the listeners. */
  append(client: number, entry: Omit<LogEntry, 'id'>): LogEntry {
    const logged = this.messages.append(entry);
    this.owners[(logged.id - 1) % this.owners.length] = client;
    if (this.listeners.length > 0) this.fire(logged, client);
    return logged;
  }

  /** A received text message as its UTF-8 bytes: no string and no entry object while nobody listens. Returns its id. */
  appendReceivedText(client: number, time: number, utf8: Uint8Array): number {
    const id = this.messages.upcomingId;
    this.messages.appendReceivedText(time, utf8);
    this.owners[(id - 1) % this.owners.length] = client;
    if (this.listeners.length > 0) {
      const entry = this.messages.get(id);
      if (entry) this.fire(entry, client);
    }
    return id;
  }

  /** A text message sent as these UTF-8 bytes, kept as the received ones are. Returns its id. */
  appendSentText(client: number, time: number, utf8: Uint8Array): number {
    const id = this.messages.upcomingId;
    this.messages.appendSentText(time, utf8);
    this.owners[(id - 1) % this.owners.length] = client;
    if (this.listeners.length > 0) {
      const entry = this.messages.get(id);
      if (entry) this.fire(entry, client);
    }
    return id;
  }

  /** The client id ('' for the mock itself) of a kept entry, or undefined once it has been dropped. */
  clientOf(id: number): string | undefined {
    // Every id of this log came from append, so the kept ones are one contiguous run.
    const next = this.messages.upcomingId;
    if (id >= next || id < next - this.messages.size) return undefined;
    const client = this.owners[(id - 1) % this.owners.length];
    return client === 0 ? '' : String(client);
  }

  /** The kept entries of one client, oldest first. */
  entriesOf(clientId: string): LogEntry[] {
    const out: LogEntry[] = [];
    this.messages.scan(0, (entry) => {
      if (this.clientOf(entry.id) === clientId) out.push(entry);
    });
    return out;
  }

  /** Every entry from now on, with its client; a listener that throws does not stop the others. */
  onEntry(listener: MockEntryListener): { dispose(): void } {
    const wrapped: MockEntryListener = (entry, client) => listener(entry, client);
    this.listeners = [...this.listeners, wrapped];
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== wrapped)) };
  }

  dispose(): void {
    this.listeners = [];
  }

  private fire(entry: LogEntry, client: number): void {
    const clientId = client === 0 ? '' : String(client);
    for (const listener of this.listeners) {
      try {
        listener(entry, clientId);
      } catch (error) {
        console.error(error);
      }
    }
  }
}
