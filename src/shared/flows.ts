/**
 * Flows: ordered steps against the endpoints of a collection, stored in the collection file
 * beside them (`"flows": [{"name", "steps": [...]}]`). This module holds the file form of a step,
 * the checks that refuse a mistake before anything connects (naming the flow, the 1-based step
 * and the field), and the checked form the runner (src/core/flows) executes. Pure: no Node.
 *
 * A step is an object with exactly one action key (connect, send, expect, expectNone, ping, close,
 * wait, emit) plus optional "name", "timeout" (ms) and "on" (a connection alias).
 */
import './zod';
import * as z from 'zod/mini';
import { checkCloseCode, checkCloseReason } from './closeCodes';
import { encodeBody } from './codecs';
import { andList, l10n } from './l10n';
import { parseJsonPath } from './jsonPath';
import { compileMatch, describeMatch, matchKeyOf, matchSchema, type Match } from './match';
import type { ConnectionKind, DecodeConfig, FlowDefinition } from './protocol';
import { checkEventName } from './socketIo';
import { referencedNames, VARIABLE_NAME, withPlaceholders } from './variables';

/** How long a step may take when it has no "timeout". */
export const DEFAULT_STEP_TIMEOUT_MS = 5000;
/** setTimeout's largest delay; a longer one would fire at once. */
const MAX_STEP_MS = 2_147_483_647;
const MAX_FLOWS = 500;
const MAX_STEPS = 2000;

// The error words are functions, looked up in the display language when the error is made (the
// schemas are built at module load, before l10n is configured); `what` names the value.
const ms = (what: () => string) =>
  z.int({ error: () => l10n.t('expected {0} in milliseconds (a whole number)', what()) }).check(
    z.gte(0, { error: () => l10n.t('{0} must not be negative', what()) }),
    z.lte(MAX_STEP_MS, { error: () => l10n.t('{0} must be at most {1} ms', what(), MAX_STEP_MS) }),
  );
const text = (expected: () => string = () => l10n.t('expected a string')) => z.string({ error: expected });

/** The keys every step may have beside its action. */
const COMMON = {
  name: z.optional(text(() => l10n.t('expected a step name (a string)')).check(z.maxLength(200, { error: () => l10n.t('must be at most {0} characters', 200) }))),
  timeout: z.optional(ms(() => l10n.t('a timeout')).check(z.gte(1, { error: () => l10n.t('a timeout must be at least 1 ms') }))),
  on: z.optional(text(() => l10n.t('expected a connection alias (a string)'))),
};

const sendForms = {
  text: z.strictObject({ text: text() }),
  json: z.strictObject({ json: z.unknown() }),
  hex: z.strictObject({ hex: text(() => l10n.t('expected a string of hex bytes')) }),
  base64: z.strictObject({ base64: text(() => l10n.t('expected a base64 string')) }),
  /** A JSON document sent as one binary message in MessagePack, CBOR or Protobuf (the endpoint's "decode" type). */
  msgpack: z.strictObject({ msgpack: z.unknown() }),
  cbor: z.strictObject({ cbor: z.unknown() }),
  protobuf: z.strictObject({ protobuf: z.unknown() }),
  message: z.strictObject({ message: text(() => l10n.t('expected the name of a saved message of the endpoint')) }),
};
const SEND_KEYS = Object.keys(sendForms) as (keyof typeof sendForms)[];

