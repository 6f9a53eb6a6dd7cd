// The manifest as VS Code uses it: the palette's when-clauses evaluated against the context keys
// the extension sets, the JSON schema's diagnostics on a wrong collection file, and the
// localised strings (package.nls.json) VS Code reads instead of the %keys%.
import * as assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { WebSocketServer } from 'ws';
import type { WebSocketDebuggerApi } from '../../src/extension/extension';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'websocket-debugger.websocket-debugger';

interface MenuEntry {
  command: string;
  when?: string;
}

/**
 * The when-clause subset the manifest uses: `&&`, `||`, `!`, `==` with a quoted string, `>` with
 * a number, `true`, `false` and bare keys. Anything else throws, so a clause this cannot read fails
 * the test instead of passing by accident.
 */
function evaluate(when: string, keys: Record<string, unknown>): boolean {
  return when.split('||').some((alternative) =>
    alternative.split('&&').every((raw) => {
      const term = raw.trim();
      if (term === 'true') return true;
      if (term === 'false') return false;
      const equals = /^([\w.]+) == '([^']*)'$/.exec(term);
      if (equals) return keys[equals[1]!] === equals[2];
      const greater = /^([\w.]+) > (\d+)$/.exec(term);
      if (greater) return Number(keys[greater[1]!] ?? 0) > Number(greater[2]);
      const key = /^(!?)([\w.]+)$/.exec(term);
      if (!key) throw new Error(`when-clause term not understood: ${term}`);
      return key[1] === '!' ? !keys[key[2]!] : Boolean(keys[key[2]!]);
    }),
  );
}

