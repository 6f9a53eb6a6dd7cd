// The message log by keyboard: one tab stop (a listbox named "Message log"), arrows / Home / End
// move the selection, Enter opens the Message detail, the JSON tree folds with Left / Right,
// Escape goes back, Shift+Arrow selects a range and the context menu copies it through VS Code.
import assert from 'node:assert/strict';
import { test } from '../framework.mjs';
import { assertText, connectTo, eventually, messageDetail, sendText, textOf, WAIT } from '../panel.mjs';
import { resetWorkbench } from '../workbench.mjs';

const JSON_MESSAGE = '{"op":"tick","data":{"n":1,"tags":["a"]}}';

/** The row aria-activedescendant names: its direction, preview and whether it is selected. */
const activeRow = (ui) => ui.log.evaluate((log) => {
  const id = log.getAttribute('aria-activedescendant');
  const row = id ? log.ownerDocument.getElementById(id) : null;
  return row && {
    direction: row.querySelector('.entry-direction')?.textContent ?? '',
    text: row.querySelector('.entry-content')?.textContent ?? '',
    selected: row.getAttribute('aria-selected'),
  };
});
const focused = (locator) => locator.evaluate((el) => el.ownerDocument.activeElement === el || el.contains(el.ownerDocument.activeElement));
const focusedName = (view) => view.locator(':focus').evaluate((el) => `${el.getAttribute('role')}: ${el.textContent}`);

