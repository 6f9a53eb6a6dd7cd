/**
 * Search and filter for the message log: free text or a regular expression, direction, frame
 * type and (for Socket.IO entries) the event name. Pure, so it runs the same in the webview and
 * in unit tests, and fast enough to re-filter a full log (100,000 entries) on every keystroke.
 */
import { BINARY_FRAME, BINARY_PAYLOAD, SENT } from './plainMessage';
import { l10n } from './l10n';
import type { LogEntry } from './protocol';

export type DirectionFilter = 'any' | 'sent' | 'received';
/** Frame types as the log shows them; 'control' is ping and pong, 'lifecycle' open/close/error/info. */
export type FrameFilter = 'any' | 'text' | 'binary' | 'control' | 'lifecycle';

export interface LogFilterSpec {
  text: string;
  regex: boolean;
  direction: DirectionFilter;
  frame: FrameFilter;
  /** Matches the event name of entries that carry one (Socket.IO); empty means any. */
  event: string;
}

export const NO_FILTER: LogFilterSpec = { text: '', regex: false, direction: 'any', frame: 'any', event: '' };


/** [start, end) character ranges of matches, for highlighting. */
export type MatchRange = readonly [start: number, end: number];

export interface CompiledFilter {
  /** False when every entry passes: callers can skip filtering altogether. */
  readonly active: boolean;
  test(entry: LogEntry): boolean;
  /**
   * For entries kept as the JSON bytes of their batch (the webview's log): the sorted offsets in
   * `json` where the plain-text criterion may match, so that an entry whose bytes hold none of
   * them is passed over unparsed; undefined when the bytes cannot tell (see textCandidates).
   * `keep`: the batch is searched again at the next filter (the whole log's pass), so its text is
   * kept a while (see batchText); a batch looked at once as it arrives passes false.
   */
  candidates(json: Uint8Array, keep?: boolean): number[] | undefined;
  /**
   * Whether the entry `json[start..end)` of a batch matches, `offsets[next]` being the first
   * candidate in it: decided from the bytes of a plain message's tuple, else undefined (parse it).
   */
  decide(json: Uint8Array, start: number, end: number, offsets: readonly number[], next: number): boolean | undefined;
  /** Where the text criterion matches `text` (empty without a text criterion). */
  ranges(text: string): MatchRange[];
}

export type FilterResult = { ok: true; filter: CompiledFilter } | { ok: false; error: string };

/** Stops highlighting after this many matches in one text; a row shows a preview anyway. */
const MAX_RANGES = 1000;

/**
 * Filter text that starts with this searches only what a protocol lens read (its summary and
 * field values): `lens:PUBLISH`; `lens:` alone keeps every entry a lens read.
 */
export const LENS_PREFIX = 'lens:';

/**
 * The text an entry is searched in: a text payload, the detail words, a binary message's decoded
 * JSON, the event name and a lens summary.
 */
export function searchableText(entry: LogEntry): string {
  const parts: string[] = [];
  if (entry.payload?.kind === 'text') parts.push(entry.payload.text);
  if (entry.detail) parts.push(entry.detail);
  if (entry.decoded?.json !== undefined) parts.push(entry.decoded.json);
  if (entry.lens) parts.push(entry.lens.summary);
  if (entry.event) {
    parts.push(entry.event.name);
    for (const arg of entry.event.args) if (arg.kind === 'text') parts.push(arg.text);
  }
  return parts.join('\n');
}

/** The frame type an entry counts as for the filter's Frame type (Filter to similar picks it). */
export function frameOf(entry: LogEntry): FrameFilter {
  if (entry.kind === 'ping' || entry.kind === 'pong') return 'control';
  if (entry.kind === 'message') return entry.frame ?? 'text';
  // Socket.IO events and acks are messages too: binary when an argument is.
  if (entry.event) return entry.event.args.some((arg) => arg.kind === 'binary') ? 'binary' : 'text';
  return 'lifecycle';
}

/** One byte per character, so that a character's index in the decoded text is its byte's offset. */
const singleByte = new TextDecoder('latin1');
const NOT_ASCII = /[^\x00-\x7f]/;

/**
 * A batch's bytes as one-byte text, kept while the user is filtering: typing a filter filters the
 * whole log again at each key, and over a million entries decoding every batch is about half of a
 * pass. The texts double the log's memory, so they are dropped TEXT_KEEP_MS after the last
 * filter; a batch the log evicts goes with its key (a WeakMap).
 */
let batchTexts = new WeakMap<Uint8Array, string>();
/** Whether a batch holds a byte outside ASCII (small: kept as long as the batch). */
const batchNotAscii = new WeakMap<Uint8Array, boolean>();
export const TEXT_KEEP_MS = 15_000;
let textsInUse = false;
let dropTexts: ReturnType<typeof setTimeout> | undefined;

