// Collections as files: export a saved collection through VS Code's save dialog, check the file
// on disk, import it back through the open dialog (a name clash gets " (2)", nothing is
// overwritten), and refuse a malformed file with the reason, leaving the saved collections as
// they were. In code-server both dialogs are VS Code's "simple file dialog": a quick input that
// takes a full path.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from '../framework.mjs';
import { eventually } from '../panel.mjs';
import { escapeRegExp, panel, resetWorkbench, runCommand, showEndpointsView, treeRow } from '../workbench.mjs';

const COLLECTION = 'Team';
const QUICK_INPUT = '.quick-input-widget';
const QUICK_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

test('exports a collection through the save dialog', { timeout: 90_000 }, async ({ page, echo, py, workspace, screenshot }) => {
  await runCommand(page, 'WebSocket: Open Debugger');
  const view = await panel(page);
  await saveEndpoint(view, { name: 'Team echo', collection: COLLECTION, url: echo.url, protocols: 'chat, json', header: ['Authorization', 'Bearer e2e-token'] });
  await saveEndpoint(view, { name: 'Team python', collection: COLLECTION, url: `${py.url}/chat?room=1` });

  // Export from the palette with no panel open: a webview that still holds focus can take it
  // back from the quick pick and close it.
  await resetWorkbench(page);
  const file = path.join(workspace, 'e2e.wscollection.json');
  await runCommand(page, 'WebSocket: Export Collection…');
  await pickQuickItem(page, COLLECTION, 'Export which collection?');
  // The save dialog proposes <workspace>/Team.wscollection.json; a full path replaces it.
  const box = page.locator(QUICK_BOX);
  await eventually(() => box.inputValue(), (value) => value.endsWith('Team.wscollection.json'),
    'the path the save dialog proposes');
  await screenshot('50-save-dialog');
  await box.fill(file);
  await box.press('Enter');
  await answerOverwriteIfAsked(page);
  await notification(page, `Exported "${COLLECTION}" to e2e.wscollection.json.`).waitFor({ timeout: 15_000 });

  const written = JSON.parse(await readFile(file, 'utf8'));
  assert.deepEqual(written, {
    format: 'websocket-debugger-collection',
    version: 2,
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
  await runCommand(page, 'WebSocket: Import Collection…');
  const box = page.locator(QUICK_BOX);
  await box.waitFor({ state: 'visible', timeout: 15_000 });
  await screenshot('50-open-dialog');
  await box.fill(file);
  // The simple file dialog lists the folder's entries as you type; Enter opens the typed path.
  await page.locator(QUICK_ROWS, { hasText: 'e2e.wscollection.json' }).first().waitFor({ timeout: 15_000 });
  await box.press('Enter');
  await notification(page, `Imported the collection "${COLLECTION} (2)" with 2 endpoint(s).`).waitFor({ timeout: 15_000 });

  // The tree shows both collections, each with its two endpoints.
  await showEndpointsView(page);
  for (const name of [COLLECTION, `${COLLECTION} (2)`]) {
    const row = treeRow(page, name);
    await row.waitFor({ timeout: 10_000 });
    assert.match(await row.innerText(), /2 endpoints/);
  }
  await screenshot('50-imported-tree');
  const rows = await treeRowLabels(page);
  assert.deepEqual(rows, [
    COLLECTION, 'Team echo', 'Team python',
    `${COLLECTION} (2)`, 'Team echo', 'Team python',
  ]);

  // The panel's list shows both; the imported endpoint carries the subprotocols and header.
  await runCommand(page, 'WebSocket: Open Debugger');
  const view = await panel(page);
  const list = view.getByRole('list', { name: 'Saved endpoints' });
  await list.getByRole('heading', { name: `${COLLECTION} (2)`, exact: true }).waitFor();
  assert.equal(await list.getByRole('button', { name: 'Team echo', exact: true }).count(), 2);
  await list.getByRole('button', { name: 'Team echo', exact: true }).nth(1).click();
  const url = view.getByRole('textbox', { name: 'URL', exact: true });
  await eventually(() => url.inputValue(), (value) => value === new URL(echo.url).href, 'the URL of the imported "Team echo"');
  assert.equal(await view.getByRole('textbox', { name: 'Subprotocols', exact: true }).inputValue(), 'chat, json');
  assert.equal(await view.getByRole('textbox', { name: 'Header name', exact: true }).inputValue(), 'Authorization');
  assert.equal(await view.getByRole('textbox', { name: 'Header value', exact: true }).inputValue(), 'Bearer e2e-token');
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

  await runCommand(page, 'WebSocket: Import Collection…');
  const box = page.locator(QUICK_BOX);
  await box.waitFor({ state: 'visible', timeout: 15_000 });
  await box.fill(file);
  await page.locator(QUICK_ROWS, { hasText: 'newer.wscollection.json' }).first().waitFor({ timeout: 15_000 });
  await box.press('Enter');
  const error = notification(page, 'Cannot import newer.wscollection.json: This collection was written by a newer version (version 99); this version reads versions 1 and 2');
  await error.waitFor({ timeout: 15_000 });
  assert.equal(await error.locator('.codicon-error').count(), 1, 'the notification is not an error');
  await screenshot('50-import-error');

  assert.deepEqual(await treeRowLabels(page), before);
  await clearNotifications(page);

  // Not JSON at all: the parser's reason is shown.
  await writeFile(file, '{ "format": "websocket-debugger-collection", ');
  await runCommand(page, 'WebSocket: Import Collection…');
  await box.waitFor({ state: 'visible', timeout: 15_000 });
  await box.fill(file);
  await page.locator(QUICK_ROWS, { hasText: 'newer.wscollection.json' }).first().waitFor({ timeout: 15_000 });
  await box.press('Enter');
  await notification(page, 'Cannot import newer.wscollection.json: Not a JSON file:').waitFor({ timeout: 15_000 });
  assert.deepEqual(await treeRowLabels(page), before);
  await clearNotifications(page);
  await resetWorkbench(page);
});

test('cleans up: deletes the saved endpoints through the panel', { timeout: 120_000 }, async ({ page }) => {
  await runCommand(page, 'WebSocket: Open Debugger');
  const view = await panel(page);
  const list = view.getByRole('list', { name: 'Saved endpoints' });
  for (const name of ['Team echo', 'Team python', 'Team echo', 'Team python']) {
    await list.getByRole('button', { name: `Delete endpoint ${name}`, exact: true }).first().click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 10_000 });
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
  }
  await list.getByText('No saved endpoints yet').waitFor({ timeout: 10_000 });
  await resetWorkbench(page);
  await runCommand(page, 'View: Show Explorer');
});

