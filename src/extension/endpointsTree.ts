import * as vscode from 'vscode';
import type { Collection, Endpoint } from '../shared/protocol';
import { visibleText } from '../shared/visibleText';
import type { EndpointStore } from './endpointStore';

export type EndpointsTreeNode =
  | { kind: 'collection'; collection: Collection }
  | { kind: 'endpoint'; collection: Collection; endpoint: Endpoint };

/** The activity-bar tree: collections, each with its saved endpoints. */
export class EndpointsTreeProvider implements vscode.TreeDataProvider<EndpointsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: EndpointStore) {
    this.subscription = store.onDidChange(() => this.changed.fire());
  }

  getChildren(node?: EndpointsTreeNode): EndpointsTreeNode[] {
    // Empty collections stay in the store (saving under their name refills them) but are not
    // shown, like in the panel's list: with nothing saved the view shows its welcome content.
    if (!node) {
      return this.store.collections
        .filter((collection) => collection.endpoints.length > 0)
        .map((collection) => ({ kind: 'collection', collection }));
    }
    if (node.kind === 'collection') {
      return node.collection.endpoints.map((endpoint) => ({ kind: 'endpoint', collection: node.collection, endpoint }));
    }
    return [];
  }

  getTreeItem(node: EndpointsTreeNode): vscode.TreeItem {
    if (node.kind === 'collection') {
      const item = new vscode.TreeItem(visibleText(node.collection.name), vscode.TreeItemCollapsibleState.Expanded);
      item.id = `collection:${node.collection.id}`;
      item.contextValue = 'collection';
      item.iconPath = new vscode.ThemeIcon('folder-library');
      item.description = `${node.collection.endpoints.length} endpoint${node.collection.endpoints.length === 1 ? '' : 's'}`;
      return item;
    }
    const { endpoint } = node;
    // Names and URLs may come from a shared file: bidi and zero-width characters are shown, not obeyed.
    const item = new vscode.TreeItem(visibleText(endpoint.name), vscode.TreeItemCollapsibleState.None);
    item.id = `endpoint:${endpoint.id}`;
    item.contextValue = 'endpoint';
    item.description = visibleText(endpoint.url);
    item.tooltip = new vscode.MarkdownString().appendText(visibleText(endpoint.url));
    item.iconPath = new vscode.ThemeIcon('plug');
    item.accessibilityInformation = { label: visibleText(`${endpoint.name}, ${endpoint.url}`) };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
