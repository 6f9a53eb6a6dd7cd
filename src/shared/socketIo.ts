/**
 * The pure parts of Socket.IO support: option defaults and checks, event names the protocol
 * reserves, the Emit composer's argument parsing, argument payloads for the log, ack
 * bookkeeping with timeouts, and reading which Engine.IO protocol a server speaks.
 * No I/O and no `vscode` here, so all of it is unit-tested in plain Node.
 */
import { CodecError, decodeBase64, encodeBase64, parseHex, payloadFromBytes, payloadFromText, utf8ByteLength } from './codecs';
import type { ConnectionParams, Field, HeaderRow, Payload, PayloadFormat, SocketIoOptions } from './protocol';
import { l10n } from './l10n';
import { checkConnectionParams, checkHeaders } from './validation';

export const DEFAULT_SOCKET_IO_OPTIONS: Readonly<SocketIoOptions> = {
  namespace: '/',
  path: '/socket.io',
  transports: 'websocket',
  version: 'v4',
  auth: '',
  query: [],
  reconnection: true,
  ackTimeoutSeconds: 10,
};

export const MIN_ACK_TIMEOUT_SECONDS = 0.1;
export const MAX_ACK_TIMEOUT_SECONDS = 600;

/** Names the Socket.IO client uses for its own events; emitting them is refused by the library. */
export const RESERVED_EVENT_NAMES: ReadonlySet<string> = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
]);

/** The reason an event name cannot be emitted, or undefined when it can. */
export function checkEventName(name: string): string | undefined {
  if (name === '') return l10n.t('Enter an event name');
  if (RESERVED_EVENT_NAMES.has(name)) {
    return l10n.t('"{0}" is reserved by Socket.IO for its own events and cannot be emitted; choose another name', name);
  }
  return undefined;
}

/** One argument of an emit: any JSON value, or bytes (sent as a binary attachment). */
export type EmitArgument = { kind: 'json'; value: unknown } | { kind: 'binary'; bytes: Uint8Array };

/**
 * Reads the Arguments field. As JSON: an array is the list of arguments, any other value is the
 * one argument, an empty field means no arguments. As Text: one string argument. As Hex or
 * Base64: one binary argument.
 */
export function parseEmitArguments(
  format: PayloadFormat,
  text: string,
): { ok: true; args: EmitArgument[] } | { ok: false; error: string } {
  switch (format) {
    case 'text':
      return { ok: true, args: [{ kind: 'json', value: text }] };
    case 'json': {
      if (text.trim() === '') return { ok: true, args: [] };
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        return { ok: false, error: l10n.t('Not valid JSON: {0}', err instanceof Error ? err.message : String(err)) };
      }
      const values = Array.isArray(value) ? (value as unknown[]) : [value];
      return { ok: true, args: values.map((v) => ({ kind: 'json', value: v })) };
    }
    case 'hex':
    case 'base64':
      try {
        const bytes = format === 'hex' ? parseHex(text) : decodeBase64(text);
        return { ok: true, args: [{ kind: 'binary', bytes }] };
      } catch (err) {
        if (err instanceof CodecError) return { ok: false, error: err.message };
        throw err;
      }
  }
}

/** How an argument is shown in the log. */
export function emitArgumentPayload(arg: EmitArgument): Payload {
  return arg.kind === 'binary' ? payloadFromBytes(arg.bytes) : payloadFromText(JSON.stringify(arg.value) ?? 'null');
}

function isBinary(value: unknown): value is Uint8Array | ArrayBuffer {
  return value instanceof Uint8Array || value instanceof ArrayBuffer;
}

/** Bytes that own exactly their memory (a Node Buffer may be a view into a pool). */
function ownBytes(value: Uint8Array | ArrayBuffer): Uint8Array {
  return value instanceof ArrayBuffer ? new Uint8Array(value.slice(0)) : new Uint8Array(value);
}

/**
 * A received argument as a log payload: binary attachments as binary, anything else as JSON.
 * Binary nested inside an object is shown as {"<binary>": "base64..."} so it stays readable.
 */
export function receivedArgumentPayload(value: unknown): Payload {
  if (isBinary(value)) return payloadFromBytes(ownBytes(value));
  const text = JSON.stringify(value, function (this: unknown, key: string, nested: unknown) {
    const raw = (this as Record<string, unknown> | undefined)?.[key];
    if (isBinary(raw)) return { '<binary>': encodeBase64(ownBytes(raw)) };
    return nested;
  });
  return payloadFromText(text ?? 'null');
}

/** Bytes an argument list adds up to, for the counters and the entry size. */
export function payloadsSize(payloads: readonly Payload[]): number {
  let size = 0;
  for (const p of payloads) size += p.kind === 'text' ? utf8ByteLength(p.text) : Math.floor((p.base64.length * 3) / 4) - padding(p.base64);
  return size;
}

function padding(base64: string): number {
  return base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
}

