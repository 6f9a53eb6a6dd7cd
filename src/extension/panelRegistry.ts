import * as vscode from 'vscode';
import type { ConnectionParams } from '../shared/protocol';
import { titleFor } from '../core/panel/panelController';
import { DebuggerPanel, type PanelContext } from './debuggerPanel';

/** Every open debugger panel; each owns its socket, so several connections live side by side. */
export class PanelRegistry implements vscode.Disposable {
  private readonly panels = new Set<DebuggerPanel>();
  private lastActive: DebuggerPanel | undefined;
  /** A panel opened, closed, became active, or its connection or recording changed. */
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: PanelContext) {}

  get all(): readonly DebuggerPanel[] {
    return [...this.panels];
  }

  /** The panel the user looked at last, if it is still open. */
  get active(): DebuggerPanel | undefined {
    return this.lastActive && this.panels.has(this.lastActive) ? this.lastActive : undefined;
  }

  /**
   * Opens a new panel, connecting at once when parameters are given. `untrustedSource`: the
   * parameters come from a file of a workspace the user has not trusted; `endpointId`: the saved
   * or shared endpoint they are, whose messages the panel lists; `connect: false` fills the panel
   * with the parameters without connecting.
   */
  open(params?: ConnectionParams, endpointName?: string, options: { untrustedSource?: boolean; endpointId?: string; connect?: boolean } = {}): DebuggerPanel {
    const title = params ? titleFor(params.url, endpointName) : 'WebSocket Debugger';
    const panel = DebuggerPanel.create(this.ctx, params, title, options.untrustedSource === true, options.endpointId);
    this.track(panel);
    if (params && options.connect !== false) {
      void panel.connect(params, endpointName).then((result) => {
        if (!result.ok) void vscode.window.showErrorMessage(result.error);
      });
    }
    return panel;
  }

  /** Opens a panel with no connection of its own, titled `title` (a flow run's log). */
  openEmpty(title: string): DebuggerPanel {
    const panel = DebuggerPanel.create(this.ctx, undefined, title, false);
    this.track(panel);
    return panel;
  }

  /**
   * Opens a read-only panel for a log recorded elsewhere (a HAR file's): it never connects, and
   * shows `note` above the log. `params` are the recording's, for Export as HAR.
   */
  openRecorded(title: string, params: ConnectionParams, note: string): DebuggerPanel {
    const panel = DebuggerPanel.create(this.ctx, params, title, false, undefined, note);
    this.track(panel);
    return panel;
  }

  revive(webviewPanel: vscode.WebviewPanel, state: unknown): void {
    this.track(DebuggerPanel.revive(this.ctx, webviewPanel, state));
  }

  private track(panel: DebuggerPanel): void {
    this.panels.add(panel);
    this.lastActive = panel;
    panel.panel.onDidChangeViewState((event) => {
      if (event.webviewPanel.active) this.lastActive = panel;
      this.changed.fire();
    });
    panel.onDidChange(() => this.changed.fire());
    panel.onDidDispose(() => {
      this.panels.delete(panel);
      if (this.lastActive === panel) this.lastActive = undefined;
      this.changed.fire();
    });
    this.changed.fire();
  }

  dispose(): void {
    // The emitter stays: deactivate() closes every panel while the registry lives on until
    // VS Code disposes the subscriptions, and panels opened meanwhile must still be heard.
    for (const panel of [...this.panels]) panel.dispose();
    this.panels.clear();
  }
}
