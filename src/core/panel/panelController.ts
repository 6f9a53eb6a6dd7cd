/**
 * One debugger panel's logic, free of `vscode`: it takes the webview's validated messages, owns
 * the session, the log pipeline, auto-reconnect and Repeat, and answers through its PanelHost.
 * DebuggerPanel (src/extension) keeps the webview itself and implements the host with VS Code.
 */
import {
  assertNever,
  parseFromWebview,
  type ConnectionParams,
  type ConnectionState,
  type Endpoint,
  type FromWebview,
  type LogEntry,
  type SendFormat,
  type ToWebview,
  type Variable,
  type WorkspaceCollections,
} from '../../shared/protocol';
import { resolveText } from '../../shared/variables';
import { flowDraft } from '../../shared/flowDraft';
import { compileFilter, type LogFilterSpec } from '../../shared/logFilter';
import { formatMs } from '../../shared/timing';
import { sessionsFromLog } from '../har/harWriter';
import { DEFAULT_SOCKET_IO_OPTIONS } from '../../shared/socketIo';
import { encodeBase64 } from '../../shared/codecs';
import type { BinaryDecoder } from '../decoders/binaryCodec';
import { encodeForSend, loadDecoder } from '../decoders/entryDecoder';
import { OrderedDecoding } from '../decoders/orderedDecoding';
import { copyEntries, keptEntries } from '../logSelection';
import { LogPipeline } from '../logPipeline';
import { EntryLens } from './entryLens';
import type { WorkerFault } from '../worker/workerProtocol';
import { Reconnector } from '../reconnector';
import type { ActionResult } from '../session';
import { environmentCollection, resolveForConnect, tlsFilesFor, usableVariables } from './connectSteps';
import { endpointToSave } from './endpointDraft';
import { findSharedEndpoint, type HarExportChoices, type PanelHost } from './panelHost';
import { PanelMessages } from './panelMessages';
import { RepeatScheduler } from './repeatScheduler';
import { PanelWorkspaceConsent } from './workspaceTrust';
import { closeOn, closedByOthers, controlOn, createPanelSession, emitOn, sendOn, setTextSink, type PanelSession } from './sessions';
import { l10n } from '../../shared/l10n';
import { closedState } from '../../shared/model';


/** The panel title for a connection: the endpoint name when saved, else the host. */
export function titleFor(url: string, endpointName?: string): string {
  if (endpointName) return endpointName;
  try {
    return new URL(url).host || 'WebSocket';
  } catch {
    return 'WebSocket';
  }
}

export interface PanelStart {
  params: ConnectionParams;
  title: string;
  /**
   * The parameters came from a file of a workspace the user has not trusted: while it stays
   * untrusted, secret variables are withheld from this panel's connections and messages.
   */
  untrustedSource?: boolean;
  /**
   * The saved or workspace-shared endpoint the panel was opened for; without one, the first saved
   * endpoint with the same URL (so a panel revived after a reload finds its messages again).
   */
  endpointId?: string;
  /**
   * The panel shows a log recorded elsewhere (a HAR file's), in these words: it never connects,
   * and the webview shows the log without the connection form and the composer.
   */
  readOnly?: string;
}

export class PanelController {
  readonly pipeline: LogPipeline;
  private session: PanelSession | undefined;
  private sessionListeners: { dispose(): void }[] = [];
  /** Decode binary as for the current connection: large messages off this thread, in order. */
  private decoding: OrderedDecoding<Omit<LogEntry, 'id'>> | undefined;
  private params: ConnectionParams;
  /** The connection's Decode binary as, once loaded; undefined when the endpoint has none. */
  private decoder: BinaryDecoder | undefined;
  private currentTitle: string;
  /** Set once the user connects to a workspace file's endpoint in Restricted Mode, and kept. */
  private untrustedSource: boolean;
  private readonly consent: PanelWorkspaceConsent;
  private readonly readOnly: string | undefined;
  private readonly reconnector: Reconnector;
  private readonly repeat: RepeatScheduler;
  private readonly messages: PanelMessages;
  /** Sessions that already scheduled their reconnect (a CLOSED state may be reported twice). */
  private readonly reconnectScheduledFor = new WeakSet<PanelSession>();
  /** Bumped by every Connect and Disconnect, so a file read that finishes late is dropped. */
  private connectGeneration = 0;
  /** The collection whose active environment resolves `{{name}}`; chosen in the panel. */
  private collectionId: string | undefined;
  private disposed = false;

