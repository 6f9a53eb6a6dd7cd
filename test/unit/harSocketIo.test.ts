// Socket.IO in HAR files (src/core/har/socketIoHar.ts): a Socket.IO log written as Chrome records
// it (Engine.IO handshake URL, packet text, binary attachments as opcode 2 frames) for v4 and v2,
// read back with identical events, a hand-written Chrome fixture read into an endpoint, saved
// emits and a flow that passes against a live socket.io server, and bad packets kept with reasons.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { FlowRunner, type FlowRunEndpoint } from '../../src/core/flows/flowRunner';
import { readHar } from '../../src/core/har/harReader';
import { sessionsFromLog, writeHar } from '../../src/core/har/harWriter';
import { checkFlows, describeFlowIssue } from '../../src/shared/flows';
import type { LogEntry, SocketIoOptions } from '../../src/shared/protocol';
import { DEFAULT_SOCKET_IO_OPTIONS } from '../../src/shared/socketIo';
import { creator, fixture, importOptions, root } from './helpers/har';

function imported(text: string) {
  const result = readHar(text, importOptions());
  if (!result.ok) assert.fail(result.error);
  return result.value;
}

const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const text = (value: string) => ({ kind: 'text' as const, text: value });

/** A Socket.IO panel's log: connect, emits with and without ack, binary both ways, a server event asking for an ack. */
function socketIoLog(): LogEntry[] {
  return [
    { id: 1, time: T0, kind: 'open', direction: 'none', size: 0, detail: 'Connected to namespace /chat of http://127.0.0.1:3000 (Socket.IO v4 client, EIO=4, transport websocket, sid u7N2cZtq0yTjW9pEAAAC)' },
    { id: 2, time: T0 + 100, kind: 'event', direction: 'sent', size: 18, detail: 'emit #1', event: { name: 'chat', args: [text('{"a":1}'), text('"hi {{token}}"')], emitNumber: 1 } },
    { id: 3, time: T0 + 200, kind: 'event', direction: 'sent', size: 4, detail: 'emit #2, expects ack', event: { name: 'echo', args: [text('"x"')], emitNumber: 2, expectsAck: true } },
    { id: 4, time: T0 + 210, kind: 'ack', direction: 'received', size: 4, detail: 'ack for emit #2 after 10 ms', event: { name: 'echo', args: [text('"x"'), text('null')], emitNumber: 2, roundTripMs: 10 } },
    { id: 5, time: T0 + 300, kind: 'event', direction: 'sent', size: 4, detail: 'emit #3', event: { name: 'upload', args: [{ kind: 'binary', base64: 'AAEC/w==' }], emitNumber: 3 } },
    { id: 6, time: T0 + 400, kind: 'event', direction: 'received', size: 9, event: { name: 'file', args: [text('{"name":"a.bin","data":{"<binary>":"3q2+7w=="}}'), { kind: 'binary', base64: 'AQI=' }] } },
    { id: 7, time: T0 + 500, kind: 'event', direction: 'received', size: 2, detail: 'the server asked for an ack (not answered)', event: { name: 'question', args: [text('42')], serverAsksAck: true } },
    { id: 8, time: T0 + 600, kind: 'info', direction: 'none', size: 0, detail: 'Transport upgraded to websocket' },
    { id: 9, time: T0 + 700, kind: 'close', direction: 'none', size: 0, detail: 'Disconnected: closed by the client (io client disconnect)' },
  ];
}

const V4: SocketIoOptions = { ...DEFAULT_SOCKET_IO_OPTIONS, namespace: '/chat', auth: '{"token":"s3cr3t"}', query: [{ name: 'room', value: 'lobby' }] };

