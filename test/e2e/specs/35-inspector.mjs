// The connection inspector in real VS Code: the timing waterfall and both sides of the
// handshake for a real connection, a self-signed wss server refused and then accepted after
// the per-endpoint opt-in, auto-reconnect counting down until Disconnect stops it, and a secret
// variable sent to the server but masked in the inspector and absent from the exported file.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { clearNotifications, deleteSavedEndpoint, exportCollectionTo, saveEndpoint } from '../collectionSteps.mjs';
import { test } from '../framework.mjs';
import { assertText, connectionDetails, connectTo, descriptionOf, eventually, openConnectionOptions, openEmptyPanel, openSettingsTab, textOf } from '../panel.mjs';
import { startSelfSignedWssServer, startWsEchoServer } from '../servers.mjs';
import { quickPickInput, resetWorkbench, runCommand } from '../workbench.mjs';

test('the waterfall and the handshake headers of a real connection', async ({ page, echo }) => {
  // localhost, so there is a DNS lookup to time.
  const ui = await connectTo(page, `ws://localhost:${echo.port}/inspect`);
  const details = connectionDetails(ui);
  const text = await assertText(details, /HTTP Upgrade\s*\d+\.\d ms/, 'Upgrade with its milliseconds');
  assert.match(text, /DNS lookup\s*\d+\.\d ms/);
  assert.match(text, /Three-way handshake \(TCP\)\s*\d+\.\d ms/);
  assert.match(text, /Total\s*\d+\.\d ms/);
  assert.doesNotMatch(text, /TLS\s*\d/, 'no TLS phase for ws://');
  assert.match(text, /GET \/inspect HTTP\/1\.1/);
  const key = echo.connections.at(-1).headers['sec-websocket-key'];
  assert.ok(key, 'the server saw a key');
  assert.ok(text.includes(`Sec-WebSocket-Key: ${key}`), `the key the server received is shown: ${key}`);
  assert.match(text, /Sec-WebSocket-Version: 13/);
  assert.match(text, /Sec-WebSocket-Extensions: permessage-deflate/);
  assert.match(text, /HTTP\/1\.1 101 Switching Protocols/);
  assert.match(text, /Sec-WebSocket-Accept: \S+/);
  assert.match(text, /Sec-WebSocket-Accept is valid/);

  // The details start folded (the log gets the room); unfolded, they show the phases.
  const show = details.getByRole('button', { name: 'Show connection details' });
  assert.equal(await show.getAttribute('aria-expanded'), 'false');
  await show.click();
  await details.locator('.details-body').waitFor({ state: 'visible' });

  // Each phase's term explains itself on keyboard focus (and on hover), as its description.
  const tcp = details.getByText('Three-way handshake (TCP)', { exact: true });
  const tcpHint = details.getByRole('tooltip').filter({ hasText: 'SYN, SYN-ACK, ACK' });
  assert.equal(await tcpHint.isVisible(), false, 'the hint shows before focus');
  await tcp.focus();
  await tcpHint.waitFor({ state: 'visible' });
  assert.match(await descriptionOf(tcp), /^SYN, SYN-ACK, ACK: .*about one network round trip\.$/);
  await details.getByText('HTTP Upgrade', { exact: true }).hover();
  await details.getByRole('tooltip').filter({ hasText: '101 Switching Protocols' }).waitFor({ state: 'visible' });

  await ui.ping.click();
  await assertText(details, /Ping round trip\s*last \d+\.\d ms/, 'ping round trip');
  await ui.disconnect.click();
  const closed = await assertText(details, /Closed by\s*client/, 'who closed');
  assert.match(closed, /1000 Normal Closure/);
  assert.match(closed, /Duration/);

  // They fold away again (and stay folded for the next panel: the choice is remembered).
  const hide = details.getByRole('button', { name: 'Hide connection details' });
  assert.equal(await hide.getAttribute('aria-expanded'), 'true');
  await hide.click();
  await details.locator('.details-body').waitFor({ state: 'hidden' });
  await resetWorkbench(page);
});

