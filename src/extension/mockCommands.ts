/**
 * The mock server commands: WebSocket: Start Mock Server… (a mock of the collections, or an echo
 * mock on a free port), Stop, Copy URL and Open (from the WebSocket view), and the status bar
 * item's list. A mock from a workspace file starts in Restricted Mode only after the user says so;
 * listening beyond loopback asks first, whatever the file.
 */
import * as vscode from 'vscode';
import { parseMock, type MockDefinition } from '../shared/mockFormat';
import type { MockSource } from '../shared/protocol';
import { visibleText } from '../shared/visibleText';
import { COMMANDS } from './commandIds';
import type { EndpointStore } from './endpointStore';
import type { EndpointsTreeNode } from './endpointsTree';
import type { MockOrigin, MockServers, RunningMockServer } from './mockServers';
import type { WorkspaceCollections } from './workspaceCollections';

/** The quick echo mock: every message back as it came, on a port the system picks. */
const ECHO_MOCK: MockSource = { name: 'Echo', kind: 'websocket', host: '127.0.0.1', port: 0, fallback: 'echo', rules: [] };

/** The echo mock, named "Echo", or "Echo 2", … while others run, so panels and rows tell them apart. */
function echoMock(mocks: MockServers): MockSource {
  const names = new Set(mocks.all.map((s) => s.mock.definition.name));
  let name = 'Echo';
  for (let n = 2; names.has(name); n++) name = `Echo ${n}`;
  return { ...ECHO_MOCK, name };
}

interface MockChoice {
  raw: MockSource;
  index: number;
  origin: MockOrigin;
  /** Where it comes from, as the user knows it. */
  from: string;
}

/**
 * What the Start command may be given instead of asking: `{ echo: true }`, or a mock by name of a
 * saved collection (`collectionId`) or of a workspace folder's file (`workspaceFolder`).
 */
export type StartMockArgument = { echo: true } | { mock: string; collectionId?: string; workspaceFolder?: number };

export function registerMockCommands(mocks: MockServers, store: EndpointStore, workspace: WorkspaceCollections): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.startMockServer, (arg?: unknown) => startMockServer(mocks, store, workspace, arg)),
    vscode.commands.registerCommand(COMMANDS.stopMockServer, async (arg?: unknown) => {
      const server = serverOf(mocks, arg) ?? (await pickRunning(mocks, vscode.l10n.t('Stop which mock server?')));
      if (server) await mocks.stop(server);
    }),
    vscode.commands.registerCommand(COMMANDS.copyMockUrl, async (arg?: unknown) => {
      const server = serverOf(mocks, arg) ?? (await pickRunning(mocks, vscode.l10n.t('Copy the URL of which mock server?')));
      if (!server) return;
      await vscode.env.clipboard.writeText(server.mock.url);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', server.mock.url), 3000);
    }),
    vscode.commands.registerCommand(COMMANDS.openMockPanel, async (arg?: unknown) => {
      const server = serverOf(mocks, arg) ?? (await pickRunning(mocks, vscode.l10n.t('Open the panel of which mock server?')));
      return server ? mocks.showPanel(server) : undefined;
    }),
    vscode.commands.registerCommand(COMMANDS.showMockServers, async () => {
      const server = await pickRunning(mocks, vscode.l10n.t('Running mock servers: pick one to open its panel'));
      if (server) mocks.showPanel(server);
    }),
  ];
}

/** The running mock a tree node (or a test's id) names. */
function serverOf(mocks: MockServers, arg: unknown): RunningMockServer | undefined {
  if (typeof arg === 'string') return mocks.all.find((s) => s.id === arg);
  if (typeof arg !== 'object' || arg === null) return undefined;
  const node = arg as Partial<EndpointsTreeNode>;
  if ((node.kind === 'mock' || node.kind === 'mockClient') && 'server' in node) return mocks.all.find((s) => s === node.server);
  return undefined;
}

async function pickRunning(mocks: MockServers, placeHolder: string): Promise<RunningMockServer | undefined> {
  const all = mocks.all;
  if (all.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No mock server is running. Start one with WebSocket: Start Mock Server….'));
    return undefined;
  }
  if (all.length === 1) return all[0];
  const items = all.map((server) => {
    const n = server.mock.clients().length;
    return {
      label: visibleText(server.mock.definition.name),
      description: server.mock.url,
      detail: n === 1 ? vscode.l10n.t('1 client') : vscode.l10n.t('{0} clients', n),
      server,
    };
  });
  return (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('WebSocket: Mock Servers'), placeHolder }))?.server;
}

/** Every mock of the saved collections and the workspace files, in their order. */
function choices(store: EndpointStore, workspace: WorkspaceCollections): MockChoice[] {
  const found: MockChoice[] = [];
  for (const collection of store.collections) {
    (collection.mocks ?? []).forEach((raw, index) =>
      found.push({ raw, index, origin: { kind: 'user', collectionId: collection.id }, from: collection.name }),
    );
  }
  for (const shared of workspace.all) {
    (shared.collection?.mocks ?? []).forEach((raw, index) =>
      found.push({
        raw,
        index,
        origin: { kind: 'workspace', folderIndex: shared.folder.index, file: shared.file },
        from: vscode.workspace.asRelativePath(shared.file),
      }),
    );
  }
  return found;
}

