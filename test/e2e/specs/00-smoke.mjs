// Smoke test of the harness itself: the workbench loads with the packaged extension installed,
// the command palette works and the helpers do what they say. Feature specs come later.
import assert from 'node:assert/strict';
import { test } from '../framework.mjs';
import { openCommandPalette, reloadWindow, runCommand, setTheme } from '../workbench.mjs';

test('the workbench loads with the workspace folder open', async ({ page, workspace }) => {
  await page.locator('.part.activitybar').waitFor({ state: 'visible' });
  await runCommand(page, 'View: Show Explorer');
  const folderName = workspace.split('/').pop().toUpperCase();
  await page.locator('.part.sidebar .pane-header', { hasText: folderName }).first().waitFor({ state: 'visible' });
});

test('the packaged extension is installed', async ({ page }) => {
  await runCommand(page, 'View: Show Extensions');
  await page.locator('.extensions-viewlet .suggest-input-container').click();
  await page.keyboard.type('@installed websocket');
  const item = page.locator('.extensions-viewlet .extension-list-item', { hasText: 'WebSocket Debugger' });
  await item.first().waitFor({ state: 'visible', timeout: 20_000 });
  await runCommand(page, 'View: Show Explorer');
});

test('the command palette opens and closes', async ({ page }) => {
  const box = await openCommandPalette(page);
  assert.equal(await box.inputValue(), '>');
  await page.keyboard.press('Escape');
  await box.waitFor({ state: 'hidden' });
});

test('runCommand opens and closes an editor', async ({ page }) => {
  await runCommand(page, 'File: New Untitled Text File');
  await page.locator('.tabs-container .tab', { hasText: 'Untitled-1' }).waitFor({ state: 'visible' });
  await runCommand(page, 'View: Close All Editors');
  await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
});

test('setTheme (and quickPickInput) switch between light and dark', async ({ page, screenshot }) => {
  await setTheme(page, 'light');
  await setTheme(page, 'dark');
  await screenshot('smoke-dark-workbench');
});

test('reloadWindow brings the workbench back', async ({ page }) => {
  await reloadWindow(page);
  await openCommandPalette(page);
  await page.keyboard.press('Escape');
});
