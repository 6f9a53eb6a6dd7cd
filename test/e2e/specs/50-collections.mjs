// Collections as files: export a saved collection through VS Code's save dialog, check the file
// on disk, import it back through the open dialog (a name clash gets " (2)", nothing is
// overwritten), and refuse a malformed file with the reason, leaving the saved collections as
// they were. In code-server both dialogs are VS Code's "simple file dialog": a quick input that
// takes a full path. A workspace file's collection is offered by the Connect quick pick and the
// panel's list too, marked as the workspace's and read-only there.
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from '../framework.mjs';
import { assertText, descriptionOf, eventually, openSettingsTab, panelControls, WAIT } from '../panel.mjs';
import { editorTab, openedPanel, panel, resetWorkbench, runCommand, showEndpointsView, treeRow } from '../workbench.mjs';
import {
  clearNotifications,
  deleteSavedEndpoint,
  exportCollectionTo,
  importThroughDialog,
  notification,
  saveEndpoint,
} from '../collectionSteps.mjs';

const COLLECTION = 'Team';

test('exports a collection through the save dialog', { timeout: 90_000 }, async ({ page, echo, py, workspace, screenshot }) => {
  await runCommand(page, 'WebSocket: Open Debugger');
  const view = await panel(page);
  await saveEndpoint(view, { name: 'Team echo', collection: COLLECTION, url: echo.url, protocols: 'chat, json', header: ['Authorization', 'Bearer e2e-token'] });
  await saveEndpoint(view, { name: 'Team python', collection: COLLECTION, url: `${py.url}/chat?room=1` });

  // Export from the palette with no panel open: a webview that still holds focus can take it
  // back from the quick pick and close it.
  await resetWorkbench(page);
  const file = path.join(workspace, 'e2e.wscollection.json');
  await exportCollectionTo(page, COLLECTION, file, () => screenshot('50-save-dialog'));

  const written = JSON.parse(await readFile(file, 'utf8'));
  assert.deepEqual(written, {
    format: 'websocket-debugger-collection',
    version: 3,
    name: COLLECTION,
    endpoints: [
      {
        name: 'Team echo',
        url: new URL(echo.url).href,
        protocols: ['chat', 'json'],
        headers: [{ name: 'Authorization', value: 'Bearer e2e-token' }],
      },
      { name: 'Team python', url: `${py.url}/chat?room=1` },
    ],
  });
  await clearNotifications(page);
  await resetWorkbench(page);
});

test('imports the exported file as a new collection without overwriting', { timeout: 90_000 }, async ({ page, echo, py, workspace, screenshot }) => {
  const file = path.join(workspace, 'e2e.wscollection.json');
  await importThroughDialog(page, file, () => screenshot('50-open-dialog'));
  await notification(page, `Imported the collection "${COLLECTION} (2)" with 2 endpoints.`).waitFor({ timeout: 15_000 });

  // The tree shows both collections, each with its two endpoints.
  await showEndpointsView(page);
  for (const name of [COLLECTION, `${COLLECTION} (2)`]) {
    const row = treeRow(page, name);
    await row.waitFor({ timeout: 10_000 });
    assert.match(await row.innerText(), /2 endpoints/);
  }
  await screenshot('50-imported-tree');
  // Only this spec's two collections: earlier specs may leave others (a HAR import's flows).
  const all = await treeRowLabels(page);
  const rows = all.slice(all.indexOf(COLLECTION), all.indexOf(COLLECTION) + 6);
  assert.deepEqual(rows, [
    COLLECTION, 'Team echo', 'Team python',
    `${COLLECTION} (2)`, 'Team echo', 'Team python',
  ]);

  // The panel's list shows both; the imported endpoint carries the subprotocols and header.
  await runCommand(page, 'WebSocket: Open Debugger');
  const view = await panel(page);
  await openSettingsTab(view, 'Endpoints');
  const list = view.getByRole('list', { name: 'Saved endpoints' });
  await list.getByRole('heading', { name: `${COLLECTION} (2)`, exact: true }).waitFor();
  assert.equal(await list.getByRole('button', { name: 'Team echo', exact: true }).count(), 2);
  await list.getByRole('button', { name: 'Team echo', exact: true }).nth(1).click();
  const url = view.getByRole('textbox', { name: 'URL', exact: true });
  await eventually(() => url.inputValue(), (value) => value === new URL(echo.url).href, 'the URL of the imported "Team echo"');
  await openSettingsTab(view, 'Headers');
  assert.equal(await view.getByRole('textbox', { name: 'Subprotocols', exact: true }).inputValue(), 'chat, json');
  assert.equal(await view.getByRole('textbox', { name: 'Header name', exact: true }).inputValue(), 'Authorization');
  assert.equal(await view.getByRole('textbox', { name: 'Header value', exact: true }).inputValue(), 'Bearer e2e-token');
  await openSettingsTab(view, 'Endpoints');
  await list.getByRole('button', { name: 'Team python', exact: true }).nth(1).click();
  await eventually(() => url.inputValue(), (value) => value === `${py.url}/chat?room=1`, 'the URL of the imported "Team python"');
  await clearNotifications(page);
  await resetWorkbench(page);
});

