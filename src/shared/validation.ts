/**
 * Checks the connection form before any socket is opened, so every mistake is reported in words
 * next to its field instead of surfacing as a handshake or Node `http` error. Nothing here throws.
 */
import type { ConnectionParams, HeaderRow } from './protocol';
import { checkDecode, decodeFields } from './decodeConfig';
import { l10n } from './l10n';

/** RFC 7230 §3.2.6 token: the syntax of header names and of subprotocol names. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
/** The symbols a token may hold, as the error sentences quote them. */
const TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

function describeBadTokenChar(value: string): string {
  for (const ch of value) {
    if (!TOKEN_CHAR.test(ch)) {
      const cp = ch.codePointAt(0) ?? 0;
      if (cp === 0x20) return l10n.t('a space');
      const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
      return cp < 0x20 || cp === 0x7f ? code : `"${ch}"`;
    }
  }
  return l10n.t('nothing');
}

/** Parses and normalizes a ws:// or wss:// URL; the only schemes a WebSocket handshake knows. */
export function checkUrl(input: string): { ok: true; url: string } | { ok: false; error: string } {
  const text = input.trim();
  if (text === '') return { ok: false, error: l10n.t('Enter a ws:// or wss:// URL') };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: l10n.t('"{0}" is not a valid URL; WebSocket URLs look like ws://host:port/path or wss://host/path', text) };
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    const suggested = url.protocol === 'http:' ? 'ws://' : 'wss://';
    return { ok: false, error: l10n.t('{0}// is not a WebSocket URL; use {1} instead', url.protocol, suggested) };
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    return { ok: false, error: l10n.t('{0} URLs cannot be opened; a WebSocket connects only ws:// and wss:// URLs', url.protocol) };
  }
  // '#' can only appear in a serialized URL as the start of the fragment, even an empty one.
  if (url.href.includes('#')) {
    return { ok: false, error: l10n.t('URLs with a fragment (#...) are not allowed in WebSocket handshakes (RFC 6455 §3)') };
  }
  if (url.hostname === '') return { ok: false, error: l10n.t('The URL has no host') };
  return { ok: true, url: url.href };
}

/** An error sentence when `name` cannot be a subprotocol name, else undefined. */
function checkSubprotocolName(name: string): string | undefined {
  if (TOKEN.test(name)) return undefined;
  return l10n.t('"{0}" is not a valid subprotocol name: it contains {1}; only letters, digits and {2} are allowed', name, describeBadTokenChar(name), TOKEN_SYMBOLS);
}

/**
 * Validates a list of subprotocol names (form field or collection file): trims items, drops
 * empty ones, and refuses invalid or repeated names (RFC 6455 §4.1).
 */
export function checkSubprotocols(items: readonly string[]): { ok: true; protocols: string[] } | { ok: false; error: string } {
  const protocols: string[] = [];
  for (const raw of items) {
    const name = raw.trim();
    if (name === '') continue;
    const error = checkSubprotocolName(name);
    if (error !== undefined) return { ok: false, error };
    // Subprotocol names are compared exactly, as the ws library and browsers do.
    if (protocols.includes(name)) return { ok: false, error: l10n.t('The subprotocol "{0}" is listed twice', name) };
    protocols.push(name);
  }
  return { ok: true, protocols };
}

/** Reads the Subprotocols field: a comma-separated list, as in Sec-WebSocket-Protocol. */
export function parseSubprotocols(input: string): { ok: true; protocols: string[] } | { ok: false; error: string } {
  return checkSubprotocols(input.split(','));
}

