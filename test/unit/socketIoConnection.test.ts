import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { ConnectionOptions } from '../../src/core/connection';
import { SocketIoConnection } from '../../src/core/socketIoConnection';
import type { ConnectionParams, SocketIoOptions } from '../../src/shared/protocol';
import { DEFAULT_SOCKET_IO_OPTIONS } from '../../src/shared/socketIo';
import { ConnectionRecorder, waitUntil } from './helpers/connectionRecorder';

const OPTIONS: ConnectionOptions = { handshakeTimeoutMs: 3000, maxPayload: 1024 * 1024 };

interface RunningServer {
  url: string;
  connections?: Record<string, number>;
  close(): Promise<void>;
}
interface ServersModule {
  startSocketIoServer(options: { version: 'v4' | 'v2' }): Promise<RunningServer>;
  startPythonSocketIoServer(): Promise<RunningServer>;
}

/** The servers the e2e suite uses too (test/e2e/socketIoServers.mjs), from the repository root. */
async function servers(): Promise<ServersModule> {
  const file = path.resolve(__dirname, '../../../test/e2e/socketIoServers.mjs');
  return (await import(file)) as ServersModule;
}

type ServerKind = 'v4' | 'v2' | 'python';

async function startServer(t: TestContext, kind: ServerKind): Promise<RunningServer> {
  const module = await servers();
  const server = kind === 'python' ? await module.startPythonSocketIoServer() : await module.startSocketIoServer({ version: kind });
  t.after(() => server.close());
  return server;
}

function params(url: string, options: Partial<SocketIoOptions> = {}, headers: ConnectionParams['headers'] = []): ConnectionParams {
  return { url, protocols: [], headers, kind: 'socketio', socketio: { ...DEFAULT_SOCKET_IO_OPTIONS, ...options } };
}

function open(t: TestContext, p: ConnectionParams) {
  const connection = new SocketIoConnection(p, OPTIONS);
  t.after(() => connection.dispose());
  const recorder = new ConnectionRecorder(connection);
  assert.deepEqual(connection.open(), { ok: true });
  return { connection, recorder };
}

function argsText(entry: { event?: { args: { kind: string; text?: string; base64?: string }[] } }): string[] {
  return (entry.event?.args ?? []).map((a) => (a.kind === 'text' ? a.text! : `binary:${a.base64}`));
}

const CASES: { server: ServerKind; version: 'v4' | 'v2' }[] = [
  { server: 'v4', version: 'v4' },
  { server: 'v2', version: 'v2' },
  { server: 'python', version: 'v4' },
];