function batchText(json: Uint8Array): string {
  let text = batchTexts.get(json);
  if (text === undefined) {
    text = singleByte.decode(json);
    batchTexts.set(json, text);
  }
  if (!textsInUse) {
    textsInUse = true;
    // Checked once per filter pass, not per batch: the timer starts with the pass's first batch.
    queueMicrotask(() => {
      textsInUse = false;
      if (dropTexts !== undefined) clearTimeout(dropTexts);
      dropTexts = setTimeout(forgetBatchTexts, TEXT_KEEP_MS);
      // Never keeps a Node process (the CLI, a test) alive for the cache's sake.
      (dropTexts as { unref?: () => void }).unref?.();
    });
  }
  return text;
}

/** Drops the kept batch texts (after TEXT_KEEP_MS without a filter, and for tests). */
export function forgetBatchTexts(): void {
  if (dropTexts !== undefined) clearTimeout(dropTexts);
  dropTexts = undefined;
  // A WeakMap cannot be emptied; a new one lets the old one and its texts be collected.
  batchTexts = new WeakMap();
}

function notAscii(json: Uint8Array, text: string): boolean {
  let found = batchNotAscii.get(json);
  if (found === undefined) {
    found = NOT_ASCII.test(text);
    batchNotAscii.set(json, found);
  }
  return found;
}

/**
 * Where `text` (a plain-text criterion) may occur in a batch's JSON. JSON escapes each character
 * on its own, so an entry whose text holds `text` holds its escaped form, which is searched for
 * in the bytes, ASCII letters case-insensitively (a regular expression without the `u` flag folds
 * no other byte onto an ASCII letter). Undefined when that cannot tell: a criterion that is not
 * ASCII; or one with a k or an s (which case-insensitive matching also finds as the Kelvin sign
 * and the long s) in a batch with any non-ASCII byte. False positives are tested in full.
 */
