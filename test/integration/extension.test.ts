import * as assert from 'node:assert/strict';
import { truncate } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WebSocketServer, type WebSocket } from 'ws';
import type { DebuggerPanel } from '../../src/extension/debuggerPanel';
import type { WebSocketDebuggerApi } from '../../src/extension/extension';
import { DEFAULT_SOCKET_IO_OPTIONS } from '../../src/shared/socketIo';
import { startSocketIoEcho } from './socketIoServers';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'websocket-debugger.websocket-debugger';

/** A real `ws` echo server on a free loopback port that remembers its sockets. */
class EchoServer {
  readonly sockets: WebSocket[] = [];
  readonly closes: { code: number; reason: string }[] = [];
  readonly server: WebSocketServer;

  constructor() {
    this.server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.server.on('connection', (socket) => {
      this.sockets.push(socket);
      socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
      socket.on('close', (code, reason) => this.closes.push({ code, reason: reason.toString() }));
    });
  }

  async listening(): Promise<string> {
    if (!this.server.address()) await new Promise((resolve) => this.server.once('listening', resolve));
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  get openSockets(): number {
    return this.sockets.filter((s) => s.readyState === s.OPEN).length;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('WebSocket Debugger in the extension host', () => {
  let api: WebSocketDebuggerApi;
  let server: EchoServer;
  let url: string;
  const tempDir = vscode.Uri.file(path.join(os.tmpdir(), `wsdebug-it-${process.pid}-${Date.now()}`));

  before(async () => {
    const extension = vscode.extensions.getExtension<WebSocketDebuggerApi>(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
    api = await extension.activate();
    server = new EchoServer();
    url = await server.listening();
    await vscode.workspace.fs.createDirectory(tempDir);
  });

  after(async () => {
    await server.close();
    await vscode.workspace.fs.delete(tempDir, { recursive: true, useTrash: false });
  });

  afterEach(() => {
    for (const panel of api.panels.all) panel.dispose();
  });

  it('activates quickly and returns its API', () => {
    assert.ok(api.panels);
    assert.ok(api.store);
    assert.ok(api.activationMs < 1000, `activation took ${api.activationMs} ms`);
  });

  it('registers every command', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of [
      'websocketDebugger.connect',
      'websocketDebugger.openDebugger',
      'websocketDebugger.disconnect',
      'websocketDebugger.saveEndpoint',
      'websocketDebugger.importCollection',
      'websocketDebugger.exportCollection',
      'websocketDebugger.renameEndpoint',
      'websocketDebugger.deleteEndpoint',
    ]) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
  });

  it('Connect with a URL opens a panel and a real connection', async () => {
    const before = server.sockets.length;
    const panel = await vscode.commands.executeCommand<DebuggerPanel>('websocketDebugger.connect', url);
    assert.ok(panel, 'the command returns the panel');
    await waitFor('the socket to open', () => panel.state.readyState === 'OPEN');
    assert.equal(server.sockets.length, before + 1);
    assert.equal(panel.title, new URL(url).host);
    assert.equal(panel.state.url, url);
    assert.ok(panel.entries.some((e) => e.kind === 'open'), 'an open entry is logged');
  });

  it('Connect refuses an invalid URL without opening a panel', async () => {
    const count = api.panels.all.length;
    const panel = await vscode.commands.executeCommand<DebuggerPanel | undefined>(
      'websocketDebugger.connect',
      'http://127.0.0.1:1/',
    );
    assert.equal(panel, undefined);
    assert.equal(api.panels.all.length, count);
  });

  it('keeps several connections open at once, each in its own panel', async () => {
    const first = await vscode.commands.executeCommand<DebuggerPanel>('websocketDebugger.connect', url);
    const second = await vscode.commands.executeCommand<DebuggerPanel>('websocketDebugger.connect', url);
    assert.notEqual(first, second);
    await waitFor('both sockets to open', () => first.state.readyState === 'OPEN' && second.state.readyState === 'OPEN');
    assert.equal(api.panels.all.length, 2);
  });

  it('disposing a panel closes its socket', async () => {
    const panel = await vscode.commands.executeCommand<DebuggerPanel>('websocketDebugger.connect', url);
    await waitFor('the socket to open', () => panel.state.readyState === 'OPEN');
    const socket = server.sockets[server.sockets.length - 1];
    panel.panel.dispose();
    await waitFor('the server to see the socket close', () => socket.readyState === socket.CLOSED);
    assert.equal(api.panels.all.includes(panel), false);
  });

  it('saves endpoints in globalState through the store', async () => {
    const panel = await vscode.commands.executeCommand<DebuggerPanel>('websocketDebugger.connect', url);
    const result = await panel.saveEndpoint(
      { url, protocols: ['chat'], headers: [{ name: 'X-Team', value: 'blue' }] },
      'Integration echo',
      'Integration',
    );
    assert.deepEqual(result, { ok: true });
    const saved = api.store.collections.find((c) => c.name === 'Integration');
    assert.ok(saved, 'the collection exists');
    assert.equal(saved.endpoints[0].name, 'Integration echo');
    assert.deepEqual(saved.endpoints[0].headers, [{ name: 'X-Team', value: 'blue' }]);
    assert.equal(panel.title, 'Integration echo');
    // The data is in globalState itself, not only in memory.
    const stored = api.store.memento.get<unknown[]>('websocketDebugger.collections');
    assert.ok(Array.isArray(stored) && stored.length >= 1);
  });

  it('exports and imports a collection through the workspace file system', async () => {
    const saved = api.store.collections.find((c) => c.name === 'Integration');
    assert.ok(saved, 'saved by the previous test');
    // A saved message goes through the store into globalState and from there into the file.
    const message = { name: 'Subscribe', format: 'json' as const, body: '{"op":"subscribe"}' };
    const changed = await api.store.changeMessages(saved.endpoints[0].id, (messages) => ({ ok: true, messages: [...messages, message] }));
    assert.equal(changed.ok, true);
    const source = api.store.collections.find((c) => c.name === 'Integration');
    assert.ok(source);
    assert.deepEqual(source.endpoints[0].messages, [message]);
    const target = vscode.Uri.joinPath(tempDir, 'integration.json');
    const written = await vscode.commands.executeCommand<vscode.Uri>('websocketDebugger.exportCollection', source.id, target);
    assert.equal(written?.toString(), target.toString());
    const file = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(target)));
    assert.equal(file.format, 'websocket-debugger-collection');
    assert.equal(file.version, 3);
    assert.equal(file.endpoints[0].url, url);
    assert.deepEqual(file.endpoints[0].messages, [message]);

    const countBefore = api.store.collections.length;
    const imported = await vscode.commands.executeCommand<{ name: string; endpoints: unknown[] }>(
      'websocketDebugger.importCollection',
      target,
    );
    assert.ok(imported, 'the import returns the new collection');
    assert.equal(imported.name, 'Integration (2)', 'a name clash never overwrites the saved collection');
    assert.equal(imported.endpoints.length, 1);
    assert.deepEqual((imported.endpoints[0] as { messages?: unknown }).messages, [message]);
    assert.equal(api.store.collections.length, countBefore + 1);
  });

  it('refuses a malformed collection file and leaves the saved ones untouched', async () => {
    const before = JSON.stringify(api.store.collections);
    const bad = vscode.Uri.joinPath(tempDir, 'bad.json');
    await vscode.workspace.fs.writeFile(bad, new TextEncoder().encode('{"format":"websocket-debugger-collection","version":99}'));
    const result = await vscode.commands.executeCommand('websocketDebugger.importCollection', bad);
    assert.equal(result, undefined);
    assert.equal(JSON.stringify(api.store.collections), before);
  });

  it('refuses a 1 GB file, a truncated file and a __proto__ key, leaving the saved collections untouched', async () => {
    const before = JSON.stringify(api.store.collections);
    const huge = vscode.Uri.joinPath(tempDir, 'huge.json');
    await vscode.workspace.fs.writeFile(huge, new Uint8Array());
    // Sparse: 1 GB long without using the disk; the import must refuse it from its size.
    await truncate(huge.fsPath, 1024 * 1024 * 1024);
    const started = Date.now();
    assert.equal(await vscode.commands.executeCommand('websocketDebugger.importCollection', huge), undefined);
    assert.ok(Date.now() - started < 2000, 'the 1 GB file was read');
    for (const [name, text] of [
      ['truncated.json', '{"format":"websocket-debugger-collection","version":1,"name":"T","endpoints":['],
      ['proto.json', '{"format":"websocket-debugger-collection","version":1,"name":"T","__proto__":{"x":1},"endpoints":[]}'],
    ]) {
      const uri = vscode.Uri.joinPath(tempDir, name);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      assert.equal(await vscode.commands.executeCommand('websocketDebugger.importCollection', uri), undefined, name);
    }
    assert.equal(JSON.stringify(api.store.collections), before);
  });

  it('shows the collection a workspace shares in .vscode/websocket-debugger.json, without connecting to it', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests run in a workspace folder');
    const file = vscode.Uri.joinPath(folder.uri, '.vscode', 'websocket-debugger.json');
    const connectionsBefore = server.sockets.length;
    const shared = { format: 'websocket-debugger-collection', version: 1, name: 'Shared\u202Etxt', endpoints: [{ name: 'Team echo', url }] };
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify(shared)));
    await api.workspaceCollections.reload();
    const [entry] = api.workspaceCollections.all;
    assert.equal(entry?.collection?.name, 'Shared\u202Etxt');
    const roots = api.tree.getChildren();
    const node = roots.find((n) => n.workspace !== undefined);
    assert.ok(node, 'the tree lists the workspace collection');
    const item = api.tree.getTreeItem(node);
    assert.equal(item.label, 'Shared<U+202E>txt', 'the bidi override is shown, not obeyed');
    assert.equal(item.contextValue, 'workspaceCollection');
    const [endpointNode] = api.tree.getChildren(node);
    assert.equal(api.tree.getTreeItem(endpointNode!).contextValue, 'workspaceEndpoint');
    // Listed, never connected by itself.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(server.sockets.length, connectionsBefore);
    // This test workspace is trusted, so Connect from the tree connects at once.
    assert.equal(vscode.workspace.isTrusted, true);
    const panel = await vscode.commands.executeCommand<DebuggerPanel>('websocketDebugger.connect', endpointNode);
    await waitFor('the workspace endpoint to connect', () => panel.state.readyState === 'OPEN');
    assert.equal(panel.title, 'Team echo');
    panel.panel.dispose();

