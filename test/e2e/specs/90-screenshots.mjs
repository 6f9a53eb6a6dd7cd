// Screenshots of the debugger panel in a realistic state, in the dark, the light and the high-contrast theme:
// always into test-results/, and with WSD_UPDATE_SCREENSHOTS=1 also (cropped to the editor
// area) into media/screenshot-dark.png, the README's, and media/screenshot-light.png and media/screenshot-high-contrast.png.
import assert from 'node:assert/strict';
import { copyFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from '../framework.mjs';
import { openSettingsTab } from '../panel.mjs';
import { panel, resetWorkbench, runCommand, setTheme } from '../workbench.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const resultsDir = path.join(repoRoot, 'test-results');
const mediaDir = path.join(repoRoot, 'media');
const MAX_MEDIA_BYTES = 200 * 1024;

const CHAT = '{"type":"chat","room":"general","user_id":42,"text":"Hello from VS Code!","sent_at":"2025-01-15T09:30:00Z"}';

test('screenshots of the panel in the dark, light and high-contrast themes', { timeout: 180_000 }, async ({ page, py }) => {
  await runCommand(page, 'WebSocket: Open Debugger');
  const view = await panel(page);

  // A saved endpoint with a subprotocol, connected from the form like a user would.
  await view.getByRole('textbox', { name: 'URL', exact: true }).fill(`${py.url}/chat`);
  await openSettingsTab(view, 'Headers');
  await view.getByRole('textbox', { name: 'Subprotocols', exact: true }).fill('chat');
  await openSettingsTab(view, 'Save');
  await view.getByRole('textbox', { name: 'Endpoint name', exact: true }).fill('Chat (local)');
  await view.getByRole('textbox', { name: 'Collection', exact: true }).fill('Demo');
  await view.getByRole('button', { name: 'Save endpoint', exact: true }).click();
  await openSettingsTab(view, 'Endpoints');
  const list = view.getByRole('list', { name: 'Saved endpoints' });
  await list.getByRole('button', { name: 'Chat (local)', exact: true }).waitFor();
  await view.getByRole('button', { name: 'Connect', exact: true }).click();
  const status = view.getByRole('contentinfo', { name: 'Connection summary' });
  await waitForText(status, /OPEN/);
  await waitForText(view.locator('body'), /protocol\s*chat/);

  const log = view.getByRole('listbox', { name: 'Message log' });
  const message = view.getByRole('textbox', { name: 'Message', exact: true });
  const send = view.getByRole('button', { name: 'Send', exact: true });
  await view.getByRole('combobox', { name: 'Send as', exact: true }).selectOption({ label: 'JSON' });
  await message.fill(CHAT);
  await send.click();
  const chatReply = log.locator('.entry', { hasText: 'received' }).filter({ hasText: '"room"' }).first();
  await chatReply.waitFor();
  // Select the echoed chat message: the Message detail pane shows it as a JSON tree.
  await chatReply.click();
  await view.getByRole('region', { name: 'Message detail' }).getByRole('tab', { name: 'JSON tree', exact: true }).click();

  await view.getByRole('combobox', { name: 'Send as', exact: true }).selectOption({ label: 'Text' });
  await message.fill('binary?');
  await send.click();
  await log.locator('.entry', { hasText: 'received' }).filter({ hasText: '00 01 02 7f 80 fe ff' }).first().waitFor();

  await view.getByRole('textbox', { name: 'Ping/pong payload', exact: true }).fill('keepalive');
  await view.getByRole('button', { name: 'Ping', exact: true }).click();
  await log.locator('.entry', { hasText: 'pong' }).filter({ hasText: /received/ }).first().waitFor();
  await message.fill('');
  await chatReply.screenshot({ path: path.join(resultsDir, '90-chat-entry.png') });

  for (const kind of ['dark', 'light', 'high-contrast']) {
    await setTheme(page, kind);
    // The webview follows the theme: wait for its body class before shooting.
    await view.locator(`body.vscode-${kind}`).waitFor({ timeout: 15_000 });
    await page.mouse.move(0, 0);
    const clip = await editorClip(page);
    const file = path.join(resultsDir, `90-panel-${kind}.png`);
    await page.screenshot({ path: file, clip });
    const { size } = await stat(file);
    console.log(`      ${path.relative(repoRoot, file)}: ${clip.width}x${clip.height}, ${(size / 1024).toFixed(0)} KB`);
    assert.ok(size < MAX_MEDIA_BYTES, `the ${kind} screenshot is ${size} bytes; the README's should stay under ${MAX_MEDIA_BYTES}`);
    // Every run shoots; the committed images change only when asked, so runs leave git clean.
    if (process.env.WSD_UPDATE_SCREENSHOTS === '1') await copyFile(file, path.join(mediaDir, `screenshot-${kind}.png`));
  }
  await setTheme(page, 'dark');

  // Clean up: disconnect and delete the demo endpoint.
  await view.getByRole('button', { name: 'Disconnect', exact: true }).click();
  await waitForText(status, /CLOSED/);
  await openSettingsTab(view, 'Endpoints');
  await list.getByRole('button', { name: 'Delete endpoint Chat (local)', exact: true }).click();
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 10_000 });
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await resetWorkbench(page);
});

/** The editor part's box, rounded to whole pixels, for page.screenshot({ clip }). */
async function editorClip(page) {
  const box = await page.locator('.part.editor').boundingBox();
  assert.ok(box, 'the editor part is not visible');
  return { x: Math.floor(box.x), y: Math.floor(box.y), width: Math.floor(box.width), height: Math.floor(box.height) };
}

async function waitForText(locator, pattern, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = (await locator.first().textContent()) ?? '';
    if (pattern.test(text)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.match(text, pattern);
}
