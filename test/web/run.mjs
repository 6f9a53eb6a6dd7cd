// The web extension (package.json `browser`, dist/web/extension.js) in a real browser against a
// real server: code-server started with the smoke-test driver, its workbench opened in headless
// Chromium with the checkout as the extension under development and the user setting
// `remote.extensionKind` set to ["web"] for it, so VS Code runs it in the browser's web worker
// extension host, as on vscode.dev (its Node host is the code-server remote otherwise). The
// panel is driven by role and name like the e2e specs; the `ws` server on 127.0.0.1 (port 0)
// checks what reached it, and its request's Origin header proves the connection left from the
// browser (a Node client sends none).
//
// Usage: node scripts/build.mjs && node test/web/run.mjs   (npm run test:web does both)
import assert from 'node:assert/strict';
import path from 'node:path';
import { createServer } from 'node:http';
import { Server as SocketIoServer } from 'socket.io';
import { WebSocketServer } from 'ws';
import { cleanupAndExit, interrupted, onCleanup } from '../harness/cleanup.mjs';
import { launchChromium, newPage, saveScreenshot, waitForWorkbench } from '../harness/browser.mjs';
import { remoteUri, repoRoot, startCodeServer, tempDir, workbenchUrl } from '../harness/codeServer.mjs';
import { assertText, descriptionOf, eventually, openSettingsTab, panelControls, received, stateFields, WAIT } from '../e2e/panel.mjs';
import { panel, quickPickInput, runCommand, waitForExtension } from '../e2e/workbench.mjs';

/** An echo server that also answers "binary?" with four bytes and remembers each client's request and close. */
async function startServer() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const clients = [];
  server.on('connection', (socket, request) => {
    const client = { origin: request.headers.origin, userAgent: request.headers['user-agent'], messages: [], close: undefined };
    clients.push(client);
    socket.on('message', (data, isBinary) => {
      const text = data.toString();
      client.messages.push(isBinary ? `binary:${data.toString('hex')}` : text);
      if (!isBinary && text === 'binary?') socket.send(Buffer.from([0xca, 0xfe, 0xba, 0xbe]));
      else socket.send(data, { binary: isBinary });
    });
    socket.on('close', (code, reason) => { client.close = { code, reason: reason.toString() }; });
  });
  onCleanup(() => new Promise((resolve) => { for (const c of server.clients) c.terminate(); server.close(() => resolve()); }));
  return { url: `ws://127.0.0.1:${server.address().port}/web`, clients };
}

