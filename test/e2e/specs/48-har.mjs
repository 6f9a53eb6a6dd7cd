// HAR from the panel and back, against python websockets: the log toolbar's Export as HAR… asks
// what to keep (a quick pick) and where (VS Code's save dialog), writes the session in Chrome
// DevTools' form and says what it stripped; WebSocket: Import HAR… reads that file back into a
// collection and, from its notification, opens the recorded log read-only in a panel of its own
// (no form, no composer; the log's filter works). A Chrome-format Socket.IO HAR opens the same
// way, its events seen by every view of the message detail and by the filters.
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { test } from '../framework.mjs';
import { answerOverwriteIfAsked, deleteSavedEndpoint, importThroughDialog, notification, QUICK_BOX, QUICK_INPUT } from '../collectionSteps.mjs';
import { assertText, connectTo, eventually, messageDetail, panelControls, received, selectEntry, sendText, textOf, WAIT } from '../panel.mjs';
import { openedPanel, panel, resetWorkbench, runCommand } from '../workbench.mjs';
import { repoRoot } from '../../harness/codeServer.mjs';

test('exports the log as HAR and imports it back as a collection and a recorded log', { timeout: 120_000 }, async ({ page, py, workspace, screenshot }) => {
  const file = path.join(workspace, 'e2e-session.har');
  try {
    const ui = await connectTo(page, `${py.url}/har?room=e2e`);
    await sendText(ui, 'hello har');
    await received(ui, { text: 'hello har' }).first().waitFor({ timeout: WAIT });

    await ui.view.getByRole('button', { name: 'Export as HAR…', exact: true }).click();
    await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: 'Export as HAR' }).waitFor({ timeout: WAIT });
    await screenshot('48-keep-pick');
    // Nothing checked: cookies and secret values are stripped.
    await page.keyboard.press('Enter');
    const box = page.locator(QUICK_BOX);
    await eventually(() => box.inputValue(), (value) => value.endsWith('.har'), 'the path the save dialog proposes');
    await box.fill(file);
    await box.press('Enter');
    await answerOverwriteIfAsked(page);
    await notification(page, 'as HAR to e2e-session.har.').waitFor({ timeout: WAIT });

    const har = JSON.parse(await readFile(file, 'utf8'));
    const entry = har.log.entries.at(-1);
    assert.equal(entry._resourceType, 'websocket');
    assert.equal(entry.response.status, 101);
    assert.equal(entry.request.url, `${py.url}/har?room=e2e`);
    assert.deepEqual(entry._webSocketMessages.map((m) => [m.type, m.opcode, m.data]), [['send', 1, 'hello har'], ['receive', 1, 'hello har']]);

    // From the palette with no panel open: a webview that holds focus can close the file dialog.
    await resetWorkbench(page);
    await importThroughDialog(page, file, () => screenshot('48-open-dialog'), 'WebSocket: Import HAR…', 'Import HAR');
    await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: 'Import HAR' }).waitFor({ timeout: WAIT });
    await page.keyboard.press('Enter');
    const done = notification(page, 'Imported 1 WebSocket connection from e2e-session.har');
    await done.waitFor({ timeout: WAIT });
    const recorded = panelControls(await openedPanel(page, () => done.getByRole('button', { name: 'Open the recorded log', exact: true }).click()));
    await eventually(() => textOf(recorded.log), (text) => /hello har/.test(text), 'the recorded log in its panel');
    assert.equal(await received(recorded, { text: 'hello har' }).count(), 1);
    assert.match(await recorded.view.getByRole('note').innerText(), /^Recorded in e2e-session\.har .*Read-only/);
    // Read-only: no connection form, no composer; the log's views and filters stay.
    assert.equal(await recorded.view.getByRole('button', { name: 'Connect', exact: true }).isVisible(), false);
    assert.equal(await recorded.view.getByRole('button', { name: 'Send', exact: true }).isVisible(), false);
    await recorded.view.getByRole('searchbox', { name: 'Filter log', exact: true }).fill('nothing matches this');
    await eventually(() => received(recorded, { text: 'hello har' }).count(), (n) => n === 0, 'the filter to hide the entry');
    await screenshot('48-recorded-log');

    // Leaves the saved endpoints as it found them (50-collections counts them).
    await resetWorkbench(page);
    await runCommand(page, 'WebSocket: Open Debugger');
    const debuggerView = await panel(page);
    await deleteSavedEndpoint(page, debuggerView, `${new URL(py.url).host}/har`);
  } finally {
    await rm(file, { force: true });
    await resetWorkbench(page);
  }
});

