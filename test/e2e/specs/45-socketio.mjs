// Socket.IO in real VS Code: connect from the command palette, emit with an ack and see the
// reply event and the ack, a second namespace in its own panel, muting, disconnect; and the
// version hint when a v4 client meets a Socket.IO 2 server, fixed by choosing v2.
import assert from 'node:assert/strict';
import { test } from '../framework.mjs';
import { assertText, descriptionOf, eventually, openConnectionOptions, openEmptyPanel, openSettingsTab, panelControls, stateFields } from '../panel.mjs';
import { startPythonSocketIoServer, startSocketIoServer } from '../socketIoServers.mjs';
import { openedPanel, panel, quickPickInput, resetWorkbench, runCommand } from '../workbench.mjs';

/** The Socket.IO controls of a panel, by the accessible names of the contract. */
function socketIoControls(ui) {
  const { view } = ui;
  return {
    kind: view.getByRole('combobox', { name: 'Connection kind' }),
    namespace: view.getByRole('textbox', { name: 'Namespace' }),
    version: view.getByRole('combobox', { name: 'Protocol version' }),
    auth: view.getByRole('textbox', { name: 'Auth payload' }),
    eventName: view.getByRole('textbox', { name: 'Event name' }),
    args: view.getByRole('textbox', { name: 'Arguments', exact: true }),
    expectAck: view.getByRole('checkbox', { name: 'Expect ack' }),
    emit: view.getByRole('button', { name: 'Emit', exact: true }),
    muted: view.getByRole('textbox', { name: 'Muted events' }),
  };
}

async function emit(io, name, args, { ack = false } = {}) {
  await io.eventName.fill(name);
  await io.args.fill(args);
  await io.expectAck.setChecked(ack);
  await io.emit.click();
}

/** Log entries of `kind` ('event' or 'ack') received, containing `text`. */
function receivedOf(ui, kind, text) {
  return ui.entries
    .filter({ has: ui.view.locator('.entry-direction', { hasText: /^received$/ }) })
    .filter({ has: ui.view.locator('.entry-frame', { hasText: new RegExp(`^${kind}$`) }) })
    .filter({ hasText: text });
}

/** WebSocket: Connect… with an http:// URL, choosing Socket.IO; a new panel, OPEN on namespace /. */
async function connectFromPalette(page, url) {
  const ui = panelControls(await openedPanel(page, async () => {
    await runCommand(page, 'WebSocket: Connect…');
    await quickPickInput(page, url, { pick: `Connect with Socket.IO to ${url}` });
  }));
  await assertText(ui.status, /^OPEN\b/, 'status OPEN');
  return { ui, io: socketIoControls(ui) };
}

/** An empty panel set to Socket.IO with `url` and `namespace`, connected. */
async function connectSocketIo(page, url, { namespace = '/', version } = {}) {
  const ui = await openEmptyPanel(page);
  const io = socketIoControls(ui);
  await io.kind.selectOption({ label: 'Socket.IO' });
  await ui.url.fill(url);
  await openSettingsTab(ui, 'Socket.IO');
  await io.namespace.fill(namespace);
  if (version) await io.version.selectOption({ label: version });
  await ui.connect.click();
  return { ui, io };
}

