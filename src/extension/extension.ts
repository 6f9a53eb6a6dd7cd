import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { BackoffPolicy } from '../shared/backoff';
import { registerCommands } from './commands';
import { registerHarCommands } from './harCommands';
import type { ConnectionOptions } from '../core/connection';
import { PANEL_VIEW_TYPE } from './debuggerPanel';
import { EndpointStore } from './endpointStore';
import { Environments } from './environments';
import { EndpointsTreeProvider } from './endpointsTree';
import { PanelRegistry } from './panelRegistry';
import { WorkspaceCollections } from './workspaceCollections';
import { FlowDiagnostics } from './flowDiagnostics';
import { FlowTests } from './flowTests';
import { registerRunFlow } from './runFlowCommand';
import { disposeEntryDocuments } from './entryDocuments';
import { DEFAULT_LOG_CAPACITY } from '../shared/messageLog';
import { MockServers } from './mockServers';
import { registerMockCommands } from './mockCommands';
import { installBenchProbe } from './benchProbe';
import { l10n } from '../shared/l10n';
import { ContextKeys } from './contextKeys';
import { registerPanelCommands } from './panelCommands';
import { registerWalkthroughCommands } from './walkthroughCommands';
import { EndpointSync } from './endpointSync';
import { hostOrigin } from './hostOrigin';

/** Reads the connection settings; they apply to connections opened afterwards. */
function connectionOptions(): ConnectionOptions {
  const config = vscode.workspace.getConfiguration('websocketDebugger');
  const timeoutSeconds = config.get<number>('handshakeTimeout', 10);
  const maxMiB = config.get<number>('maxMessageSize', 64);
  return {
    handshakeTimeoutMs: Math.max(1, timeoutSeconds) * 1000,
    maxPayload: Math.max(1, Math.round(maxMiB * 1024 * 1024)),
  };
}

/** How many entries a panel's log keeps; applies to panels opened afterwards. */
function logCapacity(): number {
  const value = vscode.workspace.getConfiguration('websocketDebugger').get<number>('logCapacity', DEFAULT_LOG_CAPACITY);
  return Number.isFinite(value) ? Math.min(10_000_000, Math.max(100, Math.round(value))) : DEFAULT_LOG_CAPACITY;
}

/**
 * Whether plain WebSocket sessions run in a worker thread (websocketDebugger.sessionsInWorker),
 * and whether a proxy may apply to them: VS Code's proxy support patches http/https of the
 * extension host's thread only, so a session that may need a proxy stays on that thread.
 */
function workerSettings(): { enabled: boolean; proxyMayApply: boolean } {
  return {
    enabled: vscode.workspace.getConfiguration('websocketDebugger').get<boolean>('sessionsInWorker', true),
    proxyMayApply: proxyMayApply(),
  };
}

function proxyMayApply(): boolean {
  const http = vscode.workspace.getConfiguration('http');
  if (http.get<string>('proxySupport', 'override') === 'off') return false;
  if ((http.get<string>('proxy') ?? '').trim() !== '') return true;
  for (const name of ['https_proxy', 'http_proxy', 'all_proxy']) {
    if (process.env[name] || process.env[name.toUpperCase()]) return true;
  }
  // On macOS and Windows VS Code also follows the system's proxy settings, which it does not expose.
  return process.platform !== 'linux';
}

/** Reads the auto-reconnect limits; they apply to the next wait. */
function reconnectPolicy(): BackoffPolicy {
  const config = vscode.workspace.getConfiguration('websocketDebugger.reconnect');
  return {
    initialMs: config.get<number>('initialDelay', 1) * 1000,
    maxMs: config.get<number>('maxDelay', 30) * 1000,
    maxAttempts: config.get<number>('maxAttempts', 10),
  };
}

