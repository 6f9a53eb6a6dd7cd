/**
 * Secret variables in Socket.IO sessions: a resolved secret may be in the URL, a query value, a
 * header or the auth payload. The server must receive it; nothing the session reports (state,
 * log entries, errors, action results), which is all the panel forwards to the webview, may hold it.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { MASK, type SessionOptions } from '../../src/core/sessionBase';
import { SocketIoConnection } from '../../src/core/socketIoConnection';
import type { ConnectionParams, SocketIoOptions } from '../../src/shared/protocol';
import { DEFAULT_SOCKET_IO_OPTIONS } from '../../src/shared/socketIo';
import { ConnectionRecorder, waitUntil } from './helpers/connectionRecorder';
import { startSocketIoServer } from './helpers/socketIoServer';

const TOKEN = 'tok-3f9a71c2e8';

interface Handshake {
  auth: unknown;
  query: unknown;
  header: unknown;
}

/**
 * A socket.io v4 server that accepts only `TOKEN` as auth.token and, like many real servers,
 * names the rejected credential in its refusal (message and data).
 */
async function startServer(t: TestContext): Promise<{ host: string; handshakes: Handshake[] }> {
  const handshakes: Handshake[] = [];
  const { port } = await startSocketIoServer(t, (io) => {
    io.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown }).token;
      if (token === TOKEN) {
        next();
        return;
      }
      const error = new Error(`invalid token ${String(token)} for key ${String(socket.handshake.query.key)}`) as Error & {
        data?: unknown;
      };
      error.data = { rejected: token, key: socket.handshake.query.key };
      next(error);
    });
    io.on('connection', (socket) => {
      handshakes.push({
        auth: socket.handshake.auth,
        query: socket.handshake.query.key,
        header: socket.handshake.headers['x-api-key'],
      });
    });
  });
  return { host: `127.0.0.1:${port}`, handshakes };
}

function params(url: string, options: Partial<SocketIoOptions>, headers: ConnectionParams['headers']): ConnectionParams {
  return { url, protocols: [], headers, kind: 'socketio', socketio: { ...DEFAULT_SOCKET_IO_OPTIONS, ...options } };
}

function open(t: TestContext, p: ConnectionParams, secrets: string[]) {
  const options: SessionOptions = { handshakeTimeoutMs: 3000, secrets };
  const connection = new SocketIoConnection(p, options);
  t.after(() => connection.dispose());
  const recorder = new ConnectionRecorder(connection);
  const result = connection.open();
  return { connection, recorder, result };
}

/** Everything the panel would forward to the webview from this session. */
function reported(connection: SocketIoConnection, recorder: ConnectionRecorder, result: unknown): string {
  return JSON.stringify({ state: connection.state, states: recorder.states, entries: recorder.entries, result });
}

function assertHidden(text: string, secrets: readonly string[]): void {
  for (const secret of secrets) assert.ok(!text.includes(secret), `"${secret}" must not be reported: ${text}`);
}

describe('Socket.IO session secrets', () => {
  it('sends the secret in URL, query, header and auth, and reports none of them', async (t) => {
    const server = await startServer(t);
    // The whole server address is a secret variable here, as for an internal host.
    const secrets = [TOKEN, server.host];
    const { connection, recorder, result } = open(
      t,
      params(
        `http://${server.host}`,
        { auth: JSON.stringify({ token: TOKEN }), query: [{ name: 'key', value: TOKEN }] },
        [{ name: 'X-Api-Key', value: TOKEN }],
      ),
      secrets,
    );
    assert.deepEqual(result, { ok: true });
    const opened = await recorder.kind('open', 5000);
    assert.deepEqual(server.handshakes, [{ auth: { token: TOKEN }, query: TOKEN, header: TOKEN }]);
    assert.ok(opened.detail?.includes(MASK), opened.detail);
    assert.equal(connection.state.url, `http://${MASK}`);
    connection.disconnect();
    await recorder.kind('close');
    assertHidden(reported(connection, recorder, result), secrets);
  });

  it("masks the secret in a refusal's connect_error message and server data", async (t) => {
    const server = await startServer(t);
    const wrong = `${TOKEN}-expired`;
    const secrets = [wrong, TOKEN];
    const { connection, recorder, result } = open(
      t,
      params(
        `http://${server.host}`,
        { auth: JSON.stringify({ token: wrong }), query: [{ name: 'key', value: TOKEN }], reconnection: false },
        [],
      ),
      secrets,
    );
    const error = await recorder.entry((e) => e.kind === 'error' && /connect_error/.test(e.detail ?? ''), 5000);
    assert.match(error.detail ?? '', /invalid token/);
    assert.ok(error.detail?.includes(MASK), error.detail);
    await waitUntil(() => connection.state.readyState === 'CLOSED', () => JSON.stringify(connection.state));
    assert.ok(connection.state.error?.includes(MASK), connection.state.error);
    assertHidden(reported(connection, recorder, result), secrets);
  });

  it('masks a secret host in the state and errors of a connection that cannot start', async (t) => {
    const secret = `h${TOKEN}`;
    const { connection, recorder, result } = open(
      t,
      params(`http://${secret}.invalid`, { reconnection: false, query: [{ name: 'key', value: TOKEN }] }, []),
      [secret, TOKEN],
    );
    await recorder.entry((e) => e.kind === 'error', 8000);
    await waitUntil(() => connection.state.readyState === 'CLOSED', () => JSON.stringify(connection.state));
    assert.equal(connection.state.url, `http://${MASK}.invalid`);
    assertHidden(reported(connection, recorder, result), [secret, TOKEN]);
  });

  for (const version of ['v4', 'v2'] as const) {
    it(`${version}: a wrong path or version ends with hints that hold no secret`, async (t) => {
      const server = await startServer(t);
      const secrets = [TOKEN, server.host];
      const options: Partial<SocketIoOptions> =
        version === 'v4' ? { path: '/wrong', reconnection: false } : { version: 'v2', reconnection: false };
      const { connection, recorder, result } = open(
        t,
        params(`http://${server.host}`, { ...options, query: [{ name: 'key', value: TOKEN }] }, [
          { name: 'Authorization', value: `Bearer ${TOKEN}` },
        ]),
        secrets,
      );
      await recorder.entry((e) => e.kind === 'error', 8000);
      await waitUntil(() => connection.state.readyState === 'CLOSED', () => JSON.stringify(connection.state));
      // The version probe runs after the first failure; give its hint time to arrive.
      await new Promise((resolve) => setTimeout(resolve, 500));
      assertHidden(reported(connection, recorder, result), secrets);
    });
  }
});
