/**
 * Checks a JSON document against a Protocol Buffers message type before it is encoded:
 * protobufjs's fromObject quietly turns a wrong value into 0 or drops an unknown field, so a
 * typo would go out as a different message. Errors name the place: `$.items[2].price: expected
 * a number (double)`.
 */
import { Enum, Type, type Field, type MapField } from 'protobufjs';
import { l10n } from '../../shared/l10n';
import { MAX_DEPTH } from './jsonValue';

const INT32 = new Set(['int32', 'sint32', 'sfixed32']);
const UINT32 = new Set(['uint32', 'fixed32']);
const INT64 = new Set(['int64', 'sint64', 'sfixed64', 'uint64', 'fixed64']);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return l10n.t('a list');
  return typeof value === 'object' ? l10n.t('an object') : `${typeof value} ${JSON.stringify(value)}`;
}

function checkScalar(value: unknown, field: Field | MapField, kind: string, path: string): string | undefined {
  if (field.resolvedType instanceof Enum) {
    const values = field.resolvedType.values;
    if (typeof value === 'string' && Object.hasOwn(values, value)) return undefined;
    if (typeof value === 'number' && Number.isInteger(value)) return undefined;
    const names = Object.keys(values);
    const list = `${names.slice(0, 10).map((n) => JSON.stringify(n)).join(', ')}${names.length > 10 ? ', …' : ''}`;
    return l10n.t('{0}: expected one of {1} (enum {2}), not {3}', path, list, field.resolvedType.name, describe(value));
  }
  if (field.resolvedType instanceof Type) return checkMessage(value, field.resolvedType, path, 0);
  if (kind === 'string') return typeof value === 'string' ? undefined : l10n.t('{0}: expected a string, not {1}', path, describe(value));
  if (kind === 'bool') return typeof value === 'boolean' ? undefined : l10n.t('{0}: expected true or false, not {1}', path, describe(value));
  if (kind === 'bytes') {
    return typeof value === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(value) ? undefined : l10n.t('{0}: expected base64 text (bytes), not {1}', path, describe(value));
  }
  if (kind === 'double' || kind === 'float') {
    if (typeof value === 'number') return undefined;
    if (typeof value === 'string' && (/^(NaN|-?Infinity)$/.test(value) || (value.trim() !== '' && Number.isFinite(Number(value))))) return undefined;
    return l10n.t('{0}: expected a number ({1}), not {2}', path, kind, describe(value));
  }
  const integer = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (INT64.has(kind)) {
    if (!Number.isInteger(integer)) return l10n.t('{0}: expected an integer ({1}; a decimal string keeps every digit), not {2}', path, kind, describe(value));
    if (kind.startsWith('u') || kind === 'fixed64') {
      if (integer < 0) return l10n.t('{0}: expected an integer from 0 ({1}), not {2}', path, kind, describe(value));
    }
    return undefined;
  }
  if (INT32.has(kind) || UINT32.has(kind)) {
    const [min, max] = INT32.has(kind) ? [-(2 ** 31), 2 ** 31 - 1] : [0, 2 ** 32 - 1];
    if (!Number.isInteger(integer) || integer < min || integer > max) {
      return l10n.t('{0}: expected an integer from {1} to {2} ({3}), not {4}', path, min, max, kind, describe(value));
    }
    return undefined;
  }
  return undefined;
}

/** Why `value` is not a JSON form of a `type` message, or undefined when it is. */
export function checkProtoJson(value: unknown, type: Type): string | undefined {
  return checkMessage(value, type, '$', 0);
}

function checkMessage(value: unknown, type: Type, path: string, depth: number): string | undefined {
  const name = type.fullName.replace(/^\./, '');
  if (depth > MAX_DEPTH) return l10n.t('{0}: nested deeper than {1} levels', path, MAX_DEPTH);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return l10n.t('{0}: expected an object (message {1}), not {2}', path, name, describe(value));
  }
  for (const [key, item] of Object.entries(value)) {
    const field = Object.hasOwn(type.fields, key) ? type.fields[key] : undefined;
    const at = `${path}.${key}`;
    if (field === undefined) {
      const known = Object.keys(type.fields);
      return known.length > 0 ? l10n.t('{0}: {1} has no field "{2}" (its fields: {3})', at, name, key, known.join(', ')) : l10n.t('{0}: {1} has no field "{2}"', at, name, key);
    }
    if (item === null) continue;
    field.resolve();
    const mapField = field as unknown as MapField;
    if (field.map) {
      if (typeof item !== 'object' || Array.isArray(item)) return l10n.t('{0}: expected an object (map<{1}, {2}>), not {3}', at, mapField.keyType, field.type, describe(item));
      for (const [k, v] of Object.entries(item)) {
        const problem = nested(v, field, `${at}[${JSON.stringify(k)}]`, depth);
        if (problem) return problem;
      }
    } else if (field.repeated) {
      if (!Array.isArray(item)) return l10n.t('{0}: expected a list (repeated {1}), not {2}', at, field.type, describe(item));
      for (const [i, v] of item.entries()) {
        const problem = nested(v, field, `${at}[${i}]`, depth);
        if (problem) return problem;
      }
    } else {
      const problem = nested(item, field, at, depth);
      if (problem) return problem;
    }
  }
  return undefined;
}

function nested(value: unknown, field: Field, path: string, depth: number): string | undefined {
  if (field.resolvedType instanceof Type) return checkMessage(value, field.resolvedType, path, depth + 1);
  return checkScalar(value, field, field.type, path);
}
