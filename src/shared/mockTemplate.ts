/**
 * Templates in a mock's strings: `{{message.text}}`, `{{message.json.user.name}}`,
 * `{{message.args.0}}`, `{{connection.id}}`, `{{seq}}`, `{{now}}`. Checked when the mock file is
 * read (an unknown name is a mistake in the file, named with its field), rendered per firing.
 *
 * Nothing is evaluated: a template names one value by a dot path, so a shared file cannot run code.
 */

import { l10n } from './l10n';

/** What a template may read when a rule fires. `message` is absent for onConnect and every rules. */
export interface TemplateContext {
  message?: TemplateMessage;
  connectionId: string;
  /** The mock's firing counter: every firing of a rule takes the next number. */
  seq: number;
  now: number;
}

export interface TemplateMessage {
  /** A text message as it came, or an event's arguments as JSON; '' for binary. */
  text: string;
  /** The message parsed as JSON, when it is JSON. */
  json?: unknown;
  /** A Socket.IO event's arguments. */
  args?: readonly unknown[];
}

type Ref =
  | { kind: 'message.text' }
  | { kind: 'message.json'; steps: readonly string[] }
  | { kind: 'message.args'; steps: readonly string[] }
  | { kind: 'connection.id' }
  | { kind: 'seq' }
  | { kind: 'now' };

/** A checked template: literal text and references, alternating. */
export interface Template {
  readonly parts: readonly (string | Ref)[];
  /** The template is one reference and nothing else (in JSON it renders as that value, not a string). */
  readonly whole: boolean;
}

/** Where a template is used, for what it may refer to. */
export interface TemplateScope {
  /** The rule reacts to a message (`on`), so `message.*` exists. */
  hasMessage: boolean;
  /** A Socket.IO mock: `message.args` exists. */
  socketIo: boolean;
}

const REFERENCE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const NAMES = '{{message.text}}, {{message.json.<path>}}, {{message.args.<index>}}, {{connection.id}}, {{seq}}, {{now}}';

type TemplateResult = { ok: true; template: Template } | { ok: false; error: string };

export function compileTemplate(source: string, scope: TemplateScope): TemplateResult {
  const parts: (string | Ref)[] = [];
  let last = 0;
  for (const found of source.matchAll(REFERENCE)) {
    const at = found.index;
    if (at > last) parts.push(source.slice(last, at));
    const ref = parseRef(found[1], scope);
    if (typeof ref === 'string') return { ok: false, error: ref };
    parts.push(ref);
    last = at + found[0].length;
  }
  if (last < source.length) parts.push(source.slice(last));
  return { ok: true, template: { parts, whole: parts.length === 1 && typeof parts[0] !== 'string' } };
}

function parseRef(name: string, scope: TemplateScope): Ref | string {
  const [head, second, ...rest] = name.split('.');
  if (head === 'seq' && second === undefined) return { kind: 'seq' };
  if (head === 'now' && second === undefined) return { kind: 'now' };
  if (head === 'connection' && second === 'id' && rest.length === 0) return { kind: 'connection.id' };
  if (head === 'message') {
    if (!scope.hasMessage) return l10n.t('{0}: only rules with "on" have a message (this rule reacts to no message)', `{{${name}}}`);
    if (second === 'text' && rest.length === 0) return { kind: 'message.text' };
    if (rest.some((step) => step === '')) return l10n.t('{0}: a path has no empty steps', `{{${name}}}`);
    if (second === 'json') return { kind: 'message.json', steps: rest };
    if (second === 'args') {
      if (!scope.socketIo) return l10n.t('{0}: only Socket.IO events have arguments; use {1}', `{{${name}}}`, '{{message.json...}}');
      return { kind: 'message.args', steps: rest };
    }
  }
  return l10n.t('{0} is not a template; known: {1}', `{{${name}}}`, NAMES);
}

/** Compiles every string in a JSON value; the error names the first bad string's place in it. */
export function compileJsonTemplates(value: unknown, scope: TemplateScope, at = ''): { ok: true } | { ok: false; field: string; error: string } {
  if (typeof value === 'string') {
    const compiled = compileTemplate(value, scope);
    return compiled.ok ? { ok: true } : { ok: false, field: at, error: compiled.error };
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const checked = compileJsonTemplates(item, scope, `${at}[${index}]`);
      if (!checked.ok) return checked;
    }
    return { ok: true };
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const checked = compileJsonTemplates(item, scope, at === '' ? key : `${at}.${key}`);
      if (!checked.ok) return checked;
    }
  }
  return { ok: true };
}

function valueOf(ref: Ref, context: TemplateContext): unknown {
  switch (ref.kind) {
    case 'message.text':
      return context.message?.text;
    case 'message.json':
      return walk(context.message?.json, ref.steps);
    case 'message.args':
      return walk(context.message?.args, ref.steps);
    case 'connection.id':
      return context.connectionId;
    case 'seq':
      return context.seq;
    case 'now':
      return context.now;
  }
}

/** Dot steps into objects and (numeric steps) arrays; undefined when a step is missing. */
function walk(root: unknown, steps: readonly string[]): unknown {
  let value = root;
  for (const step of steps) {
    if (Array.isArray(value) && /^\d+$/.test(step)) value = value[Number(step)];
    else if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, step)) {
      value = (value as Record<string, unknown>)[step];
    } else return undefined;
  }
  return value;
}

/** Strings go in as they are, other values as JSON, a missing value as nothing. */
function asText(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

export function renderTemplate(template: Template, context: TemplateContext): string {
  let out = '';
  for (const part of template.parts) out += typeof part === 'string' ? part : asText(valueOf(part, context));
  return out;
}

/**
 * Renders every string of a JSON value. A string that is one template and nothing else becomes
 * that value (`"{{message.json.count}}"` stays a number), null when it is missing.
 */
export function renderJson(value: unknown, scope: TemplateScope, context: TemplateContext): unknown {
  if (typeof value === 'string') {
    const compiled = compileTemplate(value, scope);
    if (!compiled.ok) return value;
    const template = compiled.template;
    if (template.parts.length === 0) return value;
    if (template.whole) return valueOf(template.parts[0] as Ref, context) ?? null;
    return renderTemplate(template, context);
  }
  if (Array.isArray(value)) return value.map((item) => renderJson(item, scope, context));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = renderJson(item, scope, context);
    return out;
  }
  return value;
}
