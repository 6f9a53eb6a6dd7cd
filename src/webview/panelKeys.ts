/**
 * The panel's own shortcuts: Ctrl+F (Cmd+F on macOS) goes to the log's filter box, Escape in the
 * filter bar or the message detail goes back to the message log. Ctrl+Enter sends from the
 * composers themselves. A focused webview sees keys before VS Code does (and still passes them
 * on), so only these keys are taken, and only what the page does with them is prevented.
 */
import { l10n } from './l10n';

const isMac = /Mac|iPhone|iPad/.test(navigator.platform);

/** A selector for the element with this accessible name, which is translated like the element's. */
function byLabel(label: string): string {
  return `[aria-label="${CSS.escape(label)}"]`;
}

/** `logSection` holds the filter bar, the message log and the message detail. */
export function installPanelKeys(logSection: HTMLElement): void {
  window.addEventListener('keydown', (event) => {
    if (event.isComposing) return;
    const modifier = isMac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
    // VS Code's own key handler in the webview has already prevented Ctrl+F's browser default
    // (the page's find), so defaultPrevented says nothing here.
    if (modifier && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'f') {
      const filter = filterBox(logSection);
      if (!filter || filter.offsetParent === null) return;
      event.preventDefault();
      filter.focus();
      filter.select();
      return;
    }
    if (event.defaultPrevented) return;
    if (event.key === 'Escape' && !event.ctrlKey && !event.metaKey && !event.altKey && event.target instanceof Element) {
      const target = event.target;
      const inFilter = target.closest('[role="search"]') !== null && logSection.contains(target);
      const inDetail = target.closest(byLabel(l10n.t('Message detail'))) !== null;
      if (!inFilter && !inDetail) return;
      const log = messageLog(logSection);
      if (!log) return;
      // In a search box Escape would also clear the filter; going back keeps it.
      event.preventDefault();
      log.focus();
    }
  });
}

function filterBox(logSection: HTMLElement): HTMLInputElement | null {
  return (
    logSection.querySelector<HTMLInputElement>(`input${byLabel(l10n.t('Filter log'))}`) ??
    logSection.querySelector<HTMLInputElement>('[role="search"] input[type="search"]')
  );
}

function messageLog(logSection: HTMLElement): HTMLElement | null {
  return logSection.querySelector<HTMLElement>(byLabel(l10n.t('Message log')));
}
