// HAR in the extension host: Import HAR… adds a collection (endpoint, saved messages, replay flow)
// and opens the recorded log in a panel; Export as HAR… writes that log back with the same
// messages, and a live connection's log with its handshake, cookies stripped. Hostile files are
// refused with nothing added.
import * as assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WebSocketServer } from 'ws';
import type { HarImportOutcome } from '../../src/extension/harCommands';
import type { WebSocketDebuggerApi } from '../../src/extension/extension';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'websocket-debugger.websocket-debugger';
const root = path.resolve(__dirname, '../../..');
const CHROME = vscode.Uri.file(path.join(root, 'test/fixtures/har/chrome.har'));

interface HarFile {
  log: { entries: { request: { url: string; headers: { name: string }[] }; response: { status: number }; _webSocketMessages: { type: string; time: number; opcode: number; data: string }[] }[] };
}

describe('HAR import and export', () => {
  let api: WebSocketDebuggerApi;
  const tempDir = vscode.Uri.file(path.join(os.tmpdir(), `wsdebug-har-${process.pid}-${Date.now()}`));
  const read = async (uri: vscode.Uri): Promise<HarFile> => JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))) as HarFile;

  before(async () => {
    api = await vscode.extensions.getExtension<WebSocketDebuggerApi>(EXTENSION_ID)!.activate();
    await vscode.workspace.fs.createDirectory(tempDir);
  });

  after(async () => {
    await vscode.workspace.fs.delete(tempDir, { recursive: true, useTrash: false });
  });

  afterEach(() => {
    for (const panel of api.panels.all) panel.dispose();
  });

  it('registers Export as HAR… and Import HAR…', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('websocketDebugger.exportHar'));
    assert.ok(commands.includes('websocketDebugger.importHar'));
  });

  it('imports the Chrome fixture as a collection and opens its log; exporting that log gives back the same messages', async () => {
    const before = api.store.collections.length;
    const outcome = await vscode.commands.executeCommand<HarImportOutcome>('websocketDebugger.importHar', CHROME, { keepCookies: false, openLogs: true });
    assert.ok(outcome, 'the import returns what it did');
    assert.equal(api.store.collections.length, before + 1);
    const endpoint = outcome.collection.endpoints[0]!;
    assert.equal(endpoint.url, 'ws://localhost:8765/echo?room=lobby');
    assert.equal(endpoint.messages?.length, 3);
    assert.equal(endpoint.headers.some((h) => h.name === 'Cookie'), false);
    assert.equal(outcome.collection.flows?.[0]?.name, 'Replay localhost:8765/echo');
    const panel = outcome.panels[0]!;
    assert.equal(panel.title, 'localhost:8765/echo (HAR)');
    assert.equal(panel.isConnected, false, 'a recorded log does not connect');
    assert.equal(panel.currentParams.url, endpoint.url);
    assert.equal(panel.entries.filter((e) => e.kind === 'message').length, 6);
    const refused = await panel.connect();
    assert.equal(refused.ok, false, 'a recorded log never connects');
    assert.match(refused.ok ? '' : refused.error, /recorded log and does not connect/);

    const target = vscode.Uri.joinPath(tempDir, 'roundtrip.har');
    const written = await vscode.commands.executeCommand<string>('websocketDebugger.exportHar', { keepCookies: false, keepSecrets: false, file: target.fsPath });
    assert.equal(written, target.fsPath);
    const original = await read(CHROME);
    const exported = await read(target);
    assert.equal(exported.log.entries.length, 1);
    assert.equal(exported.log.entries[0]!.request.url, endpoint.url);
    assert.deepEqual(exported.log.entries[0]!._webSocketMessages, original.log.entries[1]!._webSocketMessages);
  });

  it('exports a live connection with its handshake, and strips the Cookie header', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/live`;
      const panel = api.panels.open({ url, protocols: [], headers: [{ name: 'Cookie', value: 'sid=7' }] });
      await waitFor('the socket to open', () => panel.state.readyState === 'OPEN');
      const target = vscode.Uri.joinPath(tempDir, 'live.har');
      const written = await panel.exportHar({ keepCookies: false, keepSecrets: false, file: target.fsPath });
      assert.equal(written, target.fsPath);
      const entry = (await read(target)).log.entries[0]!;
      assert.equal(entry.request.url, url);
      assert.equal(entry.response.status, 101);
      const names = entry.request.headers.map((h) => h.name.toLowerCase());
      assert.ok(names.includes('sec-websocket-key'), names.join(', '));
      assert.equal(names.includes('cookie'), false);
    } finally {
      for (const client of server.clients) client.terminate();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses truncated, hostile and non-HAR files, adding nothing', async () => {
    const before = JSON.stringify(api.store.collections);
    for (const [name, text] of [
      ['cut.har', '{"log":{"entries":[{"request":{"url":"ws://h/"'],
      ['proto.har', '{"log":{"entries":[{"request":{"url":"ws://h/"},"__proto__":{"x":1}}]}}'],
      ['deep.har', `${'['.repeat(5000)}${']'.repeat(5000)}`],
      ['base64.har', '{"log":{"entries":[{"request":{"url":"ws://h/"},"_webSocketMessages":[{"type":"send","opcode":2,"data":"%%%"}]}]}}'],
      ['http.har', '{"log":{"entries":[{"request":{"url":"https://h/"},"response":{"status":200}}]}}'],
    ]) {
      const uri = vscode.Uri.joinPath(tempDir, name);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      assert.equal(await vscode.commands.executeCommand('websocketDebugger.importHar', uri, { openLogs: true }), undefined, name);
    }
    assert.equal(JSON.stringify(api.store.collections), before);
    assert.equal(api.panels.all.length, 0);
  });
});

