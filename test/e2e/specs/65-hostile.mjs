// Hostile content from a server and from a workspace file, in real VS Code and Chromium: markup,
// script breakouts, javascript: links, bidi overrides, zero-width characters, ANSI escapes, NUL
// bytes and a 5 MB single line in messages, close reasons, refusal headers and bodies, and
// endpoint names. All of it must stay inert text (no element, no canary, no CSP violation), with
// control, bidi and zero-width characters shown as visible markers. (Socket.IO event names are
// not covered here: that client is being built separately.)
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { onCleanup } from '../../harness/cleanup.mjs';
import { test } from '../framework.mjs';
import { assertText, connectTo, entryById, eventually, openEmptyPanel, panelControls, selectEntry, sendText, stateFields, WAIT } from '../panel.mjs';
import { startSocketIoServer } from '../socketIoServers.mjs';
import { panel, quickPickInput, resetWorkbench, runCommand, showEndpointsView, treeRow } from '../workbench.mjs';

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '</script><script>window.__pwned=2</script>';
const LINK = '<a href="javascript:window.__pwned=3">click</a> javascript:window.__pwned=3';
const BIDI = 'invoice\u202Etxt.exe';
const ZERO_WIDTH = 'pay\u200Bpal\u2060\uFEFF';
const ANSI = '\u001b[31mred\u001b[0m\u0007';
const NUL = 'a\u0000b';

/** What each hostile text must look like on screen. */
const SHOWN = new Map([
  [IMG, IMG],
  [SCRIPT, SCRIPT],
  [LINK, LINK],
  [BIDI, 'invoice<U+202E>txt.exe'],
  [ZERO_WIDTH, 'pay<U+200B>pal<U+2060><U+FEFF>'],
  [ANSI, '␛[31mred␛[0m␇'],
  [NUL, 'a␀b'],
]);
const BIG_LINE = `${IMG}${'A'.repeat(5 * 1024 * 1024)}${SCRIPT}\u202E`;
const CLOSE_REASON = `${IMG}\u202E\u0000`;

/**
 * A ws server that sends every hostile text, then the 5 MB line, on connection, and closes with
 * a hostile reason when told "close".
 */
async function startHostileServer() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket) => {
    for (const text of SHOWN.keys()) socket.send(text);
    socket.send(BIG_LINE);
    socket.on('message', (data) => {
      if (data.toString() === 'close') socket.close(4000, CLOSE_REASON);
    });
  });
  await new Promise((resolve) => server.once('listening', resolve));
  const close = onCleanup(() => new Promise((resolve) => {
    for (const client of server.clients) client.terminate();
    server.close(() => resolve());
  }), () => {});
  return { url: `ws://127.0.0.1:${server.address().port}/`, close };
}

/** A TCP server answering every handshake with a 401 whose header values and body are hostile. */
async function startHostileRefusal() {
  const body = Buffer.from(`${SCRIPT}\n${NUL}\n${ANSI}\n${BIDI}`, 'utf8');
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => {
      socket.end(Buffer.concat([
        Buffer.from('HTTP/1.1 401 Unauthorized\r\n', 'latin1'),
        Buffer.from(`X-Evil: ${IMG}\r\n`, 'latin1'),
        Buffer.from(`X-Link: ${LINK}\r\n`, 'latin1'),
        // UTF-8 bytes of U+202E, read by HTTP as Latin-1: one of them is a C1 control.
        Buffer.concat([Buffer.from('X-Bidi: a'), Buffer.from('\u202E', 'utf8'), Buffer.from('b\r\n')]),
        Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'latin1'),
        body,
      ]));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = onCleanup(() => new Promise((resolve) => server.close(() => resolve())), () => {});
  return { url: `ws://127.0.0.1:${server.address().port}/`, close };
}

/** Starts recording CSP violations in the panel's document. */
async function watchViolations(view) {
  await view.locator('body').evaluate(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
}

/** Console errors of the workbench and its frames that report a blocked resource or script. */
function watchConsole(page) {
  const refused = [];
  const listener = (message) => {
    if (/Refused to|Content Security Policy/i.test(message.text())) refused.push(message.text());
  };
  page.on('console', listener);
  return { refused, stop: () => page.off('console', listener) };
}

/** Nothing ran, nothing became an element, nothing was blocked by the CSP. */
async function assertInert(page, view, consoleWatch) {
  // Give an onerror handler (a failing image) time to fire.
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(await view.locator('.entry img, .entry script, .entry a, .connection-info img, .connection-info a').count(), 0, 'markup from the server became elements');
  const scripts = await view.locator('script').evaluateAll((nodes) => nodes.map((n) => n.textContent ?? ''));
  assert.ok(!scripts.some((s) => s.includes('__pwned')), 'an injected <script> exists');
  assert.equal(await view.locator('body').evaluate(() => window.__pwned), undefined, 'the canary was set in the panel');
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'the canary was set in the workbench');
  assert.deepEqual(await view.locator('body').evaluate(() => window.__violations), [], 'CSP violations in the panel');
  assert.deepEqual(consoleWatch.refused, [], 'CSP errors on the console');
}

