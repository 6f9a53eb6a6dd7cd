/**
 * Fuzzing the host's door for webview messages: 10,000 random and malformed messages, each
 * refused by parseFromWebview (so the panel takes no action) without a throw, without touching
 * the input and without polluting any prototype. Seeded, so a failure can be replayed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Connection } from '../../src/core/connection';
import { parseFromWebview } from '../../src/shared/protocol';

const SEED = 0x5eed7;
const COUNT = 10_000;

/** mulberry32: small, fast, good enough to spread inputs. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | undefined | Json[] | { [key: string]: Json };

const params = { url: 'ws://h/', protocols: ['chat'], headers: [{ name: 'A', value: 'b' }] };
/** One well-formed message of each kind; mutants of these must all be refused. */
const VALID: Record<string, Json>[] = [
  { type: 'ready' },
  { type: 'connect', requestId: 1, params },
  { type: 'disconnect', requestId: 2 },
  { type: 'send', requestId: 3, format: 'hex', body: 'de ad' },
  { type: 'control', requestId: 4, frame: 'ping', payload: '' },
  { type: 'close', requestId: 5, code: 4000, reason: 'bye', advancedConfirmed: false },
  { type: 'saveEndpoint', requestId: 6, params, name: 'n', collection: 'c' },
  { type: 'renameEndpoint', requestId: 7, endpointId: 'id' },
  { type: 'deleteEndpoint', requestId: 8, endpointId: 'id' },
  { type: 'clearLog' },
  { type: 'saveAsFlow', filter: { text: 'x', regex: true, direction: 'any', frame: 'lifecycle', event: '' } },
];
const TYPES = new Set(VALID.map((m) => m.type));
const NASTY_STRINGS = [
  '', ' ', '__proto__', 'constructor', 'prototype', 'READY', 'ready ', 'toString', '\u0000', '\u202Eydaer',
  '<img src=x onerror=alert(1)>', 'javascript:alert(1)', '💥', 'x'.repeat(10_000),
];
const LIMITS: Record<string, number> = { url: 8192, payload: 4096, reason: 4096, name: 200, collection: 200, endpointId: 100 };

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

function randomString(rand: () => number): string {
  if (rand() < 0.5) return pick(rand, NASTY_STRINGS);
  const length = Math.floor(rand() * 20);
  let out = '';
  for (let i = 0; i < length; i++) out += String.fromCodePoint(Math.floor(rand() * 0x2fff));
  return out;
}

/** Any JSON-like value; its `type` key, if any, is never one of ours. */
function randomValue(rand: () => number, depth = 0): Json {
  const roll = rand();
  if (depth > 3 || roll < 0.3) {
    return pick(rand, [null, undefined, true, false, 0, -1, 1.5, NaN, Infinity, -0, 2 ** 53, randomString(rand)]);
  }
  if (roll < 0.55) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
  const object: Record<string, Json> = {};
  for (let i = Math.floor(rand() * 5); i > 0; i--) object[randomString(rand)] = randomValue(rand, depth + 1);
  if (typeof object.type === 'string' && TYPES.has(object.type)) object.type = `${object.type}!`;
  return object;
}

/** A value of another JSON type than `value`, so the schema must refuse it in that place. */
function wrongType(rand: () => number, value: Json): Json {
  const others: Json[] = [null, true, 42, -1, 0.5, 'text', [], {}, [1, 2], { a: 1 }].filter(
    (candidate) => kindOf(candidate) !== kindOf(value),
  );
  return pick(rand, others);
}

function kindOf(value: Json): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