describe('Socket.IO sessions exported as HAR (Chrome DevTools form)', () => {
  test('v4: the Engine.IO handshake URL, packet text per frame, binary attachments as opcode 2, secrets stripped', () => {
    const sessions = sessionsFromLog(socketIoLog(), { url: 'http://127.0.0.1:3000', socketio: V4 });
    const { har, notes, messages } = writeHar(sessions, { creator, secrets: [{ name: 'token', value: 's3cr3t' }] });
    const entry = har.log.entries[0]!;
    assert.equal(entry._resourceType, 'websocket');
    assert.equal(entry.request.url, 'ws://127.0.0.1:3000/socket.io/?room=lobby&EIO=4&transport=websocket');
    assert.deepEqual(entry.request.queryString.map((q) => q.name), ['room', 'EIO', 'transport']);
    const wire = entry._webSocketMessages.map((m) => [m.type, m.opcode, m.data]);
    assert.deepEqual(wire, [
      ['send', 1, '40/chat,{"token":"{{token}}"}'],
      ['receive', 1, '40/chat,{"sid":"u7N2cZtq0yTjW9pEAAAC"}'],
      ['send', 1, '42/chat,["chat",{"a":1},"hi {{token}}"]'],
      ['send', 1, '42/chat,0["echo","x"]'],
      ['receive', 1, '43/chat,0["x",null]'],
      ['send', 1, '451-/chat,["upload",{"_placeholder":true,"num":0}]'],
      ['send', 2, 'AAEC/w=='],
      ['receive', 1, '452-/chat,["file",{"name":"a.bin","data":{"_placeholder":true,"num":0}},{"_placeholder":true,"num":1}]'],
      ['receive', 2, '3q2+7w=='],
      ['receive', 2, 'AQI='],
      ['receive', 1, '42/chat,0["question",42]'],
      ['send', 1, '41/chat,'],
    ]);
    assert.equal(entry._webSocketMessages[2]!.time, (T0 + 100) / 1000);
    assert.equal(messages, wire.length);
    assert.deepEqual(notes, ['Secret values replaced by their variable: {{token}} (1×).']);
    assert.ok(!notes.some((n) => /left out/.test(n)), 'nothing is left out any more');
  });

  test('v2 (Engine.IO 3): the server connects the main namespace by itself; binary frames start with the message type 4', () => {
    const log: LogEntry[] = [
      { id: 1, time: T0, kind: 'open', direction: 'none', size: 0, detail: 'Connected to namespace / of http://h:1 (Socket.IO 2 client, EIO=3, transport websocket, sid abc)' },
      { id: 2, time: T0 + 1, kind: 'event', direction: 'sent', size: 2, detail: 'emit #1', event: { name: 'bin', args: [{ kind: 'binary', base64: 'AQI=' }], emitNumber: 1 } },
    ];
    const { har } = writeHar(sessionsFromLog(log, { url: 'https://h:1', socketio: { ...DEFAULT_SOCKET_IO_OPTIONS, version: 'v2' } }), { creator });
    const entry = har.log.entries[0]!;
    assert.equal(entry.request.url, 'wss://h:1/socket.io/?EIO=3&transport=websocket');
    assert.deepEqual(entry._webSocketMessages.map((m) => [m.type, m.opcode, m.data]), [
      ['receive', 1, '40'],
      ['send', 1, '451-["bin",{"_placeholder":true,"num":0}]'],
      ['send', 2, Buffer.from([4, 1, 2]).toString('base64')],
    ]);
    const back = imported(JSON.stringify(har));
    assert.equal(back.collection.endpoints[0]!.socketio?.version, 'v2');
    assert.deepEqual(back.logs[0]!.entries.find((e) => e.kind === 'event')?.event?.args, [{ kind: 'binary', base64: 'AQI=' }]);
  });

  test('an emit queued while disconnected goes out after the connect', () => {
    const log: LogEntry[] = [
      { id: 1, time: T0, kind: 'event', direction: 'sent', size: 2, detail: 'emit #1, queued until connected', event: { name: 'early', args: [], emitNumber: 1, queued: true } },
      { id: 2, time: T0 + 50, kind: 'open', direction: 'none', size: 0, detail: 'Connected to namespace / of http://h:1 (Socket.IO v4 client, EIO=4, transport websocket, sid s)' },
    ];
    const { har } = writeHar(sessionsFromLog(log, { url: 'http://h:1', socketio: DEFAULT_SOCKET_IO_OPTIONS }), { creator });
    assert.deepEqual(har.log.entries.flatMap((e) => e._webSocketMessages.map((m) => [m.type, m.time, m.data])), [
      ['send', (T0 + 50) / 1000, '40'],
      ['receive', (T0 + 50) / 1000, '40{"sid":"s"}'],
      ['send', (T0 + 50) / 1000, '42["early"]'],
    ]);
  });
});

