// Saved endpoints end to end: save from the panel, see it in the panel's list and in the
// activity-bar tree, survive a window reload, connect to it from the palette, load it into the
// form, rename and delete it through VS Code's own input box and modal dialog, and the tree's
// welcome view once nothing is saved.
import assert from 'node:assert/strict';
import { test } from '../framework.mjs';
import { assertText, connectTo, eventually, openSettingsTab } from '../panel.mjs';
import {
  editorTab, escapeRegExp, panel, reloadWindow, resetWorkbench, runCommand, showEndpointsView, treeRow,
} from '../workbench.mjs';

const NAME = 'Local echo';
const RENAMED = 'Echo (renamed)';
const COLLECTION = 'E2E';

test('saves the connected endpoint from the panel into a collection', { timeout: 90_000 }, async ({ page, echo, screenshot }) => {
  const { view } = await connectTo(page, echo.url);

  // Connected, so the request settings are folded: the Save tab unfolds them.
  await openSettingsTab(view, 'Save');
  await view.getByRole('textbox', { name: 'Endpoint name', exact: true }).fill(NAME);
  await view.getByRole('textbox', { name: 'Collection', exact: true }).fill(COLLECTION);
  await view.getByRole('button', { name: 'Save endpoint', exact: true }).click();

  // The panel's list: the collection heading, then the endpoint (its button and its actions).
  await openSettingsTab(view, 'Endpoints');
  const list = view.getByRole('list', { name: 'Saved endpoints' });
  await list.getByRole('button', { name: NAME, exact: true }).waitFor();
  const items = await list.locator(':scope > li').allInnerTexts();
  const headingIndex = items.findIndex((text) => text.trim() === COLLECTION);
  assert.ok(headingIndex >= 0, `no "${COLLECTION}" heading in the list: ${JSON.stringify(items)}`);
  assert.match(items[headingIndex + 1] ?? '', new RegExp(`^${NAME}`), `"${NAME}" is not listed under ${COLLECTION}: ${JSON.stringify(items)}`);
  assert.match(items[headingIndex + 1], new RegExp(escapeRegExp(echo.url)));
  await list.getByRole('button', { name: `Rename endpoint ${NAME}`, exact: true }).waitFor();
  await list.getByRole('button', { name: `Delete endpoint ${NAME}`, exact: true }).waitFor();

  // The editor tab now carries the endpoint's name.
  await editorTab(page, NAME).waitFor({ timeout: 10_000 });

  // The activity bar's WebSocket view: collection E2E with the endpoint under it.
  await showEndpointsView(page);
  const collectionRow = treeRow(page, COLLECTION);
  await collectionRow.waitFor({ timeout: 10_000 });
  assert.equal(await collectionRow.getAttribute('aria-level'), '1');
  assert.match(await collectionRow.innerText(), /1 endpoint\b/);
  const endpointRow = treeRow(page, NAME);
  await endpointRow.waitFor();
  assert.equal(await endpointRow.getAttribute('aria-level'), '2');
  assert.match(await endpointRow.innerText(), new RegExp(escapeRegExp(echo.url)));
  await screenshot('40-endpoint-saved');
  await resetWorkbench(page);
});

test('the saved endpoint survives a window reload', { timeout: 120_000 }, async ({ page }) => {
  // Reload with the tree showing and no panel open, then once more with a panel open.
  await reloadWindow(page);
  await showEndpointsView(page);
  await treeRow(page, COLLECTION).waitFor({ timeout: 30_000 });
  await treeRow(page, NAME).waitFor();

  await runCommand(page, 'WebSocket: Open Debugger');
  let view = await panel(page);
  await openSettingsTab(view, 'Endpoints');
  await view.getByRole('list', { name: 'Saved endpoints' }).getByRole('button', { name: NAME, exact: true }).waitFor();
  // reloadWindow is the workbench's own reload: it stores the open editors first.
  await reloadWindow(page);
  await editorTab(page, 'WebSocket Debugger').waitFor({ timeout: 30_000 });
  await treeRow(page, NAME).waitFor({ timeout: 30_000 });
  // The panel is revived by its serializer and lists the endpoint again.
  view = await panel(page);
  await openSettingsTab(view, 'Endpoints');
  await view.getByRole('list', { name: 'Saved endpoints' }).getByRole('button', { name: NAME, exact: true }).waitFor({ timeout: 30_000 });
  await resetWorkbench(page);
});

