// The README's animated demo: connect to the echo server from an empty panel, send a few JSON
// messages, filter the log. Every run records it into test-results/demo.gif (so the recording
// path is always exercised); with WSD_UPDATE_SCREENSHOTS=1 it also becomes media/demo.gif.
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from '../framework.mjs';
import { GifRecorder } from '../gif.mjs';
import { assertText, openEmptyPanel } from '../panel.mjs';
import { resetWorkbench } from '../workbench.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const resultsDir = path.join(repoRoot, 'test-results');
const MAX_GIF_BYTES = 1024 * 1024;
const GIF_WIDTH = 800;

const PRICES = ['BTC', 'ETH', 'SOL', 'BTC', 'ETH'].map((symbol, i) => JSON.stringify({ type: 'quote', symbol, price: 100 + i * 7.25, seq: i + 1 }));

test('an animated demo of connect, send and filter', { timeout: 120_000 }, async ({ page, echo }) => {
  const ui = await openEmptyPanel(page);
  const box = await page.locator('.part.editor').boundingBox();
  assert.ok(box, 'the editor part is not visible');
  const clip = { x: Math.floor(box.x), y: Math.floor(box.y), width: Math.floor(box.width), height: Math.floor(box.height) };
  const gif = new GifRecorder({ width: GIF_WIDTH });
  const frame = async (delayMs) => gif.add(await page.screenshot({ clip }), delayMs);

  await page.mouse.move(0, 0);
  await frame(800);
  await typeSlowly(ui.url, `${echo.url}/prices`, frame);
  await ui.connect.focus();
  await frame(500);
  await ui.connect.click();
  await assertText(ui.status, /^OPEN\b/, 'status OPEN');
  await frame(1000);

  await ui.sendAs.selectOption({ label: 'JSON' });
  for (const [i, text] of PRICES.entries()) {
    await ui.message.fill(text);
    if (i === 0) await frame(700);
    await ui.send.click();
    await ui.view.getByText(`"seq":${i + 1}`).first().waitFor();
    await frame(i === PRICES.length - 1 ? 1000 : 400);
  }

  const filter = ui.view.getByRole('searchbox', { name: 'Filter log' });
  await typeSlowly(filter, 'BTC', frame);
  await frame(2000);
  await filter.fill('');

  const file = path.join(resultsDir, 'demo.gif');
  const size = await gif.write(file);
  console.log(`      ${path.relative(repoRoot, file)}: ${gif.frames.length} frames, ${GIF_WIDTH} px wide, ${(size / 1024).toFixed(0)} KB`);
  assert.ok(gif.frames.length >= 15, `the demo has ${gif.frames.length} frames`);
  assert.ok(size < MAX_GIF_BYTES, `the demo GIF is ${size} bytes; the README's should stay under ${MAX_GIF_BYTES}`);
  if (process.env.WSD_UPDATE_SCREENSHOTS === '1') await copyFile(file, path.join(repoRoot, 'media', 'demo.gif'));

  await ui.disconnect.click();
  await assertText(ui.status, /^CLOSED\b/, 'status CLOSED');
  await resetWorkbench(page);
});

/** Types `text` a few characters at a time, a frame after each burst, as a user would be seen typing. */
async function typeSlowly(locator, text, frame) {
  await locator.fill('');
  const step = Math.max(1, Math.ceil(text.length / 4));
  for (let at = 0; at < text.length; at += step) {
    await locator.fill(text.slice(0, at + step));
    await frame(250);
  }
}