describe('Socket.IO HAR round trip', () => {
  test('a Socket.IO HAR the extension writes imports back as a Socket.IO endpoint with identical events', () => {
    const log = socketIoLog();
    const { text: harText } = writeHar(sessionsFromLog(log, { url: 'http://127.0.0.1:3000', socketio: V4 }), { creator, keepSecrets: true });
    const result = imported(harText);
    const endpoint = result.collection.endpoints[0]!;
    assert.equal(endpoint.kind, 'socketio');
    assert.equal(endpoint.url, 'http://127.0.0.1:3000');
    assert.deepEqual(endpoint.socketio, { ...V4, transports: 'websocket' });
    const shape = (e: LogEntry) => ({ kind: e.kind, time: e.time, direction: e.direction, name: e.event?.name, args: e.event?.args, expectsAck: e.event?.expectsAck, serverAsksAck: e.event?.serverAsksAck });
    const events = (entries: readonly LogEntry[]) => entries.filter((e) => e.kind === 'event' || e.kind === 'ack').map(shape);
    assert.deepEqual(events(result.logs[0]!.entries), events(log));
    assert.deepEqual(result.notes, []);
    // The sent events become saved emits with their event, arguments and ack flag.
    assert.deepEqual(endpoint.messages, [
      { name: '1. chat', format: 'json', body: '[{"a":1},"hi {{token}}"]', event: 'chat' },
      { name: '2. echo', format: 'json', body: '["x"]', event: 'echo', ack: true },
      { name: '3. upload', format: 'base64', body: 'AAEC/w==', event: 'upload' },
    ]);
  });
});

describe('a Chrome-format Socket.IO HAR', () => {
  test('imports as a Socket.IO endpoint (URL, path, namespace, version, query), saved emits and a replay flow', () => {
    const result = imported(fixture('chrome-socketio.har'));
    assert.equal(result.creator, 'WebInspector');
    const endpoint = result.collection.endpoints[0]!;
    assert.equal(endpoint.name, 'localhost:3000/chat');
    assert.equal(endpoint.kind, 'socketio');
    assert.equal(endpoint.url, 'http://localhost:3000');
    assert.deepEqual(endpoint.socketio, { ...DEFAULT_SOCKET_IO_OPTIONS, namespace: '/chat', path: '/socket.io', version: 'v4', transports: 'websocket', query: [{ name: 'room', value: 'lobby' }] });
    assert.deepEqual(endpoint.headers.map((h) => h.name), ['Accept-Encoding', 'Cache-Control', 'Origin', 'X-Test']);
    assert.deepEqual(endpoint.messages?.map((m) => [m.name, m.format, m.body, m.event, m.ack]), [
      ['1. echo', 'json', '[{"text":"hello","n":1}]', 'echo', undefined],
      ['2. echo', 'json', '["with ack"]', 'echo', true],
      ['3. echo', 'base64', 'AAEC/w==', 'echo', undefined],
    ]);
    assert.deepEqual(result.notes, [
      'localhost:3000/chat: 3 Engine.IO packets (open, ping, pong, upgrade) left out: the client makes its own.',
      'Cookies left out of 1 endpoint (keep them with --keep-cookies, or the "Keep cookies" choice).',
    ]);
    const flow = result.collection.flows![0]!;
    assert.deepEqual(flow.steps.slice(1), [
      { emit: { event: 'echo', args: [{ text: 'hello', n: 1 }] } },
      { expect: { event: 'echo', args: [{ text: 'hello', n: 1 }] } },
      { emit: { event: 'echo', args: ['with ack'], ack: true } },
      { expect: { event: 'echo', args: ['with ack'] } },
      { expect: { ack: ['with ack'] } },
      { send: { message: '3. echo' } },
      { expect: { event: 'echo', args: [{ '<binary>': 'AAEC/w==' }] } },
      { close: {} },
    ]);
    // The read-only log: connect, events, the ack (with its round trip), the disconnect.
    const log = result.logs[0]!.entries;
    assert.deepEqual(log.map((e) => e.kind), ['open', 'event', 'event', 'event', 'event', 'ack', 'event', 'event', 'close']);
    assert.equal(log[0]!.detail, 'Connected to namespace /chat (recorded, sid u7N2cZtq0yTjW9pEAAAC)');
    assert.equal(log[5]!.detail, 'ack for emit #2 after 2 ms');
    assert.equal(log[5]!.time, 1764500562482.004);
  });

  test('its replay flow passes against a live socket.io server', async (t: TestContext) => {
    const file = path.resolve(root, 'test/e2e/socketIoServers.mjs');
    const { startSocketIoServer } = (await import(file)) as { startSocketIoServer(o: { version: 'v4' | 'v2' }): Promise<{ url: string; close(): Promise<void> }> };
    const server = await startSocketIoServer({ version: 'v4' });
    t.after(() => server.close());
    const result = imported(fixture('chrome-socketio.har'));
    // The recording was made against localhost:3000; the replay goes to the test server.
    const endpoints: FlowRunEndpoint[] = result.collection.endpoints.map((e) => ({ ...e, url: server.url }));
    const checked = checkFlows(result.collection.flows, { endpoints });
    if (!checked.ok) assert.fail(describeFlowIssue(checked.issue));
    const report = await new FlowRunner({ endpoints, flows: checked.checked, variables: [] }).run();
    const failures = report.flows.flatMap((f) => f.steps.filter((s) => s.status === 'failed').map((s) => `${s.title}: ${JSON.stringify(s)}`));
    assert.deepEqual(failures, []);
    assert.equal(report.passed, 1);
  });
});

