// Saved messages end to end: an unsaved connection has none; after Save endpoint the panel's
// "Saved messages" list takes the composer under a name (empty and duplicate names refused),
// reorders, loads a message into the composer when selected, sends it with Enter or a
// double-click, renames and deletes; the exported collection file carries the messages; and a
// workspace file's messages are listed and sendable but not editable.
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from '../framework.mjs';
import { clearNotifications, deleteSavedEndpoint, exportCollectionTo } from '../collectionSteps.mjs';
import { assertText, connectTo, descriptionOf, eventually, openSettingsTab, received, WAIT } from '../panel.mjs';
import { clickRowAction, openedPanel, panel, resetWorkbench, runCommand, showEndpointsView, treeRow } from '../workbench.mjs';

const ENDPOINT = 'Messages echo';
const COLLECTION = 'SavedMessagesE2E';

/** The listbox, its options' names in order, and the buttons beside it. */
function savedMessages(view) {
  const list = view.getByRole('listbox', { name: 'Saved messages' });
  const button = (name) => view.getByRole('button', { name, exact: true });
  return {
    list,
    option: (name) => list.getByRole('option', { name, exact: true }),
    names: () => list.getByRole('option').evaluateAll((options) => options.map((o) => o.getAttribute('aria-label'))),
    save: button('Save message'),
    rename: button('Rename message'),
    remove: button('Delete message'),
    up: button('Move message up'),
    down: button('Move message down'),
    nameBox: view.getByRole('textbox', { name: 'Message name', exact: true }),
    confirmName: button('Save name'),
  };
}

async function saveComposerAs(saved, name) {
  await saved.save.click();
  await saved.nameBox.fill(name);
  await saved.confirmName.click();
}

test('saves, reorders, loads, sends, renames and deletes saved messages; the export has them', { timeout: 150_000 }, async ({ page, echo, workspace, screenshot }) => {
  const ui = await connectTo(page, echo.url);
  const saved = savedMessages(ui.view);
  // Not saved yet: nowhere to keep messages.
  await ui.view.getByText('Save the endpoint to keep messages', { exact: true }).waitFor({ timeout: WAIT });
  assert.equal(await saved.save.isVisible(), false);

  await openSettingsTab(ui, 'Save');
  await ui.view.getByRole('textbox', { name: 'Endpoint name', exact: true }).fill(ENDPOINT);
  await ui.view.getByRole('textbox', { name: 'Collection', exact: true }).fill(COLLECTION);
  await ui.view.getByRole('button', { name: 'Save endpoint', exact: true }).click();
  await saved.list.waitFor({ timeout: WAIT });
  await saved.list.getByText('No saved messages yet').waitFor();
  assert.equal(await saved.rename.isDisabled(), true, 'Rename without a selection');

  // The composer as a text message; an empty name is refused first.
  await ui.sendAs.selectOption({ label: 'Text' });
  await ui.message.fill('first saved message');
  await saved.save.click();
  await saved.confirmName.click();
  await eventually(() => descriptionOf(saved.nameBox), (text) => text.includes('Enter a name for the message'), 'the empty-name error');
  await saved.nameBox.fill('Greeting');
  await saved.nameBox.press('Enter');
  await saved.option('Greeting').waitFor({ timeout: WAIT });

  // A JSON message; the duplicate name is refused and named.
  await ui.sendAs.selectOption({ label: 'JSON' });
  await ui.message.fill('{"n": 2}');
  await saveComposerAs(saved, 'Greeting');
  await eventually(() => descriptionOf(saved.nameBox), (text) => text.includes('This endpoint already has a message named "Greeting"'), 'the duplicate-name error');
  await saved.nameBox.fill('Json two');
  await saved.confirmName.click();
  await saved.option('Json two').waitFor({ timeout: WAIT });
  assert.deepEqual(await saved.names(), ['Greeting', 'Json two']);
  assert.match(await saved.option('Json two').innerText(), /JSON/, 'the format is shown beside the name');

  // Reorder: the selected message moves up.
  await saved.option('Json two').click();
  await saved.up.click();
  await eventually(() => saved.names(), (names) => names.join() === 'Json two,Greeting', 'the order after Move message up');
  assert.equal(await saved.up.isDisabled(), true, 'the first message cannot move up');
  await screenshot('42-saved-messages');

  // Selecting loads into the composer; Enter on the list sends the selected message.
  await saved.option('Greeting').click();
  await eventually(() => ui.message.inputValue(), (value) => value === 'first saved message', 'the composer body after selecting Greeting');
  assert.equal(await ui.sendAs.inputValue(), 'text');
  const before = echo.messages.length;
  await saved.list.press('Enter');
  await received(ui, { text: 'first saved message' }).first().waitFor({ timeout: WAIT });
  // Up/Down move the selection (and load), a double-click sends.
  await saved.list.press('ArrowUp');
  await eventually(() => ui.message.inputValue(), (value) => value === '{"n": 2}', 'the composer body after ArrowUp');
  assert.equal(await ui.sendAs.inputValue(), 'json');
  await saved.option('Json two').dblclick();
  await eventually(() => echo.messages.slice(before), (messages) => messages.includes('{"n": 2}'), 'the double-clicked message at the server');
  assert.equal(echo.messages.slice(before)[0], 'first saved message');
  await received(ui, { text: '{"n": 2}' }).first().waitFor({ timeout: WAIT });

  // Rename, then delete.
  await saved.option('Json two').click();
  await saved.rename.click();
  assert.equal(await saved.nameBox.inputValue(), 'Json two');
  await saved.nameBox.fill('Json 2');
  await saved.nameBox.press('Enter');
  await saved.option('Json 2').waitFor({ timeout: WAIT });
  await saved.option('Greeting').click();
  await saved.remove.click();
  await eventually(() => saved.names(), (names) => names.join() === 'Json 2', 'the list after Delete message');

  await resetWorkbench(page);
  const file = path.join(workspace, 'saved-messages.wscollection.json');
  await exportCollectionTo(page, COLLECTION, file);
  const written = JSON.parse(await readFile(file, 'utf8'));
  assert.equal(written.version, 3);
  assert.deepEqual(written.endpoints[0].messages, [{ name: 'Json 2', format: 'json', body: '{"n": 2}' }]);
  await clearNotifications(page);
  await resetWorkbench(page);
});