/** The file form of each step, by its action key. */
const STEP_FORMS = {
  connect: z.strictObject({ ...COMMON, connect: text(() => l10n.t('expected an endpoint name')), as: z.optional(text(() => l10n.t('expected a connection alias (a string)'))) }),
  send: z.strictObject({ ...COMMON, send: z.unknown() }),
  expect: z.strictObject({
    ...COMMON,
    expect: z.unknown(),
    capture: z.optional(z.record(z.string(), text(() => l10n.t('expected a JSONPath such as "$.data.token"')), { error: () => l10n.t('expected an object of variable names and JSONPaths') })),
    next: z.optional(z.boolean({ error: () => l10n.t('expected true or false') })),
  }),
  expectNone: z.strictObject({ ...COMMON, expectNone: z.unknown(), for: ms(() => '"for"') }),
  ping: z.strictObject({ ...COMMON, ping: text(() => l10n.t('expected the ping payload (a string)')) }),
  close: z.strictObject({
    ...COMMON,
    close: z.strictObject(
      { code: z.optional(z.int({ error: () => l10n.t('expected a close code (an integer)') })), reason: z.optional(text()) },
      { error: () => l10n.t('expected an object with an optional "code" and "reason"') },
    ),
  }),
  wait: z.strictObject({ ...COMMON, wait: ms(() => l10n.t('a wait')) }),
  emit: z.strictObject({
    ...COMMON,
    emit: z.strictObject(
      {
        event: text(() => l10n.t('expected an event name')),
        args: z.optional(z.array(z.unknown(), { error: () => l10n.t('expected a list of arguments') })),
        ack: z.optional(z.boolean({ error: () => l10n.t('expected true or false') })),
      },
      { error: () => l10n.t('expected an object with "event" and optional "args" and "ack"') },
    ),
  }),
};

/**
 * A step for the generated JSON schema (editor diagnostics): the step forms with the send bodies
 * and matches spelled out, which checkStep reads key by key for better sentences.
 */
export const flowStepJsonSchema = z.union([
  STEP_FORMS.connect,
  z.extend(STEP_FORMS.send, {
    send: z.union([sendForms.text, sendForms.json, sendForms.hex, sendForms.base64, sendForms.msgpack, sendForms.cbor, sendForms.protobuf, sendForms.message]),
  }),
  z.extend(STEP_FORMS.expect, { expect: matchSchema }),
  z.extend(STEP_FORMS.expectNone, { expectNone: matchSchema }),
  STEP_FORMS.ping,
  STEP_FORMS.close,
  STEP_FORMS.wait,
  STEP_FORMS.emit,
]);

type StepKey = keyof typeof STEP_FORMS;
/** The action keys, in the order the docs list them. */
const STEP_KEYS = Object.keys(STEP_FORMS) as StepKey[];

/** A step as written in the file, once its form is checked. */
type FlowStepJson = z.infer<(typeof STEP_FORMS)[StepKey]>;

/** What a send step sends. */
export type SendBody =
  | { kind: 'text'; text: string }
  | { kind: 'json'; value: unknown }
  | { kind: 'hex'; hex: string }
  | { kind: 'base64'; base64: string }
  /** A JSON document encoded when sent; its strings may hold `{{name}}`. */
  | { kind: 'msgpack'; value: unknown }
  | { kind: 'cbor'; value: unknown }
  | { kind: 'protobuf'; value: unknown }
  | { kind: 'message'; message: string };

/** A checked step's action, discriminated by `action`; strings may still hold `{{name}}`. */
export type FlowAction =
  | { action: 'connect'; endpoint: string; alias: string }
  | { action: 'send'; body: SendBody }
  | { action: 'expect'; match: Match; capture: { variable: string; path: string }[]; next: boolean }
  | { action: 'expectNone'; match: Match; forMs: number }
  | { action: 'ping'; payload: string }
  | { action: 'close'; code: number; reason: string }
  | { action: 'wait'; ms: number }
  | { action: 'emit'; event: string; args: unknown[]; ack: boolean };

export interface FlowStep {
  /** 1-based, as reports and error messages count. */
  number: number;
  /** The step's "name", or a description made from its action. */
  title: string;
  timeoutMs: number;
  /** The connection alias the step acts on (connect: the alias it opens). */
  alias: string;
  act: FlowAction;
}

export interface CheckedFlow {
  name: string;
  steps: FlowStep[];
}

/** A mistake in a flow: the flow, the 1-based step (absent for the flow itself) and the field. */
export interface FlowIssue {
  flow: string;
  step?: number;
  field: string;
  error: string;
}