// ---------------------------------------------------------------------------------------------

async function saveEndpoint(view, { name, collection, url, protocols = '', header }) {
  await view.getByRole('textbox', { name: 'URL', exact: true }).fill(url);
  await view.getByRole('textbox', { name: 'Subprotocols', exact: true }).fill(protocols);
  const headerNames = view.getByRole('textbox', { name: 'Header name', exact: true });
  while (await headerNames.count() > 0) await view.getByRole('button', { name: 'Remove header' }).first().click();
  if (header) {
    await view.getByRole('button', { name: 'Add header', exact: true }).click();
    await headerNames.fill(header[0]);
    await view.getByRole('textbox', { name: 'Header value', exact: true }).fill(header[1]);
  }
  await view.getByRole('textbox', { name: 'Endpoint name', exact: true }).fill(name);
  await view.getByRole('textbox', { name: 'Collection', exact: true }).fill(collection);
  await view.getByRole('button', { name: 'Save endpoint', exact: true }).click();
  await view.getByRole('list', { name: 'Saved endpoints' }).getByRole('button', { name, exact: true }).waitFor();
}

/** Picks the quick-pick row labelled exactly `label`, after checking the pick's title. */
async function pickQuickItem(page, label, title) {
  await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: title }).waitFor({ timeout: 10_000 });
  const row = page.locator(QUICK_ROWS).filter({
    has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }),
  }).first();
  await row.click();
}

/** VS Code asks before replacing an existing file; the test's file is fresh, but be ready. */
async function answerOverwriteIfAsked(page) {
  const dialog = page.locator('.monaco-dialog-box');
  const replace = dialog.getByRole('button', { name: 'Replace', exact: true });
  const appeared = await replace.waitFor({ timeout: 2_000 }).then(() => true, () => false);
  if (appeared) await replace.click();
}

function notification(page, text) {
  return page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first();
}

async function clearNotifications(page) {
  await runCommand(page, 'Notifications: Clear All Notifications');
}

/** The tree's row labels in display order (rows are absolutely positioned, so sort by top). */
async function treeRowLabels(page) {
  const rows = page.locator('.part.sidebar .monaco-list .monaco-list-row');
  const entries = await rows.evaluateAll((elements) => elements.map((el) => ({
    top: parseFloat(el.style.top) || 0,
    label: el.querySelector('.label-name')?.textContent ?? '',
  })));
  return entries.sort((a, b) => a.top - b.top).map((e) => e.label);
}
