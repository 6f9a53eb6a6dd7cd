/**
 * Messages from the host to the webview. The host makes them, so they are plain interfaces (no
 * schema): the webview trusts its host.
 */
import type { HostLimits } from './browserLimits';
import type { ConnectionOrigin } from './connectionOrigin';
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
  workspace: WorkspaceCollections;
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
  /**
   * This batch starts a tail window (see tailWindow.ts): the webview drops every entry it kept
   * and keeps this batch; the host's older entries follow later in `older`.
   */
  window?: true;
  /** A page of the entries before the window, oldest first: kept aside until `olderDone`. */
  older?: EntriesJson;
  /** The last page of them: what was kept aside goes before the log now. */
  olderDone?: true;
  /** Entries before the window that the host keeps and has not sent yet (0 or absent: none). */
  notLoaded?: number;
}
/** Record to file started (with the file's path) or stopped (no file). */
export interface RecordingMessage {
  type: 'recording';
  file?: string;
}
export interface LogClearedMessage {
  type: 'logCleared';
}
/**
 * A command run outside the page (its keybinding, the editor title, the palette) that only the
 * page can carry out, since the form and the composer hold what the user typed: 'connect' as the
 * Connect button does, 'send' as the visible composer's Send (or Emit) does.
 */
export interface PanelActionMessage {
  type: 'panelAction';
  action: 'connect' | 'send';
}
/** A collection shared by a workspace file: listed read-only, edited in that file. */
export interface SharedCollection {
  collection: Collection;
  /** The file, as the user knows it (relative to the workspace). */
  file: string;
}
/**
 * The collections workspace files share. `trusted` is false in Restricted Mode, where connecting
 * to one of their endpoints asks the user first.
 */
export interface WorkspaceCollections {
  collections: SharedCollection[];
  trusted: boolean;
}
export interface CollectionsMessage {
  type: 'collections';
  collections: Collection[];
  workspace: WorkspaceCollections;
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

/**
 * Where the panel's connections leave from (remote development, the browser), and on a host
 * that cannot do everything (the browser's web worker) what it cannot, with the reason for each.
 */
export interface HostInfoMessage {
  type: 'hostInfo';
  origin: ConnectionOrigin;
  limits?: HostLimits;
}

export type ToWebview =
  | InitMessage
  | HostInfoMessage
  | StateMessage
  | EntriesMessage
  | LogClearedMessage
  | PanelActionMessage
  | RecordingMessage
  | CollectionsMessage
  | ParamsMessage
  | SavedMessagesMessage
  | ResultMessage;

/** A client of a mock server as the mock panel lists it. */
export interface MockPanelClient {
  id: string;
  remoteAddress: string;
  remotePort: number;
  /** The subprotocol agreed on ('' for none); for Socket.IO the transport. */
  protocol: string;
  /** The request path and query of the handshake. */
  url: string;
  headers: [string, string][];
  connectedAt: number;
}

/** What the mock panel shows above its log: the mock and whether it still runs. */
export interface MockPanelSummary {
  name: string;
  kind: 'websocket' | 'socketio';
  url: string;
  running: boolean;
  /** SHA-256 fingerprint of a `"tls": true` mock's throw-away certificate. */
  fingerprint256?: string;
}

/**
 * The client each entry of a batch belongs to, in the batch's order: its number, 0 for the mock's
 * own entries and wherever the entry says so itself. Only the merged view ("all") has them; the
 * entries stay plain messages, so the host's log keeps them packed.
 */
export interface EntryOwners {
  owners?: Uint32Array;
}

/** A batch of a mock panel's log, with each entry's client in the merged view. */
export interface MockEntriesMessage extends EntriesMessage, EntryOwners {}

/** Opens (or re-opens, after a view change) a mock panel: the log holds `view`'s entries. */
export interface MockInitMessage extends EntryOwners {
  type: 'mockInit';
  title: string;
  mock: MockPanelSummary;
  clients: MockPanelClient[];
  /** 'all' for the merged log, else the client whose entries the log holds. */
  view: string;
  entries: EntriesJson;
  evicted: number;
  capacity: number;
  recording?: string;
}

/** The mock's clients (or its running state) changed. */
export interface MockStateMessage {
  type: 'mockState';
  mock: MockPanelSummary;
  clients: MockPanelClient[];
}

/** Messages from the host to a mock server's panel (its own page, src/webview/mockMain.ts). */
export type ToMockWebview = MockInitMessage | MockStateMessage | MockEntriesMessage | LogClearedMessage | RecordingMessage | ResultMessage;
