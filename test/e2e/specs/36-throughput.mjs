// The throughput strip in the status line: messages per second each way and the ping round trip
// over the last minute, as a sparkline whose accessible name says the same in words, and a
// button that hides it, remembered when the panel is hidden and shown again.
import assert from 'node:assert/strict';
import { test } from '../framework.mjs';
import { connectTo, eventually, sendText, WAIT } from '../panel.mjs';
import { editorTab, panel, resetWorkbench, runCommand } from '../workbench.mjs';

const SUMMARY = /^Last minute: ([\d.,]+) msg\/s in, ([\d.,]+) msg\/s out, (RTT [\d.]+ ms|no ping round trip yet)$/;

test('the throughput strip shows the last minute in and out with the ping round trip, and hides on request', { timeout: 90_000 }, async ({ page, echo, screenshot }) => {
  const ui = await connectTo(page, `${echo.url}/throughput`);
  const chart = ui.view.getByRole('img', { name: /^Last minute: / });
  await chart.waitFor({ timeout: WAIT });
  for (let i = 0; i < 5; i += 1) await sendText(ui, `beat ${i}`);
  const label = () => chart.getAttribute('aria-label');
  const rates = await eventually(label, (text) => {
    const match = SUMMARY.exec(text ?? '');
    return match !== null && parseFloat(match[1]) > 0 && parseFloat(match[2]) > 0;
  }, 'messages in and out in the summary');
  assert.match(rates, SUMMARY);
  assert.notEqual(await chart.locator('polyline.received').getAttribute('points'), '', 'no line drawn for messages in');

  await ui.ping.click();
  await eventually(label, (text) => /, RTT [\d.]+ ms$/.test(text ?? ''), 'the ping round trip in the summary');
  assert.notEqual(await chart.locator('polyline.rtt').getAttribute('points'), '', 'no line drawn for the round trip');
  await screenshot('36-throughput');

  const hide = ui.view.getByRole('button', { name: 'Hide throughput', exact: true });
  assert.equal(await hide.getAttribute('aria-expanded'), 'true');
  await hide.click();
  await chart.waitFor({ state: 'hidden' });
  assert.equal(await ui.view.getByRole('button', { name: 'Show throughput', exact: true }).getAttribute('aria-expanded'), 'false');

  // Hidden behind another editor (VS Code tears the webview down) and shown again: still hidden.
  const title = (await page.locator('.tabs-container .tab.active .label-name').first().innerText()).trim();
  await runCommand(page, 'File: New Untitled Text File');
  await editorTab(page, title).click();
  const again = await panel(page);
  const show = again.getByRole('button', { name: 'Show throughput', exact: true });
  await show.waitFor({ timeout: WAIT });
  assert.equal(await again.getByRole('img', { name: /^Last minute: / }).count(), 0);
  await show.click();
  await again.getByRole('img', { name: /^Last minute: / }).waitFor({ timeout: WAIT });
  await resetWorkbench(page);
});
