// Flows from the Endpoints view and the Command Palette against python websockets: a flow shared in
// .vscode/websocket-debugger.json is listed under its collection; its inline Run opens a panel
// whose log shows the run's messages and a ✔ entry per step; WebSocket: Run Flow… runs a failing
// flow whose ✖ entry shows expected against actual. Then Save as flow opens a draft.
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from '../framework.mjs';
import { eventually, textOf, WAIT } from '../panel.mjs';
import { editorTab, openedPanel, quickPickInput, resetWorkbench, runCommand, showEndpointsView, treeRow } from '../workbench.mjs';
import { clearNotifications, notification } from '../collectionSteps.mjs';

const COLLECTION = 'Flows demo';

test('runs flows from the Endpoints view and the command, with marks in the panel log', { timeout: 150_000 }, async ({ page, py, workspace, screenshot }) => {
  const file = path.join(workspace, '.vscode', 'websocket-debugger.json');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({
    format: 'websocket-debugger-collection',
    version: 3,
    name: COLLECTION,
    endpoints: [{ name: 'python echo', url: `${py.url}/flows` }],
    flows: [
      { name: 'echo passes', steps: [{ connect: 'python echo' }, { send: { text: 'hello' } }, { expect: { text: 'hello' } }, { close: {} }] },
      { name: 'echo fails', steps: [{ connect: 'python echo' }, { send: { text: 'hello' } }, { expect: { text: 'goodbye' }, timeout: 800 }, { close: {} }] },
    ],
  }, null, 2));
  try {
    await showEndpointsView(page);
    const row = treeRow(page, 'echo passes');
    // The file watcher or the view being shown reads the new file.
    await row.waitFor({ timeout: WAIT });
    assert.match(await row.innerText(), /flow · 4 steps/);
    const passing = await openedPanel(page, async () => {
      await row.hover();
      await row.getByRole('button', { name: 'Run Flow…', exact: true }).click();
    });
    const log = passing.getByRole('listbox', { name: 'Message log' });
    await eventually(() => textOf(log), (text) => /0 failed/.test(text), 'the run to finish in the log');
    const passed = await textOf(log);
    for (const line of [/✔ 1\. connect python echo — \d+ ms/, /✔ 2\. send text "hello" — \d+ ms/, /✔ 3\. expect text "hello" — \d+ ms/, /1 passed, 0 failed/]) {
      assert.match(passed, line);
    }
    await screenshot('47-flow-passed');

    const failing = await openedPanel(page, async () => {
      await runCommand(page, 'WebSocket: Run Flow…');
      await quickPickInput(page, 'echo fails');
    });
    const failedLog = failing.getByRole('listbox', { name: 'Message log' });
    await eventually(() => textOf(failedLog), (text) => /1 failed/.test(text), 'the failing run to finish');
    assert.match(await textOf(failedLog), /✖ 3\. expect text "goodbye" — \d+ ms: no match within 800 ms.*expected text "goodbye"; got text "hello"/);
    assert.match(await textOf(failedLog), /– 4\. close 1000 — skipped/);
    await screenshot('47-flow-failed');

    // Save as flow: the log's entries as a draft in an untitled JSON document.
    await failing.getByRole('button', { name: 'Save as flow', exact: true }).click();
    await notification(page, 'A flow draft from the log').waitFor({ timeout: WAIT });
    await editorTab(page, 'Untitled-1').waitFor({ timeout: WAIT });
    await runCommand(page, 'View: Revert and Close Editor');
    await clearNotifications(page);
  } finally {
    await rm(file, { force: true });
    await resetWorkbench(page);
  }
});
