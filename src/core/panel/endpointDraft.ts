/**
 * Save Endpoint from the panel's form: the names checked, the parameters checked with their
 * `{{name}}` references standing in as plain words, and the references saved as written.
 */
import { validateName } from '../../shared/collections';
import { l10n } from '../../shared/l10n';
import type { ConnectionParams, Endpoint } from '../../shared/protocol';
import { checkAnyParams } from '../../shared/socketIo';
import { referencedNames, withPlaceholders } from '../../shared/variables';
import type { ActionResult } from '../session';

type Refusal = Extract<ActionResult, { ok: false }>;

/** The endpoint to store and its collection's name, both trimmed; or why not. */
export function endpointToSave(
  params: ConnectionParams,
  name: string,
  collection: string,
): { ok: true; collection: string; endpoint: Omit<Endpoint, 'id'> } | Refusal {
  const nameError = validateName(name);
  if (nameError) return { ok: false, field: 'endpoint', error: l10n.t('Endpoint name: {0}', nameError) };
  const collectionError = validateName(collection);
  if (collectionError) return { ok: false, field: 'endpoint', error: l10n.t('Collection: {0}', collectionError) };
  const checked = checkAnyParams({
    ...params,
    url: withPlaceholders(params.url),
    protocols: params.protocols.map(withPlaceholders),
  });
  if (!checked.ok) return checked;
  const hasReferences = referencedNames([params.url, ...params.protocols].join(' ')).length > 0;
  const saved = hasReferences ? { ...checked.params, url: params.url.trim(), protocols: params.protocols } : checked.params;
  return { ok: true, collection: collection.trim(), endpoint: { name: name.trim(), ...saved } };
}
