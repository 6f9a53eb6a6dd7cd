// Helpers that drive the VS Code workbench the way a user does: keyboard, command palette,
// quick picks and webview panels. Selectors are VS Code's own DOM (checked against 1.139).
import { waitForWorkbench } from '../harness/browser.mjs';

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_INPUT_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;
const ACTIVITY_BAR_ITEM = '.activitybar [aria-label^="WebSocket"]';
const SIDEBAR_TITLE = '.part.sidebar .composite.title';
const TREE_ROWS = '.part.sidebar .monaco-list .monaco-list-row';

/**
 * Escapes `text` for a RegExp: endpoint names, URLs and messages carry ".", "?", "(" and the
 * like, and a test means them literally.
 */
export function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `rows` narrowed to the first whose `.label-name` is exactly `label`. A plain hasText would also
 * match longer labels that contain it ("Team" in "Team (2)").
 */
function withLabel(page, rows, label) {
  return rows.filter({
    has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }),
  }).first();
}

/**
 * The quick input once it is really open. VS Code keeps a closing widget on screen for its
 * 150 ms close animation with `inert` set and the class `quick-input-widget-closing`; a plain
 * "visible" check accepts that widget, and filling it then fails with "element is inert" and,
 * once the animation ends, "not visible".
 */
const QUICK_INPUT_OPEN_BOX = `${QUICK_INPUT}:not(.quick-input-widget-closing):not([inert]) .quick-input-box input`;

/** Whether the quick input is open now with focus in its box (not closing, not left behind). */
function paletteHasFocus(page) {
  return page.evaluate((selector) => {
    const box = document.querySelector(selector);
    return box !== null && box.checkVisibility() && document.activeElement === box;
  }, QUICK_INPUT_OPEN_BOX);
}

/**
 * What stands between a test and the workbench, for failure messages: the open modal dialog (its
 * message), the quick input's state, elements marked `inert` and where the focus is.
 */
export async function describeWorkbenchState(page) {
  return page.evaluate(() => {
    const describe = (el) => {
      if (!el) return 'nothing';
      const classes = typeof el.className === 'string' ? el.className.trim().split(/\s+/).slice(0, 4).join('.') : '';
      return `<${el.tagName.toLowerCase()}${classes ? ` class="${classes}"` : ''}${el.getAttribute('aria-label') ? ` aria-label="${el.getAttribute('aria-label')}"` : ''}>`;
    };
    const parts = [];
    for (const dialog of document.querySelectorAll('.monaco-dialog-box')) {
      parts.push(`modal dialog: "${dialog.querySelector('.dialog-message')?.textContent ?? dialog.textContent}"`);
    }
    const quick = document.querySelector('.quick-input-widget');
    if (quick && quick.style.display !== 'none') {
      const closing = quick.classList.contains('quick-input-widget-closing');
      const value = quick.querySelector('.quick-input-box input')?.value ?? '';
      parts.push(`quick input ${closing ? 'closing' : 'open'} with "${value}"`);
    }
    const inert = [...document.querySelectorAll('[inert]')].filter((el) => el.checkVisibility());
    if (inert.length) parts.push(`inert: ${inert.slice(0, 4).map(describe).join(', ')}`);
    parts.push(`focus on ${describe(document.activeElement)}`);
    return parts.join('; ');
  });
}

/**
 * Opens the command palette and returns its box once it is open with the focus in it. F1 goes to
 * whatever has focus; from a webview it reaches the workbench only through two postMessage hops,
 * so it can be slow. If nothing opens, the focus is moved back to the main document (unless the
 * palette opened meanwhile: blurring its own box would close it again) and F1 is pressed again.
 */
export async function openCommandPalette(page) {
  const box = page.locator(QUICK_INPUT_OPEN_BOX);
  // A widget still closing from an earlier pick would pass for the new palette: let it go first.
  await page.locator(`${QUICK_INPUT}.quick-input-widget-closing`).waitFor({ state: 'hidden', timeout: 2_000 }).catch(() => {});
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await page.keyboard.press('F1');
    const opened = await box.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false);
    if (opened && await paletteHasFocus(page)) return box;
    await page.evaluate((selector) => {
      const active = document.activeElement;
      if (active instanceof HTMLElement && !active.closest(selector)) active.blur();
    }, QUICK_INPUT);
  }
  throw new Error(`the command palette did not open (${await describeWorkbenchState(page)})`);
}

/** A quick-input row whose label is exactly `label`. */
function rowLabelled(page, label) {
  return withLabel(page, page.locator(QUICK_INPUT_ROWS), label);
}

/** Accepts `row`: Enter when it is the focused row, otherwise a click on it. */
async function acceptRow(page, row) {
  if ((await row.getAttribute('class'))?.split(/\s+/).includes('focused')) {
    await page.keyboard.press('Enter');
  } else {
    await row.click();
  }
}

