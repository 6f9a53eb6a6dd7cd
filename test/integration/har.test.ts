// HAR in the extension host: Import HAR… adds a collection (endpoint, saved messages, replay flow)
// and opens the recorded log in a panel; Export as HAR… writes that log back with the same
// messages, and a live connection's log with its handshake, cookies stripped. Hostile files are
// refused with nothing added.
import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WebSocketServer } from 'ws';
import type { DebuggerPanel } from '../../src/extension/debuggerPanel';
import type { HarImportOutcome } from '../../src/extension/harCommands';
import { compileFilter, NO_FILTER } from '../../src/shared/logFilter';
import type { WebSocketDebuggerApi } from '../../src/extension/extension';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'websocket-debugger.websocket-debugger';
const root = path.resolve(__dirname, '../../..');
const CHROME = vscode.Uri.file(path.join(root, 'test/fixtures/har/chrome.har'));
const CHROME_SOCKET_IO = path.join(root, 'test/fixtures/har/chrome-socketio.har');

/**
 * A socket.io v4 server (the npm package, in this process) whose namespace /chat echoes "echo"
 * back as an event and, when asked, as the ack: what the Chrome fixture's page talked to.
 */
async function startChatEcho(): Promise<{ host: string; close(): Promise<void> }> {
  const { Server } = createRequire(__filename)('socket.io') as typeof import('socket.io');
  const httpServer = createServer();
  const io = new Server(httpServer);
  io.of('/chat').on('connection', (socket) => {
    socket.on('echo', (...args: unknown[]) => {
      const ack = typeof args.at(-1) === 'function' ? (args.pop() as (...reply: unknown[]) => void) : undefined;
      socket.emit('echo', ...args);
      ack?.(...args);
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(httpServer.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        void io.close();
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      }),
  };
}

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

  it('imports the Chrome Socket.IO fixture: its read-only log shows the events to the filter, and its replay flow passes live', async () => {
    const server = await startChatEcho();
    try {
      // The page was recorded against localhost:3000; the same recording, pointed at the live server.
      const text = (await vscode.workspace.fs.readFile(vscode.Uri.file(CHROME_SOCKET_IO))).toString().replaceAll('localhost:3000', server.host);
      const file = vscode.Uri.joinPath(tempDir, 'chrome-socketio.har');
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
      const outcome = await vscode.commands.executeCommand<HarImportOutcome>('websocketDebugger.importHar', file, { keepCookies: false, openLogs: true });
      assert.ok(outcome, 'the import returns what it did');
      const endpoint = outcome.collection.endpoints[0]!;
      assert.equal(endpoint.kind, 'socketio');
      assert.equal(endpoint.url, `http://${server.host}`);
      assert.equal(endpoint.socketio?.namespace, '/chat');
      assert.equal(endpoint.headers.some((h) => h.name === 'Cookie'), false);

      const panel = outcome.panels[0]!;
      assert.equal(panel.isConnected, false, 'a recorded log does not connect');
      const refused = await panel.connect();
      assert.match(refused.ok ? '' : refused.error, /recorded log and does not connect/);
      const log = panel.entries;
      assert.deepEqual(log.map((e) => e.kind), ['open', 'event', 'event', 'event', 'event', 'ack', 'event', 'event', 'close']);
      assert.deepEqual(
        log.filter((e) => e.event).map((e) => [e.kind, e.direction, e.event!.name, e.event!.args.map((a) => (a.kind === 'text' ? a.text : `<binary ${a.base64}>`))]),
        [
          ['event', 'sent', 'echo', ['{"text":"hello","n":1}']],
          ['event', 'received', 'echo', ['{"text":"hello","n":1}']],
          ['event', 'sent', 'echo', ['"with ack"']],
          ['event', 'received', 'echo', ['"with ack"']],
          ['ack', 'received', 'echo', ['"with ack"']],
          ['event', 'sent', 'echo', ['<binary AAEC/w==>']],
          ['event', 'received', 'echo', ['<binary AAEC/w==>']],
        ],
      );
      // The log's filter (the webview's, from src/shared) sees the events' names and arguments.
      const matching = (spec: Partial<typeof NO_FILTER>): string[] => {
        const compiled = compileFilter({ ...NO_FILTER, ...spec });
        if (!compiled.ok) assert.fail(compiled.error);
        return log.filter((e) => compiled.filter.test(e)).map((e) => `${e.kind} ${e.direction}`);
      };
      assert.deepEqual(matching({ text: 'with ack' }), ['event sent', 'event received', 'ack received']);
      assert.deepEqual(matching({ text: '"n":1', direction: 'received' }), ['event received']);
      assert.equal(matching({ text: 'echo' }).length, 7);

      // The replay flow, run from the Endpoints view as a user would, passes against the live server.
      const collectionNode = api.tree.getChildren().find((n) => n.kind === 'collection' && n.collection.id === outcome.collection.id);
      assert.ok(collectionNode, 'the imported collection is in the Endpoints view');
      const flowNode = api.tree.getChildren(collectionNode).find((n) => n.kind === 'flow');
      assert.ok(flowNode, 'its replay flow is listed');
      const run = await vscode.commands.executeCommand<DebuggerPanel>('websocketDebugger.runFlow', flowNode);
      const details = run.entries.map((e) => `${e.kind} ${e.direction} ${e.detail ?? ''}`);
      assert.ok(details.includes('info none 1 passed, 0 failed'), details.join('\n'));
      assert.ok(run.entries.some((e) => e.kind === 'ack' && e.direction === 'received'), 'the live ack is in the run log');
      run.panel.dispose();
    } finally {
      await server.close();
    }
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

