/**
 * The one message protocol between the extension host and the debugger webview.
 *
 * Messages from the webview are untrusted input: their shape is declared once as a zod schema
 * (so the host can validate before acting) and the TypeScript types are derived from it.
 * Messages to the webview are plain interfaces. The webview imports this module with
 * `import type` only, so zod never reaches the browser bundle.
 */
import './zod';
import * as z from 'zod/mini';

/** The browser WebSocket API's readyState names, which users already know. */
export type ReadyState = 'CONNECTING' | 'OPEN' | 'CLOSING' | 'CLOSED';

/** How a payload is shown (Show as) or how the composer body is encoded (Send as). */
export type PayloadFormat = 'text' | 'json' | 'hex' | 'base64';

export interface HeaderRow {
  name: string;
  value: string;
}

/** Plain WebSocket (the default) or Socket.IO on top of Engine.IO. */
export type ConnectionKind = 'websocket' | 'socketio';

/** Which Socket.IO client talks to the server: v4 for v3/v4 servers, v2 for Socket.IO 2 servers. */
export type SocketIoVersion = 'v4' | 'v2';

/** Socket.IO options of one connection or endpoint. */
export interface SocketIoOptions {
  /** The namespace joined, starting with '/'. */
  namespace: string;
  /** The server's Engine.IO path, default '/socket.io'. */
  path: string;
  /** 'websocket' only, or HTTP long-polling first and then the upgrade to WebSocket. */
  transports: 'websocket' | 'polling';
  version: SocketIoVersion;
  /** The CONNECT packet's auth payload as JSON text; empty for none (v3/v4 servers only). */
  auth: string;
  /** Extra query parameters of the handshake. */
  query: HeaderRow[];
  reconnection: boolean;
  /** How long an emit waits for its ack before it is reported as missing. */
  ackTimeoutSeconds: number;
}

/** What the user fills in to open a connection. */
export interface ConnectionParams {
  url: string;
  protocols: string[];
  headers: HeaderRow[];
  /** Absent means 'websocket'. */
  kind?: ConnectionKind;
  /** Present when kind is 'socketio'. */
  socketio?: SocketIoOptions;
}

/** The server's answer when it refuses the HTTP Upgrade (anything but 101). */
export interface HandshakeRefusal {
  statusCode: number;
  statusMessage: string;
  headers: [string, string][];
  /** The first 4 KB of the response body, decoded as UTF-8. */
  body: string;
  bodyTruncated: boolean;
}

export interface CloseInfo {
  code: number;
  reason: string;
  wasClean: boolean;
}

export interface Counters {
  messagesSent: number;
  messagesReceived: number;
  bytesSent: number;
  bytesReceived: number;
}

/** A snapshot of one connection, in the browser WebSocket API's terms. */
export interface ConnectionState {
  readyState: ReadyState;
  url: string;
  protocol: string;
  extensions: string;
  bufferedAmount: number;
  close?: CloseInfo;
  refusal?: HandshakeRefusal;
  /** The last connection failure in words (DNS failure, refused, timeout, ...). */
  error?: string;
  counters: Counters;
  /** For Socket.IO connections: what the Engine.IO layer negotiated. */
  socketio?: SocketIoState;
}

export interface SocketIoState {
  namespace: string;
  /** The Engine.IO protocol in use (EIO=3 for Socket.IO 2, EIO=4 for v3/v4). */
  eio: 3 | 4;
  /** The transport carrying the session now ('polling' or 'websocket'), empty when disconnected. */
  transport: string;
  /** The session id the server gave the namespace, empty when disconnected. */
  sid: string;
  /** Emits waiting for the connection, sent when it (re)connects. */
  queued: number;
}

/** Message payload as it crosses the postMessage boundary. */
export type Payload = { kind: 'text'; text: string } | { kind: 'binary'; base64: string };

export type EntryKind = 'open' | 'message' | 'ping' | 'pong' | 'error' | 'close' | 'info' | 'event' | 'ack';
export type Direction = 'sent' | 'received' | 'none';

/** One row of the message log. */
export interface LogEntry {
  id: number;
  /** Milliseconds since the epoch. */
  time: number;
  kind: EntryKind;
  direction: Direction;
  /** Frame type of messages and control frames: ping/pong payloads are binary. */
  frame?: 'text' | 'binary';
  /** Payload size in bytes. */
  size: number;
  payload?: Payload;
  /** Words for open / error / close / info entries. */
  detail?: string;
  /** For Socket.IO 'event' and 'ack' entries. */
  event?: EventInfo;
}

/** A Socket.IO event or ack: its name and each argument as its own payload. */
export interface EventInfo {
  /** The event name; for an ack, the name of the event it answers. */
  name: string;
  args: Payload[];
  /** Our number for an emit, shown as "emit #n", so its ack can be found. */
  emitNumber?: number;
  /** For an ack: milliseconds between the emit going out and the ack. */
  roundTripMs?: number;
  /** For an emit made while disconnected: it waits in the queue. */
  queued?: boolean;
}

