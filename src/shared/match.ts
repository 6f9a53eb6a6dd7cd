/**
 * MATCH: what a received message must look like. One definition shared by flows (`expect`,
 * `expectNone`) and the mock server (`on`), so a rule reads and behaves the same in both.
 *
 * A match is a one-key object (`{"contains": "ok"}`; for Socket.IO events `{"event": ..., "args"?:
 * ...}`). `compileMatch` checks it once, before anything connects (a regex that does not compile,
 * hex that is not hex), so a mistake in a file is named with its field instead of failing mid-run.
 */
import './zod';
import * as z from 'zod/mini';
import { formatHex, parseHex, utf8Decode, utf8Encode } from './codecs';
import { l10n } from './l10n';

/** A message (or frame, or event) as a matcher sees it, whatever the session kind. */
export type Observed =
  | { kind: 'text'; text: string }
  /** `decoded`: the value the endpoint's decoder read (Decode binary as), when it read one. */
  | { kind: 'binary'; bytes: Uint8Array; decoded?: { value: unknown } }
  | { kind: 'pong'; bytes: Uint8Array }
  | { kind: 'close'; code: number; reason: string }
  /** `decoded`: the arguments with each binary one read by the endpoint's decoder, when one is binary. */
  | { kind: 'event'; name: string; args: readonly unknown[]; decoded?: readonly unknown[] }
  | { kind: 'ack'; args: readonly unknown[] };

const anyJson = z.unknown();

/** The JSON form of each kind of match, by its key; an object has exactly one of these keys. */
const MATCH_FORMS = {
  text: z.strictObject({ text: z.string({ error: () => l10n.t('expected a string') }) }),
  contains: z.strictObject({ contains: z.string({ error: () => l10n.t('expected a string') }) }),
  regex: z.strictObject({ regex: z.string({ error: () => l10n.t('expected a string (a JavaScript regular expression)') }) }),
  json: z.strictObject({ json: anyJson }),
  hex: z.strictObject({ hex: z.string({ error: () => l10n.t('expected a string of hex bytes') }) }),
  /** A binary message whose decoded value (MessagePack, CBOR, Protobuf) contains this, as `json` does. */
  decoded: z.strictObject({ decoded: anyJson }),
  pong: z.strictObject({ pong: z.string({ error: () => l10n.t('expected a string (the pong payload)') }) }),
  close: z.strictObject({
    close: z.strictObject(
      {
        code: z.int({ error: () => l10n.t('expected a close code (an integer)') }),
        reason: z.optional(z.string({ error: () => l10n.t('expected a string') })),
      },
      { error: () => l10n.t('expected an object with "code" and an optional "reason"') },
    ),
  }),
  event: z.strictObject({
    event: z.string({ error: () => l10n.t('expected an event name') }),
    args: z.optional(z.array(anyJson, { error: () => l10n.t('expected a list of arguments') })),
    /** The arguments with binary ones decoded (Decode binary as) contain this, as `args` does. */
    decoded: z.optional(z.array(anyJson, { error: () => l10n.t('expected a list of arguments (binary ones as their decoded value)') })),
  }),
  ack: z.strictObject({ ack: z.array(anyJson, { error: () => l10n.t("expected the list of the ack's arguments") }) }),
};

/** Any match (for types and generated JSON schemas; `compileMatch` picks the form by key). */
export const matchSchema = z.union([
  MATCH_FORMS.text,
  MATCH_FORMS.contains,
  MATCH_FORMS.regex,
  MATCH_FORMS.json,
  MATCH_FORMS.hex,
  MATCH_FORMS.decoded,
  MATCH_FORMS.pong,
  MATCH_FORMS.close,
  MATCH_FORMS.event,
  MATCH_FORMS.ack,
]);

export type Match = z.infer<typeof matchSchema>;

/** The keys that start a match, in the order the docs list them. */
export const MATCH_KEYS = Object.keys(MATCH_FORMS) as MatchKey[];
export type MatchKey = keyof typeof MATCH_FORMS;

