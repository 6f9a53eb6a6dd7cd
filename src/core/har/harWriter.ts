/**
 * Writes WebSocket sessions as HAR 1.2 in Chrome DevTools' form (see harTypes.ts), for "Export as
 * HAR…" in the panel and `run --har` in the CLI. One entry per connection: its handshake, its
 * timings where the handshake inspector measured them, and its text and binary messages (control
 * frames are not HAR messages). A Socket.IO connection is written as Chrome records one: the
 * Engine.IO WebSocket handshake and the packets' wire text (see socketIoHar.ts).
 *
 * An export strips what should not leave the machine unless asked to keep it: the value of every
 * secret variable becomes its `{{name}}` reference (so an import replays against the environment),
 * and cookies (the Cookie and Set-Cookie headers, and the cookie lists) are removed. What was
 * stripped is returned in words for the user. Pure: no I/O.
 */
import type { HandshakeDetails, HandshakeTiming, LogEntry, SocketIoOptions } from '../../shared/protocol';
import { MASK } from '../sessionBase';
import type { HarEntry, HarLog, HarNameValue, HarTimings, HarWebSocketMessage } from './harTypes';
import { harData, socketIoFrames, socketIoHandshakeUrl } from './socketIoHar';
import { l10n } from '../../shared/l10n';

/** One connection as the writer needs it: what it connected to, its handshake and its log. */
export interface HarSession {
  url: string;
  /** When the connection started (epoch ms); the first entry's time when unknown. */
  startedAt?: number;
  handshake?: HandshakeDetails;
  timing?: HandshakeTiming;
  remoteAddress?: string;
  entries: readonly Omit<LogEntry, 'id'>[];
  /** Set for a Socket.IO connection (`url` is then the server's origin, as the endpoint has it). */
  socketio?: SocketIoOptions;
}

export interface HarWriteOptions {
  creator: { name: string; version: string };
  /** Secret variables whose values must not appear in the file. */
  secrets?: readonly { name: string; value: string }[];
  keepSecrets?: boolean;
  keepCookies?: boolean;
}

export interface HarWriteResult {
  har: HarLog;
  /** The HAR as a file's text (2-space JSON, trailing newline). */
  text: string;
  messages: number;
  /** Sentences: what was stripped; empty when nothing was. */
  notes: string[];
}

const COOKIE_HEADERS = new Set(['cookie', 'set-cookie']);

/** Cookie pairs of a Cookie header ("a=1; b=2"). */
function requestCookies(value: string): HarNameValue[] {
  return value
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const at = part.indexOf('=');
      return at < 0 ? { name: part, value: '' } : { name: part.slice(0, at).trim(), value: part.slice(at + 1).trim() };
    });
}

/** The name and value of a Set-Cookie header (its attributes are left out of the cookie list). */
function responseCookie(value: string): HarNameValue {
  const pair = value.split(';')[0] ?? '';
  const at = pair.indexOf('=');
  return at < 0 ? { name: pair.trim(), value: '' } : { name: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim() };
}

function queryOf(url: string): HarNameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/** Replaces secret values in text, longest first, and counts what it replaced per name. */
class SecretStripper {
  private readonly secrets: { name: string; value: string }[];
  readonly counts = new Map<string, number>();
  maskedHeaders = 0;

  constructor(secrets: readonly { name: string; value: string }[], keep: boolean) {
    this.secrets = keep ? [] : secrets.filter((s) => s.value !== '').sort((a, b) => b.value.length - a.value.length);
  }

  strip(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (!out.includes(secret.value)) continue;
      const parts = out.split(secret.value);
      this.counts.set(secret.name, (this.counts.get(secret.name) ?? 0) + parts.length - 1);
      out = parts.join(`{{${secret.name}}}`);
    }
    return out;
  }
}

