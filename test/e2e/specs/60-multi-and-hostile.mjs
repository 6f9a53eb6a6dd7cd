// Two connections side by side (each panel owns its socket and its log), and hostile text:
// markup in messages and in endpoint names is shown as text, never parsed into the panel.
import assert from 'node:assert/strict';
import { test } from '../framework.mjs';
import { assertText, connectTo, eventually, openSettingsTab } from '../panel.mjs';
import {
  editorTab, escapeRegExp, panel, resetWorkbench, runCommand, showEndpointsView, treeRow,
} from '../workbench.mjs';

const HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">';
const HOSTILE_SCRIPT = '</script><script>window.__pwned=2</script>';
const HOSTILE_NAME = '<b>bold</b><img src=x onerror="window.__pwned=3">';

test('two connections at once: two tabs, each with its own log, both OPEN', { timeout: 90_000 }, async ({ page, echo, py, screenshot }) => {
  const echoTitle = new URL(echo.url).host;
  const pyTitle = new URL(py.url).host;

  await connectTo(page, echo.url);
  await connectTo(page, py.url);

  const tabs = page.locator('.tabs-container .tab .label-name');
  const titles = await eventually(() => tabs.allTextContents(), (texts) => texts.length === 2, 'two editor tabs');
  assert.deepEqual(titles.sort(), [echoTitle, pyTitle].sort());

  // Send in each, alternating, so a message routed to the wrong panel would show up.
  await sendAndSeeReply(page, echoTitle, 'only for echo #1');
  await sendAndSeeReply(page, pyTitle, 'only for python #1');
  await sendAndSeeReply(page, echoTitle, 'only for echo #2');
  // The python peer answers "headers?" with the request headers: proof this panel talks to it.
  await sendAndSeeReply(page, pyTitle, 'headers?', /sec-websocket-key/i);

  for (const [title, own, foreign] of [[echoTitle, 'only for echo', 'only for python'], [pyTitle, 'only for python', 'only for echo']]) {
    const view = await panel(page, title);
    await assertText(view.getByRole('contentinfo', { name: 'Connection summary' }), /OPEN/);
    const log = view.getByRole('listbox', { name: 'Message log' });
    await log.locator('.entry', { hasText: `${own} #1` }).first().waitFor();
    const text = await log.innerText();
    assert.ok(!text.includes(foreign), `the ${title} log shows the other connection's messages:\n${text}`);
    assert.match(await view.getByRole('textbox', { name: 'URL', exact: true }).inputValue(), new RegExp(`:${new URL(title === echoTitle ? echo.url : py.url).port}/`));
  }
  const pyView = await panel(page, pyTitle);
  await assertText(pyView.getByRole('contentinfo', { name: 'Connection summary' }), /sent 2\b/);
  await assertText(pyView.getByRole('contentinfo', { name: 'Connection summary' }), /received 2\b/);
  const echoView = await panel(page, echoTitle);
  await assertText(echoView.getByRole('contentinfo', { name: 'Connection summary' }), /sent 2\b/);
  await assertText(echoView.getByRole('contentinfo', { name: 'Connection summary' }), /received 2\b/);
  await screenshot('60-two-connections');
  await resetWorkbench(page);
});

test('hostile message text is shown literally and never runs', { timeout: 90_000 }, async ({ page, echo, screenshot }) => {
  const { view } = await connectTo(page, echo.url);
  const log = view.getByRole('listbox', { name: 'Message log' });
  const message = view.getByRole('textbox', { name: 'Message', exact: true });
  for (const text of [HOSTILE_IMG, HOSTILE_SCRIPT]) {
    await message.fill(text);
    await view.getByRole('button', { name: 'Send', exact: true }).click();
    // Sent and received, each showing the exact characters.
    for (const direction of ['sent', 'received']) {
      await log.locator('.entry', { hasText: direction }).filter({ hasText: text }).first().waitFor();
    }
  }
  // Also when the log is re-rendered with another "Show as".
  await view.getByRole('combobox', { name: 'Show as', exact: true }).selectOption({ label: 'JSON' });
  await log.locator('.entry', { hasText: 'received' }).filter({ hasText: HOSTILE_IMG }).first().waitFor();
  await view.getByRole('combobox', { name: 'Show as', exact: true }).selectOption({ label: 'Text' });
  await log.locator('.entry', { hasText: 'received' }).filter({ hasText: HOSTILE_SCRIPT }).first().waitFor();

  await assertNothingInjected(view);
  await screenshot('60-hostile-messages');
  await resetWorkbench(page);
});

