/**
 * `{{name}}` variables in the URL, headers, subprotocols, TLS passphrase and messages, resolved
 * from the active environment of a collection. Pure: the host supplies the values (secret ones
 * from SecretStorage) and gets back the resolved text plus the secret values it used, to mask.
 */
import { l10n } from './l10n';
import type { ConnectionParams, Variable } from './protocol';

/** A variable reference; whitespace inside the braces is allowed. */
const REFERENCE = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;
/** Variable names: a letter or underscore, then letters, digits, _ . - */
export const VARIABLE_NAME = /^[A-Za-z_][\w.-]*$/;
export const MAX_VARIABLES = 200;

export type Resolution<T> = { ok: true; value: T; secrets: string[] } | { ok: false; error: string };

/** The names referenced in `text`, in order of first appearance. */
export function referencedNames(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(REFERENCE)) if (!names.includes(match[1]!)) names.push(match[1]!);
  return names;
}

/** Replaces every reference; an unknown name is an error that names it. One pass, no recursion. */
export function resolveText(text: string, variables: readonly Variable[]): Resolution<string> {
  const byName = new Map(variables.map((v) => [v.name, v]));
  const missing = referencedNames(text).filter((name) => !byName.has(name));
  if (missing.length > 0) {
    const list = missing.map((name) => `{{${name}}}`).join(', ');
    const error =
      missing.length > 1
        ? l10n.t('Unknown variables {0}: define them in the active environment', list)
        : l10n.t('Unknown variable {0}: define it in the active environment', list);
    return { ok: false, error };
  }
  const secrets: string[] = [];
  const value = text.replace(REFERENCE, (_match, name: string) => {
    const variable = byName.get(name)!;
    if (variable.secret && variable.value !== '' && !secrets.includes(variable.value)) secrets.push(variable.value);
    return variable.value;
  });
  return { ok: true, value, secrets };
}

/** Resolves a whole connection form; the error says which part holds the unknown name. */
export function resolveParams(
  params: ConnectionParams,
  variables: readonly Variable[],
): { ok: true; params: ConnectionParams; secrets: string[] } | { ok: false; field: 'url' | 'protocols' | 'headers' | 'options'; error: string } {
  const secrets = new Set<string>();
  const take = (text: string): string | { error: string } => {
    const result = resolveText(text, variables);
    if (!result.ok) return { error: result.error };
    for (const secret of result.secrets) secrets.add(secret);
    return result.value;
  };
  const url = take(params.url);
  if (typeof url !== 'string') return { ok: false, field: 'url', error: l10n.t('URL: {0}', url.error) };
  const protocols: string[] = [];
  for (const protocol of params.protocols) {
    const value = take(protocol);
    if (typeof value !== 'string') return { ok: false, field: 'protocols', error: l10n.t('Subprotocols: {0}', value.error) };
    protocols.push(value);
  }
  const headers = [];
  for (const header of params.headers) {
    const value = take(header.value);
    if (typeof value !== 'string') return { ok: false, field: 'headers', error: l10n.t('Header "{0}": {1}', header.name, value.error) };
    headers.push({ name: header.name, value });
  }
  const resolved: ConnectionParams = { url, protocols, headers };
  if (params.options) {
    resolved.options = { ...params.options };
    if (params.options.passphrase !== undefined) {
      const passphrase = take(params.options.passphrase);
      if (typeof passphrase !== 'string') return { ok: false, field: 'options', error: l10n.t('PFX passphrase: {0}', passphrase.error) };
      resolved.options.passphrase = passphrase;
      // A typed passphrase is a secret too.
      if (passphrase !== '') secrets.add(passphrase);
    }
  }
  if (params.kind !== undefined) resolved.kind = params.kind;
  if (params.decode) resolved.decode = { ...params.decode };
  if (params.socketio) {
    // Socket.IO: the auth payload and query values may carry `{{name}}` too (tokens often live there).
    const auth = take(params.socketio.auth);
    if (typeof auth !== 'string') return { ok: false, field: 'options', error: l10n.t('Auth payload: {0}', auth.error) };
    const query = [];
    for (const row of params.socketio.query) {
      const value = take(row.value);
      if (typeof value !== 'string') return { ok: false, field: 'options', error: l10n.t('Query parameter "{0}": {1}', row.name, value.error) };
      query.push({ name: row.name, value });
    }
    resolved.socketio = { ...params.socketio, auth, query };
  }
  return { ok: true, params: resolved, secrets: [...secrets] };
}

/**
 * Replaces every `{{name}}` with what `replace` makes of the name, and the text between
 * references with what `literal` makes of it (the text itself by default). One pass.
 */
export function mapReferences(text: string, replace: (name: string) => string, literal: (part: string) => string = (part) => part): string {
  let out = '';
  let at = 0;
  for (const match of text.matchAll(REFERENCE)) {
    out += literal(text.slice(at, match.index)) + replace(match[1]!);
    at = match.index + match[0].length;
  }
  return out + literal(text.slice(at));
}

/**
 * The environment variable that holds secret variable `name` outside VS Code (the `run` command
 * reads it, an Artillery export refers to it): "." and "-" become "_".
 */
export function secretEnvName(name: string): string {
  return `WSD_SECRET_${name.replace(/[.-]/g, '_')}`;
}

/** Replaces `{{name}}` with a neutral word so a form with references can be checked before the host resolves it. */
export function withPlaceholders(text: string): string {
  return text.replace(REFERENCE, (_match, name: string) => name);
}

/**
 * The variables a connection from an untrusted source (a file of a workspace the user has not
 * trusted) may use: the secret ones are withheld. When `text` refers to a secret variable the
 * answer is an error that names it, so the user learns why instead of seeing "unknown variable".
 */
export function withoutSecrets(
  variables: readonly Variable[],
  text: string,
): { ok: true; variables: Variable[] } | { ok: false; error: string } {
  const secretNames = new Set(variables.filter((v) => v.secret).map((v) => v.name));
  const wanted = referencedNames(text).filter((name) => secretNames.has(name));
  if (wanted.length > 0) {
    const names = wanted.map((name) => `{{${name}}}`).join(', ');
    const error =
      wanted.length === 1
        ? l10n.t('{0} is a secret variable: secrets are not given to endpoints from a workspace you have not trusted', names)
        : l10n.t('{0} are secret variables: secrets are not given to endpoints from a workspace you have not trusted', names);
    return { ok: false, error };
  }
  return { ok: true, variables: variables.filter((v) => !v.secret) };
}
