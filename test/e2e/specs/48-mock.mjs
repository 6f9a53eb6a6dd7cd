// The mock server in VS Code: WebSocket: Start Mock Server… starts the echo mock on a free port,
// whose panel and WebSocket view row show its URL; a ws client of this test connects (with a
// header of its own), appears as a client in the view and the panel, gets a message sent
// from the panel to it alone, is closed with a chosen code; Stop ends the mock and the status bar
// item goes. Then a mock of the workspace file starts from its row, and an edit of the file
// reloads its rules while a bad edit keeps them, naming the mock, the rule and the field; one
// with a host beyond loopback asks before it listens.
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import WebSocket from 'ws';
import { clearNotifications, notification } from '../collectionSteps.mjs';
import { test } from '../framework.mjs';
import { eventually, textOf, WAIT } from '../panel.mjs';
import { openedPanel, quickPickInput, resetWorkbench, runCommand, showEndpointsView, treeRow } from '../workbench.mjs';

test('starts the echo mock from the palette, talks to a client from its panel and stops it from the view', { timeout: 150_000 }, async ({ page, screenshot }) => {
  const view = await openedPanel(page, async () => {
    await runCommand(page, 'WebSocket: Start Mock Server…');
    await quickPickInput(page, 'Echo mock on a free port');
  });
  const info = view.getByRole('region', { name: 'Mock server: Echo' });
  await info.waitFor({ timeout: WAIT });
  const url = await eventually(
    () => info.locator('.state-field', { hasText: 'url' }).locator('dd').first().textContent(),
    (text) => /^ws:\/\/127\.0\.0\.1:\d+\/$/.test(text ?? ''),
    'the mock URL in its panel',
  );
  const statusItem = page.getByRole('button', { name: '1 WebSocket mock server running' });
  await statusItem.waitFor({ timeout: WAIT });

  await showEndpointsView(page);
  const row = treeRow(page, 'Echo');
  await row.waitFor({ timeout: WAIT });
  assert.match(await row.innerText(), new RegExp(`${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · 0 clients`));

  // A client this test writes (with a header of its own): what the mock sends it is seen on its side.
  const client = new WebSocket(url, [], { headers: { 'X-Demo': 'from-e2e' } });
  const got = [];
  client.on('message', (data) => got.push(data.toString('utf8')));
  const closed = new Promise((resolve) => client.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise((resolve, reject) => {
    client.once('open', resolve);
    client.once('error', reject);
  });
  try {
    const clientRow = treeRow(page, 'Client 1');
    await clientRow.waitFor({ timeout: WAIT });
    assert.match(await clientRow.innerText(), /127\.0\.0\.1:\d+/);

    // The echo works (the fallback), and the panel's log has both directions.
    client.send('ping from the client');
    await eventually(async () => got.join('\n'), (text) => text.includes('ping from the client'), 'the echo');
    const log = view.getByRole('listbox', { name: 'Message log' });
    await eventually(() => textOf(log), (text) => /ping from the client/.test(text), 'the message in the mock log');
    // All clients merged: each message says whose it is.
    const received = log.locator('.entry', { hasText: 'ping from the client' }).filter({ hasText: 'received' });
    assert.match(await received.first().locator('.entry-peer').innerText(), /^client 1$/);

    const clientSelect = view.getByRole('combobox', { name: 'Client', exact: true });
    await eventually(async () => (await clientSelect.locator('option').allTextContents()).join('|'), (text) => /Client 1 \(127\.0\.0\.1:\d+\)/.test(text), 'the client in the Client list');
    await clientSelect.selectOption('1');
    const headers = view.getByRole('definition').filter({ hasText: 'from-e2e' });
    await headers.first().waitFor({ timeout: WAIT });

    await view.getByRole('textbox', { name: 'Message', exact: true }).fill('hello from the mock panel');
    await view.getByRole('button', { name: 'Send', exact: true }).click();
    await eventually(async () => got.join('\n'), (text) => text.includes('hello from the mock panel'), 'the message sent from the panel');
    await screenshot('48-mock-panel');

    await view.getByRole('spinbutton', { name: 'Close code', exact: true }).fill('4321');
    await view.getByRole('textbox', { name: 'Close reason', exact: true }).fill('bye from the mock');
    await view.getByRole('button', { name: 'Close', exact: true }).click();
    assert.deepEqual(await closed, { code: 4321, reason: 'bye from the mock' });
    await clientRow.waitFor({ state: 'detached', timeout: WAIT });

    await row.hover();
    await row.getByRole('button', { name: 'Stop Mock Server', exact: true }).click();
    await statusItem.waitFor({ state: 'detached', timeout: WAIT });
    await row.waitFor({ state: 'detached', timeout: WAIT });
    await eventually(() => textOf(info), (text) => /stopped/.test(text), 'the panel to say the mock stopped');
  } finally {
    client.terminate();
    await resetWorkbench(page);
  }
});

test('starts a mock of the workspace file from its row, reloads its rules on an edit and keeps them on a bad one', { timeout: 150_000 }, async ({ page, workspace, screenshot }) => {
  const file = path.join(workspace, '.vscode', 'websocket-debugger.json');
  const write = (reply) => writeFile(file, JSON.stringify({
    format: 'websocket-debugger-collection',
    version: 3,
    name: 'Mock demo',
    endpoints: [],
    mocks: [
      { name: 'Greeter', kind: 'websocket', port: 0, fallback: 'ignore', rules: [{ on: { text: 'hi' }, reply }] },
      { name: 'Wide', kind: 'websocket', host: '0.0.0.0', port: 0 },
    ],
  }, null, 2));
  await mkdir(path.dirname(file), { recursive: true });
  await write({ text: 'hello client {{connection.id}}' });
  let client;
  try {
    await showEndpointsView(page);
    const row = treeRow(page, 'Greeter');
    await row.waitFor({ timeout: WAIT });
    assert.match(await row.innerText(), /mock · WebSocket · any free port/);
    const view = await openedPanel(page, async () => {
      await row.hover();
      await row.getByRole('button', { name: 'Start Mock Server…', exact: true }).click();
    });
    const info = view.getByRole('region', { name: 'Mock server: Greeter' });
    const url = await eventually(
      () => info.locator('.state-field', { hasText: 'url' }).locator('dd').first().textContent(),
      (text) => /^ws:\/\/127\.0\.0\.1:\d+\/$/.test(text ?? ''),
      'the mock URL in its panel',
    );
    client = new WebSocket(url);
    const got = [];
    client.on('message', (data) => got.push(data.toString('utf8')));
    await new Promise((resolve, reject) => {
      client.once('open', resolve);
      client.once('error', reject);
    });
    client.send('hi');
    await eventually(async () => got.join('|'), (text) => text.includes('hello client 1'), 'the rule reply');

    // An edit of the file reloads the rules of the running mock.
    await write({ text: 'edited reply' });
    await eventually(async () => {
      client.send('hi');
      await new Promise((resolve) => setTimeout(resolve, 300));
      return got.join('|');
    }, (text) => text.includes('edited reply'), 'the edited rule to answer');

    // A mistake keeps the running rules and says which mock, rule and field.
    await write({ txt: 'broken' });
    const refusal = notification(page, 'Mock "Greeter" keeps its running rules');
    await refusal.waitFor({ timeout: WAIT });
    assert.match(await refusal.innerText(), /rule 1/);
    await screenshot('48-mock-bad-edit');
    const before = got.length;
    client.send('hi');
    await eventually(async () => got.slice(before).join('|'), (text) => text === 'edited reply', 'the kept rule to answer');
    await clearNotifications(page);

    const mockRow = treeRow(page, 'Greeter').filter({ hasText: url });
    await mockRow.hover();
    await mockRow.getByRole('button', { name: 'Stop Mock Server', exact: true }).click();
    await page.getByRole('button', { name: '1 WebSocket mock server running' }).waitFor({ state: 'detached', timeout: WAIT });

    // Listening beyond loopback asks first (a modal): Cancel starts nothing, Listen does.
    await write({ text: 'hello client {{connection.id}}' });
    const wideRow = treeRow(page, 'Wide');
    await wideRow.waitFor({ timeout: WAIT });
    const dialog = page.locator('.monaco-dialog-box');
    const startWide = async () => {
      await wideRow.hover();
      await wideRow.getByRole('button', { name: 'Start Mock Server…', exact: true }).click();
      await dialog.waitFor({ timeout: WAIT });
      assert.match(await dialog.innerText(), /Mock "Wide" would listen on 0\.0\.0\.0, where other machines can reach it\. Listen beyond this machine\?/);
    };
    await startWide();
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(await page.getByRole('button', { name: /WebSocket mock servers? running$/ }).count(), 0, 'Cancel still started the mock');
    await openedPanel(page, async () => {
      await startWide();
      await dialog.getByRole('button', { name: 'Listen', exact: true }).click();
    });
    const running = page.getByRole('button', { name: '1 WebSocket mock server running' });
    await running.waitFor({ timeout: WAIT });
    // The status bar item opens the panel of the (one) running mock.
    await runCommand(page, 'View: Close All Editors');
    const reopened = await openedPanel(page, () => running.click());
    await reopened.getByRole('region', { name: 'Mock server: Wide' }).waitFor({ timeout: WAIT });
    const wideRunning = treeRow(page, 'Wide').filter({ hasText: /ws:\/\/0\.0\.0\.0:\d+\// });
    await wideRunning.hover();
    await wideRunning.getByRole('button', { name: 'Stop Mock Server', exact: true }).click();
    await running.waitFor({ state: 'detached', timeout: WAIT });
  } finally {
    client?.terminate();
    await rm(file, { force: true });
    await resetWorkbench(page);
  }
});
