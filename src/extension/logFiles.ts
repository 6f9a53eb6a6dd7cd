/**
 * The panel's file actions on its log: Record to file (NDJSON, streamed as entries arrive),
 * Export as HAR (the whole log, secrets and cookies stripped unless kept), and, for one entry, opening its whole payload in an editor or saving its bytes to a file.
 * Large messages reach the webview only as a preview; these read the full entry from the host's log.
 */
import { homedir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { payloadBytes, renderPayload } from '../shared/codecs';
import type { LogEntry } from '../shared/protocol';
import { entryDocuments } from './entryDocuments';
import type { LogPipeline } from '../core/logPipeline';
import { NdjsonRecorder } from '../core/ndjsonRecorder';
import { writeHar, type HarSession } from '../core/har/harWriter';
import type { HarExportChoices } from '../core/panel/panelHost';

const EXTENSION_ID = 'websocket-debugger.websocket-debugger';

/** Beyond this many bytes a binary message is not opened as a hex dump: save it instead. */
const MAX_OPEN_BINARY_BYTES = 1024 * 1024;

export class LogFiles {
  private recorder: NdjsonRecorder | undefined;

  constructor(
    private readonly pipeline: LogPipeline,
    private readonly panel: vscode.WebviewPanel,
    private readonly output: vscode.LogOutputChannel,
    private readonly onRecording: (file: string | undefined) => void,
  ) {}

  /** The file being recorded to, if any. */
  get file(): string | undefined {
    return this.recorder?.file;
  }

  /** Asks where to record, then streams every new entry there until stop(). */
  async start(): Promise<void> {
    if (this.recorder) return;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const target = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Record the message log to a file'),
      saveLabel: vscode.l10n.t('Record'),
      defaultUri: this.defaultUri(`websocket-log-${stamp}.ndjson`, true),
      filters: { [vscode.l10n.t('NDJSON log')]: ['ndjson', 'jsonl'], [vscode.l10n.t('All files')]: ['*'] },
    });
    if (!target || this.recorder) return;
    if (target.scheme !== 'file') {
      // A remote workspace seen from the UI side (extensionKind "ui"): the recorder streams with
      // Node's fs on this computer, which cannot append to the remote's files.
      void vscode.window.showErrorMessage(vscode.l10n.t('Record to file needs a file on this computer, where the extension runs: choose one with "Show Local" in the dialog.'));
      return;
    }
    let recorder: NdjsonRecorder;
    try {
      recorder = await NdjsonRecorder.open(target.fsPath, (error) => {
        void vscode.window.showErrorMessage(vscode.l10n.t('Recording to {0} failed: {1}', target.fsPath, error.message));
        void this.stop();
      });
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot record to {0}: {1}', target.fsPath, error instanceof Error ? error.message : String(error)));
      return;
    }
    this.recorder = recorder;
    this.pipeline.setSink(recorder);
    this.output.info(vscode.l10n.t('Recording the log of "{0}" to {1}.', this.panel.title, recorder.file));
    this.onRecording(recorder.file);
  }

  async stop(): Promise<void> {
    const recorder = this.recorder;
    if (!recorder) return;
    this.recorder = undefined;
    this.pipeline.setSink(undefined);
    await recorder.close();
    this.output.info(recorder.count === 1 ? vscode.l10n.t('Recorded 1 entry to {0}.', recorder.file) : vscode.l10n.t('Recorded {0} entries to {1}.', recorder.count, recorder.file));
    this.onRecording(undefined);
  }

  /** Opens the whole payload of one entry in a read-only editor (decoded JSON, text, JSON or a hex dump). */
  async openEntry(id: number): Promise<void> {
    const entry = this.entry(id);
    const payload = entry?.payload;
    if (!payload) return;
    // A decoded message opens as its decoded JSON, which the editor folds as a tree.
    if (entry.decoded?.json !== undefined) {
      await entryDocuments().open(`entry-${id}.json`, entry.decoded.json);
      return;
    }
    if (payload.kind === 'binary' && entry.size > MAX_OPEN_BINARY_BYTES) {
      const choice = await vscode.window.showInformationMessage(
        vscode.l10n.t('Entry {0} is {1} bytes of binary data, too much for a hex dump.', id, entry.size),
        vscode.l10n.t('Save to file'),
      );
      if (choice) await this.saveEntry(id);
      return;
    }
    const json = payload.kind === 'text' && looksLikeJson(payload.text);
    const content = payload.kind === 'text' ? (json ? renderPayload(payload, 'json').text : payload.text) : renderPayload(payload, 'hex').text;
    await entryDocuments().open(`entry-${id}.${json ? 'json' : 'txt'}`, content);
  }

  /** Saves the exact bytes of one entry's payload to a file the user picks. */
  async saveEntry(id: number): Promise<void> {
    const entry = this.entry(id);
    if (!entry?.payload) return;
    const extension = entry.payload.kind === 'text' ? 'txt' : 'bin';
    const target = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Save the payload of entry {0}', id),
      defaultUri: this.defaultUri(`message-${id}.${extension}`),
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, payloadBytes(entry.payload));
    this.output.info(vscode.l10n.t('Saved the payload of entry {0} ({1} bytes) to {2}.', id, entry.size, target.fsPath));
  }

  /** Copy / Copy as JSON of the log's selection: VS Code's clipboard, a note in the status bar. */
  async copyToClipboard(text: string | undefined, note: string): Promise<void> {
    if (text === undefined) {
      void vscode.window.showWarningMessage(note);
      return;
    }
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(note, 5000);
  }

  /**
   * "Export as HAR…": a quick pick for what to keep (cookies, secret values; neither by default),
   * then the save dialog, which asks before it replaces a file. `choices` skips the pick (tests).
   */
  async exportHar(sessions: HarSession[], secrets: { name: string; value: string }[], title: string, choices?: HarExportChoices): Promise<string | undefined> {
    const keep = choices ?? (await pickHarKeep(secrets.length > 0));
    if (!keep) return undefined;
    const safeName = title.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'websocket';
    const target =
      (keep.file !== undefined ? vscode.Uri.file(keep.file) : undefined) ??
      (await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Export the log of "{0}" as HAR', title),
        saveLabel: vscode.l10n.t('Export'),
        defaultUri: this.defaultUri(`${safeName}.har`),
        filters: { [vscode.l10n.t('HAR files')]: ['har'], [vscode.l10n.t('All files')]: ['*'] },
      }));
    if (!target) return undefined;
    const written = writeHar(sessions, {
      creator: { name: 'WebSocket Debugger', version: String((vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { version?: unknown } | undefined)?.version ?? '') },
      secrets,
      keepCookies: keep.keepCookies,
      keepSecrets: keep.keepSecrets,
    });
    try {
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(written.text));
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot export as HAR to {0}: {1}', target.fsPath, error instanceof Error ? error.message : String(error)));
      return undefined;
    }
    const summary = harSummary(written.messages, sessions.length, path.basename(target.fsPath));
    const stripped = written.notes.length > 0 ? written.notes.join(' ') : vscode.l10n.t('Nothing was stripped.');
    this.output.info(`${summary} ${stripped}`);
    void vscode.window.showInformationMessage(`${summary} ${stripped}`);
    return target.fsPath;
  }

  private entry(id: number): LogEntry | undefined {
    const entry = this.pipeline.log.get(id);
    if (!entry) void vscode.window.showWarningMessage(vscode.l10n.t('Entry {0} is no longer in the log.', id));
    return entry;
  }

  /**
   * In the first workspace folder, else the home folder. `local`: the file is written with Node,
   * so a remote workspace folder seen from the UI side (a vscode-remote URI) gives way to the
   * home folder of this computer, and the dialog opens on this computer's files.
   */
  private defaultUri(name: string, local = false): vscode.Uri | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    return folder && (!local || folder.scheme === 'file') ? vscode.Uri.joinPath(folder, name) : vscode.Uri.file(path.join(homedir(), name));
  }
}

