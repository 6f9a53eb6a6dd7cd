/**
 * How log entries cross from the host to the webview: the UTF-8 bytes of one JSON array in an
 * exact-length buffer (see EntriesJson in protocol.ts for why).
 */
import type { EntriesJson, LogEntry } from './protocol';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeEntries(entries: readonly LogEntry[]): EntriesJson {
  // TextEncoder gives a buffer of its own (a Node Buffer may be a view into a shared pool).
  return encoder.encode(JSON.stringify(entries));
}

/** Accepts the bytes as a view or as the ArrayBuffer itself, however the channel delivers them. */
export function decodeEntries(bytes: EntriesJson | ArrayBuffer): LogEntry[] {
  return JSON.parse(decoder.decode(bytes)) as LogEntry[];
}
