import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuery, withQuery } from '../../src/shared/queryParams';

describe('query parameters', () => {
  it('parses and decodes, keeping order and repeated names', () => {
    assert.deepEqual(parseQuery('wss://h/p?a=1&b=x%20y&a=2&flag&c=d%3De#frag'), [
      { name: 'a', value: '1' },
      { name: 'b', value: 'x y' },
      { name: 'a', value: '2' },
      { name: 'flag', value: '' },
      { name: 'c', value: 'd=e' },
    ]);
    assert.deepEqual(parseQuery('ws://h/'), []);
    assert.deepEqual(parseQuery('ws://h/?bad=%E0%A4%A'), [{ name: 'bad', value: '%E0%A4%A' }]);
  });

  it('writes the table back, encoding values but not variable references', () => {
    assert.equal(
      withQuery('wss://h/p?old=1#frag', [
        { name: 'room', value: 'a b&c' },
        { name: 'token', value: '{{token}}' },
        { name: '', value: '' },
      ]),
      'wss://h/p?room=a%20b%26c&token={{token}}#frag',
    );
    assert.equal(withQuery('ws://h/?a=1', []), 'ws://h/');
  });

  it('round-trips', () => {
    const url = 'ws://h/?q=%C3%A9t%C3%A9&x=1';
    assert.equal(withQuery(url, parseQuery(url)), url);
  });
});
