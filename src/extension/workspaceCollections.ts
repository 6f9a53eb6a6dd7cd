/**
 * Collections shared through workspace files (`.vscode/websocket-debugger.json` in each folder).
 * They are read-only here: shown in the Endpoints view, reloaded when the file changes, and never
 * connected to by themselves. In an untrusted workspace, connecting to one asks the user first.
 */
import * as vscode from 'vscode';
import type { FlowIssue } from '../shared/flows';
import type { Collection, SharedCollection } from '../shared/protocol';
import { readCollectionFile, WORKSPACE_COLLECTION_FILE, workspaceIds } from '../core/collectionFile';

/** One folder's shared collection, or why it could not be read. */
export interface WorkspaceCollection {
  folder: vscode.WorkspaceFolder;
  file: vscode.Uri;
  collection?: Collection;
  problem?: string;
  /** Flows left out of `collection` for a mistake (the rest of the file still reads), by index in the file. */
  flowIssues?: { index: number; issue: FlowIssue }[];
}

export class WorkspaceCollections implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private current: WorkspaceCollection[] = [];
  private loading: Promise<void> = Promise.resolve();

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${WORKSPACE_COLLECTION_FILE}`);
    const reload = (): void => void this.reload();
    this.disposables.push(
      watcher,
      watcher.onDidCreate(reload),
      watcher.onDidChange(reload),
      watcher.onDidDelete(reload),
      vscode.workspace.onDidChangeWorkspaceFolders(reload),
      // Trust changes what the tree says about these endpoints.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
      this.changed,
    );
    void this.reload();
  }

  get all(): readonly WorkspaceCollection[] {
    return this.current;
  }

  /** The collections that could be read, each with its file as the user knows it (workspace-relative). */
  shared(): SharedCollection[] {
    return this.current.flatMap(({ collection, file }) =>
      collection ? [{ collection, file: vscode.workspace.asRelativePath(file) }] : [],
    );
  }

  /** Resolves once the files as they are now have been read. */
  ready(): Promise<void> {
    return this.loading;
  }

  /** Re-reads every folder's file; files that do not exist are simply absent. */
  reload(): Promise<void> {
    this.loading = this.loading.then(async () => {
      const found: WorkspaceCollection[] = [];
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        const file = vscode.Uri.joinPath(folder.uri, WORKSPACE_COLLECTION_FILE);
        let size: number;
        try {
          size = (await vscode.workspace.fs.stat(file)).size;
        } catch {
          continue;
        }
        try {
          const result = await readCollectionFile(
            { size: async () => size, read: async () => vscode.workspace.fs.readFile(file) },
            workspaceIds(folder.index),
            // A typo in one flow must not hide the file's endpoints and its other flows.
            { keepGoodFlows: true },
          );
          if (!result.ok) found.push({ folder, file, problem: result.error });
          else found.push(result.flowIssues ? { folder, file, collection: result.collection, flowIssues: result.flowIssues } : { folder, file, collection: result.collection });
        } catch (error) {
          found.push({ folder, file, problem: error instanceof Error ? error.message : String(error) });
        }
      }
      this.current = found;
      this.changed.fire();
    });
    return this.loading;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
