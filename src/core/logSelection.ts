/**
 * The host's side of the log's selection (Copy, Copy as JSON, Resend, Save as flow): the entries
 * the webview named, looked up in the host's log, which keeps whole messages where the webview
 * may hold previews. Shared by the debugger panel and the mock server panel.
 */
import { clipboardText, type CopyFormat } from '../shared/entryClipboard';
import type { LogEntry } from '../shared/protocol';
import type { MessageLog } from '../shared/messageLog';
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
    await files.copyToClipboard(undefined, 'The selected entries are no longer in the log: nothing was copied.');
    return;
  }
  const gone = ids.length - entries.length;
  const what = `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}${as === 'json' ? ' as JSON' : ''}`;
  await files.copyToClipboard(clipboardText(entries, as), `Copied ${what}${gone > 0 ? ` (${gone} no longer kept)` : ''}.`);
}