for (const { server: kind, version } of CASES) {
  describe(`Socket.IO ${version} client against the ${kind === 'python' ? 'python-socketio' : `socket.io ${kind}`} server`, () => {
    for (const transports of ['websocket', 'polling'] as const) {
      it(`connects (${transports}), emits with an ack, and logs the reply event and the ack`, async (t) => {
        const server = await startServer(t, kind);
        const { connection, recorder } = open(t, params(server.url, { version, transports }));
        await recorder.kind('open', 5000);
        const state = connection.state;
        assert.equal(state.readyState, 'OPEN');
        assert.equal(state.socketio?.eio, version === 'v2' ? 3 : 4);
        assert.notEqual(state.socketio?.sid, '');

        assert.deepEqual(connection.emit('echo', 'json', '["hi", {"n": 1}]', true), { ok: true });
        const reply = await recorder.entry((e) => e.kind === 'event' && e.direction === 'received');
        assert.equal(reply.event?.name, 'echo');
        assert.deepEqual(argsText(reply), ['"hi"', '{"n":1}']);
        const ack = await recorder.kind('ack');
        assert.equal(ack.event?.emitNumber, 1);
        assert.deepEqual(argsText(ack), ['"hi"', '{"n":1}']);
        assert.ok((ack.event?.roundTripMs ?? -1) >= 0);
        assert.match(ack.detail ?? '', /^ack for emit #1 after \d+ ms$/);
        const sent = recorder.entries.find((e) => e.kind === 'event' && e.direction === 'sent');
        assert.equal(sent?.detail, 'emit #1, expects ack');
      });
    }

    it('sends binary arguments as attachments and shows received binary as binary', async (t) => {
      const server = await startServer(t, kind);
      const { connection, recorder } = open(t, params(server.url, { version }));
      await recorder.kind('open', 5000);
      assert.deepEqual(connection.emit('echo', 'hex', '00 01 fe ff', false), { ok: true });
      const reply = await recorder.entry((e) => e.kind === 'event' && e.direction === 'received');
      assert.deepEqual(argsText(reply), ['binary:AAH+/w==']);
      assert.equal(reply.size, 4);
    });

    it('uses a second namespace with query parameters and headers', async (t) => {
      const server = await startServer(t, kind);
      const { connection, recorder } = open(
        t,
        params(server.url, { version, namespace: '/chat', query: [{ name: 'room', value: 'blue' }] }, [{ name: 'X-Test', value: 'yes' }]),
      );
      await recorder.kind('open', 5000);
      assert.match(recorder.ofKind('open')[0]!.detail ?? '', /namespace \/chat/);
      connection.emit('whoami', 'json', '', false);
      const reply = await recorder.entry((e) => e.kind === 'event' && e.direction === 'received');
      const who = JSON.parse(argsText(reply)[0]!) as { namespace: string; query: string; header: string };
      assert.equal(who.namespace, '/chat');
      assert.equal(who.query, 'blue');
      assert.equal(who.header, 'yes');
    });

    it('reports a missing ack after the timeout, and a server disconnect with its reason', async (t) => {
      const server = await startServer(t, kind);
      const { connection, recorder } = open(t, params(server.url, { version, ackTimeoutSeconds: 0.3 }));
      await recorder.kind('open', 5000);
      connection.emit('silent', 'json', '', true);
      const timeout = await recorder.entry((e) => e.kind === 'error' && /no ack/.test(e.detail ?? ''));
      assert.equal(timeout.detail, 'no ack within 0.3 s for emit #1 "silent"');
      connection.emit('kick', 'json', '', false);
      const close = await recorder.kind('close', 5000);
      assert.match(close.detail ?? '', /io server disconnect/);
      await waitUntil(() => connection.state.readyState === 'CLOSED', () => JSON.stringify(connection.state));
    });

    it('disconnects on request', async (t) => {
      const server = await startServer(t, kind);
      const { connection, recorder } = open(t, params(server.url, { version }));
      await recorder.kind('open', 5000);
      connection.disconnect();
      const close = await recorder.kind('close');
      assert.match(close.detail ?? '', /io client disconnect/);
      assert.equal(connection.state.readyState, 'CLOSED');
    });
  });
}

describe('Socket.IO connection failures', () => {
  it('a v4 client to a Socket.IO 2 server ends with the hint to choose v2', async (t) => {
    const server = await startServer(t, 'v2');
    const { connection, recorder } = open(t, params(server.url, { version: 'v4' }));
    await recorder.entry((e) => /Engine\.IO 3/.test(e.detail ?? ''), 8000);
    assert.match(connection.state.error ?? '', /server speaks Engine\.IO 3.*choose v2/);
    await waitUntil(() => connection.state.readyState === 'CLOSED', () => JSON.stringify(connection.state));
  });

  for (const kind of ['v4', 'python'] as const) {
    it(`a v2 client to a ${kind} server ends with the hint to choose v3/v4`, async (t) => {
      const server = await startServer(t, kind);
      const { connection, recorder } = open(t, params(server.url, { version: 'v2' }));
      await recorder.entry((e) => /Engine\.IO 4/.test(e.detail ?? ''), 8000);
      assert.match(connection.state.error ?? '', /choose v3\/v4/);
    });

    it(`shows the ${kind} server's connect_error data when the auth payload is refused`, async (t) => {
      const server = await startServer(t, kind);
      const { connection, recorder } = open(t, params(server.url, { auth: '{"token":"bad"}' }));
      const error = await recorder.entry((e) => e.kind === 'error' && /connect_error/.test(e.detail ?? ''), 5000);
      assert.match(error.detail ?? '', /bad token/);
      await waitUntil(() => connection.state.readyState === 'CLOSED', () => JSON.stringify(connection.state));
    });
  }

  it('refuses reserved event names and bad arguments before sending', async (t) => {
    const server = await startServer(t, 'v4');
    const { connection, recorder } = open(t, params(server.url));
    await recorder.kind('open', 5000);
    const reserved = connection.emit('disconnect', 'json', '', false);
    assert.equal(reserved.ok, false);
    assert.match(!reserved.ok ? reserved.error : '', /reserved/);
    const bad = connection.emit('echo', 'json', '[1,', false);
    assert.deepEqual(bad.ok ? undefined : bad.field, 'eventArgs');
    assert.equal(recorder.ofKind('event').length, 0);
  });

  for (const version of ['v4', 'v2'] as const) {
    it(`${version}: queues emits while reconnecting and marks them sent when they go out`, async (t) => {
      const server = await startServer(t, version);
      const { connection, recorder } = open(t, params(server.url, { version }));
      await recorder.kind('open', 5000);
      connection.emit('drop', 'json', '', false);
      const close = await recorder.kind('close', 5000);
      assert.match(close.detail ?? '', /transport close.*reconnecting/);
      assert.equal(connection.state.readyState, 'CONNECTING');
      assert.deepEqual(connection.emit('echo', 'json', '"later"', true), { ok: true });
      const queued = recorder.entries.at(-1);
      assert.equal(queued?.event?.queued, true);
      assert.match(queued?.detail ?? '', /queued until connected/);
      assert.equal(connection.state.socketio?.queued, 1);
      await recorder.entry((e) => e.detail === 'Queued emit #2 "echo" sent', 8000);
      const reply = await recorder.entry((e) => e.kind === 'event' && e.direction === 'received');
      assert.deepEqual(argsText(reply), ['"later"']);
      await recorder.kind('ack');
      assert.ok(recorder.entries.some((e) => /^Reconnect attempt 1$/.test(e.detail ?? '')));
      // After the server disconnects on purpose there is no reconnection, so emitting is refused.
      connection.emit('kick', 'json', '', false);
      await recorder.entry((e) => /io server disconnect/.test(e.detail ?? ''), 5000);
      assert.equal(connection.emit('echo', 'json', '1', false).ok, false);
    });
  }

  for (const version of ['v4', 'v2'] as const) {
    it(`${version}: Disconnect while reconnecting stops the attempts`, async (t) => {
      const { connection, recorder } = open(t, params('http://127.0.0.1:1', { version }));
      await recorder.entry((e) => e.detail === 'Reconnect attempt 1', 8000);
      assert.equal(connection.state.readyState, 'CONNECTING');
      connection.disconnect();
      assert.equal(connection.state.readyState, 'CLOSED');
      assert.equal(recorder.entries.at(-1)?.detail, 'Connection attempt cancelled by the client');
      const count = recorder.entries.length;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(recorder.entries.length, count, recorder.describe());
    });
  }

  it('says when nobody listens', async (t) => {
    const { connection, recorder } = open(t, params('http://127.0.0.1:1', { reconnection: false }));
    const error = await recorder.entry((e) => e.kind === 'error', 5000);
    assert.match(error.detail ?? '', /connect_error/);
    await waitUntil(() => connection.state.readyState === 'CLOSED', () => JSON.stringify(connection.state));
  });
});
