/**
 * Settings Sync of the saved collections, only when the user opts in
 * (websocketDebugger.syncEndpoints): globalState keys are synced only once named by
 * setKeysForSync. Secret variable values never travel: they live in SecretStorage, and the synced
 * collections hold them as empty values (environments.ts).
 */
import * as vscode from 'vscode';
import { STORAGE_KEY } from './endpointStore';

export const SYNC_SETTING = 'websocketDebugger.syncEndpoints';

export class EndpointSync implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(private readonly globalState: vscode.Memento & { setKeysForSync(keys: readonly string[]): void }) {
    this.apply();
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SYNC_SETTING)) this.apply();
    });
  }

  /** The keys handed to Settings Sync now, for the integration tests. */
  get syncedKeys(): readonly string[] {
    return this.enabled() ? [STORAGE_KEY] : [];
  }

  private enabled(): boolean {
    return vscode.workspace.getConfiguration().get<boolean>(SYNC_SETTING, false) === true;
  }

  private apply(): void {
    this.globalState.setKeysForSync(this.syncedKeys);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
