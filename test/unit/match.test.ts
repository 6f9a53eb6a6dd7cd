import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJsonPath, readJsonPath } from '../../src/shared/jsonPath';
import { compileMatch, describeObserved, isSubset, observedValue, type CompiledMatch, type Observed } from '../../src/shared/match';

const enc = new TextEncoder();
const text = (value: string): Observed => ({ kind: 'text', text: value });
const binary = (...bytes: number[]): Observed => ({ kind: 'binary', bytes: Uint8Array.from(bytes) });

function matcher(input: unknown): CompiledMatch {
  const result = compileMatch(input);
  if (!result.ok) throw new Error(`${result.field}: ${result.error}`);
  return result.matcher;
}

describe('isSubset', () => {
  it('objects: every expected key present and matching, extra keys allowed', () => {
    assert.ok(isSubset({ a: 1 }, { a: 1, b: 2 }));
    assert.ok(isSubset({ a: { b: [1] } }, { a: { b: [1, 2], c: 3 } }));
    assert.ok(!isSubset({ a: 1, b: 2 }, { a: 1 }));
    assert.ok(!isSubset({ a: undefined }, {}), 'a missing key never matches');
    assert.ok(!isSubset({ a: {} }, { a: [] }), 'an array is not an object');
    assert.ok(!isSubset({ a: 1 }, null));
  });

  it('arrays: element by element from the start; the actual may be longer', () => {
    assert.ok(isSubset([1, 2], [1, 2, 3]));
    assert.ok(!isSubset([2], [1, 2]));
    assert.ok(!isSubset([1, 2, 3], [1, 2]));
    assert.ok(isSubset([], [1]));
    assert.ok(isSubset([{ id: 1 }], [{ id: 1, name: 'x' }]));
  });

  it('scalars are equal; types are not coerced', () => {
    assert.ok(isSubset('a', 'a'));
    assert.ok(isSubset(null, null));
    assert.ok(isSubset(1, 1.0));
    assert.ok(!isSubset(1, '1'));
    assert.ok(!isSubset(false, 0));
    assert.ok(!isSubset(null, {}));
  });
});

describe('compileMatch', () => {
  it('text, contains and regex match text messages only', () => {
    assert.ok(matcher({ text: 'hello' }).test(text('hello')));
    assert.ok(!matcher({ text: 'hello' }).test(text('hello!')));
    assert.ok(matcher({ contains: 'ell' }).test(text('hello')));
    assert.ok(!matcher({ contains: 'ell' }).test(binary(0x65, 0x6c, 0x6c)));
    assert.ok(matcher({ regex: '^h.*o$' }).test(text('hello')));
    assert.ok(!matcher({ regex: '^h.*o$' }).test(text('hello!')));
  });

  it('json: the text parses and contains the subset', () => {
    const m = matcher({ json: { type: 'welcome', user: { id: 7 } } });
    assert.ok(m.test(text('{"type":"welcome","user":{"id":7,"name":"ann"},"t":1}')));
    assert.ok(!m.test(text('{"type":"welcome","user":{"id":8}}')));
    assert.ok(!m.test(text('not json')));
    assert.ok(matcher({ json: 3 }).test(text('3')));
  });

  it('hex: the exact bytes (a binary message, or a text message\'s UTF-8)', () => {
    assert.ok(matcher({ hex: 'de ad' }).test(binary(0xde, 0xad)));
    assert.ok(!matcher({ hex: 'de ad' }).test(binary(0xde, 0xad, 0x00)));
    assert.ok(matcher({ hex: '68 69' }).test(text('hi')));
  });

  it('pong, close, event and ack', () => {
    assert.ok(matcher({ pong: 'p1' }).test({ kind: 'pong', bytes: enc.encode('p1') }));
    assert.ok(!matcher({ pong: 'p1' }).test({ kind: 'pong', bytes: enc.encode('p2') }));
    assert.ok(matcher({ close: { code: 4001 } }).test({ kind: 'close', code: 4001, reason: 'any' }));
    assert.ok(!matcher({ close: { code: 4001, reason: 'bye' } }).test({ kind: 'close', code: 4001, reason: 'other' }));
    assert.ok(matcher({ event: 'chat', args: [{ from: 'ann' }] }).test({ kind: 'event', name: 'chat', args: [{ from: 'ann', text: 'hi' }, 2] }));
    assert.ok(!matcher({ event: 'chat', args: [{ from: 'bob' }] }).test({ kind: 'event', name: 'chat', args: [{ from: 'ann' }] }));
    assert.ok(matcher({ event: 'chat' }).test({ kind: 'event', name: 'chat', args: [] }));
    assert.ok(!matcher({ event: 'chat' }).test({ kind: 'event', name: 'news', args: [] }));
    assert.ok(matcher({ ack: ['ok'] }).test({ kind: 'ack', args: ['ok', 1] }));
    assert.ok(!matcher({ ack: ['ok'] }).test(text('["ok"]')));
  });

  it('refuses mistakes with the field and the reason', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ regex: '(' }, 'regex', /does not compile/],
      [{ hex: 'zz' }, 'hex', /Invalid character/],
      [{ hex: 'abc' }, 'hex', /odd number of hex digits/],
      [{ text: 3 }, 'text', /expected a string/],
      [{ close: { code: 'x' } }, 'close.code', /close code/],
      [{ event: 'chat', args: 'x' }, 'args', /list of arguments/],
      [{ close: 4001 }, 'close', /"code"/],
      [{ contains: 'a', text: 'b' }, 'contains', /unknown key "contains" beside "text"/],
      [{ equals: 'a' }, '', /expected one of "text", "contains"/],
      ['text', '', /expected one of/],
    ];
    for (const [input, field, error] of cases) {
      const result = compileMatch(input);
      assert.equal(result.ok, false, JSON.stringify(input));
      if (result.ok) continue;
      if (field) assert.equal(result.field, field, JSON.stringify(input));
      assert.match(result.error, error, JSON.stringify(input));
    }
  });

  it('describes matches and what arrived, for reports', () => {
    assert.equal(matcher({ contains: 'ok' }).description, 'text containing "ok"');
    assert.equal(matcher({ close: { code: 4001, reason: 'bye' } }).description, 'close 4001 reason "bye"');
    assert.equal(matcher({ event: 'chat', args: [1] }).description, 'event "chat" with args [1]');
    assert.equal(describeObserved(binary(1, 2)), 'binary 2 B 01 02');
    assert.equal(describeObserved({ kind: 'close', code: 1000, reason: '' }), 'close 1000');
    assert.match(describeObserved(text('x'.repeat(500))), /… \(502 characters\)$/);
  });
});

