import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FlowRunEvent } from '../../src/core/flows/flowRunner';
import { importCollection } from '../../src/shared/collections';
import type { DebuggerPanel } from '../../src/extension/debuggerPanel';
import type { WebSocketDebuggerApi } from '../../src/extension/extension';
import { waitFor } from './waitFor';

const EXTENSION_ID = 'websocket-debugger.websocket-debugger';
const PY_ECHO = path.resolve(__dirname, '../../../test/e2e/servers/py_echo.py');

/** Debian's python3-websockets echo server (a server we did not write), on any free port. */
async function startPyEcho(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn('/usr/bin/python3', [PY_ECHO, '--port', '0'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`py_echo.py did not start: ${output}`)), 15_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /LISTENING (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`py_echo.py exited with ${code}: ${output}`)));
  });
  return { child, url: `ws://127.0.0.1:${port}/` };
}

function collectionText(url: string, flows: unknown[]): Uint8Array {
  const file = { format: 'websocket-debugger-collection', version: 3, name: 'Flows', endpoints: [{ name: 'echo', url }], flows };
  return new TextEncoder().encode(JSON.stringify(file, null, 2));
}

const passing = { name: 'echo passes', steps: [{ connect: 'echo' }, { send: { text: 'hello' } }, { expect: { text: 'hello' } }, { close: {} }] };
const failing = { name: 'echo fails', steps: [{ connect: 'echo' }, { send: { text: 'hello' } }, { expect: { text: 'goodbye' }, timeout: 500 }, { close: {} }] };

