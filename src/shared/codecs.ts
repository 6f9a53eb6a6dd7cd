/**
 * Byte <-> text conversions for message payloads: UTF-8, hex, base64, hex dumps, and the
 * Send as / Show as formats. Runs in Node and in the webview, so it uses only Uint8Array,
 * TextEncoder and TextDecoder (no Buffer), and every function is linear in its input.
 */
import { l10n } from './l10n';
import type { Payload, PayloadFormat } from './protocol';

/** Thrown for user input that cannot be decoded; the message is meant to be shown as is. */
export class CodecError extends Error {
  override name = 'CodecError';
}

const encoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF visible: a debugger shows what was received.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** UTF-8 bytes of `text`; lone surrogates become U+FFFD, as on the wire. */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8; invalid sequences become U+FFFD instead of throwing, since payloads are untrusted. */
export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** The UTF-8 length of `text` without allocating the bytes (frame sizes, the 123-byte close reason). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else {
        bytes += 3; // a lone surrogate is encoded as U+FFFD
      }
    } else bytes += 3;
  }
  return bytes;
}

const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, b) =>
  b.toString(16).padStart(2, '0'),
);

/** -1: not a hex digit. */
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

function isHexSeparator(c: number): boolean {
  // space, tab, LF, CR, ':', ','
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x3a || c === 0x2c;
}

/** Describes a character for an error message, so invisible ones are still visible. */
function describeChar(text: string, index: number): string {
  const cp = text.codePointAt(index) ?? 0;
  const ch = String.fromCodePoint(cp);
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return cp < 0x20 || cp === 0x7f ? code : `"${ch}" (${code})`;
}

/**
 * Reads bytes typed as hex the ways people copy them: "de ad be ef", "DEADBEEF", "de:ad:be:ef",
 * "0xde 0xad", "de,ad", across lines. Each group between separators must have an even number of
 * digits, so a missing digit is reported instead of shifting every later byte.
 * Positions in messages count characters from 1.
 */
export function parseHex(input: string): Uint8Array {
  const out = new Uint8Array(input.length >> 1);
  let length = 0;
  let i = 0;
  while (i < input.length) {
    if (isHexSeparator(input.charCodeAt(i))) {
      i++;
      continue;
    }
    const groupStart = i;
    if (input.charCodeAt(i) === 0x30 && (input.charCodeAt(i + 1) | 0x20) === 0x78) i += 2; // 0x / 0X
    const digitsStart = i;
    while (i < input.length && !isHexSeparator(input.charCodeAt(i))) {
      if (hexValue(input.charCodeAt(i)) < 0) {
        throw new CodecError(l10n.t('Invalid character {0} at position {1}: hex bytes use only 0-9 and a-f', describeChar(input, i), i + 1));
      }
      i++;
    }
    const digits = i - digitsStart;
    if (digits === 0) {
      throw new CodecError(l10n.t('"{0}" at position {1} has no hex digits', input.slice(groupStart, i), groupStart + 1));
    }
    if (digits % 2 !== 0) {
      throw new CodecError(
        l10n.t('"{0}" at position {1} has an odd number of hex digits ({2}); each byte needs two', input.slice(groupStart, i), groupStart + 1, digits),
      );
    }
    for (let j = digitsStart; j < i; j += 2) {
      out[length++] = (hexValue(input.charCodeAt(j)) << 4) | hexValue(input.charCodeAt(j + 1));
    }
  }
  return out.slice(0, length);
}

/** Bytes as lowercase hex pairs separated by spaces: the form parseHex reads back. */
export function formatHex(bytes: Uint8Array): string {
  const parts = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = HEX_PAIRS[bytes[i]];
  return parts.join(' ');
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_CODES = Uint8Array.from(BASE64_ALPHABET, (c) => c.charCodeAt(0));

/** Character code -> 6-bit value; -1 invalid, -2 whitespace. Both alphabets (+/ and -_) are read. */
const BASE64_VALUES: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) table[BASE64_CODES[i]] = i;
  table[0x2d] = 62; // '-'
  table[0x5f] = 63; // '_'
  for (const ws of [0x20, 0x09, 0x0a, 0x0d]) table[ws] = -2;
  return table;
})();