/** "Flow "login", step 3, field "expect.regex": ..." */
export function describeFlowIssue(issue: FlowIssue): string {
  const flow = JSON.stringify(issue.flow);
  if (issue.step === undefined) {
    return issue.field === '' ? l10n.t('Flow {0}: {1}', flow, issue.error) : l10n.t('Flow {0}, field "{1}": {2}', flow, issue.field, issue.error);
  }
  return issue.field === ''
    ? l10n.t('Flow {0}, step {1}: {2}', flow, issue.step, issue.error)
    : l10n.t('Flow {0}, step {1}, field "{2}": {3}', flow, issue.step, issue.field, issue.error);
}

/** A saved message of an endpoint, as flows refer to it by name. */
export interface SavedMessageRef {
  name: string;
  format: 'text' | 'json' | 'hex' | 'base64' | 'msgpack' | 'cbor' | 'protobuf';
  body: string;
  event?: string;
  ack?: boolean;
}

/** What the checks need to know of an endpoint. */
export interface FlowEndpoint {
  name: string;
  kind?: ConnectionKind;
  /** Decode binary as: what `expect: {"decoded": ...}` and `send: {"protobuf": ...}` need. */
  decode?: DecodeConfig;
  messages?: readonly SavedMessageRef[];
}

export interface FlowCheckContext {
  endpoints: readonly FlowEndpoint[];
  /**
   * Variable names known before the flow starts (environment, --var). When given, a `{{name}}`
   * that is neither one of these nor captured by an earlier step is an error; when absent (a
   * collection imported without choosing an environment) references are not checked.
   */
  variables?: ReadonlySet<string>;
}

type Checked<T> = { ok: true; value: T } | { ok: false; issue: FlowIssue };

/** Reads the "flows" list of a collection file: every flow, or the first mistake. */
export function checkFlows(input: unknown, context: FlowCheckContext): { ok: true; flows: FlowDefinition[]; checked: CheckedFlow[] } | { ok: false; issue: FlowIssue } {
  if (!Array.isArray(input)) return { ok: false, issue: { flow: '', field: 'flows', error: l10n.t('expected a list of flows') } };
  if (input.length > MAX_FLOWS) return { ok: false, issue: { flow: '', field: 'flows', error: l10n.t('at most {0} flows per collection', MAX_FLOWS) } };
  const flows: FlowDefinition[] = [];
  const checked: CheckedFlow[] = [];
  const names = new Set<string>();
  for (const [index, raw] of input.entries()) {
    const result = checkFlow(raw, index, context);
    if (!result.ok) return result;
    if (names.has(result.value.flow.name)) {
      return { ok: false, issue: { flow: result.value.flow.name, field: 'name', error: l10n.t('another flow in this collection has the same name') } };
    }
    names.add(result.value.flow.name);
    flows.push(result.value.flow);
    checked.push(result.value.checked);
  }
  return { ok: true, flows, checked };
}

/**
 * Like checkFlows, but a mistake costs only its own flow: the flows that check are kept, and each
 * one that does not is an issue (with its index in the list). For files that stay on disk and are
 * read again as they change (a workspace's shared file), where one typo should not hide the rest.
 * Only a "flows" value that is not a list (or too long) is a mistake of the whole.
 */
export function checkEachFlow(
  input: unknown,
  context: FlowCheckContext,
): { ok: true; flows: FlowDefinition[]; checked: CheckedFlow[]; issues: { index: number; issue: FlowIssue }[] } | { ok: false; issue: FlowIssue } {
  if (!Array.isArray(input)) return { ok: false, issue: { flow: '', field: 'flows', error: l10n.t('expected a list of flows') } };
  if (input.length > MAX_FLOWS) return { ok: false, issue: { flow: '', field: 'flows', error: l10n.t('at most {0} flows per collection', MAX_FLOWS) } };
  const flows: FlowDefinition[] = [];
  const checked: CheckedFlow[] = [];
  const issues: { index: number; issue: FlowIssue }[] = [];
  const names = new Set<string>();
  for (const [index, raw] of input.entries()) {
    const result = checkFlow(raw, index, context);
    if (!result.ok) {
      issues.push({ index, issue: result.issue });
      continue;
    }
    if (names.has(result.value.flow.name)) {
      issues.push({ index, issue: { flow: result.value.flow.name, field: 'name', error: l10n.t('another flow in this collection has the same name') } });
      continue;
    }
    names.add(result.value.flow.name);
    flows.push(result.value.flow);
    checked.push(result.value.checked);
  }
  return { ok: true, flows, checked, issues };
}

