/**
 * What Copy and Copy as JSON put on the clipboard for log entries the user selected. Copy gives
 * what a person pastes into a chat or a bug: each message's text (binary as a hex dump, a decoded
 * message as its decoded JSON, a lifecycle entry as its words), one entry after another. Copy as
 * JSON gives a JSON array (one object per entry, even for one) a program can read back, with the
 * exact payload (binary in base64). Pure; the host runs it over its own full entries (the webview may hold only previews).
 */
import { decodeBase64, formatHex } from './codecs';
import type { LogEntry, Payload } from './protocol';

export type CopyFormat = 'text' | 'json';

function payloadText(payload: Payload): string {
  return payload.kind === 'text' ? payload.text : formatHex(decodeBase64(payload.base64));
}

/** One entry as a person reads it. */
export function entryText(entry: LogEntry): string {
  if (entry.decoded?.json !== undefined) return entry.decoded.json;
  if (entry.event) return [entry.event.name, ...entry.event.args.map(payloadText)].join('\n');
  if (entry.payload) return payloadText(entry.payload);
  return entry.detail ?? entry.kind;
}

/** One entry as a plain JSON object: when, which way, what, and the payload as it was. */
export function entryRecord(entry: LogEntry): Record<string, unknown> {
  const record: Record<string, unknown> = {
    id: entry.id,
    time: new Date(entry.time).toISOString(),
    direction: entry.direction,
    kind: entry.kind,
  };
  if (entry.frame) record.frame = entry.frame;
  record.size = entry.size;
  if (entry.payload) record[entry.payload.kind === 'text' ? 'text' : 'base64'] = entry.payload.kind === 'text' ? entry.payload.text : entry.payload.base64;
  if (entry.detail) record.detail = entry.detail;
  if (entry.event) record.event = { name: entry.event.name, args: entry.event.args.map((arg) => (arg.kind === 'text' ? { text: arg.text } : { base64: arg.base64 })) };
  if (entry.decoded) {
    let value: unknown;
    try {
      value = entry.decoded.json === undefined ? undefined : (JSON.parse(entry.decoded.json) as unknown);
    } catch {
      value = entry.decoded.json;
    }
    record.decoded = value === undefined ? { as: entry.decoded.as, error: entry.decoded.error } : { as: entry.decoded.as, value };
  }
  if (entry.lens) record.lens = { lens: entry.lens.lens, summary: entry.lens.summary, fields: Object.fromEntries(entry.lens.fields) };
  if (entry.truncated) record.truncated = true;
  return record;
}

/** The clipboard text for `entries` (oldest first) in `format`. */
export function clipboardText(entries: readonly LogEntry[], format: CopyFormat): string {
  if (format === 'json') return `${JSON.stringify(entries.map(entryRecord), null, 2)}\n`;
  return entries.map(entryText).join('\n');
}