/**
 * Runs a command by its palette title, e.g. "View: Toggle Terminal" (category included, as
 * the palette shows it): F1, the title as the filter, then Enter on the row whose label is
 * exactly `title` (clicked instead when the palette ranks another row first). The filter is
 * filled in one go: typing key by key re-filters on every key and costs seconds.
 */
export async function runCommand(page, title, { timeoutMs = 30_000 } = {}) {
  // Right after a (re)load the extension host may not have registered every command yet:
  // look again until the deadline instead of failing on the first empty list.
  const giveUpAt = Date.now() + timeoutMs;
  let box;
  let row;
  for (;;) {
    box = await openCommandPalette(page);
    // The palette closes when something else takes the focus (a webview focusing itself, a
    // dialog): then say what happened and open it again rather than fill a closing widget.
    const filled = await box.fill(`>${title}`, { timeout: 2_000 }).then(() => true, () => false);
    if (!filled) {
      const state = await describeWorkbenchState(page);
      if (Date.now() > giveUpAt) throw new Error(`could not type "${title}" into the command palette (${state})`);
      console.log(`      [workbench] the command palette closed before "${title}" was typed (${state}); opening it again`);
      continue;
    }
    row = rowLabelled(page, title);
    const found = await row.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
    if (found) break;
    const shown = await page.locator(`${QUICK_INPUT_ROWS} .label-name`).allTextContents();
    await page.keyboard.press('Escape');
    if (Date.now() > giveUpAt) {
      throw new Error(`command "${title}" not found in the palette (showing: ${shown.slice(0, 8).join(' | ') || 'nothing'})`);
    }
  }
  await acceptRow(page, row);
  // The widget is reused by quick picks the command opens: wait until the palette has gone
  // (its close animation included), so a following quickPickInput cannot type into the palette.
  const shown = page.locator(QUICK_INPUT_BOX);
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline
    && await shown.isVisible() && await shown.inputValue().catch(() => '') === `>${title}`) {
    await page.waitForTimeout(50);
  }
}

/**
 * Answers an open quick pick or input box with `text`: in a quick pick the item labelled
 * exactly `text` is chosen once it is listed (lists may still be loading); in an input box, or
 * when no item has that label within `pickTimeoutMs`, Enter accepts the text as typed. With
 * `pick`, the item labelled `pick` is chosen instead (e.g. an item the typed text brought up).
 */
export async function quickPickInput(page, text, { pickTimeoutMs = 5_000, pick = text } = {}) {
  const box = page.locator(QUICK_INPUT_OPEN_BOX);
  await box.waitFor({ state: 'visible', timeout: 10_000 });
  await box.fill(text);
  const row = rowLabelled(page, pick);
  const listed = await row.waitFor({ state: 'visible', timeout: pickTimeoutMs }).then(() => true, () => false);
  if (listed) await acceptRow(page, row);
  else await page.keyboard.press('Enter');
}

/**
 * The content frame of a webview panel, ready for getByRole/getByLabel. Without `title` it is
 * the visible (active) webview; with `title` the editor tab of that name is activated first.
 * Webview iframes live outside the editor DOM and hidden ones are not visible, so `:visible`
 * selects the active panel when several are open.
 */
export async function panel(page, title) {
  if (title) await editorTab(page, title).click();
  const iframe = 'iframe.webview.ready:visible';
  await page.locator(iframe).first().waitFor({ state: 'attached', timeout: 15_000 });
  return page.frameLocator(iframe).first().frameLocator('#active-frame');
}

/** The webview ids (from the iframes' addresses) of the webviews in the page now. */
function webviewIds(page) {
  return page.locator('iframe.webview').evaluateAll((frames) => frames.map((frame) => new URL(frame.src).searchParams.get('id')));
}

/**
 * Runs `open`, which opens a new webview panel, and returns that panel's content frame (see
 * `panel`) once it is the visible one. Until then `panel` would find the panel that was active
 * before, which may look just like the new one (the same status, say). VS Code drops the
 * iframes of hidden webviews, so the new one is told apart by its webview id.
 */
