// Steps and reads on the debugger panel shared by the specs: find controls by their accessible
// names, poll until what the user sees matches, open panels the way a user does.
import assert from 'node:assert/strict';
import { openedPanel, panel, quickPickInput, runCommand } from './workbench.mjs';

/** How long a spec waits for what the user should see (the machine may be busy). */
export const WAIT = 20_000;

/** Polls `read()` until `check(value)` holds; fails with the last value seen. */
export async function eventually(read, check, what, timeout = WAIT) {
  const deadline = Date.now() + timeout;
  let value;
  for (;;) {
    value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  assert.fail(`${what}: still ${JSON.stringify(value)} after ${timeout / 1000} s`);
}

export async function textOf(locator) {
  return (await locator.textContent({ timeout: WAIT })) ?? '';
}

/** Waits until the locator's text matches `pattern`. */
export async function assertText(locator, pattern, what = String(pattern)) {
  return eventually(() => textOf(locator), (text) => pattern.test(text), what);
}

/** The texts of the elements a control's aria-describedby points at (its error, its hint). */
export async function descriptionOf(locator) {
  return locator.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
    .map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '').join(' | '));
}

/** The panel's controls, found by the accessible names of the panel's contract. */
export function panelControls(view) {
  const log = view.getByRole('listbox', { name: 'Message log' });
  return {
    view,
    // The status line ("OPEN · sent 3 (42 B) · received 3 (42 B)"): a landmark, not a live region.
    status: view.getByRole('contentinfo', { name: 'Connection summary' }),
    // What a screen reader is told when the state changes ("Connected to ws://…").
    announcer: view.getByRole('status', { name: 'Connection announcements' }),
    badge: view.getByRole('banner').locator('.state-badge'),
    settingsToggle: view.getByRole('button', { name: 'Request settings', exact: true }),
    log,
    entries: log.locator('.entry'),
    url: view.getByRole('textbox', { name: 'URL', exact: true }),
    subprotocols: view.getByRole('textbox', { name: 'Subprotocols' }),
    headerName: view.getByRole('textbox', { name: 'Header name' }),
    headerValue: view.getByRole('textbox', { name: 'Header value' }),
    addHeader: view.getByRole('button', { name: 'Add header' }),
    connect: view.getByRole('button', { name: 'Connect', exact: true }),
    disconnect: view.getByRole('button', { name: 'Disconnect', exact: true }),
    stateRegion: view.getByRole('region', { name: 'Connection state' }),
    message: view.getByRole('textbox', { name: 'Message', exact: true }),
    sendAs: view.getByRole('combobox', { name: 'Send as', exact: true }),
    send: view.getByRole('button', { name: 'Send', exact: true }),
    showAs: view.getByRole('combobox', { name: 'Show as', exact: true }),
    pingPayload: view.getByRole('textbox', { name: 'Ping/pong payload' }),
    ping: view.getByRole('button', { name: 'Ping', exact: true }),
    pong: view.getByRole('button', { name: 'Pong', exact: true }),
    closeCode: view.getByRole('spinbutton', { name: 'Close code' }),
    closeReason: view.getByRole('textbox', { name: 'Close reason' }),
    close: view.getByRole('button', { name: 'Close', exact: true }),
    sendAdvanced: view.getByRole('button', { name: 'Send advanced code' }),
    cancel: view.getByRole('button', { name: 'Cancel', exact: true }),
  };
}

/** The Connection details region (the inspector: route, timing, handshake, TLS, close). */
export function connectionDetails(ui) {
  return ui.view.getByRole('region', { name: 'Connection details' });
}

/**
 * The request settings tab `name`, whether or not it holds set values: a tab that does is named
 * with their count ("Headers, 2 set"); its tab panel keeps the plain name.
 */
export function settingsTab(uiOrView, name) {
  const view = uiOrView.view ?? uiOrView;
  const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return view.getByRole('tab', { name: new RegExp(`^${escaped}(, \\d+ set)?$`) });
}

/**
 * Shows the request settings tab `name` ('Params', 'Headers', 'Connection options', 'Socket.IO',
 * 'Variables', 'Endpoints', 'Save'), unfolding the settings if they are folded (they fold once
 * connected), and returns its tab panel. Takes the panel's controls or the panel itself.
 */
export async function openSettingsTab(uiOrView, name) {
  const view = uiOrView.view ?? uiOrView;
  const tab = settingsTab(view, name);
  // Choosing a tab unfolds folded settings; choosing the shown one changes nothing.
  await tab.click();
  const panel = view.getByRole('tabpanel', { name, exact: true });
  await panel.waitFor({ state: 'visible', timeout: WAIT });
  return panel;
}

/** Shows the Connection options (TLS, keep-alive, proxy...) tab. */
export async function openConnectionOptions(ui) {
  return openSettingsTab(ui, 'Connection options');
}

/** The connection state fields (readyState, url, protocol, code, reason, wasClean...) as shown. */
export async function stateFields(ui) {
  return ui.stateRegion.locator('.state-fields').evaluate((dl) =>
    Object.fromEntries([...dl.querySelectorAll('.state-field')].map((field) =>
      [field.querySelector('dt')?.textContent ?? '', field.querySelector('dd')?.textContent ?? ''])));
}

/** Received log entries, optionally of one frame type ('text', 'binary', 'pong'...) and containing `text`. */
export function received(ui, { frame, text } = {}) {
  let entries = ui.entries.filter({ has: ui.view.locator('.entry-direction', { hasText: /^received$/ }) });
  if (frame !== undefined) entries = entries.filter({ has: ui.view.locator('.entry-frame', { hasText: new RegExp(`^${frame}$`) }) });
  if (text !== undefined) entries = entries.filter({ hasText: text });
  return entries;
}

/** One log entry by its id, whatever it currently shows. */
export function entryById(ui, id) {
  return ui.log.locator(`.entry[data-entry-id="${id}"]`);
}

/** The Message detail pane beside the log (the selected entry, its views and actions). */
export function messageDetail(ui) {
  return ui.view.getByRole('region', { name: 'Message detail' });
}

/** Selects entry `id` (a click on its row) and waits until the detail pane shows it. */
export async function selectEntry(ui, id) {
  await entryById(ui, id).click();
  await assertText(messageDetail(ui).locator('.detail-heading'), new RegExp(`^Entry ${id} · `), `the detail shows entry ${id}`);
  return messageDetail(ui);
}

/** Shows entry `id` as `label` (Text, JSON tree, Hex, Base64, Decoded): its tab in the detail pane. */
export async function showEntryAs(ui, id, label) {
  const detail = await selectEntry(ui, id);
  await detail.getByRole('tab', { name: label, exact: true }).click();
  return detail;
}

export async function sendText(ui, text) {
  await ui.sendAs.selectOption({ label: 'Text' });
  await ui.message.fill(text);
  await ui.send.click();
}

/** Connects from the command palette (WebSocket: Connect…) and returns the panel once OPEN. */
export async function connectTo(page, url) {
  const ui = panelControls(await openedPanel(page, async () => {
    await runCommand(page, 'WebSocket: Connect…');
    await quickPickInput(page, url);
  }));
  await assertText(ui.status, /^OPEN\b/, 'status OPEN');
  return ui;
}

/** An empty debugger panel (no connection yet), as WebSocket: Open Debugger gives it. */
export async function openEmptyPanel(page) {
  await runCommand(page, 'WebSocket: Open Debugger');
  const ui = panelControls(await panel(page));
  await ui.url.waitFor({ state: 'visible', timeout: WAIT });
  await assertText(ui.status, /^CLOSED\b/, 'a new panel is CLOSED');
  return ui;
}