describe('bad Socket.IO packets are kept with the reason, never crash', () => {
  const har = (messages: { type: string; opcode?: number; data: string }[], url = 'ws://h:1/socket.io/?EIO=4&transport=websocket') =>
    JSON.stringify({ log: { entries: [{ _resourceType: 'websocket', request: { url }, _webSocketMessages: messages.map((m, i) => ({ time: 1764500000 + i, opcode: 1, ...m })) }] } });

  test('garbage, reserved names, forbidden keys, orphan binary frames, unanswered acks and cut-off attachments', () => {
    const result = imported(
      har([
        { type: 'send', data: '40' },
        { type: 'send', data: '4zz' },
        { type: 'send', data: '42["connect"]' },
        { type: 'send', data: '42[ "ok", {"__proto__": {"x": 1}} ]' },
        { type: 'receive', opcode: 2, data: 'AQI=' },
        { type: 'receive', data: '437["late"]' },
        { type: 'receive', data: 'x-not-engine-io' },
        { type: 'send', data: '42["fine",1]' },
        { type: 'receive', data: '451-["half",{"_placeholder":true,"num":0}]' },
        { type: 'receive', data: '42["after"]' },
        { type: 'receive', data: '452-["cut",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]' },
        { type: 'receive', opcode: 2, data: 'AQ==' },
      ]),
    );
    const log = result.logs[0]!.entries;
    const kept = log.filter((e) => e.kind === 'message').map((e) => e.detail);
    assert.deepEqual(kept, [
      'Not read as Socket.IO: not a Socket.IO packet: unknown packet type NaN',
      'Not read as Socket.IO: not a Socket.IO packet: invalid payload',
      'Not read as Socket.IO: the key "__proto__" is not allowed (data.[1].__proto__)',
      'Not read as Socket.IO: a binary frame that no binary event or ack announced',
      'Not read as Socket.IO: an ack with id 7 answers no emit recorded before it',
      'Not read as Socket.IO: not an Engine.IO packet (it starts with "x-not-en")',
      'Not read as Socket.IO: its binary attachments did not all follow it',
      'Not read as Socket.IO: the file ends before all its binary attachments',
    ]);
    assert.deepEqual(log.filter((e) => e.kind === 'event').map((e) => e.event?.name), ['fine', 'after']);
    assert.match(result.notes[0]!, /^h:1: 8 frames not read as Socket\.IO \(kept in the log with the reason\); the first: log\.entries\[0\]\._webSocketMessages\[1\]: not a Socket\.IO packet/);
    // The flow replays only what was read; the unread frames are not saved either.
    assert.deepEqual(result.collection.flows![0]!.steps.slice(1), [{ emit: { event: 'fine', args: [1] } }, { expect: { event: 'after' } }, { close: {} }]);
    assert.deepEqual(result.collection.endpoints[0]!.messages?.map((m) => m.event), ['fine']);
  });

  test('packets that look like Engine.IO make an entry Socket.IO even without /socket.io/ in the URL', () => {
    const result = imported(har([{ type: 'receive', data: '0{"sid":"a","upgrades":[],"pingInterval":25000,"pingTimeout":20000}' }, { type: 'receive', data: '40{"sid":"b"}' }], 'wss://h:1/realtime/'));
    const endpoint = result.collection.endpoints[0]!;
    assert.equal(endpoint.kind, 'socketio');
    assert.equal(endpoint.url, 'https://h:1');
    assert.equal(endpoint.socketio?.path, '/realtime');
  });
});