  constructor(
    private readonly host: PanelHost,
    start: PanelStart,
  ) {
    this.params = start.params;
    this.currentTitle = start.title;
    this.untrustedSource = start.untrustedSource === true;
    this.readOnly = start.readOnly;
    this.pipeline = new LogPipeline(
      host.settings().logCapacity,
      (message) => this.post(message),
      () => this.post({ type: 'state', state: this.state }),
    );
    this.reconnector = new Reconnector(
      () => this.host.settings().reconnect,
      () =>
        void this.connect(this.params, undefined, true).then((result) => {
          if (!result.ok) this.info(l10n.t('Auto-reconnect stopped: {0}', result.error));
        }),
    );
    this.repeat = new RepeatScheduler({ info: (detail) => this.info(detail), changed: () => this.pipeline.markStateDirty() });
    this.messages = new PanelMessages(
      host,
      (message) => this.post(message),
      {
        send: (format, body) => this.sendResolved(format, body),
        emit: (event, format, args, expectAck) => emitOn(this.session, event, format, args, expectAck),
      },
      start.endpointId ?? this.matchingEndpoint()?.id,
    );
    this.consent = new PanelWorkspaceConsent({
      workspaceTrusted: () => host.workspaceTrusted(),
      confirm: (question, action) => host.confirm(question, action),
    });
    if (start.endpointId !== undefined) {
      this.consent.choose(findSharedEndpoint(host.sharedCollections(), start.endpointId));
      // Opened for a workspace file's endpoint after the user said Connect (commands.ts).
      if (this.untrustedSource) this.consent.agree(start.params.url, start.params.headers);
    }
  }

  get title(): string {
    return this.currentTitle;
  }

  /** The live state, for commands and tests. */
  get state(): ConnectionState {
    const state = this.session?.state ?? closedState(this.params.url);
    const pending = this.reconnector.pending;
    if (pending) state.reconnect = { attempt: pending.attempt, at: pending.at };
    const schedule = this.repeat.snapshot;
    if (schedule) state.schedule = schedule;
    return state;
  }

  /** The form's parameters, `{{name}}` references unresolved. */
  get currentParams(): ConnectionParams {
    return this.params;
  }

  get entries(): LogEntry[] {
    return this.pipeline.log.entries();
  }

  get isConnected(): boolean {
    const readyState = this.session?.state.readyState;
    return readyState === 'OPEN' || readyState === 'CONNECTING';
  }

  /** A message from the webview, not yet validated: anything malformed is logged and dropped. */
  receive(raw: unknown): void {
    const message = parseFromWebview(raw);
    if (!message) {
      this.host.log(`Ignored a malformed message from the debugger panel "${this.currentTitle}".`, 'warn');
      return;
    }
    this.handle(message).catch((error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      this.host.log(`Error while handling "${message.type}": ${text}`, 'error');
      if ('requestId' in message) {
        this.post({ type: 'result', inReplyTo: message.requestId, ok: false, field: 'general', error: text });
      }
    });
  }

  /** The webview was hidden (and torn down): it asks for everything again with 'ready'. */
  hidden(): void {
    this.pipeline.setLive(false);
  }

  collectionsChanged(): void {
    this.postCollections();
    this.messages.show();
  }

  /** A workspace's shared collection file changed, or trust was granted: its endpoints and messages may have. */
  sharedEndpointsChanged(): void {
    this.postCollections();
    this.messages.show();
  }

  private postCollections(): void {
    this.post({ type: 'collections', collections: this.host.endpoints.collections, workspace: this.workspaceCollections() });
  }

  private workspaceCollections(): WorkspaceCollections {
    return { collections: this.host.sharedCollections(), trusted: this.host.workspaceTrusted() };
  }

  /** The panel's Connect: a workspace file's endpoint in Restricted Mode connects only once the user agrees. */
  private async connectFromPanel(params: ConnectionParams): Promise<ActionResult> {
    const consent = await this.consent.check(params.url, params.headers);
    if (!consent.ok) return { ok: false, field: 'general', error: consent.error };
    if (consent.fromWorkspace) this.untrustedSource = true;
    return this.connect(params, this.consent.nameFor(params.url));
  }

  /** Empties the log (the panel's Clear, and the editor title's). */
  clearLog(): void {
    this.pipeline.clear();
    this.post({ type: 'logCleared' });
  }

  recordingChanged(file: string | undefined): void {
    this.post({ type: 'recording', file });
  }