function timingsOf(timing: HandshakeTiming | undefined): { timings: HarTimings; total: number } {
  const known = (ms: number | undefined): number => (ms === undefined ? -1 : Math.round(ms * 1000) / 1000);
  const tcp = timing?.tcpMs;
  const tls = timing?.tlsMs;
  // HAR counts the TLS handshake inside "connect" as well as in "ssl".
  const connect = tcp === undefined ? -1 : known(tcp + (tls ?? 0));
  const timings: HarTimings = {
    blocked: -1,
    dns: known(timing?.dnsMs),
    connect,
    ssl: known(tls),
    send: 0,
    wait: timing?.upgradeMs === undefined ? 0 : known(timing.upgradeMs),
    receive: 0,
  };
  const total = timing?.totalMs ?? [timings.dns, timings.connect, timings.wait].filter((ms) => ms > 0).reduce((a, b) => a + b, 0);
  return { timings, total: known(total) };
}

/** The HTTP version of the handshake's request line ("GET /path HTTP/1.1"), 1.1 when unknown. */
function httpVersionOf(handshake: HandshakeDetails | undefined): string {
  const match = /\bHTTP\/(\d(?:\.\d)?)$/.exec(handshake?.requestLine ?? '');
  return `HTTP/${match?.[1] ?? '1.1'}`;
}

/** Writes the sessions as one HAR log. */
export function writeHar(sessions: readonly HarSession[], options: HarWriteOptions): HarWriteResult {
  const stripper = new SecretStripper(options.secrets ?? [], options.keepSecrets === true);
  let cookieHeaders = 0;
  let messages = 0;
  const headersOf = (rows: readonly [string, string][]): HarNameValue[] => {
    const out: HarNameValue[] = [];
    for (const [name, value] of rows) {
      if (!options.keepCookies && COOKIE_HEADERS.has(name.toLowerCase())) {
        cookieHeaders += 1;
        continue;
      }
      if (value.includes(MASK)) stripper.maskedHeaders += 1;
      out.push({ name, value: stripper.strip(value) });
    }
    return out;
  };
  const entries = sessions.map((session): HarEntry => {
    const url = stripper.strip(session.socketio ? socketIoHandshakeUrl(session.url, session.socketio) : session.url);
    const handshake = session.handshake;
    const requestHeaders = headersOf(handshake?.requestHeaders ?? []);
    const responseHeaders = headersOf(handshake?.responseHeaders ?? []);
    const cookies = (name: string, split: (value: string) => HarNameValue[]): HarNameValue[] =>
      options.keepCookies
        ? (handshake?.[name === 'cookie' ? 'requestHeaders' : 'responseHeaders'] ?? [])
            .filter(([header]) => header.toLowerCase() === name)
            .flatMap(([, value]) => split(stripper.strip(value)))
        : [];
    const wsMessages: HarWebSocketMessage[] = [];
    // Whole microseconds over 1e6: what a browser wrote reads back digit for digit.
    const seconds = (time: number): number => Math.round(time * 1000) / 1e6;
    if (session.socketio) {
      for (const frame of socketIoFrames(session.entries, session.socketio)) {
        const { opcode, data } = harData(frame.data);
        wsMessages.push({ type: frame.direction === 'sent' ? 'send' : 'receive', time: seconds(frame.time), opcode, data: opcode === 1 ? stripper.strip(data) : data });
      }
    }
    for (const entry of session.socketio ? [] : session.entries) {
      if (entry.kind !== 'message' || !entry.payload || entry.direction === 'none') continue;
      const payload = entry.payload;
      wsMessages.push({
        type: entry.direction === 'sent' ? 'send' : 'receive',
        time: seconds(entry.time),
        opcode: payload.kind === 'binary' ? 2 : 1,
        data: payload.kind === 'binary' ? payload.base64 : stripper.strip(payload.text),
      });
    }
    messages += wsMessages.length;
    const started = session.startedAt ?? session.entries[0]?.time ?? 0;
    const { timings, total } = timingsOf(session.timing);
    const version = httpVersionOf(handshake);
    const status = handshake?.statusCode ?? 101;
    return {
      startedDateTime: new Date(started).toISOString(),
      time: total,
      request: {
        method: 'GET',
        url,
        httpVersion: version,
        headers: requestHeaders,
        queryString: queryOf(url),
        cookies: cookies('cookie', requestCookies),
        headersSize: -1,
        bodySize: 0,
      },
      response: {
        status,
        statusText: handshake?.statusMessage ?? (status === 101 ? 'Switching Protocols' : ''),
        httpVersion: version,
        headers: responseHeaders,
        cookies: cookies('set-cookie', (value) => [responseCookie(value)]),
        content: { size: 0, mimeType: 'x-unknown' },
        redirectURL: '',
        headersSize: -1,
        bodySize: 0,
      },
      cache: {},
      timings,
      ...(session.remoteAddress ? { serverIPAddress: session.remoteAddress } : {}),
      _resourceType: 'websocket',
      _webSocketMessages: wsMessages,
    };
  });
  const har: HarLog = { log: { version: '1.2', creator: options.creator, pages: [], entries } };
  const notes: string[] = [];
  const secretNames = [...stripper.counts].map(([name, count]) => `{{${name}}} (${count}×)`);
  if (secretNames.length > 0) notes.push(l10n.t('Secret values replaced by their variable: {0}.', secretNames.join(', ')));
  if (stripper.maskedHeaders > 0) notes.push(stripper.maskedHeaders === 1
      ? l10n.t('1 handshake header value hold a secret the connection recorded masked ({0}).', MASK)
      : l10n.t('{0} handshake header values hold a secret the connection recorded masked ({1}).', stripper.maskedHeaders, MASK));
  if (cookieHeaders > 0) notes.push(cookieHeaders === 1 ? l10n.t('Cookies removed: 1 Cookie / Set-Cookie header.') : l10n.t('Cookies removed: {0} Cookie / Set-Cookie headers.', cookieHeaders));
  return { har, text: `${JSON.stringify(har, null, 2)}\n`, messages, notes };
}

