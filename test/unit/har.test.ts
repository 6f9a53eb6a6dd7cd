// HAR export and import (src/core/har): the Chrome DevTools form we write, the Chrome, Firefox and
// HTTP Toolkit files we read (hand-written fixtures in test/fixtures/har), secrets and cookies
// stripped, a round trip with identical messages, and hostile files refused with the reason.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jsonDepth, MAX_HAR_BYTES, readHar, type HarImportOptions } from '../../src/core/har/harReader';
import { sessionsFromLog, writeHar, type HarSession } from '../../src/core/har/harWriter';
import { checkFlows } from '../../src/shared/flows';
import type { HandshakeDetails, LogEntry } from '../../src/shared/protocol';
import { creator, fixture, importOptions } from './helpers/har';

function imported(text: string, extra: Partial<HarImportOptions> = {}) {
  const result = readHar(text, importOptions(extra));
  if (!result.ok) assert.fail(result.error);
  return result.value;
}

function refused(text: string): string {
  const result = readHar(text, importOptions());
  assert.equal(result.ok, false, 'the file should be refused');
  return (result as { ok: false; error: string }).error;
}

let nextId = 0;
function message(direction: 'sent' | 'received', time: number, payload: LogEntry['payload']): LogEntry {
  nextId += 1;
  const frame = payload!.kind === 'binary' ? 'binary' : 'text';
  return { id: nextId, time, kind: 'message', direction, frame, size: 0, payload };
}

const handshake: HandshakeDetails = {
  requestLine: 'GET /feed?token=t0ps3cret HTTP/1.1',
  requestHeaders: [
    ['Host', 'api.example.com'],
    ['Sec-WebSocket-Key', 'abc=='],
    ['Cookie', 'sid=1; theme=dark'],
    ['Authorization', 'Bearer ••••••'],
    ['Sec-WebSocket-Protocol', 'chat.v1'],
  ],
  statusCode: 101,
  statusMessage: 'Switching Protocols',
  responseHeaders: [
    ['Upgrade', 'websocket'],
    ['Set-Cookie', 'sid=2; Path=/; HttpOnly'],
  ],
  acceptValid: true,
};

