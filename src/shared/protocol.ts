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

/** What the user fills in to open a connection. */
export interface ConnectionParams {
  url: string;
  protocols: string[];
  headers: HeaderRow[];
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
}

/** Message payload as it crosses the postMessage boundary. */
export type Payload = { kind: 'text'; text: string } | { kind: 'binary'; base64: string };

export type EntryKind = 'open' | 'message' | 'ping' | 'pong' | 'error' | 'close' | 'info';
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
}

export interface Endpoint {
  id: string;
  name: string;
  url: string;
  protocols: string[];
  headers: HeaderRow[];
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
  | 'general';

// ---------------------------------------------------------------------------------------------
// Host -> webview

/**
 * Log entries cross as the UTF-8 bytes of one JSON array (`LogEntry[]`), in an exact-length
 * buffer. VS Code passes binary data in webview messages as it is; an array of objects (or a
 * string) would be serialized and escaped again on the host and parsed again in the workbench,
 * which at tens of thousands of entries a second costs more than everything else.
 */
export type EntriesJson = Uint8Array;

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
const connectionParams = z.object({
  url: z.string().check(z.maxLength(8192)),
  protocols: z.array(z.string().check(z.maxLength(1024))).check(z.maxLength(64)),
  headers: z.array(headerRow).check(z.maxLength(200)),
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
  /** The webview has taken in the last init or entries message: the host may post the next batch. */
  z.object({ type: z.literal('entriesAck') }),
  z.object({ type: z.literal('recordToFile') }),
  z.object({ type: z.literal('stopRecording') }),
  z.object({ type: z.literal('openEntry'), entryId: z.int().check(z.positive()) }),
  z.object({ type: z.literal('saveEntry'), entryId: z.int().check(z.positive()) }),
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