/** A mutant of a valid message that breaks exactly one rule. */
function mutant(rand: () => number, base: Record<string, Json>): Json {
  const keys = Object.keys(base).filter((k) => k !== 'type');
  const strategy = Math.floor(rand() * 7);
  switch (strategy) {
    case 0:
      return randomValue(rand);
    case 1: {
      let type = randomString(rand);
      if (TYPES.has(type)) type += '?';
      base.type = rand() < 0.2 ? wrongType(rand, 'x') : type;
      return base;
    }
    case 2:
      if (keys.length === 0) return { ...base, type: undefined };
      delete base[pick(rand, keys)];
      return base;
    case 3: {
      if (keys.length === 0) return [base];
      const key = pick(rand, keys);
      const value = base[key]!;
      // requestId and code: also numbers that are not acceptable ids.
      base[key] = key === 'requestId' && rand() < 0.5 ? pick(rand, [-1, 1.5, NaN, Infinity]) : wrongType(rand, value);
      return base;
    }
    case 4: {
      const limited = keys.filter((k) => k in LIMITS);
      if (limited.length === 0) return { type: 'connect', requestId: -1, params: 'x' };
      const key = pick(rand, limited);
      base[key] = 'y'.repeat(LIMITS[key]! + 1 + Math.floor(rand() * 10));
      return base;
    }
    case 5: {
      if (!('params' in base)) return { ...base, type: 'send', requestId: 0, format: 'xml', body: '' };
      const broken: Record<string, Json> = { ...params };
      const part = pick(rand, ['url', 'protocols', 'headers'] as const);
      if (part === 'headers') broken.headers = [pick(rand, [{ name: 1, value: 'v' }, { name: 'n' }, 'A: b', null])];
      else if (part === 'protocols') broken.protocols = rand() < 0.5 ? 'chat' : [1];
      else broken.url = rand() < 0.5 ? 42 : 'u'.repeat(8193);
      base.params = broken;
      return base;
    }
    default:
      // Enumerations outside their sets.
      if (base.type === 'send') base.format = pick(rand, ['xml', 'TEXT', '', 'binary']);
      else if (base.type === 'control') base.frame = pick(rand, ['close', 'PING', '']);
      else if (base.type === 'close') base.advancedConfirmed = pick(rand, ['true', 1, null]);
      else return JSON.stringify(base);
      return base;
  }
}

describe('webview messages: fuzz', () => {
  it(`refuses ${COUNT.toLocaleString('en-US')} random and malformed messages without a throw (seed ${SEED})`, () => {
    const rand = random(SEED);
    const strategies = new Map<string, number>();
    for (let i = 0; i < COUNT; i++) {
      const from = pick(rand, VALID);
      const message = mutant(rand, structuredClone(from));
      const before = JSON.stringify(message);
      let parsed: unknown;
      try {
        parsed = parseFromWebview(message);
      } catch (error) {
        assert.fail(`message #${i} threw ${String(error)}: ${before?.slice(0, 300)}`);
      }
      assert.equal(parsed, undefined, `message #${i} was accepted: ${before?.slice(0, 300)}`);
      assert.equal(JSON.stringify(message), before, `message #${i} was changed by parsing`);
      const label = String(from.type);
      strategies.set(label, (strategies.get(label) ?? 0) + 1);
    }
    // The fuzz reached every message type.
    for (const type of TYPES) assert.ok((strategies.get(String(type)) ?? 0) > 100, `few mutants of ${String(type)}`);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf({}), Object.prototype);
  });

  it('what the schema lets through cannot make a Connection throw or act when not open', () => {
    const rand = random(SEED + 1);
    const connection = new Connection({ url: 'ws://127.0.0.1:9/', protocols: [], headers: [] }, { handshakeTimeoutMs: 1000, maxPayload: 1024 });
    let actions = 0;
    connection.onEntry(() => (actions += 1));
    for (let i = 0; i < 2000; i++) {
      const body = randomString(rand);
      const code = pick(rand, [1000, 1005, 1006, 0, -1, 65536, 4999, 3000, NaN, 1.5]);
      const results = [
        connection.send(pick(rand, ['text', 'json', 'hex', 'base64'] as const), body),
        connection.control(pick(rand, ['ping', 'pong'] as const), body),
        connection.close(code, body, rand() < 0.5),
      ];
      for (const result of results) assert.equal(result.ok, false);
    }
    connection.disconnect();
    assert.equal(actions, 0, 'a refused message still produced a log entry');
    assert.equal(connection.state.readyState, 'CLOSED');
    connection.dispose();
  });
});
