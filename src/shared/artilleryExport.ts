/**
 * A flow as an Artillery script (Artillery 2.0), for load at a scale one machine cannot give:
 * WebSocket endpoints through Artillery's `ws` engine, Socket.IO endpoints through its `socketio`
 * engine. Artillery can express less than a flow: one connection per virtual user, opened when
 * the scenario starts; text frames only; an expectation is checked against the next message (ws)
 * or a reply to an emit (socketio). What it cannot express is left out and what it expresses
 * differently is kept; both are reported as notes, which the CLI prints and the script carries as
 * comments. Pure: no Node.
 *
 * The mapping follows Artillery 2.0.34's engines (lib/core/engine_ws.ts, engine_socketio.ts):
 * - ws: `send: <payload>`; `send: {payload, match, capture}` sends and checks the next message;
 *   `wait: {match, capture}` checks the next message without sending; `think` pauses.
 * - socketio: `emit: {channel, data}` (or a list of strings: event, then arguments), with `response:
 *   {channel, data, capture}` for an event in reply and `acknowledge: {match, capture}` for the
 *   ack; `namespace` per step.
 * - match specs `{json: "<JSONPath>", value}` and `{regexp, value}` compare with `===`; a capture
 *   spec `{json|regexp, as}` fails the step when nothing is found, which is how a regex is checked.
 * - `{{ name }}` in the flow reads `config.variables`, captures and `$processEnvironment`; the
 *   config itself is templated once at load with `$processEnvironment` only, so the connection
 *   settings carry the variables' values (secrets as references to the environment, never values).
 */
import { DEFAULT_STEP_TIMEOUT_MS, type CheckedFlow, type FlowAction, type FlowStep, type SendBody } from './flows';
import { parseJsonPath, type PathStep } from './jsonPath';
import type { Match } from './match';
import type { Endpoint, SavedMessage, Variable } from './protocol';
import { parseEmitArguments } from './socketIo';
import { mapReferences, secretEnvName } from './variables';
import { toYaml } from './yamlText';

/** The Artillery release the export is written and tested against. */
export const ARTILLERY_VERSION = '2.0.34';

export interface ArtilleryExportInput {
  flow: CheckedFlow;
  endpoints: readonly Endpoint[];
  /** The variables known before the flow starts; a secret's value is never read. */
  variables: readonly Variable[];
  /** The load phase: virtual users started per second, for this many seconds. */
  phase: { duration: number; arrivalRate: number };
}

/** Something of the flow Artillery runs differently ('approximated') or not at all ('not exported'). */
export interface ExportNote {
  /** 1-based; absent for a note about the whole flow. */
  step?: number;
  title?: string;
  what: 'not exported' | 'approximated';
  reason: string;
}

export type ArtilleryExport =
  | { ok: true; engine: 'ws' | 'socketio'; script: Record<string, unknown>; notes: ExportNote[] }
  | { ok: false; error: string };

/** "step 4 (ping "x"): not exported: ..." */
export function describeExportNote(note: ExportNote): string {
  const where = note.step === undefined ? 'flow' : `step ${note.step}${note.title ? ` (${note.title})` : ''}`;
  return `${where}: ${note.what}: ${note.reason}`;
}

type Item = Record<string, unknown>;
type Spec = Record<string, unknown>;