/**
 * The flows with endpoint `from` renamed to `to`: every `"connect": from` names `to`. A connect
 * without "as" was also the connection's alias, so the steps after it that say `"on": from` follow
 * the new name (until a later connect takes `from` as its own alias). Steps are changed, never dropped.
 */
export function renameEndpointInFlows(flows: readonly FlowDefinition[], from: string, to: string): FlowDefinition[] {
  return flows.map((flow) => {
    let following = false;
    let changed = false;
    const steps = flow.steps.map((step) => {
      if (!isRecord(step)) return step;
      if (Object.prototype.hasOwnProperty.call(step, 'connect')) {
        const alias = typeof step.as === 'string' ? step.as : step.connect;
        if (step.connect === from) {
          changed = true;
          following = step.as === undefined;
          return { ...step, connect: to };
        }
        if (alias === from) following = false;
        return step;
      }
      if (following && step.on === from) {
        changed = true;
        return { ...step, on: to };
      }
      return step;
    });
    return changed ? { ...flow, steps } : flow;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkFlow(raw: unknown, index: number, context: FlowCheckContext): Checked<{ flow: FlowDefinition; checked: CheckedFlow }> {
  const unnamed = `flows[${index}]`;
  if (!isRecord(raw)) return fail(unnamed, undefined, '', l10n.t('expected an object with "name" and "steps"'));
  const name = raw.name;
  if (typeof name !== 'string' || name.trim() === '') return fail(unnamed, undefined, 'name', l10n.t('expected a non-empty flow name'));
  if (name.length > 200) return fail(name, undefined, 'name', l10n.t('must be at most {0} characters', 200));
  const unknownKey = Object.keys(raw).find((key) => key !== 'name' && key !== 'steps');
  if (unknownKey !== undefined) return fail(name, undefined, unknownKey, l10n.t('unknown key "{0}" (a flow has "name" and "steps")', unknownKey));
  if (!Array.isArray(raw.steps)) return fail(name, undefined, 'steps', l10n.t('expected a list of steps'));
  if (raw.steps.length > MAX_STEPS) return fail(name, undefined, 'steps', l10n.t('at most {0} steps per flow', MAX_STEPS));
  const scope = new FlowScope(context);
  const steps: FlowStep[] = [];
  const json: Record<string, unknown>[] = [];
  for (const [at, step] of (raw.steps as unknown[]).entries()) {
    const result = checkStep(step, at + 1, scope);
    if (!result.ok) return fail(name, at + 1, result.field, result.error);
    steps.push(result.step);
    json.push(result.json);
  }
  return { ok: true, value: { flow: { name, steps: json }, checked: { name, steps } } };
}

function fail<T>(flow: string, step: number | undefined, field: string, error: string): Checked<T> {
  return { ok: false, issue: step === undefined ? { flow, field, error } : { flow, step, field, error } };
}

/** What earlier steps of one flow established: the connections opened and variables captured. */
class FlowScope {
  readonly aliases = new Map<string, FlowEndpoint>();
  current: string | undefined;
  private readonly captured = new Set<string>();

  constructor(readonly context: FlowCheckContext) {}

  capture(name: string): void {
    this.captured.add(name);
  }

  /** The first reference in `value`'s strings to a name nobody defines, if names are checked. */
  unknownVariable(value: unknown): string | undefined {
    const known = this.context.variables;
    if (!known) return undefined;
    for (const s of stringsOf(value)) {
      const missing = referencedNames(s).find((n) => !known.has(n) && !this.captured.has(n));
      if (missing !== undefined) return missing;
    }
    return undefined;
  }
}

/** Every string inside a JSON value (keys too: a template may build a key). */
function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, out);
  else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      stringsOf(item, out);
    }
  }
  return out;
}

