import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ConnectionParams, ConnectionState, LogEntry, ToWebview } from '../shared/protocol';
import { checkAnyParams } from '../shared/socketIo';
import type { BackoffPolicy } from '../shared/backoff';
import type { ConnectionOptions } from '../core/connection';
import type { ActionResult } from '../core/session';
import { PanelController } from '../core/panel/panelController';
import type { HarExportChoices, PanelHost } from '../core/panel/panelHost';
import type { WorkerFault } from '../core/worker/workerProtocol';
import type { EndpointStore } from './endpointStore';
import type { WorkspaceCollections } from './workspaceCollections';
import { COMMANDS } from './commandIds';
import { LogFiles } from './logFiles';
import { protoFolders } from './protoFolders';
import { panelPage } from '../shared/panelPage';
import { hostInfoMessage, isReadyMessage } from './hostOrigin';
import type { Environments } from './environments';

export const PANEL_VIEW_TYPE = 'websocketDebugger.panel';

/** What every panel needs from the extension. */
export interface PanelContext {
  extensionUri: vscode.Uri;
  store: EndpointStore;
  /** Collections shared by workspace files: a panel opened for one of their endpoints lists its messages. */
  workspaceCollections: WorkspaceCollections;
  output: vscode.LogOutputChannel;
  connectionOptions(): ConnectionOptions;
  /** How many entries a panel's log keeps (the websocketDebugger.logCapacity setting). */
  logCapacity(): number;
  reconnectPolicy(): BackoffPolicy;
  /** Whether sessions may run in a worker thread, and whether a proxy may apply to them. */
  workerSettings(): { enabled: boolean; proxyMayApply: boolean };
  environments: Environments;
}

/** What the webview keeps with `setState`, handed back by the serializer after a reload. */
interface RevivedState {
  params?: ConnectionParams;
  title?: string;
  /** The endpoint whose saved messages the panel listed. */
  endpointId?: string;
}

const EMPTY_PARAMS: ConnectionParams = { url: '', protocols: [], headers: [] };

/**
 * One debugger panel: the webview, its HTML, and the VS Code side of its PanelController, which
 * holds the logic (the socket, the log, reconnect, Repeat). Closing the panel closes its socket.
 */
export class DebuggerPanel implements vscode.Disposable {
  private readonly controller: PanelController;
  private readonly files: LogFiles;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposedEmitter.event;
  /** The connection state or the recording changed (for the context keys of menus and keybindings). */
  private readonly changedEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changedEmitter.event;

