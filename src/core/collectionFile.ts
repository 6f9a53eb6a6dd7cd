/**
 * Reading a collection file to import it, free of `vscode` so it is tested against real files:
 * the size is checked before a byte is read, the bytes must be UTF-8, then the shared parser
 * checks the content. Every refusal is a sentence for the user.
 */
import { importCollection, type ImportOptions, type ImportResult } from '../shared/collections';
import { l10n } from '../shared/l10n';

/** Collection files larger than this are refused before they are read. */
export const MAX_COLLECTION_FILE_BYTES = 5 * 1024 * 1024;

/** How the file is reached: the extension passes vscode.workspace.fs, tests pass node:fs. */
export interface CollectionFileAccess {
  size(): Promise<number>;
  read(): Promise<Uint8Array>;
}

export type CollectionFileResult = ImportResult;

function tooBig(size: number): CollectionFileResult {
  const limit = MAX_COLLECTION_FILE_BYTES / 1024 / 1024;
  const error = size >= 1024 * 1024
    ? l10n.t('it is {0} MB; collection files are at most {1} MB', (size / 1024 / 1024).toFixed(1), limit)
    : l10n.t('it is {0} bytes; collection files are at most {1} MB', size, limit);
  return { ok: false, error };
}

export async function readCollectionFile(file: CollectionFileAccess, newId: () => string, options: ImportOptions = {}): Promise<CollectionFileResult> {
  const size = await file.size();
  if (size > MAX_COLLECTION_FILE_BYTES) return tooBig(size);
  const bytes = await file.read();
  // The file may have grown between the size check and the read.
  if (bytes.byteLength > MAX_COLLECTION_FILE_BYTES) return tooBig(bytes.byteLength);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, error: l10n.t('the file is not UTF-8 text') };
  }
  return importCollection(text, newId, options);
}

/** Where a workspace folder keeps the collection it shares with everyone who opens it. */
export const WORKSPACE_COLLECTION_FILE = '.vscode/websocket-debugger.json';

/**
 * Ids for the endpoints of a workspace file: stable across reloads of the same file, so the tree
 * keeps its state, and prefixed so they can never match an id in the user's saved collections.
 */
export function workspaceIds(folderIndex: number): () => string {
  let n = 0;
  return () => `workspace:${folderIndex}:${n++}`;
}