describe('HAR export (Chrome DevTools form)', () => {
  const session: HarSession = {
    url: 'wss://api.example.com/feed?token=t0ps3cret',
    startedAt: Date.parse('2026-12-01T08:00:00.000Z'),
    handshake,
    timing: { dnsMs: 2, tcpMs: 5, tlsMs: 7, upgradeMs: 11, totalMs: 25 },
    remoteAddress: '198.51.100.4',
    entries: [
      { time: Date.parse('2026-12-01T08:00:00.025Z'), kind: 'open', direction: 'none', size: 0, detail: 'Connected' },
      message('sent', Date.parse('2026-12-01T08:00:00.500Z'), { kind: 'text', text: '{"auth":"t0ps3cret"}' }),
      message('received', Date.parse('2026-12-01T08:00:00.625Z'), { kind: 'binary', base64: 'AAEC/v8=' }),
      { time: Date.parse('2026-12-01T08:00:01Z'), kind: 'ping', direction: 'sent', frame: 'binary', size: 0, payload: { kind: 'binary', base64: '' } },
    ],
  };

  test('the handshake is the entry; messages have type, time in epoch seconds, opcode and base64 for binary', () => {
    const { har, messages, text } = writeHar([session], { creator, secrets: [{ name: 'token', value: 't0ps3cret' }] });
    assert.equal(har.log.version, '1.2');
    assert.equal(messages, 2);
    const entry = har.log.entries[0]!;
    assert.equal(entry._resourceType, 'websocket');
    assert.equal(entry.request.method, 'GET');
    assert.equal(entry.request.httpVersion, 'HTTP/1.1');
    assert.equal(entry.response.status, 101);
    assert.equal(entry.startedDateTime, '2026-12-01T08:00:00.000Z');
    assert.deepEqual(entry.timings, { blocked: -1, dns: 2, connect: 12, ssl: 7, send: 0, wait: 11, receive: 0 });
    assert.equal(entry.time, 25);
    assert.equal(entry.serverIPAddress, '198.51.100.4');
    assert.deepEqual(entry._webSocketMessages, [
      { type: 'send', time: Date.parse('2026-12-01T08:00:00.500Z') / 1000, opcode: 1, data: '{"auth":"{{token}}"}' },
      { type: 'receive', time: Date.parse('2026-12-01T08:00:00.625Z') / 1000, opcode: 2, data: 'AAEC/v8=' },
    ]);
    assert.equal(JSON.parse(text).log.entries.length, 1);
  });

  test('secrets and cookies are stripped by default, and the notes say what was stripped', () => {
    const { har, notes, text } = writeHar([session], { creator, secrets: [{ name: 'token', value: 't0ps3cret' }] });
    const entry = har.log.entries[0]!;
    assert.doesNotMatch(text, /t0ps3cret/);
    assert.equal(entry.request.url, 'wss://api.example.com/feed?token={{token}}');
    assert.deepEqual(entry.request.queryString, [{ name: 'token', value: '{{token}}' }]);
    assert.doesNotMatch(text, /sid=/);
    assert.deepEqual(entry.request.cookies, []);
    assert.deepEqual(entry.response.cookies, []);
    assert.deepEqual(entry.request.headers.map((h) => h.name), ['Host', 'Sec-WebSocket-Key', 'Authorization', 'Sec-WebSocket-Protocol']);
    assert.deepEqual(notes, [
      'Secret values replaced by their variable: {{token}} (2×).',
      '1 handshake header value hold a secret the connection recorded masked (••••••).',
      'Cookies removed: 2 Cookie / Set-Cookie headers.',
    ]);
  });

  test('--keep-cookies and --keep-secrets keep them (and the cookie lists are filled)', () => {
    const { har, notes, text } = writeHar([session], { creator, secrets: [{ name: 'token', value: 't0ps3cret' }], keepCookies: true, keepSecrets: true });
    const entry = har.log.entries[0]!;
    assert.match(text, /t0ps3cret/);
    assert.deepEqual(entry.request.cookies, [{ name: 'sid', value: '1' }, { name: 'theme', value: 'dark' }]);
    assert.deepEqual(entry.response.cookies, [{ name: 'sid', value: '2' }]);
    assert.deepEqual(notes, ['1 handshake header value hold a secret the connection recorded masked (••••••).']);
  });

  test('a panel log splits into one entry per connection; the latest one carries the handshake', () => {
    const log: LogEntry[] = [
      { id: 1, time: 1000, kind: 'open', direction: 'none', size: 0, detail: 'Connected to ws://before/path?k=•••••• (protocol "chat")' },
      message('sent', 1100, { kind: 'text', text: 'a' }),
      { id: 3, time: 1200, kind: 'close', direction: 'none', size: 0 },
      { id: 4, time: 2000, kind: 'open', direction: 'none', size: 0 },
      message('received', 2100, { kind: 'text', text: 'b' }),
    ];
    const sessions = sessionsFromLog(log, { url: 'ws://h/', handshake, timing: { totalMs: 30 } });
    assert.equal(sessions.length, 2);
    assert.equal(sessions[0]!.handshake, undefined);
    assert.equal(sessions[0]!.startedAt, 1000);
    assert.equal(sessions[1]!.handshake, handshake);
    assert.equal(sessions[1]!.startedAt, 1970);
    assert.deepEqual(sessions.map((s) => s.entries.length), [3, 2]);
    assert.deepEqual(sessions.map((s) => s.url), ['ws://before/path?k=••••••', 'ws://h/']);
    // A panel with no form URL (a flow run's) takes the latest open entry's.
    assert.equal(sessionsFromLog([{ id: 9, time: 5, kind: 'open', direction: 'none', size: 0, detail: 'Connected to ws://flow/' }], { url: '' })[0]!.url, 'ws://flow/');
  });
});