test("a workspace file's messages are listed and sent, and cannot be edited in the panel", { timeout: 120_000 }, async ({ page, echo, workspace, screenshot }) => {
  const dir = path.join(workspace, '.vscode');
  const file = path.join(dir, 'websocket-debugger.json');
  await mkdir(dir, { recursive: true });
  await writeFile(file, JSON.stringify({
    format: 'websocket-debugger-collection',
    version: 3,
    name: 'Shared messages',
    endpoints: [{
      name: 'Shared echo',
      url: `${echo.url}/shared`,
      messages: [
        { name: 'Shared hello', format: 'text', body: 'hello from the workspace file' },
        { name: 'Shared bytes', format: 'hex', body: '01 02' },
      ],
    }],
  }));
  try {
    await showEndpointsView(page);
    const row = treeRow(page, 'Shared echo');
    await row.waitFor({ timeout: 30_000 });
    // The view may re-render while the file watcher settles: click again if no panel opens.
    const view = await openedPanel(page, () => clickRowAction(page, 'Shared echo', 'Connect…'), { attempts: 3 });
    const saved = savedMessages(view);
    await saved.option('Shared hello').waitFor({ timeout: WAIT });
    assert.deepEqual(await saved.names(), ['Shared hello', 'Shared bytes']);
    await view.getByText('Shared by .vscode/websocket-debugger.json: edit its messages in that file').waitFor();
    assert.equal(await saved.save.isDisabled(), true, 'Save message in a read-only list');
    assert.match(await saved.save.getAttribute('title'), /edit its messages in that file/);
    await assertText(view.getByRole('contentinfo', { name: 'Connection summary' }), /^OPEN\b/, 'status OPEN');
    await screenshot('42-saved-messages-workspace');

    await saved.option('Shared hello').click();
    await saved.list.press('Enter');
    await eventually(() => echo.messages, (messages) => messages.includes('hello from the workspace file'), 'the shared message at the server');
  } finally {
    await resetWorkbench(page);
    await rm(file, { force: true });
    await treeRow(page, 'Shared echo').waitFor({ state: 'detached', timeout: WAIT }).catch(() => undefined);
  }
});

test('cleans up: deletes the saved endpoint', { timeout: 60_000 }, async ({ page }) => {
  await runCommand(page, 'WebSocket: Open Debugger');
  const view = await panel(page);
  await deleteSavedEndpoint(page, view, ENDPOINT);
  await resetWorkbench(page);
  await runCommand(page, 'View: Show Explorer');
});
