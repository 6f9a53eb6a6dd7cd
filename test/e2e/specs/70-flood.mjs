// A flood of 20,000 messages: the count is exact, the DOM stays bounded, the filter finds single
// entries among them, the "N new" button appears when scrolled up, Pause view stops drawing.
import assert from 'node:assert/strict';
import { test } from '../framework.mjs';
import { assertText, connectTo, eventually, sendText, textOf, WAIT } from '../panel.mjs';
import { floodMessage, startFloodServer } from '../servers.mjs';
import { resetWorkbench } from '../workbench.mjs';

/** The panel shows at most a few hundred entry elements whatever the log size. */
const MAX_ENTRY_ELEMENTS = 500;

const newestShownSeq = (ui) => ui.log.evaluate((log) => {
  const rows = [...log.querySelectorAll('.entry .entry-content')];
  const seqs = rows.map((row) => /"seq":(\d+)/.exec(row.textContent ?? '')?.[1]).filter(Boolean).map(Number);
  return seqs.length ? Math.max(...seqs) : -1;
});

/** aria-posinset and text of the row aria-activedescendant names. */
const activePosition = (ui) => ui.log.evaluate((log) => {
  const id = log.getAttribute('aria-activedescendant');
  const row = id ? log.ownerDocument.getElementById(id) : null;
  return row && { position: row.getAttribute('aria-posinset'), text: (row.querySelector('.entry-content')?.textContent ?? '').trim() };
});

function floodControls(ui) {
  return {
    filter: ui.view.getByRole('searchbox', { name: 'Filter log' }),
    regex: ui.view.getByRole('checkbox', { name: 'Regex' }),
    pause: ui.view.getByRole('button', { name: 'Pause view' }),
    resume: ui.view.getByRole('button', { name: 'Resume view' }),
    clear: ui.view.getByRole('button', { name: 'Clear log' }),
    record: ui.view.getByRole('button', { name: 'Record to file' }),
    newButton: ui.view.getByRole('button', { name: /^[\d,]+ new$/ }),
  };
}

test('20,000 messages: exact count, bounded DOM, filter, N new, pause and resume', { timeout: 120_000 }, async ({ page, screenshot }) => {
  const flood = await startFloodServer();
  try {
    const ui = await connectTo(page, flood.url);
    const c = floodControls(ui);
    await sendText(ui, 'flood 20000');
    await assertText(ui.status, /received 20,000 \(/, 'status counts all 20,000');
    const rendered = await ui.entries.count();
    assert.ok(rendered > 0 && rendered <= MAX_ENTRY_ELEMENTS, `${rendered} entry elements in the DOM`);
    // Following the bottom: the newest message is on screen.
    await eventually(() => newestShownSeq(ui), (seq) => seq === 19_999, 'newest message shown');
    await screenshot('flood-20000');

    // Home goes to the oldest entry (the open event) even while the entries before the flood's
    // tail window are still loading, and End back to the newest: the keys wait for them.
    const loading = ui.view.getByText(/earlier messages? (is|are) still loading/);
    await ui.log.focus();
    const wasLoading = await loading.isVisible();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await eventually(() => activePosition(ui), (at) => at?.position === '2', 'Home, then ArrowDown: the second entry');
    assert.equal((await activePosition(ui)).text, 'flood 20000', `the second entry is the sent command (the notice was ${wasLoading ? '' : 'not '}showing before Home)`);
    await eventually(() => loading.isVisible(), (v) => v === false, 'every entry loaded');
    await page.keyboard.press('End');
    await eventually(() => activePosition(ui), (at) => at?.position === '20002', 'End: the newest of 20,002 entries');

    // Plain text finds one message among 20,000 and highlights it.
    await c.filter.fill('"seq":12345,');
    const summary = ui.view.locator('.filter-summary');
    await assertText(summary, /^1 of 20,00\d match$/, 'one match');
    await eventually(() => ui.entries.count(), (n) => n === 1, 'one row');
    assert.equal(await textOf(ui.entries.first().locator('mark')), '"seq":12345,');
    assert.equal((await textOf(ui.entries.first().locator('.entry-content'))).trim(), floodMessage(12345).trim());
    // A regular expression: ten messages.
    await c.regex.check();
    await c.filter.fill('"seq":1234\\d,');
    await assertText(summary, /^10 of /, 'ten regex matches');
    await c.filter.fill('"seq":(');
    await eventually(() => c.filter.getAttribute('aria-invalid'), (v) => v === 'true', 'bad regex marked');
    await c.filter.fill('');
    await c.regex.uncheck();
    await assertText(summary, /^$/, 'no filter, no summary');

    // Scrolled up, new messages wait behind an "N new" button.
    await ui.log.evaluate((log) => { log.scrollTop = 0; });
    await eventually(() => c.newButton.isVisible(), (v) => v === false, 'no button before new messages');
    await sendText(ui, 'flood 100');
    await assertText(ui.status, /received 20,100 \(/, 'status counts the next 100');
    // 101: the 100 messages and the sent "flood 100" itself.
    await assertText(c.newButton, /^101 new$/, '"101 new"');
    assert.ok(await ui.log.evaluate((log) => log.scrollTop < 100), 'the view stays where the user scrolled');
    await c.newButton.click();
    await eventually(() => c.newButton.isVisible(), (v) => v === false, 'button gone after the jump');
    await eventually(() => newestShownSeq(ui), (seq) => seq === 99, 'jumped to the newest');

    // Pause view: messages still arrive and are counted, but the view holds still.
    await c.pause.click();
    await c.resume.waitFor({ timeout: WAIT });
    await sendText(ui, 'flood 200');
    await assertText(ui.status, /received 20,300 \(/, 'counted while paused');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await newestShownSeq(ui), 99, 'the paused view did not move');
    await c.resume.click();
    await c.pause.waitFor({ timeout: WAIT });
    await eventually(() => newestShownSeq(ui), (seq) => seq === 199, 'resumed view shows the newest');
    assert.ok((await ui.entries.count()) <= MAX_ENTRY_ELEMENTS);

    await c.clear.click();
    await eventually(() => ui.entries.count(), (n) => n === 0, 'log cleared');
    await c.record.waitFor({ timeout: WAIT });
  } finally {
    await resetWorkbench(page);
    await flood.close();
  }
});
