import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConnectionParams } from '../../src/shared/protocol';
import {
  AckTracker,
  checkAnyParams,
  checkEventName,
  checkSocketIoParams,
  DEFAULT_SOCKET_IO_OPTIONS,
  describeDisconnectReason,
  emitArgumentPayload,
  engineIoOfOpenResponse,
  parseEmitArguments,
  payloadsSize,
  receivedArgumentPayload,
  versionHint,
  type Clock,
} from '../../src/shared/socketIo';

describe('checkEventName', () => {
  test('refuses every name Socket.IO reserves, with the reason', () => {
    for (const name of ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']) {
      assert.match(checkEventName(name) ?? '', new RegExp(`"${name}" is reserved by Socket.IO`));
    }
    assert.equal(checkEventName(''), 'Enter an event name');
  });

  test('accepts other names, including near misses', () => {
    for (const name of ['chat', 'Connect', 'connected', 'message', 'a b', '💬']) assert.equal(checkEventName(name), undefined);
  });
});

describe('parseEmitArguments', () => {
  test('a JSON array is the argument list, any other JSON value one argument, empty none', () => {
    assert.deepEqual(parseEmitArguments('json', '[1, "two", {"three": 3}]'), {
      ok: true,
      args: [
        { kind: 'json', value: 1 },
        { kind: 'json', value: 'two' },
        { kind: 'json', value: { three: 3 } },
      ],
    });
    assert.deepEqual(parseEmitArguments('json', '{"a": [1]}'), { ok: true, args: [{ kind: 'json', value: { a: [1] } }] });
    assert.deepEqual(parseEmitArguments('json', 'null'), { ok: true, args: [{ kind: 'json', value: null }] });
    assert.deepEqual(parseEmitArguments('json', '  '), { ok: true, args: [] });
    assert.deepEqual(parseEmitArguments('json', '[[1, 2]]'), { ok: true, args: [{ kind: 'json', value: [1, 2] }] });
  });

  test('text is one string argument; hex and base64 one binary argument', () => {
    assert.deepEqual(parseEmitArguments('text', 'hi [1]'), { ok: true, args: [{ kind: 'json', value: 'hi [1]' }] });
    assert.deepEqual(parseEmitArguments('hex', 'de ad'), { ok: true, args: [{ kind: 'binary', bytes: new Uint8Array([0xde, 0xad]) }] });
    assert.deepEqual(parseEmitArguments('base64', 'AAH/'), { ok: true, args: [{ kind: 'binary', bytes: new Uint8Array([0, 1, 255]) }] });
  });

  test('explains what is wrong', () => {
    const json = parseEmitArguments('json', '[1,');
    assert.equal(json.ok, false);
    assert.match(!json.ok ? json.error : '', /^Not valid JSON/);
    const hex = parseEmitArguments('hex', 'xyz');
    assert.equal(hex.ok, false);
  });
});

describe('argument payloads', () => {
  test('emitted arguments: JSON as JSON text, bytes as binary', () => {
    assert.deepEqual(emitArgumentPayload({ kind: 'json', value: { a: 'b' } }), { kind: 'text', text: '{"a":"b"}' });
    assert.deepEqual(emitArgumentPayload({ kind: 'binary', bytes: new Uint8Array([1, 2]) }), { kind: 'binary', base64: 'AQI=' });
  });

  test('received arguments: Buffers exactly their own bytes, nested binary readable', () => {
    const pool = Buffer.from([9, 9, 1, 2, 3, 9]);
    assert.deepEqual(receivedArgumentPayload(pool.subarray(2, 5)), { kind: 'binary', base64: 'AQID' });
    assert.deepEqual(receivedArgumentPayload(new Uint8Array([255]).buffer), { kind: 'binary', base64: '/w==' });
    assert.deepEqual(receivedArgumentPayload({ file: Buffer.from([0]) }), { kind: 'text', text: '{"file":{"<binary>":"AA=="}}' });
    assert.deepEqual(receivedArgumentPayload(undefined), { kind: 'text', text: 'null' });
    assert.equal(payloadsSize([receivedArgumentPayload('é'), receivedArgumentPayload(Buffer.from([1, 2, 3, 4]))]), 4 + 4);
  });
});

class FakeClock implements Clock {
  time = 1000;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 1;
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, callback, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const t of due) t.callback();
  }
}

describe('AckTracker', () => {
  test('an ack in time reports the round trip and cancels the timer', () => {
    const clock = new FakeClock();
    const timedOut: number[] = [];
    const acks = new AckTracker(5000, (n) => timedOut.push(n), clock);
    acks.start(1);
    acks.start(2);
    assert.equal(acks.waiting, 2);
    clock.advance(120);
    assert.deepEqual(acks.settle(1), { kind: 'inTime', roundTripMs: 120 });
    clock.advance(5000);
    assert.deepEqual(timedOut, [2]);
    assert.equal(acks.waiting, 0);
  });

  test('a late ack is still reported, once; unknown acks are unknown', () => {
    const clock = new FakeClock();
    const timedOut: number[] = [];
    const acks = new AckTracker(1000, (n) => timedOut.push(n), clock);
    acks.start(7);
    clock.advance(1000);
    assert.deepEqual(timedOut, [7]);
    clock.advance(500);
    assert.deepEqual(acks.settle(7), { kind: 'late', roundTripMs: 1500 });
    assert.deepEqual(acks.settle(7), { kind: 'unknown' });
    assert.deepEqual(acks.settle(99), { kind: 'unknown' });
  });

  test('dispose stops every timer', () => {
    const clock = new FakeClock();
    const timedOut: number[] = [];
    const acks = new AckTracker(10, (n) => timedOut.push(n), clock);
    acks.start(1);
    acks.dispose();
    clock.advance(100);
    assert.deepEqual(timedOut, []);
  });
});

