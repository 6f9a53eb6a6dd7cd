import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { validateName } from '../shared/collections';
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
import type { BackoffPolicy } from '../shared/backoff';
import { formatMs } from '../shared/timing';
import { Connection, type ConnectionOptions } from '../core/connection';
import type { EndpointStore } from './endpointStore';
import { COMMANDS } from './commandIds';
import { LogPipeline } from '../core/logPipeline';
import { LogFiles } from './logFiles';
import { Reconnector } from '../core/reconnector';
import { readTlsFiles } from '../core/tlsFiles';
import type { Environments } from './environments';
import { referencedNames, resolveParams, resolveText, withoutSecrets, withPlaceholders } from '../shared/variables';
import type { Collection, PayloadFormat, Variable } from '../shared/protocol';
import { framesRefused, type ActionResult, type AnySession } from '../core/session';
import { SocketIoConnection } from '../core/socketIoConnection';

export const PANEL_VIEW_TYPE = 'websocketDebugger.panel';

/** What every panel needs from the extension. */
export interface PanelContext {
  extensionUri: vscode.Uri;
  store: EndpointStore;
  output: vscode.OutputChannel;
  connectionOptions(): ConnectionOptions;
  /** How many entries a panel's log keeps (the websocketDebugger.logCapacity setting). */
  logCapacity(): number;
  reconnectPolicy(): BackoffPolicy;
  environments: Environments;
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
  private connection: AnySession | undefined;
  private connectionListeners: { dispose(): void }[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pipeline: LogPipeline;
  private readonly files: LogFiles;
  private params: ConnectionParams;
  private disposed = false;
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  private readonly reconnector: Reconnector;
  /** Bumped by every Connect and Disconnect, so a file read that finishes late is dropped. */
  private connectGeneration = 0;
  /** The message being repeated, if any. */
  private schedule: { timer: NodeJS.Timeout; intervalSeconds: number; sent: number } | undefined;
  /** The collection whose active environment resolves `{{name}}`; chosen in the panel. */
  private collectionId: string | undefined;
  readonly onDidDispose = this.disposedEmitter.event;
  /**
   * Set when the parameters came from a file of a workspace the user has not trusted: while it
   * stays untrusted, secret variables are withheld from this panel's connections and messages.
   */
  untrustedSource = false;

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
    this.pipeline = new LogPipeline(
      ctx.logCapacity(),
      (message) => this.post(message),
      () => this.post({ type: 'state', state: this.state }),
    );
    this.files = new LogFiles(this.pipeline, panel, ctx.output, (file) => this.post({ type: 'recording', file }));
    this.reconnector = new Reconnector(
      () => ctx.reconnectPolicy(),
      () =>
        void this.connect(this.params, undefined, true).then((result) => {
          if (!result.ok) this.info(`Auto-reconnect stopped: ${result.error}`);
        }),
    );
    panel.iconPath = vscode.Uri.joinPath(ctx.extensionUri, 'media', 'panel-icon.svg');
    panel.webview.html = this.html(panel.webview);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidChangeViewState(() => {
        // A hidden webview is torn down; it posts 'ready' again when shown and gets the whole log.
        if (!panel.visible) this.pipeline.setLive(false);
      }),
      ctx.store.onDidChange((collections) => this.post({ type: 'collections', collections })),
    );
  }

  get title(): string {
    return this.panel.title;
  }

  /** The live state, for commands and tests. */
  get state(): ConnectionState {
    const state = this.connection?.state ?? idleState(this.params.url);
    const pending = this.reconnector.pending;
    if (pending) state.reconnect = { attempt: pending.attempt, at: pending.at };
    if (this.schedule) state.schedule = { intervalSeconds: this.schedule.intervalSeconds, sent: this.schedule.sent };
    return state;
  }

  get currentParams(): ConnectionParams {
    return this.params;
  }

  /** Log entries kept for this panel, oldest first. */
  get entries(): LogEntry[] {
    return this.pipeline.log.entries();
  }

  get isConnected(): boolean {
    const readyState = this.connection?.state.readyState;
    return readyState === 'OPEN' || readyState === 'CONNECTING';
  }

  reveal(): void {
    this.panel.reveal();
  }

  /**
   * Opens a socket with these parameters (or the form's), replacing a closed one. The files the
   * TLS options name are read first. `reconnecting` marks an attempt made by auto-reconnect.
   */
  async connect(params: ConnectionParams = this.params, endpointName?: string, reconnecting = false): Promise<ActionResult> {
    if (this.isConnected) {
      return { ok: false, field: 'general', error: 'Already connected: disconnect first.' };
    }
    if (!reconnecting) this.reconnector.cancel();
    const generation = ++this.connectGeneration;
    const usable = await this.variablesFor(params.url, JSON.stringify(params));
    if (!usable.ok) return { ok: false, field: 'general', error: usable.error };
    const resolved = resolveParams(params, usable.variables);
    if (!resolved.ok) return resolved;
    const checked = checkAnyParams(resolved.params);
    if (!checked.ok) return checked;
    // The form keeps the references; only the connection sees the values.
    this.params = params;
    const tls = await readTlsFiles(checked.params.options);
    if (generation !== this.connectGeneration || this.disposed) return { ok: true };
    if (!tls.ok) {
      this.markStateDirty();
      return { ok: false, field: 'options', error: tls.error };
    }
    this.post({ type: 'params', params: this.params });
    const namespace = this.params.socketio?.namespace;
    this.panel.title =
      titleFor(this.params.url, endpointName ?? this.matchingEndpointName()) +
      (namespace && namespace !== '/' && !endpointName ? ` ${namespace}` : '');
    this.releaseConnection();
    const connection: AnySession =
      checked.params.kind === 'socketio'
        ? new SocketIoConnection(checked.params, { ...this.ctx.connectionOptions(), secrets: resolved.secrets })
        : new Connection(checked.params, {
            ...this.ctx.connectionOptions(),
            tlsFiles: tls.files,
            secrets: resolved.secrets,
          });
    this.connection = connection;
    if (connection.kind === 'websocket') connection.setTextSink((time, utf8) => this.pipeline.addReceivedText(time, utf8));
    this.connectionListeners = [
      connection.onEntry((entry) => this.addEntry(entry)),
      connection.onStateChange((state) => this.connectionStateChanged(connection, state)),
    ];
    const result = connection.open();
    this.markStateDirty();
    return result;
  }

  /** Disconnect also stops a pending auto-reconnect. */
  disconnect(): void {
    this.connectGeneration += 1;
    this.stopSchedule();
    const wasWaiting = this.reconnector.pending !== undefined;
    this.reconnector.cancel();
    if (wasWaiting) this.info('Auto-reconnect stopped by Disconnect');
    this.connection?.disconnect();
    this.markStateDirty();
  }

  private connectionStateChanged(connection: AnySession, state: ConnectionState): void {
    this.markStateDirty();
    if (connection !== this.connection) return;
    if (state.readyState === 'OPEN') this.reconnector.succeeded();
    if (state.readyState === 'CLOSED' && this.schedule) this.stopSchedule('the connection closed');
    if (
      state.readyState === 'CLOSED' &&
      state.close &&
      connection.kind === 'websocket' &&
      !connection.endedByUser &&
      this.params.options?.autoReconnect === true &&
      !this.reconnector.pending &&
      !this.reconnectScheduledFor.has(connection)
    ) {
      this.reconnectScheduledFor.add(connection);
      const next = this.reconnector.schedule();
      this.info(
        next
          ? `Auto-reconnect: attempt ${next.attempt} in ${formatMs(next.delayMs)}`
          : 'Auto-reconnect gave up: the configured number of attempts was used up',
      );
    }
  }

  /** Connections that already scheduled their reconnect (a CLOSED state may be reported twice). */
  private readonly reconnectScheduledFor = new WeakSet<AnySession>();

  private info(detail: string): void {
    this.addEntry({ time: Date.now(), kind: 'info', direction: 'none', size: 0, detail });
  }

  /** The chosen collection, else the one holding an endpoint with this URL. */
  /**
   * The variables `text` may use: all of the active environment's, except that secret ones are
   * withheld from parameters that came from a file of a workspace still not trusted.
   */
  private async variablesFor(url: string, text: string): Promise<{ ok: true; variables: Variable[] } | { ok: false; error: string }> {
    const variables = await this.ctx.environments.activeVariables(this.environmentCollection(url));
    if (!this.untrustedSource || vscode.workspace.isTrusted) return { ok: true, variables };
    return withoutSecrets(variables, text);
  }

  private environmentCollection(url: string): Collection | undefined {
    const collections = this.ctx.store.collections;
    if (this.collectionId !== undefined) return collections.find((c) => c.id === this.collectionId);
    return collections.find((c) => c.endpoints.some((e) => e.url === url));
  }

  private matchingEndpointName(): string | undefined {
    for (const collection of this.ctx.store.collections) {
      const endpoint = collection.endpoints.find((e) => e.url === this.params.url);
      if (endpoint) return endpoint.name;
    }
    return undefined;
  }

  private addEntry(entry: Omit<LogEntry, 'id'>): void {
    this.pipeline.add(entry);
  }

  private markStateDirty(): void {
    this.pipeline.markStateDirty();
  }

  private post(message: ToWebview): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(message);
  }

  private sendInit(): void {
    this.post({
      type: 'init',
      title: this.panel.title,
      params: this.params,
      state: this.state,
      entries: this.pipeline.takeAll(),
      evicted: this.pipeline.log.evicted,
      capacity: this.pipeline.log.capacity,
      recording: this.files.file,
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
        this.pipeline.setLive(true);
        this.sendInit();
        return;
      case 'connect':
        this.reply(message.requestId, await this.connect(message.params));
        return;
      case 'disconnect':
        this.disconnect();
        this.reply(message.requestId, { ok: true });
        return;
      case 'send':
        this.reply(message.requestId, await this.sendResolved(message.format, message.body));
        return;
      case 'startSchedule':
        this.reply(message.requestId, await this.startSchedule(message.format, message.body, message.intervalSeconds));
        return;
      case 'stopSchedule':
        this.stopSchedule();
        this.reply(message.requestId, { ok: true });
        return;
      case 'saveEnvironment':
        this.collectionId = message.collectionId;
        this.reply(message.requestId, await this.ctx.environments.save(message.collectionId, message.environment));
        return;
      case 'selectEnvironment':
        this.collectionId = message.collectionId || undefined;
        if (message.collectionId) await this.ctx.store.selectEnvironment(message.collectionId, message.environment);
        return;
      case 'control':
        this.reply(
          message.requestId,
          !this.connection
            ? this.notConnected('control')
            : this.connection.kind === 'websocket'
              ? this.connection.control(message.frame, message.payload)
              : framesRefused('control'),
        );
        return;
      case 'close':
        this.reply(
          message.requestId,
          !this.connection
            ? this.notConnected('closeCode')
            : this.connection.kind === 'websocket'
              ? this.connection.close(message.code, message.reason, message.advancedConfirmed)
              : this.disconnectSocketIo(this.connection),
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
          this.connection?.kind === 'socketio'
            ? this.connection.emit(message.event, message.format, message.args, message.expectAck)
            : { ok: false, field: 'eventName', error: 'Not connected to a Socket.IO server: choose Socket.IO and press Connect' },
        );
        return;
      case 'clearLog':
        this.pipeline.clear();
        this.post({ type: 'logCleared' });
        return;
      case 'entriesAck':
        this.pipeline.acknowledge();
        return;
      case 'recordToFile':
        await this.files.start();
        return;
      case 'stopRecording':
        await this.files.stop();
        return;
      case 'openEntry':
        await this.files.openEntry(message.entryId);
        return;
      case 'saveEntry':
        await this.files.saveEntry(message.entryId);
        return;
      default:
        assertNever(message);
    }
  }

  /** Sends a composer message with its `{{name}}` references resolved. */
  private async sendResolved(format: PayloadFormat, text: string): Promise<ActionResult> {
    if (!this.connection) return this.notConnected('message');
    const usable = await this.variablesFor(this.params.url, text);
    if (!usable.ok) return { ok: false, field: 'message', error: usable.error };
    const body = resolveText(text, usable.variables);
    if (!body.ok) return { ok: false, field: 'message', error: body.error };
    return this.connection.kind === 'websocket' ? this.connection.send(format, body.value) : framesRefused('send');
  }

  /** Sends the message now and every `intervalSeconds` after, until stopped or the socket closes. */
  private async startSchedule(format: PayloadFormat, text: string, intervalSeconds: number): Promise<ActionResult> {
    this.stopSchedule();
    const first = await this.sendResolved(format, text);
    if (!first.ok) return first;
    const tick = async (): Promise<void> => {
      const result = await this.sendResolved(format, text);
      if (!this.schedule) return;
      if (result.ok) this.schedule.sent += 1;
      else this.stopSchedule(result.error);
      this.markStateDirty();
    };
    const timer = setInterval(() => void tick().catch((error: unknown) => this.stopSchedule(String(error))), intervalSeconds * 1000);
    this.schedule = { timer, intervalSeconds, sent: 1 };
    this.info(`Repeating the message every ${intervalSeconds} s until stopped`);
    this.markStateDirty();
    return { ok: true };
  }

  private stopSchedule(why?: string): void {
    if (!this.schedule) return;
    clearInterval(this.schedule.timer);
    const sent = this.schedule.sent;
    this.schedule = undefined;
    this.info(`Stopped repeating after ${sent} message(s)${why ? `: ${why}` : ''}`);
    this.markStateDirty();
  }

  /** A Socket.IO session has no closing handshake to start: Close disconnects it. */
  private disconnectSocketIo(session: SocketIoConnection): ActionResult {
    session.disconnect();
    return { ok: true };
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
    // References are checked as plain words and saved as written.
    const checked = checkAnyParams({
      ...params,
      url: withPlaceholders(params.url),
      protocols: params.protocols.map(withPlaceholders),
    });
    if (!checked.ok) return checked;
    const hasReferences = referencedNames([params.url, ...params.protocols].join(' ')).length > 0;
    const saved = hasReferences ? { ...checked.params, url: params.url.trim(), protocols: params.protocols } : checked.params;
    const endpoint = await this.ctx.store.save(collection.trim(), { name: name.trim(), ...saved });
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
    if (this.connection?.kind === 'websocket') this.connection.setTextSink(undefined);
    this.connection?.dispose();
    this.connection = undefined;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pipeline.dispose();
    void this.files.stop();
    this.reconnector.cancel();
    if (this.schedule) clearInterval(this.schedule.timer);
    this.releaseConnection();
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
    this.disposedEmitter.fire();
    this.disposedEmitter.dispose();
  }
}

