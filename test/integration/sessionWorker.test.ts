import * as assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { WebSocketServer } from 'ws';
import type { WebSocketDebuggerApi } from '../../src/extension/extension';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'websocket-debugger.websocket-debugger';

describe('Sessions in a worker thread', () => {
  let api: WebSocketDebuggerApi;
  let server: WebSocketServer;
  let url: string;

  before(async () => {
    api = await vscode.extensions.getExtension<WebSocketDebuggerApi>(EXTENSION_ID)!.activate();
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    // Every connection gets three messages at once.
    server.on('connection', (socket) => {
      for (let i = 1; i <= 3; i++) socket.send(`hello ${i}`);
    });
  });

  after(() => {
    for (const panel of api.panels.all) panel.dispose();
    server.close();
  });

  for (const fault of ['throw', 'exit'] as const) {
    it(`a worker that ${fault === 'throw' ? 'throws' : 'exits'} closes the session with the reason, keeps the log, and Connect works again`, async function () {
      this.timeout(30_000);
      const panel = api.panels.open({ url, protocols: [], headers: [] });
      await waitFor('OPEN', () => panel.state.readyState === 'OPEN', 10_000);
      await waitFor('the three messages', () => panel.entries.filter((e) => e.kind === 'message').length === 3, 10_000);

      assert.equal(panel.injectWorkerFault(fault), true, 'the session runs in a worker');
      await waitFor('CLOSED', () => panel.state.readyState === 'CLOSED', 10_000);
      const reason = fault === 'throw' ? /a fault injected by a test/ : /exited with code 70/;
      assert.match(panel.state.error ?? '', /^The session worker stopped \(/);
      assert.match(panel.state.error ?? '', reason);
      const failure = panel.entries.find((e) => e.kind === 'error' && /The session worker stopped/.test(e.detail ?? ''));
      assert.ok(failure, 'the failure is an entry of the log');
      assert.match(failure.detail ?? '', reason);
      const received = panel.entries.filter((e) => e.kind === 'message').map((e) => (e.payload?.kind === 'text' ? e.payload.text : ''));
      assert.deepEqual(received, ['hello 1', 'hello 2', 'hello 3'], 'the log received so far is kept');

      // Connect again: a new worker, a new session in the same panel, after the old log.
      const result = await panel.connect();
      assert.deepEqual(result, { ok: true });
      await waitFor('OPEN again', () => panel.state.readyState === 'OPEN', 10_000);
      await waitFor('three more messages', () => panel.entries.filter((e) => e.kind === 'message').length === 6, 10_000);
      panel.dispose();
    });
  }
});
