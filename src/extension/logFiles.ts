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
    private readonly output: vscode.OutputChannel,
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
      title: 'Record the message log to a file',
      saveLabel: 'Record',
      defaultUri: this.defaultUri(`websocket-log-${stamp}.ndjson`, true),
      filters: { 'NDJSON log': ['ndjson', 'jsonl'], 'All files': ['*'] },
    });
    if (!target || this.recorder) return;
    if (target.scheme !== 'file') {
      // A remote workspace seen from the UI side (extensionKind "ui"): the recorder streams with
      // Node's fs on this computer, which cannot append to the remote's files.
      void vscode.window.showErrorMessage('Record to file needs a file on this computer, where the extension runs: choose one with "Show Local" in the dialog.');
      return;
    }
    let recorder: NdjsonRecorder;
    try {
      recorder = await NdjsonRecorder.open(target.fsPath, (error) => {
        void vscode.window.showErrorMessage(`Recording to ${target.fsPath} failed: ${error.message}`);
        void this.stop();
      });
    } catch (error) {
      void vscode.window.showErrorMessage(`Cannot record to ${target.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.recorder = recorder;
    this.pipeline.setSink(recorder);
    this.output.appendLine(`Recording the log of "${this.panel.title}" to ${recorder.file}.`);
    this.onRecording(recorder.file);
  }

  async stop(): Promise<void> {
    const recorder = this.recorder;
    if (!recorder) return;
    this.recorder = undefined;
    this.pipeline.setSink(undefined);
    await recorder.close();
    this.output.appendLine(`Recorded ${recorder.count} entries to ${recorder.file}.`);
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
        `Entry ${id} is ${entry.size} bytes of binary data, too much for a hex dump.`,
        'Save to file',
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
      title: `Save the payload of entry ${id}`,
      defaultUri: this.defaultUri(`message-${id}.${extension}`),
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, payloadBytes(entry.payload));
    this.output.appendLine(`Saved the payload of entry ${id} (${entry.size} bytes) to ${target.fsPath}.`);
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
        title: `Export the log of "${title}" as HAR`,
        saveLabel: 'Export',
        defaultUri: this.defaultUri(`${safeName}.har`),
        filters: { 'HAR files': ['har'], 'All files': ['*'] },
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
      void vscode.window.showErrorMessage(`Cannot export as HAR to ${target.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const summary = `Exported ${written.messages} message${written.messages === 1 ? '' : 's'} of ${sessions.length} connection${sessions.length === 1 ? '' : 's'} as HAR to ${path.basename(target.fsPath)}.`;
    const stripped = written.notes.length > 0 ? written.notes.join(' ') : 'Nothing was stripped.';
    this.output.appendLine(`${summary} ${stripped}`);
    void vscode.window.showInformationMessage(`${summary} ${stripped}`);
    return target.fsPath;
  }

  private entry(id: number): LogEntry | undefined {
    const entry = this.pipeline.log.get(id);
    if (!entry) void vscode.window.showWarningMessage(`Entry ${id} is no longer in the log.`);
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
    { key: 'cookies', label: 'Keep cookies', description: 'the Cookie and Set-Cookie headers' },
    { key: 'secrets', label: 'Keep secret values', description: hasSecrets ? 'otherwise each becomes its {{name}}' : 'this environment has no secret variables' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Export as HAR: keep anything that is stripped by default?',
    placeHolder: 'Leave both unchecked to strip cookies and secret values, then press Enter',
    canPickMany: true,
  });
  if (!picked) return undefined;
  return { keepCookies: picked.some((p) => p.key === 'cookies'), keepSecrets: picked.some((p) => p.key === 'secrets') };
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