describe('the manifest in VS Code', () => {
  let api: WebSocketDebuggerApi;
  let manifest: {
    contributes: {
      commands: { command: string; title: string; category: string }[];
      menus: Record<string, MenuEntry[]>;
      configuration: { properties: Record<string, { markdownDescription: string }> };
    };
  };

  before(async () => {
    const extension = vscode.extensions.getExtension<WebSocketDebuggerApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    manifest = extension.packageJSON as typeof manifest;
  });

  /** Whether the palette shows `command` with the extension's keys now (plus the workbench's `extra`). */
  function inPalette(command: string, extra: Record<string, unknown> = {}): boolean {
    const entry = manifest.contributes.menus.commandPalette!.find((e) => e.command === `websocketDebugger.${command}`);
    return entry?.when === undefined ? true : evaluate(entry.when, { ...api.contextKeys.values, ...extra });
  }

  function inEditorTitle(command: string, extra: Record<string, unknown>): boolean {
    return manifest.contributes.menus['editor/title']!.some(
      (e) => e.command === `websocketDebugger.${command}` && evaluate(e.when ?? 'true', { ...api.contextKeys.values, ...extra }),
    );
  }

  it('Disconnect, Send and the panel title actions follow a real connection', async function () {
    this.timeout(60_000);
    for (const panel of api.panels.all) panel.dispose();
    await waitFor('no panel', () => api.contextKeys.values['websocketDebugger.panelOpen'] === false);
    assert.equal(inPalette('disconnect'), false, 'Disconnect hidden with no connection');
    assert.equal(inPalette('clearLog'), false);
    assert.equal(inPalette('openEndpoint'), false, 'a tree-only command never shows in the palette');

    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const panel = (await vscode.commands.executeCommand('websocketDebugger.connect', url)) as { state: { readyState: string }; disconnect(): void; dispose(): void };
      await waitFor('the connection open', () => panel.state.readyState === 'OPEN');
      await waitFor('the connected key', () => api.contextKeys.values['websocketDebugger.connected'] === true);
      const front = { activeWebviewPanelId: 'websocketDebugger.panel' };
      assert.equal(inPalette('disconnect'), true);
      assert.equal(inPalette('send', front), true, 'Send shows while the connected panel is in front');
      assert.equal(inPalette('send'), false, 'and not with another editor in front');
      assert.equal(inPalette('connectPanel', front), false);
      assert.equal(inEditorTitle('disconnect', front), true);
      assert.equal(inEditorTitle('connectPanel', front), false);
      assert.equal(inEditorTitle('recordToFile', front), true);
      assert.equal(inEditorTitle('stopRecording', front), false);
      assert.equal(inEditorTitle('clearLog', front), true);
      assert.equal(inEditorTitle('clearLog', {}), false, 'the title actions are the panel\'s only');

      panel.disconnect();
      await waitFor('the connected key cleared', () => api.contextKeys.values['websocketDebugger.connected'] === false);
      assert.equal(inPalette('disconnect'), false);
      assert.equal(inEditorTitle('connectPanel', front), true);
      assert.equal(inEditorTitle('disconnect', front), false);
      panel.dispose();
      await waitFor('the panel gone', () => api.contextKeys.values['websocketDebugger.panelOpen'] === false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('Rename, Delete and Export show only with something saved', async () => {
    const ids = (): string[] => api.store.collections.flatMap((c) => c.endpoints.map((e) => e.id));
    for (const id of ids()) await api.store.delete(id);
    await waitFor('no saved endpoint', () => api.contextKeys.values['websocketDebugger.hasSavedEndpoints'] === false);
    assert.equal(inPalette('renameEndpoint'), false);
    assert.equal(inPalette('deleteEndpoint'), false);

    const saved = await api.store.save('When clauses', { name: 'echo', url: 'ws://127.0.0.1:9/', protocols: [], headers: [] });
    await waitFor('the saved-endpoints key', () => api.contextKeys.values['websocketDebugger.hasSavedEndpoints'] === true);
    assert.equal(inPalette('renameEndpoint'), true);
    assert.equal(inPalette('deleteEndpoint'), true);
    assert.equal(inPalette('exportCollection'), true);
    assert.equal(inPalette('openWorkspaceCollection', { workspaceFolderCount: vscode.workspace.workspaceFolders?.length ?? 0 }), true);
    await api.store.delete(saved.id);
    await waitFor('the key cleared', () => api.contextKeys.values['websocketDebugger.hasSavedEndpoints'] === false);
  });

  it('Stop Mock Server shows only while a mock runs', async () => {
    assert.equal(inPalette('stopMockServer'), api.mocks.all.length > 0);
    const server = (await vscode.commands.executeCommand('websocketDebugger.startMockServer', { echo: true })) as { mock: { url: string } } | undefined;
    assert.ok(server);
    await waitFor('the mock key', () => api.contextKeys.values['websocketDebugger.mockRunning'] === true);
    assert.equal(inPalette('stopMockServer'), true);
    assert.equal(inPalette('copyMockUrl'), true);
    await api.mocks.stopAll();
    await waitFor('the mock key cleared', () => api.contextKeys.values['websocketDebugger.mockRunning'] === false);
    assert.equal(inPalette('stopMockServer'), false);
  });

  it('a click on an endpoint opens it, a second click soon after connects it, and clickAction "connect" connects at once', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    const config = vscode.workspace.getConfiguration('websocketDebugger.endpoints');
    try {
      const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const endpoint = await api.store.save('Clicks', { name: 'click me', url, protocols: [], headers: [] });
      const collection = api.store.collections.find((c) => c.name === 'Clicks')!;
      const node = { kind: 'endpoint', collection, endpoint };
      const item = api.tree.getTreeItem(node as never);
      assert.equal(item.command?.command, 'websocketDebugger.openEndpoint', 'the row runs Open Endpoint when clicked');
      type Panel = { isConnected: boolean; dispose(): void; currentParams: { url: string } };
      const click = async () => (await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []))) as Panel;

      const opened = await click();
      assert.equal(opened.currentParams.url, url, 'the panel holds the endpoint');
      await new Promise((resolve) => setTimeout(resolve, 700));
      assert.equal(opened.isConnected, false, 'one click does not connect');
      const again = await click();
      assert.equal(again, opened, 'a later click brings the same panel forward');
      assert.equal(opened.isConnected, false, 'two clicks far apart do not connect');
      const third = await click();
      assert.equal(third, opened);
      await waitFor('a double click to connect', () => opened.isConnected);
      opened.dispose();

      await config.update('clickAction', 'connect', vscode.ConfigurationTarget.Global);
      const direct = await click();
      await waitFor('one click to connect', () => direct.isConnected);
      direct.dispose();
      await api.store.delete(endpoint.id);
    } finally {
      await config.update('clickAction', undefined, vscode.ConfigurationTarget.Global);
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('the walkthrough\'s commands: connect to an echo mock, share a collection as .vscode/websocket-debugger.json', async () => {
    try {
      const panel = (await vscode.commands.executeCommand('websocketDebugger.startEchoMock')) as { state: { readyState: string }; dispose(): void } | undefined;
      assert.ok(panel);
      await waitFor('the panel connected to the echo mock', () => panel.state.readyState === 'OPEN');
      await waitFor('the step\'s completion key', () => api.contextKeys.values['websocketDebugger.connected'] === true);
      panel.dispose();
    } finally {
      await api.mocks.stopAll();
    }

    const folder = vscode.workspace.workspaceFolders![0]!;
    const target = vscode.Uri.joinPath(folder.uri, '.vscode/websocket-debugger.json');
    const saved = await api.store.save('Shared', { name: 'shared echo', url: 'ws://127.0.0.1:9/', protocols: [], headers: [] });
    const collection = api.store.collections.find((c) => c.name === 'Shared')!;
    try {
      const written = (await vscode.commands.executeCommand('websocketDebugger.openWorkspaceCollection', collection.id)) as vscode.Uri | undefined;
      assert.equal(written?.toString(), target.toString());
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
      assert.equal((JSON.parse(text) as { endpoints: { name: string }[] }).endpoints[0]?.name, 'shared echo');
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), target.toString(), 'the shared file is opened');
      await waitFor('the workspace collection read', () => api.workspaceCollections.all.some((w) => w.collection?.name === 'Shared'));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(target);
      await api.store.delete(saved.id);
    }
  });

  for (const name of ['.vscode/websocket-debugger.json', 'exported.wscollection.json', 'team.wsd.json']) {
    it(`a wrong ${name} gets a diagnostic from the contributed schema; a right one none`, async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder, 'the suite runs in a folder');
      const file = vscode.Uri.joinPath(folder.uri, name);
      const good = { format: 'websocket-debugger-collection', version: 3, name: 'Team', endpoints: [{ name: 'echo', url: 'ws://127.0.0.1:9/' }] };
      // The schema says version is an integer and a URL a string.
      const bad = { ...good, version: 'three', endpoints: [{ name: 'echo', url: 42 }] };
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify(bad, null, 2)));
      const schemaDiagnostics = () => vscode.languages.getDiagnostics(file).filter((d) => d.source !== 'WebSocket Debugger');
      try {
        const document = await vscode.workspace.openTextDocument(file);
        await vscode.window.showTextDocument(document);
        await waitFor(`schema diagnostics on ${name}`, () => schemaDiagnostics().length >= 2, 30_000);
        const lines = schemaDiagnostics().map((d) => document.lineAt(d.range.start.line).text.trim());
        assert.ok(lines.some((line) => line.startsWith('"version"')), `the version line is marked: ${lines.join(' | ')}`);
        assert.ok(lines.some((line) => line.startsWith('"url"')), `the URL line is marked: ${lines.join(' | ')}`);

        await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify(good, null, 2)));
        await waitFor(`no schema diagnostics on the corrected ${name}`, () => schemaDiagnostics().length === 0, 30_000);
      } finally {
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        await vscode.workspace.fs.delete(file);
      }
    });
  }

  it('VS Code reads the manifest strings from package.nls.json', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const nls = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension.extensionUri, 'package.nls.json')))) as Record<string, string>;
    const connect = manifest.contributes.commands.find((c) => c.command === 'websocketDebugger.connect')!;
    assert.equal(connect.title, nls['command.connect.title']);
    assert.equal(connect.title, 'Connect…');
    assert.equal(connect.category, 'WebSocket');
    const setting = manifest.contributes.configuration.properties['websocketDebugger.endpoints.clickAction']!;
    assert.equal(setting.markdownDescription, nls['configuration.endpoints.clickAction.description']);
    const json = JSON.stringify(manifest);
    assert.ok(!/"%[\w.]+%"/.test(json), 'no %key% is left unresolved');
  });

  it('Settings Sync of saved collections only when opted in', async () => {
    const config = vscode.workspace.getConfiguration('websocketDebugger');
    assert.deepEqual(api.endpointSync.syncedKeys, []);
    await config.update('syncEndpoints', true, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the synced key', () => api.endpointSync.syncedKeys.length === 1);
      assert.deepEqual(api.endpointSync.syncedKeys, ['websocketDebugger.collections']);
    } finally {
      await config.update('syncEndpoints', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('nothing synced', () => api.endpointSync.syncedKeys.length === 0);
  });
});