  /**
   * Opens a session with these parameters (or the form's), replacing a closed one. The files the
   * TLS options name are read first. `reconnecting` marks an attempt made by auto-reconnect.
   */
  async connect(params: ConnectionParams = this.params, endpointName?: string, reconnecting = false): Promise<ActionResult> {
    if (this.readOnly !== undefined) return { ok: false, field: 'general', error: l10n.t('This panel shows a recorded log and does not connect: connect from its endpoint in the Endpoints view, or run its replay flow.') };
    if (this.isConnected) return { ok: false, field: 'general', error: l10n.t('Already connected: disconnect first.') };
    if (!reconnecting) this.reconnector.cancel();
    const generation = ++this.connectGeneration;
    const usable = await this.variablesFor(params.url, JSON.stringify(params));
    if (!usable.ok) return { ok: false, field: 'general', error: usable.error };
    const prepared = resolveForConnect(params, usable.variables);
    if (!prepared.ok) return prepared;
    // The form keeps the references; only the session sees the values.
    this.params = params;
    const tls = await tlsFilesFor(prepared.params);
    if (generation !== this.connectGeneration || this.disposed) return { ok: true };
    if (!tls.ok) {
      this.pipeline.markStateDirty();
      return tls;
    }
    const decoding = await this.loadDecoder(prepared.params);
    if (generation !== this.connectGeneration || this.disposed) return { ok: true };
    this.post({ type: 'params', params: this.params });
    const namespace = this.params.socketio?.namespace;
    this.setTitle(
      titleFor(this.params.url, endpointName ?? this.matchingEndpointName()) +
        (namespace && namespace !== '/' && !endpointName ? ` ${namespace}` : ''),
    );
    this.releaseSession();
    const session = createPanelSession(prepared.params, this.host.settings(), tls.files, prepared.secrets);
    this.session = session;
    this.decoder = decoding.decoder;
    if (decoding.error) this.pipeline.add({ time: Date.now(), kind: 'error', direction: 'none', size: 0, detail: decoding.error });
    const decoder = this.decoder;
    const lens = new EntryLens(session.kind !== 'socketio' ? this.params.options?.lens : 'none', () => session.state.protocol);
    const logText = (time: number, utf8: Uint8Array): void => {
      if (lens.active) this.pipeline.add(lens.receivedText(time, utf8));
      else this.pipeline.addReceivedText(time, utf8);
    };
    const logEntry = (entry: Omit<LogEntry, 'id'>): void => {
      this.pipeline.add(lens.annotate(entry));
    };
    // With a decoder, texts go through it too: they wait behind a large message it decodes.
    const ordered = decoder ? new OrderedDecoding(decoder, { entry: logEntry, text: logText }) : undefined;
    this.decoding = ordered;
    setTextSink(session, ordered ? (time, utf8) => ordered.text(time, utf8) : logText);
    this.sessionListeners = [
      session.onEntry(ordered ? (entry) => ordered.entry(entry) : logEntry),
      session.onStateChange((state) => this.sessionStateChanged(session, state)),
      // The messages it still decodes reach the log; then its worker stops.
      ...(ordered ? [{ dispose: () => ordered.close() }] : []),
    ];
    const result = session.open();
    this.pipeline.markStateDirty();
    return result;
  }

  /** Disconnect also stops Repeat and a pending auto-reconnect. */
  disconnect(): void {
    this.connectGeneration += 1;
    this.repeat.stop();
    const wasWaiting = this.reconnector.pending !== undefined;
    this.reconnector.cancel();
    if (wasWaiting) this.info(l10n.t('Auto-reconnect stopped by Disconnect'));
    this.session?.disconnect();
    this.pipeline.markStateDirty();
  }

  /** Saves the form as an endpoint; the panel then carries the endpoint's name. */
  async saveEndpoint(params: ConnectionParams, name: string, collection: string): Promise<ActionResult> {
    const draft = endpointToSave(params, name, collection);
    if (!draft.ok) return draft;
    const endpoint = await this.host.endpoints.save(draft.collection, draft.endpoint);
    this.setTitle(endpoint.name);
    this.messages.choose(endpoint.id);
    this.consent.choose(undefined);
    return { ok: true };
  }

