/**
 * Checks a JSON document against a Protocol Buffers message type before it is encoded:
 * protobufjs's fromObject quietly turns a wrong value into 0 or drops an unknown field, so a
 * typo would go out as a different message. Errors name the place: `$.items[2].price: expected
 * a number (double)`.
 */
import { Enum, Type, type Field, type MapField } from 'protobufjs';
import { MAX_DEPTH } from './jsonValue';

const INT32 = new Set(['int32', 'sint32', 'sfixed32']);
const UINT32 = new Set(['uint32', 'fixed32']);
const INT64 = new Set(['int64', 'sint64', 'sfixed64', 'uint64', 'fixed64']);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function checkScalar(value: unknown, field: Field | MapField, kind: string, path: string): string | undefined {
  const where = `${path}: expected`;
  if (field.resolvedType instanceof Enum) {
    const values = field.resolvedType.values;
    if (typeof value === 'string' && Object.hasOwn(values, value)) return undefined;
    if (typeof value === 'number' && Number.isInteger(value)) return undefined;
    const names = Object.keys(values);
    return `${where} one of ${names.slice(0, 10).map((n) => JSON.stringify(n)).join(', ')}${names.length > 10 ? ', …' : ''} (enum ${field.resolvedType.name}), not ${describe(value)}`;
  }
  if (field.resolvedType instanceof Type) return checkMessage(value, field.resolvedType, path, 0);
  if (kind === 'string') return typeof value === 'string' ? undefined : `${where} a string, not ${describe(value)}`;
  if (kind === 'bool') return typeof value === 'boolean' ? undefined : `${where} true or false, not ${describe(value)}`;
  if (kind === 'bytes') {
    return typeof value === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(value) ? undefined : `${where} base64 text (bytes), not ${describe(value)}`;
  }
  if (kind === 'double' || kind === 'float') {
    if (typeof value === 'number') return undefined;
    if (typeof value === 'string' && (/^(NaN|-?Infinity)$/.test(value) || (value.trim() !== '' && Number.isFinite(Number(value))))) return undefined;
    return `${where} a number (${kind}), not ${describe(value)}`;
  }
  const integer = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (INT64.has(kind)) {
    if (!Number.isInteger(integer)) return `${where} an integer (${kind}; a decimal string keeps every digit), not ${describe(value)}`;
    if (kind.startsWith('u') || kind === 'fixed64') {
      if (integer < 0) return `${where} an integer from 0 (${kind}), not ${describe(value)}`;
    }
    return undefined;
  }
  if (INT32.has(kind) || UINT32.has(kind)) {
    const [min, max] = INT32.has(kind) ? [-(2 ** 31), 2 ** 31 - 1] : [0, 2 ** 32 - 1];
    if (!Number.isInteger(integer) || integer < min || integer > max) {
      return `${where} an integer from ${min} to ${max} (${kind}), not ${describe(value)}`;
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
  if (depth > MAX_DEPTH) return `${path}: nested deeper than ${MAX_DEPTH} levels`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return `${path}: expected an object (message ${name}), not ${describe(value)}`;
  }
  for (const [key, item] of Object.entries(value)) {
    const field = Object.hasOwn(type.fields, key) ? type.fields[key] : undefined;
    const at = `${path}.${key}`;
    if (field === undefined) {
      const known = Object.keys(type.fields);
      return `${at}: ${name} has no field "${key}"${known.length > 0 ? ` (its fields: ${known.join(', ')})` : ''}`;
    }
    if (item === null) continue;
    field.resolve();
    const mapField = field as unknown as MapField;
    if (field.map) {
      if (typeof item !== 'object' || Array.isArray(item)) return `${at}: expected an object (map<${mapField.keyType}, ${field.type}>), not ${describe(item)}`;
      for (const [k, v] of Object.entries(item)) {
        const problem = nested(v, field, `${at}[${JSON.stringify(k)}]`, depth);
        if (problem) return problem;
      }
    } else if (field.repeated) {
      if (!Array.isArray(item)) return `${at}: expected a list (repeated ${field.type}), not ${describe(item)}`;
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
