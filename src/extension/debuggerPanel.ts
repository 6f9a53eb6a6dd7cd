import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { validateName } from '../shared/collections';
import { MessageLog } from '../shared/messageLog';
import {
  assertNever,
  parseFromWebview,
  type ConnectionParams,
  type ConnectionState,
  type FromWebview,
  type LogEntry,
  type ToWebview,
} from '../shared/protocol';
import { checkAnyParams } from '../shared/socketIo';
import { Connection, type ActionResult, type ConnectionOptions } from './connection';
import type { EndpointStore } from './endpointStore';
import { COMMANDS } from './commandIds';
import type { Session } from './session';
import { SocketIoConnection } from './socketIoConnection';

export const PANEL_VIEW_TYPE = 'websocketDebugger.panel';

/** How long entries and state changes are gathered before one post to the webview. */
const FLUSH_INTERVAL_MS = 30;

/** What every panel needs from the extension. */
export interface PanelContext {
  extensionUri: vscode.Uri;
  store: EndpointStore;
  output: vscode.OutputChannel;
  connectionOptions(): ConnectionOptions;
}

/** What the webview keeps with `setState`, handed back by the serializer after a reload. */
interface RevivedState {
  params?: ConnectionParams;
  title?: string;
}

const EMPTY_PARAMS: ConnectionParams = { url: '', protocols: [], headers: [] };

/** A closed state for a panel that has no socket yet. */
function idleState(url: string): ConnectionState {
  return {
    readyState: 'CLOSED',
    url,
    protocol: '',
    extensions: '',
    bufferedAmount: 0,
    counters: { messagesSent: 0, messagesReceived: 0, bytesSent: 0, bytesReceived: 0 },
  };
}

/** The panel title for a connection: the endpoint name when saved, else the host. */
export function titleFor(url: string, endpointName?: string): string {
  if (endpointName) return endpointName;
  try {
    return new URL(url).host || 'WebSocket';
  } catch {
    return 'WebSocket';
  }
}

/**
 * One debugger panel: a webview plus at most one live socket. The host owns the socket and the
 * message log; the webview only renders and asks. Closing the panel closes its socket.
 */
