// Workspace trust: a folder that shares a collection in .vscode/websocket-debugger.json, opened in
// a second code-server with workspace trust on and left untrusted (Restricted Mode). The shared
// endpoints are listed (in the Endpoints view, the Connect quick pick and the panel's list), never
// connect by themselves, and connecting to one asks first, from each of the three: Cancel connects
// nothing, Connect does. Its mock server is listed too and starts only when the user says so.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newPage, saveScreenshot, waitForWorkbench } from '../../harness/browser.mjs';
import { startCodeServer, tempDir, workbenchUrl } from '../../harness/codeServer.mjs';
import { test } from '../framework.mjs';
import { assertText, descriptionOf, eventually, openSettingsTab, panelControls, WAIT } from '../panel.mjs';
import { actionName, escapeRegExp, openedPanel, panel, resetWorkbench, runCommand, showEndpointsView, treeRow, waitForExtension } from '../workbench.mjs';

const ENDPOINT = 'Shared echo';
const MOCK = 'Shared mock';

test('in Restricted Mode a workspace collection is listed, never auto-connects, and asks before connecting', { timeout: 240_000 }, async ({ browser, server, echo }) => {
  const folder = await tempDir('e2e-untrusted');
  await mkdir(path.join(folder, '.vscode'), { recursive: true });
  await writeFile(path.join(folder, '.vscode', 'websocket-debugger.json'), JSON.stringify({
    format: 'websocket-debugger-collection',
    version: 3,
    name: 'Team',
    endpoints: [{ name: ENDPOINT, url: `${echo.url}/untrusted`, headers: [{ name: 'X-Team', value: 'blue' }] }],
    mocks: [{ name: MOCK, kind: 'websocket', port: 0 }],
  }));
  const untrusted = await startCodeServer({ folder, extensionsDir: server.extensionsDir, workspaceTrust: true });
  const page = await newPage(browser);
  const handshakes = () => echo.connections.filter((c) => c.path === '/untrusted').length;
  try {
    // A second workbench loading next to the first one can take a while on a busy machine.
    await page.goto(workbenchUrl(untrusted, { folder }), { timeout: 90_000 });
    await waitForWorkbench(page);
    // If VS Code asks whether to trust the folder, the answer is no; code-server may go straight
    // to Restricted Mode without asking.
    const noTrust = page.getByRole('button', { name: /^No, I don.t trust the authors$/ });
    const restricted = page.locator('.statusbar-item', { hasText: /Restricted Mode/ }).first();
    await restricted.or(noTrust).first().waitFor({ timeout: 60_000 });
    if (await noTrust.isVisible()) await noTrust.click();
    await restricted.waitFor({ timeout: WAIT });
    await waitForExtension(page);

    await showEndpointsView(page);
    const collection = treeRow(page, 'Team');
    await collection.waitFor({ timeout: 30_000 });
    assert.match(await collection.innerText(), /1 endpoint · workspace \(restricted\)/);
    const row = treeRow(page, ENDPOINT);
    await row.waitFor();
    await saveScreenshot(page, '66-untrusted-tree');
    // Listed only: nothing connected by itself.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(handshakes(), 0, 'a workspace endpoint connected by itself');

    const dialog = page.locator('.monaco-dialog-box');
    const question = new RegExp(escapeRegExp(
      `"${ENDPOINT}" comes from .vscode/websocket-debugger.json in a workspace you have not trusted. Connect to ${echo.url}/untrusted with the 1 header(s) that file sets?`,
    ));
    const cancelDialog = async () => {
      await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(handshakes(), 0, 'Cancel still connected');
    };

    // The Connect quick pick lists the endpoint, marked as the workspace's, and asks first.
    await runCommand(page, 'WebSocket: Connect…');
    await page.locator('.quick-input-widget .quick-input-box input').fill(ENDPOINT);
    const pickRow = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Restricted Mode' }).first();
    await pickRow.waitFor({ timeout: WAIT });
    const pickText = await pickRow.innerText();
    assert.match(pickText, new RegExp(`${escapeRegExp(ENDPOINT)}[\\s\\S]*workspace · ${escapeRegExp(echo.url)}/untrusted`));
    assert.match(pickText, /Team \(\.vscode\/websocket-debugger\.json\) · Restricted Mode: asks before connecting/);
    await saveScreenshot(page, '66-untrusted-quick-pick');
    await pickRow.click();
    await dialog.waitFor({ timeout: WAIT });
    assert.match(await dialog.innerText(), question);
    await cancelDialog();

    // The panel's list shows it read-only (no rename or delete), marked in words; choosing it
    // fills the form, and the panel's Connect asks too.
    const view = await openedPanel(page, () => runCommand(page, 'WebSocket: Open Debugger'));
    await openSettingsTab(view, 'Endpoints');
    const list = view.getByRole('list', { name: 'Saved endpoints' });
    await list.getByRole('heading', { name: 'Team workspace (restricted)', exact: true }).waitFor({ timeout: WAIT });
    const choose = list.getByRole('button', { name: ENDPOINT, exact: true });
    assert.equal(await descriptionOf(choose), 'workspace (restricted)');
    assert.equal(await list.getByRole('button', { name: `Rename endpoint ${ENDPOINT}` }).count(), 0);
    assert.equal(await list.getByRole('button', { name: `Delete endpoint ${ENDPOINT}` }).count(), 0);
    await choose.click();
    const form = panelControls(view);
    await eventually(() => form.url.inputValue(), (value) => value === `${echo.url}/untrusted`, 'the URL from the file');
    await form.connect.click();
    await dialog.waitFor({ timeout: WAIT });
    assert.match(await dialog.innerText(), question);
    await cancelDialog();
    await view.getByText(`Not connected: "${ENDPOINT}" comes from .vscode/websocket-debugger.json in a workspace you have not trusted, and you did not confirm.`).waitFor({ timeout: WAIT });
    await saveScreenshot(page, '66-untrusted-panel-list');
    await resetWorkbench(page);

    // Connect from the tree asks first; Cancel connects nothing.
    const connectFromTree = async () => {
      await row.hover();
      await row.getByRole('button', { name: actionName('Connect…') }).click();
      await dialog.waitFor({ timeout: WAIT });
      assert.match(await dialog.innerText(), question);
    };
    await connectFromTree();
    await saveScreenshot(page, '66-untrusted-ask');
    await cancelDialog();

    // Connect, confirmed, does connect.
    await connectFromTree();
    await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
    const ui = panelControls(await panel(page));
    await assertText(ui.status, /^OPEN\b/, 'status OPEN');
    assert.equal(handshakes(), 1);

    // The file's mock server: Start asks first; Cancel starts nothing, Start does.
    await showEndpointsView(page);
    const mockRow = treeRow(page, MOCK);
    await mockRow.waitFor({ timeout: WAIT });
    const running = page.getByRole('button', { name: '1 WebSocket mock server running' });
    const startFromTree = async () => {
      await mockRow.hover();
      await mockRow.getByRole('button', { name: 'Start Mock Server…', exact: true }).click();
      await dialog.waitFor({ timeout: WAIT });
      assert.match(await dialog.innerText(), new RegExp(escapeRegExp(
        `Mock "${MOCK}" comes from .vscode/websocket-debugger.json in a workspace you have not trusted. Start it, listening on 127.0.0.1, on any free port?`,
      )));
    };
    await startFromTree();
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(await running.count(), 0, 'Cancel still started the mock');
    await startFromTree();
    await dialog.getByRole('button', { name: 'Start', exact: true }).click();
    await running.waitFor({ timeout: WAIT });
  } catch (error) {
    // The runner's failure screenshot shows the main window; this one shows the untrusted one.
    await saveScreenshot(page, '66-untrusted-failure').catch(() => undefined);
    throw error;
  } finally {
    await page.close().catch(() => undefined);
    await untrusted.stop();
  }
});
