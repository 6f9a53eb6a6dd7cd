// The panel's editor-title actions and the Send keybinding (issue 18): Disconnect / Connect This
// Panel and Clear Log in the tab's title bar, Ctrl+Enter in the Message box sending once (the box
// keeps the key from VS Code), and Ctrl+Enter elsewhere in the panel reaching VS Code's
// WebSocket: Send Message keybinding, which sends what the box holds.
import assert from 'node:assert/strict';
import { test } from '../framework.mjs';
import { assertText, connectTo, eventually } from '../panel.mjs';
import { resetWorkbench } from '../workbench.mjs';

/** A button of the active editor's title bar, by its accessible name (the command's title). */
function titleAction(page, name) {
  return page.locator('.editor-group-container.active .editor-actions').getByRole('button', { name });
}

test('editor title: Disconnect, Connect This Panel, Clear Log; Ctrl+Enter sends once, and from the log through the keybinding', async ({ page, echo }) => {
  const ui = await connectTo(page, echo.url);
  try {
    await ui.sendAs.selectOption({ label: 'Text' });
    await ui.message.fill('sent once');
    await ui.message.press('Control+Enter');
    await eventually(() => echo.messages.filter((m) => m === 'sent once').length, (n) => n === 1, 'the server got it');
    // A second copy (the keybinding as well as the box) would have arrived by now.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(echo.messages.filter((m) => m === 'sent once').length, 1, 'Ctrl+Enter in the box sends once');

    await ui.message.fill('sent by the keybinding');
    await ui.log.focus();
    await page.keyboard.press('Control+Enter');
    await eventually(() => echo.messages.includes('sent by the keybinding'), (v) => v, 'Ctrl+Enter in the log sends through WebSocket: Send Message');

    await eventually(() => ui.entries.count(), (n) => n > 0, 'the log has entries');
    const labels = await page.locator('.editor-group-container.active .editor-actions [aria-label]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    assert.ok(labels.some((l) => /^Clear Log/.test(l ?? '')), `the title's actions: ${labels.join(', ')}`);
    await titleAction(page, /^Clear Log/).click();
    await eventually(() => ui.entries.count(), (n) => n === 0, 'Clear Log in the title emptied the log');

    await titleAction(page, /^Disconnect/).click();
    await assertText(ui.status, /^CLOSED\b/, 'the title\'s Disconnect closed it');
    await titleAction(page, /^Connect This Panel/).click();
    await assertText(ui.status, /^OPEN\b/, 'the title\'s Connect connected it again');
    assert.equal(await titleAction(page, /^Connect This Panel/).count(), 0, 'Connect gives way to Disconnect');
    await titleAction(page, /^Disconnect/).waitFor({ timeout: 10_000 });
    await ui.disconnect.click();
    await assertText(ui.status, /^CLOSED\b/, 'closed');
  } finally {
    await resetWorkbench(page);
  }
});