const ANY_TEXT = '^[\\s\\S]*$';
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSONPath as jsonpath-plus (Artillery's) reads it; a negative index becomes a one-item slice. */
function pathText(steps: readonly PathStep[]): string {
  let text = '$';
  for (const step of steps) {
    if (step.kind === 'index') {
      text += step.index >= 0 ? `[${step.index}]` : step.index === -1 ? '[-1:]' : `[${step.index}:${step.index + 1}]`;
    } else {
      text += IDENTIFIER.test(step.key) ? `.${step.key}` : `['${step.key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
    }
  }
  return text;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Artillery's names for the flow's variables: "." reads as a path there, so it becomes "_". */
class Names {
  private readonly byName = new Map<string, string>();
  private readonly used = new Set<string>();
  private readonly secret = new Set<string>();

  constructor(variables: readonly Variable[]) {
    for (const v of variables) {
      if (v.secret) this.secret.add(v.name);
      else this.name(v.name);
    }
  }

  isSecret(name: string): boolean {
    return this.secret.has(name);
  }

  /** The Artillery variable for flow variable `name` (a capture makes a name plain again). */
  name(name: string): string {
    const known = this.byName.get(name);
    if (known !== undefined) return known;
    const base = name.replace(/\./g, '_');
    let candidate = base;
    for (let n = 2; this.used.has(candidate); n++) candidate = `${base}_${n}`;
    this.byName.set(name, candidate);
    this.used.add(candidate);
    return candidate;
  }

  captured(name: string): string {
    this.secret.delete(name);
    return this.name(name);
  }

  /** `{{ name }}` as Artillery reads it inside a scenario. */
  reference(name: string): string {
    return this.secret.has(name) ? `{{ $processEnvironment.${secretEnvName(name)} }}` : `{{ ${this.name(name)} }}`;
  }
}

/** Every string inside a JSON value, with its references translated (object keys as written). */
function deep(value: unknown, text: (s: string) => string): unknown {
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return value.map((item) => deep(item, text));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deep(v, text)]));
  return value;
}

/** The scalar leaves of a JSON subset, as paths; `empty` counts the `{}` and `[]` inside, which Artillery cannot check. */
function leaves(value: unknown, steps: PathStep[] = [], out: { steps: PathStep[]; value: unknown }[] = [], empty = { count: 0 }) {
  if (Array.isArray(value)) {
    if (value.length === 0 && steps.length > 0) empty.count += 1;
    value.forEach((item, index) => leaves(item, [...steps, { kind: 'index', index }], out, empty));
  } else if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0 && steps.length > 0) empty.count += 1;
    for (const [key, item] of entries) leaves(item, [...steps, { kind: 'key', key }], out, empty);
  } else {
    out.push({ steps, value });
  }
  return { out, empty: empty.count };
}

interface Expressed {
  specs: Spec[];
  notes: string[];
}

interface Pending {
  item: Item;
  /** ws: the payload as sent; socketio: whether the emit asked for an ack. */
  payload?: unknown;
  ack?: boolean;
}

class Converter {
  readonly notes: ExportNote[] = [];
  readonly items: Item[] = [];
  private readonly names: Names;
  private readonly nextOnly: number[] = [];
  private readonly timeouts = new Set<number>();
  private pending: Pending | undefined;
  private primary: { alias: string; endpoint: Endpoint } | undefined;
  /** Aliases whose steps are not exported: second connections, or the first one opened again. */
  private readonly dropped = new Set<string>();
  private closed = false;

  constructor(
    private readonly input: ArtilleryExportInput,
    readonly engine: 'ws' | 'socketio',
  ) {
    this.names = new Names(input.variables);
  }

  private note(step: FlowStep | undefined, what: ExportNote['what'], reason: string): void {
    this.notes.push(step === undefined ? { what, reason } : { step: step.number, title: step.title, what, reason });
  }

  /** A flow string for the scenario: references translated. */
  private text(s: string): string {
    return mapReferences(s, (name) => this.names.reference(name));
  }

  /** A connection setting for the config: plain values written in, secrets read from the environment at load. */
  private configText(s: string): string {
    return mapReferences(s, (name) => {
      if (this.names.isSecret(name)) return `{{ $processEnvironment.${secretEnvName(name)} }}`;
      return this.input.variables.find((v) => v.name === name)?.value ?? '';
    });
  }

  run(): void {
    for (const step of this.input.flow.steps) {
      const pending = this.pending;
      this.pending = undefined;
      this.step(step, pending);
    }
    if (this.nextOnly.length > 0) {
      const list = this.nextOnly.join(', ');
      this.note(
        undefined,
        'approximated',
        `Artillery checks the very next message, where the flow passes over messages that do not match (step${this.nextOnly.length === 1 ? '' : 's'} ${list}); add "next": true to those steps to run the same check in websocket-debugger`,
      );
    }
    if (this.timeouts.size > 1) {
      this.note(undefined, 'approximated', `Artillery has one response timeout for every step (${this.timeoutSeconds()} s, the longest of the flow's steps)`);
    }
  }

  /** The longest timeout of the exported expectations (the flows' default when there are none). */
  timeoutSeconds(): number {
    return (this.timeouts.size === 0 ? DEFAULT_STEP_TIMEOUT_MS : Math.max(...this.timeouts)) / 1000;
  }

  private step(step: FlowStep, pending: Pending | undefined): void {
    const act = step.act;
    if (act.action === 'wait') {
      this.items.push({ think: act.ms % 1000 === 0 ? act.ms / 1000 : `${act.ms}ms` });
      return;
    }
    if (act.action === 'connect') {
      this.connect(step, act);
      return;
    }
    if (this.dropped.has(step.alias) || step.alias !== this.primary?.alias) {
      this.note(step, 'not exported', `it acts on connection "${step.alias}", which is not in the script (Artillery opens one connection per virtual user)`);
      return;
    }
    const endpoint = this.primary.endpoint;
    switch (act.action) {
      case 'send':
        this.send(step, act.body, endpoint);
        return;
      case 'emit':
        this.emit(step, act.event, act.args, act.ack, endpoint);
        return;
      case 'expect':
        this.expect(step, act, pending);
        return;
      case 'expectNone':
        this.note(step, 'not exported', 'Artillery cannot check that nothing arrives');
        return;
      case 'ping':
        this.note(step, 'not exported', "Artillery's ws engine cannot send pings");
        return;
      case 'close':
        this.closed = true;
        this.note(
          step,
          'approximated',
          this.engine === 'ws'
            ? `Artillery closes the connection when the scenario ends, without a close code (the flow closes with ${act.code})`
            : 'Artillery disconnects when the scenario ends',
        );
        return;
    }
  }

  private connect(step: FlowStep, act: Extract<FlowAction, { action: 'connect' }>): void {
    const endpoint = this.input.endpoints.find((e) => e.name === act.endpoint)!;
    if (this.primary === undefined) {
      this.primary = { alias: act.alias, endpoint };
      if (this.items.length > 0) {
        this.note(step, 'approximated', 'Artillery connects when the scenario starts, before the steps above');
      }
      return;
    }
    const again = act.alias === this.primary.alias || (this.closed && act.endpoint === this.primary.endpoint.name);
    this.dropped.add(act.alias);
    this.note(
      step,
      'not exported',
      again
        ? 'Artillery opens one connection per virtual user, once: the steps on this connection from here on are left out'
        : 'Artillery opens one connection per virtual user: the steps on this second connection are left out',
    );
  }

  private send(step: FlowStep, body: SendBody, endpoint: Endpoint): void {
    if (this.engine === 'socketio') {
      // checkFlows allows only saved messages on Socket.IO connections.
      if (body.kind !== 'message') return;
      const saved = endpoint.messages?.find((m) => m.name === body.message);
      if (!saved) return;
      this.savedEmit(step, saved);
      return;
    }
    let payload: unknown;
    switch (body.kind) {
      case 'text':
        payload = this.text(body.text);
        break;
      case 'json': {
        const value = body.value;
        // An object travels as an object (Artillery fills in each string, then serializes it)
        // unless its keys would read as the send step's own; a scalar goes as its JSON text.
        const own = isRecord(value) && ('capture' in value || 'match' in value || 'payload' in value);
        payload = (isRecord(value) && !own) || Array.isArray(value) ? deep(value, (s) => this.text(s)) : this.text(JSON.stringify(value));
        break;
      }
      case 'hex':
      case 'base64':
        this.note(step, 'not exported', "Artillery's ws engine sends text messages only");
        return;
      case 'message': {
        const saved = endpoint.messages?.find((m) => m.name === body.message);
        if (!saved) return;
        if (saved.format !== 'text' && saved.format !== 'json') {
          this.note(step, 'not exported', `saved message "${saved.name}" is binary (${saved.format}); Artillery's ws engine sends text messages only`);
          return;
        }
        payload = this.text(saved.body);
        break;
      }
    }
    const item: Item = { send: payload };
    this.items.push(item);
    this.pending = { item, payload };
  }

  private savedEmit(step: FlowStep, saved: SavedMessage): void {
    if (saved.format !== 'text' && saved.format !== 'json' && saved.format !== 'hex' && saved.format !== 'base64') {
      this.note(step, 'not exported', `saved message "${saved.name}" is binary (${saved.format}); the export writes JSON arguments only`);
      return;
    }
    // References stay in place: JSON.parse keeps them inside strings, where Artillery fills them in.
    const parsed = parseEmitArguments(saved.format, saved.body);
    if (!parsed.ok) {
      this.note(step, 'not exported', `saved message "${saved.name}": ${parsed.error}`);
      return;
    }
    if (parsed.args.some((arg) => arg.kind === 'binary')) {
      this.note(step, 'not exported', `saved message "${saved.name}" is binary; the export writes JSON arguments only`);
      return;
    }
    const args = parsed.args.map((arg) => (arg.kind === 'json' ? arg.value : null));
    this.emit(step, saved.event ?? 'message', args, saved.ack === true, this.primary!.endpoint);
  }

  private emit(step: FlowStep, event: string, args: readonly unknown[], ack: boolean, endpoint: Endpoint): void {
    const translated = args.map((arg) => deep(arg, (s) => this.text(s)));
    const channel = this.text(event);
    // Artillery's script check takes one argument as "data", or a list of strings (event first).
    if (translated.length > 1 && translated.some((arg) => typeof arg !== 'string')) {
      this.note(step, 'not exported', 'Artillery emits one argument, or several that are all strings');
      return;
    }
    const item: Item = { emit: translated.length === 1 ? { channel, data: translated[0] } : [channel, ...(translated as string[])] };
    const namespace = endpoint.socketio?.namespace ?? '/';
    if (namespace !== '/') item.namespace = namespace;
    this.items.push(item);
    this.pending = { item, ack };
  }

  private expect(step: FlowStep, act: Extract<FlowAction, { action: 'expect' }>, pending: Pending | undefined): void {
    const match = act.match;
    const captures: Spec[] = [];
    for (const c of act.capture) {
      const parsed = parseJsonPath(c.path);
      if (!parsed.ok) return;
      captures.push({ json: pathText(parsed.steps), as: this.names.captured(c.variable) });
    }
    if (this.engine === 'socketio') {
      this.expectSocketIo(step, match, captures, pending);
      return;
    }
    const expressed = this.wsMatch(step, match);
    if (expressed === undefined) return;
    for (const reason of expressed.notes) this.note(step, 'approximated', reason);
    if (!act.next) this.nextOnly.push(step.number);
    this.timeouts.add(step.timeoutMs);
    const check: Item = {};
    if (expressed.specs.length > 0) check.match = expressed.specs.filter((s) => 'value' in s);
    const captureSpecs = [...expressed.specs.filter((s) => !('value' in s)), ...captures];
    if (captureSpecs.length > 0) check.capture = captureSpecs;
    if ((check.match as Spec[] | undefined)?.length === 0) delete check.match;
    if (pending && 'send' in pending.item) {
      // Sent and checked in one step, so that a quick answer cannot arrive before Artillery listens.
      pending.item.send = { payload: pending.payload, ...check };
    } else {
      this.items.push({ wait: check });
    }
  }

  /** The match and capture specs that check a WebSocket message, or undefined when none can. */
  private wsMatch(step: FlowStep, match: Match): Expressed | undefined {
    const hold = `wsd_step_${step.number}`;
    if ('text' in match) {
      const notes: string[] = [];
      if (isJsonText(match.text)) notes.push('Artillery compares a JSON message as it re-serializes it (no spaces), not as it arrived');
      return { specs: [{ regexp: ANY_TEXT, value: this.text(match.text) }], notes };
    }
    if ('contains' in match) {
      const templated = match.contains.includes('{{');
      const regexp = mapReferences(match.contains, (name) => this.names.reference(name), escapeRegex);
      const notes = templated ? ["Artillery puts a variable's value into the pattern as it is (characters such as . and * keep their regex meaning)"] : [];
      return { specs: [{ regexp, value: this.text(match.contains) }], notes };
    }
    if ('regex' in match) {
      // The lookahead tests the pattern anywhere; what is captured is the whole message, never empty.
      return { specs: [{ regexp: `^(?=[\\s\\S]*?(?:${this.text(match.regex)}))[\\s\\S]*`, flags: 'u', as: hold }], notes: [] };
    }
    if ('json' in match) {
      const value = match.json;
      if (!isRecord(value) && !Array.isArray(value)) {
        // A JSON scalar: Artillery hands the pattern the parsed value, a string as itself.
        const expected = typeof value === 'string' ? value : JSON.stringify(value);
        return { specs: [{ regexp: ANY_TEXT, value: this.text(expected) }], notes: ['Artillery also accepts the scalar as plain text, not only as JSON'] };
      }
      const { out, empty } = leaves(value);
      const specs: Spec[] = out.map((leaf) => ({ json: pathText(leaf.steps), value: deep(leaf.value, (s) => this.text(s)) }));
      const notes = empty > 0 ? ['Artillery cannot check that a key holds an object or list: the empty {} and [] of the expected JSON are not checked'] : [];
      // Nothing to compare: the message must still be JSON, which a capture of the whole of it checks.
      if (specs.length === 0) specs.push({ json: '$', as: hold });
      return { specs, notes };
    }
    if ('hex' in match) {
      this.note(step, 'not exported', "Artillery's ws engine cannot compare binary messages");
      return undefined;
    }
    if ('pong' in match) {
      this.note(step, 'not exported', "Artillery's ws engine does not report pongs");
      return undefined;
    }
    if ('close' in match) {
      this.note(step, 'not exported', "Artillery's ws engine does not report the server's close");
      return undefined;
    }
    return undefined;
  }

  private expectSocketIo(step: FlowStep, match: Match, captures: Spec[], pending: Pending | undefined): void {
    const emit = pending && 'emit' in pending.item ? pending : undefined;
    if ('event' in match) {
      if (!emit) {
        this.note(step, 'not exported', "Artillery's socketio engine waits for an event only in reply to the emit just before it");
        return;
      }
      const response: Item = { channel: this.text(match.event) };
      if (match.decoded !== undefined) this.note(step, 'approximated', 'Artillery does not decode binary arguments: "decoded" is left out, only the event name is checked');
      if (match.args !== undefined) {
        response.data = match.args.map((arg) => deep(arg, (s) => this.text(s)));
        this.note(step, 'approximated', 'Artillery compares the whole argument list (equal, not a subset: no extra keys or arguments)');
      } else {
        this.note(step, 'approximated', "Artillery waits for its whole response timeout before it accepts an event without expected arguments");
      }
      if (captures.length > 0) response.capture = captures;
      emit.item.response = response;
      this.timeouts.add(step.timeoutMs);
      if (emit.ack) this.pending = { item: emit.item, ack: false };
      return;
    }
    if ('ack' in match) {
      if (!emit?.ack || 'response' in emit.item) {
        this.note(step, 'not exported', "Artillery checks an ack only on the emit just before it, and not together with a reply event");
        return;
      }
      const { out, empty } = leaves(match.ack);
      const acknowledge: Item = {};
      const specs = out.map((leaf) => ({ json: pathText(leaf.steps), value: deep(leaf.value, (s) => this.text(s)) }));
      if (specs.length > 0) acknowledge.match = specs;
      if (captures.length > 0) acknowledge.capture = captures;
      emit.item.acknowledge = acknowledge;
      if (empty > 0) this.note(step, 'approximated', 'Artillery cannot check that an argument holds an object or list: the empty {} and [] are not checked');
      this.note(step, 'approximated', "Artillery waits for the ack without a timeout");
      return;
    }
    // checkFlows allows only event and ack matches on Socket.IO connections.
  }

  /** The config section: target, phases, variables and the endpoint's connection settings. */
  config(): Record<string, unknown> {
    const endpoint = this.primary!.endpoint;
    const config: Record<string, unknown> = {};
    const url = this.configText(endpoint.url);
    const headers = Object.fromEntries(endpoint.headers.map((h) => [h.name, this.configText(h.value)]));
    const options = endpoint.options ?? {};
    if (this.engine === 'ws') {
      config.target = url;
    } else {
      config.target = url.replace(/^ws(s?):/i, 'http$1:').replace(/\/+$/, '');
    }
    config.phases = [{ name: this.input.flow.name, duration: this.input.phase.duration, arrivalRate: this.input.phase.arrivalRate }];
    const variables: Record<string, unknown> = {};
    for (const v of this.input.variables) if (!v.secret) variables[this.names.name(v.name)] = v.value;
    if (Object.keys(variables).length > 0) config.variables = variables;
    if (options.acceptInvalidCerts) config.tls = { rejectUnauthorized: false };
    if (options.caFile !== undefined || options.certFile !== undefined || options.pfxFile !== undefined) {
      this.note(undefined, 'not exported', `endpoint "${endpoint.name}" uses TLS files (CA, client certificate): set them in config.tls yourself`);
    }
    if (this.engine === 'ws') {
      const ws: Record<string, unknown> = { timeout: this.timeoutSeconds() };
      if (endpoint.protocols.length > 0) ws.subprotocols = endpoint.protocols.map((p) => this.configText(p));
      if (Object.keys(headers).length > 0) ws.headers = headers;
      if (options.perMessageDeflate === false) ws.perMessageDeflate = false;
      config.ws = ws;
    } else {
      config.timeout = this.timeoutSeconds();
      const io = endpoint.socketio;
      const socketio: Record<string, unknown> = {};
      if (io?.path !== undefined && io.path !== '/socket.io') socketio.path = io.path;
      if ((io?.transports ?? 'websocket') === 'websocket') socketio.transports = ['websocket'];
      if (io && io.query.length > 0) socketio.query = Object.fromEntries(io.query.map((q) => [q.name, this.configText(q.value)]));
      if (io && io.auth.trim() !== '') {
        try {
          socketio.auth = deep(JSON.parse(io.auth), (s) => this.configText(s));
        } catch {
          // A reference outside a string: fill in the values first, as the panel does.
          try {
            socketio.auth = JSON.parse(this.configText(io.auth));
          } catch {
            this.note(undefined, 'not exported', `endpoint "${endpoint.name}": its auth is not JSON once its variables are filled in`);
          }
        }
      }
      if (Object.keys(headers).length > 0) socketio.extraHeaders = headers;
      if (io?.reconnection === false) socketio.reconnection = false;
      if (Object.keys(socketio).length > 0) config.socketio = socketio;
      if (io?.version === 'v2') {
        this.note(undefined, 'approximated', "Artillery's socketio engine speaks Socket.IO 3/4 (Engine.IO 4); a Socket.IO 2 server accepts it only with allowEIO3");
      }
    }
    return config;
  }

  hasPrimary(): boolean {
    return this.primary !== undefined;
  }
}

function isJsonText(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return JSON.stringify(value) !== text;
  } catch {
    return false;
  }
}

/** The flow as an Artillery script object and the notes on what it could not express. */
export function exportArtillery(input: ArtilleryExportInput): ArtilleryExport {
  const first = input.flow.steps.find((s) => s.act.action === 'connect');
  if (!first || first.act.action !== 'connect') return { ok: false, error: `flow ${JSON.stringify(input.flow.name)} connects to no endpoint: there is nothing to export` };
  const endpointName = first.act.endpoint;
  const endpoint = input.endpoints.find((e) => e.name === endpointName);
  if (!endpoint) return { ok: false, error: `flow ${JSON.stringify(input.flow.name)}, step ${first.number}: unknown endpoint ${JSON.stringify(endpointName)}` };
  const engine = endpoint.kind === 'socketio' ? 'socketio' : 'ws';
  const converter = new Converter(input, engine);
  converter.run();
  if (!converter.hasPrimary()) return { ok: false, error: `flow ${JSON.stringify(input.flow.name)} connects to no endpoint: there is nothing to export` };
  const config = converter.config();
  const flow = converter.items.length > 0 ? converter.items : [{ think: 0 }];
  const script = { config, scenarios: [{ name: input.flow.name, engine, flow }] };
  return { ok: true, engine, script, notes: converter.notes };
}

/** The script as YAML, with a header naming its source and every note as a comment. */
export function artilleryYaml(result: Extract<ArtilleryExport, { ok: true }>, source: { collection: string; flow: string }): string {
  const header = [
    `Artillery ${ARTILLERY_VERSION} script (${result.engine} engine) exported by websocket-debugger`,
    `from flow ${JSON.stringify(source.flow)} of collection ${JSON.stringify(source.collection)}.`,
    'Run it with: artillery run <this file>. Edit config.phases for the load you want.',
  ];
  const secrets = new Set<string>();
  const scan = (text: string): void => {
    for (const m of text.matchAll(/\$processEnvironment\.(WSD_SECRET_\w+)/g)) secrets.add(m[1]!);
  };
  JSON.stringify(result.script, (_key, value: unknown) => {
    if (typeof value === 'string') scan(value);
    return value;
  });
  if (secrets.size > 0) header.push(`Secret variables are read from the environment: ${[...secrets].join(', ')}.`);
  if (result.notes.length === 0) {
    header.push('Every step of the flow is in the script.');
  } else {
    header.push('', 'What Artillery runs differently from the flow, or not at all:');
    for (const note of result.notes) header.push(`- ${describeExportNote(note)}`);
  }
  return toYaml(result.script, header);
}
