// VS Code's proxy support and the per-endpoint "Bypass proxy", each test in a second code-server
// that has a proxy configured and a real proxy (../connectProxy.mjs) behind it: once through the
// user setting `http.proxy` (with `http.proxySupport: "override"`, VS Code's default, set
// explicitly), once through the HTTPS_PROXY environment variable. A connection goes through the
// proxy and Connection details show its route; with Bypass proxy on, connecting again reaches the
// server directly and the proxy sees nothing.
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
import { assertText, connectionDetails, connectTo, descriptionOf, eventually, openConnectionOptions, openEmptyPanel, openSettingsTab } from '../panel.mjs';
import { startWsEchoServer } from '../servers.mjs';
import { escapeRegExp, waitForExtension } from '../workbench.mjs';

const ENDPOINT = 'Past the proxy';

/**
 * Starts a proxy, an echo server on 127.0.0.2 and a code-server configured by `configure(proxy)`
 * (startCodeServer options), opens its workbench and runs `steps` with
 * { page, proxy, echo, seen() }, where seen() lists what the proxy got for the echo server
 * (code-server itself may send its own lookups through an environment proxy).
 */
async function withProxiedWorkbench({ browser, server }, name, configure, steps) {
  const proxy = await startConnectProxy();
  const echo = await startWsEchoServer({ host: '127.0.0.2' });
  const folder = await tempDir(`e2e-${name}`);
  const proxied = await startCodeServer({ folder, extensionsDir: server.extensionsDir, ...configure(proxy) });
  const page = await newPage(browser);
  try {
    // A second workbench loading next to the first one can take a while on a busy machine.
    await page.goto(workbenchUrl(proxied, { folder }), { timeout: 90_000 });
    await waitForWorkbench(page);
    await waitForExtension(page);
    const seen = () => proxy.seen.filter((line) => line.includes(`127.0.0.2:${echo.port}`));
    await steps({ page, proxy, echo, seen });
  } catch (error) {
    // The runner's failure screenshot shows the main window; this one shows the proxied one.
    await saveScreenshot(page, `67-${name}-failure`).catch(() => undefined);
    throw error;
  } finally {
    await page.close().catch(() => undefined);
    await proxied.stop();
    await Promise.all([proxy.close(), echo.close()]);
  }
}

/** Connects to the echo server's /proxied through the proxy and checks the route shown. */
async function connectThroughProxy(page, proxy, echo, seen) {
  const ui = await connectTo(page, `${echo.url}/proxied`);
  const details = await assertText(connectionDetails(ui), new RegExp(`Route\\s*PROXY 127\\.0\\.0\\.1:${proxy.port}`), 'the proxy route');
  assert.match(details, /Upgrade\s*\d+\.\d ms/);
  // VS Code's proxy agent forwards ws:// as an absolute-form request for the http:// URL.
  assert.deepEqual(seen(), [`GET http://127.0.0.2:${echo.port}/proxied`]);
  assert.deepEqual(echo.connections.map((c) => c.path), ['/proxied'], 'the server got the connection through the proxy');
  await ui.disconnect.click();
  await assertText(ui.status, /^CLOSED\b/, 'status CLOSED');
  return ui;
}

/** Checks the panel is OPEN straight to the echo server with the bypassed route, unseen by the proxy. */
async function assertDirect(ui, echo, seen, path) {
  await assertText(ui.status, /^OPEN\b/, 'status OPEN');
  const direct = await assertText(connectionDetails(ui), /Route\s*direct \(proxy bypassed\)/, 'the bypassed route');
  assert.match(direct, new RegExp(`Remote address\\s*${escapeRegExp(`127.0.0.2:${echo.port}`)}`));
  assert.deepEqual(seen(), [`GET http://127.0.0.2:${echo.port}/proxied`], 'the proxy saw the direct connection');
  assert.deepEqual(echo.connections.map((c) => c.path), ['/proxied', path]);
}

test('with http.proxy set, a connection goes through the proxy, and an endpoint saved with Bypass proxy connects directly', { timeout: 240_000 }, (ctx) =>
  withProxiedWorkbench(ctx, 'proxy-setting', (proxy) => ({ settings: { 'http.proxy': proxy.url, 'http.proxySupport': 'override' } }), async ({ page, proxy, echo, seen }) => {
    const ui = await connectThroughProxy(page, proxy, echo, seen);
    await saveScreenshot(page, '67-proxy-route');

    // Saved with Bypass proxy on; a fresh panel loads it from the saved endpoints and connects.
    await openConnectionOptions(ui);
    const bypass = ui.view.getByRole('checkbox', { name: 'Bypass proxy' });
    assert.match(await descriptionOf(bypass), /connect directly, even when VS Code's http\.proxy setting or HTTPS_PROXY applies/);
    await bypass.check();
    await saveEndpoint(ui.view, { name: ENDPOINT, collection: 'Proxy', url: `${echo.url}/direct` });
    const fresh = await openEmptyPanel(page);
    await openSettingsTab(fresh, 'Endpoints');
    await fresh.view.getByRole('list', { name: 'Saved endpoints' }).getByRole('button', { name: ENDPOINT, exact: true }).click();
    await eventually(() => fresh.url.inputValue(), (value) => value === `${echo.url}/direct`, 'the saved URL in the form');
    await openConnectionOptions(fresh);
    assert.equal(await fresh.view.getByRole('checkbox', { name: 'Bypass proxy' }).isChecked(), true, 'the option was saved with the endpoint');
    await fresh.connect.click();
    await assertDirect(fresh, echo, seen, '/direct');
    await saveScreenshot(page, '67-proxy-bypassed');

    // A Socket.IO endpoint has the one option that applies to it: Bypass proxy.
    await fresh.disconnect.click();
    await fresh.view.getByRole('combobox', { name: 'Connection kind' }).selectOption({ label: 'Socket.IO' });
    await openConnectionOptions(fresh);
    await fresh.view.getByRole('checkbox', { name: 'Accept invalid certificates' }).waitFor({ state: 'hidden' });
    assert.equal(await fresh.view.getByRole('checkbox', { name: 'Bypass proxy' }).isVisible(), true);
  }));

test('with the HTTPS_PROXY environment variable, the same: proxied, then direct with Bypass proxy', { timeout: 240_000 }, (ctx) =>
  withProxiedWorkbench(ctx, 'proxy-env', (proxy) => ({ env: { HTTPS_PROXY: proxy.url } }), async ({ page, proxy, echo, seen }) => {
    const ui = await connectThroughProxy(page, proxy, echo, seen);
    await openConnectionOptions(ui);
    await ui.view.getByRole('checkbox', { name: 'Bypass proxy' }).check();
    await ui.url.fill(`${echo.url}/direct`);
    await ui.connect.click();
    await assertDirect(ui, echo, seen, '/direct');
  }));