describe('Flows in the Test Explorer, against python websockets', () => {
  let api: WebSocketDebuggerApi;
  let echo: { child: ChildProcess; url: string };
  let file: vscode.Uri;

  before(async () => {
    api = await vscode.extensions.getExtension<WebSocketDebuggerApi>(EXTENSION_ID)!.activate();
    echo = await startPyEcho();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests run in a workspace folder');
    file = vscode.Uri.joinPath(folder.uri, '.vscode', 'websocket-debugger.json');
  });

  after(async () => {
    echo.child.kill();
    await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    await api.workspaceCollections.reload();
  });

  const sourceItem = (): vscode.TestItem | undefined => api.flowTests.controller.items.get(file.toString());
  const flowNames = (): string[] => {
    const names: string[] = [];
    sourceItem()?.children.forEach((item) => names.push(String(item.label)));
    return names;
  };

  it('lists the flows of the workspace file with their steps and ranges, and follows edits', async () => {
    await vscode.workspace.fs.writeFile(file, collectionText(echo.url, [passing]));
    await api.workspaceCollections.reload();
    await api.flowTests.ready();
    await waitFor('the flow to appear in the Test Explorer', () => flowNames().length === 1);
    const flow = [...collect(sourceItem()!.children)][0]!;
    assert.equal(flow.label, 'echo passes');
    assert.equal(flow.uri?.toString(), file.toString());
    assert.ok(flow.range, 'the flow has a range for the gutter');
    const steps = [...collect(flow.children)];
    assert.deepEqual(steps.map((s) => s.label), ['1. connect echo', '2. send text "hello"', '3. expect text "hello"', '4. close 1000']);
    const document = await vscode.workspace.openTextDocument(file);
    assert.match(document.getText(steps[2]!.range), /"expect"/);

    // Written behind the editor's back (as git or another tool would): the file watcher alone
    // brings the change to the Test Explorer, with no reload asked for and no save.
    await vscode.workspace.fs.writeFile(file, collectionText(echo.url, [passing, failing]));
    await waitFor('the added flow to appear', () => flowNames().length === 2, 15_000);
    assert.deepEqual(flowNames(), ['echo passes', 'echo fails']);
  });

  it('runs one flow that passes and one that fails with expected and actual', async () => {
    const source = api.flowTests.all.find((s) => s.key === file.toString());
    assert.ok(source);
    const events: FlowRunEvent[] = [];
    await api.flowTests.runFlows(source, ['echo passes', 'echo fails'], { onEvent: (event) => events.push(event) });
    const finished = events.flatMap((e) => (e.type === 'flowFinished' ? [e.flow] : []));
    assert.deepEqual(finished.map((f) => [f.name, f.passed]), [['echo passes', true], ['echo fails', false]]);
    const failed = events.find((e) => e.type === 'stepFailed');
    assert.ok(failed && failed.type === 'stepFailed');
    assert.equal(failed.step.number, 3);
    assert.equal(failed.step.failure?.expected, 'text "goodbye"');
    assert.equal(failed.step.failure?.actual, 'text "hello"');
    assert.ok(events.some((e) => e.type === 'stepSkipped' && e.step.number === 4), 'the step after the failure is skipped');
  });

  it('Run on a flow in the Endpoints view shows the run in a panel log with marks, times and expected against actual', async () => {
    const collectionNode = api.tree.getChildren().find((n) => n.workspace?.file.toString() === file.toString());
    assert.ok(collectionNode);
    const flowNode = api.tree.getChildren(collectionNode).find((n) => n.kind === 'flow' && n.flow === 'echo fails');
    assert.ok(flowNode, 'the tree lists the flow under its collection');
    assert.equal(api.tree.getTreeItem(flowNode).contextValue, 'flow');
    const panel = await vscode.commands.executeCommand<DebuggerPanel>('websocketDebugger.runFlow', flowNode);
    assert.equal(panel.title, 'Flow: echo fails');
    const details = panel.entries.map((e) => `${e.kind} ${e.direction} ${e.detail ?? ''}`);
    assert.ok(panel.entries.some((e) => e.kind === 'message' && e.direction === 'received'), 'the echo is in the log');
    assert.ok(details.some((d) => /^info none ✔ 2\. send text "hello" — \d+ ms$/.test(d)), details.join('\n'));
    assert.ok(details.some((d) => /^info none ✖ 3\. expect text "goodbye" — \d+ ms: .*; expected text "goodbye"; got text "hello"/.test(d)), details.join('\n'));
    assert.ok(details.includes('info none 0 passed, 1 failed'));
    panel.panel.dispose();
  });

  it('marks a flow mistake as a diagnostic at its field, and as an error item beside the good flows', async () => {
    const typo = { name: 'typo', steps: [{ connect: 'echo' }, { send: { text: 'x' } }, { expect: { regex: '(' } }] };
    await vscode.workspace.fs.writeFile(file, collectionText(echo.url, [passing, typo, failing]));
    await api.workspaceCollections.reload();
    await waitFor('a diagnostic on the file', () => vscode.languages.getDiagnostics(file).length > 0);
    const [diagnostic] = vscode.languages.getDiagnostics(file);
    assert.match(diagnostic!.message, /^Flow "typo", step 3, field "expect\.regex": the regular expression does not compile/);
    const document = await vscode.workspace.openTextDocument(file);
    assert.equal(document.getText(diagnostic!.range), '"("');
    // The other flows stay listed and runnable; the bad one says what is wrong, where.
    await api.flowTests.ready();
    await waitFor('the three flows in the Test Explorer', () => flowNames().length === 3);
    assert.deepEqual(flowNames(), ['echo passes', 'echo fails', 'typo']);
    const items = [...collect(sourceItem()!.children)];
    const bad = items.find((i) => i.label === 'typo')!;
    assert.match(String(bad.error), /^Flow "typo", step 3, field "expect\.regex": the regular expression does not compile/);
    assert.match(document.getText(bad.range), /^\{\s*"name": "typo"/);
    assert.equal(items.find((i) => i.label === 'echo passes')!.error, undefined);
    const source = api.flowTests.all.find((s) => s.key === file.toString())!;
    assert.deepEqual(source.collection.flows?.map((f) => f.name), ['echo passes', 'echo fails']);
    const events: FlowRunEvent[] = [];
    await api.flowTests.runFlows(source, ['echo passes'], { onEvent: (event) => events.push(event) });
    assert.ok(events.some((e) => e.type === 'flowFinished' && e.flow.name === 'echo passes' && e.flow.passed));

    // A file whose flows all have mistakes is still listed, with its error items.
    await vscode.workspace.fs.writeFile(file, collectionText(echo.url, [{ name: 'typo', steps: [{ connect: 'ehco' }] }]));
    await api.workspaceCollections.reload();
    await api.flowTests.ready();
    await waitFor('only the error item', () => flowNames().join() === 'typo');
    const [only] = [...collect(sourceItem()!.children)];
    assert.match(String(only!.error), /^Flow "typo", step 1, field "connect": unknown endpoint "ehco"/);
  });

  it('a stored flow follows a renamed endpoint, and one whose endpoint was deleted says so instead of vanishing', async () => {
    const imported = importCollection(
      JSON.stringify({
        format: 'websocket-debugger-collection',
        version: 3,
        name: 'Stored flows IT',
        endpoints: [
          { name: 'echo', url: echo.url },
          { name: 'other', url: echo.url },
        ],
        flows: [
          { name: 'uses echo', steps: [{ connect: 'echo' }, { send: { text: 'hi' }, on: 'echo' }, { expect: { text: 'hi' } }] },
          { name: 'uses other', steps: [{ connect: 'other' }] },
        ],
      }),
      () => `it-${Math.random().toString(36).slice(2)}`,
    );
    assert.ok(imported.ok);
    const collection = await api.store.addImported(imported.collection);
    const [echoEndpoint, otherEndpoint] = collection.endpoints;
    const storedItem = (): vscode.TestItem | undefined => api.flowTests.controller.items.get(`store:${collection.id}`);
    const child = (label: string): vscode.TestItem | undefined => [...collect(storedItem()?.children ?? emptyItems())].find((i) => i.label === label);
    try {
      await api.store.rename(echoEndpoint!.id, 'Echo 2');
      await api.flowTests.ready();
      await waitFor('the renamed step title', () => child('uses echo')?.children.get(JSON.stringify([`store:${collection.id}`, 'uses echo', 1]))?.label === '1. connect Echo 2');
      assert.equal(child('uses echo')!.error, undefined);
      const source = api.flowTests.all.find((s) => s.key === `store:${collection.id}`)!;
      const events: FlowRunEvent[] = [];
      await api.flowTests.runFlows(source, ['uses echo'], { onEvent: (event) => events.push(event) });
      assert.ok(events.some((e) => e.type === 'flowFinished' && e.flow.passed), 'the renamed flow still runs and passes');

      await api.store.delete(otherEndpoint!.id);
      await api.flowTests.ready();
      await waitFor('the error on the flow of the deleted endpoint', () => child('uses other')?.error !== undefined);
      assert.match(String(child('uses other')!.error), /^Flow "uses other", step 1, field "connect": unknown endpoint "other"/);
      const after = api.flowTests.all.find((s) => s.key === `store:${collection.id}`)!;
      const logged: string[] = [];
      await api.flowTests.runFlows(after, ['uses other'], { log: (entry) => logged.push(`${entry.kind} ${entry.detail ?? ''}`) });
      assert.ok(logged.some((l) => /^error Flow "uses other", step 1, field "connect": unknown endpoint "other"/.test(l)), logged.join('\n'));
    } finally {
      for (const e of api.store.collections.find((c) => c.id === collection.id)?.endpoints ?? []) await api.store.delete(e.id);
    }
  });
});

function emptyItems(): vscode.TestItemCollection {
  return { size: 0, forEach: () => undefined } as unknown as vscode.TestItemCollection;
}

function* collect(items: vscode.TestItemCollection): Generator<vscode.TestItem> {
  const all: vscode.TestItem[] = [];
  items.forEach((item) => all.push(item));
  yield* all;
}