/** A checked match, ready to test messages with (the regex compiled, the hex parsed). */
export interface CompiledMatch {
  readonly match: Match;
  test(observed: Observed): boolean;
  /** "text \"pong\"", "event \"chat\" with args [...]": for reports. */
  readonly description: string;
}

export type CompileResult = { ok: true; matcher: CompiledMatch } | { ok: false; field: string; error: string };

/**
 * Checks the shape (which the caller may already have done with `matchSchema`) and the contents
 * of a match. `field` in a failure is relative to the match (`regex`, `close.code`).
 */
export function compileMatch(input: unknown): CompileResult {
  const key = matchKeyOf(input);
  if (key === undefined) {
    return { ok: false, field: '', error: l10n.t('expected one of {0}', MATCH_KEYS.map((k) => `"${k}"`).join(', ')) };
  }
  const parsed = MATCH_FORMS[key].safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      const error =
        issue.keys.length > 1
          ? l10n.t('unknown keys {0} beside "{1}" (one kind of match per object)', keys, key)
          : l10n.t('unknown key "{0}" beside "{1}" (one kind of match per object)', issue.keys[0]!, key);
      return { ok: false, field: issue.keys[0], error };
    }
    return { ok: false, field: issue.path.map(String).join('.') || key, error: issue.message };
  }
  const match: Match = parsed.data;
  const description = describeMatch(match);
  // First: an event match may also have a "decoded" key.
  if ('event' in match) {
    return compiled(
      match,
      description,
      (o) =>
        o.kind === 'event' &&
        o.name === match.event &&
        (match.args === undefined || isSubset(match.args, o.args)) &&
        (match.decoded === undefined || (o.decoded !== undefined && isSubset(match.decoded, o.decoded))),
    );
  }
  if ('text' in match) return compiled(match, description, (o) => o.kind === 'text' && o.text === match.text);
  if ('contains' in match) return compiled(match, description, (o) => o.kind === 'text' && o.text.includes(match.contains));
  if ('regex' in match) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(match.regex, 'u');
    } catch (error) {
      return { ok: false, field: 'regex', error: l10n.t('the regular expression does not compile: {0}', error instanceof Error ? error.message : String(error)) };
    }
    return compiled(match, description, (o) => o.kind === 'text' && pattern.test(o.text));
  }
  if ('json' in match) {
    return compiled(match, description, (o) => {
      if (o.kind !== 'text') return false;
      const value = parseJson(o.text);
      return value.ok && isSubset(match.json, value.value);
    });
  }
  if ('decoded' in match) {
    return compiled(match, description, (o) => o.kind === 'binary' && o.decoded !== undefined && isSubset(match.decoded, o.decoded.value));
  }
  if ('hex' in match) {
    let bytes: Uint8Array;
    try {
      bytes = parseHex(match.hex);
    } catch (error) {
      return { ok: false, field: 'hex', error: error instanceof Error ? error.message : String(error) };
    }
    return compiled(match, description, (o) => {
      const actual = o.kind === 'binary' ? o.bytes : o.kind === 'text' ? utf8Encode(o.text) : undefined;
      return actual !== undefined && sameBytes(actual, bytes);
    });
  }
  if ('pong' in match) {
    const bytes = utf8Encode(match.pong);
    return compiled(match, description, (o) => o.kind === 'pong' && sameBytes(o.bytes, bytes));
  }
  if ('close' in match) {
    const { code, reason } = match.close;
    return compiled(match, description, (o) => o.kind === 'close' && o.code === code && (reason === undefined || o.reason === reason));
  }
  return compiled(match, description, (o) => o.kind === 'ack' && isSubset(match.ack, o.args));
}

function compiled(match: Match, description: string, test: (observed: Observed) => boolean): CompileResult {
  return { ok: true, matcher: { match, description, test } };
}

/** The match key of a candidate object: the first known key it has, or undefined. */
export function matchKeyOf(input: unknown): MatchKey | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  // An event match may have "decoded" beside "event" (its decoded arguments): it is an event match.
  if (Object.prototype.hasOwnProperty.call(input, 'event')) return 'event';
  return MATCH_KEYS.find((key) => Object.prototype.hasOwnProperty.call(input, key));
}

