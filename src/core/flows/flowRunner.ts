/**
 * Runs checked flows (src/shared/flows.ts) on real sessions, one flow after another, one step at
 * a time. Everything a front end needs comes out as events, in order: `flowStarted`, per step
 * `stepStarted` then `stepPassed` / `stepFailed` / `stepSkipped` (with its duration and, when it
 * failed, what was expected, what arrived and what was passed over), `flowFinished`, then
 * `interrupted` if `interrupt()` was called and finally `runFinished` with the whole report, which
 * `run()` also resolves with. The CLI prints the events; the Test Explorer and the panel map them
 * onto their own items.
 *
 * A failed step skips the rest of its flow; each flow closes its connections when it ends (1000),
 * `interrupt()` closes them with 1001 Going Away. Every sentence in a report has the secret values
 * used so far masked. Node, never `vscode`.
 */
import { captureText, resolveAction } from '../../shared/flowTemplates';
import type { CheckedFlow, FlowAction, FlowEndpoint, FlowStep, SavedMessageRef } from '../../shared/flows';
import { parseJsonPath, readJsonPath } from '../../shared/jsonPath';
import { compileMatch, describeObserved, observedValue, type CompiledMatch, type Observed } from '../../shared/match';
import { encodeBase64, payloadFromText } from '../../shared/codecs';
import { encodeJsonText, encodeValue, type BinaryDecoder } from '../decoders/binaryCodec';
import { loadDecoder } from '../decoders/entryDecoder';
import type { ConnectionParams, Endpoint, Payload, Variable } from '../../shared/protocol';
import { resolveParams } from '../../shared/variables';
import { Emitter, type Disposable } from '../emitter';
import { createSession } from '../panel/sessions';
import type { AnySession, ConnectionEntry } from '../session';
import { MASK } from '../sessionBase';
import { readTlsFiles } from '../tlsFiles';
import { Inbox, MAX_BUFFERED } from './inbox';
import { l10n } from '../../shared/l10n';

/** Messages a failure report lists one by one; the rest are counted. */
const LISTED_PASSED_OVER = 20;
/** How long a flow's end waits for each server to answer its Close frame. */
const CLOSE_WAIT_MS = 2000;
/** The panel's default largest message (setting websocketDebugger.maxMessageSize). */
const DEFAULT_MAX_PAYLOAD = 64 * 1024 * 1024;

export type StepStatus = 'passed' | 'failed' | 'skipped';

export interface StepFailure {
  /** One sentence: why the step failed. */
  message: string;
  /** What the step waited for (expect, expectNone). */
  expected?: string;
  /** What arrived instead: the last message passed over, the message that broke "next", the close. */
  actual?: string;
  /** The messages the step passed over, oldest first (at most LISTED_PASSED_OVER). */
  passedOver: string[];
  /** How many messages it passed over in all. */
  passedOverCount: number;
}

export interface StepReport {
  number: number;
  title: string;
  status: StepStatus;
  ms: number;
  failure?: StepFailure;
}

export interface FlowReport {
  name: string;
  passed: boolean;
  ms: number;
  steps: StepReport[];
}

export interface RunReport {
  /** The flows that ran, in order (with --bail or after an interrupt, fewer than asked). */
  flows: FlowReport[];
  passed: number;
  failed: number;
  interrupted: boolean;
}

export type FlowRunEvent =
  | { type: 'flowStarted'; flow: string; steps: readonly FlowStep[] }
  | { type: 'stepStarted'; flow: string; step: FlowStep }
  | { type: 'stepPassed'; flow: string; step: StepReport }
  | { type: 'stepFailed'; flow: string; step: StepReport }
  | { type: 'stepSkipped'; flow: string; step: StepReport }
  | { type: 'flowFinished'; flow: FlowReport }
  | { type: 'interrupted' }
  | { type: 'runFinished'; report: RunReport };

/** Builds the session for a connect step; tests and the extension may pass their own. */
export type SessionFactory = (params: ConnectionParams, options: { handshakeTimeoutMs: number; maxPayload: number; secrets: readonly string[] }) => Promise<{ ok: true; session: AnySession } | { ok: false; error: string }>;

/** An endpoint as the runner needs it: its connection form and, later, its saved messages. */
export type FlowRunEndpoint = Endpoint & FlowEndpoint;

