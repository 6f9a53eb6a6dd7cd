/**
 * The mock servers running in this window: started by WebSocket: Start Mock Server…, listed in the
 * WebSocket view, counted by a status bar item, each with at most one panel. When the collection a
 * mock came from changes, its rules are reloaded (a bad edit keeps the old rules and says why).
 * Everything stops with the window: dispose() closes every client with 1001 (Going Away).
 */
import * as vscode from 'vscode';
import { startMock } from '../core/mock/startMock';
import type { MockEvent, RunningMock, StartMockResult } from '../core/mock/mockTypes';
import { parseMock, type MockDefinition } from '../shared/mockFormat';
import type { MockSource } from '../shared/protocol';
import { visibleText } from '../shared/visibleText';
import { COMMANDS } from './commandIds';
import type { EndpointStore } from './endpointStore';
import { MockPanel, type MockPanelContext } from './mockPanel';
import type { WorkspaceCollections } from './workspaceCollections';

/** Where a running mock's rules come from, so an edit there reloads them. */
export type MockOrigin =
  | { kind: 'user'; collectionId: string }
  | { kind: 'workspace'; folderIndex: number; file: vscode.Uri }
  | { kind: 'echo' };

export interface RunningMockServer {
  /** This window's numbering of its mocks ("1", "2", …), for tree ids. */
  readonly id: string;
  readonly mock: RunningMock;
  readonly origin: MockOrigin;
  /** The definition's JSON as it was read, to see whether an edit changed it. */
  source: string;
  /** The last reload refusal shown, so reading the same bad file again does not repeat it. */
  lastProblem?: string;
  panel?: MockPanel;
}