type StepResult = { ok: true; step: FlowStep; json: Record<string, unknown> } | { ok: false; field: string; error: string };

function stepKeyOf(raw: Record<string, unknown>): { ok: true; key: StepKey } | { ok: false; field: string; error: string } {
  const keys = STEP_KEYS.filter((key) => Object.prototype.hasOwnProperty.call(raw, key));
  if (keys.length === 1) return { ok: true, key: keys[0]! };
  if (keys.length > 1) return { ok: false, field: keys[1]!, error: l10n.t('one action per step: found {0}', andList(keys.map((k) => `"${k}"`))) };
  const other = Object.keys(raw).find((key) => !(key in COMMON));
  const list = STEP_KEYS.map((k) => `"${k}"`).join(', ');
  if (other !== undefined) return { ok: false, field: other, error: l10n.t('unknown step key "{0}": a step has one of {1}', other, list) };
  return { ok: false, field: '', error: l10n.t('a step needs one of {0}', list) };
}

function checkStep(raw: unknown, number: number, scope: FlowScope): StepResult {
  if (!isRecord(raw)) return { ok: false, field: '', error: l10n.t('expected an object (a step)') };
  const keyed = stepKeyOf(raw);
  if (!keyed.ok) return keyed;
  const key = keyed.key;
  const parsed = STEP_FORMS[key].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      return { ok: false, field: issue.keys[0]!, error: l10n.t('unknown key "{0}" in a "{1}" step', issue.keys[0]!, key) };
    }
    return { ok: false, field: issue.path.map(String).join('.') || key, error: issue.message };
  }
  const json = parsed.data as FlowStepJson;
  const missing = scope.unknownVariable(raw);
  // Captures of this very step are not known yet; an expect may not refer to them either.
  if (missing !== undefined) {
    return { ok: false, field: key, error: l10n.t('unknown variable {0}: define it in the environment, with --var, or capture it in an earlier step', `{{${missing}}}`) };
  }
  const timeoutMs = json.timeout ?? DEFAULT_STEP_TIMEOUT_MS;
  const action = checkAction(key, json, scope);
  if (!action.ok) return action;
  const alias = action.alias;
  const title = json.name?.trim() || describeAction(action.act);
  return { ok: true, step: { number, title, timeoutMs, alias, act: action.act }, json: raw };
}

type ActionResult = { ok: true; act: FlowAction; alias: string } | { ok: false; field: string; error: string };

/** The connection a step acts on: "on", else the last opened one. */
function target(json: FlowStepJson, scope: FlowScope, key: StepKey): { ok: true; alias: string; endpoint: FlowEndpoint } | { ok: false; field: string; error: string } {
  if (json.on !== undefined) {
    const endpoint = scope.aliases.get(json.on);
    if (!endpoint) {
      const known = [...scope.aliases.keys()].map((a) => `"${a}"`).join(', ');
      return { ok: false, field: 'on', error: known ? l10n.t('no connection "{0}" is open at this step (open: {1})', json.on, known) : l10n.t('no connection "{0}" is open at this step', json.on) };
    }
    return { ok: true, alias: json.on, endpoint };
  }
  if (scope.current === undefined) return { ok: false, field: key, error: l10n.t('"{0}" needs a connection: add a "connect" step before it', key) };
  return { ok: true, alias: scope.current, endpoint: scope.aliases.get(scope.current)! };
}