export interface FlowRunOptions {
  endpoints: readonly FlowRunEndpoint[];
  flows: readonly CheckedFlow[];
  /** Environment variables (secret ones with their values) and overrides, later ones winning. */
  variables: readonly Variable[];
  /** Stop after the first flow that fails. */
  bail?: boolean;
  maxPayload?: number;
  createSession?: SessionFactory;
  /** Unread messages kept per connection (default MAX_BUFFERED, 100,000); see inbox.ts. */
  bufferLimit?: number;
  /**
   * Receives every log entry of the run's connections, as a panel's connection logs them (the
   * panel's Run Flow shows the run in its log), with the secrets used so far masked in their text.
   */
  log?: (entry: ConnectionEntry, connection: FlowConnection) => void;
  /**
   * Give `log` the entries as the sessions report them, secret values in payloads not masked: for
   * a caller that replaces them itself (`run --har` writes each as its `{{name}}` reference).
   */
  unmaskedLog?: boolean;
  /** Where a relative .proto path of an endpoint's "decode" is looked up (collection file's folder, workspace). */
  protoFolders?: readonly string[];
}

/** Which connection of the run an entry of `log` comes from (one per connect step). */
export interface FlowConnection {
  /** Counts the run's connections from 1. */
  number: number;
  endpoint: FlowRunEndpoint;
  /** The URL it connected to, variables resolved (secret values included). */
  url: string;
  session: AnySession;
}

/** Sessions as the panel builds them, with the endpoint's TLS files read first. */
const defaultSessionFactory: SessionFactory = async (params, options) => {
  const tls = params.kind === 'socketio' ? { ok: true as const, files: {} } : await readTlsFiles(params.options);
  if (!tls.ok) return { ok: false, error: tls.error };
  return { ok: true, session: createSession(params, { handshakeTimeoutMs: options.handshakeTimeoutMs, maxPayload: options.maxPayload }, tls.files, options.secrets) };
};

interface Live {
  endpoint: FlowRunEndpoint;
  session: AnySession;
  inbox: Inbox;
  /** The emit whose ack `{"ack": ...}` waits for. */
  ackOf: number | undefined;
  /** The endpoint's Decode binary as, loaded on connect. */
  decoder: BinaryDecoder | undefined;
}

/** What a step's body returns: passed, or the failure to report. */
type Outcome = { ok: true } | { ok: false; failure: StepFailure };

/** The messages a step passed over: the first few described, all counted, the last kept. */
class PassedOver {
  readonly listed: string[] = [];
  count = 0;
  private lastSeen: Observed | undefined;

  add(observed: Observed): void {
    this.count += 1;
    this.lastSeen = observed;
    // Described only while the list has room: a flood passed over costs no words per message.
    if (this.listed.length < LISTED_PASSED_OVER) this.listed.push(describeObserved(observed));
  }

  get last(): string | undefined {
    return this.lastSeen === undefined ? undefined : describeObserved(this.lastSeen);
  }
}

export class FlowRunner {
  private readonly emitter = new Emitter<FlowRunEvent>();
  readonly onEvent: (listener: (event: FlowRunEvent) => void) => Disposable = this.emitter.event;
  private readonly abort = new AbortController();
  private readonly secrets = new Set<string>();
  private connections = 0;
  private readonly live = new Map<string, Live>();
  private started = false;

  constructor(private readonly options: FlowRunOptions) {
    for (const v of options.variables) if (v.secret && v.value !== '') this.secrets.add(v.value);
  }

  get interrupted(): boolean {
    return this.abort.signal.aborted;
  }

  /** Ends the run: the current step fails as interrupted, connections close with 1001, nothing else runs. */
  interrupt(): void {
    this.abort.abort();
  }

  async run(): Promise<RunReport> {
    if (this.started) throw new Error('A FlowRunner runs once');
    this.started = true;
    const report: RunReport = { flows: [], passed: 0, failed: 0, interrupted: false };
    for (const flow of this.options.flows) {
      if (this.interrupted) break;
      const result = await this.runFlow(flow);
      report.flows.push(result);
      if (result.passed) report.passed += 1;
      else report.failed += 1;
      if (!result.passed && this.options.bail) break;
    }
    report.interrupted = this.interrupted;
    if (report.interrupted) this.emit({ type: 'interrupted' });
    this.emit({ type: 'runFinished', report });
    this.emitter.dispose();
    return report;
  }

  private emit(event: FlowRunEvent): void {
    this.emitter.fire(event);
  }