describe('HAR import', () => {
  test('Chrome: endpoint with URL, subprotocols, user headers without cookies or handshake headers; messages; a flow', () => {
    const { collection, logs, creator: made, notes } = imported(fixture('chrome.har'));
    assert.equal(made, 'WebInspector');
    assert.equal(collection.endpoints.length, 1, 'the document entry is not a WebSocket');
    const endpoint = collection.endpoints[0]!;
    assert.equal(endpoint.name, 'localhost:8765/echo');
    assert.equal(endpoint.url, 'ws://localhost:8765/echo?room=lobby');
    assert.deepEqual(endpoint.protocols, ['chat.v2', 'chat.v1']);
    assert.deepEqual(endpoint.headers.map((h) => h.name), ['Accept-Encoding', 'Accept-Language', 'Cache-Control', 'Origin', 'Pragma', 'User-Agent']);
    assert.deepEqual(endpoint.messages, [
      { name: '1. {"op":"subscribe","channel":"prices"}', format: 'json', body: '{"op":"subscribe","channel":"prices"}' },
      { name: '2. hello there', format: 'text', body: 'hello there' },
      { name: '3. binary', format: 'base64', body: 'AAEC/v8=' },
    ]);
    assert.deepEqual(notes, ['Cookies left out of 1 endpoint (keep them with --keep-cookies, or the "Keep cookies" choice).']);
    assert.equal(logs[0]!.entries.length, 6);
    assert.equal(logs[0]!.entries[0]!.time, 1764497702305.112);
    const flow = collection.flows![0]!;
    assert.equal(flow.name, 'Replay localhost:8765/echo');
    assert.deepEqual(flow.steps, [
      { name: 'Replays the exchange recorded in the HAR file', connect: 'localhost:8765/echo' },
      { send: { json: { op: 'subscribe', channel: 'prices' } } },
      { expect: { json: { op: 'subscribe', channel: 'prices' } } },
      { send: { text: 'hello there' } },
      { expect: { text: 'hello there' } },
      { send: { hex: '00 01 02 fe ff' } },
      { expect: { hex: '00 01 02 fe ff' } },
      { close: {} },
    ]);
    assert.equal(checkFlows(collection.flows, { endpoints: collection.endpoints }).ok, true);
  });

  test('Chrome with "keep cookies": the Cookie header stays', () => {
    const { collection, notes } = imported(fixture('chrome.har'), { keepCookies: true });
    assert.equal(collection.endpoints[0]!.headers.find((h) => h.name === 'Cookie')?.value, 'session=abc123; theme=dark');
    assert.deepEqual(notes, []);
  });

  test('Firefox: an https URL becomes wss, a missing opcode is text, control frames are left out', () => {
    const { collection, logs, notes } = imported(fixture('firefox.har'));
    const endpoint = collection.endpoints[0]!;
    assert.equal(endpoint.url, 'wss://ticker.example.com/stream');
    assert.deepEqual(endpoint.protocols, ['v12.stomp']);
    assert.deepEqual(endpoint.headers.map((h) => h.name), ['User-Agent', 'Accept', 'Origin', 'Authorization']);
    assert.equal(endpoint.messages?.length, 2);
    assert.deepEqual(logs[0]!.entries.map((e) => `${e.direction} ${e.frame}`), ['sent text', 'received text', 'sent text', 'received text']);
    assert.match(notes.join('\n'), /1 control frame \(ping, pong, close\) left out/);
  });

  test('HTTP Toolkit: URL-safe unpadded base64 is read and kept canonical', () => {
    const { collection, logs } = imported(fixture('httptoolkit.har'));
    const endpoint = collection.endpoints[0]!;
    assert.equal(endpoint.url, 'wss://iot.example.net/devices/42');
    assert.deepEqual(endpoint.headers, [{ name: 'x-device-token', value: 'dev-42-token' }]);
    assert.deepEqual(logs[0]!.entries.map((e) => e.payload), [
      { kind: 'text', text: '{"cmd":"status"}' },
      { kind: 'text', text: '{"temp":21.5,"ok":true}' },
      { kind: 'binary', base64: 'AAEC/v8=' },
      { kind: 'binary', base64: '3q2+7w==' },
    ]);
    assert.equal(logs[0]!.entries[0]!.time, 1764495601300);
  });

  test('times in milliseconds and in seconds since the entry started are both read', () => {
    const har = (time: number) =>
      JSON.stringify({ log: { entries: [{ startedDateTime: '2026-01-01T00:00:00.000Z', request: { url: 'ws://h/' }, _webSocketMessages: [{ type: 'receive', time, data: 'x' }] }] } });
    assert.equal(imported(har(1767225600123)).logs[0]!.entries[0]!.time, 1767225600123);
    assert.equal(imported(har(1.5)).logs[0]!.entries[0]!.time, Date.parse('2026-01-01T00:00:01.500Z'));
  });

  test('identical sent messages are saved once; the flow replays each', () => {
    const text = JSON.stringify({
      log: { entries: [{ request: { url: 'ws://h/' }, _webSocketMessages: [{ type: 'send', data: 'ping' }, { type: 'send', data: 'ping' }] }] },
    });
    const { collection } = imported(text);
    assert.equal(collection.endpoints[0]!.messages?.length, 1);
    assert.equal(collection.flows![0]!.steps.filter((s) => 'send' in s).length, 2);
  });
});