/** A Socket.IO v4 server whose "echo" event answers with the same arguments as an event and as the ack. */
async function startSocketIo() {
  const http = createServer();
  const io = new SocketIoServer(http, { cors: { origin: '*' } });
  const seen = [];
  io.on('connection', (socket) => {
    seen.push({ origin: socket.handshake.headers.origin, transport: socket.conn.transport.name });
    socket.on('echo', (...args) => {
      const ack = typeof args.at(-1) === 'function' ? args.pop() : undefined;
      socket.emit('echo', ...args);
      ack?.('acked', ...args);
    });
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise((resolve) => { io.close(); http.close(() => resolve()); }));
  return { url: `http://127.0.0.1:${http.address().port}`, seen };
}

const checks = [];
function check(name, run) {
  checks.push({ name, run });
}

let ui;
let server;

check('the panel opens in the web worker host and says connections leave from this browser', async ({ page }) => {
  await runCommand(page, 'WebSocket: Open Debugger');
  ui = panelControls(await panel(page));
  await ui.url.waitFor({ state: 'visible', timeout: WAIT });
  const origin = ui.view.getByRole('note', { name: /^Connections leave from: this browser/ });
  await origin.waitFor({ state: 'visible', timeout: WAIT });
  await assertText(origin, /^From: this browser$/);
});

check('what the browser cannot do is disabled with its reason', async () => {
  const headers = await openSettingsTab(ui, 'Headers');
  assert.equal(await ui.addHeader.isDisabled(), true, 'Add header is disabled');
  assert.match(await descriptionOf(ui.addHeader), /Not in the browser: its WebSocket API sends only its own headers/);
  await assertText(headers, /Not in the browser: its WebSocket API sends only its own headers/);
  assert.equal(await ui.subprotocols.isDisabled(), false, 'subprotocols still work');
  const options = await openSettingsTab(ui, 'Connection options');
  await assertText(options, /certificates are the browser's own/);
  await assertText(options, /the browser's own proxy settings/);
  assert.equal(await ui.view.getByRole('checkbox', { name: 'Bypass proxy' }).isDisabled(), true);
  assert.equal(await ui.view.getByRole('textbox', { name: 'CA certificate file' }).isDisabled(), true);
});

check('connects from the browser, sends and receives through the panel', async () => {
  await ui.url.fill(server.url);
  await ui.connect.click();
  await assertText(ui.status, /^OPEN\b/, 'status OPEN');
  await eventually(() => server.clients.length, (n) => n === 1, 'the server saw one client');
  const [client] = server.clients;
  // Chromium's WebSocket sends the page's Origin; a Node client (the desktop host) sends none.
  assert.match(client.origin ?? '', /^https?:\/\//, `Origin header ${client.origin}`);
  assert.match(client.userAgent ?? '', /Chrome/, `User-Agent ${client.userAgent}`);
  await ui.sendAs.selectOption({ label: 'Text' });
  await ui.message.fill('hello from the web worker');
  await ui.send.click();
  await received(ui, { text: 'hello from the web worker' }).first().waitFor({ timeout: WAIT });
  await ui.sendAs.selectOption({ label: 'Hex' });
  await ui.message.fill('01 02 03');
  await ui.send.click();
  await received(ui, { frame: 'binary', text: '01 02 03' }).first().waitFor({ timeout: WAIT });
  await assertText(ui.status, /sent 2/);
  await assertText(ui.status, /received 2/);
  assert.deepEqual(client.messages, ['hello from the web worker', 'binary:010203']);
});

check('binaryType is the user\'s choice, shown in the state, and messages arrive as it says', async () => {
  let fields = await stateFields(ui);
  assert.equal(fields.binaryType, 'blob');
  await received(ui, { frame: 'binary', text: 'received as Blob' }).first().waitFor({ timeout: WAIT });
  await openSettingsTab(ui, 'Connection options');
  await ui.view.getByRole('combobox', { name: 'Binary type' }).selectOption('arraybuffer');
  await eventually(async () => (await stateFields(ui)).binaryType, (value) => value === 'arraybuffer', 'binaryType arraybuffer');
  await ui.sendAs.selectOption({ label: 'Text' });
  await ui.message.fill('binary?');
  await ui.send.click();
  await received(ui, { frame: 'binary', text: 'received as ArrayBuffer' }).filter({ hasText: 'ca fe ba be' }).first().waitFor({ timeout: WAIT });
  fields = await stateFields(ui);
  assert.equal(fields.readyState, 'OPEN');
});

check('ping and pong are disabled with the reason; close codes the browser refuses are refused with it', async () => {
  assert.equal(await ui.ping.isDisabled(), true, 'Ping is disabled');
  assert.match(await descriptionOf(ui.ping), /cannot send ping or pong frames/);
  assert.match(await descriptionOf(ui.closeCode), /only 1000 or 3000–4999/);
  await ui.closeCode.fill('1001');
  await ui.close.click();
  // 1001 is an "advanced" code: the panel asks first, then the browser host refuses it with the reason.
  if (await ui.sendAdvanced.isVisible().catch(() => false)) await ui.sendAdvanced.click();
  await assertText(ui.view.locator('.close-controls'), /In the browser, Close accepts only 1000 or 3000–4999/);
  assert.equal((await stateFields(ui)).readyState, 'OPEN');
  await ui.closeCode.fill('4000');
  await ui.closeReason.fill('bye from the browser');
  await ui.close.click();
  await assertText(ui.status, /^CLOSED\b/, 'status CLOSED');
  await eventually(() => server.clients[0].close, (close) => close !== undefined, 'the server saw the close');
  assert.deepEqual(server.clients[0].close, { code: 4000, reason: 'bye from the browser' });
  const fields = await stateFields(ui);
  assert.equal(fields.code, '4000 Private use');
});

check('WebSocket: Connect… opens a connected panel in the browser host', async ({ page }) => {
  const before = server.clients.length;
  await runCommand(page, 'WebSocket: Connect…');
  await quickPickInput(page, server.url);
  const connected = panelControls(await panel(page));
  await assertText(connected.status, /^OPEN\b/, 'status OPEN');
  await eventually(() => server.clients.length, (n) => n === before + 1, 'the server saw a new client');
  assert.match(server.clients.at(-1).origin ?? '', /^https?:\/\//);
  await runCommand(page, 'WebSocket: Disconnect');
  await assertText(connected.status, /^CLOSED\b/, 'status CLOSED after WebSocket: Disconnect');
});

check('Socket.IO through its browser client: emit with an ack, the reply event and the ack', async ({ page }) => {
  const socketIo = await startSocketIo();
  await runCommand(page, 'WebSocket: Open Debugger');
  const io = panelControls(await panel(page));
  await io.url.waitFor({ state: 'visible', timeout: WAIT });
  await io.view.getByRole('combobox', { name: 'Connection kind' }).selectOption({ label: 'Socket.IO' });
  await io.url.fill(socketIo.url);
  await io.connect.click();
  await assertText(io.status, /^OPEN\b/, 'Socket.IO OPEN');
  const fields = await stateFields(io);
  assert.equal(fields.namespace, '/');
  assert.equal(fields.transport, 'websocket');
  await io.view.getByRole('textbox', { name: 'Event name' }).fill('echo');
  await io.view.getByRole('textbox', { name: 'Arguments', exact: true }).fill('["hello socket.io", {"n": 1}]');
  await io.view.getByRole('checkbox', { name: 'Expect ack' }).setChecked(true);
  await io.view.getByRole('button', { name: 'Emit', exact: true }).click();
  const receivedOf = (kind) => io.entries
    .filter({ has: io.view.locator('.entry-direction', { hasText: /^received$/ }) })
    .filter({ has: io.view.locator('.entry-frame', { hasText: new RegExp(`^${kind}$`) }) });
  await receivedOf('event').filter({ hasText: 'hello socket.io' }).first().waitFor({ timeout: WAIT });
  await receivedOf('ack').filter({ hasText: 'acked' }).first().waitFor({ timeout: WAIT });
  assert.equal(socketIo.seen.length, 1);
  assert.match(socketIo.seen[0].origin ?? '', /^https?:\/\//, `Origin ${socketIo.seen[0].origin}`);
});

async function main() {
  server = await startServer();
  const workspace = await tempDir('web-workspace');
  // VS Code's web workbench ignores the payload's extensionDevelopmentKind (it reads another
  // property), but honours the user setting that users have too: run this extension as "web".
  const codeServer = await startCodeServer({
    folder: workspace,
    smokeTestDriver: true,
    settings: { 'remote.extensionKind': { 'websocket-debugger.websocket-debugger': ['web'] } },
  });
  const browser = await launchChromium();
  const page = await newPage(browser);
  const url = workbenchUrl(codeServer, {
    folder: workspace,
    payload: [
      ['extensionDevelopmentPath', remoteUri(repoRoot)],
    ],
  });
  console.log(`[web] code-server at ${codeServer.url}; echo server at ${server.url}`);
  await page.goto(url);
  await waitForWorkbench(page);
  await waitForExtension(page);
  let failed = 0;
  let passed = 0;
  for (const { name, run } of checks) {
    const started = Date.now();
    try {
      await run({ page });
      console.log(`  ✔ ${name} (${Date.now() - started} ms)`);
      passed += 1;
    } catch (error) {
      failed += 1;
      const shot = await saveScreenshot(page, `web-${checks.indexOf(checks.find((c) => c.name === name))}`).catch(() => undefined);
      console.log(`  ✖ ${name}\n    ${String(error?.stack ?? error).split('\n').join('\n    ')}${shot ? `\n    screenshot: ${path.relative(repoRoot, shot)}` : ''}`);
      break;
    }
  }
  console.log(`[web] ${passed} of ${checks.length} checks passed${failed ? '; the checks after the failed one were skipped' : ''}`);
  return failed === 0 ? 0 : 1;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  if (!interrupted()) console.error(`[web] ${error.stack ?? error}`);
}
await cleanupAndExit(exitCode);
