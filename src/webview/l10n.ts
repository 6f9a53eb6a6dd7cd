/**
 * The webview's translations: the host writes its `vscode.l10n.bundle` into the page (see
 * webviewHtml in src/extension/debuggerPanel.ts), and this module hands it to src/shared/l10n.ts
 * when it is first imported, before any module that imports it builds its DOM. Every webview
 * string goes through `l10n.t`; with no bundle (English, or a page without one) the English text
 * is used.
 */
import { L10N_ELEMENT_ID, l10n, type L10nContents } from '../shared/l10n';

/** The page's bundle, if it is a JSON object of strings; anything else is ignored (English). */
export function readPageBundle(doc: Pick<Document, 'getElementById'>): L10nContents | undefined {
  const text = doc.getElementById(L10N_ELEMENT_ID)?.textContent;
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const entries = Object.entries(parsed as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
    return Object.fromEntries(entries);
  } catch {
    return undefined;
  }
}

l10n.configure(typeof document === 'undefined' ? undefined : readPageBundle(document));

export { l10n };