function checkAction(key: StepKey, json: FlowStepJson, scope: FlowScope): ActionResult {
  if (key === 'connect') {
    const step = json as z.infer<typeof STEP_FORMS.connect>;
    if (step.on !== undefined) return { ok: false, field: 'on', error: l10n.t('a connect step names its connection with "as", not "on"') };
    const endpoint = scope.context.endpoints.find((e) => e.name === step.connect);
    if (!endpoint) return { ok: false, field: 'connect', error: l10n.t('unknown endpoint {0}: no endpoint of this collection has that name', JSON.stringify(step.connect)) };
    const alias = step.as ?? step.connect;
    if (alias.trim() === '') return { ok: false, field: 'as', error: l10n.t('an alias must not be empty') };
    scope.aliases.set(alias, endpoint);
    scope.current = alias;
    return { ok: true, alias, act: { action: 'connect', endpoint: endpoint.name, alias } };
  }
  if (key === 'wait') {
    // A wait needs no connection; "on" is allowed but means nothing.
    return { ok: true, alias: json.on ?? scope.current ?? '', act: { action: 'wait', ms: (json as z.infer<typeof STEP_FORMS.wait>).wait } };
  }
  const on = target(json, scope, key);
  if (!on.ok) return on;
  const socketIo = on.endpoint.kind === 'socketio';
  const alias = on.alias;
  switch (key) {
    case 'send': {
      const body = checkSend((json as z.infer<typeof STEP_FORMS.send>).send, on.endpoint);
      if (!body.ok) return body;
      if (socketIo && body.body.kind !== 'message') return { ok: false, field: 'send', error: l10n.t('"{0}" is a Socket.IO connection: use "emit" (or a saved message)', on.alias) };
      return { ok: true, alias, act: { action: 'send', body: body.body } };
    }
    case 'expect': {
      const step = json as z.infer<typeof STEP_FORMS.expect>;
      const match = checkMatch(step.expect, 'expect', socketIo, on.endpoint);
      if (!match.ok) return match;
      const capture: { variable: string; path: string }[] = [];
      for (const [variable, path] of Object.entries(step.capture ?? {})) {
        if (!VARIABLE_NAME.test(variable)) return { ok: false, field: `capture.${variable}`, error: l10n.t('a variable name starts with a letter or _, then letters, digits, _ . -') };
        const parsed = parseJsonPath(path);
        if (!parsed.ok) return { ok: false, field: `capture.${variable}`, error: parsed.error };
        capture.push({ variable, path });
      }
      for (const c of capture) scope.capture(c.variable);
      return { ok: true, alias, act: { action: 'expect', match: match.match, capture, next: step.next === true } };
    }
    case 'expectNone': {
      const step = json as z.infer<typeof STEP_FORMS.expectNone>;
      const match = checkMatch(step.expectNone, 'expectNone', socketIo, on.endpoint);
      if (!match.ok) return match;
      return { ok: true, alias, act: { action: 'expectNone', match: match.match, forMs: step.for } };
    }
    case 'ping': {
      if (socketIo) return { ok: false, field: 'ping', error: l10n.t('Socket.IO manages its own heartbeats; a Socket.IO connection cannot send pings') };
      return { ok: true, alias, act: { action: 'ping', payload: (json as z.infer<typeof STEP_FORMS.ping>).ping } };
    }
    case 'close': {
      const close = (json as z.infer<typeof STEP_FORMS.close>).close;
      const code = close.code ?? 1000;
      const verdict = checkCloseCode(code);
      if (!verdict.ok) return { ok: false, field: 'close.code', error: verdict.reason };
      const reason = close.reason ?? '';
      const reasonError = checkCloseReason(reason);
      if (reasonError !== undefined) return { ok: false, field: 'close.reason', error: reasonError };
      scope.aliases.delete(alias);
      if (scope.current === alias) scope.current = [...scope.aliases.keys()].pop();
      return { ok: true, alias, act: { action: 'close', code, reason } };
    }
    case 'emit': {
      const emit = (json as z.infer<typeof STEP_FORMS.emit>).emit;
      if (!socketIo) return { ok: false, field: 'emit', error: l10n.t('"{0}" is a plain WebSocket connection: use "send"', on.alias) };
      const nameError = referencedNames(emit.event).length > 0 ? undefined : checkEventName(emit.event);
      if (nameError !== undefined) return { ok: false, field: 'emit.event', error: nameError };
      return { ok: true, alias, act: { action: 'emit', event: emit.event, args: emit.args ?? [], ack: emit.ack === true } };
    }
  }
}