describe('JSONPath captures', () => {
  it('reads keys, quoted keys and indexes', () => {
    const root = { data: { token: 't1', items: [{ id: 1 }, { id: 2 }], 'odd key': true } };
    const read = (path: string) => {
      const parsed = parseJsonPath(path);
      assert.ok(parsed.ok, path);
      return parsed.ok ? readJsonPath(root, parsed.steps) : undefined;
    };
    assert.deepEqual(read('$.data.token'), { found: true, value: 't1' });
    assert.deepEqual(read('$.data.items[1].id'), { found: true, value: 2 });
    assert.deepEqual(read('$.data.items[-1].id'), { found: true, value: 2 });
    assert.deepEqual(read("$.data['odd key']"), { found: true, value: true });
    assert.deepEqual(read('$["data"].token'), { found: true, value: 't1' });
    assert.deepEqual(read('$'), { found: true, value: root });
    assert.deepEqual(read('$.data.missing'), { found: false });
    assert.deepEqual(read('$.data.items[5]'), { found: false });
    assert.deepEqual(read('$.data.token.length'), { found: false }, 'a string has no keys');
  });

  it('refuses what it does not support, saying where', () => {
    for (const path of ['data.token', '$..token', '$.data[*]', '$.data[?(@.id)]', '$.', '$.data[']) {
      const parsed = parseJsonPath(path);
      assert.equal(parsed.ok, false, path);
    }
    const parsed = parseJsonPath('$.a..b');
    assert.ok(!parsed.ok && /position 4/.test(parsed.error));
  });

  it('a message\'s value: JSON text parsed, event args, close code and reason', () => {
    assert.deepEqual(observedValue(text('{"a":1}')), { a: 1 });
    assert.equal(observedValue(text('plain')), 'plain');
    assert.deepEqual(observedValue({ kind: 'event', name: 'e', args: [1, { b: 2 }] }), [1, { b: 2 }]);
    assert.deepEqual(observedValue({ kind: 'close', code: 4001, reason: 'x' }), { code: 4001, reason: 'x' });
    assert.equal(observedValue(binary(0xab)), 'ab');
  });
});