/** Parses the Auth payload field: empty for none, otherwise a JSON object. */
export function parseAuth(text: string): { ok: true; auth?: Record<string, unknown> } | { ok: false; error: string } {
  if (text.trim() === '') return { ok: true };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: l10n.t('The auth payload is not valid JSON: {0}', err instanceof Error ? err.message : String(err)) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: l10n.t('The auth payload must be a JSON object, such as {0}', '{"token": "..."}') };
  }
  return { ok: true, auth: value as Record<string, unknown> };
}

/** Checks a Socket.IO URL: http(s) as Socket.IO documents it, ws(s) accepted as the same server. */
export function checkSocketIoUrl(input: string): { ok: true; url: string } | { ok: false; error: string } {
  const text = input.trim();
  if (text === '') return { ok: false, error: l10n.t('Enter an http:// or https:// URL of the Socket.IO server') };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: l10n.t('"{0}" is not a valid URL; Socket.IO URLs look like http://host:port or https://host', text) };
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
    return { ok: false, error: l10n.t('{0} URLs cannot be used; Socket.IO connects to http://, https://, ws:// or wss:// URLs', url.protocol) };
  }
  if (url.hostname === '') return { ok: false, error: l10n.t('The URL has no host') };
  if (url.hash !== '') return { ok: false, error: l10n.t('Remove the fragment (#...) from the URL') };
  if (url.pathname !== '/' && url.pathname !== '') {
    return {
      ok: false,
      error: l10n.t('Put the namespace "{0}" in the Namespace field; the URL names only the server (path /socket.io is set under Path)', url.pathname),
    };
  }
  if (url.search !== '') return { ok: false, error: l10n.t('Put query parameters in the Query parameters field') };
  return { ok: true, url: url.origin };
}

function checkQuery(rows: readonly HeaderRow[]): { ok: true; query: HeaderRow[] } | { ok: false; error: string } {
  const query: HeaderRow[] = [];
  const reserved = new Set(['EIO', 'transport', 'sid', 't', 'b64']);
  for (const row of rows) {
    const name = row.name.trim();
    if (name === '' && row.value === '') continue;
    if (name === '') return { ok: false, error: l10n.t('A query parameter has a value but no name') };
    if (reserved.has(name)) return { ok: false, error: l10n.t('The query parameter "{0}" is set by Engine.IO itself', name) };
    if (query.some((q) => q.name === name)) return { ok: false, error: l10n.t('The query parameter "{0}" is listed twice', name) };
    query.push({ name, value: row.value });
  }
  return { ok: true, query };
}

export type ParamsCheck = { ok: true; params: ConnectionParams } | { ok: false; field: Field; error: string };