test('the panel CSP allows no network, no inline script and no eval', async ({ page }) => {
  await runCommand(page, 'WebSocket: Open Debugger');
  const view = await panel(page);
  const csp = await view.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content', { timeout: WAIT });
  const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
  assert.deepEqual(directives['default-src'], ["'none'"]);
  assert.equal(directives['connect-src'], undefined, 'connect-src is present');
  assert.ok(directives['script-src']?.length === 1 && /^'nonce-[A-Za-z0-9+/=]{16,}'$/.test(directives['script-src'][0]), `script-src: ${csp}`);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval/);
  // Every script of ours carries the nonce (VS Code adds its own acquireVsCodeApi script); the
  // translations' JSON data block is never run by a browser, so it needs none.
  const nonce = directives['script-src'][0].slice(7, -1);
  const scripts = await view.locator('script:not(#_vscodeApiScript):not([type="application/json"])').evaluateAll((nodes) => nodes.map((n) => n.nonce));
  assert.ok(scripts.length > 0 && scripts.every((n) => n === nonce), 'a script without the nonce');
  await resetWorkbench(page);
});

test('hostile messages and a 5 MB line are inert text, with invisible characters shown', { timeout: 120_000 }, async ({ page, screenshot }) => {
  const hostile = await startHostileServer();
  const consoleWatch = watchConsole(page);
  try {
    const ui = await connectTo(page, hostile.url);
    await watchViolations(ui.view);
    const bodies = ui.log.locator('.entry-content');
    for (const [sent, shown] of SHOWN) {
      const entry = bodies.filter({ hasText: shown }).first();
      await entry.waitFor({ timeout: WAIT });
      const text = await entry.textContent();
      assert.equal(text, shown, `shown as ${JSON.stringify(text)}`);
      if (sent !== shown) assert.ok(await entry.locator('.invisible-char').count() > 0, `no marker for ${JSON.stringify(sent)}`);
    }
    // A marker says what it stands for.
    assert.equal(await bodies.locator('.invisible-char', { hasText: '<U+202E>' }).first().getAttribute('title'), 'U+202E RIGHT-TO-LEFT OVERRIDE');

    // The 5 MB line: the row shows a preview; the whole line opens in an editor, still as text.
    const cut = ui.entries.filter({ hasText: 'Preview of 5 MB' }).first();
    await cut.waitFor({ timeout: WAIT });
    const id = await cut.getAttribute('data-entry-id');
    const big = entryById(ui, id);
    assert.ok((await big.locator('.entry-content').textContent()).startsWith(IMG));
    await (await selectEntry(ui, id)).getByRole('button', { name: `Open entry ${id} in an editor` }).click();
    try {
      // A read-only document of its own, named after the entry.
      await page.locator('.tabs-container .tab', { hasText: `entry-${id}` }).first().waitFor({ timeout: WAIT });
      // Monaco renders spaces as no-break spaces.
      await eventually(
        () => page.locator('.editor-instance .monaco-editor .view-lines').first().textContent().catch(() => ''),
        (text) => text.replace(/\u00a0/g, ' ').includes(IMG),
        'the whole line opened in an editor',
        60_000,
      );
    } finally {
      // A read-only document: closing it asks nothing.
      await runCommand(page, 'View: Close Editor');
    }

    // The panel still works after all that: the close reason is hostile too.
    await sendText(ui, 'close');
    await assertText(ui.status, /^CLOSED\b/, 'status CLOSED');
    const fields = await stateFields(ui);
    assert.match(fields.code, /^4000\b/);
    assert.equal(fields.reason, `${IMG}<U+202E>␀`);
    const closeEntry = ui.entries.filter({ has: ui.view.locator('.entry-detail', { hasText: 'Closed by server' }) }).first();
    // JSON-quoted in the sentence (so NUL reads \u0000), with the bidi override marked.
    const detail = await closeEntry.locator('.entry-detail').textContent();
    assert.ok(detail.includes('reason "<img src=x onerror=\\"window.__pwned=1\\"><U+202E>\\u0000"'), detail);
    await screenshot('65-hostile-messages');
    await assertInert(page, ui.view, consoleWatch);
  } finally {
    consoleWatch.stop();
    await resetWorkbench(page);
    await hostile.close();
  }
});