    // A broken file is listed with the reason instead of disappearing.
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('{"format":'));
    await api.workspaceCollections.reload();
    assert.match(api.workspaceCollections.all[0]?.problem ?? '', /^Not a JSON file: .*cut short/);
    const broken = api.tree.getTreeItem(api.tree.getChildren().find((n) => n.workspace !== undefined)!);
    assert.match(String(broken.description), /websocket-debugger\.json cannot be read/);
    await vscode.workspace.fs.delete(file);
    await api.workspaceCollections.reload();
    assert.deepEqual(api.workspaceCollections.all, []);
  });

  for (const version of ['v4', 'v2'] as const) {
    it(`opens a Socket.IO ${version} connection with the packaged client and ends it with its panel`, async () => {
      const io = await startSocketIoEcho(version);
      try {
        const panel = api.panels.open({
          url: io.url,
          protocols: [],
          headers: [],
          kind: 'socketio',
          socketio: { ...DEFAULT_SOCKET_IO_OPTIONS, version },
        });
        await waitFor('the Socket.IO connection to open', () => panel.state.readyState === 'OPEN');
        assert.equal(panel.state.socketio?.eio, version === 'v2' ? 3 : 4);
        assert.ok(panel.entries.some((e) => e.kind === 'open' && /namespace \//.test(e.detail ?? '')), 'a connect entry is logged');
        panel.panel.dispose();
        await waitFor('the server to see the namespace close', () => io.open() === 0);
      } finally {
        await io.close();
      }
    });
  }

  it('deactivate closes every socket', async () => {
    const a = await vscode.commands.executeCommand<DebuggerPanel>('websocketDebugger.connect', url);
    const b = await vscode.commands.executeCommand<DebuggerPanel>('websocketDebugger.connect', url);
    await waitFor('both sockets to open', () => a.state.readyState === 'OPEN' && b.state.readyState === 'OPEN');
    assert.ok(server.openSockets >= 2);
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    // The same module instance VS Code loaded: require's cache hands it back.
    const main = require(path.join(extension.extensionPath, 'dist', 'extension.js')) as { deactivate(): void };
    main.deactivate();
    await waitFor('the server to see every socket close', () => server.openSockets === 0);
    assert.equal(api.panels.all.length, 0);
  });
});