test('a Chrome Socket.IO HAR opens read-only: every view and the filters see its events', { timeout: 120_000 }, async ({ page, screenshot }) => {
  const file = path.join(repoRoot, 'test/fixtures/har/chrome-socketio.har');
  try {
    await resetWorkbench(page);
    await importThroughDialog(page, file, async () => {}, 'WebSocket: Import HAR…', 'Import HAR');
    await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: 'Import HAR' }).waitFor({ timeout: WAIT });
    await page.keyboard.press('Enter');
    const done = notification(page, 'Imported 1 WebSocket connection from chrome-socketio.har');
    await done.waitFor({ timeout: WAIT });
    const ui = panelControls(await openedPanel(page, () => done.getByRole('button', { name: 'Open the recorded log', exact: true }).click()));
    await eventually(() => ui.entries.count(), (n) => n === 9, 'connect, seven events and acks, disconnect in the log');
    assert.equal(await ui.view.getByRole('button', { name: 'Connect', exact: true }).isVisible(), false, 'read-only: no form');
    const idOf = async (row) => row.getAttribute('data-entry-id');
    const hello = await idOf(received(ui, { text: 'hello' }).first());
    const binary = await idOf(received(ui, { text: 'arg 1 (binary)' }).first());

    // Each view of a received event: its argument as text, a JSON tree, hex and base64.
    const detail = messageDetail(ui);
    const detailText = detail.locator('.detail-text');
    const show = async (id, label) => {
      await selectEntry(ui, id);
      await detail.getByRole('tab', { name: label, exact: true }).click();
    };
    await show(hello, 'Text');
    await assertText(detailText, /\{"text":"hello","n":1\}/, 'the event argument as text');
    await show(hello, 'JSON tree');
    const tree = detail.getByRole('tree', { name: 'JSON tree' });
    await tree.getByRole('treeitem').filter({ hasText: 'hello' }).first().waitFor({ timeout: WAIT });
    await show(hello, 'Hex');
    await assertText(detailText, /^00000000 {2}7b 22 74 65 78 74 22 3a/, 'the argument as hex');
    await show(hello, 'Base64');
    await assertText(detailText, /eyJ0ZXh0IjoiaGVsbG8iLCJuIjoxfQ==/, 'the argument as base64');
    await show(binary, 'Hex');
    await assertText(detailText, /00 01 02 ff/, 'the binary attachment as hex');
    await show(binary, 'Base64');
    await assertText(detailText, /AAEC\/w==/, 'the binary attachment as base64');
    assert.equal(await detail.getByRole('tab', { name: 'Decoded', exact: true }).isVisible(), false, 'no Decoded view without a decoder');
    await screenshot('48-socketio-recorded-log');

    // The filters: text in the arguments, and the event name.
    const filter = ui.view.getByRole('searchbox', { name: 'Filter log', exact: true });
    await filter.fill('with ack');
    await eventually(() => ui.entries.count(), (n) => n === 3, 'the emit, its echo and its ack');
    await filter.fill('');
    const eventFilter = ui.view.getByRole('searchbox', { name: 'Filter by event name', exact: true });
    await eventFilter.fill('echo');
    await eventually(() => ui.entries.count(), (n) => n === 7, 'the echo events and the ack');
    await eventFilter.fill('');

    // Leaves the saved endpoints as it found them.
    await resetWorkbench(page);
    await runCommand(page, 'WebSocket: Open Debugger');
    await deleteSavedEndpoint(page, await panel(page), 'localhost:3000/chat');
  } finally {
    await resetWorkbench(page);
  }
});