  private async runFlow(flow: CheckedFlow): Promise<FlowReport> {
    const started = performance.now();
    this.emit({ type: 'flowStarted', flow: flow.name, steps: flow.steps });
    const steps: StepReport[] = [];
    const captured = new Map<string, string>();
    let failed = false;
    for (const step of flow.steps) {
      if (failed || this.interrupted) {
        const skipped: StepReport = { number: step.number, title: step.title, status: 'skipped', ms: 0 };
        steps.push(skipped);
        this.emit({ type: 'stepSkipped', flow: flow.name, step: skipped });
        continue;
      }
      this.emit({ type: 'stepStarted', flow: flow.name, step });
      const stepStarted = performance.now();
      let outcome: Outcome;
      try {
        outcome = await this.runStep(step, captured);
      } catch (error) {
        outcome = failure(l10n.t('internal error: {0}', error instanceof Error ? error.message : String(error)));
      }
      if (outcome.ok && this.interrupted) outcome = failure('interrupted');
      const ms = Math.round(performance.now() - stepStarted);
      const result: StepReport = outcome.ok
        ? { number: step.number, title: step.title, status: 'passed', ms }
        : { number: step.number, title: step.title, status: 'failed', ms, failure: this.masked(outcome.failure) };
      steps.push(result);
      this.emit({ type: outcome.ok ? 'stepPassed' : 'stepFailed', flow: flow.name, step: result });
      if (!outcome.ok) failed = true;
    }
    await this.closeAll(this.interrupted ? 1001 : 1000);
    const report: FlowReport = { name: flow.name, passed: !failed, ms: Math.round(performance.now() - started), steps };
    this.emit({ type: 'flowFinished', flow: report });
    return report;
  }

  /** The text with every secret value used so far replaced, longest first. */
  private mask(text: string): string {
    let out = text;
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join(MASK);
    return out;
  }

  private maskedEntry(entry: ConnectionEntry): ConnectionEntry {
    if (this.secrets.size === 0) return entry;
    const payload = (p: Payload): Payload => (p.kind === 'text' ? { kind: 'text', text: this.mask(p.text) } : p);
    return {
      ...entry,
      ...(entry.payload ? { payload: payload(entry.payload) } : {}),
      ...(entry.detail !== undefined ? { detail: this.mask(entry.detail) } : {}),
      ...(entry.event ? { event: { ...entry.event, name: this.mask(entry.event.name), args: entry.event.args.map(payload) } } : {}),
    };
  }

  private masked(f: StepFailure): StepFailure {
    const mask = (text: string): string => this.mask(text);
    return {
      message: mask(f.message),
      ...(f.expected !== undefined ? { expected: mask(f.expected) } : {}),
      ...(f.actual !== undefined ? { actual: mask(f.actual) } : {}),
      passedOver: f.passedOver.map(mask),
      passedOverCount: f.passedOverCount,
    };
  }

  private variables(captured: ReadonlyMap<string, string>): Variable[] {
    return [...this.options.variables, ...[...captured].map(([name, value]) => ({ name, value }))];
  }

  private async runStep(step: FlowStep, captured: Map<string, string>): Promise<Outcome> {
    const resolved = resolveAction(step.act, this.variables(captured));
    if (!resolved.ok) return failure(resolved.error);
    for (const s of resolved.secrets) this.secrets.add(s);
    const act = resolved.value;
    if (act.action === 'connect') return this.connect(step, act, captured);
    if (act.action === 'wait') return this.sleep(act.ms);
    const live = this.live.get(step.alias);
    if (!live) return failure(l10n.t('connection "{0}" is not open', step.alias));
    return this.act(step, act, live, captured);
  }