function checkSend(raw: unknown, endpoint: FlowEndpoint): { ok: true; body: SendBody } | { ok: false; field: string; error: string } {
  const list = SEND_KEYS.map((k) => `"${k}"`).join(', ');
  if (!isRecord(raw)) return { ok: false, field: 'send', error: l10n.t('expected an object with one of {0}', list) };
  const keys = SEND_KEYS.filter((k) => Object.prototype.hasOwnProperty.call(raw, k));
  if (keys.length !== 1) {
    const other = Object.keys(raw).find((k) => !SEND_KEYS.includes(k as never));
    if (other !== undefined) return { ok: false, field: `send.${other}`, error: l10n.t('unknown key "{0}": send one of {1}', other, list) };
    return { ok: false, field: 'send', error: l10n.t('expected exactly one of {0}', list) };
  }
  const key = keys[0]!;
  const parsed = sendForms[key].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') return { ok: false, field: `send.${issue.keys[0]}`, error: l10n.t('unknown key "{0}" beside "{1}" (one kind of body per send)', issue.keys[0]!, key) };
    return { ok: false, field: `send.${issue.path.map(String).join('.') || key}`, error: issue.message };
  }
  const data = parsed.data as Record<string, unknown>;
  switch (key) {
    case 'text':
      return { ok: true, body: { kind: 'text', text: data.text as string } };
    case 'json':
      if (data.json === undefined) return { ok: false, field: 'send.json', error: l10n.t('expected a JSON value') };
      return { ok: true, body: { kind: 'json', value: data.json } };
    case 'msgpack':
    case 'cbor':
    case 'protobuf':
      if (data[key] === undefined) return { ok: false, field: `send.${key}`, error: l10n.t('expected a JSON value (the document to encode)') };
      if (key === 'protobuf' && endpoint.decode?.as !== 'protobuf') {
        return { ok: false, field: 'send.protobuf', error: l10n.t('endpoint {0} needs "decode": {"as": "protobuf", "proto": ..., "type": ...} to send Protobuf', JSON.stringify(endpoint.name)) };
      }
      return { ok: true, body: key === 'msgpack' ? { kind: key, value: data[key] } : key === 'cbor' ? { kind: key, value: data[key] } : { kind: key, value: data[key] } };
    case 'hex':
    case 'base64': {
      const body = data[key] as string;
      if (referencedNames(body).length === 0) {
        const encoded = encodeBody(key, body);
        if (!encoded.ok) return { ok: false, field: `send.${key}`, error: encoded.error };
      }
      return { ok: true, body: key === 'hex' ? { kind: 'hex', hex: body } : { kind: 'base64', base64: body } };
    }
    case 'message': {
      const name = data.message as string;
      const saved = (endpoint.messages ?? []).find((m) => m.name === name);
      if (!saved) return { ok: false, field: 'send.message', error: l10n.t('unknown saved message {0} of endpoint {1}', JSON.stringify(name), JSON.stringify(endpoint.name)) };
      return { ok: true, body: { kind: 'message', message: name } };
    }
  }
}

/** A match with `{{name}}` replaced by plain words, so a templated regex still checks. */
function withPlaceholdersDeep(value: unknown): unknown {
  if (typeof value === 'string') return withPlaceholders(value);
  if (Array.isArray(value)) return value.map(withPlaceholdersDeep);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPlaceholdersDeep(v)]));
  return value;
}

const WEBSOCKET_ONLY = new Set(['text', 'contains', 'regex', 'json', 'hex', 'decoded', 'pong']);

