// The mock engine against real clients: ws for WebSocket mocks, socket.io-client for Socket.IO
// ones, a raw TCP socket where frames must be seen as they are on the wire (fragments).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer as createNetServer, connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { io as ioClient, type Socket as IoSocket } from 'socket.io-client';
import WebSocket from 'ws';
import type { MockEvent, RunningMock } from '../../src/core/mock/mockTypes';
import { startMock } from '../../src/core/mock/startMock';
import { parseMock } from '../../src/shared/mockFormat';

const running: RunningMock[] = [];
const clients: { close(): void }[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(running.splice(0).map((mock) => mock.stop()));
});

async function start(value: Record<string, unknown>, capacity?: number): Promise<RunningMock> {
  const parsed = parseMock({ name: 'Test', ...value });
  if (!parsed.ok) assert.fail(parsed.error);
  const started = await startMock(parsed.mock, capacity === undefined ? {} : { logCapacity: capacity });
  if (!started.ok) assert.fail(started.error);
  running.push(started.mock);
  return started.mock;
}

/** A ws client that keeps what arrives, with helpers to wait for it. */
class Client {
  readonly ws: WebSocket;
  readonly messages: { data: string | Buffer; binary: boolean; at: number }[] = [];
  private waiters: (() => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;

  constructor(url: string, options: WebSocket.ClientOptions & { protocols?: string[] } = {}) {
    this.ws = new WebSocket(url, options.protocols ?? [], options);
    this.ws.on('message', (data: Buffer, binary) => {
      this.messages.push({ data: binary ? data : data.toString('utf8'), binary, at: Date.now() });
      for (const waiter of this.waiters.splice(0)) waiter();
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    clients.push({ close: () => this.ws.terminate() });
  }

  async next(count = 1, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      if (Date.now() > deadline) assert.fail(`expected ${count} messages, got ${this.messages.length}: ${JSON.stringify(this.texts())}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  texts(): string[] {
    return this.messages.map((m) => (m.binary ? `<${(m.data as Buffer).toString('hex')}>` : (m.data as string)));
  }
}

async function connected(mock: RunningMock, options?: ConstructorParameters<typeof Client>[1], url = mock.url): Promise<Client> {
  const client = new Client(url, options);
  await client.opened;
  return client;
}

function events(mock: RunningMock): MockEvent[] {
  const seen: MockEvent[] = [];
  mock.onEvent((event) => seen.push(event));
  return seen;
}

async function until(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('WebSocket mock: fallback and rules', () => {
  test('echoes text and binary when no rule matches; "ignore" answers nothing', async () => {
    const echo = await start({});
    assert.match(echo.url, /^ws:\/\/127\.0\.0\.1:\d+\/$/);
    const client = await connected(echo);
    client.ws.send('hello');
    client.ws.send(Buffer.from([0, 1, 255]));
    await client.next(2);
    assert.deepEqual(client.texts(), ['hello', '<0001ff>']);

    const quiet = await start({ fallback: 'ignore', rules: [{ on: { text: 'a' }, reply: { text: 'b' } }] });
    const other = await connected(quiet);
    other.ws.send('nothing');
    other.ws.send('a');
    await other.next(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(other.texts(), ['b']);
  });

  test('onConnect greets with templates; the first matching rule acts, and only it', async () => {
    const mock = await start({
      rules: [
        { onConnect: { reply: { json: { hello: '{{connection.id}}', seq: '{{seq}}' } } } },
        { on: { json: { type: 'ping' } }, reply: { json: { type: 'pong', id: '{{message.json.id}}', echo: 'was {{message.text}}' } } },
        { on: { contains: 'ping' }, reply: { text: 'second rule' } },
        { on: { regex: '^n(\\d)$' }, reply: { text: '{{message.text}}!' } },
        { on: { text: 'swallow' } },
      ],
    });
    const client = await connected(mock);
    await client.next(1);
    client.ws.send('{"type":"ping","id":42}');
    client.ws.send('swallow');
    client.ws.send('n5');
    client.ws.send('ping text');
    await client.next(4);
    assert.deepEqual(client.texts(), [
      '{"hello":"1","seq":1}',
      '{"type":"pong","id":42,"echo":"was {\\"type\\":\\"ping\\",\\"id\\":42}"}',
      'n5!',
      'second rule',
    ]);
    const second = await connected(mock);
    await second.next(1);
    assert.equal(second.texts()[0], '{"hello":"2","seq":6}');
  });

  test('hex and base64 replies are binary; a binary message matches "hex"', async () => {
    const mock = await start({
      rules: [
        { on: { hex: 'de ad' }, reply: { base64: 'AAEC' } },
        { on: { text: 'h' }, reply: { hex: 'ca fe' } },
      ],
    });
    const client = await connected(mock);
    client.ws.send(Buffer.from([0xde, 0xad]));
    client.ws.send('h');
    await client.next(2);
    assert.deepEqual(client.texts(), ['<000102>', '<cafe>']);
  });

  test('broadcast reaches every client; reply only the sender', async () => {
    const mock = await start({ rules: [{ on: { text: 'all' }, broadcast: { text: 'from {{connection.id}}' }, reply: { text: 'you' } }] });
    const a = await connected(mock);
    const b = await connected(mock);
    a.ws.send('all');
    await a.next(2);
    await b.next(1);
    assert.deepEqual(a.texts(), ['you', 'from 1']);
    assert.deepEqual(b.texts(), ['from 1']);
  });

  test('close sends the code and templated reason; drop ends without a Close frame (1006)', async () => {
    const mock = await start({
      rules: [
        { on: { text: 'close' }, close: { code: 4001, reason: 'bye {{connection.id}}' } },
        { on: { text: 'drop' }, drop: true },
      ],
    });
    const a = await connected(mock);
    a.ws.send('close');
    assert.deepEqual(await a.closed, { code: 4001, reason: 'bye 1' });
    const b = await connected(mock);
    b.ws.send('drop');
    assert.equal((await b.closed).code, 1006);
  });

  test('delay waits before the rest of the action', async () => {
    const mock = await start({ rules: [{ on: { text: 'slow' }, delay: 300, reply: { text: 'late' } }] });
    const client = await connected(mock);
    const sentAt = Date.now();
    client.ws.send('slow');
    await client.next(1);
    assert.ok(client.messages[0].at - sentAt >= 290, `arrived after ${client.messages[0].at - sentAt} ms`);
  });

  test('every: per connection, and to all clients with "broadcast": true', async () => {
    const mock = await start({
      rules: [
        { every: 50, reply: { text: 'tick {{connection.id}} {{seq}}' } },
        { every: 50, broadcast: true, reply: { text: 'all' } },
      ],
    });
    const client = await connected(mock);
    await client.next(6);
    const texts = client.texts();
    assert.ok(texts.some((t) => t.startsWith('tick 1 ')), texts.join());
    assert.ok(texts.includes('all'), texts.join());
  });

  test('a rule that fails while acting is reported and the mock goes on', async () => {
    const mock = await start({ rules: [{ on: { regex: '^hex ' }, reply: { hex: '{{message.json.nothing}}zz' } }] });
    const seen = events(mock);
    const client = await connected(mock);
    client.ws.send('hex 1');
    client.ws.send('still here');
    await client.next(1);
    assert.deepEqual(client.texts(), ['still here']);
    const error = seen.find((e) => e.type === 'ruleError');
    assert.ok(error && error.type === 'ruleError' && error.rule === 1 && error.clientId === '1', JSON.stringify(seen));
    assert.ok(mock.log.messages.entries().some((e) => e.kind === 'error' && /^Rule 1: /.test(e.detail ?? '')));
  });
});

describe('WebSocket mock: handshake', () => {
  test('protocols: the first one the client offers that the mock accepts; path is enforced', async () => {
    const mock = await start({ path: '/chat', protocols: ['v2', 'v1'] });
    const client = await connected(mock, { protocols: ['v1', 'v2'] });
    assert.equal(client.ws.protocol, 'v1');
    const [info] = mock.clients();
    assert.equal(info.protocol, 'v1');
    assert.equal(info.remoteAddress, '127.0.0.1');
    assert.ok(info.headers.some(([name, value]) => name.toLowerCase() === 'sec-websocket-protocol' && /^v1, ?v2$/.test(value)));

    const wrong = new WebSocket(mock.url.replace('/chat', '/other'));
    const status = await new Promise<number>((resolve) => wrong.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    assert.equal(status, 404);
    wrong.on('error', () => undefined);
  });

  test('"handshake" refuses every upgrade with its status, headers and body', async () => {
    const mock = await start({ handshake: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' }, body: 'token required' } });
    const seen = events(mock);
    const ws = new WebSocket(mock.url);
    ws.on('error', () => undefined);
    const response = await new Promise<{ status: number; header: string | undefined; body: string }>((resolve) =>
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, header: res.headers['www-authenticate'] as string | undefined, body }));
      }),
    );
    assert.deepEqual(response, { status: 401, header: 'Bearer', body: 'token required' });
    await until(() => seen.some((e) => e.type === 'refused'), 'the refused event');
  });

  test('"tls": true serves wss with a self-signed certificate whose fingerprint is reported', async () => {
    const mock = await start({ tls: true });
    assert.match(mock.url, /^wss:\/\//);
    assert.match(mock.fingerprint256 ?? '', /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const client = await connected(mock, { rejectUnauthorized: false });
    const socket = (client.ws as unknown as { _socket: import('node:tls').TLSSocket })._socket;
    assert.equal(socket.getPeerCertificate().fingerprint256, mock.fingerprint256);
    client.ws.send('secure');
    await client.next(1);
    assert.deepEqual(client.texts(), ['secure']);
  });
});

/** Opens a WebSocket by hand and returns the raw frames (opcode, fin, payload) the server sends. */
async function rawFrames(url: string, send: string, count: number): Promise<{ opcode: number; fin: boolean; payload: Buffer }[]> {
  const { hostname, port, pathname } = new URL(url);
  const socket: Socket = netConnect(Number(port), hostname);
  const key = randomBytes(16).toString('base64');
  socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  let buffer = Buffer.alloc(0);
  let upgraded = false;
  const frames: { opcode: number; fin: boolean; payload: Buffer }[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`got ${frames.length} frames`)), 5000);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        upgraded = true;
        buffer = buffer.subarray(end + 4);
        const payload = Buffer.from(send);
        const mask = randomBytes(4);
        const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
        socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]));
      }
      while (buffer.length >= 2) {
        const length = buffer[1] & 0x7f;
        const header = length === 126 ? 4 : 2;
        const size = length === 126 ? buffer.readUInt16BE(2) : length;
        if (buffer.length < header + size) return;
        frames.push({ opcode: buffer[0] & 0x0f, fin: (buffer[0] & 0x80) !== 0, payload: buffer.subarray(header, header + size) });
        buffer = buffer.subarray(header + size);
        if (frames.length === count) {
          clearTimeout(timer);
          socket.destroy();
          resolve(frames);
        }
      }
    });
    socket.on('error', reject);
  });
}

describe('WebSocket mock: faults', () => {
  test('"fragment" splits replies into frames of that many bytes', async () => {
    const mock = await start({ rules: [{ on: { text: 'big' }, reply: { text: '0123456789' }, fragment: 4 }] });
    const frames = await rawFrames(mock.url, 'big', 3);
    assert.deepEqual(frames.map((f) => [f.opcode, f.fin, f.payload.toString()]), [[1, false, '0123'], [0, false, '4567'], [0, true, '89']]);
    const whole = await connected(mock);
    whole.ws.send('big');
    await whole.next(1);
    assert.deepEqual(whole.texts(), ['0123456789']);
  });

  test('"throttle" delivers at most that many bytes a second', async () => {
    const mock = await start({ throttle: 4000 });
    const client = await connected(mock);
    const sentAt = Date.now();
    client.ws.send('x'.repeat(1000));
    client.ws.send('y'.repeat(1000));
    await client.next(2);
    const took = client.messages[1].at - sentAt;
    assert.ok(took >= 450 && took < 1500, `2000 bytes at 4000 B/s took ${took} ms`);
  });

  test('server pings: a client that does not answer is reported as a missing pong', async () => {
    const mock = await start({ ping: { every: 100, timeout: 100 } });
    const seen = events(mock);
    const answering = await connected(mock);
    const silent = await connected(mock, { autoPong: false });
    await until(() => seen.some((e) => e.type === 'missingPong'), 'a missing pong', 3000);
    const missing = seen.filter((e) => e.type === 'missingPong');
    assert.ok(missing.every((e) => e.type === 'missingPong' && e.clientId === '2'), JSON.stringify(missing));
    assert.ok(mock.log.entriesOf('1').some((e) => e.kind === 'pong' && e.direction === 'received'));
    void answering;
    void silent;
  });

  test('a client that does not read cannot make the mock buffer without bound', async () => {
    const mock = await start({});
    const seen = events(mock);
    const client = await connected(mock);
    const socket = (client.ws as unknown as { _socket: Socket })._socket;
    socket.pause();
    const big = Buffer.alloc(1024 * 1024, 1);
    for (let i = 0; i < 40; i++) client.ws.send(big);
    await until(() => seen.some((e) => e.type === 'ruleError' && /not reading/.test(e.error)), 'the not-reading report', 10_000);
    socket.resume();
  });
});

describe('WebSocket mock: engine API', () => {
  test('clients, sendTo one and all, close with RFC checks, drop, reload', async () => {
    const mock = await start({});
    const seen = events(mock);
    const a = await connected(mock);
    const b = await connected(mock);
    assert.deepEqual(mock.clients().map((c) => c.id), ['1', '2']);
    assert.deepEqual(mock.sendTo('1', { kind: 'text', text: 'to a' }), { ok: true });
    assert.deepEqual(mock.sendTo('all', { kind: 'binary', bytes: new Uint8Array([7]) }), { ok: true });
    assert.equal(mock.sendTo('9', { kind: 'text', text: 'x' }).ok, false);
    assert.equal(mock.sendTo('1', { kind: 'event', event: 'x', args: [] }).ok, false);
    await a.next(2);
    await b.next(1);
    assert.deepEqual(a.texts(), ['to a', '<07>']);
    assert.deepEqual(b.texts(), ['<07>']);

    assert.match((mock.close('1', 1005, '') as { error: string }).error, /1005 is reserved/);
    assert.deepEqual(mock.close('1', 4100, 'done'), { ok: true });
    assert.deepEqual(await a.closed, { code: 4100, reason: 'done' });
    assert.deepEqual(mock.drop('2'), { ok: true });
    assert.equal((await b.closed).code, 1006);
    await until(() => seen.filter((e) => e.type === 'disconnected').length === 2, 'two disconnects');

    const reloaded = parseMock({ name: 'Test', rules: [{ on: { text: 'new' }, reply: { text: 'rule' } }] });
    assert.ok(reloaded.ok);
    assert.deepEqual(mock.reload(reloaded.mock), { ok: true });
    const c = await connected(mock);
    c.ws.send('new');
    await c.next(1);
    assert.deepEqual(c.texts(), ['rule']);
    const types = new Set(seen.map((e) => e.type));
    for (const type of ['connected', 'disconnected', 'message', 'rule']) assert.ok(types.has(type as MockEvent['type']), type);
  });

  test('stop closes every client with 1001', async () => {
    const mock = await start({});
    const a = await connected(mock);
    const b = await connected(mock);
    await mock.stop();
    assert.equal((await a.closed).code, 1001);
    assert.equal((await b.closed).code, 1001);
  });

  test('the log is bounded and knows each entry\'s client', async () => {
    const mock = await start({}, 100);
    const client = await connected(mock);
    for (let i = 0; i < 1000; i++) client.ws.send(`m${i}`);
    await client.next(1000);
    const log = mock.log.messages;
    assert.equal(log.size, 100);
    assert.ok(log.evicted > 1900);
    const last = log.entries().at(-1);
    assert.ok(last && last.kind === 'message' && last.direction === 'sent');
    assert.equal(mock.log.clientOf(last.id), '1');
    assert.equal(mock.log.entriesOf('1').length, 100);
    assert.equal(mock.log.clientOf(1), undefined);
  });

  test('a port in use and a non-loopback host are refused with their codes', async () => {
    const blocker = createNetServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const parsed = parseMock({ name: 'Busy', port });
    assert.ok(parsed.ok);
    const busy = await startMock(parsed.mock);
    assert.equal(busy.ok, false);
    assert.equal((busy as { code: string }).code, 'port-in-use');
    assert.match((busy as { error: string }).error, /^Mock "Busy" cannot listen on 127\.0\.0\.1:\d+: the port is in use/);
    blocker.close();

    const wide = parseMock({ name: 'Wide', host: '0.0.0.0' });
    assert.ok(wide.ok);
    const refused = await startMock(wide.mock);
    assert.equal((refused as { code: string }).code, 'needs-confirmation');
    const allowed = await startMock(wide.mock, { allowNonLoopback: true });
    assert.ok(allowed.ok);
    await allowed.mock.stop();
  });
});

describe('Socket.IO mock', () => {
  async function ioConnected(mock: RunningMock, options: Parameters<typeof ioClient>[1] = {}): Promise<IoSocket> {
    const socket = ioClient(mock.url, { transports: ['websocket'], reconnection: false, ...options });
    clients.push({ close: () => socket.close() });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  }

  test('event rules emit and ack with templates; the fallback echoes and acks', async () => {
    const mock = await start({
      kind: 'socketio',
      rules: [
        { onConnect: { emit: { event: 'welcome', args: ['{{connection.id}}'] } } },
        { on: { event: 'join', args: [{ room: 'a' }] }, emit: { event: 'joined', args: ['{{message.args.0.room}}', '{{message.args.0}}'] }, ack: ['ok', '{{seq}}'] },
      ],
    });
    assert.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const socket = ioClient(mock.url, { transports: ['websocket'], reconnection: false });
    clients.push({ close: () => socket.close() });
    const welcome = new Promise<unknown[]>((resolve) => socket.once('welcome', (...args) => resolve(args)));
    assert.deepEqual(await welcome, ['1']);
    const joined = new Promise<unknown[]>((resolve) => socket.once('joined', (...args) => resolve(args)));
    const ack = await socket.timeout(2000).emitWithAck('join', { room: 'a', who: 'x' });
    assert.deepEqual(ack, 'ok');
    assert.deepEqual(await joined, ['a', { room: 'a', who: 'x' }]);
    const echoed = new Promise<unknown[]>((resolve) => socket.once('other', (...args) => resolve(args)));
    const echoAck = await socket.timeout(2000).emitWithAck('other', 1, 'two');
    assert.equal(echoAck, 1);
    assert.deepEqual(await echoed, [1, 'two']);
    const entries = mock.log.entriesOf('1');
    assert.ok(entries.some((e) => e.kind === 'ack' && e.direction === 'sent' && e.event?.name === 'join'));
  });

  test('broadcast, disconnect (close) and drop; sendTo events; stop', async () => {
    const mock = await start({
      kind: 'socketio',
      namespace: '/chat',
      rules: [
        { on: { event: 'shout' }, broadcast: { event: 'heard', args: ['{{message.args.0}}'] } },
        { on: { event: 'leave' }, close: {} },
        { on: { event: 'cut' }, drop: true },
      ],
    });
    assert.match(mock.url, /\/chat$/);
    const a = await ioConnected(mock);
    const b = await ioConnected(mock);
    const heard = new Promise<unknown[]>((resolve) => b.once('heard', (...args) => resolve(args)));
    a.emit('shout', 'hey');
    assert.deepEqual(await heard, ['hey']);
    const direct = new Promise<unknown[]>((resolve) => b.once('direct', (...args) => resolve(args)));
    assert.deepEqual(mock.sendTo('2', { kind: 'event', event: 'direct', args: [{ n: 1 }] }), { ok: true });
    assert.deepEqual(await direct, [{ n: 1 }]);
    const aGone = new Promise<string>((resolve) => a.once('disconnect', resolve));
    a.emit('leave');
    assert.equal(await aGone, 'io server disconnect');
    const bGone = new Promise<string>((resolve) => b.once('disconnect', resolve));
    b.emit('cut');
    assert.equal(await bGone, 'transport close');
    const c = await ioConnected(mock);
    const cGone = new Promise<string>((resolve) => c.once('disconnect', resolve));
    await mock.stop();
    assert.equal(await cGone, 'io server disconnect');
  });

  test('Socket.IO 2 clients (Engine.IO 3) connect too', async () => {
    const mock = await start({ kind: 'socketio', rules: [{ on: { event: 'hi' }, emit: { event: 'hello', args: ['v2'] } }] });
    const connectV2 = require('socket.io-client-v2') as (url: string, options: Record<string, unknown>) => IoSocket;
    const socket = connectV2(mock.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    clients.push({ close: () => socket.close() });
    const hello = new Promise<unknown[]>((resolve) => socket.once('hello', (...args: unknown[]) => resolve(args)));
    socket.emit('hi');
    assert.deepEqual(await hello, ['v2']);
  });

  test('Socket.IO ends a session whose pong is missing; it is reported', async () => {
    const mock = await start({ kind: 'socketio', ping: { every: 100, timeout: 100 } });
    const seen = events(mock);
    const socket = await ioConnected(mock);
    // The client stops answering the server's pings: its engine no longer sends pong packets.
    const engine = socket.io.engine as unknown as { _sendPacket: (type: string, ...rest: unknown[]) => void };
    const sendPacket = engine._sendPacket.bind(engine);
    engine._sendPacket = (type, ...rest) => {
      if (type !== 'pong') sendPacket(type, ...rest);
    };
    await until(() => seen.some((e) => e.type === 'missingPong'), 'a missing pong', 5000);
    assert.ok(seen.some((e) => e.type === 'disconnected' && e.reason === 'ping timeout'));
  });

  test('a refused handshake reaches Socket.IO clients as a connect error', async () => {
    const mock = await start({ kind: 'socketio', handshake: { status: 403, body: 'no' } });
    const socket = ioClient(mock.url, { transports: ['polling'], reconnection: false });
    clients.push({ close: () => socket.close() });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    assert.match(String((error as Error & { description?: unknown }).description ?? error.message), /403|xhr poll error/);
  });
});
