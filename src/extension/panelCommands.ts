/**
 * The commands that act on the debugger panel in front (its editor title, the keybindings, the
 * palette while a panel is open): Connect, Send, Record to File, Stop Recording, Clear Log. The
 * panel is the active one, else the one looked at last; without one they say so.
 */
import * as vscode from 'vscode';
import { COMMANDS } from './commandIds';
import type { DebuggerPanel } from './debuggerPanel';
import type { PanelRegistry } from './panelRegistry';

export function registerPanelCommands(panels: PanelRegistry): vscode.Disposable[] {
  const withPanel = (act: (panel: DebuggerPanel) => unknown) => async () => {
    const panel = panels.active ?? panels.all[0];
    if (!panel) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a debugger panel first (WebSocket: Connect…).'));
      return;
    }
    await act(panel);
  };
  return [
    vscode.commands.registerCommand(COMMANDS.connectPanel, withPanel((panel) => {
      panel.reveal();
      panel.runPageAction('connect');
    })),
    vscode.commands.registerCommand(COMMANDS.send, withPanel((panel) => panel.runPageAction('send'))),
    vscode.commands.registerCommand(COMMANDS.recordToFile, withPanel((panel) => panel.recordToFile())),
    vscode.commands.registerCommand(COMMANDS.stopRecording, withPanel((panel) => panel.stopRecording())),
    vscode.commands.registerCommand(COMMANDS.clearLog, withPanel((panel) => panel.clearLog())),
  ];
}