  private async act(step: FlowStep, act: Exclude<FlowAction, { action: 'connect' | 'wait' }>, live: Live, captured: Map<string, string>): Promise<Outcome> {
    const session = live.session;
    const ended = live.inbox.ended;
    // Sending on a connection the server closed: say how it closed, not just "not connected".
    if (ended && (act.action === 'send' || act.action === 'emit' || act.action === 'ping')) return failure(l10n.t('the connection has ended: {0}', ended.detail));
    switch (act.action) {
      case 'send': {
        const body = act.body;
        if (body.kind === 'message') {
          const saved = (live.endpoint.messages ?? []).find((m) => m.name === body.message);
          if (!saved) return failure(l10n.t('unknown saved message {0}', JSON.stringify(body.message)));
          return this.sendSaved(live, saved, captured);
        }
        if (session.kind !== 'websocket') return failure(l10n.t('a Socket.IO connection sends events: use "emit"'));
        if (body.kind === 'msgpack' || body.kind === 'cbor' || body.kind === 'protobuf') {
          const decoder = body.kind === 'protobuf' ? live.decoder : { as: body.kind };
          if (decoder?.as !== body.kind) return failure(l10n.t('"{0}" needs the endpoint\'s "decode" with its .proto file and type', body.kind));
          const encoded = encodeValue(body.value, decoder);
          if (!encoded.ok) return failure(encoded.error);
          return result(session.send('base64', encodeBase64(encoded.bytes)));
        }
        const [format, text] =
          body.kind === 'text' ? (['text', body.text] as const)
          : body.kind === 'json' ? (['json', JSON.stringify(body.value)] as const)
          : body.kind === 'hex' ? (['hex', body.hex] as const)
          : (['base64', body.base64] as const);
        return result(session.send(format, text));
      }
      case 'emit': {
        if (session.kind !== 'socketio') return failure(l10n.t('a plain WebSocket connection sends messages: use "send"'));
        const sent = session.emit(act.event, 'json', JSON.stringify(act.args), act.ack);
        if (sent.ok && act.ack) live.ackOf = live.inbox.lastEmit;
        return result(sent);
      }
      case 'ping':
        if (session.kind !== 'websocket') return failure(l10n.t('Socket.IO connections cannot send pings'));
        return result(session.control('ping', act.payload));
      case 'close':
        return this.close(step, live, act.code, act.reason);
      case 'expect':
        return this.expect(step, act, live, captured);
      case 'expectNone':
        return this.expectNone(act, live);
    }
  }

  private sendSaved(live: Live, saved: SavedMessageRef, captured: Map<string, string>): Outcome {
    const body = resolveAction({ action: 'send', body: { kind: 'text', text: saved.body } }, this.variables(captured));
    if (!body.ok) return failure(l10n.t('saved message {0}: {1}', JSON.stringify(saved.name), body.error));
    for (const s of body.secrets) this.secrets.add(s);
    const text = body.value.action === 'send' && body.value.body.kind === 'text' ? body.value.body.text : saved.body;
    const session = live.session;
    const format = saved.format;
    if (format === 'msgpack' || format === 'cbor' || format === 'protobuf') {
      if (session.kind !== 'websocket') return failure(l10n.t('saved message {0}: Socket.IO arguments are text, JSON, hex or base64', JSON.stringify(saved.name)));
      const decoder = format === 'protobuf' ? live.decoder : { as: format };
      if (decoder?.as !== format) return failure(l10n.t('saved message {0}: Protobuf needs the endpoint\'s "decode" with its .proto file and type', JSON.stringify(saved.name)));
      const encoded = encodeJsonText(text, decoder);
      if (!encoded.ok) return failure(l10n.t('saved message {0}: {1}', JSON.stringify(saved.name), encoded.error));
      return result(session.send('base64', encodeBase64(encoded.bytes)));
    }
    if (session.kind === 'socketio') {
      const sent = session.emit(saved.event ?? 'message', format, text, saved.ack === true);
      if (sent.ok && saved.ack) live.ackOf = live.inbox.lastEmit;
      return result(sent);
    }
    return result(session.send(format, text));
  }

