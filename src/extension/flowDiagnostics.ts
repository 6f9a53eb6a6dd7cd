/**
 * Mistakes in workspace collection files as diagnostics in the file: what the contributed JSON
 * schema cannot say (an unknown endpoint, a regex that does not compile, a bad JSONPath, two flows
 * with the same name) comes from the same checks that refuse the file on import. Open documents
 * are checked as they are typed; files on disk when the workspace's files are read again.
 */
import * as vscode from 'vscode';
import { fileProblems, positionAt } from '../core/flows/flowFile';
import { WORKSPACE_COLLECTION_FILE } from '../core/collectionFile';
import type { WorkspaceCollections } from './workspaceCollections';

/** Collection files the checks apply to: the workspace file, and `*.wsd.json` and `*.wscollection.json` (what Export proposes) anywhere. */
function isCollectionFile(uri: vscode.Uri): boolean {
  return uri.path.endsWith(`/${WORKSPACE_COLLECTION_FILE}`) || uri.path.endsWith('.wsd.json') || uri.path.endsWith('.wscollection.json');
}

export class FlowDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('websocketDebugger');
  private readonly disposables: vscode.Disposable[] = [];

  constructor(workspace: WorkspaceCollections) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.checkDocument(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.checkDocument(e.document)),
      // A closed document is checked from disk again (its unsaved edits are gone).
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (isCollectionFile(d.uri)) void this.checkFile(d.uri);
      }),
      workspace.onDidChange(() => {
        for (const w of workspace.all) if (!this.isOpen(w.file)) void this.checkFile(w.file);
      }),
    );
    for (const document of vscode.workspace.textDocuments) this.checkDocument(document);
  }

  private isOpen(uri: vscode.Uri): boolean {
    return vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
  }

  private checkDocument(document: vscode.TextDocument): void {
    if (!isCollectionFile(document.uri)) return;
    this.set(document.uri, document.getText(), (offset) => document.positionAt(offset));
  }

  private async checkFile(uri: vscode.Uri): Promise<void> {
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      this.collection.delete(uri);
      return;
    }
    this.set(uri, text, (offset) => {
      const at = positionAt(text, offset);
      return new vscode.Position(at.line, at.character);
    });
  }

  private set(uri: vscode.Uri, text: string, positionAt: (offset: number) => vscode.Position): void {
    // A file that is not ours (no "format") is left to the JSON schema, which is not shown for it either.
    if (!text.includes('websocket-debugger-collection')) {
      this.collection.delete(uri);
      return;
    }
    const diagnostics = fileProblems(text).map((p) => {
      const d = new vscode.Diagnostic(new vscode.Range(positionAt(p.span.start), positionAt(p.span.end)), p.message, vscode.DiagnosticSeverity.Error);
      d.source = 'WebSocket Debugger';
      return d;
    });
    this.collection.set(uri, diagnostics);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
