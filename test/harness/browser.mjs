// Headless Chromium (Debian's, no browser download) driven by playwright-core, with the flags
// that stop it from piling up blocked background connections on an offline machine.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { onCleanup } from './cleanup.mjs';
import { repoRoot } from './codeServer.mjs';

export const CHROMIUM_PATH = process.env.WSD_CHROMIUM ?? '/usr/bin/chromium';
export const resultsDir = path.join(repoRoot, 'test-results');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches Chromium; it is closed at cleanup. */
export async function launchChromium() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}. Install Debian's package: apt-get install chromium`
      + ' (or point WSD_CHROMIUM at another Chromium binary).');
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    // Signals are handled by cleanup.mjs, which closes the browser along with everything else.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  onCleanup(() => browser.close().catch(() => {}), () => {});
  return browser;
}

/** A new page sized like a laptop screen, so screenshots show the whole workbench legibly. */
export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  return context.newPage();
}

/** Waits until the workbench has rendered its parts (editor area and status bar). */
export async function waitForWorkbench(page, timeoutMs = 60_000) {
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Saves a full-window screenshot to test-results/<name>.png and returns its path. */
export async function saveScreenshot(page, name) {
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file, timeout: 10_000 });
  return file;
}