async function pickHarKeep(hasSecrets: boolean): Promise<HarExportChoices | undefined> {
  const items: (vscode.QuickPickItem & { key: 'cookies' | 'secrets' })[] = [
    { key: 'cookies', label: vscode.l10n.t('Keep cookies'), description: vscode.l10n.t('the Cookie and Set-Cookie headers') },
    { key: 'secrets', label: vscode.l10n.t('Keep secret values'), description: hasSecrets ? vscode.l10n.t('otherwise each becomes its {0}', '{{name}}') : vscode.l10n.t('this environment has no secret variables') },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Export as HAR: keep anything that is stripped by default?'),
    placeHolder: vscode.l10n.t('Leave both unchecked to strip cookies and secret values, then press Enter'),
    canPickMany: true,
  });
  if (!picked) return undefined;
  return { keepCookies: picked.some((p) => p.key === 'cookies'), keepSecrets: picked.some((p) => p.key === 'secrets') };
}

/** One sentence per plural form: the counts decide the words, not a trailing "s". */
function harSummary(messages: number, connections: number, file: string): string {
  if (connections === 1) {
    return messages === 1
      ? vscode.l10n.t('Exported 1 message of 1 connection as HAR to {0}.', file)
      : vscode.l10n.t('Exported {0} messages of 1 connection as HAR to {1}.', messages, file);
  }
  return messages === 1
    ? vscode.l10n.t('Exported 1 message of {0} connections as HAR to {1}.', connections, file)
    : vscode.l10n.t('Exported {0} messages of {1} connections as HAR to {2}.', messages, connections, file);
}

function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
