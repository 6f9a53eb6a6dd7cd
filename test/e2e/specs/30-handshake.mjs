// The opening handshake as a user meets it: custom headers and subprotocols reaching real
// servers, a refused Upgrade (HTTP 401) explained with its headers and body, invalid URLs
// refused inside the Connect quick pick, an invalid header name refused in the form, and a
// closed port reported as ECONNREFUSED.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from '../framework.mjs';
import { assertText, descriptionOf, eventually, openEmptyPanel, openSettingsTab, panelControls, received, sendText, stateFields, textOf, WAIT } from '../panel.mjs';
import { escapeRegExp, panel, quickPickInput, resetWorkbench, runCommand } from '../workbench.mjs';

/** An HTTP server that refuses every WebSocket upgrade with 401. */
async function startRefusingServer() {
  const upgrades = [];
  const server = createServer((req, res) => {
    res.writeHead(404).end();
  });
  server.on('upgrade', (req, socket) => {
    upgrades.push({ url: req.url, headers: req.headers });
    const body = 'token expired';
    socket.end([
      'HTTP/1.1 401 Unauthorized',
      'WWW-Authenticate: Bearer',
      'Content-Type: text/plain; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      '',
      body,
    ].join('\r\n'));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `ws://127.0.0.1:${port}/live`,
    upgrades,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

/** A 127.0.0.1 port nobody listens on (bound, then released). */
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// ------------------------------------------------------------------------------------------

test('a custom header and the subprotocol "chat" reach the Python and the ws servers', { timeout: 120_000 }, async ({ page, py, echo, screenshot }) => {
  const ui = await openEmptyPanel(page);
  await ui.url.fill(py.url);
  await openSettingsTab(ui, 'Headers');
  await ui.subprotocols.fill('chat');
  await ui.addHeader.click();
  await ui.headerName.fill('X-Debug-Token');
  await ui.headerValue.fill('e2e-123');
  await screenshot('handshake-form-filled');
  await ui.connect.click();

  await assertText(ui.status, /^OPEN\b/, 'status OPEN');
  const fields = await stateFields(ui);
  assert.equal(fields.protocol, 'chat');
  assert.equal(fields.url, `${py.url}/`);
  await ui.entries.filter({ hasText: `Connected to ${py.url}/ (protocol "chat"` }).first().waitFor({ timeout: WAIT });

  // The Python server reports the handshake headers it received.
  await sendText(ui, 'headers?');
  const echoed = received(ui, { text: 'x-debug-token' }).first();
  await echoed.waitFor({ timeout: WAIT });
  const headers = JSON.parse(await textOf(echoed.locator('.entry-content')));
  assert.equal(headers['x-debug-token'], 'e2e-123');
  assert.equal(headers['sec-websocket-protocol'], 'chat');
  await sendText(ui, 'subprotocol?');
  await received(ui, { text: /^.*chat$/ }).first().waitFor({ timeout: WAIT });
  await screenshot('handshake-headers-echoed');

  // Same header to the ws server in the runner, which records the handshake itself. It
  // accepts no subprotocol, so the list is emptied first.
  await ui.disconnect.click();
  await assertText(ui.status, /^CLOSED\b/, 'status CLOSED after Disconnect');
  const before = echo.connections.length;
  await ui.url.fill(`${echo.url}/debug?run=e2e`);
  await openSettingsTab(ui, 'Headers');
  await ui.subprotocols.fill('');
  await ui.connect.click();
  await assertText(ui.status, /^OPEN\b/, 'status OPEN on the ws server');
  await eventually(() => echo.connections.length, (n) => n === before + 1, 'one handshake on the ws server');
  const record = echo.connections[before];
  assert.equal(record.path, '/debug?run=e2e');
  assert.equal(record.headers['x-debug-token'], 'e2e-123');
  assert.equal(record.headers['sec-websocket-protocol'], undefined);
  assert.equal(record.protocol, '');
  assert.equal((await stateFields(ui)).protocol, '—');
  await resetWorkbench(page);
});

test('an HTTP 401 refusal is explained with its status, headers and body', async ({ page, screenshot }) => {
  const server = await startRefusingServer();
  try {
    await runCommand(page, 'WebSocket: Connect…');
    await quickPickInput(page, server.url);
    const ui = panelControls(await panel(page));

    const refusal = ui.stateRegion.locator('.refusal');
    await assertText(refusal.locator('.refusal-status'), /^HTTP 401 Unauthorized$/, 'the refusal status');
    await eventually(() => refusal.locator('.refusal-headers').evaluate((dl) =>
      [...dl.querySelectorAll('div')].map((row) => `${row.querySelector('dt')?.textContent} ${row.querySelector('dd')?.textContent}`)),
    (rows) => rows.includes('WWW-Authenticate: Bearer'), 'the WWW-Authenticate header');
    assert.equal(await textOf(refusal.locator('.refusal-body')), 'token expired');
    assert.ok(await refusal.getByText('token expired').isVisible(), 'the body is visible');
    assert.ok(await refusal.getByText('WWW-Authenticate:').isVisible(), 'the header is visible');

    const alert = ui.stateRegion.getByRole('alert');
    await assertText(alert, /The server refused the WebSocket handshake: HTTP 401 Unauthorized/, 'the error sentence');
    await assertText(ui.status, /^CLOSED\b/, 'status CLOSED');
    assert.equal((await stateFields(ui)).readyState, 'CLOSED');
    await ui.entries.filter({ hasText: 'HTTP 401 Unauthorized' }).first().waitFor({ timeout: WAIT });
    assert.equal(server.upgrades.length, 1);
    await screenshot('handshake-401');
  } finally {
    await resetWorkbench(page);
    await server.close();
  }
});

test('invalid URLs are refused inside the Connect quick pick, with the reason', async ({ page, screenshot }) => {
  const quickInput = page.locator('.quick-input-widget');
  const box = quickInput.locator('.quick-input-box input');
  const firstRow = quickInput.locator('.quick-input-list .monaco-list-row').first();
  const title = quickInput.locator('.quick-input-title');
  const tabs = page.locator('.tabs-container .tab');
  assert.equal(await tabs.count(), 0, 'no editor open before');

  await runCommand(page, 'WebSocket: Connect…');
  await box.waitFor({ state: 'visible', timeout: WAIT });

  const cases = [
    ['ftp://example.com', 'ftp: URLs cannot be opened; a WebSocket connects only ws:// and wss:// URLs'],
    ['ws://host/#frag', 'URLs with a fragment (#...) are not allowed in WebSocket handshakes (RFC 6455 §3)'],
  ];
  for (const [typed, reason] of cases) {
    await box.fill(typed);
    // The row's label starts with the error codicon, which renders as a space in the text. The
    // label alone: the workbench may keep the palette's "recently used" tag at the row's end.
    await assertText(firstRow.locator('.label-name'), new RegExp(`^\\s*${escapeRegExp(reason)}$`), `the first row explains "${typed}"`);
    assert.equal(await firstRow.locator('.codicon-error').count(), 1, 'the row shows the error icon');
    await page.keyboard.press('Enter');
    await assertText(title, new RegExp(`^Cannot connect: ${escapeRegExp(reason)}$`), 'the title says why Enter did nothing');
    await screenshot(`handshake-quickpick-${typed.startsWith('ftp') ? 'scheme' : 'fragment'}`);
    assert.ok(await box.isVisible(), 'the quick pick stays open');
    assert.equal(await box.inputValue(), typed, 'the typed text is kept for fixing');
    assert.equal(await tabs.count(), 0, 'no panel was opened');
  }

  // An http:// URL names a Socket.IO server: the quick pick offers that instead of an error.
  await box.fill('http://example.com');
  await assertText(firstRow, /^\s*Connect with Socket\.IO to http:\/\/example\.com/, 'http:// is offered as Socket.IO');

  // Fixed, the same quick pick offers to connect.
  await box.fill('ws://127.0.0.1:9/');
  await assertText(firstRow.locator('.label-name'), /^\s*Connect to ws:\/\/127\.0\.0\.1:9\/$/, 'a valid URL is offered');

  await page.keyboard.press('Escape');
  await box.waitFor({ state: 'hidden', timeout: WAIT });
  assert.equal(await tabs.count(), 0, 'Escape opened nothing');
  await resetWorkbench(page);
});

test('an invalid header name is refused next to the headers; nothing connects', async ({ page, echo, screenshot }) => {
  const ui = await openEmptyPanel(page);
  const before = echo.connections.length;
  await ui.url.fill(echo.url);
  await openSettingsTab(ui, 'Headers');
  await ui.addHeader.click();
  await ui.headerName.fill('Bad Header');
  await ui.headerValue.fill('x');
  // Another tab in front: the error brings the Headers tab back, focus on the bad name.
  await openSettingsTab(ui, 'Params');
  await ui.connect.click();

  const error = ui.view.getByRole('alert').filter({ hasText: '"Bad Header" is not a valid header name' });
  await error.waitFor({ state: 'visible', timeout: WAIT });
  assert.equal(await textOf(error),
    '"Bad Header" is not a valid header name: it contains a space; only letters, digits and !#$%&\'*+-.^_`|~ are allowed');
  assert.equal(await ui.headerName.getAttribute('aria-invalid'), 'true');
  assert.match(await descriptionOf(ui.headerName), /not a valid header name/);
  assert.ok(await ui.headerName.evaluate((el) => el === el.ownerDocument.activeElement), 'focus is on the bad name');
  await screenshot('handshake-bad-header');

  assert.match(await textOf(ui.status), /^CLOSED\b/);
  const fields = await stateFields(ui);
  assert.equal(fields.readyState, 'CLOSED');
  assert.equal(fields.url, '—');
  assert.equal(await ui.entries.count(), 0, 'nothing in the log');
  assert.equal(echo.connections.length, before, 'the server saw no handshake');

  // Fixing the name clears the error, and then it connects with the header.
  await ui.headerName.fill('X-Good-Header');
  await error.waitFor({ state: 'detached', timeout: WAIT });
  await ui.connect.click();
  await assertText(ui.status, /^OPEN\b/, 'status OPEN once fixed');
  await eventually(() => echo.connections.length, (n) => n === before + 1, 'one handshake');
  assert.equal(echo.connections[before].headers['x-good-header'], 'x');
  await resetWorkbench(page);
});

test('a closed port is reported as ECONNREFUSED in the panel', async ({ page, screenshot }) => {
  const port = await closedPort();
  await runCommand(page, 'WebSocket: Connect…');
  await quickPickInput(page, `ws://127.0.0.1:${port}`);
  const ui = panelControls(await panel(page));

  const alert = ui.stateRegion.getByRole('alert');
  await assertText(alert, new RegExp(`^Connection refused by 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\): no server is listening there$`),
    'the ECONNREFUSED sentence');
  assert.ok(await alert.isVisible());
  await assertText(ui.status, /^CLOSED\b/, 'status CLOSED');
  await ui.entries.filter({ hasText: 'ECONNREFUSED' }).first().waitFor({ timeout: WAIT });
  const fields = await stateFields(ui);
  assert.equal(fields.readyState, 'CLOSED');
  assert.equal(fields.url, `ws://127.0.0.1:${port}/`);
  // Connect is offered again for a retry.
  assert.ok(await ui.connect.isEnabled());
  await screenshot('handshake-econnrefused');
  await resetWorkbench(page);
});