  private async connect(step: FlowStep, act: Extract<FlowAction, { action: 'connect' }>, captured: Map<string, string>): Promise<Outcome> {
    const endpoint = this.options.endpoints.find((e) => e.name === act.endpoint);
    if (!endpoint) return failure(l10n.t('unknown endpoint {0}', JSON.stringify(act.endpoint)));
    const previous = this.live.get(act.alias);
    if (previous) await this.closeOne(act.alias, previous, 1000);
    const params = resolveParams(endpoint, this.variables(captured));
    if (!params.ok) return failure(params.error);
    for (const s of params.secrets) this.secrets.add(s);
    const connection: ConnectionParams = params.params;
    // A flow reports a drop as a failure; reconnecting behind its back would hide it.
    if (connection.socketio) connection.socketio = { ...connection.socketio, reconnection: false };
    const factory = this.options.createSession ?? defaultSessionFactory;
    const made = await factory(connection, {
      handshakeTimeoutMs: step.timeoutMs,
      maxPayload: this.options.maxPayload ?? DEFAULT_MAX_PAYLOAD,
      secrets: [...this.secrets],
    });
    if (!made.ok) return failure(made.error);
    const session = made.session;
    let decoder: BinaryDecoder | undefined;
    if (endpoint.decode) {
      const loaded = await loadDecoder(endpoint.decode, this.options.protoFolders ?? []);
      if (!loaded.ok) {
        session.dispose();
        return failure(`endpoint ${JSON.stringify(endpoint.name)}, "decode": ${loaded.error}`);
      }
      decoder = loaded.decoder;
    }
    const sink = this.options.log;
    const origin: FlowConnection = { number: ++this.connections, endpoint, url: connection.url, session };
    // Sessions mask their words, not payloads: a run's log masks the text it shows, sent or echoed.
    const unmasked = this.options.unmaskedLog === true;
    const log = sink && ((entry: ConnectionEntry): void => sink(unmasked ? entry : this.maskedEntry(entry), origin));
    // The inbox hands the log every entry in the wire's order, decoded once for both.
    const inbox = new Inbox(session, {
      capacity: this.options.bufferLimit ?? MAX_BUFFERED,
      ...(log ? { onText: (time, text, size) => log({ time, kind: 'message', direction: 'received', frame: 'text', size, payload: payloadFromText(text) }), onEntry: log } : {}),
      ...(decoder ? { decoder } : {}),
    });
    const opened = session.open();
    if (!opened.ok) {
      inbox.dispose();
      session.dispose();
      return failure(opened.error);
    }
    const live: Live = { endpoint, session, inbox, ackOf: undefined, decoder };
    this.live.set(act.alias, live);
    const deadline = performance.now() + step.timeoutMs;
    while (!inbox.opened && !inbox.ended && !this.interrupted) {
      const left = deadline - performance.now();
      if (left <= 0) return failure(inbox.failure ? l10n.t('not connected within {0} ms: {1}', step.timeoutMs, inbox.failure) : l10n.t('not connected within {0} ms', step.timeoutMs));
      await inbox.waitForMore(left, this.abort.signal);
    }
    if (inbox.opened) return { ok: true };
    if (this.interrupted) return failure('interrupted');
    return failure(inbox.failure ?? inbox.ended?.detail ?? l10n.t('the connection failed'));
  }

  private async close(step: FlowStep, live: Live, code: number, reason: string): Promise<Outcome> {
    const session = live.session;
    if (session.kind === 'socketio') {
      session.disconnect();
      return { ok: true };
    }
    const sent = session.close(code, reason, true);
    if (!sent.ok) return failure(sent.error);
    const deadline = performance.now() + step.timeoutMs;
    while (!live.inbox.ended && !this.interrupted) {
      const left = deadline - performance.now();
      if (left <= 0) return failure(l10n.t('the server did not answer the Close frame within {0} ms', step.timeoutMs));
      await live.inbox.waitForMore(left, this.abort.signal);
    }
    return { ok: true };
  }

  private compile(match: unknown): { ok: true; matcher: CompiledMatch } | { ok: false; outcome: Outcome } {
    const compiled = compileMatch(match);
    if (compiled.ok) return compiled;
    return { ok: false, outcome: failure(compiled.field ? l10n.t('after resolving variables: {0}: {1}', compiled.field, compiled.error) : l10n.t('after resolving variables: {0}', compiled.error)) };
  }

  private async expect(step: FlowStep, act: Extract<FlowAction, { action: 'expect' }>, live: Live, captured: Map<string, string>): Promise<Outcome> {
    const compiled = this.compile(act.match);
    if (!compiled.ok) return compiled.outcome;
    const matcher = compiled.matcher;
    const inbox = live.inbox;
    const over = new PassedOver();
    const dropped = inbox.takeDropped();
    const droppedNote = dropped > 0 ? l10n.t('{0} earlier messages were dropped: the buffer keeps {1} unread messages', dropped, inbox.capacity) : undefined;
    const withNote = (message: string): string => (droppedNote === undefined ? message : l10n.t('{0} ({1})', message, droppedNote));
    if (act.next && droppedNote !== undefined) return failure(withNote(l10n.t('"next": the message before this step is unknown')), { expected: matcher.description });
    const fail = (message: string, actual?: string): Outcome =>
      failure(withNote(message), { expected: matcher.description, over, ...(actual !== undefined ? { actual } : {}) });
    const deadline = performance.now() + step.timeoutMs;
    for (;;) {
      for (let item = inbox.take(); item !== undefined; item = inbox.take()) {
        const observed = item.observed;
        const isOurAck = observed.kind !== 'ack' || item.emitNumber === live.ackOf;
        if (isOurAck && matcher.test(observed)) return this.capture(act.capture, observed, captured);
        if (act.next) return fail(l10n.t('the next message did not match'), describeObserved(observed));
        over.add(observed);
        if (observed.kind === 'close' && !('close' in act.match)) return fail(observed.reason ? l10n.t('the connection closed with {0} ({1}) before a match arrived', observed.code, observed.reason) : l10n.t('the connection closed with {0} before a match arrived', observed.code), describeObserved(observed));
      }
      if (this.interrupted) return fail('interrupted', over.last);
      if (inbox.ended) return fail(l10n.t('the connection ended before a match arrived: {0}', inbox.ended.detail), over.last);
      const left = deadline - performance.now();
      if (left <= 0) return fail(noMatchWithin(step.timeoutMs, over.count), over.last);
      await inbox.waitForMore(left, this.abort.signal);
    }
  }

