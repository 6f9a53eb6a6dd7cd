/**
 * How decoded MessagePack and CBOR values become JSON and back. JSON has no bytes, no maps with
 * non-string keys, no integers past 2^53, no tags and no extension types, so each gets one
 * documented form (docs/decoders.md) that Send as reads back into the same wire type:
 *
 * - bytes: `{"$bytes": "<base64>"}`
 * - an integer past Number.MAX_SAFE_INTEGER: `{"$bigint": "<decimal digits>"}`
 * - a MessagePack extension: `{"$ext": <type>, "data": "<base64>"}`
 * - a CBOR tag without a JavaScript type: `{"$tag": <number>, "value": <value>}`
 * - a map: an object; non-string keys are written as their JSON text ("1", "true")
 * - a date (MessagePack timestamp, CBOR tags 0/1): its ISO 8601 text
 * - undefined (CBOR): null; NaN and infinities: the strings "NaN", "Infinity", "-Infinity"
 */
import { l10n } from '../../shared/l10n';

/** Nesting deeper than this is refused instead of risking the host's stack. */
export const MAX_DEPTH = 512;

export class JsonValueError extends Error {
  override name = 'JsonValueError';
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** A CBOR tag as cbor-x returns it for tags it has no type for. */
function isTag(value: object): value is { tag: number; value: unknown } {
  return value.constructor?.name === 'Tag' && 'tag' in value && 'value' in value;
}

/** A MessagePack extension as @msgpack/msgpack returns it. */
function isExt(value: object): value is { type: number; data: Uint8Array } {
  return value.constructor?.name === 'ExtData' && 'type' in value && 'data' in value && value.data instanceof Uint8Array;
}

function keyText(key: unknown, depth: number): string {
  if (typeof key === 'string') return key;
  return JSON.stringify(toJsonValue(key, depth + 1));
}

/** A decoded value as plain JSON data, in the forms above. */
export function toJsonValue(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new JsonValueError(l10n.t('nested deeper than {0} levels', MAX_DEPTH));
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : { $bigint: value.toString() };
    case 'undefined':
      return null;
    case 'object': {
      if (value === null) return null;
      if (value instanceof Uint8Array) return { $bytes: base64(value) };
      if (ArrayBuffer.isView(value)) return { $bytes: base64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
      if (Array.isArray(value)) return value.map((item) => toJsonValue(item, depth + 1));
      if (value instanceof Set) return [...value].map((item) => toJsonValue(item, depth + 1));
      if (value instanceof Map) {
        const out: Record<string, unknown> = {};
        for (const [key, item] of value) defineKey(out, keyText(key, depth), toJsonValue(item, depth + 1));
        return out;
      }
      if (isExt(value)) return { $ext: value.type, data: base64(value.data) };
      if (isTag(value)) return { $tag: value.tag, value: toJsonValue(value.value, depth + 1) };
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) defineKey(out, key, toJsonValue(item, depth + 1));
      return out;
    }
    default:
      throw new JsonValueError(l10n.t('cannot show a {0} as JSON', typeof value));
  }
}

/** Sets a key as data even when it is "__proto__", so a hostile map cannot change a prototype. */
function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** What fromJsonValue makes of a special form; the codec turns each into its wire type. */
export interface WireForms {
  bytes(data: Uint8Array): unknown;
  bigint(value: bigint): unknown;
  ext(type: number, data: Uint8Array): unknown;
  tag(tag: number, value: unknown): unknown;
}

function isBase64(text: string): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(text) && text.length % 4 === 0;
}

/**
 * JSON data as the value an encoder writes, reading the forms above back; `path` names the
 * place of a mistake ("$.items[2]: ...").
 */
export function fromJsonValue(value: unknown, forms: WireForms, path = '$', depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new JsonValueError(l10n.t('{0}: nested deeper than {1} levels', path, MAX_DEPTH));
  if (Array.isArray(value)) return value.map((item, i) => fromJsonValue(item, forms, `${path}[${i}]`, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === '$bytes') {
    const text = record.$bytes;
    if (typeof text !== 'string' || !isBase64(text)) throw new JsonValueError(l10n.t('{0}.$bytes: expected base64 text', path));
    return forms.bytes(new Uint8Array(Buffer.from(text, 'base64')));
  }
  if (keys.length === 1 && keys[0] === '$bigint') {
    const text = record.$bigint;
    if (typeof text !== 'string' || !/^-?\d+$/.test(text)) throw new JsonValueError(l10n.t('{0}.$bigint: expected a string of decimal digits', path));
    return forms.bigint(BigInt(text));
  }
  if (keys.length === 2 && '$ext' in record && 'data' in record) {
    const type = record.$ext;
    const data = record.data;
    if (typeof type !== 'number' || !Number.isInteger(type) || type < -128 || type > 127) {
      throw new JsonValueError(l10n.t('{0}.$ext: expected an extension type from -128 to 127', path));
    }
    if (typeof data !== 'string' || !isBase64(data)) throw new JsonValueError(l10n.t('{0}.data: expected base64 text', path));
    return forms.ext(type, new Uint8Array(Buffer.from(data, 'base64')));
  }
  if (keys.length === 2 && '$tag' in record && 'value' in record) {
    const tag = record.$tag;
    if (typeof tag !== 'number' || !Number.isInteger(tag) || tag < 0) throw new JsonValueError(l10n.t('{0}.$tag: expected a tag number', path));
    return forms.tag(tag, fromJsonValue(record.value, forms, `${path}.value`, depth + 1));
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) defineKey(out, key, fromJsonValue(record[key], forms, `${path}.${key}`, depth + 1));
  return out;
}
