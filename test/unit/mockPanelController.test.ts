// The mock panel's logic against a real mock and real ws clients: the views (merged, one
// client), requests to one client or all, close and drop, refusals, and a stopped mock.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { io as ioClient } from 'socket.io-client';
import WebSocket from 'ws';
import { decodeEntries } from '../../src/shared/entryTransport';
import { ALL_CLIENTS, MockPanelController } from '../../src/core/mock/mockPanelController';
import type { RunningMock } from '../../src/core/mock/mockTypes';
import { startMock } from '../../src/core/mock/startMock';
import { parseMock } from '../../src/shared/mockFormat';
import type { ResultMessage, ToMockWebview } from '../../src/shared/protocol';

const cleanup: (() => unknown)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function start(value: Record<string, unknown> = {}): Promise<RunningMock> {
  const parsed = parseMock({ name: 'Panel', kind: 'websocket', port: 0, rules: [], ...value });
  if (!parsed.ok) assert.fail(parsed.error);
  const started = await startMock(parsed.mock);
  if (!started.ok) assert.fail(started.error);
  cleanup.push(() => started.mock.stop());
  return started.mock;
}

class Client {
  readonly ws: WebSocket;
  readonly texts: string[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (data: Buffer, binary) => this.texts.push(binary ? `<${data.toString('hex')}>` : data.toString('utf8')));
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    cleanup.push(() => this.ws.terminate());
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function panel(mock: RunningMock): { controller: MockPanelController; posted: ToMockWebview[]; logged: string[] } {
  const posted: ToMockWebview[] = [];
  const logged: string[] = [];
  const files = { file: undefined, start: async () => {}, stop: async () => {}, openEntry: async () => {}, saveEntry: async () => {}, copyToClipboard: async () => {} };
  const controller = new MockPanelController({ post: (m) => posted.push(m), log: (line) => logged.push(line), files }, mock, 'Mock: Panel', 1000);
  cleanup.push(() => controller.dispose());
  return { controller, posted, logged };
}

async function request(posted: ToMockWebview[], controller: MockPanelController, message: Record<string, unknown>): Promise<ResultMessage> {
  const requestId = Math.floor(Math.random() * 1e9);
  controller.receive({ ...message, requestId });
  await until(() => posted.some((m) => m.type === 'result' && m.inReplyTo === requestId), `the answer to ${String(message.type)}`);
  return posted.find((m): m is ResultMessage => m.type === 'result' && m.inReplyTo === requestId)!;
}

describe('MockPanelController', () => {
  test('init lists the mock and its clients; the merged log holds every client, one client view only its own', async () => {
    const mock = await start();
    const a = new Client(mock.url);
    const b = new Client(mock.url);
    await Promise.all([a.opened, b.opened]);
    a.ws.send('from a');
    b.ws.send('from b');
    await until(() => a.texts.length === 1 && b.texts.length === 1, 'the echoes');
    const { controller, posted } = panel(mock);
    controller.receive({ type: 'ready' });
    const init = posted.find((m) => m.type === 'mockInit');
    assert.ok(init && init.type === 'mockInit');
    assert.equal(init.view, ALL_CLIENTS);
    assert.equal(init.mock.name, 'Panel');
    assert.equal(init.mock.url, mock.url);
    assert.equal(init.mock.running, true);
    assert.deepEqual(init.clients.map((c) => c.id), ['1', '2']);
    const texts = decodeEntries(init.entries.json).flatMap((e) => (e.payload?.kind === 'text' ? [e.payload.text] : []));
    assert.deepEqual(texts.sort(), ['from a', 'from a', 'from b', 'from b']);
    // The merged view says whose each message is, beside the entries, which stay plain.
    const owners = init.owners;
    assert.ok(owners);
    const notes = decodeEntries(init.entries.json).flatMap((e, i) => (e.payload?.kind === 'text' ? [`${e.payload.text}: ${owners[i]}`] : []));
    assert.deepEqual(notes.sort(), ['from a: 1', 'from a: 1', 'from b: 2', 'from b: 2']);
    assert.ok(decodeEntries(init.entries.json).every((e) => e.kind !== 'message' || e.detail === undefined));

    controller.receive({ type: 'mockView', clientId: '2' });
    const view = posted.filter((m) => m.type === 'mockInit').at(-1);
    assert.ok(view && view.type === 'mockInit');
    assert.equal(view.view, '2');
    assert.equal(view.owners, undefined, 'one client view needs no owners');
    const own = decodeEntries(view.entries.json).flatMap((e) => (e.payload?.kind === 'text' ? [e.payload.text] : []));
    assert.deepEqual(own, ['from b', 'from b']);
    // What arrives later for client 1 stays out of client 2's view.
    a.ws.send('later a');
    b.ws.send('later b');
    await until(() => controller.entries.filter((e) => e.payload?.kind === 'text' && e.payload.text === 'later b').length === 2, 'client 2 entries');
    assert.ok(!controller.entries.some((e) => e.payload?.kind === 'text' && e.payload.text === 'later a'));
  });

  test('sends to one client or to all, and refuses bad bodies at their field', async () => {
    const mock = await start({ fallback: 'ignore' });
    const a = new Client(mock.url);
    const b = new Client(mock.url);
    await Promise.all([a.opened, b.opened]);
    const { controller, posted } = panel(mock);
    controller.receive({ type: 'ready' });
    assert.equal((await request(posted, controller, { type: 'mockSend', target: '1', format: 'text', body: 'only a' })).ok, true);
    assert.equal((await request(posted, controller, { type: 'mockSend', target: 'all', format: 'hex', body: '01 02' })).ok, true);
    await until(() => a.texts.length === 2 && b.texts.length === 1, 'the sends');
    assert.deepEqual(a.texts, ['only a', '<0102>']);
    assert.deepEqual(b.texts, ['<0102>']);
    const bad = await request(posted, controller, { type: 'mockSend', target: '1', format: 'json', body: '{' });
    assert.equal(bad.ok, false);
    assert.equal(bad.field, 'message');
    const gone = await request(posted, controller, { type: 'mockSend', target: '9', format: 'text', body: 'x' });
    assert.match(gone.error ?? '', /Client 9 is no longer connected/);
  });

  test('closes one client with a chosen code (advanced codes need confirming) and drops another', async () => {
    const mock = await start();
    const a = new Client(mock.url);
    const b = new Client(mock.url);
    await Promise.all([a.opened, b.opened]);
    const { controller, posted } = panel(mock);
    controller.receive({ type: 'ready' });
    const all = await request(posted, controller, { type: 'mockClose', target: 'all', code: 4000, reason: 'x', advancedConfirmed: false });
    assert.match(all.error ?? '', /Choose one client/);
    const forbidden = await request(posted, controller, { type: 'mockClose', target: '1', code: 1005, reason: '', advancedConfirmed: false });
    assert.equal(forbidden.field, 'closeCode');
    const advanced = await request(posted, controller, { type: 'mockClose', target: '1', code: 1011, reason: '', advancedConfirmed: false });
    assert.equal(advanced.needsConfirmation, true);
    assert.equal((await request(posted, controller, { type: 'mockClose', target: '1', code: 4321, reason: 'bye', advancedConfirmed: false })).ok, true);
    assert.deepEqual(await a.closed, { code: 4321, reason: 'bye' });
    assert.equal((await request(posted, controller, { type: 'mockDrop', target: '2' })).ok, true);
    assert.equal((await b.closed).code, 1006);
    await until(() => mock.clients().length === 0, 'both clients gone');
  });

  test('a stopped mock refuses requests and says it stopped; malformed and client-panel messages are refused', async () => {
    const mock = await start();
    const { controller, posted, logged } = panel(mock);
    controller.receive({ type: 'ready' });
    controller.receive({ type: 'mockSend', requestId: 'x' });
    assert.match(logged[0] ?? '', /malformed/);
    const connect = await request(posted, controller, { type: 'disconnect' });
    assert.match(connect.error ?? '', /mock server, not a client/);
    await mock.stop();
    controller.stopped();
    controller.pipeline.flush();
    const state = posted.filter((m) => m.type === 'mockState').at(-1);
    assert.ok(state && state.type === 'mockState');
    assert.equal(state.mock.running, false);
    assert.deepEqual(state.clients, []);
    const refused = await request(posted, controller, { type: 'mockSend', target: 'all', format: 'text', body: 'x' });
    assert.match(refused.error ?? '', /has stopped/);
  });

  test('a Socket.IO mock emits events with arguments (binary too) to one client, and refuses plain messages', async () => {
    const mock = await start({ kind: 'socketio', fallback: 'ignore' });
    const socket = ioClient(mock.url, { transports: ['websocket'], reconnection: false });
    cleanup.push(() => socket.close());
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const news = new Promise<unknown[]>((resolve) => socket.once('news', (...args) => resolve(args)));
    const bytes = new Promise<unknown[]>((resolve) => socket.once('blob', (...args) => resolve(args)));
    const { controller, posted } = panel(mock);
    controller.receive({ type: 'ready' });
    const sent = await request(posted, controller, { type: 'mockEmit', target: '1', event: 'news', format: 'json', args: '["hello", {"n": 1}]' });
    assert.equal(sent.ok, true, sent.error);
    assert.deepEqual(await news, ['hello', { n: 1 }]);
    assert.equal((await request(posted, controller, { type: 'mockEmit', target: 'all', event: 'blob', format: 'hex', args: 'ca fe' })).ok, true);
    const [blob] = await bytes;
    assert.deepEqual([...new Uint8Array(blob as ArrayBuffer)], [0xca, 0xfe]);
    const reserved = await request(posted, controller, { type: 'mockEmit', target: '1', event: 'connect', format: 'json', args: '' });
    assert.equal(reserved.field, 'eventName');
    const plain = await request(posted, controller, { type: 'mockSend', target: '1', format: 'text', body: 'x' });
    assert.match(plain.error ?? '', /Socket\.IO mock sends events/);
  });
});
