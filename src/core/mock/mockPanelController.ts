/**
 * The logic of a mock server's panel, free of `vscode`: it shows one running mock's log (merged,
 * or one client's), lists its clients, and turns the webview's validated requests into the
 * engine's sendTo / close / drop. MockPanel (src/extension) keeps the webview and the files.
 *
 * The panel's log is its own LogPipeline fed from the mock's log: the webview mirrors a log whose
 * ids are consecutive, and one client's entries are not, so choosing a view refills the pipeline
 * with that view's entries. It is bounded by the same capacity as the mock's log.
 */
import { checkCloseRequest } from '../../shared/closeCodes';
import { encodeBody } from '../../shared/codecs';
import { l10n } from '../../shared/l10n';
import { isPayloadFormat } from '../../shared/savedMessages';
import {
  assertNever,
  parseFromWebview,
  type EntriesJson,
  type EntryOwners,
  type FromWebview,
  type LogEntry,
  type MockPanelClient,
  type MockPanelSummary,
  type PayloadFormat,
  type SendFormat,
  type ToMockWebview,
} from '../../shared/protocol';
import { checkEventName, parseEmitArguments } from '../../shared/socketIo';
import { encodeForSend } from '../decoders/entryDecoder';
import { LogPipeline } from '../logPipeline';
import { copyEntries } from '../logSelection';
import type { LogFilesPort, LogLevel } from '../panel/panelHost';
import type { ActionResult } from '../session';
import type { MockActionResult, RunningMock } from './mockTypes';

/** The merged view: every entry of the mock, its own and its clients'. */
export const ALL_CLIENTS = 'all';

/** Entries that do not name their client in their own words. */
const NAMED_KINDS: ReadonlySet<LogEntry['kind']> = new Set(['message', 'event', 'ack', 'ping', 'pong']);

export interface MockPanelHost {
  post(message: ToMockWebview): void;
  /** A line for the extension's output log, at a level (info when not given). */
  log(line: string, level?: LogLevel): void;
  readonly files: Omit<LogFilesPort, 'exportHar'>;
}

export class MockPanelController {
  readonly pipeline: LogPipeline;
  private view = ALL_CLIENTS;
  private running = true;
  private readonly subscriptions: { dispose(): void }[];
  /** The client number of the panel log's entry `id` at `(id - 1) % capacity`, for the merged view. */
  private readonly owners: Uint32Array;
  private disposed = false;

  constructor(
    private readonly host: MockPanelHost,
    private readonly mock: RunningMock,
    private readonly title: string,
    capacity: number,
  ) {
    this.owners = new Uint32Array(capacity);
    this.pipeline = new LogPipeline(
      capacity,
      (message) => this.post({ ...message, ...this.ownersOf(message.entries) }),
      () => this.post({ type: 'mockState', mock: this.summary, clients: this.clients }),
    );
    this.fill();
    this.subscriptions = [
      mock.log.onEntry((entry, clientId) => {
        if (this.inView(clientId)) this.add(entry, clientId);
      }),
      mock.onEvent((event) => {
        if (event.type === 'connected' || event.type === 'disconnected') this.pipeline.markStateDirty();
      }),
    ];
  }

  get summary(): MockPanelSummary {
    const { definition, url, fingerprint256 } = this.mock;
    return { name: definition.name, kind: definition.kind, url, running: this.running, ...(fingerprint256 ? { fingerprint256 } : {}) };
  }

  get clients(): MockPanelClient[] {
    return this.running ? this.mock.clients() : [];
  }

  /** The client whose entries the log shows, or 'all'. */
  get currentView(): string {
    return this.view;
  }

  /** The entries the panel's log holds now, oldest first. */
  get entries(): LogEntry[] {
    return this.pipeline.log.entries();
  }

  /** The mock stopped: the panel keeps its log and says so; requests are refused. */
  stopped(): void {
    this.running = false;
    this.pipeline.markStateDirty();
  }