function textCandidates(text: string): ((json: Uint8Array, keep: boolean) => number[] | undefined) | undefined {
  if (NOT_ASCII.test(text)) return undefined;
  const escaped = JSON.stringify(text).slice(1, -1);
  const search = new RegExp(escaped.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  const folds = /[ks]/i.test(text);
  return (json, keep) => {
    const bytes = keep ? batchText(json) : (batchTexts.get(json) ?? singleByte.decode(json));
    if (folds && notAscii(json, bytes)) return undefined;
    const out: number[] = [];
    search.lastIndex = 0;
    // test, not exec: no match object per occurrence (a million of them for a filter every entry
    // passes). Every match is as long as `escaped`: without the u flag no other character folds
    // onto an ASCII one.
    while (search.test(bytes)) {
      const at = search.lastIndex - escaped.length;
      out.push(at);
      search.lastIndex = at + 1;
    }
    return out;
  };
}

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const COMMA = 0x2c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const LETTER_U = 0x75;

/** How many backslashes end just before `at`, not looking before `from`. */
function backslashesBefore(json: Uint8Array, from: number, at: number): number {
  let run = 0;
  while (at - run - 1 >= from && json[at - run - 1] === BACKSLASH) run++;
  return run;
}

/**
 * Whether `at` is where a JSON token of the string starting at `from` begins (or the string
 * ends): not inside an escape (\n, \u001f). Decided from the few bytes before `at`, not by
 * walking the string from its start: a filter that matches every entry of a million asks this
 * twice per entry.
 */
function onTokenBoundary(json: Uint8Array, from: number, at: number): boolean {
  // An odd run of backslashes just before: `at` is the letter of an escape.
  if (backslashesBefore(json, from, at) % 2 === 1) return false;
  // Inside \uXXXX: its backslash (an escaping one) is 2 to 5 bytes back.
  for (let back = 2; back <= 5; back++) {
    const q = at - back;
    if (q < from) break;
    if (json[q] === BACKSLASH && json[q + 1] === LETTER_U && backslashesBefore(json, from, q) % 2 === 0) return false;
  }
  return true;
}

/**
 * Decides a plain message (the tuple [id, time, flags, size, "text"] of entryTransport.ts) from
 * its bytes: direction and frame from its flags; the text criterion (of `escapedLength` bytes as
 * JSON escapes it) by a candidate that starts and ends on the boundaries of the text's escapes,
 * which is exactly where an occurrence in the text itself lies. Anything else is undefined.
 */
function plainDecider(escapedLength: number, direction: DirectionFilter, frame: FrameFilter, eventNeedle: string): CompiledFilter['decide'] {
  return (json, start, end, offsets, next) => {
    if (json[start] !== OPEN || json[end - 1] !== CLOSE || json[end - 2] !== QUOTE) return undefined;
    // Numbers only before the text: its quote follows the fourth comma.
    let at = start + 1;
    let commas = 0;
    let flags = 0;
    for (; at < end && commas < 4; at++) {
      const byte = json[at] as number;
      if (byte === COMMA) commas++;
      else if (commas === 2) flags = flags * 10 + byte - 0x30;
    }
    if (commas < 4 || json[at] !== QUOTE) return undefined;
    if (direction !== 'any' && (direction === 'sent') !== ((flags & SENT) !== 0)) return false;
    if (frame !== 'any' && frame !== (flags & BINARY_FRAME ? 'binary' : 'text')) return false;
    // A plain message has no event name, and base64 is not searched.
    if (eventNeedle !== '' || flags & BINARY_PAYLOAD) return false;
    const textStart = at + 1;
    const textEnd = end - 2;
    for (let k = next; k < offsets.length; k++) {
      const offset = offsets[k] as number;
      if (offset + escapedLength > textEnd) break;
      if (offset < textStart) continue;
      if (onTokenBoundary(json, textStart, offset) && onTokenBoundary(json, textStart, offset + escapedLength)) return true;
    }
    return false;
  };
}

/** Compiles a filter; a regular expression that does not parse is an error in words. */
export function compileFilter(spec: LogFilterSpec): FilterResult {
  let pattern: RegExp | undefined;
  let needle: string | undefined;
  const lensOnly = spec.text.slice(0, LENS_PREFIX.length).toLowerCase() === LENS_PREFIX;
  const text = lensOnly ? spec.text.slice(LENS_PREFIX.length) : spec.text;
  if (text !== '') {
    if (spec.regex) {
      try {
        pattern = new RegExp(text, 'iu');
      } catch (error) {
        return { ok: false, error: l10n.t('Not a valid regular expression: {0}', error instanceof Error ? error.message : String(error)) };
      }
    } else {
      needle = text.toLowerCase();
      // Plain text is searched with an escaped, case-insensitive pattern: no lower-cased copy
      // of every entry, which is what makes a 100,000-entry filter fast.
      pattern = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu');
    }
  }
  const eventNeedle = spec.event.trim().toLowerCase();
  const { direction, frame } = spec;
  const active = lensOnly || pattern !== undefined || needle !== undefined || eventNeedle !== '' || direction !== 'any' || frame !== 'any';

  const test = (entry: LogEntry): boolean => {
    if (direction !== 'any' && entry.direction !== direction) return false;
    if (frame !== 'any' && frameOf(entry) !== frame) return false;
    if (eventNeedle !== '') {
      const event = entry.event?.name;
      if (event === undefined || !event.toLowerCase().includes(eventNeedle)) return false;
    }
    if (lensOnly) {
      const lens = entry.lens;
      if (lens === undefined) return false;
      return pattern === undefined || pattern.test(lens.summary) || lens.fields.some(([, value]) => pattern.test(value));
    }
    if (pattern === undefined) return true;
    if (needle !== undefined) {
      // A literal cannot span the joins of searchableText, so each part is tested on its own.
      const payload = entry.payload;
      if (payload?.kind === 'text' && pattern.test(payload.text)) return true;
      if (entry.detail !== undefined && pattern.test(entry.detail)) return true;
      const decoded = entry.decoded?.json;
      if (decoded !== undefined && pattern.test(decoded)) return true;
      if (entry.lens !== undefined && pattern.test(entry.lens.summary)) return true;
      const event = entry.event;
      if (event === undefined) return false;
      return pattern.test(event.name) || event.args.some((arg) => arg.kind === 'text' && pattern.test(arg.text));
    }
    return pattern.test(searchableText(entry));
  };

  const ranges = (text: string): MatchRange[] => {
    const out: MatchRange[] = [];
    if (needle !== undefined) {
      const haystack = text.toLowerCase();
      // Lower-casing can change lengths for a few characters; then highlighting is skipped.
      if (haystack.length !== text.length) return out;
      for (let at = haystack.indexOf(needle); at !== -1 && out.length < MAX_RANGES; at = haystack.indexOf(needle, at + needle.length)) {
        out.push([at, at + needle.length]);
      }
    } else if (pattern !== undefined) {
      const global = new RegExp(pattern.source, 'giu');
      for (let match = global.exec(text); match !== null && out.length < MAX_RANGES; match = global.exec(text)) {
        if (match[0].length === 0) {
          global.lastIndex += 1;
          continue;
        }
        out.push([match.index, match.index + match[0].length]);
      }
    }
    return out;
  };

  const byText = needle !== undefined ? textCandidates(spec.text) : undefined;
  const candidates = (json: Uint8Array, keep = false): number[] | undefined => byText?.(json, keep);
  // Only with candidates (an ASCII text criterion) is `decide` asked.
  const decide = byText ? plainDecider(JSON.stringify(spec.text).length - 2, direction, frame, eventNeedle) : () => undefined;

  return { ok: true, filter: { active, test, ranges, candidates, decide } };
}
