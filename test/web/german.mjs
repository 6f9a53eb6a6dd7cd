// The German translation as a user sees it: code-server in German (a stub language pack makes
// vscode.env.language "de", test/harness/codeServer.mjs), this checkout as the extension under
// development on the Node extension host, the workbench in headless Chromium. The palette shows
// the manifest's German title (package.nls.de.json), the panel's page is German and its controls
// carry German accessible names (l10n/bundle.l10n.de.json, read by the webview from its page), and
// a refusal that comes from the core (the session) reaches the panel in German. The browser's own
// terms (readyState OPEN, CLOSED) stay as the WebSocket API spells them.
//
// Usage: node scripts/build.mjs && node test/web/german.mjs   (npm run test:web runs it too)
import assert from 'node:assert/strict';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { cleanupAndExit, interrupted, onCleanup } from '../harness/cleanup.mjs';
import { launchChromium, newPage, saveScreenshot, waitForWorkbench } from '../harness/browser.mjs';
import { remoteUri, repoRoot, startCodeServer, tempDir, workbenchUrl } from '../harness/codeServer.mjs';
import { assertText, eventually, WAIT } from '../e2e/panel.mjs';
import { panel, runCommand, waitForExtension } from '../e2e/workbench.mjs';

async function startEcho() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const messages = [];
  server.on('connection', (socket) => socket.on('message', (data, isBinary) => {
    messages.push(data.toString());
    socket.send(data, { binary: isBinary });
  }));
  onCleanup(() => new Promise((resolve) => { for (const c of server.clients) c.terminate(); server.close(() => resolve()); }));
  return { url: `ws://127.0.0.1:${server.address().port}/de`, messages };
}

const checks = [];
const check = (name, run) => checks.push({ name, run });
let view;
let echo;

check('the palette shows the German title, and the panel\'s page is German', async ({ page }) => {
  await runCommand(page, 'WebSocket: Debugger öffnen');
  view = await panel(page);
  await view.getByRole('button', { name: 'Verbinden', exact: true }).waitFor({ state: 'visible', timeout: WAIT });
  assert.equal(await view.locator('html').getAttribute('lang'), 'de');
  // Where connections leave from (code-server is a remote): src/shared/connectionOrigin.ts in German.
  await assertText(view.locator('body'), /Von: Remote-Rechner 127\.0\.0\.1:\d+/, 'the German origin note');
  await view.getByRole('listbox', { name: 'Nachrichtenprotokoll' }).waitFor({ state: 'attached', timeout: WAIT });
  await view.getByRole('textbox', { name: 'Nachricht', exact: true }).waitFor({ state: 'attached', timeout: WAIT });
  // No English name is left on the controls the e2e specs use by their English names.
  assert.equal(await view.getByRole('button', { name: 'Connect', exact: true }).count(), 0, 'an English Connect button');
  assert.equal(await view.getByRole('listbox', { name: 'Message log' }).count(), 0, 'an English Message log');
});

check('a refusal from the core is German, next to the field', async () => {
  const url = view.getByRole('textbox', { name: 'URL', exact: true });
  await url.fill('http://127.0.0.1:1/');
  await view.getByRole('button', { name: 'Verbinden', exact: true }).click();
  // src/shared/validation.ts through l10n.t: the scheme check, in the bundle's German.
  await assertText(view.locator('body'), /http:\/\/ ist keine WebSocket-URL; verwenden Sie stattdessen ws:\/\//, 'the German scheme refusal');
});

check('connects, sends and receives with German controls; the readyState keeps the browser\'s word', async () => {
  const url = view.getByRole('textbox', { name: 'URL', exact: true });
  await url.fill(echo.url);
  await view.getByRole('button', { name: 'Verbinden', exact: true }).click();
  const disconnect = view.getByRole('button', { name: 'Trennen', exact: true });
  await disconnect.waitFor({ state: 'visible', timeout: WAIT });
  // The status line starts with the readyState, in the WebSocket API's own word.
  const status = view.getByRole('contentinfo');
  await assertText(status, /^OPEN\b/, 'readyState OPEN');
  await view.getByRole('textbox', { name: 'Nachricht', exact: true }).fill('hallo');
  await view.getByRole('button', { name: 'Senden', exact: true }).click();
  await eventually(() => echo.messages.length, (n) => n === 1, 'the server got the message');
  const log = view.getByRole('listbox', { name: 'Nachrichtenprotokoll' });
  await eventually(async () => log.getByRole('option').filter({ hasText: 'hallo' }).count(), (n) => n >= 2, 'sent and echoed rows');
  await assertText(status, /gesendet 1\b/, 'the German counts');
  await disconnect.click();
  await assertText(status, /^CLOSED\b/, 'readyState CLOSED');
});

async function main() {
  echo = await startEcho();
  const workspace = await tempDir('german-workspace');
  const codeServer = await startCodeServer({ folder: workspace, smokeTestDriver: true, locale: 'de' });
  const browser = await launchChromium();
  const page = await newPage(browser);
  const url = workbenchUrl(codeServer, { folder: workspace, payload: [['extensionDevelopmentPath', remoteUri(repoRoot)]] });
  console.log(`[german] code-server at ${codeServer.url}; echo server at ${echo.url}`);
  await page.goto(url);
  await waitForWorkbench(page);
  await waitForExtension(page);
  let passed = 0;
  for (const [index, { name, run }] of checks.entries()) {
    const started = Date.now();
    try {
      await run({ page });
      console.log(`  ✔ ${name} (${Date.now() - started} ms)`);
      passed += 1;
    } catch (error) {
      const shot = await saveScreenshot(page, `german-${index}`).catch(() => undefined);
      console.log(`  ✖ ${name}\n    ${String(error?.stack ?? error).split('\n').join('\n    ')}${shot ? `\n    screenshot: ${path.relative(repoRoot, shot)}` : ''}`);
      break;
    }
  }
  console.log(`[german] ${passed} of ${checks.length} checks passed${passed < checks.length ? '; the checks after the failed one were skipped' : ''}`);
  return passed === checks.length ? 0 : 1;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  if (!interrupted()) console.error(`[german] ${error.stack ?? error}`);
}
await cleanupAndExit(exitCode);
