/**
 * The steps between a Connect press and a session: which variables apply, `{{name}}` resolved,
 * the parameters checked, the TLS files read. Each step answers with a sentence for the field
 * it concerns, before any socket exists.
 */
import type { Collection, ConnectionParams, Variable } from '../../shared/protocol';
import { checkAnyParams } from '../../shared/socketIo';
import { resolveParams, withoutSecrets } from '../../shared/variables';
import type { ActionResult } from '../session';
import { readTlsFiles, type TlsFileContents } from '../tlsFiles';
import type { VariablesPort } from './panelHost';

type Refusal = Extract<ActionResult, { ok: false }>;

/** The collection whose active environment applies: the one chosen in the panel, else one holding an endpoint with this URL. */
export function environmentCollection(collections: readonly Collection[], chosenId: string | undefined, url: string): Collection | undefined {
  if (chosenId !== undefined) return collections.find((c) => c.id === chosenId);
  return collections.find((c) => c.endpoints.some((e) => e.url === url));
}

/**
 * The variables `text` may use: all of the active environment's, except that secret ones are
 * withheld (and a reference to one refused by name) when `withholdSecrets` is set.
 */
export async function usableVariables(
  source: VariablesPort,
  collection: Collection | undefined,
  text: string,
  withholdSecrets: boolean,
): Promise<{ ok: true; variables: Variable[] } | { ok: false; error: string }> {
  const variables = await source.activeVariables(collection);
  return withholdSecrets ? withoutSecrets(variables, text) : { ok: true, variables };
}

/** The parameters with every reference replaced, checked; `secrets` are the values to mask. */
export function resolveForConnect(
  params: ConnectionParams,
  variables: readonly Variable[],
): { ok: true; params: ConnectionParams; secrets: string[] } | Refusal {
  const resolved = resolveParams(params, variables);
  if (!resolved.ok) return resolved;
  const checked = checkAnyParams(resolved.params);
  return checked.ok ? { ok: true, params: checked.params, secrets: resolved.secrets } : checked;
}

/** The TLS files the options name; a missing or unreadable one is reported on the options. */
export async function tlsFilesFor(params: ConnectionParams): Promise<{ ok: true; files: TlsFileContents } | Refusal> {
  const tls = await readTlsFiles(params.options);
  return tls.ok ? tls : { ok: false, field: 'options', error: tls.error };
}
