import * as vscode from 'vscode';
import type { Collection, Endpoint } from '../shared/protocol';
import { visibleText } from '../shared/visibleText';
import type { MockClient } from '../core/mock/mockTypes';
import type { EndpointStore } from './endpointStore';
import { COMMANDS } from './commandIds';
import type { MockServers, RunningMockServer } from './mockServers';
import type { WorkspaceCollection, WorkspaceCollections } from './workspaceCollections';

/** `workspace` is set for nodes that come from a workspace file rather than the user's saved collections. */
export type CollectionTreeNode =
  | { kind: 'collection'; collection: Collection; workspace?: WorkspaceCollection }
  | { kind: 'endpoint'; collection: Collection; endpoint: Endpoint; workspace?: WorkspaceCollection }
  | { kind: 'flow'; collection: Collection; flow: string; workspace?: WorkspaceCollection }
  /** A mock server of the collection (its `"mocks"`), with an inline Start. */
  | { kind: 'mockDefinition'; collection: Collection; mock: string; workspace?: WorkspaceCollection };

/** Running mock servers: the "Mock servers" group (shown while one runs), each mock, its clients. */
export type MockTreeNode = (
  | { kind: 'mocks' }
  | { kind: 'mock'; server: RunningMockServer }
  | { kind: 'mockClient'; server: RunningMockServer; client: MockClient }
) & { workspace?: undefined };

export type EndpointsTreeNode = CollectionTreeNode | MockTreeNode;