  private async handle(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.pipeline.setLive(true);
        this.sendInit();
        return;
      case 'connect':
        this.reply(message.requestId, await this.connectFromPanel(message.params));
        return;
      case 'disconnect':
        this.disconnect();
        this.reply(message.requestId, { ok: true });
        return;
      case 'setBinaryType':
        // Only the browser's WebSocket has a binaryType; this panel never shows the choice.
        return;
      case 'send':
        this.reply(message.requestId, await this.sendResolved(message.format, message.body));
        this.host.stateChanged?.();
        return;
      case 'startSchedule':
        this.reply(
          message.requestId,
          await this.repeat.start(() => this.sendResolved(message.format, message.body), message.intervalSeconds),
        );
        return;
      case 'stopSchedule':
        this.repeat.stop();
        this.reply(message.requestId, { ok: true });
        return;
      case 'saveEnvironment':
        this.collectionId = message.collectionId;
        this.reply(message.requestId, await this.host.variables.save(message.collectionId, message.environment));
        return;
      case 'selectEnvironment':
        this.collectionId = message.collectionId || undefined;
        if (message.collectionId) await this.host.endpoints.selectEnvironment(message.collectionId, message.environment);
        return;
      case 'control':
        this.reply(message.requestId, this.session ? await controlOn(this.session, message.frame, message.payload) : notConnected('control'));
        return;
      case 'close':
        this.reply(
          message.requestId,
          this.session ? await closeOn(this.session, message.code, message.reason, message.advancedConfirmed) : notConnected('closeCode'),
        );
        return;
      case 'saveEndpoint':
        this.reply(message.requestId, await this.saveEndpoint(message.params, message.name, message.collection));
        return;
      case 'renameEndpoint':
        await this.host.renameEndpoint(message.endpointId);
        this.reply(message.requestId, { ok: true });
        return;
      case 'deleteEndpoint':
        await this.host.deleteEndpoint(message.endpointId);
        this.reply(message.requestId, { ok: true });
        return;
      case 'emit':
        this.reply(message.requestId, emitOn(this.session, message.event, message.format, message.args, message.expectAck));
        this.host.stateChanged?.();
        return;
      case 'chooseEndpoint':
        this.messages.choose(message.endpointId);
        this.consent.choose(findSharedEndpoint(this.host.sharedCollections(), message.endpointId));
        return;
      case 'saveMessage':
      case 'renameMessage':
      case 'deleteMessage':
      case 'moveMessage':
      case 'sendMessage':
        this.reply(message.requestId, await this.messages.handle(message));
        if (message.type === 'sendMessage') this.host.stateChanged?.();
        return;
      case 'clearLog':
        this.clearLog();
        return;
      case 'saveAsFlow':
        await this.saveAsFlow(message.filter, message.entryIds);
        return;
      case 'copyEntries':
        await copyEntries(this.host.files, this.pipeline.log, message.entryIds, message.as);
        return;
      case 'resendEntries':
        await this.resend(message.entryIds);
        return;
      case 'entriesAck':
        this.pipeline.acknowledge(message.tail === true);
        return;
      case 'recordToFile':
        await this.host.files.start();
        return;
      case 'stopRecording':
        await this.host.files.stop();
        return;
      case 'openEntry':
        await this.host.files.openEntry(message.entryId);
        return;
      case 'saveEntry':
        await this.host.files.saveEntry(message.entryId);
        return;
      // A mock server's panel's requests: a debugger panel has no mock.
      case 'mockView':
        return;
      case 'mockSend':
      case 'mockEmit':
      case 'mockClose':
      case 'mockDrop':
        this.reply(message.requestId, { ok: false, field: 'general', error: l10n.t('This panel is a client, not a mock server') });
        return;
      case 'exportHar':
        await this.exportHar();
        return;
      default:
        assertNever(message);
    }
  }

  private sessionStateChanged(session: PanelSession, state: ConnectionState): void {
    this.pipeline.markStateDirty();
    this.host.stateChanged?.();
    if (session !== this.session) return;
    if (state.readyState === 'OPEN') this.reconnector.succeeded();
    if (state.readyState === 'CLOSED') this.repeat.stop(l10n.t('the connection closed'));
    if (
      state.readyState === 'CLOSED' &&
      state.close &&
      closedByOthers(session) &&
      this.params.options?.autoReconnect === true &&
      !this.reconnector.pending &&
      !this.reconnectScheduledFor.has(session)
    ) {
      this.reconnectScheduledFor.add(session);
      const next = this.reconnector.schedule();
      this.info(
        next
          ? l10n.t('Auto-reconnect: attempt {0} in {1}', next.attempt, formatMs(next.delayMs))
          : l10n.t('Auto-reconnect gave up: the configured number of attempts was used up'),
      );
    }
  }

  /**
   * The decoder of Decode binary as for a connection (binary messages, or Socket.IO's binary
   * event arguments), or why there is none; a wrong .proto file or type does not stop the
   * connection, it is reported in the log.
   */
  private async loadDecoder(params: ConnectionParams): Promise<{ decoder?: BinaryDecoder; error?: string }> {
    if (!params.decode) return {};
    const loaded = await loadDecoder(params.decode, this.host.protoFolders());
    return loaded.ok ? { decoder: loaded.decoder } : { error: l10n.t('Decode binary as: {0}. Binary messages are shown as bytes.', loaded.error) };
  }

  /**
   * Sends a composer message with its `{{name}}` references resolved. MessagePack, CBOR and
   * Protobuf bodies are JSON documents, encoded here (Protobuf checked against the endpoint's type).
   */
  private async sendResolved(format: SendFormat, text: string): Promise<ActionResult> {
    if (!this.session) return notConnected('message');
    const usable = await this.variablesFor(this.params.url, text);
    if (!usable.ok) return { ok: false, field: 'message', error: usable.error };
    const body = resolveText(text, usable.variables);
    if (!body.ok) return { ok: false, field: 'message', error: body.error };
    switch (format) {
      case 'msgpack':
      case 'cbor':
      case 'protobuf': {
        if (this.session.kind === 'socketio') return sendOn(this.session, 'base64', '');
        const encoded = encodeForSend(format, body.value, this.decoder);
        return encoded.ok ? sendOn(this.session, 'base64', encodeBase64(encoded.bytes)) : { ok: false, field: 'message', error: encoded.error };
      }
      default:
        return sendOn(this.session, format, body.value);
    }
  }

  private variablesFor(url: string, text: string): Promise<{ ok: true; variables: Variable[] } | { ok: false; error: string }> {
    const collection = environmentCollection(this.host.endpoints.collections, this.collectionId, url);
    return usableVariables(this.host.variables, collection, text, this.untrustedSource && !this.host.workspaceTrusted());
  }

  private matchingEndpointName(): string | undefined {
    return this.matchingEndpoint()?.name;
  }

  private matchingEndpoint(): Endpoint | undefined {
    if (this.params.url === '') return undefined;
    for (const collection of this.host.endpoints.collections) {
      const endpoint = collection.endpoints.find((e) => e.url === this.params.url);
      if (endpoint) return endpoint;
    }
    return undefined;
  }

  private setTitle(title: string): void {
    this.currentTitle = title;
    this.host.showTitle(title);
  }

  /**
   * The entries the log shows under `spec` (or the ones the user selected, `entryIds`) as a flow
   * draft, opened for the user to edit.
   */
  private async saveAsFlow(spec: LogFilterSpec, entryIds: readonly number[] | undefined): Promise<void> {
    const compiled = compileFilter(spec);
    // The webview shows a filter that does not compile as an error and keeps showing every entry.
    const filter = compiled.ok && compiled.filter.active ? compiled.filter : undefined;
    const entries = entryIds
      ? keptEntries(this.pipeline.log, entryIds)
      : this.pipeline.log.entries().filter((e) => filter === undefined || filter.test(e));
    const endpoint = this.matchingEndpointName() ?? this.currentTitle;
    const draft = flowDraft(entries, endpoint, `${this.currentTitle} (from the log)`);
    await this.host.openFlowDraft(`${JSON.stringify(draft, null, 2)}\n`);
  }

  /**
   * Resend of the log's selection: each message (sent or received, text or binary) goes out
   * again as it was, oldest first. What cannot be sent again (lifecycle entries, Socket.IO
   * events, a message the log keeps only the start of) is left out, and the log says so.
   */
  private async resend(entryIds: readonly number[]): Promise<void> {
    if (this.readOnly !== undefined) {
      // The recorded log stays as it was recorded: no note is added to it.
      this.host.notify(l10n.t('This panel shows a recorded log and does not connect: resend from a panel connected to its endpoint, or run its replay flow.'));
      return;
    }
    const session = this.session;
    if (!session || session.state.readyState !== 'OPEN') {
      this.info('Resend: not connected. Connect first, then resend the messages.');
      return;
    }
    let skipped = 0;
    for (const entry of keptEntries(this.pipeline.log, entryIds)) {
      const payload = entry.payload;
      if (entry.kind !== 'message' || !payload || entry.truncated || session.kind === 'socketio') {
        skipped++;
        continue;
      }
      const result = await sendOn(session, payload.kind === 'text' ? 'text' : 'base64', payload.kind === 'text' ? payload.text : payload.base64);
      if (!result.ok) {
        this.info(l10n.t('Resend stopped at entry {0}: {1}', entry.id, result.error ?? l10n.t('the message was not sent')));
        return;
      }
    }
    if (skipped > 0) {
      this.info(skipped === 1
        ? l10n.t('Resend left out 1 entry: only whole WebSocket messages can be sent again (not open, close, ping, Socket.IO events or messages kept only in part)')
        : l10n.t('Resend left out {0} entries: only whole WebSocket messages can be sent again (not open, close, ping, Socket.IO events or messages kept only in part)', skipped));
    }
  }

  /**
   * "Export as HAR…": the log's connections with the latest handshake, and the secret values of
   * the environment in use so the export can replace them with their `{{name}}`.
   */
  async exportHar(choices?: HarExportChoices): Promise<string | undefined> {
    const collection = environmentCollection(this.host.endpoints.collections, this.collectionId, this.params.url);
    const variables = await this.host.variables.activeVariables(collection);
    const resolved = (text: string): string => {
      const value = resolveText(text, variables);
      return value.ok ? value.value : text;
    };
    const url = resolveText(this.params.url, variables);
    const inspector = this.session?.state.inspector;
    const socketio = this.params.kind === 'socketio' ? (this.params.socketio ?? DEFAULT_SOCKET_IO_OPTIONS) : undefined;
    const sessions = sessionsFromLog(this.pipeline.log.entries(), {
      url: url.ok ? url.value : this.state.url,
      ...(inspector?.handshake ? { handshake: inspector.handshake } : {}),
      ...(inspector ? { timing: inspector.timing } : {}),
      ...(inspector?.remoteAddress ? { remoteAddress: inspector.remoteAddress } : {}),
      // A Socket.IO session has no handshake inspector: the request carries the form's headers.
      ...(socketio
        ? {
            socketio: { ...socketio, auth: resolved(socketio.auth), query: socketio.query.map((q) => ({ name: q.name, value: resolved(q.value) })) },
            ...(inspector?.handshake ? {} : { handshake: { requestLine: '', requestHeaders: this.params.headers.map((h): [string, string] => [h.name, resolved(h.value)]), responseHeaders: [] } }),
          }
        : {}),
    });
    if (sessions.length === 0) {
      this.host.notify(l10n.t('The log has no connection to export yet: connect first.'));
      return undefined;
    }
    const secrets = variables.filter((v) => v.secret === true).map((v) => ({ name: v.name, value: v.value }));
    return this.host.files.exportHar(sessions, secrets, this.currentTitle, choices);
  }

  private info(detail: string): void {
    this.pipeline.add({ time: Date.now(), kind: 'info', direction: 'none', size: 0, detail });
  }

  private post(message: ToWebview): void {
    if (!this.disposed) this.host.post(message);
  }

  private sendInit(): void {
    this.post({
      type: 'init',
      title: this.currentTitle,
      params: this.params,
      state: this.state,
      entries: this.pipeline.takeAll(),
      evicted: this.pipeline.log.evicted,
      capacity: this.pipeline.log.capacity,
      recording: this.host.files.file,
      collections: this.host.endpoints.collections,
      workspace: this.workspaceCollections(),
      ...(this.readOnly !== undefined ? { readOnly: this.readOnly } : {}),
    });
    this.messages.show();
  }

  private reply(requestId: number, result: ActionResult): void {
    this.post(
      result.ok
        ? { type: 'result', inReplyTo: requestId, ok: true }
        : { type: 'result', inReplyTo: requestId, ok: false, field: result.field, error: result.error, needsConfirmation: result.needsConfirmation },
    );
  }

  private releaseSession(): void {
    for (const listener of this.sessionListeners) listener.dispose();
    this.sessionListeners = [];
    if (this.session) setTextSink(this.session, undefined);
    this.session?.dispose();
    this.session = undefined;
  }

  /** Test hook (integration suite): makes the session's worker fail; false when there is none. */
  injectWorkerFault(fault: WorkerFault): boolean {
    if (this.session?.kind !== 'worker') return false;
    this.session.injectFault(fault);
    return true;
  }

  /** Closes the session and stops every timer; the host's files are stopped by the host. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.decoding?.dispose();
    this.pipeline.dispose();
    this.reconnector.cancel();
    this.repeat.dispose();
    this.releaseSession();
  }
}

function notConnected(field: 'message' | 'control' | 'closeCode'): ActionResult {
  return { ok: false, field, error: l10n.t('Not connected: press Connect first.') };
}
