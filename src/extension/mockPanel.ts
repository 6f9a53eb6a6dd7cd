/**
 * A running mock server's panel: the webview (src/webview/mockMain.ts) and the VS Code side of its
 * MockPanelController, which holds the logic. Closing the panel leaves the mock running (Stop is
 * in the WebSocket view and the status bar); a stopped mock's panel keeps its log.
 */
import * as vscode from 'vscode';
import { MockPanelController } from '../core/mock/mockPanelController';
import type { RunningMock } from '../core/mock/mockTypes';
import type { LogEntry } from '../shared/protocol';
import { DebuggerPanel, webviewHtml } from './debuggerPanel';
import { LogFiles } from './logFiles';

export const MOCK_PANEL_VIEW_TYPE = 'websocketDebugger.mockPanel';

export interface MockPanelContext {
  extensionUri: vscode.Uri;
  output: vscode.LogOutputChannel;
  logCapacity(): number;
}

export class MockPanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  readonly controller: MockPanelController;
  private readonly files: LogFiles;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposedEmitter.event;

  constructor(
    ctx: MockPanelContext,
    readonly mock: RunningMock,
  ) {
    const title = vscode.l10n.t('Mock: {0}', mock.definition.name);
    this.panel = vscode.window.createWebviewPanel(MOCK_PANEL_VIEW_TYPE, title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: DebuggerPanel.resourceRoots(ctx.extensionUri),
    });
    const panel = this.panel;
    const files = (): LogFiles => this.files;
    this.controller = new MockPanelController(
      {
        post: (message) => void panel.webview.postMessage(message),
        log: (line, level = 'info') => ctx.output[level](line),
        get files() {
          return files();
        },
      },
      mock,
      title,
      ctx.logCapacity(),
    );
    this.files = new LogFiles(this.controller.pipeline, panel, ctx.output, (file) => this.controller.recordingChanged(file));
    panel.iconPath = vscode.Uri.joinPath(ctx.extensionUri, 'media', 'panel-icon.svg');
    panel.webview.html = webviewHtml(panel.webview, ctx.extensionUri, 'mockPanel.js');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => this.controller.receive(message)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.controller.hidden();
      }),
    );
  }

  /** The entries the panel's log holds (the chosen view), for tests. */
  get entries(): LogEntry[] {
    return this.controller.entries;
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** The mock stopped: the panel says so and keeps its log. */
  stopped(): void {
    this.controller.stopped();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    void this.files.stop();
    this.controller.dispose();
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
    this.disposedEmitter.fire();
    this.disposedEmitter.dispose();
  }
}
