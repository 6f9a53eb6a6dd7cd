/**
 * VS Code's proxy support and the endpoint option "Bypass proxy", in the real extension host:
 * VS Code patches `http` / `https` here, so these tests see what users get. The proxy is
 * test/e2e/connectProxy.mjs; `http.proxy` is set through the configuration API while they run.
 *
 * The servers listen on 127.0.0.2: VS Code never proxies "localhost" and "127.0.0.1", but any
 * other address (the rest of 127.0.0.0/8 included) goes through the configured proxy.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vscode from 'vscode';
import type { DebuggerPanel } from '../../src/extension/debuggerPanel';
import type { WebSocketDebuggerApi } from '../../src/extension/extension';
import type { ConnectionParams } from '../../src/shared/protocol';
import { DEFAULT_SOCKET_IO_OPTIONS } from '../../src/shared/socketIo';
import { startWsServer, type Running } from '../unit/helpers/testServers';
import { makeCerts, startWssServer, type TestCerts } from '../unit/helpers/tlsServers';
import { startSocketIoEcho } from './socketIoServers';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'websocket-debugger.websocket-debugger';
const HOST = '127.0.0.2';

interface TestProxy {
  url: string;
  port: number;
  /** "CONNECT host:port" or "GET http://host:port/path", one per request the proxy got. */
  seen: string[];
  close(): Promise<void>;
}

async function startProxy(): Promise<TestProxy> {
  const file = path.resolve(__dirname, '../../../test/e2e/connectProxy.mjs');
  const module = (await import(pathToFileURL(file).href)) as { startConnectProxy(): Promise<TestProxy> };
  return module.startConnectProxy();
}