test('a self-signed wss server is refused, then accepted after the opt-in', { timeout: 90_000 }, async ({ page }) => {
  const wss = await startSelfSignedWssServer();
  try {
    const ui = await openEmptyPanel(page);
    await ui.url.fill(wss.url);
    await ui.connect.click();
    const refusal = await assertText(ui.stateRegion, /DEPTH_ZERO_SELF_SIGNED_CERT/, 'the Node error code');
    // The remedy names the options form's own controls, never a Node flag or variable.
    assert.match(refusal, /choose the certificate's own PEM file as "CA certificate file" under Connection options, or turn on "Accept invalid certificates" under Connection options/);
    assert.doesNotMatch(refusal, /--use-|NODE_[A-Z_]+|Node\.js/);
    assert.equal(wss.connections.length, 0);

    await openConnectionOptions(ui);
    const accept = ui.view.getByRole('checkbox', { name: 'Accept invalid certificates' });
    await accept.check();
    await ui.view.getByText(/not verified: anyone on the network path/).waitFor({ state: 'visible' });
    await ui.connect.click();
    await assertText(ui.status, /^OPEN\b/, 'status OPEN');
    const text = await assertText(connectionDetails(ui), /TLS\s*\d+\.\d ms/, 'TLS with its milliseconds');
    assert.match(text, /Not verified \(DEPTH_ZERO_SELF_SIGNED_CERT\): the certificate is self-signed/);
    assert.match(text, /TLSv1\.[23]/);
    assert.match(text, /CN=Self-signed test server/);
    assert.equal(wss.connections.length, 1);
  } finally {
    await wss.close();
    await resetWorkbench(page);
  }
});

test('auto-reconnect counts down after the server goes away and Disconnect stops it', { timeout: 90_000 }, async ({ page }) => {
  const server = await startWsEchoServer();
  try {
    const ui = await openEmptyPanel(page);
    await ui.url.fill(server.url);
    await openConnectionOptions(ui);
    await ui.view.getByRole('checkbox', { name: 'Auto-reconnect' }).check();
    await ui.view.getByRole('spinbutton', { name: 'Ping interval' }).fill('5');
    await ui.connect.click();
    await assertText(ui.status, /^OPEN\b/, 'status OPEN');
    await server.close();
    const details = connectionDetails(ui);
    await assertText(details, /Reconnecting in \d+ s \(attempt \d+\)/, 'the countdown');
    assert.equal(await ui.disconnect.isEnabled(), true, 'Disconnect stops the waiting');
    await ui.disconnect.click();
    await eventually(() => textOf(details), (t) => !/Reconnecting in/.test(t), 'countdown gone');
    await ui.entries.filter({ hasText: 'Auto-reconnect stopped by Disconnect' }).first().waitFor();
  } finally {
    await resetWorkbench(page);
  }
});

test('a secret variable is sent, masked in the inspector and absent from the exported collection', { timeout: 120_000 }, async ({ page, echo, workspace }) => {
  const SECRET = 'sup3r-s3cret-e2e-value';
  const COLLECTION = 'Vars';
  const ui = await openEmptyPanel(page);
  await saveEndpoint(ui.view, { name: 'Secret API', collection: COLLECTION, url: `${echo.url}/secure?key={{token}}`, header: ['Authorization', 'Bearer {{token}}'] });

  await openSettingsTab(ui, 'Variables');
  await ui.view.getByRole('combobox', { name: 'Variables collection' }).selectOption({ label: COLLECTION });
  // Typed at once, before the host's answer to the collection choice comes back: the redraw that
  // answer causes keeps what the user typed.
  const envName = ui.view.getByRole('textbox', { name: 'Environment name' });
  await envName.fill('dev');
  await ui.view.getByRole('button', { name: 'Add variable' }).click();
  await ui.view.getByRole('textbox', { name: 'Variable name' }).fill('token');
  await ui.view.getByRole('checkbox', { name: 'Secret' }).check();
  await ui.view.getByLabel('Variable value').fill(SECRET);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(await envName.inputValue(), 'dev', 'the typed environment name was cleared');
  await ui.view.getByRole('button', { name: 'Save environment' }).click();
  await eventually(() => ui.view.getByRole('combobox', { name: 'Active environment' }).inputValue(), (v) => v === 'dev', 'dev is active');

  const before = echo.connections.length;
  await ui.connect.click();
  await assertText(ui.status, /^OPEN\b/, 'status OPEN');
  const seen = echo.connections.at(-1);
  assert.equal(echo.connections.length, before + 1);
  assert.equal(seen.headers.authorization, `Bearer ${SECRET}`, 'the server got the resolved value');
  assert.equal(seen.path, `/secure?key=${SECRET}`);

  const text = await assertText(connectionDetails(ui), /Authorization: Bearer ••••••/, 'the masked header');
  assert.ok(!text.includes(SECRET), 'the inspector never shows the secret');
  assert.match(text, /GET \/secure\?key=•••••• HTTP\/1\.1/);
  assert.ok(!(await textOf(ui.stateRegion)).includes(SECRET), 'nor does the state');
  await ui.disconnect.click();
  await assertText(ui.status, /^CLOSED\b/, 'status CLOSED');

  await resetWorkbench(page);
  const file = path.join(workspace, 'vars.wscollection.json');
  await exportCollectionTo(page, COLLECTION, file);
  const written = await readFile(file, 'utf8');
  assert.ok(!written.includes(SECRET), 'the export has no secret value');
  const parsed = JSON.parse(written);
  assert.deepEqual(parsed.environments, [{ name: 'dev', variables: [{ name: 'token', value: '', secret: true }] }]);
  assert.equal(parsed.endpoints[0].url, `${echo.url}/secure?key={{token}}`);
  await clearNotifications(page);

  await runCommand(page, 'Output: Show Output Channels...');
  await quickPickInput(page, 'WebSocket Debugger');
  const output = page.locator('.part.panel .monaco-editor .view-lines');
  await output.waitFor({ timeout: 10_000 });
  assert.ok(!(await output.textContent()).includes(SECRET), 'the output channel never shows the secret');

  // Leave no saved endpoint behind for the specs that follow.
  await resetWorkbench(page);
  const cleanup = await openEmptyPanel(page);
  await deleteSavedEndpoint(page, cleanup.view, 'Secret API');
  await resetWorkbench(page);
});

test('the query parameter table and the URL stay in sync', async ({ page }) => {
  const ui = await openEmptyPanel(page);
  await ui.url.fill('ws://127.0.0.1:9/path?room=a%20b&token={{token}}');
  await openSettingsTab(ui, 'Params');
  const names = ui.view.getByRole('textbox', { name: 'Parameter name' });
  const values = ui.view.getByRole('textbox', { name: 'Parameter value' });
  await eventually(() => names.count(), (n) => n === 2, 'two parameter rows');
  assert.equal(await values.nth(0).inputValue(), 'a b');
  assert.equal(await values.nth(1).inputValue(), '{{token}}');
  await values.nth(0).fill('x&y');
  assert.equal(await ui.url.inputValue(), 'ws://127.0.0.1:9/path?room=x%26y&token={{token}}');
  await ui.view.getByRole('button', { name: 'Add parameter' }).click();
  await names.nth(2).fill('lang');
  await values.nth(2).fill('en');
  assert.equal(await ui.url.inputValue(), 'ws://127.0.0.1:9/path?room=x%26y&token={{token}}&lang=en');
  await ui.view.getByRole('button', { name: 'Remove parameter' }).first().click();
  assert.equal(await ui.url.inputValue(), 'ws://127.0.0.1:9/path?token={{token}}&lang=en');
  await resetWorkbench(page);
});

test('a message repeats every N seconds until stopped', async ({ page, echo }) => {
  const ui = await connectTo(page, echo.url);
  const beat = `heartbeat-${Date.now()}`;
  await ui.sendAs.selectOption({ label: 'Text' });
  await ui.message.fill(beat);
  await ui.view.getByRole('spinbutton', { name: 'Repeat every (seconds)' }).fill('0.5');
  await ui.view.getByRole('button', { name: 'Start repeating' }).click();
  const count = () => echo.messages.filter((m) => m === beat).length;
  await eventually(async () => count(), (n) => n >= 3, 'three heartbeats at the server');
  await ui.view.getByRole('button', { name: 'Stop repeating' }).click();
  await ui.entries.filter({ hasText: /Stopped repeating after \d+ message/ }).first().waitFor();
  const stopped = count();
  await new Promise((resolve) => setTimeout(resolve, 1200));
  assert.equal(count(), stopped, 'no message after Stop');
  await ui.disconnect.click();
  await resetWorkbench(page);
});