/** The activity-bar tree: collections, each with its saved endpoints. */
export class EndpointsTreeProvider implements vscode.TreeDataProvider<EndpointsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: EndpointStore,
    private readonly workspace?: WorkspaceCollections,
    private readonly mocks?: MockServers,
  ) {
    const subscriptions = [store.onDidChange(() => this.changed.fire())];
    if (workspace) subscriptions.push(workspace.onDidChange(() => this.changed.fire()));
    if (mocks) subscriptions.push(mocks.onDidChange(() => this.changed.fire()));
    this.subscription = vscode.Disposable.from(...subscriptions);
  }

  getChildren(node?: EndpointsTreeNode): EndpointsTreeNode[] {
    // Empty collections stay in the store (saving under their name refills them) but are not
    // shown, like in the panel's list: with nothing saved the view shows its welcome content.
    if (!node) {
      const saved: EndpointsTreeNode[] = this.store.collections
        .filter((collection) => collection.endpoints.length > 0)
        .map((collection) => ({ kind: 'collection', collection }));
      // A workspace file is listed even when it could not be read, to say why.
      const shared: EndpointsTreeNode[] = (this.workspace?.all ?? []).map((workspace) => ({
        kind: 'collection',
        collection: workspace.collection ?? { id: `workspace:${workspace.folder.index}`, name: workspace.folder.name, endpoints: [] },
        workspace,
      }));
      const running: EndpointsTreeNode[] = (this.mocks?.all.length ?? 0) > 0 ? [{ kind: 'mocks' }] : [];
      return [...running, ...saved, ...shared];
    }
    if (node.kind === 'mocks') return (this.mocks?.all ?? []).map((server) => ({ kind: 'mock', server }));
    if (node.kind === 'mock') return node.server.mock.clients().map((client) => ({ kind: 'mockClient', server: node.server, client }));
    if (node.kind === 'collection') {
      const { workspace } = node;
      const endpoints: EndpointsTreeNode[] = node.collection.endpoints.map((endpoint) => ({ kind: 'endpoint', collection: node.collection, endpoint, workspace }));
      // Flows follow the endpoints they connect to, each with an inline Run.
      const flows: EndpointsTreeNode[] = (node.collection.flows ?? []).map((flow) => ({ kind: 'flow', collection: node.collection, flow: flow.name, workspace }));
      const mocks: EndpointsTreeNode[] = (node.collection.mocks ?? [])
        .filter((m) => typeof m.name === 'string')
        .map((m) => ({ kind: 'mockDefinition', collection: node.collection, mock: m.name as string, workspace }));
      return [...endpoints, ...flows, ...mocks];
    }
    return [];
  }

  getTreeItem(node: EndpointsTreeNode): vscode.TreeItem {
    if (node.kind === 'mocks') {
      const item = new vscode.TreeItem(vscode.l10n.t('Mock servers'), vscode.TreeItemCollapsibleState.Expanded);
      item.id = 'mocks';
      item.contextValue = 'mockServers';
      item.iconPath = new vscode.ThemeIcon('radio-tower');
      const n = this.mocks?.all.length ?? 0;
      item.description = vscode.l10n.t('{0} running', n);
      return item;
    }
    if (node.kind === 'mock') return mockItem(node.server);
    if (node.kind === 'mockClient') return mockClientItem(node.server, node.client);
    if (node.kind === 'collection' && node.workspace) return workspaceCollectionItem(node.collection, node.workspace);
    if (node.kind === 'collection') {
      const item = new vscode.TreeItem(visibleText(node.collection.name), vscode.TreeItemCollapsibleState.Expanded);
      item.id = `collection:${node.collection.id}`;
      item.contextValue = 'collection';
      item.iconPath = new vscode.ThemeIcon('folder-library');
      item.description = endpointCount(node.collection.endpoints.length);
      return item;
    }
    if (node.kind === 'flow') return flowItem(node.collection, node.flow, node.workspace);
    if (node.kind === 'mockDefinition') return mockDefinitionItem(node.collection, node.mock, node.workspace);
    const { endpoint } = node;
    // Names and URLs may come from a shared file: bidi and zero-width characters are shown, not obeyed.
    const item = new vscode.TreeItem(visibleText(endpoint.name), vscode.TreeItemCollapsibleState.None);
    item.id = `endpoint:${endpoint.id}`;
    item.contextValue = 'endpoint';
    item.description = visibleText(endpoint.url);
    item.tooltip = new vscode.MarkdownString().appendText(visibleText(endpoint.url));
    item.iconPath = new vscode.ThemeIcon('plug');
    item.accessibilityInformation = { label: visibleText(`${endpoint.name}, ${endpoint.url}`) };
    // websocketDebugger.endpoints.clickAction says whether a click opens or connects.
    item.command = { command: COMMANDS.openEndpoint, title: vscode.l10n.t('Open Endpoint'), arguments: [node] };
    if (node.workspace) {
      item.id = `workspace-endpoint:${node.workspace.folder.index}:${endpoint.id}`;
      item.contextValue = 'workspaceEndpoint';
      const from = vscode.workspace.asRelativePath(node.workspace.file);
      item.tooltip = new vscode.MarkdownString()
        .appendText(visibleText(endpoint.url))
        .appendMarkdown('\n\n')
        .appendText(vscode.workspace.isTrusted ? vscode.l10n.t('From {0}', from) : vscode.l10n.t('From {0} — restricted mode: asks before connecting', from));
    }
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function endpointCount(n: number): string {
  return n === 1 ? vscode.l10n.t('1 endpoint') : vscode.l10n.t('{0} endpoints', n);
}

/** A flow of a collection: Run (inline) shows the run in a debugger panel's log. */
function flowItem(collection: Collection, flow: string, workspace: WorkspaceCollection | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(visibleText(flow), vscode.TreeItemCollapsibleState.None);
  item.id = `flow:${JSON.stringify([workspace ? `workspace:${workspace.folder.index}` : collection.id, flow])}`;
  item.contextValue = 'flow';
  item.iconPath = new vscode.ThemeIcon('beaker');
  const steps = collection.flows?.find((f) => f.name === flow)?.steps.length ?? 0;
  item.description = steps === 1 ? vscode.l10n.t('flow · 1 step') : vscode.l10n.t('flow · {0} steps', steps);
  item.accessibilityInformation = { label: visibleText(vscode.l10n.t('Flow {0}, {1} steps', flow, steps)) };
  return item;
}

/** A mock server a collection defines: Start (inline) runs it. */
function mockDefinitionItem(collection: Collection, name: string, workspace: WorkspaceCollection | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(visibleText(name), vscode.TreeItemCollapsibleState.None);
  item.id = `mock-definition:${JSON.stringify([workspace ? `workspace:${workspace.folder.index}` : collection.id, name])}`;
  item.contextValue = 'mockDefinition';
  item.iconPath = new vscode.ThemeIcon('server-environment');
  const raw = collection.mocks?.find((m) => m.name === name) ?? {};
  const kind = raw.kind === 'socketio' ? 'Socket.IO' : 'WebSocket';
  const port = typeof raw.port === 'number' ? (raw.port === 0 ? vscode.l10n.t('any free port') : vscode.l10n.t('port {0}', raw.port)) : '';
  item.description = port ? vscode.l10n.t('mock · {0} · {1}', kind, port) : vscode.l10n.t('mock · {0}', kind);
  item.tooltip = new vscode.MarkdownString().appendText(workspace && !vscode.workspace.isTrusted
    ? vscode.l10n.t('Mock server {0}: Start Mock Server listens for clients. The workspace is not trusted: starting it asks you first.', visibleText(name))
    : vscode.l10n.t('Mock server {0}: Start Mock Server listens for clients.', visibleText(name)));
  item.accessibilityInformation = { label: visibleText(vscode.l10n.t('Mock server {0}, {1}', name, kind)) };
  return item;
}

/** A workspace file's collection: marked as shared, and in restricted mode marked as such. */
function workspaceCollectionItem(collection: Collection, workspace: WorkspaceCollection): vscode.TreeItem {
  const file = vscode.workspace.asRelativePath(workspace.file);
  const item = new vscode.TreeItem(visibleText(collection.name), vscode.TreeItemCollapsibleState.Expanded);
  item.id = `workspace-collection:${workspace.folder.index}`;
  item.contextValue = 'workspaceCollection';
  if (workspace.problem !== undefined) {
    item.collapsibleState = vscode.TreeItemCollapsibleState.None;
    item.iconPath = new vscode.ThemeIcon('warning');
    item.description = vscode.l10n.t('{0} cannot be read', file);
    item.tooltip = new vscode.MarkdownString().appendText(`${file}: ${visibleText(workspace.problem)}`);
    return item;
  }
  item.iconPath = new vscode.ThemeIcon(vscode.workspace.isTrusted ? 'repo' : 'shield');
  const count = endpointCount(collection.endpoints.length);
  item.description = vscode.workspace.isTrusted ? vscode.l10n.t('{0} · workspace', count) : vscode.l10n.t('{0} · workspace (restricted)', count);
  const bad = workspace.flowIssues?.length ?? 0;
  const badFlows = bad === 0 ? ''
    : ` ${bad === 1 ? vscode.l10n.t("1 flow has a mistake and is not listed (see the file's problems or the Testing view).") : vscode.l10n.t("{0} flows have mistakes and are not listed (see the file's problems or the Testing view).", bad)}`;
  item.tooltip = new vscode.MarkdownString().appendText(
    (vscode.workspace.isTrusted
      ? vscode.l10n.t('Shared by this workspace in {0}.', file)
      : vscode.l10n.t('Shared by this workspace in {0}. The workspace is not trusted: connecting to these endpoints asks you first.', file)) + badFlows,
  );
  return item;
}

/** A running mock: its URL (Copy URL and Stop inline); a click opens its panel. */
function mockItem(server: RunningMockServer): vscode.TreeItem {
  const { definition, url } = server.mock;
  const clients = server.mock.clients().length;
  const item = new vscode.TreeItem(
    visibleText(definition.name),
    clients > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
  );
  // The client count is part of the id so that VS Code expands the node when the first one comes.
  item.id = `mock:${server.id}:${clients > 0 ? 'clients' : 'none'}`;
  item.contextValue = 'mockServer';
  item.iconPath = new vscode.ThemeIcon('radio-tower');
  item.description = clients === 1 ? vscode.l10n.t('{0} · 1 client', url) : vscode.l10n.t('{0} · {1} clients', url, clients);
  const kind = definition.kind === 'socketio' ? 'Socket.IO' : 'WebSocket';
  const fingerprint = server.mock.fingerprint256 ? `\n${vscode.l10n.t('Certificate SHA-256 {0}', server.mock.fingerprint256)}` : '';
  item.tooltip = new vscode.MarkdownString().appendText(vscode.l10n.t('{0} mock listening on {1}', kind, url) + fingerprint);
  item.accessibilityInformation = { label: visibleText(vscode.l10n.t('Mock server {0}, {1}, {2} clients', definition.name, url, clients)) };
  item.command = { command: COMMANDS.openMockPanel, title: vscode.l10n.t('Open Mock Panel'), arguments: [server.id] };
  return item;
}

/** A client of a running mock: where it came from, its subprotocol, and its handshake headers. */
function mockClientItem(server: RunningMockServer, client: MockClient): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.l10n.t('Client {0}', client.id), vscode.TreeItemCollapsibleState.None);
  item.id = `mock-client:${server.id}:${client.id}`;
  item.contextValue = 'mockClient';
  item.iconPath = new vscode.ThemeIcon('vm-connect');
  const protocol = client.protocol ? ` · ${client.protocol}` : '';
  item.description = visibleText(`${client.remoteAddress}:${client.remotePort}${protocol}`);
  const tooltip = new vscode.MarkdownString()
    .appendText(visibleText(vscode.l10n.t('{0}:{1} requested {2}', client.remoteAddress, client.remotePort, client.url)))
    .appendMarkdown('\n\n')
    .appendText(server.mock.definition.kind === 'socketio'
      ? vscode.l10n.t('Transport: {0}', client.protocol || vscode.l10n.t('none'))
      : vscode.l10n.t('Subprotocol: {0}', client.protocol || vscode.l10n.t('none')));
  for (const [name, value] of client.headers) tooltip.appendMarkdown('\n\n').appendText(visibleText(`${name}: ${value}`));
  item.tooltip = tooltip;
  item.accessibilityInformation = { label: visibleText(vscode.l10n.t('Client {0} from {1}:{2}', client.id, client.remoteAddress, client.remotePort) + protocol) };
  item.command = { command: COMMANDS.openMockPanel, title: vscode.l10n.t('Open Mock Panel'), arguments: [server.id] };
  return item;
}