export class DebuggerPanel implements vscode.Disposable {
  private connection: Session | undefined;
  private connectionListeners: { dispose(): void }[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly log = new MessageLog();
  private params: ConnectionParams;
  private webviewReady = false;
  private pendingEntries: LogEntry[] = [];
  private stateDirty = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposedEmitter.event;

  static create(ctx: PanelContext, params: ConnectionParams | undefined, title: string): DebuggerPanel {
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: DebuggerPanel.resourceRoots(ctx.extensionUri),
    });
    return new DebuggerPanel(ctx, panel, params ?? EMPTY_PARAMS);
  }

  static revive(ctx: PanelContext, panel: vscode.WebviewPanel, saved: unknown): DebuggerPanel {
    const state = (saved ?? {}) as RevivedState;
    const checked = state.params ? checkAnyParams(state.params) : undefined;
    panel.webview.options = { enableScripts: true, localResourceRoots: DebuggerPanel.resourceRoots(ctx.extensionUri) };
    return new DebuggerPanel(ctx, panel, checked?.ok ? checked.params : EMPTY_PARAMS);
  }

  private static resourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
    return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
  }

  private constructor(
    private readonly ctx: PanelContext,
    readonly panel: vscode.WebviewPanel,
    params: ConnectionParams,
  ) {
    this.params = params;
    panel.iconPath = vscode.Uri.joinPath(ctx.extensionUri, 'media', 'panel-icon.svg');
    panel.webview.html = this.html(panel.webview);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidChangeViewState(() => {
        // A hidden webview is torn down; it posts 'ready' again when shown and gets the whole log.
        if (!panel.visible) this.webviewReady = false;
      }),
      ctx.store.onDidChange((collections) => this.post({ type: 'collections', collections })),
    );
  }

  get title(): string {
    return this.panel.title;
  }

  /** The live state, for commands and tests. */
  get state(): ConnectionState {
    return this.connection?.state ?? idleState(this.params.url);
  }

  get currentParams(): ConnectionParams {
    return this.params;
  }

  /** Log entries kept for this panel, oldest first. */
  get entries(): LogEntry[] {
    return this.log.entries();
  }

  get isConnected(): boolean {
    const readyState = this.connection?.state.readyState;
    return readyState === 'OPEN' || readyState === 'CONNECTING';
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Opens a socket with these parameters (or the form's), replacing a closed one. */
  connect(params: ConnectionParams = this.params, endpointName?: string): ActionResult {
    if (this.isConnected) {
      return { ok: false, field: 'general', error: 'Already connected: disconnect first.' };
    }
    const checked = checkAnyParams(params);
    if (!checked.ok) return checked;
    this.params = checked.params;
    this.post({ type: 'params', params: this.params });
    const namespace = this.params.socketio?.namespace;
    this.panel.title =
      titleFor(this.params.url, endpointName ?? this.matchingEndpointName()) +
      (namespace && namespace !== '/' && !endpointName ? ` ${namespace}` : '');
    this.releaseConnection();
    const connection: Session =
      this.params.kind === 'socketio'
        ? new SocketIoConnection(this.params, this.ctx.connectionOptions())
        : new Connection(this.params, this.ctx.connectionOptions());
    this.connection = connection;
    this.connectionListeners = [
      connection.onEntry((entry) => this.addEntry(entry)),
      connection.onStateChange(() => this.markStateDirty()),
    ];
    const result = connection.open();
    this.markStateDirty();
    return result;
  }

  disconnect(): void {
    this.connection?.disconnect();
  }

  private matchingEndpointName(): string | undefined {
    for (const collection of this.ctx.store.collections) {
      const endpoint = collection.endpoints.find((e) => e.url === this.params.url);
      if (endpoint) return endpoint.name;
    }
    return undefined;
  }

  private addEntry(entry: Omit<LogEntry, 'id'>): void {
    const stored = this.log.append(entry);
    if (this.webviewReady) {
      this.pendingEntries.push(stored);
      this.scheduleFlush();
    }
  }

  private markStateDirty(): void {
    this.stateDirty = true;
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.disposed) return;
    this.flushTimer = setTimeout(() => this.flush(), FLUSH_INTERVAL_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (!this.webviewReady) {
      this.pendingEntries = [];
      return;
    }
    if (this.pendingEntries.length > 0) {
      const entries = this.pendingEntries;
      this.pendingEntries = [];
      this.post({ type: 'entries', entries });
    }
    if (this.stateDirty) {
      this.stateDirty = false;
      this.post({ type: 'state', state: this.state });
    }
  }

  private post(message: ToWebview): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(message);
  }

  private sendInit(): void {
    this.pendingEntries = [];
    this.stateDirty = false;
    this.post({
      type: 'init',
      title: this.panel.title,
      params: this.params,
      state: this.state,
      entries: this.log.entries(),
      collections: this.ctx.store.collections,
    });
  }

  private receive(raw: unknown): void {
    const message = parseFromWebview(raw);
    if (!message) {
      this.ctx.output.appendLine(`Ignored a malformed message from the debugger panel "${this.panel.title}".`);
      return;
    }
    this.handle(message).catch((error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      this.ctx.output.appendLine(`Error while handling "${message.type}": ${text}`);
      if ('requestId' in message) {
        this.post({ type: 'result', inReplyTo: message.requestId, ok: false, field: 'general', error: text });
      }
    });
  }

  private async handle(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.webviewReady = true;
        this.sendInit();
        return;
      case 'connect':
        this.reply(message.requestId, this.connect(message.params));
        return;
      case 'disconnect':
        this.disconnect();
        this.reply(message.requestId, { ok: true });
        return;
      case 'send':
        this.reply(
          message.requestId,
          this.connection ? this.connection.send(message.format, message.body) : this.notConnected('message'),
        );
        return;
      case 'control':
        this.reply(
          message.requestId,
          this.connection ? this.connection.control(message.frame, message.payload) : this.notConnected('control'),
        );
        return;
      case 'close':
        this.reply(
          message.requestId,
          this.connection
            ? this.connection.close(message.code, message.reason, message.advancedConfirmed)
            : this.notConnected('closeCode'),
        );
        return;
      case 'saveEndpoint':
        this.reply(message.requestId, await this.saveEndpoint(message.params, message.name, message.collection));
        return;
      case 'renameEndpoint':
        // The same flow as the tree's context menu: VS Code's own input box and confirmation.
        await vscode.commands.executeCommand(COMMANDS.renameEndpoint, message.endpointId);
        this.reply(message.requestId, { ok: true });
        return;
      case 'deleteEndpoint':
        await vscode.commands.executeCommand(COMMANDS.deleteEndpoint, message.endpointId);
        this.reply(message.requestId, { ok: true });
        return;
      case 'emit':
        this.reply(
          message.requestId,
          this.connection instanceof SocketIoConnection
            ? this.connection.emit(message.event, message.format, message.args, message.expectAck)
            : { ok: false, field: 'eventName', error: 'Not connected to a Socket.IO server: choose Socket.IO and press Connect' },
        );
        return;
      case 'clearLog':
        this.log.clear();
        this.pendingEntries = [];
        this.post({ type: 'logCleared' });
        return;
      default:
        assertNever(message);
    }
  }

  private notConnected(field: 'message' | 'control' | 'closeCode'): ActionResult {
    return { ok: false, field, error: 'Not connected: press Connect first.' };
  }

  private reply(requestId: number, result: ActionResult): void {
    this.post(
      result.ok
        ? { type: 'result', inReplyTo: requestId, ok: true }
        : {
            type: 'result',
            inReplyTo: requestId,
            ok: false,
            field: result.field,
            error: result.error,
            needsConfirmation: result.needsConfirmation,
          },
    );
  }

  /** Saves the form as an endpoint; the panel then carries the endpoint's name. */
  async saveEndpoint(params: ConnectionParams, name: string, collection: string): Promise<ActionResult> {
    const nameError = validateName(name);
    if (nameError) return { ok: false, field: 'endpoint', error: `Endpoint name: ${nameError}` };
    const collectionError = validateName(collection);
    if (collectionError) return { ok: false, field: 'endpoint', error: `Collection: ${collectionError}` };
    const checked = checkAnyParams(params);
    if (!checked.ok) return checked;
    const endpoint = await this.ctx.store.save(collection.trim(), { name: name.trim(), ...checked.params });
    this.panel.title = endpoint.name;
    return { ok: true };
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const asset = (...segments: string[]) =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.ctx.extensionUri, ...segments)).toString();
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource} data:`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('dist', 'codicons', 'codicon.css')}">
<link rel="stylesheet" href="${asset('media', 'panel.css')}">
<title>WebSocket Debugger</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${asset('dist', 'webview.js')}"></script>
</body>
</html>`;
  }

  private releaseConnection(): void {
    for (const listener of this.connectionListeners) listener.dispose();
    this.connectionListeners = [];
    this.connection?.dispose();
    this.connection = undefined;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.releaseConnection();
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
    this.disposedEmitter.fire();
    this.disposedEmitter.dispose();
  }
}