/**
 * A panel's log as HAR sessions: each 'open' entry starts a connection. The inspector knows only
 * the latest handshake, so earlier connections of the same panel carry their URL (from their open
 * entry) and messages.
 */
export function sessionsFromLog(
  entries: readonly LogEntry[],
  latest: { url: string; handshake?: HandshakeDetails; timing?: HandshakeTiming; remoteAddress?: string; socketio?: SocketIoOptions },
): HarSession[] {
  const groups: LogEntry[][] = [];
  // A Socket.IO emit queued while disconnected goes out on the next connection (or never).
  let queued: LogEntry[] = [];
  for (const entry of entries) {
    if (latest.socketio && entry.kind === 'event' && entry.event?.queued) {
      queued.push(entry);
      continue;
    }
    if (entry.kind === 'open' || groups.length === 0) groups.push([]);
    groups[groups.length - 1]!.push(entry);
    if (entry.kind === 'open') {
      groups[groups.length - 1]!.push(...queued);
      queued = [];
    }
  }
  const withMessages = groups.filter((group) => group.some((e) => e.kind === 'open' || e.kind === 'message'));
  return withMessages.map((group, index) => {
    const last = index === withMessages.length - 1;
    const opened = group.find((e) => e.kind === 'open');
    // An earlier connection may have gone elsewhere: its open entry names the URL (secrets masked).
    const loggedUrl = /^Connected to (wss?:\/\/\S+)/.exec(opened?.detail ?? '')?.[1];
    return {
      url: (last && latest.url !== '' ? latest.url : loggedUrl) ?? latest.url,
      startedAt: last && latest.timing?.totalMs !== undefined && opened ? opened.time - latest.timing.totalMs : (opened?.time ?? group[0]!.time),
      ...(last && latest.handshake ? { handshake: latest.handshake } : {}),
      ...(last && latest.timing ? { timing: latest.timing } : {}),
      ...(last && latest.remoteAddress ? { remoteAddress: latest.remoteAddress } : {}),
      ...(latest.socketio ? { socketio: latest.socketio } : {}),
      entries: group,
    };
  });
}
