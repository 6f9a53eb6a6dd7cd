/**
 * A plain message (a payload and nothing else) packs into four numbers and one string without
 * losing anything. The host's compact log keeps it so (MessageLog), and the entry transport
 * sends it so, as the tuple [id, time, flags, size, text] (entryTransport.ts); both read and
 * write the flags here, which is why this is a module of its own that neither of them owns.
 */
import type { LogEntry, Payload } from './protocol';

/** Bits of a plain message's flags; PACKED is always set, so 0 can mean "not packed". */
export const PACKED = 1;
export const SENT = 2;
export const BINARY_FRAME = 4;
export const BINARY_PAYLOAD = 8;
/** The flags of a sent text message. */
export const SENT_TEXT = PACKED | SENT;
/** The first bit the flags above leave free, for a store to mark slots of its own. */
export const FIRST_FREE_FLAG = 16;

export function isPlainMessage(entry: LogEntry): boolean {
  return entry.kind === 'message' && entry.direction !== 'none' && entry.frame !== undefined && entry.payload !== undefined &&
    entry.detail === undefined && entry.truncated === undefined && entry.event === undefined && entry.decoded === undefined &&
    entry.lens === undefined;
}

/** The direction, frame and payload kind of a plain message as bits. */
export function plainFlags(entry: LogEntry): number {
  return PACKED | (entry.direction === 'sent' ? SENT : 0) | (entry.frame === 'binary' ? BINARY_FRAME : 0) |
    (entry.payload?.kind === 'binary' ? BINARY_PAYLOAD : 0);
}

/** The payload text (or base64) of a plain message. */
export function plainValue(entry: LogEntry): string {
  const payload = entry.payload as Payload;
  return payload.kind === 'binary' ? payload.base64 : payload.text;
}

/** The plain message that `plainFlags` and `plainValue` describe. */
export function plainEntry(id: number, time: number, flags: number, size: number, value: string): LogEntry {
  return {
    time,
    kind: 'message',
    direction: flags & SENT ? 'sent' : 'received',
    frame: flags & BINARY_FRAME ? 'binary' : 'text',
    size,
    payload: flags & BINARY_PAYLOAD ? { kind: 'binary', base64: value } : { kind: 'text', text: value },
    id,
  };
}
