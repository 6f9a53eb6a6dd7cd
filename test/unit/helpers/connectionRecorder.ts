/** Records what a connection reports and lets a test wait until something has happened. */
import type { AnySession, ConnectionEntry } from '../../../src/core/session';
import type { ConnectionState, EntryKind } from '../../../src/shared/protocol';

export class ConnectionRecorder {
  readonly entries: ConnectionEntry[] = [];
  readonly states: ConnectionState[] = [];

  constructor(connection: Pick<AnySession, 'onEntry' | 'onStateChange'>) {
    connection.onEntry((entry) => this.entries.push(entry));
    connection.onStateChange((state) => this.states.push(state));
  }

  ofKind(kind: EntryKind): ConnectionEntry[] {
    return this.entries.filter((entry) => entry.kind === kind);
  }

  /** Waits for the first entry matching `predicate`, failing with the log so far after `timeoutMs`. */
  async entry(predicate: (entry: ConnectionEntry) => boolean, timeoutMs = 3000): Promise<ConnectionEntry> {
    await waitUntil(() => this.entries.some(predicate), () => `no matching entry in ${this.describe()}`, timeoutMs);
    return this.entries.find(predicate)!;
  }

  kind(kind: EntryKind, timeoutMs?: number): Promise<ConnectionEntry> {
    return this.entry((entry) => entry.kind === kind, timeoutMs);
  }

  describe(): string {
    return JSON.stringify(this.entries.map(({ kind, direction, detail, payload }) => ({ kind, direction, detail, payload })));
  }
}

/** Polls `condition` until it holds. */
export async function waitUntil(condition: () => boolean, explain: () => string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms: ${explain()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
