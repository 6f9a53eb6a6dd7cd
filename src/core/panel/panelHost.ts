/**
 * What a debugger panel's controller needs from its surroundings, named after the need rather
 * than after VS Code: the extension implements it with the webview, SecretStorage and the
 * endpoint store; the unit tests with plain objects.
 */
import type { BackoffPolicy } from '../../shared/backoff';
import type { Collection, Endpoint, Environment, SavedMessage, SharedCollection, ToWebview, Variable } from '../../shared/protocol';
import type { MessagesChange } from '../../shared/savedMessages';
import type { ConnectionOptions } from '../connection';
import type { HarSession } from '../har/harWriter';
import type { ActionResult } from '../session';

/** The settings a panel reads; each is read again when it applies (a connect, a reconnect wait). */
export interface PanelSettings {
  connection: ConnectionOptions;
  reconnect: BackoffPolicy;
  /** How many entries the log keeps; read once, when the panel opens. */
  logCapacity: number;
  /**
   * Plain WebSocket sessions run in a worker thread (websocketDebugger.sessionsInWorker) where
   * no proxy may apply: VS Code's proxy support patches the host thread only. Off when absent.
   */
  worker?: { enabled: boolean; proxyMayApply: boolean };
}

/** The saved collections and the changes a panel makes to them. */
export interface EndpointsPort {
  readonly collections: Collection[];
  save(collectionName: string, endpoint: Omit<Endpoint, 'id'>): Promise<Endpoint>;
  selectEnvironment(collectionId: string, environment: string): Promise<void>;
  /** Changes a saved endpoint's messages, starting from what is stored when the change runs. */
  changeMessages(endpointId: string, change: (messages: readonly SavedMessage[]) => MessagesChange): Promise<MessagesChange>;
}

/** An endpoint of a collection file shared by the workspace: read-only, edited in its file. */
export interface SharedEndpoint {
  endpoint: Endpoint;
  /** The file, as the user knows it (relative to the workspace). */
  file: string;
}

/** Environments with their secret values (kept outside the collections). */
export interface VariablesPort {
  /** The active environment's variables, secret values filled in. */
  activeVariables(collection: Collection | undefined): Promise<Variable[]>;
  save(collectionId: string, environment: Environment): Promise<ActionResult>;
}

/** What an export keeps, and where it goes: given by a command's caller instead of the quick pick and dialog. */
export interface HarExportChoices {
  keepCookies: boolean;
  keepSecrets: boolean;
  /** The file to write (a path on this machine); replaced without asking, so callers confirm first. */
  file?: string;
}

/** The log's file and clipboard actions, which need dialogs, editors and the system clipboard. */
export interface LogFilesPort {
  /** The file being recorded to, if any. */
  readonly file: string | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
  openEntry(id: number): Promise<void>;
  saveEntry(id: number): Promise<void>;
  /** Puts `text` on the clipboard (none: nothing to copy) and tells the user `note`. */
  copyToClipboard(text: string | undefined, note: string): Promise<void>;
  /**
   * "Export as HAR…": asks what to keep and where (unless `choices` says), then writes the sessions
   * (harWriter.ts); resolves with the file written, or undefined when cancelled or refused.
   */
  exportHar(sessions: HarSession[], secrets: { name: string; value: string }[], title: string, choices?: HarExportChoices): Promise<string | undefined>;
}

/** The levels of the extension's log (a LogOutputChannel, which the user filters by level). */
export type LogLevel = 'info' | 'warn' | 'error';

export interface PanelHost {
  post(message: ToWebview): void;
  /** Shows the panel's title (its tab). */
  showTitle(title: string): void;
  /** A line for the extension's output log, at a level (info when not given). */
  log(line: string, level?: LogLevel): void;
  /**
   * The session's state changed (opening, open, closing, closed) or a send may have counted,
   * whether or not the page is shown: for what VS Code shows outside the page (context keys).
   */
  stateChanged?(): void;
  /** A sentence for the user, where VS Code shows notifications. */
  notify(message: string): void;
  settings(): PanelSettings;
  /** Whether the user trusts the workspace (false in Restricted Mode). */
  workspaceTrusted(): boolean;
  readonly endpoints: EndpointsPort;
  readonly variables: VariablesPort;
  readonly files: LogFilesPort;
  /** The collections the workspace's files share (`.vscode/websocket-debugger.json` in each folder). */
  sharedCollections(): SharedCollection[];
  /**
   * A modal question with one action besides Cancel; true when the action was chosen. Asked
   * before connecting to a workspace file's endpoint in Restricted Mode.
   */
  confirm(question: string, action: string): Promise<boolean>;
  /** Rename and delete go through the same input box and confirmation as the tree's menu. */
  renameEndpoint(endpointId: string): Promise<void>;
  deleteEndpoint(endpointId: string): Promise<void>;
  /** Opens a flow draft (JSON text) as an untitled document for the user to edit ("Save as flow"). */
  openFlowDraft(json: string): Promise<void>;
  /**
   * Where a relative .proto path of Decode binary as is looked up, in order: the folders of the
   * collection files, then the workspace folders.
   */
  protoFolders(): string[];
}

/** The workspace-shared endpoint with this id, if a workspace file has one. */
export function findSharedEndpoint(shared: readonly SharedCollection[], endpointId: string): SharedEndpoint | undefined {
  for (const { collection, file } of shared) {
    const endpoint = collection.endpoints.find((e) => e.id === endpointId);
    if (endpoint) return { endpoint, file };
  }
  return undefined;
}
