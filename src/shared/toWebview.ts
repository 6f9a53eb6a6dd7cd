/**
 * Messages from the host to the webview. The host makes them, so they are plain interfaces (no
 * schema): the webview trusts its host.
 */
import type { Collection, ConnectionParams, ConnectionState, Field, SavedMessage } from './model';

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
  /** A recorded log (a HAR file's), in these words: shown without the connection form and composer. */
  readOnly?: string;
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
/**
 * The saved messages of the endpoint the panel has loaded. No endpoint: the connection is not
 * saved, so there is nowhere to keep messages. `readOnly` says why they cannot be edited here.
 */
export interface SavedMessagesMessage {
  type: 'savedMessages';
  endpoint?: { id: string; name: string; socketio: boolean; readOnly?: string };
  messages: SavedMessage[];
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
  | SavedMessagesMessage
  | ResultMessage;