/**
 * Whether `actual` contains `expected`: every key of an expected object is present and matches
 * recursively (the actual may have more); arrays match element by element from the start (the
 * actual may be longer); everything else is equal (numbers by value, so 1 and 1.0 are equal).
 */
export function isSubset(expected: unknown, actual: unknown): boolean {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length < expected.length) return false;
    return expected.every((item, index) => isSubset(item, actual[index]));
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
    const record = actual as Record<string, unknown>;
    return Object.entries(expected).every(
      ([key, value]) => Object.prototype.hasOwnProperty.call(record, key) && isSubset(value, record[key]),
    );
  }
  return Object.is(expected, actual) || (typeof expected === 'number' && expected === actual);
}

export function describeMatch(match: Match): string {
  // First: an event match may also have a "decoded" key.
  if ('event' in match) {
    const decoded = match.decoded === undefined ? '' : ` with decoded args ${shortJson(match.decoded)}`;
    return `event ${JSON.stringify(match.event)}${match.args === undefined ? '' : ` with args ${shortJson(match.args)}`}${decoded}`;
  }
  if ('text' in match) return `text ${JSON.stringify(match.text)}`;
  if ('contains' in match) return `text containing ${JSON.stringify(match.contains)}`;
  if ('regex' in match) return `text matching /${match.regex}/`;
  if ('json' in match) return `JSON containing ${shortJson(match.json)}`;
  if ('hex' in match) return `bytes ${match.hex.trim()}`;
  if ('decoded' in match) return `decoded value containing ${shortJson(match.decoded)}`;
  if ('pong' in match) return `pong ${JSON.stringify(match.pong)}`;
  if ('close' in match) {
    return `close ${match.close.code}${match.close.reason === undefined ? '' : ` reason ${JSON.stringify(match.close.reason)}`}`;
  }
  return `ack ${shortJson(match.ack)}`;
}

/** One line for a failure report: what actually arrived. */
export function describeObserved(observed: Observed): string {
  switch (observed.kind) {
    case 'text':
      return `text ${shortText(JSON.stringify(observed.text))}`;
    case 'binary':
      if (observed.decoded) return `binary ${observed.bytes.byteLength} B decoded ${shortJson(observed.decoded.value)}`;
      return `binary ${observed.bytes.byteLength} B ${shortText(formatHex(observed.bytes.subarray(0, 64)))}`;
    case 'pong':
      return `pong ${shortText(JSON.stringify(utf8Decode(observed.bytes)))}`;
    case 'close':
      return `close ${observed.code}${observed.reason ? ` reason ${JSON.stringify(observed.reason)}` : ''}`;
    case 'event':
      return `event ${JSON.stringify(observed.name)} args ${shortJson(observed.args)}${observed.decoded ? ` decoded ${shortJson(observed.decoded)}` : ''}`;
    case 'ack':
      return `ack ${shortJson(observed.args)}`;
  }
}

/**
 * The value captures and templates read from a message: a text message's JSON (or the text when
 * it is not JSON), a decoded binary message's value, an event's or ack's argument list, a close's
 * code and reason, other bytes as hex.
 */
export function observedValue(observed: Observed): unknown {
  switch (observed.kind) {
    case 'text': {
      const parsed = parseJson(observed.text);
      return parsed.ok ? parsed.value : observed.text;
    }
    case 'binary':
      return observed.decoded ? observed.decoded.value : formatHex(observed.bytes);
    case 'pong':
      return formatHex(observed.bytes);
    case 'close':
      return { code: observed.code, reason: observed.reason };
    case 'event':
    case 'ack':
      return observed.args;
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

const SHORT = 200;

function shortText(text: string): string {
  return text.length > SHORT ? `${text.slice(0, SHORT)}… (${text.length} characters)` : text;
}

function shortJson(value: unknown): string {
  return shortText(JSON.stringify(value) ?? String(value));
}