function checkMatch(raw: unknown, key: 'expect' | 'expectNone', socketIo: boolean, endpoint: FlowEndpoint): { ok: true; match: Match } | { ok: false; field: string; error: string } {
  const compiled = compileMatch(raw);
  if (!compiled.ok) {
    const fail = (c: { field: string; error: string }) => ({ ok: false as const, field: c.field === '' ? key : `${key}.${c.field}`, error: c.error });
    const value = isRecord(raw) ? raw[compiled.field] : undefined;
    // A regex or hex built from variables is checked when the step runs; a regex still has to
    // compile with the references read as plain words.
    const templated = (compiled.field === 'regex' || compiled.field === 'hex') && typeof value === 'string' && referencedNames(value).length > 0;
    if (!templated) return fail(compiled);
    if (compiled.field === 'regex') {
      const again = compileMatch(withPlaceholdersDeep(raw));
      if (!again.ok) return fail(again);
    }
  }
  const match = raw as Match;
  const kind: string = matchKeyOf(match) ?? Object.keys(match)[0]!;
  if (socketIo && WEBSOCKET_ONLY.has(kind)) {
    return { ok: false, field: `${key}.${kind}`, error: l10n.t('a Socket.IO connection receives events: match with "event" (and "args") or "ack"') };
  }
  if (!socketIo && (kind === 'event' || kind === 'ack')) {
    return { ok: false, field: `${key}.${kind}`, error: l10n.t('"{0}" matches Socket.IO events; this is a plain WebSocket connection', kind) };
  }
  if (kind === 'event' && (match as { decoded?: unknown }).decoded !== undefined && endpoint.decode === undefined) {
    return { ok: false, field: `${key}.decoded`, error: l10n.t('endpoint {0} has no "decode" (Decode binary as), so no event argument is decoded', JSON.stringify(endpoint.name)) };
  }
  if (kind === 'decoded' && endpoint.decode === undefined) {
    return { ok: false, field: `${key}.decoded`, error: l10n.t('endpoint {0} has no "decode" (Decode binary as), so no message is decoded', JSON.stringify(endpoint.name)) };
  }
  return { ok: true, match };
}

/** A short title for a step without a "name": "send text \"hi\"", "expect JSON containing {...}". */
function describeAction(act: FlowAction): string {
  switch (act.action) {
    case 'connect':
      return act.alias === act.endpoint ? `connect ${act.endpoint}` : `connect ${act.endpoint} as ${act.alias}`;
    case 'send':
      return `send ${describeSend(act.body)}`;
    case 'expect':
      return `expect ${act.next ? 'next ' : ''}${describeMatch(act.match)}`;
    case 'expectNone':
      return `expect no ${describeMatch(act.match)} for ${act.forMs} ms`;
    case 'ping':
      return `ping ${JSON.stringify(act.payload)}`;
    case 'close':
      return `close ${act.code}${act.reason ? ` ${JSON.stringify(act.reason)}` : ''}`;
    case 'wait':
      return `wait ${act.ms} ms`;
    case 'emit':
      return `emit ${JSON.stringify(act.event)}${act.ack ? ' with ack' : ''}`;
  }
}

function describeSend(body: SendBody): string {
  const cut = (s: string): string => (s.length > 60 ? `${s.slice(0, 60)}…` : s);
  switch (body.kind) {
    case 'text':
      return `text ${cut(JSON.stringify(body.text))}`;
    case 'json':
      return `JSON ${cut(JSON.stringify(body.value))}`;
    case 'hex':
      return `bytes ${cut(body.hex.trim())}`;
    case 'base64':
      return `base64 ${cut(body.base64.trim())}`;
    case 'msgpack':
      return `MessagePack ${cut(JSON.stringify(body.value))}`;
    case 'cbor':
      return `CBOR ${cut(JSON.stringify(body.value))}`;
    case 'protobuf':
      return `Protobuf ${cut(JSON.stringify(body.value))}`;
    case 'message':
      return `saved message ${JSON.stringify(body.message)}`;
  }
}