/** Standard base64 with padding, built as bytes so multi-megabyte payloads stay linear. */
export function encodeBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = BASE64_CODES[n >> 18];
    out[o++] = BASE64_CODES[(n >> 12) & 63];
    out[o++] = BASE64_CODES[(n >> 6) & 63];
    out[o++] = BASE64_CODES[n & 63];
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i] << 16) | (rest === 2 ? bytes[i + 1] << 8 : 0);
    out[o++] = BASE64_CODES[n >> 18];
    out[o++] = BASE64_CODES[(n >> 12) & 63];
    out[o++] = rest === 2 ? BASE64_CODES[(n >> 6) & 63] : 0x3d;
    out[o++] = 0x3d;
  }
  return utf8Decode(out); // pure ASCII
}

/**
 * Reads base64 strictly so a typo is reported, not silently dropped: whitespace is ignored, the
 * standard (+/) and URL-safe (-_) alphabets are accepted but not mixed, and padding is optional
 * but must be correct when present.
 */
export function decodeBase64(input: string): Uint8Array {
  const out = new Uint8Array(Math.ceil((input.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let count = 0; // data characters read
  let padding = 0;
  let paddingAt = -1;
  let standardAt = -1;
  let urlSafeAt = -1;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    const v = c < 128 ? BASE64_VALUES[c] : -1;
    if (v === -2) continue;
    if (c === 0x3d) {
      if (padding === 0) paddingAt = i;
      padding++;
      continue;
    }
    if (v < 0) {
      throw new CodecError(l10n.t('Invalid character {0} at position {1} in base64', describeChar(input, i), i + 1));
    }
    if (padding > 0) {
      throw new CodecError(l10n.t('Base64 data continues after the "=" padding at position {0}', paddingAt + 1));
    }
    if (c === 0x2b || c === 0x2f) standardAt = i;
    else if (c === 0x2d || c === 0x5f) urlSafeAt = i;
    if (standardAt >= 0 && urlSafeAt >= 0) {
      throw new CodecError(
        l10n.t('Base64 mixes the standard (+/) and URL-safe (-_) alphabets (positions {0} and {1})', Math.min(standardAt, urlSafeAt) + 1, Math.max(standardAt, urlSafeAt) + 1),
      );
    }
    acc = (acc << 6) | v;
    count++;
    if (count % 4 === 0) {
      out[o++] = (acc >> 16) & 0xff;
      out[o++] = (acc >> 8) & 0xff;
      out[o++] = acc & 0xff;
      acc = 0;
    }
  }
  const rest = count % 4;
  if (rest === 1) {
    throw new CodecError(l10n.t('Base64 length is wrong: the last group has a single character, which cannot encode a byte'));
  }
  if (padding > 0 && (rest === 0 || rest + padding !== 4)) {
    throw new CodecError(l10n.t('Base64 padding is wrong: {0} "=" after {1} characters', padding, count));
  }
  if (rest === 2) {
    out[o++] = (acc >> 4) & 0xff;
  } else if (rest === 3) {
    out[o++] = (acc >> 10) & 0xff;
    out[o++] = (acc >> 2) & 0xff;
  }
  return out.slice(0, o);
}

/**
 * A `hexdump -C` style dump: offset, 16 bytes in two groups of 8, and the printable ASCII.
 * With `maxBytes`, only that many bytes are dumped and a last line says how many were not shown.
 */
export function hexDump(bytes: Uint8Array, maxBytes?: number): string {
  const shown = maxBytes === undefined ? bytes.length : Math.max(0, Math.min(bytes.length, Math.floor(maxBytes)));
  const lines: string[] = [];
  for (let offset = 0; offset < shown; offset += 16) {
    const end = Math.min(offset + 16, shown);
    let hex = '';
    let ascii = '';
    for (let i = offset; i < offset + 16; i++) {
      if (i > offset) hex += i === offset + 8 ? '  ' : ' ';
      if (i < end) {
        const b = bytes[i];
        hex += HEX_PAIRS[b];
        ascii += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.';
      } else {
        hex += '  ';
      }
    }
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex}  |${ascii}|`);
  }
  const hidden = bytes.length - shown;
  if (hidden > 0) lines.push(hidden === 1 ? l10n.t('... 1 more byte not shown') : l10n.t('... {0} more bytes not shown', hidden));
  return lines.join('\n');
}

/** The composer body turned into a frame, or the reason it cannot be sent. */
export type EncodedBody =
  | { ok: true; frame: 'text'; text: string; size: number }
  | { ok: true; frame: 'binary'; bytes: Uint8Array; size: number }
  | { ok: false; error: string };

/** Encodes the composer body for Send as `format`; never throws, so the error can sit under the field. */
export function encodeBody(format: PayloadFormat, body: string): EncodedBody {
  switch (format) {
    case 'text':
      return { ok: true, frame: 'text', text: body, size: utf8ByteLength(body) };
    case 'json':
      try {
        JSON.parse(body);
      } catch (err) {
        return { ok: false, error: l10n.t('Not valid JSON: {0}', errorMessage(err)) };
      }
      // Sent exactly as typed: reformatting could change number literals or key order.
      return { ok: true, frame: 'text', text: body, size: utf8ByteLength(body) };
    case 'hex':
    case 'base64':
      try {
        const bytes = format === 'hex' ? parseHex(body) : decodeBase64(body);
        return { ok: true, frame: 'binary', bytes, size: bytes.length };
      } catch (err) {
        if (err instanceof CodecError) return { ok: false, error: err.message };
        throw err;
      }
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The bytes a payload stands for (text payloads as UTF-8). */
export function payloadBytes(payload: Payload): Uint8Array {
  return payload.kind === 'text' ? utf8Encode(payload.text) : decodeBase64(payload.base64);
}

/** A binary payload for postMessage; base64 keeps it a plain JSON value. */
export function payloadFromBytes(bytes: Uint8Array): Payload {
  return { kind: 'binary', base64: encodeBase64(bytes) };
}

export function payloadFromText(text: string): Payload {
  return { kind: 'text', text };
}

/** A payload rendered for Show as; `note` explains why it is not rendered as asked. */
export interface RenderedPayload {
  text: string;
  note?: string;
}

/** A hex dump takes ~5 characters per byte; past this the view would only get slow to read. */
export const MAX_RENDERED_HEX_BYTES = 1024 * 1024;

/** Renders a payload for Show as `showAs`. */
export function renderPayload(payload: Payload, showAs: PayloadFormat): RenderedPayload {
  switch (showAs) {
    case 'text':
      return { text: payloadText(payload) };
    case 'json': {
      const text = payloadText(payload);
      try {
        JSON.parse(text);
      } catch (err) {
        return { text, note: l10n.t('Not valid JSON: {0}', errorMessage(err)) };
      }
      return { text: prettyJson(text) };
    }
    case 'hex': {
      const bytes = payloadBytes(payload);
      if (bytes.length <= MAX_RENDERED_HEX_BYTES) return { text: hexDump(bytes) };
      return {
        text: hexDump(bytes, MAX_RENDERED_HEX_BYTES),
        note: l10n.t('Showing the first {0} of {1} bytes', MAX_RENDERED_HEX_BYTES, bytes.length),
      };
    }
    case 'base64':
      return { text: encodeBase64(payloadBytes(payload)) };
  }
}

function payloadText(payload: Payload): string {
  return payload.kind === 'text' ? payload.text : utf8Decode(decodeBase64(payload.base64));
}

/**
 * Re-indents valid JSON with 2 spaces without parsing values, so what is shown is what was
 * received: big integers keep every digit, escapes and duplicate keys stay as they were.
 */
function prettyJson(json: string): string {
  const parts: string[] = [];
  let depth = 0;
  const newline = () => '\n' + '  '.repeat(depth);
  let i = 0;
  const n = json.length;
  const skipSpace = () => {
    while (i < n) {
      const c = json.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i++;
    }
  };
  while (i < n) {
    const ch = json[i];
    switch (ch) {
      case ' ':
      case '\t':
      case '\n':
      case '\r':
        i++;
        break;
      case '{':
      case '[': {
        i++;
        skipSpace();
        const close = ch === '{' ? '}' : ']';
        if (json[i] === close) {
          parts.push(ch + close);
          i++;
        } else {
          depth++;
          parts.push(ch + newline());
        }
        break;
      }
      case '}':
      case ']':
        depth--;
        parts.push(newline() + ch);
        i++;
        break;
      case ',':
        parts.push(',' + newline());
        i++;
        break;
      case ':':
        parts.push(': ');
        i++;
        break;
      case '"': {
        let j = i + 1;
        while (j < n && json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
        parts.push(json.slice(i, j + 1));
        i = j + 1;
        break;
      }
      default: {
        // number, true, false, null
        let j = i + 1;
        while (j < n && !' \t\n\r,:]}'.includes(json[j])) j++;
        parts.push(json.slice(i, j));
        i = j;
      }
    }
  }
  return parts.join('');
}

/** Binary frames open as hex, text frames as text. */
export function defaultShowAs(payload: Payload): PayloadFormat {
  return payload.kind === 'binary' ? 'hex' : 'text';
}