describe('Proxy: VS Code\'s http.proxy and the endpoint option Bypass proxy', () => {
  let api: WebSocketDebuggerApi;
  let proxy: TestProxy;
  let ws: Running<unknown>;
  let wss: Running<unknown>;
  let certs: TestCerts;
  const http = () => vscode.workspace.getConfiguration('http');
  const seenFor = (port: number) => proxy.seen.filter((line) => line.includes(`${HOST}:${port}`));

  async function connected(params: ConnectionParams): Promise<DebuggerPanel> {
    const panel = api.panels.open(params);
    await waitFor(`${params.url} to open`, () => panel.state.readyState === 'OPEN' || panel.state.error !== undefined, 15_000);
    assert.equal(panel.state.error, undefined, 'the connection failed');
    return panel;
  }

  before(async () => {
    api = await vscode.extensions.getExtension<WebSocketDebuggerApi>(EXTENSION_ID)!.activate();
    proxy = await startProxy();
    ws = await startWsServer({ host: HOST });
    certs = await makeCerts();
    wss = await startWssServer({ key: certs.read('self.key'), cert: certs.read('self.pem') }, HOST);
    await http().update('proxySupport', 'override', vscode.ConfigurationTarget.Global);
    await http().update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    for (const panel of api.panels.all) panel.dispose();
    await http().update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await http().update('noProxy', undefined, vscode.ConfigurationTarget.Global);
    await http().update('proxySupport', undefined, vscode.ConfigurationTarget.Global);
    await Promise.all([proxy.close(), ws.close(), wss.close()]);
    certs.remove();
  });

  afterEach(() => {
    for (const panel of api.panels.all) panel.dispose();
  });

  it('ws:// goes through the configured proxy, and the route says so', async () => {
    const panel = await connected({ url: ws.url, protocols: [], headers: [] });
    assert.deepEqual(seenFor(ws.port), [`GET http://${HOST}:${ws.port}/`]);
    assert.equal(panel.state.inspector?.route, `PROXY 127.0.0.1:${proxy.port}`);
    assert.equal(panel.state.inspector?.proxyBypassed, undefined);
  });

  it('wss:// is tunnelled with CONNECT', async () => {
    const panel = await connected({ url: wss.url, protocols: [], headers: [], options: { acceptInvalidCerts: true } });
    assert.deepEqual(seenFor(wss.port), [`CONNECT ${HOST}:${wss.port}`]);
    assert.equal(panel.state.inspector?.route, `PROXY 127.0.0.1:${proxy.port}`);
    assert.equal(panel.state.inspector?.tls?.authorized, false, 'the TLS session is the server\'s, through the tunnel');
  });

  it('Bypass proxy connects ws:// and wss:// directly while http.proxy is set', async () => {
    const before = proxy.seen.length;
    const plain = await connected({ url: ws.url, protocols: [], headers: [], options: { bypassProxy: true } });
    const secure = await connected({ url: wss.url, protocols: [], headers: [], options: { bypassProxy: true, acceptInvalidCerts: true } });
    assert.deepEqual(proxy.seen.slice(before), [], 'the proxy saw a request');
    for (const panel of [plain, secure]) {
      assert.equal(panel.state.inspector?.route, undefined, 'VS Code\'s proxy agent was not involved');
      assert.equal(panel.state.inspector?.proxyBypassed, true);
      assert.ok(panel.state.inspector?.remoteAddress?.startsWith(`${HOST}:`), 'the socket is connected to the server itself');
    }
    assert.ok(secure.state.inspector?.timing.tlsMs !== undefined, 'the TLS handshake with the server was timed');
  });

  it('http.noProxy keeps working as VS Code defines it', async () => {
    await http().update('noProxy', [HOST], vscode.ConfigurationTarget.Global);
    try {
      const before = proxy.seen.length;
      const panel = await connected({ url: ws.url, protocols: [], headers: [] });
      assert.deepEqual(proxy.seen.slice(before), []);
      assert.equal(panel.state.inspector?.route, 'DIRECT');
    } finally {
      await http().update('noProxy', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('the Engine.IO version probe after a failed Socket.IO connection bypasses the proxy too', async () => {
    const server = await startSocketIoEcho('v2', HOST);
    try {
      const before = proxy.seen.length;
      const panel = api.panels.open({
        url: server.url,
        protocols: [],
        headers: [],
        kind: 'socketio',
        socketio: { ...DEFAULT_SOCKET_IO_OPTIONS, version: 'v4' },
        options: { bypassProxy: true },
      });
      await waitFor('the version hint', () => /choose v2/.test(panel.state.error ?? ''), 15_000);
      assert.deepEqual(proxy.seen.slice(before), [], 'the proxy saw a request');
    } finally {
      await server.close();
    }
  });

  for (const version of ['v4', 'v2'] as const) {
    it(`Socket.IO ${version} endpoints bypass the proxy for polling and WebSocket alike`, async () => {
      const server = await startSocketIoEcho(version, HOST);
      const port = Number(new URL(server.url).port);
      const open = (transports: 'polling' | 'websocket', options?: ConnectionParams['options']) =>
        api.panels.open({
          url: server.url,
          protocols: [],
          headers: [],
          kind: 'socketio',
          socketio: { ...DEFAULT_SOCKET_IO_OPTIONS, version, transports },
          ...(options ? { options } : {}),
        });
      try {
        const before = proxy.seen.length;
        const panel = open('polling', { bypassProxy: true });
        await waitFor('the upgrade to websocket', () => panel.state.socketio?.transport === 'websocket', 15_000);
        assert.deepEqual(proxy.seen.slice(before), [], 'the proxy saw a request');
        assert.ok(panel.entries.some((e) => e.kind === 'info' && /Bypass proxy is on/.test(e.detail ?? '')));

        // Without the option, the WebSocket transport goes through the proxy.
        panel.dispose();
        const proxied = open('websocket');
        await waitFor('the Socket.IO connection', () => proxied.state.readyState === 'OPEN', 15_000);
        assert.equal(seenFor(port).length, 1, 'the WebSocket transport went through the proxy');
      } finally {
        await server.close();
      }
    });
  }
});
