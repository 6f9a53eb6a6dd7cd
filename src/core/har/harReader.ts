/**
 * Reads a HAR file as Chrome DevTools, Firefox or HTTP Toolkit save it and turns each WebSocket
 * entry into what the debugger keeps: an endpoint (URL, subprotocols, the request headers a user
 * set, without cookies unless asked and without the handshake's own headers), its sent messages
 * as saved messages, the exchange as a flow to replay (the same draft as "Save as flow"), and the
 * recorded log, to show read-only.
 *
 * HAR files come from anywhere, so the text is refused before parsing when it is too large or
 * nested too deeply, then refused for a `__proto__`-style key anywhere, then checked with zod
 * (which builds fresh objects and drops unknown keys). Bad base64 refuses the file: nothing is
 * half imported. The collection made is checked again by the collection file's own reader.
 */
import '../../shared/zod';
import * as z from 'zod/mini';
import { decodeBase64, encodeBase64, utf8ByteLength } from '../../shared/codecs';
import { COLLECTION_FILE_VERSION, exportCollection, findForbiddenKey, importCollection, MAX_NAME_LENGTH } from '../../shared/collections';
import { flowDraft } from '../../shared/flowDraft';
import type { Collection, Endpoint, FlowDefinition, HeaderRow, LogEntry, Payload, SavedMessage } from '../../shared/protocol';
import { MAX_SAVED_MESSAGES } from '../../shared/savedMessageLimits';
import { checkHeaders } from '../../shared/validation';
import { isSocketIoHar, readSocketIoFrames, type HarFrame } from './socketIoHar';
import { l10n } from '../../shared/l10n';

/** HAR files larger than this are refused before they are parsed. */
export const MAX_HAR_BYTES = 64 * 1024 * 1024;
/** Deeper nesting than any browser writes (a HAR entry is about 5 levels deep). */
export const MAX_HAR_DEPTH = 64;
const MAX_ENTRIES = 50_000;
const MAX_MESSAGES_PER_ENTRY = 1_000_000;
/** The largest body a saved message keeps (savedMessageSchema's limit). */
const MAX_SAVED_BODY = 1024 * 1024;
/** A flow has at most 2000 steps (flows.ts); two go to connect and close. */
const MAX_FLOW_MESSAGES = 1998;

/** Headers of the handshake itself, which the client library writes: never kept on an endpoint. */
const HANDSHAKE_HEADERS = new Set([
  'host',
  'connection',
  'upgrade',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
  'sec-websocket-accept',
  'content-length',
  'transfer-encoding',
]);

// The error words are functions, looked up in the display language when the error is made (the
// schemas are built at module load, before l10n is configured).
const text = (max: number) => z.string().check(z.maxLength(max, { error: () => l10n.t('longer than {0} characters', max) }));
const nameValueList = z.optional(z.array(z.object({ name: text(8192), value: text(65536) }), { error: () => l10n.t('expected a list of {name, value}') }).check(z.maxLength(1000)));

const messageSchema = z.object(
  {
    type: z.optional(text(32)),
    time: z.optional(z.number({ error: () => l10n.t('expected a number') })),
    opcode: z.optional(z.number({ error: () => l10n.t('expected a number') })),
    data: z.optional(z.string({ error: () => l10n.t('expected a string') })),
  },
  { error: () => l10n.t('expected a message object') },
);

const webSocketEntrySchema = z.object(
  {
    startedDateTime: z.optional(text(100)),
    _resourceType: z.optional(text(100)),
    request: z.object({ method: z.optional(text(32)), url: text(8192), headers: nameValueList }, { error: () => l10n.t('expected a request object with a "url"') }),
    response: z.optional(z.object({ status: z.optional(z.number()), headers: nameValueList })),
    _webSocketMessages: z.optional(z.array(messageSchema, { error: () => l10n.t('expected a list of messages') }).check(z.maxLength(MAX_MESSAGES_PER_ENTRY))),
  },
  { error: () => l10n.t('expected an entry object') },
);

