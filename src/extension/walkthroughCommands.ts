/**
 * The commands behind the walkthrough's buttons that no other command does in one step: connect
 * a panel to a fresh echo mock, and share a saved collection as the workspace's
 * .vscode/websocket-debugger.json (opened afterwards, so the user sees what teammates get).
 */
import * as vscode from 'vscode';
import { WORKSPACE_COLLECTION_FILE } from '../core/collectionFile';
import { COMMANDS } from './commandIds';
import type { DebuggerPanel } from './debuggerPanel';
import type { RunningMockServer } from './mockServers';
import type { PanelRegistry } from './panelRegistry';

export function registerWalkthroughCommands(panels: PanelRegistry): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.startEchoMock, async (): Promise<DebuggerPanel | undefined> => {
      const server = await vscode.commands.executeCommand<RunningMockServer | undefined>(COMMANDS.startMockServer, { echo: true });
      if (!server) return undefined;
      return panels.open({ url: server.mock.url, protocols: [], headers: [] }, server.mock.definition.name);
    }),
    vscode.commands.registerCommand(COMMANDS.openWorkspaceCollection, async (collection?: unknown): Promise<vscode.Uri | undefined> => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!folder) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open a folder first: the shared collection is its {0}.', WORKSPACE_COLLECTION_FILE));
        return undefined;
      }
      const target = vscode.Uri.joinPath(folder.uri, WORKSPACE_COLLECTION_FILE);
      const written = await vscode.commands.executeCommand<vscode.Uri | undefined>(COMMANDS.exportCollection, collection, target);
      if (written) await vscode.window.showTextDocument(written, { preview: false });
      return written;
    }),
  ];
}
