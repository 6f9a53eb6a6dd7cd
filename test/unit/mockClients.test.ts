// Clients we did not write, against our mocks: Chromium's own WebSocket (a headless page),
// Debian's python3-websockets and python3-socketio. If these pass, a browser app, a Python bot
// or a Socket.IO service can be developed against a mock and see what a real server would send.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import type { RunningMock } from '../../src/core/mock/mockTypes';
import { startMock } from '../../src/core/mock/startMock';
import { parseMock } from '../../src/shared/mockFormat';

const root = path.resolve(__dirname, '../../..');
const PYTHON = '/usr/bin/python3';
const run = promisify(execFile);

async function start(value: Record<string, unknown>): Promise<RunningMock> {
  const parsed = parseMock({ name: 'Interop', ...value });
  if (!parsed.ok) assert.fail(parsed.error);
  const started = await startMock(parsed.mock);
  if (!started.ok) assert.fail(started.error);
  return started.mock;
}

const WS_RULES = [
  { onConnect: { reply: { json: { hello: '{{connection.id}}' } } } },
  { on: { json: { type: 'ping' } }, reply: { json: { type: 'pong', id: '{{message.json.id}}' } } },
  { on: { text: 'big' }, reply: { text: 'abcdefghij'.repeat(10) }, fragment: 7 },
  { on: { text: 'bin' }, reply: { hex: '00 01 fe ff' } },
  { on: { text: 'bye' }, close: { code: 4001, reason: 'bye {{connection.id}}' } },
];

