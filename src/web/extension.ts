/**
 * The extension's entry on the web extension host (package.json `browser`): vscode.dev,
 * github.dev and code-server's web worker. No Node here, so no `src/core`: the debugger panel
 * runs over the browser's WebSocket (webPanel.ts). Every other command says it needs the
 * desktop (or remote) host instead of failing with "command not found".
 */
import * as vscode from 'vscode';
import { DEFAULT_LOG_CAPACITY } from '../shared/messageLog';
import { l10n } from '../shared/l10n';
import { checkUrl } from '../shared/validation';
import { PANEL_VIEW_TYPE, WebPanel } from './webPanel';

/** What activate() returns, for tests. */
export interface WebSocketDebuggerWebApi {
  readonly panels: ReadonlySet<WebPanel>;
}

const WEB_COMMANDS = new Set(['websocketDebugger.openDebugger', 'websocketDebugger.connect', 'websocketDebugger.disconnect']);

function logCapacity(): number {
  const value = vscode.workspace.getConfiguration('websocketDebugger').get<number>('logCapacity', DEFAULT_LOG_CAPACITY);
  return Number.isFinite(value) ? Math.min(1_000_000, Math.max(100, Math.round(value))) : DEFAULT_LOG_CAPACITY;
}

/** The manifest's when-clause keys this host can act on (the Node host's are in src/extension/contextKeys.ts). */
const KEYS = { panelOpen: 'websocketDebugger.panelOpen', connected: 'websocketDebugger.connected', activePanelConnected: 'websocketDebugger.activePanelConnected' };

function isLive(panel: WebPanel | undefined): boolean {
  const ready = panel?.state.readyState;
  return ready === 'OPEN' || ready === 'CONNECTING';
}

export function activate(context: vscode.ExtensionContext): WebSocketDebuggerWebApi {
  // src/shared and the browser sessions translate through l10n.t: hand them this host's bundle.
  l10n.configure(vscode.l10n.bundle);
  const panels = new Set<WebPanel>();
  let active: WebPanel | undefined;
  const keys = new Map<string, boolean>();
  const setKey = (key: string, value: boolean): void => {
    if (keys.get(key) === value) return;
    keys.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  };
  // Disconnect shows in the palette only while a panel is connected, as on the Node host.
  const updateKeys = (): void => {
    setKey(KEYS.panelOpen, panels.size > 0);
    setKey(KEYS.connected, [...panels].some(isLive));
    setKey(KEYS.activePanelConnected, isLive(active));
  };
  const open = (url?: string): WebPanel => {
    const panel = WebPanel.create(context.extensionUri, url ? { url, protocols: [], headers: [] } : undefined, logCapacity());
    panels.add(panel);
    active = panel;
    panel.panel.onDidChangeViewState(({ webviewPanel }) => {
      if (webviewPanel.active) active = panel;
      updateKeys();
    });
    panel.onDidChangeState(updateKeys);
    panel.onDidDispose(() => {
      panels.delete(panel);
      if (active === panel) active = undefined;
      updateKeys();
    });
    updateKeys();
    return panel;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('websocketDebugger.openDebugger', () => void open()),
    vscode.commands.registerCommand('websocketDebugger.connect', async (url?: unknown) => {
      const target = typeof url === 'string' ? url : await vscode.window.showInputBox({
        title: vscode.l10n.t('Connect to a WebSocket server'),
        prompt: vscode.l10n.t('ws:// or wss:// URL (in the browser, connections leave from this browser)'),
        placeHolder: 'wss://example.com/socket',
        // A webview taking the focus would close it mid-typing otherwise.
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() === '' ? undefined : checkUrl(value.trim()).ok ? undefined : vscode.l10n.t('Enter a ws:// or wss:// URL')),
      });
      if (!target?.trim()) return;
      const panel = open(target.trim());
      const result = panel.connect({ url: target.trim(), protocols: [], headers: [] });
      if (!result.ok) void vscode.window.showErrorMessage(result.error);
    }),
    vscode.commands.registerCommand('websocketDebugger.disconnect', () => active?.disconnect()),
    // Saved collections live in the Node host's stores: the view stays empty, so its welcome
    // text (with its Connect button) shows instead of "no data provider".
    vscode.window.createTreeView('websocketDebugger.endpoints', { treeDataProvider: { getTreeItem: (item: vscode.TreeItem) => item, getChildren: () => [] } }),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      // A panel restored after a reload starts empty (its socket did not survive the reload).
      deserializeWebviewPanel: async (webviewPanel) => webviewPanel.dispose(),
    }),
    { dispose: () => { for (const panel of panels) panel.dispose(); } },
  );
  // The manifest's other commands need Node (files, mock servers, flows, the tree's collections).
  const contributed = (context.extension.packageJSON as { contributes?: { commands?: { command: string; title: string }[] } }).contributes?.commands ?? [];
  for (const { command, title } of contributed) {
    if (WEB_COMMANDS.has(command)) continue;
    context.subscriptions.push(vscode.commands.registerCommand(command, () =>
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} is not available in the browser version of WebSocket Debugger: use VS Code on the desktop (or a remote) for it.', title.replace(/…$/, '')))));
  }
  return { panels };
}

export function deactivate(): void {
  // Panels are disposed through context.subscriptions.
}
