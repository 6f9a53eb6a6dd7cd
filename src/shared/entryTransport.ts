/**
 * How log entries cross from the host to the webview: the UTF-8 bytes of one JSON array in an
 * exact-length buffer (see EntriesJson in protocol.ts for why). A plain message crosses as the
 * tuple [id, time, flags, size, text] instead of an object with its field names: about half the
 * bytes for a typical flood, which is what the host, VS Code's channel and the workbench each
 * copy and hold while a batch is on its way.
 */
import { isPlainMessage, plainEntry, plainFlags, plainValue } from './messageLog';
import type { EntriesJson, LogEntry } from './protocol';

type PlainTuple = [id: number, time: number, flags: number, size: number, value: string];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeEntries(entries: readonly LogEntry[]): EntriesJson {
  // TextEncoder gives a buffer of its own (a Node Buffer may be a view into a shared pool).
  return encoder.encode(JSON.stringify(entries.map((e) => (isPlainMessage(e) ? [e.id, e.time, plainFlags(e), e.size, plainValue(e)] : e))));
}

/** Accepts the bytes as a view or as the ArrayBuffer itself, however the channel delivers them. */
export function decodeEntries(bytes: EntriesJson | ArrayBuffer): LogEntry[] {
  const items = JSON.parse(decoder.decode(bytes)) as (LogEntry | PlainTuple)[];
  return items.map((item) => (Array.isArray(item) ? plainEntry(...item) : item));
}