test('a hostile endpoint name is shown as text in the list, the tree and the tab', { timeout: 90_000 }, async ({ page, echo, screenshot }) => {
  await runCommand(page, 'WebSocket: Open Debugger');
  const view = await panel(page);
  await view.getByRole('textbox', { name: 'URL', exact: true }).fill(echo.url);
  await openSettingsTab(view, 'Save');
  await view.getByRole('textbox', { name: 'Endpoint name', exact: true }).fill(HOSTILE_NAME);
  await view.getByRole('textbox', { name: 'Collection', exact: true }).fill('<i>Hostile</i>');
  await view.getByRole('button', { name: 'Save endpoint', exact: true }).click();

  await openSettingsTab(view, 'Endpoints');
  const list = view.getByRole('list', { name: 'Saved endpoints' });
  const button = list.getByRole('button', { name: HOSTILE_NAME, exact: true });
  await button.waitFor();
  assert.equal((await button.locator('.endpoint-label').textContent()), HOSTILE_NAME);
  await list.getByRole('heading', { name: '<i>Hostile</i>', exact: true }).waitFor();
  assert.equal(await list.locator('b, i, img').count(), 0, 'markup from the names became elements');
  await list.getByRole('button', { name: `Rename endpoint ${HOSTILE_NAME}`, exact: true }).waitFor();
  await assertNothingInjected(view);

  // The panel took the endpoint's name as its title, literally.
  await editorTab(page, HOSTILE_NAME).waitFor({ timeout: 10_000 });
  await screenshot('60-hostile-name');

  // The tree shows the names as text too.
  await showEndpointsView(page);
  await treeRow(page, HOSTILE_NAME).waitFor({ timeout: 10_000 });
  await treeRow(page, '<i>Hostile</i>').waitFor();
  assert.equal(await page.locator('.part.sidebar .monaco-list img, .part.sidebar .monaco-list b').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'the workbench ran injected code');

  // Delete it again: the dialog quotes the name literally.
  await list.getByRole('button', { name: `Delete endpoint ${HOSTILE_NAME}`, exact: true }).click();
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 10_000 });
  assert.match(await dialog.innerText(), new RegExp(escapeRegExp(`Delete the endpoint "${HOSTILE_NAME}"?`)));
  assert.equal(await dialog.locator('img, b').count(), 0);
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await button.waitFor({ state: 'detached' });
  await resetWorkbench(page);
  await runCommand(page, 'View: Show Explorer');
});

// ---------------------------------------------------------------------------------------------

/** No element was created from the text and no handler ran, in the panel's own document. */
async function assertNothingInjected(view) {
  assert.equal(await view.locator('img').count(), 0, 'an <img> exists in the panel');
  assert.equal(await view.locator('b').count(), 0, 'a <b> exists in the panel');
  const scripts = await view.locator('script').evaluateAll((nodes) => nodes.map((n) => n.textContent ?? ''));
  assert.ok(!scripts.some((s) => s.includes('__pwned')), 'an injected <script> exists in the panel');
  // Give an onerror handler (an image load failing) time to fire, then read the canary.
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await view.locator('body').evaluate(() => window.__pwned), undefined, 'the canary was set in the panel');
}

async function sendAndSeeReply(page, title, text, reply = text) {
  const view = await panel(page, title);
  await assertText(view.getByRole('contentinfo', { name: 'Connection summary' }), /OPEN/);
  await view.getByRole('textbox', { name: 'Message', exact: true }).fill(text);
  await view.getByRole('button', { name: 'Send', exact: true }).click();
  await view.getByRole('listbox', { name: 'Message log' }).locator('.entry', { hasText: 'sent' }).filter({ hasText: text }).first().waitFor();
  await view.getByRole('listbox', { name: 'Message log' }).locator('.entry', { hasText: 'received' }).filter({ hasText: reply }).first().waitFor();
}
