// Steps on saved endpoints and collection files shared by the specs: save an endpoint from the
// panel, pick quick-pick rows, export a collection through VS Code's (simple) save dialog.
import { eventually, openSettingsTab } from './panel.mjs';
import { escapeRegExp, runCommand } from './workbench.mjs';

export const QUICK_INPUT = '.quick-input-widget';
export const QUICK_BOX = `${QUICK_INPUT} .quick-input-box input`;
export const QUICK_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

export async function saveEndpoint(view, { name, collection, url, protocols = '', header }) {
  await view.getByRole('textbox', { name: 'URL', exact: true }).fill(url);
  await openSettingsTab(view, 'Headers');
  await view.getByRole('textbox', { name: 'Subprotocols', exact: true }).fill(protocols);
  const headerNames = view.getByRole('textbox', { name: 'Header name', exact: true });
  while (await headerNames.count() > 0) await view.getByRole('button', { name: 'Remove header' }).first().click();
  if (header) {
    await view.getByRole('button', { name: 'Add header', exact: true }).click();
    await headerNames.fill(header[0]);
    await view.getByRole('textbox', { name: 'Header value', exact: true }).fill(header[1]);
  }
  await openSettingsTab(view, 'Save');
  await view.getByRole('textbox', { name: 'Endpoint name', exact: true }).fill(name);
  await view.getByRole('textbox', { name: 'Collection', exact: true }).fill(collection);
  await view.getByRole('button', { name: 'Save endpoint', exact: true }).click();
  await openSettingsTab(view, 'Endpoints');
  await view.getByRole('list', { name: 'Saved endpoints' }).getByRole('button', { name, exact: true }).waitFor();
}

/** Picks the quick-pick row labelled exactly `label`, after checking the pick's title. */
export async function pickQuickItem(page, label, title) {
  await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: title }).waitFor({ timeout: 10_000 });
  const row = page.locator(QUICK_ROWS).filter({
    has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }),
  }).first();
  await row.click();
}

/** VS Code asks before replacing an existing file; the test's file is fresh, but be ready. */
export async function answerOverwriteIfAsked(page) {
  const dialog = page.locator('.monaco-dialog-box');
  const replace = dialog.getByRole('button', { name: 'Replace', exact: true });
  const appeared = await replace.waitFor({ timeout: 2_000 }).then(() => true, () => false);
  if (appeared) await replace.click();
}

export function notification(page, text) {
  return page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first();
}

export async function clearNotifications(page) {
  await runCommand(page, 'Notifications: Clear All Notifications');
}

/**
 * WebSocket: Export Collection… for `collection`, saved at the full path `file`; `beforeConfirm`
 * runs while the save dialog shows its proposed path.
 */
export async function exportCollectionTo(page, collection, file, beforeConfirm = async () => {}) {
  await runCommand(page, 'WebSocket: Export Collection…');
  await pickQuickItem(page, collection, 'Export which collection?');
  // The save dialog proposes <workspace>/<collection>.wscollection.json; a full path replaces it.
  const box = page.locator(QUICK_BOX);
  await eventually(() => box.inputValue(), (value) => value.endsWith(`${collection}.wscollection.json`),
    'the path the save dialog proposes');
  await beforeConfirm();
  await box.fill(file);
  await box.press('Enter');
  await answerOverwriteIfAsked(page);
  const name = file.split('/').pop();
  await notification(page, `Exported "${collection}" to ${name}.`).waitFor({ timeout: 15_000 });
}

/**
 * Runs WebSocket: Import Collection… and opens `file` through VS Code's simple file dialog. The
 * dialog lists the folder as you type and, while it loads, may put the folder it opened with back
 * into the box after our path was typed; Enter on that opens the folder ("Please select a file").
 * So the path is typed until the box keeps it, and typed again if Enter left the dialog open.
 * `beforeAccept` runs once, with the dialog showing the file (for a screenshot). `command` opens
 * the dialog (WebSocket: Import HAR… uses the same steps); `next` is the title of a quick pick the
 * command shows right after the dialog, in the same widget.
 */
export async function importThroughDialog(page, file, beforeAccept = async () => {}, command = 'WebSocket: Import Collection…', next = undefined) {
  await runCommand(page, command);
  const box = page.locator(QUICK_BOX);
  await box.waitFor({ state: 'visible', timeout: 15_000 });
  const name = file.split('/').pop();
  for (let attempt = 1; ; attempt++) {
    await box.fill(file);
    await page.locator(QUICK_ROWS, { hasText: name }).first().waitFor({ timeout: 15_000 });
    await eventually(async () => {
      if ((await box.inputValue()) !== file) await box.fill(file);
      return box.inputValue();
    }, (value) => value === file, 'the typed path stays in the file dialog');
    if (attempt === 1) await beforeAccept();
    await box.press('Enter');
    const closed = await box.waitFor({ state: 'hidden', timeout: 3_000 }).then(() => true, () => false);
    if (closed) return;
    // The command's own quick pick may follow at once, in the same widget.
    if (next !== undefined && await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: next }).isVisible()) return;
    if (attempt === 3) throw new Error(`the file dialog did not open ${file} after ${attempt} tries`);
  }
}

/** Deletes a saved endpoint from the panel's list, confirming VS Code's modal dialog. */
export async function deleteSavedEndpoint(page, view, name) {
  await openSettingsTab(view, 'Endpoints');
  const list = view.getByRole('list', { name: 'Saved endpoints' });
  await list.getByRole('button', { name: `Delete endpoint ${name}`, exact: true }).first().click();
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 10_000 });
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}
