import * as vscode from 'vscode';
import type { Collection, Endpoint } from '../shared/protocol';
import { visibleText } from '../shared/visibleText';
import type { EndpointStore } from './endpointStore';
import type { WorkspaceCollection, WorkspaceCollections } from './workspaceCollections';

/** `workspace` is set for nodes that come from a workspace file rather than the user's saved collections. */
export type EndpointsTreeNode =
  | { kind: 'collection'; collection: Collection; workspace?: WorkspaceCollection }
  | { kind: 'endpoint'; collection: Collection; endpoint: Endpoint; workspace?: WorkspaceCollection }
  | { kind: 'flow'; collection: Collection; flow: string; workspace?: WorkspaceCollection };

/** The activity-bar tree: collections, each with its saved endpoints. */
export class EndpointsTreeProvider implements vscode.TreeDataProvider<EndpointsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: EndpointStore,
    private readonly workspace?: WorkspaceCollections,
  ) {
    const subscriptions = [store.onDidChange(() => this.changed.fire())];
    if (workspace) subscriptions.push(workspace.onDidChange(() => this.changed.fire()));
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
      return [...saved, ...shared];
    }
    if (node.kind === 'collection') {
      const { workspace } = node;
      const endpoints: EndpointsTreeNode[] = node.collection.endpoints.map((endpoint) => ({ kind: 'endpoint', collection: node.collection, endpoint, workspace }));
      // Flows follow the endpoints they connect to, each with an inline Run.
      const flows: EndpointsTreeNode[] = (node.collection.flows ?? []).map((flow) => ({ kind: 'flow', collection: node.collection, flow: flow.name, workspace }));
      return [...endpoints, ...flows];
    }
    return [];
  }

  getTreeItem(node: EndpointsTreeNode): vscode.TreeItem {
    if (node.kind === 'collection' && node.workspace) return workspaceCollectionItem(node.collection, node.workspace);
    if (node.kind === 'collection') {
      const item = new vscode.TreeItem(visibleText(node.collection.name), vscode.TreeItemCollapsibleState.Expanded);
      item.id = `collection:${node.collection.id}`;
      item.contextValue = 'collection';
      item.iconPath = new vscode.ThemeIcon('folder-library');
      item.description = `${node.collection.endpoints.length} endpoint${node.collection.endpoints.length === 1 ? '' : 's'}`;
      return item;
    }
    if (node.kind === 'flow') return flowItem(node.collection, node.flow, node.workspace);
    const { endpoint } = node;
    // Names and URLs may come from a shared file: bidi and zero-width characters are shown, not obeyed.
    const item = new vscode.TreeItem(visibleText(endpoint.name), vscode.TreeItemCollapsibleState.None);
    item.id = `endpoint:${endpoint.id}`;
    item.contextValue = 'endpoint';
    item.description = visibleText(endpoint.url);
    item.tooltip = new vscode.MarkdownString().appendText(visibleText(endpoint.url));
    item.iconPath = new vscode.ThemeIcon('plug');
    item.accessibilityInformation = { label: visibleText(`${endpoint.name}, ${endpoint.url}`) };
    if (node.workspace) {
      item.id = `workspace-endpoint:${node.workspace.folder.index}:${endpoint.id}`;
      item.contextValue = 'workspaceEndpoint';
      const restricted = vscode.workspace.isTrusted ? '' : ' — restricted mode: asks before connecting';
      item.tooltip = new vscode.MarkdownString()
        .appendText(visibleText(endpoint.url))
        .appendMarkdown('\n\n')
        .appendText(`From ${vscode.workspace.asRelativePath(node.workspace.file)}${restricted}`);
    }
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** A flow of a collection: Run (inline) shows the run in a debugger panel's log. */
function flowItem(collection: Collection, flow: string, workspace: WorkspaceCollection | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(visibleText(flow), vscode.TreeItemCollapsibleState.None);
  item.id = `flow:${JSON.stringify([workspace ? `workspace:${workspace.folder.index}` : collection.id, flow])}`;
  item.contextValue = 'flow';
  item.iconPath = new vscode.ThemeIcon('beaker');
  const steps = collection.flows?.find((f) => f.name === flow)?.steps.length ?? 0;
  item.description = `flow · ${steps} step${steps === 1 ? '' : 's'}`;
  item.accessibilityInformation = { label: visibleText(`Flow ${flow}, ${steps} steps`) };
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
    item.description = `${file} cannot be read`;
    item.tooltip = new vscode.MarkdownString().appendText(`${file}: ${visibleText(workspace.problem)}`);
    return item;
  }
  item.iconPath = new vscode.ThemeIcon(vscode.workspace.isTrusted ? 'repo' : 'shield');
  const count = `${collection.endpoints.length} endpoint${collection.endpoints.length === 1 ? '' : 's'}`;
  item.description = `${count} · workspace${vscode.workspace.isTrusted ? '' : ' (restricted)'}`;
  const bad = workspace.flowIssues?.length ?? 0;
  const badFlows = bad === 0 ? '' : ` ${bad} flow${bad === 1 ? ' has a mistake and is' : 's have mistakes and are'} not listed (see the file's problems or the Testing view).`;
  item.tooltip = new vscode.MarkdownString().appendText(
    (vscode.workspace.isTrusted
      ? `Shared by this workspace in ${file}.`
      : `Shared by this workspace in ${file}. The workspace is not trusted: connecting to these endpoints asks you first.`) + badFlows,
  );
  return item;
}
