/**
 * Read-only editors for whole log entries. "Open entry N in an editor" shows the entry under its
 * own URI scheme instead of as an untitled document, so closing the editor never asks to save,
 * and the text is never mistaken for a file of the workspace.
 */
import * as vscode from 'vscode';

export const ENTRY_SCHEME = 'websocket-debugger-entry';

class EntryDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private opened = 0;
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.disposables = [
      vscode.workspace.registerTextDocumentContentProvider(ENTRY_SCHEME, this),
      // The text is kept only while its editor is open.
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.uri.scheme === ENTRY_SCHEME) this.contents.delete(document.uri.toString());
      }),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? vscode.l10n.t('This entry is no longer open here: open it again from the message log.');
  }

  /** Shows `content` beside the panel, titled `name` (its extension picks the language). */
  async open(name: string, content: string): Promise<void> {
    this.opened += 1;
    const uri = vscode.Uri.from({ scheme: ENTRY_SCHEME, path: `/${this.opened}/${name}` });
    this.contents.set(uri.toString(), content);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.contents.clear();
  }
}

let documents: EntryDocuments | undefined;

/** The one provider, registered when an entry is first opened. */
export function entryDocuments(): EntryDocuments {
  documents ??= new EntryDocuments();
  return documents;
}

/** For deactivate(): unregisters the provider and forgets the open texts. */
export function disposeEntryDocuments(): void {
  documents?.dispose();
  documents = undefined;
}