/** Headers the handshake sets itself; a user value would break or contradict it. */
function managedHeader(key: string): string | undefined {
  switch (key) {
    case 'host': return l10n.t('Host is set from the URL; it cannot be set here');
    case 'connection': return l10n.t('Connection is part of the WebSocket handshake and is set automatically; it cannot be set here');
    case 'upgrade': return l10n.t('Upgrade is part of the WebSocket handshake and is set automatically; it cannot be set here');
    case 'sec-websocket-key': return l10n.t('Sec-WebSocket-Key is generated for every handshake; it cannot be set here');
    case 'sec-websocket-version': return l10n.t('Sec-WebSocket-Version is always 13 and is set automatically; it cannot be set here');
    case 'sec-websocket-extensions': return l10n.t('Sec-WebSocket-Extensions is negotiated by the client library; it cannot be set here');
    case 'sec-websocket-protocol': return l10n.t('Sec-WebSocket-Protocol is set from the list; use the Subprotocols field; it cannot be set here');
    case 'content-length': return l10n.t('Content-Length does not apply: a handshake request has no body; it cannot be set here');
    case 'transfer-encoding': return l10n.t('Transfer-Encoding does not apply: a handshake request has no body; it cannot be set here');
    default: return undefined;
  }
}

/** Node's http layer rejects header values with anything but HTAB, visible ASCII and Latin-1. */
function findBadValueChar(value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x09 || (c >= 0x20 && c <= 0x7e) || (c >= 0x80 && c <= 0xff)) continue;
    const cp = value.codePointAt(i) ?? c;
    const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    if (c === 0x0d) return l10n.t('a carriage return (CR) at position {0}', i + 1);
    if (c === 0x0a) return l10n.t('a line feed (LF) at position {0}', i + 1);
    if (c === 0) return l10n.t('a NUL character at position {0}', i + 1);
    if (c < 0x20 || c === 0x7f) return l10n.t('the control character {0} at position {1}', code, i + 1);
    return l10n.t('"{0}" ({1}) at position {2}, which is not a Latin-1 character', String.fromCodePoint(cp), code, i + 1);
  }
  return undefined;
}

/**
 * Validates the extra handshake headers. Fully empty rows are dropped (the form keeps a blank
 * one); names and values are trimmed. On error, `index` is the row in the input.
 */
export function checkHeaders(
  rows: HeaderRow[],
): { ok: true; headers: HeaderRow[] } | { ok: false; error: string; index: number } {
  const headers: HeaderRow[] = [];
  const seen = new Set<string>();
  for (let index = 0; index < rows.length; index++) {
    const name = rows[index].name.trim();
    const value = rows[index].value.replace(/^[ \t]+|[ \t]+$/g, '');
    if (name === '' && value === '') continue;
    if (name === '') return { ok: false, index, error: l10n.t('This header has a value but no name') };
    if (!TOKEN.test(name)) {
      return {
        ok: false,
        index,
        error: l10n.t('"{0}" is not a valid header name: it contains {1}; only letters, digits and {2} are allowed', name, describeBadTokenChar(name), TOKEN_SYMBOLS),
      };
    }
    const key = name.toLowerCase();
    const managed = managedHeader(key);
    if (managed !== undefined) return { ok: false, index, error: managed };
    if (seen.has(key)) return { ok: false, index, error: l10n.t('The header "{0}" is listed twice', name) };
    const bad = findBadValueChar(value);
    if (bad !== undefined) return { ok: false, index, error: l10n.t('The value of "{0}" contains {1}', name, bad) };
    seen.add(key);
    headers.push({ name, value });
  }
  return { ok: true, headers };
}

/** Validates a whole connection form; the first failing field is reported. */
export function checkConnectionParams(params: Pick<ConnectionParams, 'url' | 'protocols' | 'headers' | 'options' | 'decode'>):
  | { ok: true; params: ConnectionParams }
  | { ok: false; field: 'url' | 'protocols' | 'headers' | 'decode'; error: string } {
  const url = checkUrl(params.url);
  if (!url.ok) return { ok: false, field: 'url', error: url.error };
  const protocols = checkSubprotocols(params.protocols);
  if (!protocols.ok) return { ok: false, field: 'protocols', error: protocols.error };
  const headers = checkHeaders(params.headers);
  if (!headers.ok) return { ok: false, field: 'headers', error: headers.error };
  const checked: ConnectionParams = { url: url.url, protocols: protocols.protocols, headers: headers.headers };
  if (params.options) checked.options = { ...params.options };
  if (params.decode) {
    const problem = checkDecode(params.decode);
    if (problem) return { ok: false, field: 'decode', error: problem };
    Object.assign(checked, decodeFields(params.decode));
  }
  return { ok: true, params: checked };
}