export async function openedPanel(page, open, { attempts = 1 } = {}) {
  const before = await webviewIds(page);
  const timeout = Math.round(15_000 / attempts);
  for (let attempt = 1; ; attempt++) {
    await open();
    try {
      await page.waitForFunction((known) => [...document.querySelectorAll('iframe.webview.ready')].some((frame) =>
        frame.checkVisibility() && !known.includes(new URL(frame.src).searchParams.get('id'))), before, { timeout });
      return panel(page);
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

/**
 * Clicks the inline action `name` of the tree row `label`. The row is looked up afresh and
 * hovered first: a tree that re-renders (a file watcher firing twice) replaces its rows, and a
 * click on a replaced row's button does nothing. Pair it with `openedPanel`'s `attempts`.
 */
export async function clickRowAction(page, label, name) {
  const row = treeRow(page, label);
  await row.hover();
  await row.getByRole('button', { name: actionName(name) }).click();
}

/**
 * The accessible name of a view action titled `title`: VS Code appends the command's keybinding,
 * "Connect… (Ctrl+Alt+W)", when it has one.
 */
export function actionName(title) {
  return new RegExp(`^${escapeRegExp(title)}( \\(.+\\))?$`);
}

/**
 * The built-in "Default Dark Modern" / "Default Light Modern" themes (their settings ids); the
 * theme picker of VS Code 1.139 lists them as "Dark Modern" / "Light Modern".
 */
const THEMES = {
  dark: { pickerLabel: 'Dark Modern', workbenchClass: 'vs-dark' },
  light: { pickerLabel: 'Light Modern', workbenchClass: 'vs' },
  'high-contrast': { pickerLabel: 'Dark High Contrast', workbenchClass: 'hc-black' },
  'high-contrast-light': { pickerLabel: 'Light High Contrast', workbenchClass: 'hc-light' },
};

/**
 * Switches the colour theme the way a user does (Preferences: Color Theme, which also stores it
 * in user settings, so it survives reloads) and waits until the workbench shows it. Writing
 * settings.json behind the workbench's back is not picked up live by code-server.
 */
export async function setTheme(page, kind) {
  const theme = THEMES[kind];
  if (!theme) throw new Error(`setTheme: kind must be one of ${Object.keys(THEMES).join(', ')}, not ${kind}`);
  await runCommand(page, 'Preferences: Color Theme');
  await quickPickInput(page, theme.pickerLabel);
  await page.locator(`.monaco-workbench.${theme.workbenchClass}`).waitFor({ state: 'attached', timeout: 15_000 });
}

/**
 * Reloads the window as a user does (Developer: Reload Window, which stores the open editors
 * first, unlike a page reload) and waits for the new workbench and the extension's entry.
 * A fresh extension host; webview panels come back through their serializers.
 */
export async function reloadWindow(page) {
  const loaded = page.waitForEvent('load', { timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window').catch(() => {}); // the page goes away under it
  await loaded;
  await waitForWorkbench(page);
  await waitForExtension(page);
}

/**
 * Waits until the extension's contributions are in the workbench (its activity-bar entry); the
 * workbench renders before the remote extension host has registered them.
 */
export async function waitForExtension(page) {
  await page.locator(ACTIVITY_BAR_ITEM).first().waitFor({ state: 'visible', timeout: 60_000 });
}

/**
 * Cancels a modal dialog that is still open (a test that left one unanswered, or one that came up
 * late) and says so: while it is up the whole workbench is inert. Returns its message, if any.
 */
async function dismissModalDialog(page) {
  const dialog = page.locator('.monaco-dialog-box');
  if (await dialog.count() === 0) return undefined;
  const message = (await dialog.locator('.dialog-message').first().textContent().catch(() => null)) ?? '(no message)';
  const cancel = dialog.getByRole('button', { name: 'Cancel', exact: true });
  if (await cancel.count() > 0) await cancel.first().click();
  else await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached', timeout: 5_000 });
  console.log(`      [workbench] resetWorkbench cancelled a modal dialog that was still open: "${message}"`);
  return message;
}

/** Cancels a modal dialog left open, closes quick inputs and notifications, and all editors. */
export async function resetWorkbench(page) {
  await dismissModalDialog(page);
  for (let i = 0; i < 2; i += 1) await page.keyboard.press('Escape');
  await runCommand(page, 'View: Close All Editors');
}

/**
 * An editor tab whose title is exactly `title` (a panel is titled by its endpoint's name or its
 * host). Exact, because one title can be part of another.
 */
export function editorTab(page, title) {
  return withLabel(page, page.locator('.tabs-container .tab'), title);
}

/**
 * Shows the extension's view container (its activity-bar entry) and waits for the sidebar to
 * show it. The entry is clicked only when our container is not on screen (another one is, or the
 * sidebar is hidden): clicking it while it shows would hide the sidebar.
 */
export async function showEndpointsView(page) {
  const sidebarTitle = page.locator(SIDEBAR_TITLE);
  const ours = sidebarTitle.filter({ hasText: /WEBSOCKET/i });
  // A window can come back from a reload with the sidebar hidden while our container is still
  // the active one: its title is then in the page, hidden. A click on the entry shows it.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (await ours.isVisible().catch(() => false)) return;
    await page.locator(ACTIVITY_BAR_ITEM).first().click();
    try {
      await ours.waitFor({ timeout: 5_000 });
      return;
    } catch {
      // The click hid a sidebar that was showing our container mid-restore: click again.
    }
  }
  await ours.waitFor({ timeout: 5_000 });
}

/**
 * A row of the sidebar tree (the Endpoints view: collections and endpoints) whose label is
 * exactly `label`, first match. Exact, because "Team" is also part of "Team (2)".
 */
export function treeRow(page, label) {
  return withLabel(page, page.locator(TREE_ROWS), label);
}
