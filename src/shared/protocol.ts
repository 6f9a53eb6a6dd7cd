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

/** Per-endpoint connection options; every field is optional and absent means the default. */
export interface EndpointOptions {
  /** Connect even when the server's certificate does not verify (self-signed, expired, ...). */
  acceptInvalidCerts?: boolean;
  /** PEM file of extra certificate authorities to trust, besides the system's. */
  caFile?: string;
  /** Client certificate and key (PEM files) for mutual TLS. */
  certFile?: string;
  keyFile?: string;
  /** Client certificate and key in one PKCS#12 (PFX) file, with its passphrase. */
  pfxFile?: string;
  passphrase?: string;
  /** Offer permessage-deflate compression (default on). */
  perMessageDeflate?: boolean;
  /** Reconnect with exponential backoff after the connection drops (default off). */
  autoReconnect?: boolean;
  /** Send a ping every this many seconds while open; 0 or absent turns keep-alive off. */
  pingIntervalSeconds?: number;
  /** Answer the server's pings automatically (default on). */
  autoPong?: boolean;
  /** Connect directly, even when VS Code has a proxy configured (default off: VS Code's proxy settings apply). */
  bypassProxy?: boolean;
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
  options?: EndpointOptions;
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

/** Phases of the opening handshake in milliseconds, measured from the socket's own events. */
export interface HandshakeTiming {
  /** DNS lookup; absent when the host is an IP address (no lookup happened). */
  dnsMs?: number;
  /** TCP connect (the three-way handshake). */
  tcpMs?: number;
  /** TLS handshake (wss only). */
  tlsMs?: number;
  /** HTTP Upgrade: request sent until the 101 (or refusal) arrived. */
  upgradeMs?: number;
  totalMs?: number;
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  subjectAltNames: string;
  fingerprint256: string;
}

export interface TlsSummary {
  protocol: string;
  cipher: string;
  authorized: boolean;
  /** The verification result in words. */
  verification: string;
  /** The server certificate first, then its issuers as the server sent them. */
  chain: CertificateSummary[];
}

/** What went over the wire in the opening handshake (secret values already masked). */
export interface HandshakeDetails {
  requestLine: string;
  requestHeaders: [string, string][];
  statusCode?: number;
  statusMessage?: string;
  responseHeaders: [string, string][];
  /** Whether Sec-WebSocket-Accept matched the key we sent; absent before a response. */
  acceptValid?: boolean;
}

export interface CloseDetails {
  by: 'client' | 'server' | 'network';
  code: number;
  /** The code's RFC 6455 name and what it means. */
  meaning: string;
  reason: string;
  wasClean: boolean;
  /** How long the connection was open; absent when it never opened. */
  durationMs?: number;
}

/** Everything the Connection details region shows. */
export interface InspectorInfo {
  remoteAddress?: string;
  /** The route VS Code's proxy support chose, e.g. "DIRECT" or "PROXY proxy.example:3128". */
  route?: string;
  /** The endpoint asked to bypass the proxy (then a route means the bypass did not take effect). */
  proxyBypassed?: boolean;
  timing: HandshakeTiming;
  handshake?: HandshakeDetails;
  tls?: TlsSummary;
  close?: CloseDetails;
  /** Round-trip times of the latest pings (oldest first), in milliseconds. */
  pingRtts: number[];
  /** Keep-alive pings that got no pong before the next one was due. */
  missedPongs: number;
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
  inspector?: InspectorInfo;
  /** While a message is being repeated: every how many seconds, and how many were sent. */
  schedule?: { intervalSeconds: number; sent: number };
  /** While auto-reconnect waits: the attempt number and when it will connect again (epoch ms). */
  reconnect?: { attempt: number; at: number };
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
  /** The payload is only the start of a large message; the host keeps all of it (Open, Save). */
  truncated?: boolean;
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
  options?: EndpointOptions;
}

/** One `{{name}}` variable. A secret one's value lives in SecretStorage: here it is always ''. */
export interface Variable {
  name: string;
  value: string;
  secret?: boolean;
}

/** A named set of variables, e.g. "staging" or "production". */
export interface Environment {
  name: string;
  variables: Variable[];
}

export interface Collection {
  id: string;
  name: string;
  endpoints: Endpoint[];
  environments?: Environment[];
  /** The environment whose variables connections from this collection use. */
  activeEnvironment?: string;
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
  | 'options'
  | 'variables'
  | 'socketio'
  | 'auth'
  | 'eventName'
  | 'eventArgs'
  | 'general';

// ---------------------------------------------------------------------------------------------
// Host -> webview

/**
 * Log entries cross as the UTF-8 bytes of one JSON array (`LogEntry[]`), in an exact-length
 * buffer. VS Code passes binary data in webview messages as it is; an array of objects (or a
 * string) would be serialized and escaped again on the host and parsed again in the workbench,
 * which at tens of thousands of entries a second costs more than everything else.
 */
export interface EntriesJson {
  json: Uint8Array;
  /** Where each entry starts in `json` (the byte after "[" or ","): each can be parsed alone. */
  starts: Uint32Array;
  /** The id of the first entry; the others follow one by one (a log's ids are consecutive). */
  firstId: number;
}

export interface InitMessage {
  type: 'init';
  title: string;
  params: ConnectionParams;
  state: ConnectionState;
  entries: EntriesJson;
  /** Entries dropped from the log to respect its capacity, and that capacity. */
  evicted: number;
  capacity: number;
  /** The file the log is being recorded to, if any. */
  recording?: string;
  collections: Collection[];
}
export interface StateMessage {
  type: 'state';
  state: ConnectionState;
}
export interface EntriesMessage {
  type: 'entries';
  entries: EntriesJson;
  /** Entries dropped from the log so far (it keeps the newest `capacity`). */
  evicted: number;
}
/** Record to file started (with the file's path) or stopped (no file). */
export interface RecordingMessage {
  type: 'recording';
  file?: string;
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
  | RecordingMessage
  | CollectionsMessage
  | ParamsMessage
  | ResultMessage;

// ---------------------------------------------------------------------------------------------
// Webview -> host (validated by the host with these schemas)

const requestId = z.int().check(z.nonnegative());
const headerRow = z.object({ name: z.string().check(z.maxLength(8192)), value: z.string().check(z.maxLength(65536)) });
const filePath = z.optional(z.string().check(z.maxLength(4096)));
/** Shared with the collection file schema, so saved and imported options obey the same bounds. */
export const endpointOptionsSchema = z.object({
  acceptInvalidCerts: z.optional(z.boolean()),
  caFile: filePath,
  certFile: filePath,
  keyFile: filePath,
  pfxFile: filePath,
  passphrase: z.optional(z.string().check(z.maxLength(1024))),
  perMessageDeflate: z.optional(z.boolean()),
  autoReconnect: z.optional(z.boolean()),
  pingIntervalSeconds: z.optional(z.number().check(z.gte(0), z.lte(86400))),
  autoPong: z.optional(z.boolean()),
  bypassProxy: z.optional(z.boolean()),
});
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
  options: z.optional(endpointOptionsSchema),
  kind: z.optional(z.enum(['websocket', 'socketio'])),
  socketio: z.optional(socketIoOptions),
});
const payloadFormat = z.enum(['text', 'json', 'hex', 'base64']);

const variableSchema = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  value: z.string().check(z.maxLength(65536)),
  secret: z.optional(z.boolean()),
});
/** Shared with the collection file schema. */
export const environmentSchema = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  variables: z.array(variableSchema).check(z.maxLength(200)),
});

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
  /** The webview has taken in the last init or entries message: the host may post the next batch. */
  z.object({ type: z.literal('entriesAck') }),
  z.object({ type: z.literal('recordToFile') }),
  z.object({ type: z.literal('stopRecording') }),
  z.object({ type: z.literal('openEntry'), entryId: z.int().check(z.positive()) }),
  z.object({ type: z.literal('saveEntry'), entryId: z.int().check(z.positive()) }),
  /** Saves an environment of a collection and makes it the active one; a secret left '' keeps its stored value. */
  z.object({
    type: z.literal('saveEnvironment'),
    requestId,
    collectionId: z.string().check(z.maxLength(100)),
    environment: environmentSchema,
  }),
  /** Sends the message now and then every `intervalSeconds` until stopped (an application heartbeat). */
  z.object({
    type: z.literal('startSchedule'),
    requestId,
    format: payloadFormat,
    body: z.string(),
    intervalSeconds: z.number().check(z.gte(0.1), z.lte(86400)),
  }),
  z.object({ type: z.literal('stopSchedule'), requestId }),
  /** Chooses the environment this panel resolves variables from ('' for none). */
  z.object({
    type: z.literal('selectEnvironment'),
    collectionId: z.string().check(z.maxLength(100)),
    environment: z.string().check(z.maxLength(200)),
  }),
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
