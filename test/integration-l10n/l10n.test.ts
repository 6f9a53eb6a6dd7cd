// With VS Code's display language German, the extension's words are German everywhere they
// come from: VS Code picks l10n/bundle.l10n.de.json for vscode.l10n.t (the host), activate()
// hands it to src/shared/l10n.ts (core sentences, in the session worker too), and the panel's
// page carries it for the webview.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WebSocketDebuggerApi } from '../../src/extension/extension';
import type { Collection } from '../../src/shared/protocol';
import { L10N_ELEMENT_ID } from '../../src/shared/l10n';
import { waitFor } from '../integration/waitFor';

const EXTENSION_ID = 'websocket-debugger.websocket-debugger';

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Localisation (display language German)', () => {
  let api: WebSocketDebuggerApi;
  let german: Record<string, string>;

  before(async () => {
    const extension = vscode.extensions.getExtension<WebSocketDebuggerApi>(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
    api = await extension.activate();
    german = JSON.parse(readFileSync(path.join(extension.extensionPath, 'l10n', 'bundle.l10n.de.json'), 'utf8')) as Record<string, string>;
  });

  afterEach(() => {
    for (const panel of api.panels.all) panel.dispose();
  });

  it('VS Code runs in German and picks the German bundle of the manifest\'s "l10n" folder', () => {
    assert.equal(vscode.env.language, 'de');
    assert.ok(vscode.l10n.uri?.path.endsWith('/l10n/bundle.l10n.de.json'), `bundle uri ${vscode.l10n.uri?.toString()}`);
    assert.deepEqual(vscode.l10n.bundle, german);
  });

  it('the host speaks German: tree labels and descriptions through vscode.l10n.t', () => {
    const collection: Collection = {
      id: 'l10n-test',
      name: 'Sammlung',
      endpoints: [
        { id: 'a', name: 'A', url: 'ws://127.0.0.1:1/', protocols: [], headers: [] },
        { id: 'b', name: 'B', url: 'ws://127.0.0.1:2/', protocols: [], headers: [] },
      ],
    };
    assert.equal(api.tree.getTreeItem({ kind: 'collection', collection }).description, '2 Endpunkte');
    assert.equal(api.tree.getTreeItem({ kind: 'mocks' }).label, 'Mock-Server');
    const endpoint = collection.endpoints[0];
    assert.ok(endpoint);
    assert.equal(api.tree.getTreeItem({ kind: 'endpoint', collection, endpoint }).command?.title, 'Endpunkt öffnen');
  });

  it('the mock engine speaks German: a port in use is refused with a German sentence', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const started = await api.mocks.start(
        { name: 'Belegt', kind: 'websocket', host: '127.0.0.1', port, path: '/', namespace: '/', protocols: [], tls: false, fallback: 'echo', rules: [] },
        { kind: 'echo' },
        {},
      );
      assert.ok(!started.ok && started.code === 'port-in-use');
      assert.equal(started.error, `Der Mock „Belegt“ kann nicht auf 127.0.0.1:${port} lauschen: Ein anderes Programm belegt den Port (wählen Sie einen anderen Port oder 0 für einen beliebigen freien)`);
    } finally {
      holder.close();
      await api.mocks.stopAll();
    }
  });

  it('the core speaks German: a refused connection and its close, from the session worker', async () => {
    // Plain WebSocket sessions run in the worker here: one that is still connecting proves it.
    const held = createServer(() => undefined);
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
    const connecting = api.panels.open({ url: `ws://127.0.0.1:${(held.address() as AddressInfo).port}/`, protocols: [], headers: [] });
    await waitFor('the connection attempt to start', () => connecting.state.readyState === 'CONNECTING');
    assert.equal(connecting.injectWorkerFault('exit'), true, 'the session runs in a worker');
    connecting.dispose();
    held.close();

    const port = await closedPort();
    const panel = api.panels.open({ url: `ws://127.0.0.1:${port}/`, protocols: [], headers: [] });
    await waitFor('the refused connection to be logged', () => panel.entries.some((e) => e.kind === 'close'));
    const error = panel.entries.find((e) => e.kind === 'error');
    assert.match(error?.detail ?? '', new RegExp(`^Verbindung von 127\\.0\\.0\\.1:${port} abgelehnt \\(ECONNREFUSED\\): Dort lauscht kein Server`));
    const close = panel.entries.find((e) => e.kind === 'close');
    assert.match(close?.detail ?? '', /^Die Verbindung kam nicht zustande \(1006 Abnormal Closure, nicht sauber\)$/);
  });

  it('a flow mistake in a collection file is a German diagnostic in the Problems view', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite runs with a workspace folder');
    const file = vscode.Uri.joinPath(folder.uri, 'fehler.wsd.json');
    const collection = {
      format: 'websocket-debugger-collection',
      version: 3,
      name: 'C',
      endpoints: [{ name: 'A', url: 'ws://127.0.0.1:1/' }],
      flows: [{ name: 'login', steps: [{ connect: 'B' }] }],
    };
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify(collection, null, 2)));
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
      const ours = () => vscode.languages.getDiagnostics(file).filter((d) => d.source === 'WebSocket Debugger');
      await waitFor('our diagnostic on the file', () => ours().length > 0);
      assert.deepEqual(ours().map((d) => d.message), [
        'Flow "login", Schritt 1, Feld "connect": unbekannter Endpunkt "B": Kein Endpunkt dieser Sammlung hat diesen Namen',
      ]);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(file);
    }
  });

  it('the panel\'s page is German and carries the bundle for the webview', () => {
    const panel = api.panels.open();
    const html = panel.pageHtml;
    assert.match(html, /<html lang="de">/);
    const block = new RegExp(`<script type="application/json" id="${L10N_ELEMENT_ID}">([^<]*)</script>`).exec(html);
    assert.ok(block, 'the page has the words block');
    assert.deepEqual(JSON.parse(block[1] ?? ''), german);
    assert.equal(panel.title, 'WebSocket Debugger', 'the product name is not translated');
  });
});