const harSchema = z.object(
  {
    log: z.object(
      {
        creator: z.optional(z.object({ name: z.optional(text(200)) })),
        entries: z.array(z.unknown(), { error: () => l10n.t('expected a list of entries') }).check(z.maxLength(MAX_ENTRIES, { error: () => l10n.t('more than {0} entries', MAX_ENTRIES) })),
      },
      { error: () => l10n.t('expected an object with "entries"') },
    ),
  },
  { error: () => l10n.t('expected an object with "log"') },
);

type WebSocketEntry = z.infer<typeof webSocketEntrySchema>;

export interface HarImportOptions {
  /** The collection's name (e.g. from the file's name). */
  name: string;
  /** Keep the Cookie header on the endpoints (it is left out by default). */
  keepCookies?: boolean;
  newId: () => string;
}

/** One imported connection: its endpoint's name and its recorded log. */
export interface ImportedLog {
  endpoint: string;
  url: string;
  entries: LogEntry[];
}

export interface HarImport {
  collection: Collection;
  logs: ImportedLog[];
  /** Which tool wrote the file, from its "creator". */
  creator: string;
  /** Sentences: what was left out or stripped. */
  notes: string[];
}

export type HarImportResult = { ok: true; value: HarImport } | { ok: false; error: string };

/**
 * The deepest nesting of arrays and objects in JSON text, scanned without parsing (strings are
 * skipped), so a hostile file cannot exhaust the parser's stack. Stops counting past `limit`.
 */
