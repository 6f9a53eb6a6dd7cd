import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseFromWebview } from '../../src/shared/protocol';

describe('parseFromWebview', () => {
  test('accepts each well-formed message', () => {
    const messages = [
      { type: 'ready' },
      { type: 'connect', requestId: 1, params: { url: 'ws://h/', protocols: ['chat'], headers: [{ name: 'A', value: 'b' }] } },
      { type: 'disconnect', requestId: 2 },
      { type: 'send', requestId: 3, format: 'hex', body: 'de ad' },
      { type: 'control', requestId: 4, frame: 'ping', payload: '' },
      { type: 'close', requestId: 5, code: 4000, reason: 'bye', advancedConfirmed: false },
      { type: 'saveEndpoint', requestId: 6, params: { url: 'ws://h/', protocols: [], headers: [] }, name: 'n', collection: 'c' },
      { type: 'renameEndpoint', requestId: 7, endpointId: 'id' },
      { type: 'deleteEndpoint', requestId: 8, endpointId: 'id' },
      { type: 'clearLog' },
      { type: 'saveAsFlow', filter: { text: 'join', regex: false, direction: 'sent', frame: 'text', event: '' } },
    ];
    for (const message of messages) assert.deepEqual(parseFromWebview(message), message, message.type);
  });

  test('refuses what is not one of our messages', () => {
    for (const bad of [
      undefined,
      null,
      'ready',
      42,
      [],
      {},
      { type: 'unknown' },
      { type: 'send', requestId: 1, format: 'xml', body: '' },
      { type: 'send', requestId: 1, format: 'text' },
      { type: 'send', requestId: -1, format: 'text', body: '' },
      { type: 'send', requestId: 1.5, format: 'text', body: '' },
      { type: 'send', requestId: '1', format: 'text', body: '' },
      { type: 'control', requestId: 1, frame: 'close', payload: '' },
      { type: 'close', requestId: 1, code: '1000', reason: '', advancedConfirmed: false },
      { type: 'close', requestId: 1, code: 1000, reason: '', advancedConfirmed: 'yes' },
      { type: 'connect', requestId: 1, params: { url: 'ws://h/', protocols: 'chat', headers: [] } },
      { type: 'connect', requestId: 1, params: { url: 'ws://h/', protocols: [], headers: [{ name: 'A' }] } },
    ]) {
      assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad));
    }
  });

  test('bounds the sizes a hostile page could send', () => {
    const long = 'x'.repeat(8193);
    assert.equal(parseFromWebview({ type: 'connect', requestId: 1, params: { url: long, protocols: [], headers: [] } }), undefined);
    const manyHeaders = Array.from({ length: 201 }, () => ({ name: 'a', value: 'b' }));
    assert.equal(parseFromWebview({ type: 'connect', requestId: 1, params: { url: 'ws://h/', protocols: [], headers: manyHeaders } }), undefined);
    assert.equal(parseFromWebview({ type: 'control', requestId: 1, frame: 'ping', payload: 'x'.repeat(4097) }), undefined);
  });

  test('drops unknown keys, including __proto__', () => {
    const raw = JSON.parse('{"type":"disconnect","requestId":1,"extra":true,"__proto__":{"polluted":true}}');
    const parsed = parseFromWebview(raw);
    assert.deepEqual(parsed, { type: 'disconnect', requestId: 1 });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
  });
});

describe('parseFromWebview: Socket.IO', () => {
  const socketio = {
    namespace: '/chat',
    path: '/socket.io',
    transports: 'polling',
    version: 'v2',
    auth: '',
    query: [{ name: 'room', value: 'a' }],
    reconnection: false,
    ackTimeoutSeconds: 5,
  };

  test('accepts emit and Socket.IO connection parameters', () => {
    const messages = [
      { type: 'emit', requestId: 1, event: 'chat', format: 'json', args: '["hi"]', expectAck: true },
      { type: 'connect', requestId: 2, params: { url: 'http://h', protocols: [], headers: [], kind: 'socketio', socketio } },
    ];
    for (const message of messages) assert.deepEqual(parseFromWebview(message), message, message.type);
  });

  test('refuses malformed emits and options', () => {
    for (const bad of [
      { type: 'emit', requestId: 1, event: 'chat', format: 'json', args: '[]' },
      { type: 'emit', requestId: 1, event: 7, format: 'json', args: '[]', expectAck: false },
      { type: 'connect', requestId: 1, params: { url: 'http://h', protocols: [], headers: [], kind: 'mqtt' } },
      { type: 'connect', requestId: 1, params: { url: 'http://h', protocols: [], headers: [], kind: 'socketio', socketio: { ...socketio, version: 'v3' } } },
      { type: 'connect', requestId: 1, params: { url: 'http://h', protocols: [], headers: [], kind: 'socketio', socketio: { ...socketio, reconnection: 'yes' } } },
    ]) {
      assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad));
    }
  });
});
