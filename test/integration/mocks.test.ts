import * as assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import WebSocket from 'ws';
import type { WebSocketDebuggerApi } from '../../src/extension/extension';
import type { EndpointsTreeNode } from '../../src/extension/endpointsTree';
import type { RunningMockServer } from '../../src/extension/mockServers';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'websocket-debugger.websocket-debugger';

/** A ws client that keeps the texts it gets and how it was closed. */
function client(url: string, protocols: string[] = [], headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, protocols, { headers });
  const texts: string[] = [];
  ws.on('message', (data: Buffer) => texts.push(data.toString('utf8')));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return { ws, texts, opened, closed };
}

function collectionFile(reply: unknown): Uint8Array {
  const file = {
    format: 'websocket-debugger-collection',
    version: 3,
    name: 'Mocks',
    endpoints: [],
    mocks: [{ name: 'Rules', kind: 'websocket', port: 0, protocols: ['chat'], rules: [{ on: { text: 'hi' }, reply }] }],
  };
  return new TextEncoder().encode(JSON.stringify(file, null, 2));
}

describe('Mock servers in VS Code', () => {
  let api: WebSocketDebuggerApi;
  let file: vscode.Uri;

  before(async () => {
    api = await vscode.extensions.getExtension<WebSocketDebuggerApi>(EXTENSION_ID)!.activate();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests run in a workspace folder');
    file = vscode.Uri.joinPath(folder.uri, '.vscode', 'websocket-debugger.json');
  });

  afterEach(async () => {
    await api.mocks.stopAll();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    await api.workspaceCollections.reload();
  });

  it('Start Mock Server (echo) lists the mock, its clients and their handshake in the tree; Stop closes them with 1001', async () => {
    const server = await vscode.commands.executeCommand<RunningMockServer | undefined>('websocketDebugger.startMockServer', { echo: true });
    assert.ok(server, 'the echo mock started');
    assert.match(server.mock.url, /^ws:\/\/127\.0\.0\.1:\d+\/$/);
    assert.ok(server.panel, 'its panel opened');

    const group = api.tree.getChildren().find((n) => n.kind === 'mocks');
    assert.ok(group, 'a Mock servers group leads the tree');
    assert.equal(api.tree.getTreeItem(group).label, 'Mock servers');
    const [mockNode] = api.tree.getChildren(group);
    assert.ok(mockNode);
    const mockItem = api.tree.getTreeItem(mockNode);
    assert.equal(mockItem.label, 'Echo');
    assert.equal(mockItem.contextValue, 'mockServer');
    assert.equal(mockItem.description, `${server.mock.url} · 0 clients`);

    const c = client(server.mock.url, [], { 'X-Team': 'blue' });
    await c.opened;
    await waitFor('the client in the tree', () => api.tree.getChildren(mockNode).length === 1);
    const clientItem = api.tree.getTreeItem(api.tree.getChildren(mockNode)[0] as EndpointsTreeNode);
    assert.equal(clientItem.label, 'Client 1');
    assert.match(String(clientItem.description), /^127\.0\.0\.1:\d+$/);
    assert.match((clientItem.tooltip as vscode.MarkdownString).value, /X-Team:(&nbsp;| )blue/);

    c.ws.send('echo me');
    await waitFor('the echo', () => c.texts.includes('echo me'));
    await waitFor('the panel log', () => (server.panel?.entries ?? []).filter((e) => e.payload?.kind === 'text' && e.payload.text === 'echo me').length === 2);

    await vscode.commands.executeCommand('websocketDebugger.stopMockServer', server.id);
    assert.equal((await c.closed).code, 1001);
    assert.equal(api.mocks.all.length, 0);
    assert.ok(!api.tree.getChildren().some((n) => n.kind === 'mocks'), 'no group once none runs');
  });

  it('a workspace mock reloads its rules when the file changes, and a bad edit keeps the running rules', async () => {
    await vscode.workspace.fs.writeFile(file, collectionFile({ text: 'v1' }));
    await api.workspaceCollections.reload();
    // The collection lists its mock with an inline Start, which is given the tree node.
    const collectionNode = api.tree.getChildren().find((n) => n.workspace?.file.toString() === file.toString());
    assert.ok(collectionNode);
    const definition = api.tree.getChildren(collectionNode).find((n) => n.kind === 'mockDefinition');
    assert.ok(definition, 'the mock is listed under its collection');
    const definitionItem = api.tree.getTreeItem(definition);
    assert.equal(definitionItem.label, 'Rules');
    assert.equal(definitionItem.contextValue, 'mockDefinition');
    assert.equal(definitionItem.description, 'mock · WebSocket · any free port');
    const server = await vscode.commands.executeCommand<RunningMockServer | undefined>('websocketDebugger.startMockServer', definition);
    assert.ok(server, 'the workspace mock started');
    const c = client(server.mock.url, ['chat']);
    await c.opened;
    const mockNode = api.tree.getChildren(api.tree.getChildren().find((n) => n.kind === 'mocks')).find((n) => n.kind === 'mock');
    assert.ok(mockNode);
    await waitFor('the client in the tree', () => api.tree.getChildren(mockNode).length === 1);
    assert.match(String(api.tree.getTreeItem(api.tree.getChildren(mockNode)[0] as EndpointsTreeNode).description), /^127\.0\.0\.1:\d+ · chat$/);
    c.ws.send('hi');
    await waitFor('v1', () => c.texts.includes('v1'));

    await vscode.workspace.fs.writeFile(file, collectionFile({ text: 'v2' }));
    await api.workspaceCollections.reload();
    assert.equal(server.lastProblem, undefined);
    assert.match(JSON.stringify(api.workspaceCollections.all[0]?.collection?.mocks), /v2/);
    assert.match(server.source, /v2/);
    c.ws.send('hi');
    await waitFor('v2 after the edit', () => c.texts.includes('v2'));

    await vscode.workspace.fs.writeFile(file, collectionFile({ colour: 'v3' }));
    await api.workspaceCollections.reload();
    assert.match(server.lastProblem ?? '', /Rules/);
    assert.match(server.lastProblem ?? '', /rule 1/);
    c.ws.send('hi');
    await waitFor('v2 still', () => c.texts.filter((t) => t === 'v2').length === 2);
    c.ws.terminate();
  });

  it('deactivate stops every mock and its clients get 1001 (Going Away)', async () => {
    const server = await vscode.commands.executeCommand<RunningMockServer | undefined>('websocketDebugger.startMockServer', { echo: true });
    assert.ok(server);
    const c = client(server.mock.url);
    await c.opened;
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    // The same module instance VS Code loaded: require's cache hands it back.
    const main = require(path.join(extension.extensionPath, 'dist', 'extension.js')) as { deactivate(): Promise<void> };
    await main.deactivate();
    assert.equal((await c.closed).code, 1001);
    assert.equal(api.mocks.all.length, 0);
  });

  it('a port in use is refused and nothing is listed', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const started = await api.mocks.start(
        { name: 'Busy', kind: 'websocket', host: '127.0.0.1', port, path: '/', namespace: '/', protocols: [], tls: false, fallback: 'echo', rules: [] },
        { kind: 'echo' },
        {},
      );
      assert.equal(started.ok, false);
      assert.ok(!started.ok && started.code === 'port-in-use');
      assert.match(!started.ok ? started.error : '', /port is in use/);
      assert.equal(api.mocks.all.length, 0);
    } finally {
      holder.close();
    }
  });
});
