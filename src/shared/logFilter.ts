/**
 * Search and filter for the message log: free text or a regular expression, direction, frame
 * type and (for Socket.IO entries) the event name. Pure, so it runs the same in the webview and
 * in unit tests, and fast enough to re-filter a full log (100,000 entries) on every keystroke.
 */
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

function frameOf(entry: LogEntry): FrameFilter {
  if (entry.kind === 'ping' || entry.kind === 'pong') return 'control';
  if (entry.kind === 'message') return entry.frame ?? 'text';
  // Socket.IO events and acks are messages too: binary when an argument is.
  if (entry.event) return entry.event.args.some((arg) => arg.kind === 'binary') ? 'binary' : 'text';
  return 'lifecycle';
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
        return { ok: false, error: `Not a valid regular expression: ${error instanceof Error ? error.message : String(error)}` };
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

  return { ok: true, filter: { active, test, ranges } };
}
