/**
 * The debugger panel on the web extension host (vscode.dev, github.dev, code-server's web
 * worker): the same webview as on the desktop, driven by a small controller over the browser's
 * WebSocket. What the browser cannot do is answered with its reason (src/shared/browserLimits.ts),
 * and the panel is told so up front (hostInfo) so those controls are disabled.
 */
import * as vscode from 'vscode';
import { browserLimits, type BinaryType } from '../shared/browserLimits';
import { connectionOrigin } from '../shared/connectionOrigin';
import { encodeEntries } from '../shared/entryTransport';
import { panelPage } from '../shared/panelPage';
import { closedState } from '../shared/model';
import {
  assertNever,
  parseFromWebview,
  type ConnectionParams,
  type ConnectionState,
  type FromWebview,
  type LogEntry,
  type SendFormat,
  type ToWebview,
} from '../shared/protocol';
import { checkSubprotocols, checkUrl } from '../shared/validation';
import { BrowserSession, type WebActionResult } from './browserSession';
import { BrowserSocketIo } from './browserSocketIo';
import { checkSocketIoParams, DEFAULT_SOCKET_IO_OPTIONS } from '../shared/socketIo';

export const PANEL_VIEW_TYPE = 'websocketDebugger.panel';

/** Entries are gathered this long before one post, as on the desktop host (logPipeline.ts). */
const FLUSH_MS = 50;
/** A function, so the line is looked up in the bundle when shown. */
const notInBrowser = (): string => vscode.l10n.t('Not available in the browser version of WebSocket Debugger: use VS Code on the desktop (or a remote) for it.');


function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** Why these parameters cannot go through the browser's WebSocket, if they cannot. */
export function browserRefusal(params: ConnectionParams): { field: 'headers' | 'socketio' | 'options'; error: string } | undefined {
  if (params.headers.some(({ name }) => name.trim() !== '')) return { field: 'headers', error: browserLimits().headers };
  const o = params.options ?? {};
  if (o.caFile || o.certFile || o.keyFile || o.pfxFile || o.acceptInvalidCerts) return { field: 'options', error: browserLimits().tls };
  if (o.pingIntervalSeconds) return { field: 'options', error: browserLimits().controlFrames };
  return undefined;
}

export class WebPanel implements vscode.Disposable {
  private session: BrowserSession | BrowserSocketIo | undefined;
  private params: ConnectionParams;
  private binaryType: BinaryType = 'blob';
  private entries: LogEntry[] = [];
  private nextId = 1;
  private evicted = 0;
  /** Entries not yet posted; the state is posted with them. */
  private pending: LogEntry[] = [];
  private stateDirty = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private live = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposedEmitter.event;
  private readonly stateEmitter = new vscode.EventEmitter<void>();
  /** The connection's state may have changed (the context keys follow it). */
  readonly onDidChangeState = this.stateEmitter.event;