test('refuses a malformed collection file with the reason and changes nothing', { timeout: 90_000 }, async ({ page, workspace, screenshot }) => {
  const file = path.join(workspace, 'newer.wscollection.json');
  await writeFile(file, JSON.stringify({ format: 'websocket-debugger-collection', version: 99 }));
  await showEndpointsView(page);
  await treeRow(page, COLLECTION).waitFor({ timeout: 10_000 });
  const before = await treeRowLabels(page);

  await importThroughDialog(page, file);
  const error = notification(page, 'Cannot import newer.wscollection.json: This collection was written by a newer version (version 99); this version reads versions 1 to 3');
  await error.waitFor({ timeout: 15_000 });
  assert.equal(await error.locator('.codicon-error').count(), 1, 'the notification is not an error');
  await screenshot('50-import-error');

  assert.deepEqual(await treeRowLabels(page), before);
  await clearNotifications(page);

  // Not JSON at all: the parser's reason is shown.
  await writeFile(file, '{ "format": "websocket-debugger-collection", ');
  await importThroughDialog(page, file);
  await notification(page, 'Cannot import newer.wscollection.json: Not a JSON file:').waitFor({ timeout: 15_000 });
  assert.deepEqual(await treeRowLabels(page), before);
  await clearNotifications(page);
  await resetWorkbench(page);
});

test('cleans up: deletes the saved endpoints through the panel', { timeout: 120_000 }, async ({ page }) => {
  await runCommand(page, 'WebSocket: Open Debugger');
  const view = await panel(page);
  const list = view.getByRole('list', { name: 'Saved endpoints' });
  for (const name of ['Team echo', 'Team python', 'Team echo', 'Team python']) await deleteSavedEndpoint(page, view, name);
  await list.getByText('No saved endpoints yet').waitFor({ timeout: 10_000 });
  await resetWorkbench(page);
  await runCommand(page, 'View: Show Explorer');
});

test("a workspace file's collection is in the Connect quick pick and the panel's list, read-only, and connects at once when trusted", { timeout: 120_000 }, async ({ page, echo, workspace, screenshot }) => {
  const file = path.join(workspace, '.vscode', 'websocket-debugger.json');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({
    format: 'websocket-debugger-collection',
    version: 3,
    name: 'Demo',
    endpoints: [{ name: 'Local echo', url: `${echo.url}/workspace-echo` }],
  }));
  const handshakes = () => echo.connections.filter((c) => c.path === '/workspace-echo').length;
  try {
    await showEndpointsView(page);
    await treeRow(page, 'Local echo').waitFor({ timeout: 30_000 });

    // The quick pick: the row says whose it is; this workspace is trusted, so it connects at once.
    const ui = panelControls(await openedPanel(page, async () => {
      await runCommand(page, 'WebSocket: Connect…');
      await page.locator('.quick-input-widget .quick-input-box input').fill('Local echo');
      const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'workspace ·' }).first();
      await row.waitFor({ timeout: WAIT });
      const text = await row.innerText();
      assert.match(text, /Local echo/);
      assert.ok(text.includes(`workspace · ${echo.url}/workspace-echo`), text);
      assert.match(text, /Demo \(\.vscode\/websocket-debugger\.json\)/);
      assert.doesNotMatch(text, /Restricted Mode/);
      await screenshot('50-workspace-quick-pick');
      await row.click();
    }));
    await assertText(ui.status, /^OPEN\b/, 'status OPEN');
    assert.equal(handshakes(), 1);

    // The panel's list: under the collection's heading marked "workspace", without Rename or Delete.
    await openSettingsTab(ui, 'Endpoints');
    const list = ui.view.getByRole('list', { name: 'Saved endpoints' });
    await list.getByRole('heading', { name: 'Demo workspace', exact: true }).waitFor({ timeout: WAIT });
    const choose = list.getByRole('button', { name: 'Local echo', exact: true });
    assert.equal(await descriptionOf(choose), 'workspace');
    assert.equal(await list.getByRole('button', { name: 'Rename endpoint Local echo' }).count(), 0);
    assert.equal(await list.getByRole('button', { name: 'Delete endpoint Local echo' }).count(), 0);
    await ui.disconnect.click();
    await assertText(ui.status, /^CLOSED\b/, 'status CLOSED');
    await choose.click();
    await eventually(() => ui.url.inputValue(), (value) => value === `${echo.url}/workspace-echo`, 'the URL from the file');
    await ui.connect.click();
    await assertText(ui.status, /^OPEN\b/, 'status OPEN again, without a question');
    assert.equal(handshakes(), 2);
    await editorTab(page, 'Local echo').waitFor({ timeout: WAIT });
    await screenshot('50-workspace-panel-list');
  } finally {
    await resetWorkbench(page);
    await rm(file, { force: true });
    await treeRow(page, 'Local echo').waitFor({ state: 'detached', timeout: WAIT }).catch(() => undefined);
  }
});

// ---------------------------------------------------------------------------------------------

/** The tree's row labels in display order (rows are absolutely positioned, so sort by top). */
async function treeRowLabels(page) {
  const rows = page.locator('.part.sidebar .monaco-list .monaco-list-row');
  const entries = await rows.evaluateAll((elements) => elements.map((el) => ({
    top: parseFloat(el.style.top) || 0,
    label: el.querySelector('.label-name')?.textContent ?? '',
  })));
  return entries.sort((a, b) => a.top - b.top).map((e) => e.label);
}