test('log keyboard: one tab stop, arrows and Enter, the JSON tree folds, Shift+Arrow and the context menu copy', { timeout: 120_000 }, async ({ page, echo, screenshot }) => {
  const origin = new URL(page.url()).origin;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  try {
    const ui = await connectTo(page, echo.url);
    for (const text of ['one', JSON_MESSAGE, 'three']) await sendText(ui, text);
    await assertText(ui.status, /received 3\b/, 'the three echoes');
    assert.equal(await ui.view.getByRole('log').count(), 0, 'no live region over the log');
    // Rows: open, sent one, received one, sent JSON, received JSON, sent three, received three.
    await eventually(() => ui.entries.count(), (n) => n === 7, 'seven rows');
    assert.ok(await ui.entries.evaluateAll((rows) => rows.every((row) => row.getBoundingClientRect().height <= 24)), 'one line per row');
    // The polite summary says what arrived, not each message.
    await assertText(ui.view.locator('.log-section').getByRole('status'), /^\d+ new messages?$/, 'the arrival summary');

    // Tab from the last filter control lands on the log: one tab stop, rows hold none.
    await ui.view.getByRole('searchbox', { name: 'Filter by event name' }).focus();
    await page.keyboard.press('Tab');
    await eventually(() => focused(ui.log), (f) => f, 'the log has the focus');
    assert.equal(await ui.log.locator('[tabindex]').count(), 0, 'no tab stops inside the log');

    await page.keyboard.press('End');
    assert.deepEqual(await activeRow(ui), { direction: 'received', text: 'three', selected: 'true' });
    await page.keyboard.press('Home');
    assert.equal((await activeRow(ui)).direction, 'open');
    await page.keyboard.press('ArrowDown');
    assert.deepEqual(await activeRow(ui), { direction: 'sent', text: 'one', selected: 'true' });
    const position = () => ui.log.evaluate((log) => Number(log.ownerDocument.getElementById(log.getAttribute('aria-activedescendant') ?? '')?.getAttribute('aria-posinset')));
    assert.equal(await position(), 2);
    await page.keyboard.press('PageDown');
    const down = await position();
    assert.ok(down > 3, 'a page down moves by more than one row');
    await page.keyboard.press('PageUp');
    assert.ok(await position() < down - 1, 'a page up moves back by more than one row');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.deepEqual(await activeRow(ui), { direction: 'received', text: JSON_MESSAGE, selected: 'true' });
    assert.equal(await ui.log.locator('[aria-selected="true"]').count(), 1, 'arrows move a single selection');

    // Enter: the Message detail shows the message; the focus is on its Show as tabs.
    const detail = messageDetail(ui);
    await page.keyboard.press('Enter');
    await assertText(detail.locator('.detail-heading'), /^Entry \d+ · received · text · 41 B · /, 'the detail names the entry');
    await screenshot('log-keyboard-detail');
    assert.equal(await focusedName(ui.view), 'tab: Text');
    assert.equal(await textOf(detail.locator('.detail-text')), JSON_MESSAGE);
    await page.keyboard.press('ArrowRight');
    assert.equal(await focusedName(ui.view), 'tab: JSON tree');
    const tree = detail.getByRole('tree', { name: 'JSON tree' });
    await tree.waitFor({ state: 'visible', timeout: WAIT });
    // Tab into the tree; Down twice reaches "data", unfolded (two levels show at first).
    await page.keyboard.press('Tab');
    assert.equal(await focusedName(ui.view), 'treeitem: {2 keys}');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const data = tree.getByRole('treeitem', { name: /^data: / });
    assert.equal(await data.getAttribute('aria-expanded'), 'true');
    assert.equal(await tree.getByRole('treeitem', { name: 'n: 1' }).count(), 1);
    await page.keyboard.press('ArrowLeft');
    await eventually(() => data.getAttribute('aria-expanded'), (v) => v === 'false', 'Left folds "data"');
    assert.equal(await tree.getByRole('treeitem', { name: 'n: 1' }).count(), 0, 'its children are gone');
    await page.keyboard.press('ArrowRight');
    await eventually(() => data.getAttribute('aria-expanded'), (v) => v === 'true', 'Right unfolds it');
    await page.keyboard.press('ArrowRight');
    assert.equal(await focusedName(ui.view), 'treeitem: n: 1', 'Right on an unfolded row goes to its first child');
    await screenshot('log-keyboard-json-tree');

    // Escape: back to the log, the selection where it was.
    await page.keyboard.press('Escape');
    await eventually(() => focused(ui.log), (f) => f, 'the log has the focus again');
    // The tab picked is the entry's Show as: its row now previews the JSON pretty-printed (on one line).
    const back = await activeRow(ui);
    assert.equal(back.direction, 'received');
    assert.equal(back.text.replace(/\s+/g, ''), JSON_MESSAGE);

    // Shift+Up twice: three rows selected (received one, sent JSON, received JSON).
    await page.keyboard.press('Shift+ArrowUp');
    await page.keyboard.press('Shift+ArrowUp');
    assert.equal(await ui.log.locator('[aria-selected="true"]').count(), 3);
    assert.deepEqual(await activeRow(ui), { direction: 'received', text: 'one', selected: 'true' });

    // Shift+F10: the context menu, its first item focused; Escape closes it and returns to the log.
    const menu = ui.view.getByRole('menu', { name: 'Log entry actions' });
    await page.keyboard.press('Shift+F10');
    await menu.waitFor({ state: 'visible', timeout: WAIT });
    assert.deepEqual(await menu.getByRole('menuitem').allTextContents(), ['Copy (3)', 'Copy as JSON (3)', 'Resend (3)', 'Save as flow (3)', 'Filter to similar']);
    assert.equal(await focusedName(ui.view), 'menuitem: Copy (3)');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden', timeout: WAIT });
    await eventually(() => focused(ui.log), (f) => f, 'the log has the focus after Escape');

    // Copy from the menu: the host writes VS Code's clipboard with the three messages, oldest first.
    await page.keyboard.press('ContextMenu');
    await menu.waitFor({ state: 'visible', timeout: WAIT });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await screenshot('log-keyboard-context-menu');
    await page.keyboard.press('Enter');
    await page.locator('.statusbar', { hasText: 'Copied 3 entries.' }).waitFor({ timeout: WAIT });
    await eventually(() => page.evaluate(() => navigator.clipboard.readText()), (text) => text === `one\n${JSON_MESSAGE}\n${JSON_MESSAGE}`, 'the clipboard');
    await menu.waitFor({ state: 'hidden', timeout: WAIT });

    // Copy as JSON: the records, with their directions.
    await page.keyboard.press('Shift+F10');
    await menu.getByRole('menuitem', { name: 'Copy as JSON (3)' }).click();
    await page.locator('.statusbar', { hasText: 'Copied 3 entries as JSON.' }).waitFor({ timeout: WAIT });
    const records = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    assert.deepEqual(records.map((r) => [r.direction, r.text]), [['received', 'one'], ['sent', JSON_MESSAGE], ['received', JSON_MESSAGE]]);

    // Filter to similar: the active row's direction and frame type go into the filter bar.
    await page.keyboard.press('Shift+F10');
    await menu.getByRole('menuitem', { name: 'Filter to similar' }).click();
    assert.equal(await ui.view.getByRole('combobox', { name: 'Direction' }).inputValue(), 'received');
    assert.equal(await ui.view.getByRole('combobox', { name: 'Frame type' }).inputValue(), 'text');
    await assertText(ui.view.locator('.filter-summary'), /^3 of 7 match$/, 'the three received text messages');
    assert.deepEqual(await ui.entries.locator('.entry-direction').allTextContents(), ['received', 'received', 'received']);
  } finally {
    await resetWorkbench(page);
  }
});