  static create(extensionUri: vscode.Uri, params: ConnectionParams | undefined, capacity: number): WebPanel {
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'WebSocket', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    });
    return new WebPanel(panel, extensionUri, params ?? { url: '', protocols: [], headers: [] }, capacity);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    params: ConnectionParams,
    private readonly capacity: number,
  ) {
    this.params = params;
    const webview = panel.webview;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'panel-icon.svg');
    webview.html = panelPage({
      cspSource: webview.cspSource,
      nonce: randomNonce(),
      asset: (...segments) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString(),
      script: 'webview.js',
      language: vscode.env.language,
      words: vscode.l10n.bundle ?? {},
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.live = false;
      }),
    );
  }

  get state(): ConnectionState {
    return this.session?.state ?? closedState(this.params.url, this.binaryType);
  }

  reveal(): void {
    this.panel.reveal();
  }

  connect(params: ConnectionParams): WebActionResult {
    if (this.session?.isActive) return { ok: false, field: 'general', error: vscode.l10n.t('Already connected: disconnect first.') };
    if (params.kind === 'socketio') return this.connectSocketIo(params);
    const url = checkUrl(params.url);
    if (!url.ok) return { ok: false, field: 'url', error: url.error };
    const protocols = checkSubprotocols(params.protocols);
    if (!protocols.ok) return { ok: false, field: 'protocols', error: protocols.error };
    const refused = browserRefusal(params);
    if (refused) return { ok: false, ...refused };
    this.params = params;
    this.post({ type: 'params', params });
    try {
      this.session = new BrowserSession(url.url, protocols.protocols, this.binaryType, {
        entry: (entry) => this.add(entry),
        state: () => this.markStateDirty(),
      });
    } catch (error) {
      return { ok: false, field: 'url', error: vscode.l10n.t('The browser refused this connection: {0}', error instanceof Error ? error.message : String(error)) };
    }
    try {
      this.panel.title = new URL(url.url).host || 'WebSocket';
    } catch {
      this.panel.title = 'WebSocket';
    }
    this.markStateDirty();
    return { ok: true };
  }

  /** Socket.IO v3/v4 through socket.io-client's browser build; v2's client needs Node. */
  private connectSocketIo(params: ConnectionParams): WebActionResult {
    const checked = checkSocketIoParams(params);
    if (!checked.ok) return checked;
    const refused = browserRefusal(checked.params);
    if (refused) return { ok: false, ...refused };
    const options = checked.params.socketio ?? DEFAULT_SOCKET_IO_OPTIONS;
    if (options.version === 'v2') return { ok: false, field: 'socketio', error: vscode.l10n.t('Socket.IO 2: {0}', notInBrowser()) };
    this.params = params;
    this.post({ type: 'params', params });
    this.session = new BrowserSocketIo(checked.params.url, options, { entry: (entry) => this.add(entry), state: () => this.markStateDirty() });
    try {
      this.panel.title = `${new URL(checked.params.url).host}${options.namespace !== '/' ? ` ${options.namespace}` : ''}`;
    } catch {
      this.panel.title = 'Socket.IO';
    }
    this.markStateDirty();
    return { ok: true };
  }

  disconnect(): void {
    this.session?.disconnect();
    this.markStateDirty();
  }

  private send(format: SendFormat, body: string): WebActionResult {
    if (!(this.session instanceof BrowserSession)) return { ok: false, field: 'message', error: vscode.l10n.t('Not connected') };
    // MessagePack, CBOR and Protobuf encoders are not in the browser bundle (they would double its size).
    if (format !== 'text' && format !== 'json' && format !== 'hex' && format !== 'base64') {
      return { ok: false, field: 'message', error: vscode.l10n.t('Send as {0}: {1}', format, notInBrowser()) };
    }
    return this.session.send(format, body);
  }

  private receive(raw: unknown): void {
    const message = parseFromWebview(raw);
    if (!message) return;
    this.handle(message);
  }

  private handle(message: FromWebview): void {
    switch (message.type) {
      case 'ready':
        this.live = true;
        this.sendInit();
        return;
      case 'entriesAck':
        return;
      case 'connect':
        this.reply(message.requestId, this.connect(message.params));
        return;
      case 'disconnect':
        this.disconnect();
        this.reply(message.requestId, { ok: true });
        return;
      case 'send':
        this.reply(message.requestId, this.send(message.format, message.body));
        return;
      case 'close':
        if (this.session instanceof BrowserSocketIo) {
          // Socket.IO has no closing handshake to start: Close disconnects, as on the desktop.
          this.session.disconnect();
          this.reply(message.requestId, { ok: true });
        } else {
          this.reply(message.requestId, this.session ? this.session.close(message.code, message.reason) : { ok: false, field: 'general', error: vscode.l10n.t('Not connected') });
        }
        return;
      case 'emit':
        this.reply(message.requestId, this.session instanceof BrowserSocketIo
          ? this.session.emit(message.event, message.format, message.args, message.expectAck)
          : { ok: false, field: 'eventName', error: vscode.l10n.t('Emit needs a Socket.IO connection') });
        return;
      case 'control':
        this.reply(message.requestId, { ok: false, field: 'control', error: browserLimits().controlFrames });
        return;
      case 'setBinaryType':
        this.binaryType = message.binaryType;
        if (this.session instanceof BrowserSession) this.session.binaryType = message.binaryType;
        this.markStateDirty();
        return;
      case 'clearLog':
        this.entries = [];
        this.pending = [];
        this.evicted = 0;
        this.post({ type: 'logCleared' });
        return;
      case 'saveEndpoint':
      case 'renameEndpoint':
      case 'deleteEndpoint':
      case 'saveEnvironment':
      case 'startSchedule':
      case 'stopSchedule':
      case 'saveMessage':
      case 'renameMessage':
      case 'deleteMessage':
      case 'moveMessage':
      case 'sendMessage':
      case 'mockSend':
      case 'mockEmit':
      case 'mockClose':
      case 'mockDrop':
        this.reply(message.requestId, { ok: false, field: 'general', error: notInBrowser() });
        return;
      case 'recordToFile':
      case 'stopRecording':
      case 'exportHar':
      case 'openEntry':
      case 'saveEntry':
      case 'copyEntries':
      case 'resendEntries':
      case 'saveAsFlow':
        void vscode.window.showInformationMessage(notInBrowser());
        return;
      case 'chooseEndpoint':
      case 'selectEnvironment':
      case 'mockView':
        return;
      default:
        assertNever(message);
    }
  }

  private sendInit(): void {
    this.post({
      type: 'init',
      title: this.panel.title,
      params: this.params,
      state: this.state,
      entries: encodeEntries(this.entries),
      evicted: this.evicted,
      capacity: this.capacity,
      collections: [],
      workspace: { collections: [], trusted: vscode.workspace.isTrusted },
    });
    this.pending = [];
    this.post({ type: 'hostInfo', origin: connectionOrigin(vscode.env.remoteName, 'web'), limits: browserLimits() });
  }

  private add(entry: Omit<LogEntry, 'id'>): void {
    const full: LogEntry = { id: this.nextId++, ...entry };
    this.entries.push(full);
    if (this.entries.length > this.capacity) {
      const over = this.entries.length - this.capacity;
      this.entries.splice(0, over);
      this.evicted += over;
    }
    this.pending.push(full);
    this.schedule();
  }

  private markStateDirty(): void {
    this.stateDirty = true;
    this.stateEmitter.fire();
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    this.timer = undefined;
    if (!this.live) return;
    if (this.pending.length > 0) {
      // What was evicted before it was posted is never sent.
      const firstKept = this.entries[0]?.id ?? this.nextId;
      const batch = this.pending.filter((entry) => entry.id >= firstKept);
      this.pending = [];
      if (batch.length > 0) this.post({ type: 'entries', entries: encodeEntries(batch), evicted: this.evicted });
    }
    if (this.stateDirty) {
      this.stateDirty = false;
      this.post({ type: 'state', state: this.state });
    }
  }

  private reply(requestId: number, result: WebActionResult): void {
    this.post(
      result.ok
        ? { type: 'result', inReplyTo: requestId, ok: true }
        : { type: 'result', inReplyTo: requestId, ok: false, field: result.field, error: result.error },
    );
  }

  private post(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.session?.disconnect();
    this.session = undefined;
    for (const d of this.disposables) d.dispose();
    this.disposedEmitter.fire();
    this.disposedEmitter.dispose();
    this.stateEmitter.dispose();
  }
}
