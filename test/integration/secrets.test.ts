import * as assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { exportCollection } from '../../src/shared/collections';
import { DEFAULT_SOCKET_IO_OPTIONS } from '../../src/shared/socketIo';
import type { WebSocketDebuggerApi } from '../../src/extension/extension';
import { waitFor } from './waitFor';

/** A loopback port nothing listens on (it was free a moment ago). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A socket.io v4 server that refuses every connection and, as careless servers do, quotes the
 * credentials it was given in its connect_error (message and data). `seen` holds what it got.
 */
async function startQuotingSocketIoServer(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const { Server } = createRequire(__filename)('socket.io') as typeof import('socket.io');
  const http = createHttpServer();
  const io = new Server(http);
  const seen: string[] = [];
  io.use((socket, next) => {
    const quoted = JSON.stringify({
      auth: socket.handshake.auth,
      key: socket.handshake.query.key,
      header: socket.handshake.headers['x-api-key'],
    });
    seen.push(quoted);
    next(Object.assign(new Error(`refused ${quoted}`), { data: quoted }));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        void io.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}

describe('Secret variables in the extension host', () => {
  const SECRET = `it-secret-${Date.now()}`;
  let api: WebSocketDebuggerApi;

  before(async () => {
    api = await vscode.extensions.getExtension<WebSocketDebuggerApi>('websocket-debugger.websocket-debugger')!.activate();
  });

  it('keeps a secret value in SecretStorage only: not in globalState, not in the export', async () => {
    const endpoint = await api.store.save('Secrets IT', { name: 'Api', url: 'wss://example.test/?t={{token}}', protocols: [], headers: [] });
    const collection = api.store.collections.find((c) => c.endpoints.some((e) => e.id === endpoint.id))!;
    const saved = await api.environments.save(collection.id, {
      name: 'prod',
      variables: [
        { name: 'token', value: SECRET, secret: true },
        { name: 'host', value: 'example.test' },
      ],
    });
    assert.deepEqual(saved, { ok: true });

    const stored = JSON.stringify(api.store.memento.get('websocketDebugger.collections'));
    assert.ok(stored.includes('"token"'), 'the variable name is stored');
    assert.ok(!stored.includes(SECRET), 'globalState never holds the secret value');

    const current = api.store.collections.find((c) => c.id === collection.id)!;
    assert.equal(current.activeEnvironment, 'prod');
    const variables = await api.environments.activeVariables(current);
    assert.deepEqual(variables.find((v) => v.name === 'token'), { name: 'token', value: SECRET, secret: true });
    assert.ok(!exportCollection(current).includes(SECRET), 'the export carries the name only');

    // Saving again with the secret left empty keeps the stored value.
    await api.environments.save(collection.id, { name: 'prod', variables: [{ name: 'token', value: '', secret: true }] });
    const again = await api.environments.activeVariables(api.store.collections.find((c) => c.id === collection.id));
    assert.equal(again.find((v) => v.name === 'token')?.value, SECRET);

    // A variable that stops being secret leaves SecretStorage.
    await api.environments.save(collection.id, { name: 'prod', variables: [{ name: 'token', value: 'public' }] });
    const plain = await api.environments.activeVariables(api.store.collections.find((c) => c.id === collection.id));
    assert.deepEqual(plain, [{ name: 'token', value: 'public' }]);
    await api.store.delete(endpoint.id);
  });

  it('keeps a secret out of the state, the log, errors and settings when a connection using it fails', async () => {
    const url = `ws://127.0.0.1:${await closedPort()}/feed?t={{token}}`;
    const headers = [{ name: 'Authorization', value: 'Bearer {{token}}' }];
    const endpoint = await api.store.save('Secrets IT failing', { name: 'Down', url, protocols: [], headers });
    const collection = api.store.collections.find((c) => c.endpoints.some((e) => e.id === endpoint.id))!;
    await api.environments.save(collection.id, { name: 'prod', variables: [{ name: 'token', value: SECRET, secret: true }] });
    const panel = api.panels.open({ url, protocols: [], headers }, 'Down');
    try {
      await waitFor('the connection to fail', () => panel.state.readyState === 'CLOSED' && panel.state.error !== undefined);
      assert.match(panel.state.error ?? '', /ECONNREFUSED/);
      const seen = JSON.stringify({
        state: panel.state,
        entries: panel.entries,
        stored: api.store.memento.get('websocketDebugger.collections'),
        settings: vscode.workspace.getConfiguration('websocketDebugger'),
      });
      assert.ok(seen.includes('ECONNREFUSED'), 'the failure is reported');
      assert.ok(!seen.includes(SECRET), 'the secret value shows somewhere it must not');
    } finally {
      panel.panel.dispose();
      await api.store.delete(endpoint.id);
    }
  });

  it('keeps a secret used in a Socket.IO query, header and auth payload out of the state, the log and errors', async () => {
    const server = await startQuotingSocketIoServer();
    const params = {
      url: server.url,
      protocols: [],
      headers: [{ name: 'X-Api-Key', value: '{{token}}' }],
      kind: 'socketio' as const,
      socketio: {
        ...DEFAULT_SOCKET_IO_OPTIONS,
        reconnection: false,
        auth: '{"token": "{{token}}"}',
        query: [{ name: 'key', value: '{{token}}' }],
      },
    };
    const endpoint = await api.store.save('Secrets IT Socket.IO', { name: 'Refusing', ...params });
    const collection = api.store.collections.find((c) => c.endpoints.some((e) => e.id === endpoint.id))!;
    await api.environments.save(collection.id, { name: 'prod', variables: [{ name: 'token', value: SECRET, secret: true }] });
    const panel = api.panels.open(params, 'Refusing');
    try {
      await waitFor('the refusal', () => panel.state.readyState === 'CLOSED' && /connect_error/.test(panel.state.error ?? ''));
      assert.ok(
        server.seen.some((quoted) => quoted.split(SECRET).length === 4),
        `the server got the value in the auth payload, the query and the header: ${server.seen.join(' ')}`,
      );
      const seen = JSON.stringify({
        state: panel.state,
        entries: panel.entries,
        stored: api.store.memento.get('websocketDebugger.collections'),
        settings: vscode.workspace.getConfiguration('websocketDebugger'),
      });
      assert.match(seen, /connect_error: refused/, 'the refusal is reported');
      assert.ok(!seen.includes(SECRET), `the secret value shows somewhere it must not: ${seen}`);
    } finally {
      panel.panel.dispose();
      await api.store.delete(endpoint.id);
      await server.close();
    }
  });
});
