import * as vscode from 'vscode';
import type { Collection, Endpoint, Environment, SavedMessage } from '../shared/protocol';
import type { MessagesChange } from '../shared/savedMessages';
import {
  addImportedCollection,
  changeEndpointMessages,
  deleteEndpoint,
  findEndpoint,
  parseStoredCollections,
  renameEndpoint,
  saveEndpoint,
  saveEnvironment,
  selectEnvironment,
} from '../shared/collections';

/** The globalState key of the saved collections (Settings Sync opts into it: endpointSync.ts). */
export const STORAGE_KEY = 'websocketDebugger.collections';

/** Creates ids for endpoints and collections; random so imports never collide with saved ones. */
export function newId(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * Saved collections, kept in `globalState` so they follow the user across workspaces.
 * Every change goes through here so the tree view and all open panels hear about it.
 */
export class EndpointStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Collection[]>();
  readonly onDidChange = this.changed.event;
  /** Serializes writes: each update starts from the state the previous one left. */
  private pending: Promise<unknown> = Promise.resolve();

  constructor(readonly memento: vscode.Memento) {}

  get collections(): Collection[] {
    return parseStoredCollections(this.memento.get(STORAGE_KEY));
  }

  find(endpointId: string): { collection: Collection; endpoint: Endpoint } | undefined {
    return findEndpoint(this.collections, endpointId);
  }

  save(collectionName: string, endpoint: Omit<Endpoint, 'id'>): Promise<Endpoint> {
    return this.update((current) => {
      const result = saveEndpoint(current, collectionName, endpoint, newId);
      return { collections: result.collections, value: result.endpoint };
    });
  }

  rename(endpointId: string, name: string): Promise<void> {
    return this.update((current) => ({ collections: renameEndpoint(current, endpointId, name), value: undefined }));
  }

  delete(endpointId: string): Promise<void> {
    return this.update((current) => ({ collections: deleteEndpoint(current, endpointId), value: undefined }));
  }

  /** Changes an endpoint's saved messages; a refused change (a duplicate name, ...) stores nothing. */
  changeMessages(endpointId: string, change: (messages: readonly SavedMessage[]) => MessagesChange): Promise<MessagesChange> {
    return this.update((current) => {
      const { collections, result } = changeEndpointMessages(current, endpointId, change);
      return { collections, value: result };
    });
  }

  /** Stores an environment (secret values already taken out) and makes it the active one. */
  saveEnvironment(collectionId: string, environment: Environment): Promise<void> {
    return this.update((current) => ({ collections: saveEnvironment(current, collectionId, environment), value: undefined }));
  }

  selectEnvironment(collectionId: string, name: string): Promise<void> {
    return this.update((current) => ({ collections: selectEnvironment(current, collectionId, name), value: undefined }));
  }

  /** Adds an imported collection; a name clash gets a suffix, so nothing saved is overwritten. */
  addImported(collection: Collection): Promise<Collection> {
    return this.update((current) => {
      const collections = addImportedCollection(current, collection);
      const added = collections.find((c) => c.id === collection.id) ?? collection;
      return { collections, value: added };
    });
  }

  private update<T>(change: (current: Collection[]) => { collections: Collection[]; value: T }): Promise<T> {
    const run = this.pending.then(async () => {
      const { collections, value } = change(this.collections);
      await this.memento.update(STORAGE_KEY, collections);
      this.changed.fire(collections);
      return value;
    });
    this.pending = run.catch(() => undefined);
    return run;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