test('connects to the saved endpoint picked in the palette', async ({ page, echo }) => {
  const before = echo.connections.length;
  await runCommand(page, 'WebSocket: Connect…');
  // The quick pick lists saved endpoints with their URL and collection.
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: NAME }).first();
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(escapeRegExp(echo.url)));
  assert.match(await row.innerText(), new RegExp(COLLECTION));
  // Type the name and pick the row once the list has settled (the typed text is also offered,
  // as an invalid URL). Accepting while the extension replaces the items can pick the wrong one:
  // quick pick items are addressed by index between the workbench and the extension host.
  const box = page.locator('.quick-input-widget .quick-input-box input');
  await box.fill(NAME);
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'is not a valid URL' }).waitFor();
  await row.click();
  const view = await panel(page);
  await assertText(view.getByRole('contentinfo', { name: 'Connection summary' }), /OPEN/);
  await editorTab(page, NAME).waitFor();
  assert.equal(echo.connections.length, before + 1, 'the echo server saw no new handshake');
  assert.equal(await view.getByRole('textbox', { name: 'URL', exact: true }).inputValue(), new URL(echo.url).href);

  const message = view.getByRole('textbox', { name: 'Message', exact: true });
  await message.fill('via saved endpoint');
  await view.getByRole('button', { name: 'Send', exact: true }).click();
  await view.getByRole('listbox', { name: 'Message log' }).locator('.entry', { hasText: 'received' })
    .filter({ hasText: 'via saved endpoint' }).waitFor();
  await resetWorkbench(page);
});

test('choosing an endpoint in the panel loads it into the form without connecting', async ({ page, echo }) => {
  const before = echo.connections.length;
  await runCommand(page, 'WebSocket: Open Debugger');
  const view = await panel(page);
  const url = view.getByRole('textbox', { name: 'URL', exact: true });
  await openSettingsTab(view, 'Endpoints');
  await view.getByRole('list', { name: 'Saved endpoints' }).getByRole('button', { name: NAME, exact: true }).click();
  await eventually(() => url.inputValue(), (value) => value === new URL(echo.url).href, 'the URL field after choosing the endpoint');
  await openSettingsTab(view, 'Save');
  assert.equal(await view.getByRole('textbox', { name: 'Endpoint name', exact: true }).inputValue(), NAME);
  assert.doesNotMatch((await view.getByRole('contentinfo', { name: 'Connection summary' }).textContent()) ?? '', /OPEN|CONNECTING/);
  assert.equal(echo.connections.length, before, 'choosing an endpoint must not connect');
  await resetWorkbench(page);
});

test('renames an endpoint through VS Code\'s input box', async ({ page, screenshot }) => {
  await runCommand(page, 'WebSocket: Open Debugger');
  const view = await panel(page);
  await openSettingsTab(view, 'Endpoints');
  const list = view.getByRole('list', { name: 'Saved endpoints' });
  await list.getByRole('button', { name: `Rename endpoint ${NAME}`, exact: true }).click();

  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await eventually(() => input.inputValue(), (value) => value === NAME, 'the input box proposes the current name');
  await screenshot('40-rename-input');
  await input.fill(RENAMED);
  await input.press('Enter');
  await input.waitFor({ state: 'hidden' });

  await list.getByRole('button', { name: RENAMED, exact: true }).waitFor();
  await list.getByRole('button', { name: `Rename endpoint ${RENAMED}`, exact: true }).waitFor();
  assert.equal(await list.getByRole('button', { name: NAME, exact: true }).count(), 0);
  await showEndpointsView(page);
  await treeRow(page, RENAMED).waitFor({ timeout: 10_000 });
  await treeRow(page, NAME).waitFor({ state: 'detached' });
  await resetWorkbench(page);
});

test('cancelling the delete dialog keeps the endpoint; Delete removes it', async ({ page, screenshot }) => {
  await runCommand(page, 'WebSocket: Open Debugger');
  const view = await panel(page);
  await openSettingsTab(view, 'Endpoints');
  const list = view.getByRole('list', { name: 'Saved endpoints' });
  const deleteButton = list.getByRole('button', { name: `Delete endpoint ${RENAMED}`, exact: true });

  await deleteButton.click();
  let dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 10_000 });
  assert.match(await dialog.innerText(), new RegExp(escapeRegExp(`Delete the endpoint "${RENAMED}"?`)));
  await screenshot('40-delete-dialog');
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await list.getByRole('button', { name: RENAMED, exact: true }).waitFor();

  await deleteButton.click();
  dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 10_000 });
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await list.getByRole('button', { name: RENAMED, exact: true }).waitFor({ state: 'detached' });
  await showEndpointsView(page);
  await treeRow(page, RENAMED).waitFor({ state: 'detached', timeout: 10_000 });
  await resetWorkbench(page);
});

test('with nothing saved, the panel says so and the tree shows its welcome view', async ({ page, screenshot }) => {
  await runCommand(page, 'WebSocket: Open Debugger');
  const view = await panel(page);
  await openSettingsTab(view, 'Endpoints');
  await view.getByRole('list', { name: 'Saved endpoints' }).getByText('No saved endpoints yet').waitFor();

  await showEndpointsView(page);
  const welcome = page.locator('.part.sidebar .welcome-view-content');
  await welcome.getByText(/No saved endpoints yet/).waitFor({ timeout: 10_000 });
  await screenshot('40-welcome-view');
  // Its Connect button runs WebSocket: Connect….
  await welcome.getByRole('button', { name: 'Connect', exact: true }).click();
  const title = page.locator('.quick-input-widget .quick-input-title');
  await title.filter({ hasText: 'WebSocket: Connect' }).waitFor({ timeout: 10_000 });
  await page.keyboard.press('Escape');
  await resetWorkbench(page);
  await runCommand(page, 'View: Show Explorer');
});