/** What activate() returns: used by the integration tests to look inside. */
export interface WebSocketDebuggerApi {
  readonly panels: PanelRegistry;
  readonly store: EndpointStore;
  readonly workspaceCollections: WorkspaceCollections;
  readonly tree: EndpointsTreeProvider;
  readonly environments: Environments;
  readonly flowTests: FlowTests;
  readonly flowDiagnostics: FlowDiagnostics;
  readonly mocks: MockServers;
  readonly contextKeys: ContextKeys;
  readonly endpointSync: EndpointSync;
  readonly activationMs: number;
}

/** Kept so deactivate() can close every socket even if VS Code disposes subscriptions late. */
let openPanels: PanelRegistry | undefined;
let runningMocks: MockServers | undefined;

export function activate(context: vscode.ExtensionContext): WebSocketDebuggerApi {
  const started = performance.now();
  // Core and shared code (sentences for errors and close codes) translate through the same bundle.
  l10n.configure(vscode.l10n.bundle);
  // A log channel: timestamps and levels, filtered by the user with Developer: Set Log Level.
  const output = vscode.window.createOutputChannel('WebSocket Debugger', { log: true });
  const store = new EndpointStore(context.globalState);
  const environments = new Environments(store, context.secrets);
  const workspaceCollections = new WorkspaceCollections();
  const panels = new PanelRegistry({
    extensionUri: context.extensionUri,
    store,
    workspaceCollections,
    output,
    connectionOptions,
    logCapacity,
    reconnectPolicy,
    workerSettings,
    environments,
  });
  const mocks = new MockServers({ extensionUri: context.extensionUri, output, logCapacity }, store, workspaceCollections);
  runningMocks = mocks;
  const tree = new EndpointsTreeProvider(store, workspaceCollections, mocks);
  const flowTests = new FlowTests({ store, workspace: workspaceCollections, environments, maxPayload: () => connectionOptions().maxPayload });
  const flowDiagnostics = new FlowDiagnostics(workspaceCollections);
  openPanels = panels;
  const contextKeys = new ContextKeys(panels, store, mocks);
  const endpointSync = new EndpointSync(context.globalState);
  const endpointsView = vscode.window.createTreeView('websocketDebugger.endpoints', { treeDataProvider: tree, showCollapseAll: true });

  context.subscriptions.push(
    output,
    store,
    panels,
    tree,
    workspaceCollections,
    flowTests,
    flowDiagnostics,
    mocks,
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (webviewPanel, state) => panels.revive(webviewPanel, state),
    }),
    endpointsView,
    // A file watcher can miss a shared collection file (excluded folders, a file written in
    // several steps); the view reads the files again whenever it is shown.
    endpointsView.onDidChangeVisibility(({ visible }) => {
      if (visible) void workspaceCollections.reload();
    }),
    ...registerCommands({ store, panels, workspace: workspaceCollections }),
    ...registerHarCommands(store, panels),
    registerRunFlow(flowTests, panels),
    ...registerMockCommands(mocks, store, workspaceCollections),
    ...registerPanelCommands(panels),
    ...registerWalkthroughCommands(panels),
    contextKeys,
    endpointSync,
  );
  const probe = installBenchProbe();
  if (probe) context.subscriptions.push(probe);

  const activationMs = performance.now() - started;
  output.info(vscode.l10n.t('WebSocket Debugger activated in {0} ms.', activationMs.toFixed(1)));
  output.info(`${hostOrigin().sentence}.`);
  return { panels, store, workspaceCollections, tree, environments, flowTests, flowDiagnostics, mocks, contextKeys, endpointSync, activationMs };
}

/** Closes every panel, and with it every socket; every mock closes its clients with 1001. */
export async function deactivate(): Promise<void> {
  disposeEntryDocuments();
  openPanels?.dispose();
  openPanels = undefined;
  // Stopped, not disposed: the registry goes with context.subscriptions, and until then it
  // still works (the integration tests call deactivate in a live extension host).
  await runningMocks?.stopAll();
}

