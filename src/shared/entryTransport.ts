/**
 * How log entries cross from the host to the webview: the UTF-8 bytes of one JSON array in an
 * exact-length buffer (see EntriesJson in protocol.ts for why). A plain message crosses as the
 * tuple [id, time, flags, size, text] instead of an object with its field names: about half the
 * bytes for a typical flood, which is what the host, VS Code's channel and the workbench each
 * copy and hold while a batch is on its way.
 *
 * The host's log keeps a plain message's text as UTF-8 already (see TextArena), so a batch is
 * written straight from those bytes into one reused buffer: no entry objects, strings or JSON
 * text are built for a flood's messages, which is garbage the extension host would otherwise
 * make (and grow its heap for) at the rate of the wire.
 *
 * The batch says where each entry starts in its JSON, so the webview keeps the bytes and parses
 * an entry only when it draws or filters it: during a flood it draws a few dozen rows of the
 * thousands that arrive.
 */
import { isPlainMessage, plainEntry, plainFlags, plainValue } from './plainMessage';
import type { EntriesJson, LogEntry } from './protocol';

type PlainTuple = [id: number, time: number, flags: number, size: number, value: string];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const ZERO = 0x30;
/** By byte: the letter after the backslash where JSON.stringify escapes in short, else 0. */
const SHORT_ESCAPES = new Uint8Array(0x80);
for (const [byte, letter] of [[0x08, 'b'], [0x09, 't'], [0x0a, 'n'], [0x0c, 'f'], [0x0d, 'r'], [QUOTE, '"'], [BACKSLASH, '\\']] as const) {
  SHORT_ESCAPES[byte] = letter.charCodeAt(0);
}
const HEX = new TextEncoder().encode('0123456789abcdef');

/** Builds one batch: `plainBytes` and `entry` in order, then `finish`. Reusable after `finish`. */
export class EntryBatchWriter {
  private bytes = new Uint8Array(64 * 1024);
  private length = 0;
  private count = 0;
  /** Where each entry written since the last `finish` starts in `bytes`. */
  private starts = new Uint32Array(1024);
  private firstId = 0;
  /** The last large number (a time) written, and its digits. */
  private lastValue = -1;
  private readonly lastDigits = new Uint8Array(16);
  private lastCount = 0;

  /** Entries written since the last `finish`. */
  get size(): number {
    return this.count;
  }

  /** Bytes written since the last `finish`. */
  get byteLength(): number {
    return this.length;
  }

  /**
   * A plain message whose text is `source[from..to)` as UTF-8, escaped for JSON as
   * JSON.stringify escapes it. Returns false, writing nothing, when a number is not a whole one
   * that can be written digit by digit: give the entry to `entry` instead.
   */
  plainBytes(id: number, time: number, flags: number, size: number, source: Uint8Array, from: number, to: number): boolean {
    if (!isWholeNumber(id) || !isWholeNumber(time) || !isWholeNumber(size)) return false;
    // An escaped byte takes at most 6 (\u001f); numbers at most 16 digits each (flags fewer);
    // four of them, the brackets, commas and quotes: 80.
    this.reserve((to - from) * 6 + 80);
    this.separator(id);
    this.byte(OPEN);
    this.digits(id);
    this.byte(COMMA);
    this.digits(time);
    this.byte(COMMA);
    this.digits(flags);
    this.byte(COMMA);
    this.digits(size);
    this.byte(COMMA);
    this.byte(QUOTE);
    const out = this.bytes;
    let at = this.length;
    for (let i = from; i < to; i++) {
      const b = source[i] as number;
      if (b >= 0x20 && b !== QUOTE && b !== BACKSLASH) {
        out[at++] = b;
        continue;
      }
      out[at++] = BACKSLASH;
      const short = SHORT_ESCAPES[b] as number;
      if (short !== 0) {
        out[at++] = short;
      } else {
        // \u00XX, as JSON.stringify writes the other control characters.
        out[at++] = 0x75;
        out[at++] = ZERO;
        out[at++] = ZERO;
        out[at++] = HEX[b >> 4] as number;
        out[at++] = HEX[b & 15] as number;
      }
    }
    this.length = at;
    this.byte(QUOTE);
    this.byte(CLOSE);
    this.count++;
    return true;
  }