describe('HAR round trip', () => {
  test('a HAR the extension writes imports back with identical messages', () => {
    const entries: LogEntry[] = [
      { id: 1, time: 1764576000000, kind: 'open', direction: 'none', size: 0 },
      message('sent', 1764576000123, { kind: 'text', text: '{"op":"hello","n":1}' }),
      message('received', 1764576000456, { kind: 'text', text: 'plain text with ünïcödé and \u0000 a NUL' }),
      message('sent', 1764576000789, { kind: 'binary', base64: 'AP8QIA==' }),
      message('received', 1764576001001, { kind: 'binary', base64: '' }),
      message('received', 1764576001002, { kind: 'text', text: '' }),
    ];
    const sessions = sessionsFromLog(entries, { url: 'ws://127.0.0.1:9/echo', handshake, timing: { tcpMs: 1, upgradeMs: 2, totalMs: 3 } });
    const { text } = writeHar(sessions, { creator });
    const result = imported(text);
    assert.deepEqual(result.notes, ['127.0.0.1:9/echo: the header "Authorization" left out: its value cannot be sent as it is (a masked secret?)']);
    const back = result.logs[0]!.entries;
    const shape = (e: LogEntry) => ({ time: e.time, direction: e.direction, frame: e.frame, payload: e.payload });
    assert.deepEqual(back.map(shape), entries.filter((e) => e.kind === 'message').map(shape));
  });
});

describe('hostile or broken HAR files are refused with the reason', () => {
  const base = (messages: unknown[]) => JSON.stringify({ log: { entries: [{ request: { url: 'ws://h/' }, _webSocketMessages: messages }] } });

  test('truncated', () => {
    assert.match(refused(fixture('chrome.har').slice(0, 900)), /^not a JSON file: .*cut short/);
  });

  test('too large', () => {
    const big = `{"log":{"entries":[]},"pad":"${'x'.repeat(MAX_HAR_BYTES)}"}`;
    assert.match(refused(big), /HAR files are read up to 64 MB/);
  });

  test('nested too deeply (never reaches the parser)', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    assert.match(refused(deep), /nested more than 64 levels/);
    assert.equal(jsonDepth('{"a":"[[[[[[","b":[{"c":1}]}', 10), 3, 'brackets in strings do not count');
  });

  test('__proto__ and constructor keys', () => {
    assert.match(refused('{"log":{"entries":[{"request":{"url":"ws://h/","__proto__":{"polluted":true}}}]}}'), /log\.entries\[0\]\.request\.__proto__: the key "__proto__" is not allowed/);
    assert.match(refused('{"constructor":{"prototype":{}},"log":{"entries":[]}}'), /the key "constructor" is not allowed/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('bad base64 in a binary message', () => {
    assert.match(refused(base([{ type: 'send', opcode: 2, data: 'not base64!' }])), /log\.entries\[0\]\._webSocketMessages\[0\]\.data: a binary message must be base64: Invalid character/);
  });

  test('a message type that is neither send nor receive', () => {
    assert.match(refused(base([{ type: 'sideways', data: 'x' }])), /_webSocketMessages\[0\]\.type: "sideways" is neither "send" nor "receive"/);
  });

  test('wrong shapes are named by their path', () => {
    assert.match(refused('{"log":{"entries":{}}}'), /^not a HAR file: log\.entries: expected a list of entries/);
    assert.match(refused('[]'), /^not a HAR file: the file: expected an object with "log"/);
    assert.match(refused(base([{ type: 'send', time: 'yesterday' }])), /_webSocketMessages\[0\]\.time: expected a number/);
  });

  test('no WebSocket entries', () => {
    assert.match(refused('{"log":{"entries":[{"request":{"url":"https://h/"},"response":{"status":200}}]}}'), /has no WebSocket entries/);
  });

  test('a URL the collection cannot use', () => {
    assert.match(refused('{"log":{"entries":[{"_resourceType":"websocket","request":{"url":"ftp://h/"}}]}}'), /does not make a valid collection/);
  });
});
