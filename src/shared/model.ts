/**
 * The domain model shared by the host and the webview. Types of values that arrive from outside
 * (webview messages, collection files, storage) are derived from their zod schemas in
 * schemas.ts, so the two cannot drift; the others (state and log entries, which only the host
 * makes) are plain interfaces. Only types here: the webview bundle never gets zod from this file.
 */
import type * as z from 'zod/mini';
import type { LensName } from './lenses/lensNames';
import type {
  connectionKindSchema,
  binaryEncodingSchema,
  connectionParamsSchema,
  decodeSchema,
  endpointOptionsSchema,
  environmentSchema,
  headerRowSchema,
  payloadFormatSchema,
  savedMessageSchema,
  sendFormatSchema,
  socketIoOptionsSchema,
  socketIoVersionSchema,
  variableSchema,
} from './schemas';

/** The browser WebSocket API's readyState names, which users already know. */
export type ReadyState = 'CONNECTING' | 'OPEN' | 'CLOSING' | 'CLOSED';

/** How a payload is shown (Show as) or how the composer body is encoded (Send as). */
export type PayloadFormat = z.infer<typeof payloadFormatSchema>;

/** MessagePack, CBOR or Protocol Buffers. */
export type BinaryEncoding = z.infer<typeof binaryEncodingSchema>;

/** How the composer body is encoded: a payload format or a binary encoding of a JSON document. */
export type SendFormat = z.infer<typeof sendFormatSchema>;

/** How a log entry is shown (Show as): a payload format, or the decoder's JSON (Decoded). */
export type ShowFormat = PayloadFormat | 'decoded';

/** Decode binary as: an endpoint's binary encoding (and for protobuf its .proto file and type). */
export type DecodeConfig = z.infer<typeof decodeSchema>;

export type HeaderRow = z.infer<typeof headerRowSchema>;

/** Per-endpoint connection options; every field is optional and absent means the default. */
export type EndpointOptions = z.infer<typeof endpointOptionsSchema>;

/** Plain WebSocket (the default) or Socket.IO on top of Engine.IO. */
export type ConnectionKind = z.infer<typeof connectionKindSchema>;

/** Which Socket.IO client talks to the server: v4 for v3/v4 servers, v2 for Socket.IO 2 servers. */
export type SocketIoVersion = z.infer<typeof socketIoVersionSchema>;

/** Socket.IO options of one connection or endpoint. */
export type SocketIoOptions = z.infer<typeof socketIoOptionsSchema>;

/** What the user fills in to open a connection. */
export type ConnectionParams = z.infer<typeof connectionParamsSchema>;

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
  /** The browser's `WebSocket.binaryType`, on the web host only (the Node hosts have none to choose). */
  binaryType?: 'blob' | 'arraybuffer';
}

/** The state of a panel that has no socket yet (or whose log was replayed): CLOSED, nothing counted. */
export function closedState(url = '', binaryType?: ConnectionState['binaryType']): ConnectionState {
  return {
    readyState: 'CLOSED',
    url,
    protocol: '',
    extensions: '',
    bufferedAmount: 0,
    counters: { messagesSent: 0, messagesReceived: 0, bytesSent: 0, bytesReceived: 0 },
    ...(binaryType ? { binaryType } : {}),
  };
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
  /** A binary message read by the endpoint's decoder (Decode binary as). */
  decoded?: DecodedInfo;
  /** What a protocol lens read in the message (src/shared/lenses), when one is on. */
  lens?: LensView;
}

/**
 * What the decoder made of a binary message: the value as JSON text, or why there is none (a
 * decode error with its offset and the expected type, or a message over the size limit). The
 * raw bytes stay in the entry's payload either way.
 */
export interface DecodedInfo {
  as: BinaryEncoding;
  /** The decoded value as indented JSON (see docs/decoders.md for how bytes, maps and big integers map). */
  json?: string;
  /** Why there is no `json`, in words. */
  error?: string;
  /** `json` is only the start of the decoded value (a preview; the host keeps all of it). */
  truncated?: boolean;
}

/** A protocol lens's reading of one message: a one-line summary for the row, fields for the details. */
export interface LensView {
  lens: LensName;
  /** One line, e.g. `SUBSCRIBE /topic/prices`, `PUBLISH sensors/1 qos1`, `← result #7 12 ms`. */
  summary: string;
  /** Name and value pairs, in the order the protocol puts them. */
  fields: [string, string][];
  /** Why the message, meant for this protocol, does not parse as it. */
  error?: string;
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
  /** For an emit: it asked the server for an ack (its packet carries an ack id). */
  expectsAck?: true;
  /** For a received event: the server asked the client for an ack. */
  serverAsksAck?: true;
}


/**
 * A named message of an endpoint: Send as and body, and for Socket.IO the event name (the body is
 * then the argument text) and whether to expect an ack.
 */
export type SavedMessage = z.infer<typeof savedMessageSchema>;

/** A saved endpoint: the connection form's fields under a name, in a collection. */
export interface Endpoint extends ConnectionParams {
  id: string;
  name: string;
  /** Its saved messages, in the order the panel lists them; absent when there are none. */
  messages?: SavedMessage[];
}

/** One `{{name}}` variable. A secret one's value lives in SecretStorage: here it is always ''. */
export type Variable = z.infer<typeof variableSchema>;

/** A named set of variables, e.g. "staging" or "production". */
export type Environment = z.infer<typeof environmentSchema>;

export interface Collection {
  id: string;
  name: string;
  endpoints: Endpoint[];
  environments?: Environment[];
  /** The environment whose variables connections from this collection use. */
  activeEnvironment?: string;
  /** Mock servers as written in the file, each checked by parseMock (shared/mockFormat.ts). */
  mocks?: MockSource[];
  /** Flows over these endpoints (collection file version 3; see src/shared/flows.ts). */
  flows?: FlowDefinition[];
}

/**
 * A flow as a collection keeps it: checked on import (src/shared/flows.ts checkFlows) and kept as
 * written, so it exports unchanged. Each step is a JSON object with one action key.
 */
export interface FlowDefinition {
  name: string;
  steps: Record<string, unknown>[];
}

/** One entry of a collection file's `"mocks"` list, kept as JSON so it is written back unchanged. */
export type MockSource = Record<string, unknown>;

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
  | 'savedMessage'
  | 'decode'
  | 'general';
