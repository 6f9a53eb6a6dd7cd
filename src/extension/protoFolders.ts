/**
 * Where a relative .proto path of Decode binary as is looked up: the folder of the collection
 * file that names it (when there is one), then each workspace folder's `.vscode` (where
 * workspace collection files live) and the folder itself.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { WORKSPACE_COLLECTION_FILE } from '../core/collectionFile';

export function protoFolders(collectionFile?: vscode.Uri): string[] {
  const folders: string[] = [];
  if (collectionFile?.scheme === 'file') folders.push(path.dirname(collectionFile.fsPath));
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    folders.push(path.dirname(vscode.Uri.joinPath(folder.uri, WORKSPACE_COLLECTION_FILE).fsPath), folder.uri.fsPath);
  }
  return [...new Set(folders)];
}