  /** The webview was hidden (and torn down): it asks for everything again with 'ready'. */
  hidden(): void {
    this.pipeline.setLive(false);
  }

  recordingChanged(file: string | undefined): void {
    this.post({ type: 'recording', file });
  }

  /** Shows the merged log ('all') or one client's entries. */
  setView(clientId: string): void {
    this.view = clientId;
    this.fill();
    this.sendInit();
  }

  /** A message from the webview, not yet validated: anything malformed is logged and dropped. */
  receive(raw: unknown): void {
    const message = parseFromWebview(raw);
    if (!message) {
      this.host.log(`Ignored a malformed message from the mock panel "${this.title}".`, 'warn');
      return;
    }
    this.handle(message).catch((error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      this.host.log(`Error while handling "${message.type}": ${text}`, 'error');
      if ('requestId' in message) this.post({ type: 'result', inReplyTo: message.requestId, ok: false, field: 'general', error: text });
    });
  }

  /** What the composer sends: text, JSON or bytes to one client or to all. */
  send(target: string, format: SendFormat, body: string): ActionResult {
    const encoded = isPayloadFormat(format) ? encodeBody(format, body) : encodeForSend(format, body, this.mock.decoder);
    if (!encoded.ok) return { ok: false, field: 'message', error: encoded.error };
    const refused = this.refusedFor(target, 'message');
    if (refused) return refused;
    const outgoing = 'text' in encoded ? { kind: 'text' as const, text: encoded.text } : { kind: 'binary' as const, bytes: encoded.bytes };
    return asResult(this.mock.sendTo(target, outgoing), 'message');
  }

  emit(target: string, event: string, format: PayloadFormat, text: string): ActionResult {
    const nameError = checkEventName(event);
    if (nameError) return { ok: false, field: 'eventName', error: nameError };
    const parsed = parseEmitArguments(format, text);
    if (!parsed.ok) return { ok: false, field: 'eventArgs', error: parsed.error };
    const refused = this.refusedFor(target, 'eventName');
    if (refused) return refused;
    const args = parsed.args.map((arg) => (arg.kind === 'binary' ? Buffer.from(arg.bytes) : arg.value));
    return asResult(this.mock.sendTo(target, { kind: 'event', event, args }), 'eventName');
  }

  /** A Close frame to one client; codes RFC 6455 reserves for endpoints that detected something need confirming. */
  close(target: string, code: number, reason: string, advancedConfirmed: boolean): ActionResult {
    if (this.mock.definition.kind === 'websocket') {
      const refusal = checkCloseRequest(code, reason, advancedConfirmed);
      if (refusal) return { ok: false, ...refusal };
    }
    const refused = this.refusedFor(target, 'closeCode', true);
    if (refused) return refused;
    return asResult(this.mock.close(target, code, reason), 'closeCode');
  }

  drop(target: string): ActionResult {
    const refused = this.refusedFor(target, 'general', true);
    return refused ?? asResult(this.mock.drop(target), 'general');
  }

