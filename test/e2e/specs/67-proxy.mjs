// VS Code's proxy support and the per-endpoint "Bypass proxy", in a second code-server whose
// user settings point `http.proxy` at a real proxy (../connectProxy.mjs) with
// `http.proxySupport: "override"` (VS Code's default, set explicitly here). A connection goes
// through the proxy and Connection details show its route; after the endpoint is saved with
// Bypass proxy on, connecting again reaches the server directly and the proxy sees nothing.
//
// The echo server listens on 127.0.0.2, not 127.0.0.1: VS Code never proxies "localhost" and
// "127.0.0.1", but any other host, the rest of the loopback range included, goes through the
// configured proxy. (Linux answers on all of 127.0.0.0/8.)
import assert from 'node:assert/strict';
import { newPage, saveScreenshot, waitForWorkbench } from '../../harness/browser.mjs';
import { startCodeServer, tempDir, workbenchUrl } from '../../harness/codeServer.mjs';
import { saveEndpoint } from '../collectionSteps.mjs';
import { startConnectProxy } from '../connectProxy.mjs';
import { test } from '../framework.mjs';
import { assertText, connectionDetails, connectTo, eventually, openConnectionOptions, openEmptyPanel } from '../panel.mjs';
import { startWsEchoServer } from '../servers.mjs';
import { escapeRegExp, waitForExtension } from '../workbench.mjs';

const ENDPOINT = 'Past the proxy';

test('with http.proxy set, a connection goes through the proxy, and Bypass proxy connects directly', { timeout: 240_000 }, async ({ browser, server }) => {
  const proxy = await startConnectProxy();
  const echo = await startWsEchoServer({ host: '127.0.0.2' });
  const folder = await tempDir('e2e-proxy');
  const proxied = await startCodeServer({
    folder,
    extensionsDir: server.extensionsDir,
    settings: { 'http.proxy': proxy.url, 'http.proxySupport': 'override' },
  });
  const page = await newPage(browser);
  // What VS Code's proxy agent asks the proxy for: the server's URL as http://.
  const proxiedRequest = `GET http://127.0.0.2:${echo.port}/proxied`;
  const proxyRoute = new RegExp(`Route\\s*PROXY 127\\.0\\.0\\.1:${proxy.port}`);
  try {
    // A second workbench loading next to the first one can take a while on a busy machine.
    await page.goto(workbenchUrl(proxied, { folder }), { timeout: 90_000 });
    await waitForWorkbench(page);
    await waitForExtension(page);

    // Through the proxy: ws:// reaches it as an Upgrade request for the server's URL.
    const ui = await connectTo(page, `${echo.url}/proxied`);
    const details = await assertText(connectionDetails(ui), proxyRoute, 'the proxy route');
    assert.match(details, /Upgrade\s*\d+\.\d ms/);
    assert.deepEqual(proxy.seen, [proxiedRequest]);
    assert.deepEqual(echo.connections.map((c) => c.path), ['/proxied'], 'the server got the connection through the proxy');
    await saveScreenshot(page, '67-proxy-route');
    await ui.disconnect.click();
    await assertText(ui.status, /^CLOSED\b/, 'status CLOSED');

    // Saved with Bypass proxy on; a fresh panel loads it from the saved endpoints and connects.
    await openConnectionOptions(ui);
    await ui.view.getByRole('checkbox', { name: 'Bypass proxy' }).check();
    await saveEndpoint(ui.view, { name: ENDPOINT, collection: 'Proxy', url: `${echo.url}/direct` });
    const fresh = await openEmptyPanel(page);
    await fresh.view.getByRole('list', { name: 'Saved endpoints' }).getByRole('button', { name: ENDPOINT, exact: true }).click();
    await eventually(() => fresh.url.inputValue(), (value) => value === `${echo.url}/direct`, 'the saved URL in the form');
    assert.equal(await fresh.view.getByRole('checkbox', { name: 'Bypass proxy' }).isChecked(), true, 'the option was saved with the endpoint');
    await fresh.connect.click();
    await assertText(fresh.status, /^OPEN\b/, 'status OPEN');
    const direct = await assertText(connectionDetails(fresh), /Route\s*direct \(proxy bypassed\)/, 'the bypassed route');
    assert.match(direct, new RegExp(`Remote address\\s*${escapeRegExp('127.0.0.2:')}${echo.port}`));
    assert.deepEqual(proxy.seen, [proxiedRequest], 'the proxy saw the direct connection');
    assert.deepEqual(echo.connections.map((c) => c.path), ['/proxied', '/direct']);
    await saveScreenshot(page, '67-proxy-bypassed');

    // A Socket.IO endpoint has the one option that applies to it: Bypass proxy.
    await fresh.disconnect.click();
    await fresh.view.getByRole('combobox', { name: 'Connection kind' }).selectOption({ label: 'Socket.IO' });
    await fresh.view.getByRole('checkbox', { name: 'Accept invalid certificates' }).waitFor({ state: 'hidden' });
    assert.equal(await fresh.view.getByRole('checkbox', { name: 'Bypass proxy' }).isVisible(), true);
  } catch (error) {
    // The runner's failure screenshot shows the main window; this one shows the proxied one.
    await saveScreenshot(page, '67-proxy-failure').catch(() => undefined);
    throw error;
  } finally {
    await page.close().catch(() => undefined);
    await proxied.stop();
    await Promise.all([proxy.close(), echo.close()]);
  }
});