  /** Any entry (a plain message as its tuple). */
  entry(entry: LogEntry): void {
    const json = JSON.stringify(isPlainMessage(entry) ? [entry.id, entry.time, plainFlags(entry), entry.size, plainValue(entry)] : entry);
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.reserve(json.length * 3 + 1);
    this.separator(entry.id);
    this.length += encoder.encodeInto(json, this.bytes.subarray(this.length)).written;
    this.count++;
  }

  /**
   * The batch, in buffers of its own of exact length; the writer starts a new batch. The ids of
   * a batch's entries are consecutive (the log's are), so `firstId` names them all.
   */
  finish(): EntriesJson {
    this.reserve(2);
    if (this.count === 0) this.byte(OPEN);
    this.byte(CLOSE);
    const batch: EntriesJson = { json: this.bytes.slice(0, this.length), starts: this.starts.slice(0, this.count), firstId: this.firstId };
    this.length = 0;
    this.count = 0;
    this.firstId = 0;
    // A batch that was once huge (a 16 MiB message) does not keep its buffer.
    if (this.bytes.length > 4 * 1024 * 1024) this.bytes = new Uint8Array(64 * 1024);
    return batch;
  }

  /** Opens the array or separates the next entry, and notes where that entry starts. */
  private separator(id: number): void {
    this.byte(this.count === 0 ? OPEN : COMMA);
    if (this.count === 0) this.firstId = id;
    if (this.count === this.starts.length) {
      const grown = new Uint32Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.count] = this.length;
  }

  private byte(value: number): void {
    this.bytes[this.length++] = value;
  }

  /**
   * A whole number's decimal digits (exact: only remainders and exact divisions by 10). Entries
   * of a flood share their millisecond by the dozen, so the digits of the last time written are
   * kept and copied.
   */
  private digits(value: number): void {
    const out = this.bytes;
    if (value === this.lastValue) {
      const kept = this.lastDigits;
      for (let i = 0; i < this.lastCount; i++) out[this.length++] = kept[i] as number;
      return;
    }
    if (value <= 0x7fffffff) {
      // Small whole numbers (ids, sizes, flags): integer arithmetic.
      let count = 1;
      for (let rest = value; rest >= 10; rest = (rest / 10) | 0) count++;
      let at = this.length + count - 1;
      for (let rest = value; at >= this.length; at--) {
        const next = (rest / 10) | 0;
        out[at] = ZERO + rest - next * 10;
        rest = next;
      }
      this.length += count;
      return;
    }
    let count = 1;
    for (let rest = value; rest >= 10; rest = (rest - (rest % 10)) / 10) count++;
    const kept = this.lastDigits;
    for (let rest = value, i = count - 1; i >= 0; i--) {
      const digit = rest % 10;
      kept[i] = ZERO + digit;
      rest = (rest - digit) / 10;
    }
    for (let i = 0; i < count; i++) out[this.length++] = kept[i] as number;
    this.lastCount = count;
    this.lastValue = value;
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}

/** Whole numbers from 0 to 2^53 - 1 are written digit by digit; anything else goes through JSON. */
function isWholeNumber(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

export function encodeEntries(entries: readonly LogEntry[]): EntriesJson {
  const writer = new EntryBatchWriter();
  for (const entry of entries) writer.entry(entry);
  return writer.finish();
}

/** Every entry of a batch's JSON, parsed at once. Accepts the bytes as a view or as the ArrayBuffer itself. */
export function decodeEntries(json: Uint8Array | ArrayBuffer): LogEntry[] {
  const items = JSON.parse(decoder.decode(json)) as (LogEntry | PlainTuple)[];
  return items.map((item) => (Array.isArray(item) ? plainEntry(...item) : item));
}

/** Where entry `index` of a batch ends in its JSON (exclusive): at the next comma, or the closing bracket. */
export function entryEnd(batch: EntriesJson, index: number): number {
  return index + 1 < batch.starts.length ? (batch.starts[index + 1] as number) - 1 : batch.json.length - 1;
}

/** One entry of a batch's JSON, parsed from `json[start..end)` alone (see EntriesJson.starts). */
export function decodeEntryAt(json: Uint8Array, start: number, end: number): LogEntry {
  const item = JSON.parse(decoder.decode(json.subarray(start, end))) as LogEntry | PlainTuple;
  return Array.isArray(item) ? plainEntry(...item) : item;
}

/** Parses batches for a log that keeps them encoded (MessageLog's decoder). */
export const ENTRY_DECODER = { one: decodeEntryAt, all: decodeEntries };