function fromArgument(arg: unknown, all: MockChoice[]): MockChoice | undefined | 'echo' {
  if (typeof arg !== 'object' || arg === null) return undefined;
  if ((arg as { echo?: unknown }).echo === true) return 'echo';
  const node = arg as Partial<EndpointsTreeNode>;
  if (node.kind === 'mockDefinition' && 'mock' in node && 'collection' in node) {
    const { mock, collection, workspace } = node;
    return all.find(
      (c) =>
        c.raw.name === mock &&
        (workspace ? c.origin.kind === 'workspace' && c.origin.folderIndex === workspace.folder.index : c.origin.kind === 'user' && c.origin.collectionId === collection?.id),
    );
  }
  const { mock, collectionId, workspaceFolder } = arg as { mock?: unknown; collectionId?: unknown; workspaceFolder?: unknown };
  if (typeof mock !== 'string') return undefined;
  return all.find(
    (c) =>
      c.raw.name === mock &&
      (collectionId === undefined || (c.origin.kind === 'user' && c.origin.collectionId === collectionId)) &&
      (workspaceFolder === undefined || (c.origin.kind === 'workspace' && c.origin.folderIndex === workspaceFolder)),
  );
}

async function pickMock(all: MockChoice[]): Promise<MockChoice | 'echo' | undefined> {
  const echo = {
    label: vscode.l10n.t('Echo mock on a free port'),
    iconPath: new vscode.ThemeIcon('radio-tower'),
    description: vscode.l10n.t('ws://127.0.0.1:<free port>/'),
    detail: vscode.l10n.t('Sends every message back as it came'),
    pick: 'echo' as const,
  };
  const items = all.map((choice) => {
    const { name, kind, host, port } = choice.raw as { name?: unknown; kind?: unknown; host?: unknown; port?: unknown };
    const rules = Array.isArray(choice.raw.rules) ? choice.raw.rules.length : 0;
    return {
      label: visibleText(String(name)),
      description: `${kind === 'socketio' ? 'Socket.IO' : 'WebSocket'} · ${typeof host === 'string' ? host : '127.0.0.1'}:${typeof port === 'number' ? port : 0} · ${rules === 1 ? vscode.l10n.t('1 rule') : vscode.l10n.t('{0} rules', rules)}`,
      detail: visibleText(choice.from),
      pick: choice,
    };
  });
  const picked = await vscode.window.showQuickPick([echo, ...items], {
    title: vscode.l10n.t('WebSocket: Start Mock Server'),
    placeHolder: items.length > 0
      ? vscode.l10n.t('Pick a mock of your collections, or an echo mock')
      : vscode.l10n.t('No mocks in your collections yet ("mocks" in a collection file): start an echo mock'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.pick;
}

async function confirm(question: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(question, { modal: true }, action)) === action;
}

async function startMockServer(mocks: MockServers, store: EndpointStore, workspace: WorkspaceCollections, arg: unknown): Promise<RunningMockServer | undefined> {
  await workspace.ready();
  const all = choices(store, workspace);
  const choice = fromArgument(arg, all) ?? (await pickMock(all));
  if (!choice) return undefined;
  const picked: MockChoice = choice === 'echo' ? { raw: echoMock(mocks), index: 0, origin: { kind: 'echo' }, from: 'echo' } : choice;
  const parsed = parseMock(picked.raw, picked.index);
  if (!parsed.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot start the mock: {0}', visibleText(parsed.error)));
    return undefined;
  }
  const definition: MockDefinition = parsed.mock;
  // A shared file may not make this window listen by itself: in Restricted Mode, ask.
  if (picked.origin.kind === 'workspace' && !vscode.workspace.isTrusted) {
    const where = definition.port === 0 ? vscode.l10n.t('{0}, on any free port', definition.host) : `${definition.host}:${definition.port}`;
    const question = vscode.l10n.t('Mock "{0}" comes from {1} in a workspace you have not trusted. Start it, listening on {2}?', visibleText(definition.name), visibleText(picked.from), where);
    if (!(await confirm(question, vscode.l10n.t('Start')))) return undefined;
  }
  let result = await mocks.start(definition, picked.origin, picked.raw);
  if (!result.ok && result.code === 'needs-confirmation') {
    const question = vscode.l10n.t('Mock "{0}" would listen on {1}, where other machines can reach it. Listen beyond this machine?', visibleText(definition.name), definition.host);
    if (!(await confirm(question, vscode.l10n.t('Listen')))) return undefined;
    result = await mocks.start(definition, picked.origin, picked.raw, true);
  }
  if (!result.ok) {
    void vscode.window.showErrorMessage(visibleText(result.error));
    return undefined;
  }
  const server = result.server;
  if (server) mocks.showPanel(server);
  return server;
}