describe('mock servers and clients we did not write', () => {
  let ws: RunningMock;
  let wss: RunningMock;
  let io: RunningMock;
  let browser: Browser;
  /** The page's origin: Chromium lets a page on 127.0.0.1 open sockets to 127.0.0.1 (about:blank may not). */
  let page: Server;
  let pageUrl = '';

  before(async () => {
    [ws, wss, io] = await Promise.all([
      start({ path: '/live', protocols: ['chat.v1'], rules: WS_RULES }),
      start({ tls: true, rules: WS_RULES }),
      start({
        kind: 'socketio',
        namespace: '/game',
        rules: [
          { onConnect: { emit: { event: 'welcome', args: [{ id: '{{connection.id}}' }] } } },
          { on: { event: 'move', args: [{ x: 1 }] }, emit: { event: 'moved', args: ['{{message.args.0.x}}', '{{message.args.0.y}}'] }, ack: [{ ok: true, seq: '{{seq}}' }] },
          { on: { event: 'quit' }, close: {} },
        ],
      }),
    ]);
    page = createServer((_request, response) => response.end('<!doctype html><title>mock client</title>'));
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: process.env.WSD_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--ignore-certificate-errors'],
    });
  });

  after(async () => {
    await browser?.close();
    page?.close();
    await Promise.all([ws, wss, io].map((mock) => mock?.stop()));
  });

  /** What Chromium's WebSocket sees: messages (binary as hex), the agreed protocol, the close. */
  async function inChromium(url: string, protocols: string[], send: string[], expect: number): Promise<{ protocol: string; received: string[]; close: { code: number; reason: string } | undefined }> {
    const tab = await browser.newPage();
    try {
      await tab.goto(pageUrl);
      return await tab.evaluate(
        ({ url, protocols, send, expect }) =>
          new Promise<{ protocol: string; received: string[]; close: { code: number; reason: string } | undefined }>((resolve, reject) => {
            const socket = new WebSocket(url, protocols);
            socket.binaryType = 'arraybuffer';
            const received: string[] = [];
            let close: { code: number; reason: string } | undefined;
            const done = (): void => resolve({ protocol: socket.protocol, received, close });
            socket.onopen = () => send.forEach((message) => socket.send(message));
            socket.onmessage = (event) => {
              received.push(typeof event.data === 'string' ? event.data : [...new Uint8Array(event.data as ArrayBuffer)].map((b) => b.toString(16).padStart(2, '0')).join(' '));
              if (received.length === expect && !send.includes('bye')) socket.close(1000);
            };
            socket.onclose = (event) => {
              close = { code: event.code, reason: event.reason };
              done();
            };
            socket.onerror = () => received.length === 0 && reject(new Error('WebSocket error'));
            setTimeout(done, 5000);
          }),
        { url, protocols, send, expect },
      );
    } finally {
      await tab.close();
    }
  }

  it("Chromium's WebSocket: subprotocol, templates, fragmented and binary replies, a server close", async () => {
    const result = await inChromium(ws.url, ['chat.v1'], ['{"type":"ping","id":3}', 'big', 'bin', 'bye'], 4);
    assert.equal(result.protocol, 'chat.v1');
    assert.deepEqual(result.received, ['{"hello":"1"}', '{"type":"pong","id":3}', 'abcdefghij'.repeat(10), '00 01 fe ff']);
    assert.deepEqual(result.close, { code: 4001, reason: 'bye 1' });
  });

  it("Chromium's WebSocket over wss to the self-signed certificate", async () => {
    const result = await inChromium(wss.url, [], ['{"type":"ping","id":"s"}'], 2);
    assert.deepEqual(result.received, ['{"hello":"1"}', '{"type":"pong","id":"s"}']);
    assert.equal(result.close?.code, 1000);
  });

  it('Python websockets: the same rules, the fragmented reply reassembled, the close code', async () => {
    const { stdout } = await run(PYTHON, [path.join(root, 'test/fixtures/py_mock_ws_client.py'), ws.url, '--protocol', 'chat.v1', '--expect', '9', '{"type":"ping","id":1}', 'big', 'bin', 'bye']);
    const result = JSON.parse(stdout);
    assert.equal(result.subprotocol, 'chat.v1');
    // The connection number depends on which client test ran first.
    const hello = JSON.parse(result.received[0]).hello;
    assert.match(hello, /^\d+$/);
    assert.deepEqual(result.received.slice(1), ['{"type":"pong","id":1}', 'abcdefghij'.repeat(10), { hex: '0001feff' }]);
    assert.deepEqual(result.close, { code: 4001, reason: `bye ${hello}` });
  });

  it('Python websockets over wss', async () => {
    const { stdout } = await run(PYTHON, [path.join(root, 'test/fixtures/py_mock_ws_client.py'), wss.url, '--expect', '2', '{"type":"ping","id":2}']);
    assert.deepEqual(JSON.parse(stdout).received.slice(1), ['{"type":"pong","id":2}']);
  });

  for (const transport of ['websocket', 'polling']) {
    it(`python-socketio over ${transport}: namespace, onConnect emit, event rule with emit and ack, disconnect`, async () => {
      const { stdout } = await run(PYTHON, [
        path.join(root, 'test/fixtures/py_mock_socketio_client.py'),
        io.url.replace(/\/game$/, ''),
        '--namespace', '/game',
        '--transport', transport,
        'move:[{"x":1,"y":2}]',
        'echoed:["a",3]',
      ]);
      const result = JSON.parse(stdout);
      const [welcome, ...rest] = result.events;
      assert.equal(welcome[0], 'welcome');
      assert.deepEqual(rest, [['moved', 1, 2], ['echoed', 'a', 3]]);
      assert.equal(result.acks[0].ok, true);
      assert.equal(typeof result.acks[0].seq, 'number');
      assert.deepEqual(result.acks[1], ['a', 3]);
      assert.equal(result.disconnected_by_server, false);
    });
  }

  it('python-socketio sees a server disconnect from a "close" rule', async () => {
    const { stdout } = await run(PYTHON, [path.join(root, 'test/fixtures/py_mock_socketio_client.py'), io.url.replace(/\/game$/, ''), '--namespace', '/game', '--wait', '0.3', 'quit']);
    const result = JSON.parse(stdout);
    assert.equal(result.disconnected_by_server, true);
    assert.ok(result.acks[0].error, JSON.stringify(result.acks));
  });
});