describe('Engine.IO version hint', () => {
  test('reads the protocol from a polling handshake answer', () => {
    assert.equal(engineIoOfOpenResponse(200, '0{"sid":"abc","upgrades":["websocket"]}'), 4);
    assert.equal(engineIoOfOpenResponse(200, '97:0{"sid":"abc","upgrades":["websocket"]}2:40'), 3);
    assert.equal(engineIoOfOpenResponse(200, '\u0000\u0009\u0007\u00ff0{"sid":"abc"}'), 3);
    assert.equal(engineIoOfOpenResponse(400, '{"code":5,"message":"Unsupported protocol version"}'), undefined);
    assert.equal(engineIoOfOpenResponse(200, '<html>'), undefined);
  });

  test('hints only when the other version would work', () => {
    assert.match(versionHint('v4', { eio3: true, eio4: false }) ?? '', /server speaks Engine\.IO 3.*choose v2/);
    assert.match(versionHint('v2', { eio3: false, eio4: true }) ?? '', /server speaks Engine\.IO 4.*choose v3\/v4/);
    assert.equal(versionHint('v4', { eio3: false, eio4: true }), undefined);
    assert.equal(versionHint('v4', { eio3: false, eio4: false }), undefined);
    assert.equal(versionHint('v2', { eio3: true, eio4: true }), undefined);
  });

  test('disconnect reasons in words', () => {
    assert.match(describeDisconnectReason('io server disconnect'), /server disconnected/);
    assert.match(describeDisconnectReason('ping timeout'), /ping timeout/);
    assert.equal(describeDisconnectReason('something new'), 'something new');
  });
});

describe('checkSocketIoParams', () => {
  const base: ConnectionParams = { url: 'http://localhost:3000', protocols: [], headers: [], kind: 'socketio', socketio: { ...DEFAULT_SOCKET_IO_OPTIONS } };
  const withOptions = (options: Partial<typeof DEFAULT_SOCKET_IO_OPTIONS>, url = base.url): ConnectionParams => ({
    ...base,
    url,
    socketio: { ...DEFAULT_SOCKET_IO_OPTIONS, ...options },
  });
  const error = (p: ConnectionParams) => {
    const result = checkSocketIoParams(p);
    return result.ok ? undefined : [result.field, result.error];
  };

  test('normalizes the URL to the origin and fills defaults', () => {
    const result = checkSocketIoParams({ ...withOptions({ namespace: ' ', path: '' }, ' HTTPS://Example.com:443/ ') });
    assert.ok(result.ok);
    assert.equal(result.params.url, 'https://example.com');
    assert.equal(result.params.socketio?.namespace, '/');
    assert.equal(result.params.socketio?.path, '/socket.io');
    assert.ok(checkSocketIoParams(withOptions({}, 'ws://127.0.0.1:1')).ok);
  });

  test('keeps Bypass proxy, the one endpoint option Socket.IO uses', () => {
    const bypass = checkSocketIoParams({ ...base, options: { bypassProxy: true, autoReconnect: true, pingIntervalSeconds: 5 } });
    assert.ok(bypass.ok);
    assert.deepEqual(bypass.params.options, { bypassProxy: true });
    const plain = checkSocketIoParams({ ...base, options: { autoReconnect: true } });
    assert.ok(plain.ok);
    assert.equal(plain.params.options, undefined);
  });

  test('points each mistake to its field', () => {
    assert.deepEqual(error(withOptions({}, 'ftp://x'))?.[0], 'url');
    assert.match(error(withOptions({}, 'http://x/chat'))?.[1] ?? '', /Namespace field/);
    assert.deepEqual(error(withOptions({ namespace: 'chat' }))?.[0], 'socketio');
    assert.deepEqual(error(withOptions({ path: 'socket.io' }))?.[0], 'socketio');
    assert.deepEqual(error(withOptions({ auth: '{' }))?.[0], 'auth');
    assert.match(error(withOptions({ auth: '"token"' }))?.[1] ?? '', /must be a JSON object/);
    assert.match(error(withOptions({ auth: '{"t":1}', version: 'v2' }))?.[1] ?? '', /Socket\.IO 2 has no auth payload/);
    assert.match(error(withOptions({ query: [{ name: 'EIO', value: '4' }] }))?.[1] ?? '', /set by Engine\.IO/);
    assert.match(error(withOptions({ ackTimeoutSeconds: 0 }))?.[1] ?? '', /ack timeout/);
    assert.deepEqual(error({ ...base, headers: [{ name: 'Bad Name', value: '' }] })?.[0], 'headers');
  });

  test('checkAnyParams keeps WebSocket forms to the WebSocket rules', () => {
    assert.equal(checkAnyParams({ url: 'http://x', protocols: [], headers: [] }).ok, false);
    assert.equal(checkAnyParams({ ...base }).ok, true);
  });
});
