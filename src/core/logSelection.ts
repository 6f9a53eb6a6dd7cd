/**
 * The host's side of the log's selection (Copy, Copy as JSON, Resend, Save as flow): the entries
 * the webview named, looked up in the host's log, which keeps whole messages where the webview
 * may hold previews. Shared by the debugger panel and the mock server panel.
 */
import { clipboardText, type CopyFormat } from '../shared/entryClipboard';
import type { LogEntry } from '../shared/protocol';
import type { MessageLog } from '../shared/messageLog';
import { l10n } from '../shared/l10n';
import type { LogFilesPort } from './panel/panelHost';

/** The entries with these ids the log still keeps, oldest first; ids no longer kept are skipped. */
export function keptEntries(log: MessageLog, ids: readonly number[]): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const id of [...new Set(ids)].sort((a, b) => a - b)) {
    const entry = log.get(id);
    if (entry) entries.push(entry);
  }
  return entries;
}

/** Copies the entries to the clipboard (through the host) and says how many went. */
export async function copyEntries(files: Pick<LogFilesPort, 'copyToClipboard'>, log: MessageLog, ids: readonly number[], as: CopyFormat): Promise<void> {
  const entries = keptEntries(log, ids);
  if (entries.length === 0) {
    await files.copyToClipboard(undefined, l10n.t('The selected entries are no longer in the log: nothing was copied.'));
    return;
  }
  const gone = ids.length - entries.length;
  await files.copyToClipboard(clipboardText(entries, as), copiedNote(entries.length, as, gone));
}

/** "Copied 3 entries as JSON (1 no longer kept)." in whole sentences, one per form. */
function copiedNote(count: number, as: CopyFormat, gone: number): string {
  const json = as === 'json';
  const copied = count === 1
    ? (json ? l10n.t('Copied 1 entry as JSON') : l10n.t('Copied 1 entry'))
    : (json ? l10n.t('Copied {0} entries as JSON', count) : l10n.t('Copied {0} entries', count));
  return gone > 0 ? l10n.t('{0} ({1} no longer kept).', copied, gone) : l10n.t('{0}.', copied);
}
