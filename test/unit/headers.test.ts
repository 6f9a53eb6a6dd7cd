import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headerObject, headerPairs } from '../../src/core/headers';

describe('headerObject', () => {
  it('keeps the first spelling of a name and merges repeats (any case) into one multi-value header', () => {
    assert.deepEqual(
      headerObject([
        { name: 'X-Tag', value: 'a' },
        { name: 'Authorization', value: 'Bearer t' },
        { name: 'x-tag', value: 'b' },
      ]),
      { 'X-Tag': ['a', 'b'], Authorization: 'Bearer t' },
    );
    assert.deepEqual(headerObject([]), {});
  });
});

describe('headerPairs', () => {
  it("pairs Node's raw header list in order and spelling, ignoring a dangling name", () => {
    assert.deepEqual(headerPairs(['Content-Type', 'text/plain', 'set-cookie', 'a=1', 'Set-Cookie', 'b=2']), [
      ['Content-Type', 'text/plain'],
      ['set-cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
    ]);
    assert.deepEqual(headerPairs(['Lonely']), []);
  });
});