test('a refusal with hostile header values and body is inert text', { timeout: 90_000 }, async ({ page, screenshot }) => {
  const refusal = await startHostileRefusal();
  const consoleWatch = watchConsole(page);
  try {
    await runCommand(page, 'WebSocket: Connect…');
    await quickPickInput(page, refusal.url);
    const ui = panelControls(await panel(page));
    await watchViolations(ui.view);
    const shown = ui.stateRegion.locator('.refusal');
    await assertText(shown, /HTTP 401 Unauthorized/);
    const headers = await shown.locator('.refusal-headers dd').allTextContents();
    assert.ok(headers.includes(IMG), `headers: ${JSON.stringify(headers)}`);
    assert.ok(headers.includes(LINK));
    // The UTF-8 bytes E2 80 AE read as Latin-1: "â", a C1 control made visible, "®".
    assert.ok(headers.includes('aâ<U+0080>®b'), `headers: ${JSON.stringify(headers)}`);
    assert.equal(await shown.locator('.refusal-body').textContent(), `${SCRIPT}\na␀b\n␛[31mred␛[0m␇\ninvoice<U+202E>txt.exe`);
    await screenshot('65-hostile-refusal');
    await assertInert(page, ui.view, consoleWatch);
  } finally {
    consoleWatch.stop();
    await resetWorkbench(page);
    await refusal.close();
  }
});

test('Socket.IO event names and arguments from the server are inert text, with invisible characters shown', { timeout: 90_000 }, async ({ page, screenshot }) => {
  const server = await startSocketIoServer({ version: 'v4' });
  const consoleWatch = watchConsole(page);
  try {
    const ui = await openEmptyPanel(page);
    await watchViolations(ui.view);
    await ui.view.getByRole('combobox', { name: 'Connection kind' }).selectOption({ label: 'Socket.IO' });
    await ui.url.fill(server.url);
    await ui.connect.click();
    await assertText(ui.status, /^OPEN\b/, 'status OPEN');
    // The server emits an event whose name and argument are hostile (a client may not send
    // such names itself, so the test server's "emitAs" does it).
    await ui.view.getByRole('textbox', { name: 'Event name' }).fill('emitAs');
    await ui.view.getByRole('textbox', { name: 'Arguments', exact: true }).fill(JSON.stringify([`${IMG}\u202E`, LINK]));
    await ui.view.getByRole('button', { name: 'Emit', exact: true }).click();
    const row = ui.entries.filter({ has: ui.view.locator('.entry-event-name', { hasText: '<U+202E>' }) }).first();
    await row.waitFor({ timeout: WAIT });
    const name = row.locator('.entry-event-name');
    assert.equal(await name.textContent(), `${IMG}<U+202E>`);
    assert.equal(await name.locator('.invisible-char').count(), 1, 'the bidi override is marked');
    // Arguments are JSON values: the string argument is shown JSON-quoted, markup and all.
    const argument = await row.locator('.entry-content').textContent();
    assert.ok(argument.includes('<a href=') && argument.includes('javascript:window.__pwned=3'), `the argument is shown literally: ${argument}`);
    await screenshot('65-hostile-socketio');
    await assertInert(page, ui.view, consoleWatch);
  } finally {
    consoleWatch.stop();
    await resetWorkbench(page);
    await server.close();
  }
});

test('endpoint names from a workspace file are shown with their invisible characters marked', { timeout: 90_000 }, async ({ page, workspace, echo, screenshot }) => {
  const dir = path.join(workspace, '.vscode');
  const file = path.join(dir, 'websocket-debugger.json');
  await mkdir(dir, { recursive: true });
  // Not ending in U+FEFF: names are trimmed, and JavaScript counts it as white space.
  const names = [`${IMG} ${BIDI}`, `${SCRIPT}${ZERO_WIDTH}!`];
  const handshakesBefore = echo.connections.length;
  await writeFile(file, JSON.stringify({
    format: 'websocket-debugger-collection',
    version: 1,
    name: `Shared ${ANSI}`,
    endpoints: names.map((name) => ({ name, url: echo.url })),
  }));
  try {
    await showEndpointsView(page);
    await screenshot('65-hostile-workspace-names');
    await treeRow(page, 'Shared ␛[31mred␛[0m␇').waitFor({ timeout: WAIT });
    await treeRow(page, `${IMG} invoice<U+202E>txt.exe`).waitFor({ timeout: WAIT });
    await treeRow(page, `${SCRIPT}pay<U+200B>pal<U+2060><U+FEFF>!`).waitFor({ timeout: WAIT });
    assert.equal(await page.locator('.part.sidebar .monaco-list img, .part.sidebar .monaco-list script').count(), 0);
    await screenshot('65-hostile-workspace-names');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'the workbench ran injected code');
    // Listed, not connected: no handshake reached the server from the file alone.
    assert.equal(echo.connections.length, handshakesBefore);
  } finally {
    await rm(file, { force: true });
    await treeRow(page, 'Shared ␛[31mred␛[0m␇').waitFor({ state: 'detached', timeout: WAIT }).catch(() => undefined);
    await runCommand(page, 'View: Show Explorer');
  }
});