  /** `untrustedSource`: the parameters come from a file of a workspace the user has not trusted. */
  static create(
    ctx: PanelContext,
    params: ConnectionParams | undefined,
    title: string,
    untrustedSource = false,
    endpointId?: string,
    readOnly?: string,
  ): DebuggerPanel {
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: DebuggerPanel.resourceRoots(ctx.extensionUri),
    });
    return new DebuggerPanel(ctx, panel, params ?? EMPTY_PARAMS, untrustedSource, endpointId, readOnly);
  }

  static revive(ctx: PanelContext, panel: vscode.WebviewPanel, saved: unknown): DebuggerPanel {
    const state = (saved ?? {}) as RevivedState;
    const checked = state.params ? checkAnyParams(state.params) : undefined;
    panel.webview.options = { enableScripts: true, localResourceRoots: DebuggerPanel.resourceRoots(ctx.extensionUri) };
    const endpointId = typeof state.endpointId === 'string' ? state.endpointId : undefined;
    return new DebuggerPanel(ctx, panel, checked?.ok ? checked.params : EMPTY_PARAMS, false, endpointId);
  }

  static resourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
    return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
  }

  private constructor(
    ctx: PanelContext,
    readonly panel: vscode.WebviewPanel,
    params: ConnectionParams,
    untrustedSource: boolean,
    endpointId: string | undefined,
    readOnly?: string,
  ) {
    // The log files need the controller's pipeline, the controller needs them through its host.
    const files = (): LogFiles => this.files;
    const host: PanelHost = {
      post: (message) => void panel.webview.postMessage(message),
      stateChanged: () => this.changedEmitter.fire(),
      showTitle: (title) => (panel.title = title),
      log: (line, level = 'info') => ctx.output[level](line),
      notify: (message) => void vscode.window.showInformationMessage(message),
      settings: () => ({
        connection: ctx.connectionOptions(),
        reconnect: ctx.reconnectPolicy(),
        logCapacity: ctx.logCapacity(),
        worker: ctx.workerSettings(),
      }),
      workspaceTrusted: () => vscode.workspace.isTrusted,
      endpoints: ctx.store,
      variables: ctx.environments,
      get files() {
        return files();
      },
      sharedCollections: () => ctx.workspaceCollections.shared(),
      confirm: async (question, action) => (await vscode.window.showWarningMessage(question, { modal: true }, action)) === action,
      // The same flow as the tree's context menu: VS Code's own input box and confirmation.
      renameEndpoint: async (id) => void (await vscode.commands.executeCommand(COMMANDS.renameEndpoint, id)),
      deleteEndpoint: async (id) => void (await vscode.commands.executeCommand(COMMANDS.deleteEndpoint, id)),
      openFlowDraft: async (json) => {
        const document = await vscode.workspace.openTextDocument({ language: 'json', content: json });
        await vscode.window.showTextDocument(document, { preview: false });
        void vscode.window.showInformationMessage(vscode.l10n.t('A flow draft from the log: edit it, then paste it into "flows" of a collection file (.vscode/websocket-debugger.json).'));
      },
      protoFolders: () => protoFolders(),
    };
    this.controller = new PanelController(host, { params, title: panel.title, untrustedSource, endpointId, ...(readOnly !== undefined ? { readOnly } : {}) });
    this.files = new LogFiles(this.controller.pipeline, panel, ctx.output, (file) => {
      this.controller.recordingChanged(file);
      this.changedEmitter.fire();
    });
    panel.iconPath = vscode.Uri.joinPath(ctx.extensionUri, 'media', 'panel-icon.svg');
    panel.webview.html = webviewHtml(panel.webview, ctx.extensionUri);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => {
        this.controller.receive(message);
        // Where connections leave from can change only with a reload, but the page forgets it when hidden.
        if (isReadyMessage(message)) void panel.webview.postMessage(hostInfoMessage());
      }),
      panel.onDidChangeViewState(() => {
        // A hidden webview is torn down; it posts 'ready' again when shown and gets the whole log.
        if (!panel.visible) this.controller.hidden();
      }),
      ctx.store.onDidChange(() => this.controller.collectionsChanged()),
      ctx.workspaceCollections.onDidChange(() => this.controller.sharedEndpointsChanged()),
    );
  }

  get title(): string {
    return this.panel.title;
  }

  /** The live state, for commands and tests. */
  /** The page the webview shows (its words and language included), for the integration tests. */
  get pageHtml(): string {
    return this.panel.webview.html;
  }

  get state(): ConnectionState {
    return this.controller.state;
  }

  get currentParams(): ConnectionParams {
    return this.controller.currentParams;
  }

  /** Log entries kept for this panel, oldest first. */
  get entries(): LogEntry[] {
    return this.controller.entries;
  }

  /** Test hook (integration suite): makes the session's worker throw or exit; false without one. */
  injectWorkerFault(fault: WorkerFault): boolean {
    return this.controller.injectWorkerFault(fault);
  }

  get isConnected(): boolean {
    return this.controller.isConnected;
  }

  /** Whether Record to file is writing this panel's log. */
  get recording(): boolean {
    return this.files.file !== undefined;
  }

  reveal(): void {
    this.panel.reveal();
  }

  recordToFile(): Promise<void> {
    return this.files.start();
  }

  stopRecording(): Promise<void> {
    return this.files.stop();
  }

  clearLog(): void {
    this.controller.clearLog();
  }

  /**
   * Connects as the panel's Connect button does, or sends what its visible composer holds: through
   * the page, which holds what the user typed (and asks the same questions as the button).
   */
  runPageAction(action: 'connect' | 'send'): void {
    void this.panel.webview.postMessage({ type: 'panelAction', action } satisfies ToWebview);
  }

  /** Adds an entry made elsewhere (a flow run shown in this panel) to the log. */
  logEntry(entry: Omit<LogEntry, 'id'>): void {
    this.controller.pipeline.add(entry);
  }

  /** Export as HAR…: what to keep and where, asked unless `choices` says; the file written. */
  exportHar(choices?: HarExportChoices): Promise<string | undefined> {
    return this.controller.exportHar(choices);
  }

  connect(params?: ConnectionParams, endpointName?: string): Promise<ActionResult> {
    return this.controller.connect(params, endpointName);
  }

  disconnect(): void {
    this.controller.disconnect();
  }

  saveEndpoint(params: ConnectionParams, name: string, collection: string): Promise<ActionResult> {
    return this.controller.saveEndpoint(params, name, collection);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    void this.files.stop();
    this.controller.dispose();
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
    this.disposedEmitter.fire();
    this.disposedEmitter.dispose();
    this.changedEmitter.dispose();
  }
}

/**
 * A panel's page: nothing but our bundled `script` (by nonce) and styles may load. The mock
 * server's panel (mockPanel.ts) has the same page with its own script.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, script = 'webview.js'): string {
  return panelPage({
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    asset: (...segments) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString(),
    script,
    language: vscode.env.language,
    words: vscode.l10n.bundle ?? {},
  });
}