/** Checks the Socket.IO part of a connection form; the first failing field is reported. */
export function checkSocketIoParams(params: ConnectionParams): ParamsCheck {
  const url = checkSocketIoUrl(params.url);
  if (!url.ok) return { ok: false, field: 'url', error: url.error };
  const options = params.socketio ?? DEFAULT_SOCKET_IO_OPTIONS;
  const namespace = options.namespace.trim() || '/';
  if (!namespace.startsWith('/') || /\s/.test(namespace)) {
    return { ok: false, field: 'socketio', error: l10n.t('The namespace must start with "/" and contain no spaces, such as /chat') };
  }
  const path = options.path.trim() || DEFAULT_SOCKET_IO_OPTIONS.path;
  if (!path.startsWith('/') || /[\s?#]/.test(path)) {
    return { ok: false, field: 'socketio', error: l10n.t('The path must start with "/" and contain no spaces, "?" or "#", such as /socket.io') };
  }
  const auth = parseAuth(options.auth);
  if (!auth.ok) return { ok: false, field: 'auth', error: auth.error };
  if (auth.auth && options.version === 'v2') {
    return {
      ok: false,
      field: 'auth',
      error: l10n.t('Socket.IO 2 has no auth payload in its CONNECT packet; send credentials as query parameters or headers instead'),
    };
  }
  const query = checkQuery(options.query);
  if (!query.ok) return { ok: false, field: 'socketio', error: query.error };
  const timeout = options.ackTimeoutSeconds;
  if (!Number.isFinite(timeout) || timeout < MIN_ACK_TIMEOUT_SECONDS || timeout > MAX_ACK_TIMEOUT_SECONDS) {
    return {
      ok: false,
      field: 'socketio',
      error: l10n.t('The ack timeout must be between {0} and {1} seconds', MIN_ACK_TIMEOUT_SECONDS, MAX_ACK_TIMEOUT_SECONDS),
    };
  }
  const headers = checkHeaders(params.headers);
  if (!headers.ok) return { ok: false, field: 'headers', error: headers.error };
  return {
    ok: true,
    params: {
      url: url.url,
      protocols: [],
      headers: headers.headers,
      kind: 'socketio',
      socketio: {
        namespace,
        path,
        transports: options.transports,
        version: options.version,
        auth: options.auth.trim(),
        query: query.query,
        reconnection: options.reconnection,
        ackTimeoutSeconds: timeout,
      },
      // Of the endpoint options only Bypass proxy applies to Socket.IO.
      ...(params.options?.bypassProxy === true ? { options: { bypassProxy: true } } : {}),
      // Decode binary as reads binary event arguments.
      ...(params.decode ? { decode: params.decode } : {}),
    },
  };
}

/** Checks a connection form of either kind. */
export function checkAnyParams(params: ConnectionParams): ParamsCheck {
  return params.kind === 'socketio' ? checkSocketIoParams(params) : checkConnectionParams(params);
}

/** The Engine.IO protocol revision the Socket.IO client of a version speaks. */
export function engineIoOf(version: SocketIoOptions['version']): 3 | 4 {
  return version === 'v2' ? 3 : 4;
}

/**
 * Which Engine.IO protocol a long-polling handshake response is written in: EIO=4 answers with a
 * bare open packet `0{"sid":...}`; EIO=3 frames it as `<length>:0{"sid":...}` (or in binary
 * framing, starting with byte 0). Socket.IO 2 servers answer in EIO=3 whatever was asked.
 */
export function engineIoOfOpenResponse(status: number, body: string): 3 | 4 | undefined {
  if (status !== 200) return undefined;
  if (body.startsWith('0{"sid"')) return 4;
  if (/^\d+:0\{"sid"/.test(body) || (body.charCodeAt(0) === 0 && body.includes('0{"sid"'))) return 3;
  return undefined;
}

/**
 * The sentence that tells the user to switch the protocol version, from probes of the server
 * with EIO=3 and EIO=4, or undefined when the chosen client is not the problem.
 */
export function versionHint(
  chosen: SocketIoOptions['version'],
  speaks: { eio3: boolean; eio4: boolean },
): string | undefined {
  if (chosen === 'v4' && speaks.eio3 && !speaks.eio4) {
    return l10n.t('The server speaks Engine.IO 3: choose v2 as the protocol version (it is a Socket.IO 2 server)');
  }
  if (chosen === 'v2' && speaks.eio4 && !speaks.eio3) {
    return l10n.t('The server speaks Engine.IO 4: choose v3/v4 as the protocol version (it is a Socket.IO 3 or 4 server)');
  }
  return undefined;
}

/** Socket.IO's disconnect reasons in words. */
export function describeDisconnectReason(reason: string): string {
  switch (reason) {
    case 'io server disconnect':
      return l10n.t('the server disconnected the socket (io server disconnect)');
    case 'io client disconnect':
      return l10n.t('closed by the client (io client disconnect)');
    case 'ping timeout':
      return l10n.t('the server stopped answering heartbeats (ping timeout)');
    case 'transport close':
      return l10n.t('the connection was closed (transport close)');
    case 'transport error':
      return l10n.t('the connection failed (transport error)');
    case 'parse error':
      return l10n.t('the server sent a packet that could not be parsed (parse error)');
    case 'forced close':
      return l10n.t('the connection was closed by the client (forced close)');
    default:
      return reason;
  }
}

/** Timers, injectable so tests can drive time. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** What became of an ack: it came in time (with the round trip), came late, or is unknown. */
export type AckOutcome =
  | { kind: 'inTime'; roundTripMs: number }
  | { kind: 'late'; roundTripMs: number }
  | { kind: 'unknown' };

/**
 * Emits waiting for their ack. Each gets a timer; when it fires `onTimeout` is told once. An ack
 * that arrives later is still reported (as late), so nothing the server sends is lost.
 */
export class AckTracker {
  private readonly pending = new Map<number, { sentAt: number; timer: unknown }>();
  private readonly timedOut = new Map<number, number>();

  constructor(
    private readonly timeoutMs: number,
    private readonly onTimeout: (emitNumber: number) => void,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Starts waiting for the ack of emit `emitNumber`, sent now. */
  start(emitNumber: number): void {
    const timer = this.clock.setTimeout(() => {
      const entry = this.pending.get(emitNumber);
      if (!entry) return;
      this.pending.delete(emitNumber);
      this.timedOut.set(emitNumber, entry.sentAt);
      this.onTimeout(emitNumber);
    }, this.timeoutMs);
    this.pending.set(emitNumber, { sentAt: this.clock.now(), timer });
  }

  /** Records the ack of emit `emitNumber`. */
  settle(emitNumber: number): AckOutcome {
    const entry = this.pending.get(emitNumber);
    if (entry) {
      this.clock.clearTimeout(entry.timer);
      this.pending.delete(emitNumber);
      return { kind: 'inTime', roundTripMs: this.clock.now() - entry.sentAt };
    }
    const sentAt = this.timedOut.get(emitNumber);
    if (sentAt !== undefined) {
      this.timedOut.delete(emitNumber);
      return { kind: 'late', roundTripMs: this.clock.now() - sentAt };
    }
    return { kind: 'unknown' };
  }

  get waiting(): number {
    return this.pending.size;
  }

  /** Stops every timer (the connection is going away). */
  dispose(): void {
    for (const { timer } of this.pending.values()) this.clock.clearTimeout(timer);
    this.pending.clear();
    this.timedOut.clear();
  }
}

/** "10 s", "0.5 s": seconds for sentences. */
export function formatSeconds(seconds: number): string {
  return `${Number(seconds.toFixed(3))} s`;
}
