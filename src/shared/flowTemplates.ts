/**
 * `{{name}}` in a flow step, resolved when the step runs: the variables are the environment's,
 * `--var` overrides and the values earlier steps captured, so they are only known then. Every
 * string value inside the step is resolved (object keys are left as written); the secret values
 * used come back so that reports can mask them.
 */
import type { FlowAction, SendBody } from './flows';
import type { Match } from './match';
import type { Variable } from './protocol';
import { resolveText } from './variables';

export type Resolved<T> = { ok: true; value: T; secrets: string[] } | { ok: false; error: string };

/** The text a captured value stands for inside a template: strings as they are, the rest as JSON. */
export function captureText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
}

/** Resolves every string inside a JSON value; the first unknown variable is the error. */
export function resolveDeep<T>(value: T, variables: readonly Variable[]): Resolved<T> {
  const secrets = new Set<string>();
  let error: string | undefined;
  const walk = (item: unknown): unknown => {
    if (error !== undefined) return item;
    if (typeof item === 'string') {
      if (!item.includes('{{')) return item;
      const result = resolveText(item, variables);
      if (!result.ok) {
        error = result.error;
        return item;
      }
      for (const s of result.secrets) secrets.add(s);
      return result.value;
    }
    if (Array.isArray(item)) return item.map(walk);
    if (typeof item === 'object' && item !== null) {
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, walk(inner)]));
    }
    return item;
  };
  const resolved = walk(value) as T;
  return error === undefined ? { ok: true, value: resolved, secrets: [...secrets] } : { ok: false, error };
}

/** A step's action with its templates resolved. */
export function resolveAction(act: FlowAction, variables: readonly Variable[]): Resolved<FlowAction> {
  switch (act.action) {
    case 'send': {
      const body = resolveDeep<SendBody>(act.body, variables);
      return body.ok ? { ...body, value: { ...act, body: body.value } } : body;
    }
    case 'expect':
    case 'expectNone': {
      const match = resolveDeep<Match>(act.match, variables);
      return match.ok ? { ...match, value: { ...act, match: match.value } } : match;
    }
    case 'ping': {
      const payload = resolveDeep(act.payload, variables);
      return payload.ok ? { ...payload, value: { ...act, payload: payload.value } } : payload;
    }
    case 'close': {
      const reason = resolveDeep(act.reason, variables);
      return reason.ok ? { ...reason, value: { ...act, reason: reason.value } } : reason;
    }
    case 'emit': {
      const emit = resolveDeep({ event: act.event, args: act.args }, variables);
      return emit.ok ? { ...emit, value: { ...act, ...emit.value } } : emit;
    }
    case 'connect':
    case 'wait':
      return { ok: true, value: act, secrets: [] };
  }
}
