import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkConnectionParams,
  checkHeaders,
  checkSubprotocols,
  checkUrl,
  parseSubprotocols,
} from '../../src/shared/validation';

function urlError(input: string): string {
  const result = checkUrl(input);
  assert.equal(result.ok, false, `${input} should be refused`);
  return (result as { error: string }).error;
}

function headersError(rows: { name: string; value: string }[]): { error: string; index: number } {
  const result = checkHeaders(rows);
  assert.equal(result.ok, false);
  const { error, index } = result as { error: string; index: number };
  return { error, index };
}

describe('checkUrl', () => {
  test('accepts ws and wss URLs, trimmed and normalized', () => {
    assert.deepEqual(checkUrl('  ws://localhost:8080/chat?room=1  '), { ok: true, url: 'ws://localhost:8080/chat?room=1' });
    assert.deepEqual(checkUrl('WSS://Example.COM'), { ok: true, url: 'wss://example.com/' });
    assert.deepEqual(checkUrl('ws://127.0.0.1'), { ok: true, url: 'ws://127.0.0.1/' });
    assert.deepEqual(checkUrl('ws://[::1]:9000/'), { ok: true, url: 'ws://[::1]:9000/' });
    assert.deepEqual(checkUrl('wss://example.com:443/x'), { ok: true, url: 'wss://example.com/x' });
    assert.deepEqual(checkUrl('ws://user:pw@host/'), { ok: true, url: 'ws://user:pw@host/' });
  });

  test('empty input asks for a URL', () => {
    assert.equal(urlError('   '), 'Enter a ws:// or wss:// URL');
  });

  test('unparsable input is refused', () => {
    assert.match(urlError('example.com/socket'), /^"example\.com\/socket" is not a valid URL; WebSocket URLs look like ws:\/\//);
    assert.match(urlError('ws://'), /is not a valid URL/);
    assert.match(urlError('ws://exa mple.com'), /is not a valid URL/);
  });

  test('http and https suggest the matching WebSocket scheme', () => {
    assert.equal(urlError('http://example.com/'), 'http:// is not a WebSocket URL; use ws:// instead');
    assert.equal(urlError('https://example.com/'), 'https:// is not a WebSocket URL; use wss:// instead');
  });

  test('other schemes are refused', () => {
    assert.equal(urlError('ftp://example.com/'), 'ftp: URLs cannot be opened; a WebSocket connects only ws:// and wss:// URLs');
    assert.match(urlError('localhost:8080'), /^localhost: URLs cannot be opened; .*only ws:\/\/ and wss:\/\/ URLs$/);
    assert.match(urlError('file:///tmp/x'), /only ws:\/\/ and wss:\/\/ URLs/);
  });

  test('fragments are refused, even an empty one', () => {
    const message = 'URLs with a fragment (#...) are not allowed in WebSocket handshakes (RFC 6455 §3)';
    assert.equal(urlError('ws://example.com/#top'), message);
    assert.equal(urlError('ws://example.com/path?q=1#'), message);
    // An encoded # is part of the path, not a fragment.
    assert.deepEqual(checkUrl('ws://example.com/a%23b'), { ok: true, url: 'ws://example.com/a%23b' });
  });
});

describe('parseSubprotocols', () => {
  test('splits on commas, trims and drops empty items', () => {
    assert.deepEqual(parseSubprotocols(' graphql-ws , mqtt,,v2.json.example ,'), { ok: true, protocols: ['graphql-ws', 'mqtt', 'v2.json.example'] });
    assert.deepEqual(parseSubprotocols(''), { ok: true, protocols: [] });
    assert.deepEqual(parseSubprotocols(' , '), { ok: true, protocols: [] });
    assert.deepEqual(parseSubprotocols("a!#$%&'*+-.^_`|~9"), { ok: true, protocols: ["a!#$%&'*+-.^_`|~9"] });
  });

  test('names must be HTTP tokens; the offending character is named', () => {
    assert.deepEqual(parseSubprotocols('chat, my proto'), {
      ok: false,
      error: `"my proto" is not a valid subprotocol name: it contains a space; only letters, digits and !#$%&'*+-.^_\`|~ are allowed`,
    });
    assert.match((parseSubprotocols('a/b') as { error: string }).error, /^"a\/b" is not a valid subprotocol name: it contains "\/"/);
    assert.match((parseSubprotocols('é') as { error: string }).error, /it contains "é"/);
    assert.match((parseSubprotocols('a\u0001') as { error: string }).error, /it contains U\+0001/);
    for (const bad of ['a;b', 'a"b', '(x)', 'a=b', '{x}', 'x@y']) assert.equal(parseSubprotocols(bad).ok, false, bad);
  });

  test('duplicates are refused (names compare exactly)', () => {
    assert.deepEqual(parseSubprotocols('chat, chat'), { ok: false, error: 'The subprotocol "chat" is listed twice' });
    assert.deepEqual(parseSubprotocols('chat, Chat'), { ok: true, protocols: ['chat', 'Chat'] });
  });

  test('checkSubprotocols applies the same rules to a list', () => {
    assert.deepEqual(checkSubprotocols([' a ', '', 'b']), { ok: true, protocols: ['a', 'b'] });
    assert.equal(checkSubprotocols(['a,b']).ok, false);
    assert.equal(checkSubprotocols(['a', 'a']).ok, false);
  });
});

describe('checkHeaders', () => {
  test('keeps valid rows, trims, and drops fully empty rows', () => {
    assert.deepEqual(
      checkHeaders([
        { name: ' Authorization ', value: '  Bearer abc\t' },
        { name: '', value: '' },
        { name: '  ', value: ' ' },
        { name: 'X-Empty', value: '' },
        { name: 'X-Tab', value: 'a\tb' },
        { name: 'X-Latin1', value: 'café' },
      ]),
      {
        ok: true,
        headers: [
          { name: 'Authorization', value: 'Bearer abc' },
          { name: 'X-Empty', value: '' },
          { name: 'X-Tab', value: 'a\tb' },
          { name: 'X-Latin1', value: 'café' },
        ],
      },
    );
    assert.deepEqual(checkHeaders([]), { ok: true, headers: [] });
  });

  test('a value without a name is refused at its row', () => {
    assert.deepEqual(headersError([{ name: 'A', value: '1' }, { name: ' ', value: 'x' }]), { index: 1, error: 'This header has a value but no name' });
  });

  test('names must be HTTP tokens', () => {
    assert.deepEqual(headersError([{ name: 'X Custom', value: '1' }]), {
      index: 0,
      error: `"X Custom" is not a valid header name: it contains a space; only letters, digits and !#$%&'*+-.^_\`|~ are allowed`,
    });
    assert.match(headersError([{ name: 'X:Y', value: '1' }]).error, /it contains ":"/);
    assert.match(headersError([{ name: ':authority', value: 'x' }]).error, /not a valid header name/);
  });

  test('values with CR, LF, NUL or other controls are refused (header injection)', () => {
    assert.deepEqual(headersError([{ name: 'X-A', value: 'ok' }, { name: 'X-B', value: 'a\r\nEvil: 1' }]), {
      index: 1,
      error: 'The value of "X-B" contains a carriage return (CR) at position 2',
    });
    assert.equal(headersError([{ name: 'X', value: 'a\nb' }]).error, 'The value of "X" contains a line feed (LF) at position 2');
    assert.equal(headersError([{ name: 'X', value: 'a\u0000' }]).error, 'The value of "X" contains a NUL character at position 2');
    assert.equal(headersError([{ name: 'X', value: 'a\u001bb' }]).error, 'The value of "X" contains the control character U+001B at position 2');
    assert.equal(headersError([{ name: 'X', value: '\u007f' }]).error, 'The value of "X" contains the control character U+007F at position 1');
  });

  test('characters beyond Latin-1 are refused (Node would throw on them)', () => {
    assert.equal(headersError([{ name: 'X', value: 'a€' }]).error, 'The value of "X" contains "€" (U+20AC) at position 2, which is not a Latin-1 character');
    assert.match(headersError([{ name: 'X', value: '😀' }]).error, /"😀" \(U\+1F600\) at position 1/);
  });

  test('headers the handshake manages are refused with the reason, in any case', () => {
    const managed: [string, RegExp][] = [
      ['Host', /^Host is set from the URL; it cannot be set here$/],
      ['connection', /^Connection is part of the WebSocket handshake/],
      ['UPGRADE', /^Upgrade is part of the WebSocket handshake/],
      ['Sec-WebSocket-Key', /^Sec-WebSocket-Key is generated/],
      ['sec-websocket-version', /^Sec-WebSocket-Version is always 13/],
      ['Sec-WebSocket-Extensions', /^Sec-WebSocket-Extensions is negotiated/],
      ['Sec-WebSocket-Protocol', /use the Subprotocols field/],
      ['Content-Length', /^Content-Length does not apply/],
      ['Transfer-Encoding', /^Transfer-Encoding does not apply/],
    ];
    for (const [name, reason] of managed) {
      const { error, index } = headersError([{ name: 'X-Ok', value: '1' }, { name, value: 'x' }]);
      assert.equal(index, 1);
      assert.match(error, reason, name);
    }
  });

  test('duplicate names are refused case-insensitively', () => {
    assert.deepEqual(headersError([{ name: 'X-Id', value: '1' }, { name: '', value: '' }, { name: 'x-id', value: '2' }]), {
      index: 2,
      error: 'The header "x-id" is listed twice',
    });
  });
});

describe('checkConnectionParams', () => {
  test('returns normalized parameters', () => {
    assert.deepEqual(
      checkConnectionParams({
        url: ' ws://Example.com ',
        protocols: [' chat ', ''],
        headers: [{ name: 'X-A', value: ' 1 ' }, { name: '', value: '' }],
      }),
      { ok: true, params: { url: 'ws://example.com/', protocols: ['chat'], headers: [{ name: 'X-A', value: '1' }] } },
    );
  });

  test('reports the first failing field', () => {
    assert.deepEqual(checkConnectionParams({ url: 'http://x', protocols: ['a b'], headers: [{ name: 'Host', value: 'x' }] }), {
      ok: false,
      field: 'url',
      error: 'http:// is not a WebSocket URL; use ws:// instead',
    });
    const protocols = checkConnectionParams({ url: 'ws://x', protocols: ['a', 'a'], headers: [{ name: 'Host', value: 'x' }] });
    assert.deepEqual(protocols, { ok: false, field: 'protocols', error: 'The subprotocol "a" is listed twice' });
    const headers = checkConnectionParams({ url: 'ws://x', protocols: ['a'], headers: [{ name: 'Host', value: 'x' }] });
    assert.deepEqual(headers, { ok: false, field: 'headers', error: 'Host is set from the URL; it cannot be set here' });
  });
});