test('Socket.IO: palette connect, emit with ack, reply event, second namespace, mute, disconnect', { timeout: 120_000 }, async ({ page, screenshot }) => {
  const server = await startSocketIoServer({ version: 'v4' });
  try {
    const { ui, io } = await connectFromPalette(page, server.url);
    assert.equal(await io.kind.inputValue(), 'socketio');
    const fields = await stateFields(ui);
    assert.equal(fields.namespace, '/');
    assert.equal(fields.engine, 'Engine.IO 4 (EIO=4)');

    await emit(io, 'echo', '["hello from e2e", {"n": 1}]', { ack: true });
    const reply = receivedOf(ui, 'event', 'hello from e2e').first();
    await reply.waitFor();
    assert.match(await reply.innerText(), /event[\s\S]*echo[\s\S]*"hello from e2e"[\s\S]*\{"n":1\}/);
    const ack = receivedOf(ui, 'ack', 'hello from e2e').first();
    await ack.waitFor();
    assert.match(await ack.innerText(), /ack for emit #1 after \d+ ms/);

    // A reserved name is refused next to the field, before anything is sent.
    await io.eventName.fill('disconnect');
    await io.emit.click();
    await eventually(() => descriptionOf(io.eventName), (text) => /reserved by Socket\.IO/.test(text), 'reserved-name error');

    // Muting hides the chosen event names in the view only.
    await io.muted.fill('echo');
    await reply.waitFor({ state: 'hidden' });
    await io.muted.fill('');
    await reply.waitFor({ state: 'visible' });

    // A second namespace of the same server, in its own panel, while the first stays open.
    const chat = await connectFromPalette(page, server.url);
    await chat.ui.disconnect.click();
    await assertText(chat.ui.status, /^CLOSED\b/, 'the second panel is CLOSED');
    await openSettingsTab(chat.ui, 'Socket.IO');
    await chat.io.namespace.fill('/chat');
    await chat.ui.connect.click();
    await assertText(chat.ui.status, /^OPEN\b/, 'the /chat panel is OPEN');
    await emit(chat.io, 'whoami', '', { ack: true });
    await receivedOf(chat.ui, 'event', '"/chat"').first().waitFor();
    await receivedOf(chat.ui, 'ack', 'ok').first().waitFor();
    assert.equal(server.connections['/chat'], 1);
    await screenshot('45-socketio-namespace');

    await chat.ui.disconnect.click();
    await assertText(chat.ui.status, /^CLOSED\b/, 'the /chat panel is CLOSED');
    await chat.ui.entries.filter({ hasText: 'io client disconnect' }).first().waitFor();
    const host = new URL(server.url).host;
    const first = panelControls(await panel(page, host));
    await assertText(first.status, /^OPEN\b/, 'the / panel is still OPEN');
    await first.disconnect.click();
    await assertText(first.status, /^CLOSED\b/, 'the / panel is CLOSED');
  } finally {
    await resetWorkbench(page);
    await server.close();
  }
});

test('Socket.IO: a v4 client meets a Socket.IO 2 server, the hint says choose v2, and v2 works', { timeout: 90_000 }, async ({ page }) => {
  const server = await startSocketIoServer({ version: 'v2' });
  try {
    const first = await connectSocketIo(page, server.url);
    const alert = first.ui.stateRegion.locator('.connection-error');
    await assertText(alert, /server speaks Engine\.IO 3: choose v2/);
    await assertText(first.ui.status, /^CLOSED\b/, 'gave up');

    await openSettingsTab(first.ui, 'Socket.IO');
    await first.io.version.selectOption({ label: 'v2' });
    await first.ui.connect.click();
    await assertText(first.ui.status, /^OPEN\b/, 'OPEN with the v2 client');
    assert.equal((await stateFields(first.ui)).engine, 'Engine.IO 3 (EIO=3)');
    await emit(first.io, 'echo', '"over EIO 3"', { ack: true });
    await receivedOf(first.ui, 'event', 'over EIO 3').first().waitFor();
    await receivedOf(first.ui, 'ack', 'over EIO 3').first().waitFor();
  } finally {
    await resetWorkbench(page);
    await server.close();
  }
});

test('Socket.IO: python-socketio server with an auth payload, refused and accepted', { timeout: 90_000 }, async ({ page }) => {
  const server = await startPythonSocketIoServer();
  try {
    const ui = await openEmptyPanel(page);
    const io = socketIoControls(ui);
    await io.kind.selectOption({ label: 'Socket.IO' });
    await ui.url.fill(server.url);
    await openSettingsTab(ui, 'Socket.IO');
    await io.auth.fill('{"token": "bad"}');
    await ui.connect.click();
    await ui.entries.filter({ hasText: 'connect_error' }).filter({ hasText: 'bad token' }).first().waitFor();
    await assertText(ui.status, /^CLOSED\b/, 'refused');

    await io.auth.fill('{"token": "good"}');
    await ui.connect.click();
    await assertText(ui.status, /^OPEN\b/, 'accepted');
    await emit(io, 'whoami', '');
    await receivedOf(ui, 'event', '"token":"good"').first().waitFor();
  } finally {
    await resetWorkbench(page);
    await server.close();
  }
});

test('Socket.IO: Decode binary as MessagePack shows a binary event argument as its decoded value', { timeout: 90_000 }, async ({ page, screenshot }) => {
  const server = await startSocketIoServer({ version: 'v4' });
  try {
    const ui = await openEmptyPanel(page);
    const io = socketIoControls(ui);
    await io.kind.selectOption({ label: 'Socket.IO' });
    await ui.url.fill(server.url);
    await openConnectionOptions(ui);
    await ui.view.getByRole('combobox', { name: 'Decode binary as' }).selectOption({ label: 'MessagePack' });
    await ui.connect.click();
    await assertText(ui.status, /^OPEN\b/, 'OPEN');
    // {"hello": "world"} in MessagePack, emitted as one binary argument; the server echoes it.
    await ui.view.getByRole('combobox', { name: 'Arguments as' }).selectOption({ label: 'Base64' });
    await emit(io, 'echo', 'gaVoZWxsb6V3b3JsZA==');
    const echo = receivedOf(ui, 'event', 'hello').first();
    await echo.waitFor();
    assert.match(await echo.innerText(), /"hello": "world"/);
    await screenshot('45-socketio-decoded');
  } finally {
    await resetWorkbench(page);
    await server.close();
  }
});