export interface Endpoint {
  id: string;
  name: string;
  url: string;
  protocols: string[];
  headers: HeaderRow[];
  kind?: ConnectionKind;
  socketio?: SocketIoOptions;
}

export interface Collection {
  id: string;
  name: string;
  endpoints: Endpoint[];
}

/** Which control a validation error belongs next to. */
export type Field =
  | 'url'
  | 'protocols'
  | 'headers'
  | 'message'
  | 'control'
  | 'closeCode'
  | 'closeReason'
  | 'endpoint'
  | 'socketio'
  | 'auth'
  | 'eventName'
  | 'eventArgs'
  | 'general';

// ---------------------------------------------------------------------------------------------
// Host -> webview

export interface InitMessage {
  type: 'init';
  title: string;
  params: ConnectionParams;
  state: ConnectionState;
  entries: LogEntry[];
  collections: Collection[];
}
export interface StateMessage {
  type: 'state';
  state: ConnectionState;
}
export interface EntriesMessage {
  type: 'entries';
  entries: LogEntry[];
}
export interface LogClearedMessage {
  type: 'logCleared';
}
export interface CollectionsMessage {
  type: 'collections';
  collections: Collection[];
}
/** Puts these parameters into the connection form (e.g. after an endpoint was chosen). */
export interface ParamsMessage {
  type: 'params';
  params: ConnectionParams;
}
/** The answer to a request: ok, or an error to show next to `field`. */
export interface ResultMessage {
  type: 'result';
  inReplyTo: number;
  ok: boolean;
  field?: Field;
  error?: string;
  /** For a refused advanced close code: the webview may ask the user and send it again. */
  needsConfirmation?: boolean;
}

export type ToWebview =
  | InitMessage
  | StateMessage
  | EntriesMessage
  | LogClearedMessage
  | CollectionsMessage
  | ParamsMessage
  | ResultMessage;

// ---------------------------------------------------------------------------------------------
// Webview -> host (validated by the host with these schemas)

const requestId = z.int().check(z.nonnegative());
const headerRow = z.object({ name: z.string().check(z.maxLength(8192)), value: z.string().check(z.maxLength(65536)) });
const socketIoOptions = z.object({
  namespace: z.string().check(z.maxLength(1024)),
  path: z.string().check(z.maxLength(1024)),
  transports: z.enum(['websocket', 'polling']),
  version: z.enum(['v4', 'v2']),
  auth: z.string().check(z.maxLength(65536)),
  query: z.array(headerRow).check(z.maxLength(200)),
  reconnection: z.boolean(),
  ackTimeoutSeconds: z.number(),
});
const connectionParams = z.object({
  url: z.string().check(z.maxLength(8192)),
  protocols: z.array(z.string().check(z.maxLength(1024))).check(z.maxLength(64)),
  headers: z.array(headerRow).check(z.maxLength(200)),
  kind: z.optional(z.enum(['websocket', 'socketio'])),
  socketio: z.optional(socketIoOptions),
});
const payloadFormat = z.enum(['text', 'json', 'hex', 'base64']);

const fromWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('connect'), requestId, params: connectionParams }),
  z.object({ type: z.literal('disconnect'), requestId }),
  z.object({
    type: z.literal('send'),
    requestId,
    format: payloadFormat,
    body: z.string(),
  }),
  z.object({
    type: z.literal('control'),
    requestId,
    frame: z.enum(['ping', 'pong']),
    payload: z.string().check(z.maxLength(4096)),
  }),
  z.object({
    type: z.literal('close'),
    requestId,
    code: z.number(),
    reason: z.string().check(z.maxLength(4096)),
    advancedConfirmed: z.boolean(),
  }),
  z.object({
    type: z.literal('saveEndpoint'),
    requestId,
    params: connectionParams,
    name: z.string().check(z.maxLength(200)),
    collection: z.string().check(z.maxLength(200)),
  }),
  z.object({ type: z.literal('renameEndpoint'), requestId, endpointId: z.string().check(z.maxLength(100)) }),
  z.object({ type: z.literal('deleteEndpoint'), requestId, endpointId: z.string().check(z.maxLength(100)) }),
  z.object({ type: z.literal('clearLog') }),
  z.object({
    type: z.literal('emit'),
    requestId,
    event: z.string().check(z.maxLength(1024)),
    format: payloadFormat,
    args: z.string(),
    expectAck: z.boolean(),
  }),
]);

export type FromWebview = z.infer<typeof fromWebviewSchema>;

/** Parses an untrusted message from the webview; undefined when it is not one of ours. */
export function parseFromWebview(message: unknown): FromWebview | undefined {
  const result = fromWebviewSchema.safeParse(message);
  return result.success ? result.data : undefined;
}

/** For exhaustive switches: a compile error when a case is forgotten. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