  private capture(capture: readonly { variable: string; path: string }[], observed: Observed, captured: Map<string, string>): Outcome {
    if (capture.length === 0) return { ok: true };
    const value = observedValue(observed);
    for (const { variable, path } of capture) {
      const parsed = parseJsonPath(path);
      if (!parsed.ok) return failure(`capture ${variable}: ${parsed.error}`);
      const found = readJsonPath(value, parsed.steps);
      if (!found.found) return failure(l10n.t('capture {0}: {1} is not in the message', variable, path), { actual: describeObserved(observed) });
      captured.set(variable, captureText(found.value));
    }
    return { ok: true };
  }

  private async expectNone(act: Extract<FlowAction, { action: 'expectNone' }>, live: Live): Promise<Outcome> {
    const compiled = this.compile(act.match);
    if (!compiled.ok) return compiled.outcome;
    const matcher = compiled.matcher;
    const inbox = live.inbox;
    const over = new PassedOver();
    const deadline = performance.now() + act.forMs;
    for (;;) {
      for (let item = inbox.take(); item !== undefined; item = inbox.take()) {
        if (matcher.test(item.observed)) {
          return failure(l10n.t('a matching message arrived within {0} ms', act.forMs), { expected: l10n.t('no {0}', matcher.description), actual: describeObserved(item.observed), over });
        }
        over.add(item.observed);
      }
      if (this.interrupted) return failure('interrupted', { expected: `no ${matcher.description}`, over });
      const left = deadline - performance.now();
      // A connection that ended cannot receive anything more: the wait is over early.
      if (left <= 0 || inbox.ended) return { ok: true };
      await inbox.waitForMore(left, this.abort.signal);
    }
  }

  private sleep(ms: number): Promise<Outcome> {
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve(this.interrupted ? failure('interrupted') : { ok: true });
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    });
  }

  private async closeAll(code: 1000 | 1001): Promise<void> {
    const all = [...this.live];
    this.live.clear();
    await Promise.all(all.map(([alias, live]) => this.closeOne(alias, live, code)));
  }

  /** Closes one connection (waiting a little for the server's answer) and releases it. */
  private async closeOne(alias: string, live: Live, code: 1000 | 1001): Promise<void> {
    this.live.delete(alias);
    const session = live.session;
    if (session.kind === 'websocket' && session.state.readyState === 'OPEN') {
      session.close(code, '', true);
      const deadline = performance.now() + CLOSE_WAIT_MS;
      const never = new AbortController().signal;
      while (!live.inbox.ended && performance.now() < deadline) await live.inbox.waitForMore(deadline - performance.now(), never);
    } else if (session.kind === 'socketio') {
      session.disconnect();
    }
    live.inbox.dispose();
    session.dispose();
  }
}

function failure(message: string, extra: { expected?: string; actual?: string; over?: PassedOver } = {}): Outcome {
  return {
    ok: false,
    failure: {
      message,
      ...(extra.expected !== undefined ? { expected: extra.expected } : {}),
      ...(extra.actual !== undefined ? { actual: extra.actual } : {}),
      passedOver: extra.over?.listed ?? [],
      passedOverCount: extra.over?.count ?? 0,
    },
  };
}

function result(action: { ok: true } | { ok: false; error: string }): Outcome {
  return action.ok ? { ok: true } : failure(action.error);
}

/** An expect step's timeout, one sentence per count of messages passed over. */
function noMatchWithin(timeoutMs: number, passedOver: number): string {
  if (passedOver === 0) return l10n.t('no match within {0} ms; nothing arrived', timeoutMs);
  return passedOver === 1
    ? l10n.t('no match within {0} ms; 1 other message passed over', timeoutMs)
    : l10n.t('no match within {0} ms; {1} other messages passed over', timeoutMs, passedOver);
}