  private async handle(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.pipeline.setLive(true);
        this.sendInit();
        return;
      case 'entriesAck':
        this.pipeline.acknowledge();
        return;
      case 'clearLog':
        this.pipeline.clear();
        this.post({ type: 'logCleared' });
        return;
      case 'mockView':
        this.setView(message.clientId);
        return;
      case 'mockSend':
        this.reply(message.requestId, this.send(message.target, message.format, message.body));
        return;
      case 'mockEmit':
        this.reply(message.requestId, this.emit(message.target, message.event, message.format, message.args));
        return;
      case 'mockClose':
        this.reply(message.requestId, this.close(message.target, message.code, message.reason, message.advancedConfirmed));
        return;
      case 'mockDrop':
        this.reply(message.requestId, this.drop(message.target));
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
      case 'copyEntries':
        await copyEntries(this.host.files, this.pipeline.log, message.entryIds, message.as);
        return;
      // A mock answers its clients from its panel's composer; it has no "send again" of a log entry.
      case 'resendEntries':
        this.host.log('Resend is not available in a mock server panel: send from its composer', 'warn');
        return;
      // A debugger panel's requests: a mock panel has no connection, endpoint or flow.
      case 'saveAsFlow':
      case 'chooseEndpoint':
      case 'selectEnvironment':
      case 'setBinaryType':
        return;
      case 'connect':
      case 'disconnect':
      case 'send':
      case 'control':
      case 'close':
      case 'emit':
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
        this.reply(message.requestId, { ok: false, field: 'general', error: l10n.t('This panel is a mock server, not a client') });
        return;
      // The mock panel has no Export as HAR… (a HAR entry is one client connection's handshake).
      case 'exportHar':
        this.host.log('Export as HAR… is not available in a mock server panel', 'warn');
        return;
      default:
        assertNever(message);
    }
  }

  /** Why an action cannot go to `target` now, if it cannot. */
  private refusedFor(target: string, field: 'message' | 'eventName' | 'closeCode' | 'general', oneClient = false): ActionResult | undefined {
    if (!this.running) return { ok: false, field, error: l10n.t('Mock "{0}" has stopped', this.mock.definition.name) };
    if (target === ALL_CLIENTS) {
      if (oneClient) return { ok: false, field, error: l10n.t('Choose one client first (the Client list above the log)') };
      if (this.mock.clients().length === 0) return { ok: false, field, error: l10n.t('No client is connected to this mock yet') };
      return undefined;
    }
    if (!this.mock.clients().some((c) => c.id === target)) return { ok: false, field, error: l10n.t('Client {0} is no longer connected', target) };
    return undefined;
  }

  private inView(clientId: string): boolean {
    return this.view === ALL_CLIENTS || clientId === this.view;
  }

  /** Refills the panel's log with the view's kept entries. */
  private fill(): void {
    this.pipeline.clear();
    const source = this.view === ALL_CLIENTS ? this.mock.log.messages.entries() : this.mock.log.entriesOf(this.view);
    for (const entry of source) this.add(entry, this.mock.log.clientOf(entry.id) ?? '');
  }

  /** A copy of a mock log entry into the panel's log, and in the merged view whose it is. */
  private add(entry: LogEntry, clientId: string): void {
    const stored = this.pipeline.add({ ...entry });
    const owner = this.view === ALL_CLIENTS && NAMED_KINDS.has(entry.kind) ? Number(clientId) || 0 : 0;
    this.owners[(stored.id - 1) % this.owners.length] = owner;
  }

  /**
   * The owners of a batch's entries, which stay plain (and packed in the log) instead of carrying
   * their client in words; none outside the merged view.
   */
  private ownersOf(batch: EntriesJson): EntryOwners {
    if (this.view !== ALL_CLIENTS) return {};
    const count = batch.starts.length;
    const owners = new Uint32Array(count);
    for (let i = 0; i < count; i++) owners[i] = this.owners[(batch.firstId + i - 1) % this.owners.length] as number;
    return { owners };
  }

  private sendInit(): void {
    const entries = this.pipeline.takeAll();
    this.post({
      type: 'mockInit',
      title: this.title,
      mock: this.summary,
      clients: this.clients,
      view: this.view,
      entries,
      ...this.ownersOf(entries),
      evicted: this.pipeline.log.evicted,
      capacity: this.pipeline.log.capacity,
      recording: this.host.files.file,
    });
  }

  private reply(requestId: number, result: ActionResult): void {
    this.post(
      result.ok
        ? { type: 'result', inReplyTo: requestId, ok: true }
        : { type: 'result', inReplyTo: requestId, ok: false, field: result.field, error: result.error, needsConfirmation: result.needsConfirmation },
    );
  }

  private post(message: ToMockWebview): void {
    if (!this.disposed) this.host.post(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.pipeline.dispose();
  }
}

function asResult(result: MockActionResult, field: 'message' | 'eventName' | 'closeCode' | 'general'): ActionResult {
  return result.ok ? { ok: true } : { ok: false, field, error: result.error };
}
