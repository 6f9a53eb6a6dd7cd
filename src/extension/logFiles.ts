/**
 * The panel's file actions on its log: Record to file (NDJSON, streamed as entries arrive),
 * and, for one entry, opening its whole payload in an editor or saving its bytes to a file.
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
      defaultUri: this.defaultUri(`websocket-log-${stamp}.ndjson`),
      filters: { 'NDJSON log': ['ndjson', 'jsonl'], 'All files': ['*'] },
    });
    if (!target || this.recorder) return;
    if (target.scheme !== 'file') {
      void vscode.window.showErrorMessage('Record to file needs a file on this machine.');
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

  private entry(id: number): LogEntry | undefined {
    const entry = this.pipeline.log.get(id);
    if (!entry) void vscode.window.showWarningMessage(`Entry ${id} is no longer in the log.`);
    return entry;
  }

  private defaultUri(name: string): vscode.Uri | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    return folder ? vscode.Uri.joinPath(folder, name) : vscode.Uri.file(path.join(homedir(), name));
  }
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