export function jsonDepth(json: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

function pathInWords(path: readonly PropertyKey[]): string {
  return path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('').replace(/^\./, '');
}

function isWebSocketEntry(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const entry = raw as Record<string, unknown>;
  if (entry._resourceType === 'websocket' || Array.isArray(entry._webSocketMessages)) return true;
  const request = entry.request as Record<string, unknown> | undefined;
  const url = typeof request?.url === 'string' ? request.url : '';
  if (/^wss?:/i.test(url)) return true;
  const response = entry.response as Record<string, unknown> | undefined;
  if (response?.status !== 101 || !Array.isArray(request?.headers)) return false;
  return (request.headers as unknown[]).some(
    (h) => typeof h === 'object' && h !== null && String((h as Record<string, unknown>).name).toLowerCase() === 'upgrade' && String((h as Record<string, unknown>).value).toLowerCase() === 'websocket',
  );
}

/** The WebSocket URL of a handshake: tools that log the request as http(s) get ws(s). */
function webSocketUrl(url: string): string {
  return url.replace(/^http(s?):/i, (_, s: string) => `ws${s}:`);
}

/** Seconds (Chrome, Firefox, HTTP Toolkit) or milliseconds since the epoch, or seconds since the entry started. */
function messageTime(time: number | undefined, startedMs: number): number {
  if (time === undefined || !Number.isFinite(time)) return startedMs;
  // Rounded to the microsecond: seconds × 1000 in binary floating point leaves noise digits.
  const ms = (seconds: number): number => Math.round(seconds * 1e6) / 1e3;
  if (time > 1e11) return time;
  if (time > 1e8) return ms(time);
  return startedMs + ms(time);
}

function directionOf(type: string | undefined): 'sent' | 'received' | undefined {
  switch (type?.toLowerCase()) {
    case 'send':
    case 'sent':
    case 'outgoing':
      return 'sent';
    case 'receive':
    case 'received':
    case 'incoming':
      return 'received';
    default:
      return undefined;
  }
}

function headerValue(headers: readonly { name: string; value: string }[] | undefined, name: string): string | undefined {
  return headers?.find((h) => h.name.toLowerCase() === name)?.value;
}

function endpointName(url: string, taken: Set<string>): string {
  let base: string;
  try {
    const parsed = new URL(url);
    base = `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    base = url;
  }
  base = base.slice(0, MAX_NAME_LENGTH - 8) || 'WebSocket';
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base} (${n})`;
  taken.add(name);
  return name;
}

function asJson(value: string): boolean {
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}

/** A short one-line preview of a text message for its saved name. */
function preview(payload: Payload): string {
  if (payload.kind === 'binary') return 'binary';
  const line = payload.text.replace(/\s+/g, ' ').trim();
  return line.length > 40 ? `${line.slice(0, 39)}…` : line || 'empty';
}

/** Sent messages as saved messages: identical ones once, at most MAX_SAVED_MESSAGES. */
function savedMessages(entries: readonly LogEntry[], notes: string[], endpoint: string): SavedMessage[] {
  const seen = new Set<string>();
  const out: SavedMessage[] = [];
  let tooBig = 0;
  let overLimit = 0;
  for (const entry of entries) {
    if (entry.direction !== 'sent' || !entry.payload) continue;
    const payload = entry.payload;
    const format = payload.kind === 'binary' ? 'base64' : asJson(payload.text) ? 'json' : 'text';
    const body = payload.kind === 'binary' ? payload.base64 : payload.text;
    const key = `${format}\u0000${body}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (body.length > MAX_SAVED_BODY) {
      tooBig += 1;
      continue;
    }
    if (out.length >= MAX_SAVED_MESSAGES) {
      overLimit += 1;
      continue;
    }
    out.push({ name: `${out.length + 1}. ${preview(payload)}`, format, body });
  }
  if (tooBig > 0) notes.push(tooBig === 1
    ? l10n.t('{0}: 1 sent message over 1 MiB not saved (the flow and the log keep them).', endpoint)
    : l10n.t('{0}: {1} sent messages over 1 MiB not saved (the flow and the log keep them).', endpoint, tooBig));
  if (overLimit > 0) notes.push(l10n.t('{0}: {1} more sent messages not saved (an endpoint keeps at most {2}).', endpoint, overLimit, MAX_SAVED_MESSAGES));
  return out;
}

/** A Socket.IO event's arguments as a saved emit's body: a JSON array (one binary argument as base64). */
function emitBody(args: readonly Payload[]): Pick<SavedMessage, 'format' | 'body'> | undefined {
  if (args.length === 1 && args[0]!.kind === 'binary') return { format: 'base64', body: args[0]!.base64 };
  if (args.some((a) => a.kind === 'binary')) return undefined;
  return { format: 'json', body: `[${args.map((a) => (a.kind === 'text' ? a.text : '')).join(',')}]` };
}

function emitKey(event: string, body: Pick<SavedMessage, 'format' | 'body'>, ack: boolean): string {
  return `${event}\u0000${body.format}\u0000${body.body}\u0000${ack}`;
}

/**
 * Sent Socket.IO events as saved emits (event, arguments, ack flag): identical ones once. Returns
 * the names by emit, so a flow can send an emit the flow format cannot write (a binary argument).
 */
function savedEmits(entries: readonly LogEntry[], notes: string[], endpoint: string): { messages: SavedMessage[]; names: Map<string, string> } {
  const names = new Map<string, string>();
  const out: SavedMessage[] = [];
  let mixed = 0;
  let tooBig = 0;
  let overLimit = 0;
  for (const entry of entries) {
    if (entry.kind !== 'event' || entry.direction !== 'sent' || !entry.event) continue;
    const event = entry.event;
    const body = emitBody(event.args);
    if (!body) {
      mixed += 1;
      continue;
    }
    const ack = event.expectsAck === true;
    const key = emitKey(event.name, body, ack);
    if (names.has(key)) continue;
    if (body.body.length > MAX_SAVED_BODY) {
      tooBig += 1;
      continue;
    }
    if (out.length >= MAX_SAVED_MESSAGES) {
      overLimit += 1;
      continue;
    }
    const name = `${out.length + 1}. ${event.name.replace(/\s+/g, ' ').slice(0, 60)}`;
    names.set(key, name);
    out.push({ name, format: body.format, body: body.body, event: event.name, ...(ack ? { ack: true as const } : {}) });
  }
  if (mixed > 0) notes.push(mixed === 1
    ? l10n.t('{0}: 1 emit with binary among other arguments not saved (a saved emit has JSON arguments or one binary argument); the flow writes their bytes as {1} objects.', endpoint, '{"<binary>": base64}')
    : l10n.t('{0}: {1} emits with binary among other arguments not saved (a saved emit has JSON arguments or one binary argument); the flow writes their bytes as {2} objects.', endpoint, mixed, '{"<binary>": base64}'));
  if (tooBig > 0) notes.push(tooBig === 1
    ? l10n.t('{0}: 1 emit over 1 MiB not saved (the flow and the log keep them).', endpoint)
    : l10n.t('{0}: {1} emits over 1 MiB not saved (the flow and the log keep them).', endpoint, tooBig));
  if (overLimit > 0) notes.push(l10n.t('{0}: {1} more emits not saved (an endpoint keeps at most {2}).', endpoint, overLimit, MAX_SAVED_MESSAGES));
  return { messages: out, names };
}

/**
 * The replay flow of a Socket.IO exchange: emits, expected events and acks. An emit of one binary
 * argument, which a flow's "emit" cannot write, sends its saved emit instead.
 */
function socketIoFlow(entries: readonly LogEntry[], endpoint: string, flowName: string, names: ReadonlyMap<string, string>): FlowDefinition {
  const exchange = entries.filter((e) => (e.kind === 'event' || e.kind === 'ack') && e.direction !== 'none');
  const draft = flowDraft(exchange, endpoint, flowName, 'Replays the exchange recorded in the HAR file');
  // flowDraft writes one step per event and ack, between its connect and close steps.
  const steps = draft.steps.map((step, index) => {
    const entry = exchange[index - 1];
    const event = entry?.event;
    if (!event || entry.kind !== 'event' || entry.direction !== 'sent' || !('emit' in step)) return step;
    if (!(event.args.length === 1 && event.args[0]!.kind === 'binary')) return step;
    const body = emitBody(event.args);
    const name = body ? names.get(emitKey(event.name, body, event.expectsAck === true)) : undefined;
    return name === undefined ? step : { send: { message: name } };
  });
  return { name: draft.name, steps };
}

/** Reads a HAR file's text. */
export function readHar(textIn: string, options: HarImportOptions): HarImportResult {
  const bytes = utf8ByteLength(textIn);
  if (bytes > MAX_HAR_BYTES) return { ok: false, error: l10n.t('the file is {0} MB; HAR files are read up to {1} MB', (bytes / 1024 / 1024).toFixed(1), MAX_HAR_BYTES / 1024 / 1024) };
  if (jsonDepth(textIn, MAX_HAR_DEPTH) > MAX_HAR_DEPTH) return { ok: false, error: l10n.t('the JSON is nested more than {0} levels deep; a HAR file is not', MAX_HAR_DEPTH) };
  let data: unknown;
  try {
    data = JSON.parse(textIn);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const cut = /end of JSON input|Unterminated/i.test(message);
    return { ok: false, error: cut ? l10n.t('not a JSON file: {0} (the file ends too early: was it cut short?)', message) : l10n.t('not a JSON file: {0}', message) };
  }
  const forbidden = findForbiddenKey(data);
  if (forbidden) return { ok: false, error: l10n.t('{0}: the key "{1}" is not allowed in a HAR file', forbidden.path, forbidden.key) };
  const har = harSchema.safeParse(data);
  if (!har.success) {
    const issue = har.error.issues[0]!;
    return { ok: false, error: l10n.t('not a HAR file: {0}: {1}', pathInWords(issue.path) || l10n.t('the file'), issue.message) };
  }
  const notes: string[] = [];
  const taken = new Set<string>();
  const endpoints: Endpoint[] = [];
  const logs: ImportedLog[] = [];
  const flows: FlowDefinition[] = [];
  let controlFrames = 0;
  let cookiesDropped = 0;
  for (const [index, raw] of har.data.log.entries.entries()) {
    if (!isWebSocketEntry(raw)) continue;
    const parsed = webSocketEntrySchema.safeParse(raw);
    const where = `log.entries[${index}]`;
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { ok: false, error: `${where}${issue.path.length > 0 ? `.${pathInWords(issue.path)}` : ''}: ${issue.message}` };
    }
    const converted = convertEntry(parsed.data, where, options, taken);
    if (!converted.ok) return converted;
    const { endpoint, entries } = converted;
    controlFrames += converted.controlFrames;
    cookiesDropped += converted.cookiesDropped;
    notes.push(...converted.notes);
    const socketIo = endpoint.kind === 'socketio';
    const saved = socketIo ? savedEmits(entries, notes, endpoint.name) : { messages: savedMessages(entries, notes, endpoint.name), names: new Map<string, string>() };
    const messages = saved.messages;
    endpoints.push({ ...endpoint, ...(messages.length > 0 ? { messages } : {}) });
    logs.push({ endpoint: endpoint.name, url: endpoint.url, entries });
    // A Socket.IO flow replays events and acks; bytes kept with a reason are not replayed.
    const replayed = entries.filter((e) => (socketIo ? (e.kind === 'event' || e.kind === 'ack') && e.direction !== 'none' : e.kind === 'message'));
        if (replayed.length > MAX_FLOW_MESSAGES) notes.push(socketIo
      ? l10n.t('{0}: the flow replays the first {1} of {2} events (a flow has at most 2000 steps).', endpoint.name, MAX_FLOW_MESSAGES, replayed.length)
      : l10n.t('{0}: the flow replays the first {1} of {2} messages (a flow has at most 2000 steps).', endpoint.name, MAX_FLOW_MESSAGES, replayed.length));
    const flowName = `Replay ${endpoint.name}`.slice(0, MAX_NAME_LENGTH);
    const kept = replayed.slice(0, MAX_FLOW_MESSAGES);
    flows.push(socketIo ? socketIoFlow(kept, endpoint.name, flowName, saved.names) : flowDraft(kept, endpoint.name, flowName, `Replays the exchange recorded in the HAR file`));
  }
  if (endpoints.length === 0) return { ok: false, error: l10n.t('the HAR file has no WebSocket entries (a browser saves them when the WebSocket was open while recording)') };
  if (controlFrames > 0) notes.push(controlFrames === 1 ? l10n.t('1 control frame (ping, pong, close) left out.') : l10n.t('{0} control frames (ping, pong, close) left out.', controlFrames));
  if (cookiesDropped > 0) notes.push(cookiesDropped === 1
    ? l10n.t('Cookies left out of 1 endpoint (keep them with --keep-cookies, or the "Keep cookies" choice).')
    : l10n.t('Cookies left out of {0} endpoints (keep them with --keep-cookies, or the "Keep cookies" choice).', cookiesDropped));
  // Written and read back through the collection file's reader: the same checks as any import.
  const draft: Collection = { id: '', name: options.name.slice(0, MAX_NAME_LENGTH) || 'HAR import', endpoints, flows };
  const checked = importCollection(exportCollection(draft), options.newId);
  if (!checked.ok) return { ok: false, error: l10n.t('the HAR does not make a valid collection (version {0}): {1}', COLLECTION_FILE_VERSION, checked.error) };
  const creator = har.data.log.creator?.name ?? 'an unknown tool';
  return { ok: true, value: { collection: checked.collection, logs, creator, notes } };
}

type Converted = { ok: true; endpoint: Omit<Endpoint, 'id'> & { id: string }; entries: LogEntry[]; controlFrames: number; cookiesDropped: number; notes: string[] } | { ok: false; error: string };

function convertEntry(entry: WebSocketEntry, where: string, options: HarImportOptions, taken: Set<string>): Converted {
  // Checked with the collection's own URL rules once the collection is made.
  const url = webSocketUrl(entry.request.url.trim());
  const started = entry.startedDateTime === undefined ? Number.NaN : Date.parse(entry.startedDateTime);
  const startedMs = Number.isFinite(started) ? started : 0;
  const requestHeaders = entry.request.headers ?? [];
  const protocols = (headerValue(requestHeaders, 'sec-websocket-protocol') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const headers: HeaderRow[] = [];
  const seen = new Set<string>();
  let cookiesDropped = 0;
  const badHeaders: string[] = [];
  for (const h of requestHeaders) {
    const key = h.name.trim().toLowerCase();
    // HTTP/2 pseudo-headers (":authority") and the handshake's own headers are the library's to write.
    if (key.startsWith(':') || HANDSHAKE_HEADERS.has(key) || seen.has(key)) continue;
    if (key === 'cookie' && !options.keepCookies) {
      cookiesDropped = 1;
      continue;
    }
    // A value the connection form would refuse (a masked secret, a character Node cannot send) is left out.
    const checked = checkHeaders([{ name: h.name, value: h.value }]);
    if (!checked.ok) {
      badHeaders.push(h.name.trim());
      continue;
    }
    seen.add(key);
    headers.push(...checked.headers);
  }
  const entries: LogEntry[] = [];
  const frames: HarFrame[] = [];
  let controlFrames = 0;
  const messages = entry._webSocketMessages ?? [];
  for (const [i, message] of messages.entries()) {
    const at = `${where}._webSocketMessages[${i}]`;
    const direction = directionOf(message.type);
    if (direction === undefined) return { ok: false, error: l10n.t('{0}.type: {1} is neither "send" nor "receive"', at, JSON.stringify(message.type ?? null)) };
    const opcode = message.opcode ?? 1;
    if (opcode !== 1 && opcode !== 2) {
      controlFrames += 1;
      continue;
    }
    const data = message.data ?? '';
    let payload: Payload;
    let size: number;
    if (opcode === 2) {
      let decoded: Uint8Array;
      try {
        decoded = decodeBase64(data);
      } catch (error) {
        return { ok: false, error: l10n.t('{0}.data: a binary message must be base64: {1}', at, error instanceof Error ? error.message : String(error)) };
      }
      // Kept in the canonical spelling (padding, standard alphabet) whatever the tool wrote.
      payload = { kind: 'binary', base64: encodeBase64(decoded) };
      size = decoded.byteLength;
      frames.push({ at, direction, time: messageTime(message.time, startedMs), data: { kind: 'binary', bytes: decoded } });
    } else {
      payload = { kind: 'text', text: data };
      size = utf8ByteLength(data);
      frames.push({ at, direction, time: messageTime(message.time, startedMs), data: { kind: 'text', text: data } });
    }
    entries.push({ id: entries.length + 1, time: messageTime(message.time, startedMs), kind: 'message', direction, frame: opcode === 2 ? 'binary' : 'text', size, payload });
  }
  const headerNotes = (name: string): string[] => badHeaders.map((header) => l10n.t('{0}: the header {1} left out: its value cannot be sent as it is (a masked secret?)', name, JSON.stringify(header)));
  if (isSocketIoHar(url, frames)) {
    const read = readSocketIoFrames(url, frames);
    const namespace = read.options.namespace === '/' ? '' : read.options.namespace;
    const name = endpointName(`${read.url}${namespace}`, taken);
    const endpoint = { id: '', name, url: read.url, protocols: [], headers, kind: 'socketio' as const, socketio: read.options };
    return { ok: true, endpoint, entries: read.entries, controlFrames, cookiesDropped, notes: [...headerNotes(name), ...read.notes.map((note) => `${name}: ${note}`)] };
  }
  const name = endpointName(url, taken);
  return { ok: true, endpoint: { id: '', name, url, protocols, headers }, entries, controlFrames, cookiesDropped, notes: headerNotes(name) };
}