export class MockServers implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly running = new Map<string, RunningMockServer>();
  private readonly statusItem: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[];
  private count = 0;
  private stopping: Promise<void> | undefined;
  private disposed = false;

  constructor(
    private readonly ctx: MockPanelContext,
    private readonly store: EndpointStore,
    private readonly workspace: WorkspaceCollections,
  ) {
    this.statusItem = vscode.window.createStatusBarItem('websocketDebugger.mocks', vscode.StatusBarAlignment.Left, 50);
    this.statusItem.name = vscode.l10n.t('WebSocket Mock Servers');
    this.statusItem.command = COMMANDS.showMockServers;
    this.subscriptions = [
      this.statusItem,
      store.onDidChange(() => this.sourcesChanged()),
      workspace.onDidChange(() => this.sourcesChanged()),
    ];
  }

  get all(): readonly RunningMockServer[] {
    return [...this.running.values()];
  }

  /** Starts `definition`; the caller has asked the user whatever needed asking (`allowNonLoopback`). */
  async start(definition: MockDefinition, origin: MockOrigin, source: unknown, allowNonLoopback = false): Promise<StartMockResult & { server?: RunningMockServer }> {
    if (this.disposed) return { ok: false, code: 'listen-failed', error: vscode.l10n.t('The extension is shutting down') };
    const started = await startMock(definition, { allowNonLoopback, logCapacity: this.ctx.logCapacity() });
    if (!started.ok) return started;
    const server: RunningMockServer = { id: String(++this.count), mock: started.mock, origin, source: JSON.stringify(source) };
    if (this.disposed) {
      // VS Code shut the extension down while the mock was starting.
      await started.mock.stop();
      return { ok: false, code: 'listen-failed', error: vscode.l10n.t('The extension is shutting down') };
    }
    this.running.set(server.id, server);
    started.mock.onEvent((event: MockEvent) => {
      if (event.type === 'connected' || event.type === 'disconnected') this.changed.fire();
    });
    this.ctx.output.info(vscode.l10n.t('Mock "{0}" listening on {1}', definition.name, started.mock.url));
    this.update();
    return { ...started, server };
  }

  /** Opens (or shows) the mock's panel. */
  showPanel(server: RunningMockServer): MockPanel {
    if (server.panel) {
      server.panel.reveal();
      return server.panel;
    }
    const panel = new MockPanel(this.ctx, server.mock);
    server.panel = panel;
    if (!this.running.has(server.id)) panel.stopped();
    panel.onDidDispose(() => {
      if (server.panel === panel) server.panel = undefined;
    });
    return panel;
  }

  /** Closes every client with 1001, then the listener. The panel stays, saying the mock stopped. */
  async stop(server: RunningMockServer): Promise<void> {
    if (!this.running.delete(server.id)) return;
    this.update();
    await server.mock.stop();
    server.panel?.stopped();
    this.ctx.output.info(vscode.l10n.t('Mock "{0}" stopped', server.mock.definition.name));
  }

  stopAll(): Promise<void> {
    this.stopping ??= Promise.all(this.all.map((server) => this.stop(server))).then(() => undefined);
    return this.stopping.finally(() => (this.stopping = undefined));
  }

  /** A collection changed: each mock whose definition changed gets the new rules, or the refusal. */
  private sourcesChanged(): void {
    for (const server of this.running.values()) {
      const found = this.currentSource(server);
      if (!found) continue;
      if ('problem' in found) {
        this.refuse(server, found.problem);
        continue;
      }
      const json = JSON.stringify(found.raw);
      if (json === server.source) continue;
      const parsed = parseMock(found.raw, found.index);
      const result = parsed.ok ? server.mock.reload({ ...parsed.mock, host: server.mock.definition.host, port: server.mock.definition.port }) : parsed;
      if (!result.ok) {
        this.refuse(server, result.error);
        continue;
      }
      server.source = json;
      server.lastProblem = undefined;
      this.ctx.output.info(vscode.l10n.t('Mock "{0}": rules reloaded', server.mock.definition.name));
    }
  }

  private refuse(server: RunningMockServer, problem: string): void {
    if (server.lastProblem === problem) return;
    server.lastProblem = problem;
    const message = vscode.l10n.t('Mock "{0}" keeps its running rules: {1}', server.mock.definition.name, problem);
    this.ctx.output.error(message);
    void vscode.window.showErrorMessage(visibleText(message));
  }

  /** The mock's definition as its collection holds it now (by name), or why it cannot be read. */
  private currentSource(server: RunningMockServer): { raw: MockSource; index: number } | { problem: string } | undefined {
    const name = server.mock.definition.name;
    const origin = server.origin;
    let mocks: readonly MockSource[] | undefined;
    if (origin.kind === 'echo') return undefined;
    if (origin.kind === 'user') {
      mocks = this.store.collections.find((c) => c.id === origin.collectionId)?.mocks;
    } else {
      const shared = this.workspace.all.find((w) => w.folder.index === origin.folderIndex);
      // A file that is gone (or moved) leaves the mock as it is; one that no longer reads says why.
      if (!shared) return undefined;
      if (shared.problem !== undefined) return { problem: `${vscode.workspace.asRelativePath(shared.file)}: ${shared.problem}` };
      mocks = shared.collection?.mocks;
    }
    const index = (mocks ?? []).findIndex((m) => m.name === name);
    return index < 0 ? undefined : { raw: (mocks as MockSource[])[index] as MockSource, index };
  }

  private update(): void {
    if (this.disposed) return;
    const n = this.running.size;
    if (n === 0) {
      this.statusItem.hide();
    } else {
      this.statusItem.text = `$(radio-tower) ${n === 1 ? vscode.l10n.t('1 mock') : vscode.l10n.t('{0} mocks', n)}`;
      this.statusItem.tooltip = vscode.l10n.t('WebSocket mock servers running: {0}', this.all.map((s) => `${s.mock.definition.name} (${s.mock.url})`).join(', '));
      this.statusItem.accessibilityInformation = { label: n === 1 ? vscode.l10n.t('1 WebSocket mock server running') : vscode.l10n.t('{0} WebSocket mock servers running', n) };
      this.statusItem.show();
    }
    this.changed.fire();
  }

  /** Stops every mock (clients get 1001); resolves once they are closed. */
  dispose(): Promise<void> {
    if (this.disposed) return this.stopping ?? Promise.resolve();
    const servers = this.all;
    const stopped = this.stopAll();
    this.disposed = true;
    for (const server of servers) server.panel?.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
    return stopped;
  }
}
