import * as path from 'node:path';
import * as vscode from 'vscode';
import { exportCollection, validateName } from '../shared/collections';
import type { Collection, ConnectionParams, Endpoint } from '../shared/protocol';
import { checkSocketIoUrl, DEFAULT_SOCKET_IO_OPTIONS } from '../shared/socketIo';
import { checkUrl } from '../shared/validation';
import { readCollectionFile } from '../core/collectionFile';
import type { DebuggerPanel } from './debuggerPanel';
import { newId, type EndpointStore } from './endpointStore';
import type { CollectionTreeNode } from './endpointsTree';
import type { WorkspaceCollection, WorkspaceCollections } from './workspaceCollections';
import type { PanelRegistry } from './panelRegistry';
import { COMMANDS } from './commandIds';
import { mayConnectFromWorkspace, type TrustPrompt } from '../core/panel/workspaceTrust';


interface Services {
  store: EndpointStore;
  panels: PanelRegistry;
  /** Collections shared by workspace files: offered by Connect… beside the saved ones. */
  workspace: WorkspaceCollections;
}

function paramsOf(endpoint: Endpoint): ConnectionParams {
  const params: ConnectionParams = { url: endpoint.url, protocols: endpoint.protocols, headers: endpoint.headers };
  if (endpoint.options) params.options = endpoint.options;
  if (endpoint.decode) params.decode = endpoint.decode;
  return endpoint.kind === 'socketio' ? { ...params, kind: 'socketio', socketio: endpoint.socketio } : params;
}

/** Parameters for a Socket.IO server at `url` (an origin), with the default options. */
function socketIoParams(url: string): ConnectionParams {
  return { url, protocols: [], headers: [], kind: 'socketio', socketio: { ...DEFAULT_SOCKET_IO_OPTIONS } };
}

type ConnectPick = vscode.QuickPickItem &
  ({ endpoint: Endpoint; shared?: WorkspaceCollection } | { url: string } | { socketIoUrl: string } | { invalid: string });

/** What the Connect quick pick chose; `shared` when the endpoint comes from a workspace file. */
interface ConnectChoice {
  params: ConnectionParams;
  name?: string;
  endpointId?: string;
  shared?: WorkspaceCollection;
}

/**
 * The rows of workspace files' endpoints, marked "workspace" and, in Restricted Mode, saying that
 * connecting asks first.
 */
function sharedPicks(workspace: WorkspaceCollections): ConnectPick[] {
  const restricted = vscode.workspace.isTrusted ? '' : vscode.l10n.t(' · Restricted Mode: asks before connecting');
  return workspace.all.flatMap((shared) =>
    (shared.collection?.endpoints ?? []).map((endpoint) => ({
      label: endpoint.name,
      description: vscode.l10n.t('workspace · {0}', endpoint.url),
      detail: `${shared.collection?.name ?? ''} (${vscode.workspace.asRelativePath(shared.file)})${restricted}`,
      endpoint,
      shared,
    })),
  );
}

/**
 * The Connect quick pick: saved endpoints, plus whatever URL the user types. A typed URL that
 * is not a valid WebSocket URL shows why as an item of its own, and accepting that item does nothing.
 */
function pickEndpointOrUrl(store: EndpointStore, workspace: WorkspaceCollections): Promise<ConnectChoice | undefined> {
  const saved: ConnectPick[] = [
    ...store.collections.flatMap((collection) =>
      collection.endpoints.map((endpoint) => ({
        label: endpoint.name,
        description: endpoint.url,
        detail: collection.name,
        endpoint,
      })),
    ),
    ...sharedPicks(workspace),
  ];
  const quickPick = vscode.window.createQuickPick<ConnectPick>();
  quickPick.title = vscode.l10n.t('WebSocket: Connect');
  quickPick.placeholder = vscode.l10n.t('Type a ws:// or wss:// URL (or http:// for Socket.IO), or pick a saved endpoint');
  quickPick.matchOnDescription = true;
  quickPick.items = saved;

  /**
   * What a typed URL offers: a ws:// or wss:// URL connects a WebSocket; an http:// or https://
   * URL (what Socket.IO servers are addressed by) connects with Socket.IO; anything else says why not.
   * One item at most, so Enter always means the same thing.
   */
  const typedItems = (value: string): ConnectPick[] => {
    if (!value.trim()) return [];
    const checked = checkUrl(value);
    if (checked.ok) return [{ label: `$(plug) ${vscode.l10n.t('Connect to {0}', checked.url)}`, alwaysShow: true, url: checked.url }];
    if (/^\s*https?:/i.test(value)) {
      const socketIo = checkSocketIoUrl(value);
      if (socketIo.ok) {
        return [
          {
            label: `$(plug) ${vscode.l10n.t('Connect with Socket.IO to {0}', socketIo.url)}`,
            description: vscode.l10n.t('namespace /; for a plain WebSocket type ws:// or wss://'),
            alwaysShow: true,
            socketIoUrl: socketIo.url,
          },
        ];
      }
      return [{ label: `$(error) ${socketIo.error}`, alwaysShow: true, invalid: socketIo.error }];
    }
    return [{ label: `$(error) ${checked.error}`, alwaysShow: true, invalid: checked.error }];
  };

  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: ConnectChoice | undefined) => {
      if (settled) return;
      settled = true;
      resolve(result);
      quickPick.dispose();
    };
    quickPick.onDidChangeValue((value) => {
      // The typed items go last: saved endpoints keep their positions while the list is
      // rebuilt, so an Enter pressed mid-typing still picks the endpoint it was aimed at.
      quickPick.items = [...saved, ...typedItems(value)];
    });
    quickPick.onDidAccept(() => {
      const choice = quickPick.selectedItems[0] ?? quickPick.activeItems[0] ?? typedItems(quickPick.value)[0];
      if (!choice) return;
      if ('invalid' in choice) {
        quickPick.title = vscode.l10n.t('Cannot connect: {0}', choice.invalid);
        return;
      }
      if ('endpoint' in choice) {
        const picked: ConnectChoice = { params: paramsOf(choice.endpoint), name: choice.endpoint.name, endpointId: choice.endpoint.id };
        finish(choice.shared ? { ...picked, shared: choice.shared } : picked);
      } else if ('socketIoUrl' in choice) finish({ params: socketIoParams(choice.socketIoUrl) });
      else finish({ params: { url: choice.url, protocols: [], headers: [] } });
    });
    quickPick.onDidHide(() => finish(undefined));
    quickPick.show();
  });
}

/** Finds the endpoint a command was invoked for: a tree node, an endpoint id, or a pick. */
async function resolveEndpoint(store: EndpointStore, arg: unknown, purpose: string): Promise<Endpoint | undefined> {
  if (isTreeNode(arg) && arg.workspace) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This endpoint comes from {0}; edit it in that file.', vscode.workspace.asRelativePath(arg.workspace.file)));
    return undefined;
  }
  if (isTreeNode(arg) && arg.kind === 'endpoint') return arg.endpoint;
  if (typeof arg === 'string') return store.find(arg)?.endpoint;
  const items = store.collections.flatMap((collection) =>
    collection.endpoints.map((endpoint) => ({ label: endpoint.name, description: endpoint.url, detail: collection.name, endpoint })),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There are no saved endpoints yet.'));
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title: purpose }))?.endpoint;
}

async function resolveCollection(store: EndpointStore, arg: unknown, purpose: string): Promise<Collection | undefined> {
  if (isTreeNode(arg)) return store.collections.find((c) => c.id === arg.collection.id);
  if (typeof arg === 'string') return store.collections.find((c) => c.id === arg || c.name === arg);
  const items = store.collections.map((collection) => ({
    label: collection.name,
    description: collection.endpoints.length === 1 ? vscode.l10n.t('1 endpoint') : vscode.l10n.t('{0} endpoints', collection.endpoints.length),
    collection,
  }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There are no saved collections yet.'));
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title: purpose }))?.collection;
}

function isTreeNode(value: unknown): value is CollectionTreeNode {
  return typeof value === 'object' && value !== null && 'kind' in value && 'collection' in value;
}

async function choosePanel(panels: PanelRegistry, purpose: string, filter: (p: DebuggerPanel) => boolean) {
  const active = panels.active;
  if (active && filter(active)) return active;
  const candidates = panels.all.filter(filter);
  if (candidates.length <= 1) return candidates[0];
  const pick = await vscode.window.showQuickPick(
    candidates.map((panel) => ({ label: panel.title, description: panel.state.url, panel })),
    { title: purpose },
  );
  return pick?.panel;
}

async function connect({ store, panels, workspace }: Services, arg: unknown): Promise<DebuggerPanel | undefined> {
  let choice: { params: ConnectionParams; name?: string; untrustedSource?: boolean; endpointId?: string } | undefined;
  if (typeof arg === 'string') {
    const checked = checkUrl(arg);
    if (!checked.ok) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot connect: {0}', checked.error));
      return undefined;
    }
    choice = { params: { url: checked.url, protocols: [], headers: [] } };
  } else if (isTreeNode(arg) && arg.kind === 'endpoint') {
    if (arg.workspace && !(await askToConnectFromWorkspace(arg.endpoint, arg.workspace))) return undefined;
    // Secrets are withheld from it while the workspace stays untrusted.
    choice = {
      params: paramsOf(arg.endpoint),
      name: arg.endpoint.name,
      untrustedSource: arg.workspace !== undefined && !vscode.workspace.isTrusted,
      endpointId: arg.endpoint.id,
    };
  } else {
    // Right after activation the workspace files may still be being read: list them once read.
    await workspace.ready();
    const picked = await pickEndpointOrUrl(store, workspace);
    if (picked?.shared) {
      const { url, headers } = picked.params;
      if (!(await askToConnectFromWorkspace({ name: picked.name ?? url, url, headers }, picked.shared))) return undefined;
      choice = { ...picked, untrustedSource: !vscode.workspace.isTrusted };
    } else {
      choice = picked;
    }
  }
  return choice
    ? panels.open(choice.params, choice.name, { untrustedSource: choice.untrustedSource, endpointId: choice.endpointId })
    : undefined;
}

/**
 * An endpoint from a workspace file connects at once only in a trusted workspace. Checked here in
 * code, not only by a `when` clause, since commands can be run with any argument.
 */
function askToConnectFromWorkspace(endpoint: Pick<Endpoint, 'name' | 'url' | 'headers'>, workspace: WorkspaceCollection): Promise<boolean> {
  const prompt: TrustPrompt = {
    workspaceTrusted: () => vscode.workspace.isTrusted,
    confirm: async (question, action) => (await vscode.window.showWarningMessage(question, { modal: true }, action)) === action,
  };
  return mayConnectFromWorkspace(prompt, endpoint, vscode.workspace.asRelativePath(workspace.file));
}

async function saveEndpoint({ store, panels }: Services): Promise<void> {
  const panel = await choosePanel(panels, vscode.l10n.t('Save the endpoint of which panel?'), (p) => p.currentParams.url !== '');
  if (!panel) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a debugger panel with a URL first (WebSocket: Connect…).'));
    return;
  }
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('Save endpoint'),
    prompt: vscode.l10n.t('Name for {0}', panel.currentParams.url),
    value: panel.title,
    validateInput: (value) => validateName(value),
  });
  if (name === undefined) return;
  const existing = store.collections.map((c) => c.name);
  const collection = await vscode.window.showInputBox({
    title: vscode.l10n.t('Save endpoint: collection'),
    prompt: existing.length ? vscode.l10n.t('Existing collections: {0}', existing.join(', ')) : vscode.l10n.t('A new collection will be created'),
    value: existing[0] ?? vscode.l10n.t('Default'),
    validateInput: (value) => validateName(value),
  });
  if (collection === undefined) return;
  const result = await panel.saveEndpoint(panel.currentParams, name, collection);
  if (!result.ok) void vscode.window.showErrorMessage(result.error);
}

async function importCollectionFile({ store }: Services, arg: unknown): Promise<Collection | undefined> {
  let uri = arg instanceof vscode.Uri ? arg : undefined;
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({
      title: vscode.l10n.t('Import WebSocket collection'),
      canSelectMany: false,
      filters: { [vscode.l10n.t('Collection files')]: ['json'] },
    });
    uri = picked?.[0];
  }
  if (!uri) return undefined;
  const fileName = path.posix.basename(uri.path);
  try {
    const file = uri;
    const imported = await readCollectionFile(
      { size: async () => (await vscode.workspace.fs.stat(file)).size, read: async () => vscode.workspace.fs.readFile(file) },
      newId,
    );
    if (!imported.ok) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot import {0}: {1}', fileName, imported.error));
      return undefined;
    }
    const added = await store.addImported(imported.collection);
    void vscode.window.showInformationMessage(added.endpoints.length === 1
      ? vscode.l10n.t('Imported the collection "{0}" with 1 endpoint.', added.name)
      : vscode.l10n.t('Imported the collection "{0}" with {1} endpoints.', added.name, added.endpoints.length));
    return added;
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot import {0}: {1}', fileName, error instanceof Error ? error.message : String(error)));
    return undefined;
  }
}

async function exportCollectionFile({ store }: Services, arg: unknown, target: unknown): Promise<vscode.Uri | undefined> {
  const collection = await resolveCollection(store, arg, vscode.l10n.t('Export which collection?'));
  if (!collection) return undefined;
  let uri = target instanceof vscode.Uri ? target : undefined;
  if (!uri) {
    const safeName = collection.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'collection';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    uri = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export "{0}"', collection.name),
      defaultUri: folder ? vscode.Uri.joinPath(folder, `${safeName}.wscollection.json`) : undefined,
      filters: { [vscode.l10n.t('Collection files')]: ['json'] },
    });
  }
  if (!uri) return undefined;
  // The save dialog asks before replacing a file; a target passed in must be confirmed here.
  if (target instanceof vscode.Uri && (await exists(uri))) {
    const replaceAction = vscode.l10n.t('Replace');
    const replace = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} already exists. Replace it?', path.posix.basename(uri.path)),
      { modal: true },
      replaceAction,
    );
    if (replace !== replaceAction) return undefined;
  }
  try {
    await writeFileAtomically(uri, new TextEncoder().encode(exportCollection(collection)));
    void vscode.window.showInformationMessage(vscode.l10n.t('Exported "{0}" to {1}.', collection.name, path.posix.basename(uri.path)));
    return uri;
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot export "{0}": {1}', collection.name, error instanceof Error ? error.message : String(error)));
    return undefined;
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Writes beside the target, then renames over it: a crash mid-write never leaves half a file. */
async function writeFileAtomically(uri: vscode.Uri, bytes: Uint8Array): Promise<void> {
  const temp = uri.with({ path: `${uri.path}.${newId()}.tmp` });
  try {
    await vscode.workspace.fs.writeFile(temp, bytes);
    await vscode.workspace.fs.rename(temp, uri, { overwrite: true });
  } catch (error) {
    await Promise.resolve(vscode.workspace.fs.delete(temp)).catch(() => undefined);
    throw error;
  }
}

async function renameEndpoint({ store }: Services, arg: unknown): Promise<void> {
  const endpoint = await resolveEndpoint(store, arg, vscode.l10n.t('Rename which endpoint?'));
  if (!endpoint) return;
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('Rename endpoint'),
    value: endpoint.name,
    validateInput: (value) => validateName(value),
  });
  if (name !== undefined) await store.rename(endpoint.id, name.trim());
}

async function deleteEndpoint({ store }: Services, arg: unknown): Promise<void> {
  const endpoint = await resolveEndpoint(store, arg, vscode.l10n.t('Delete which endpoint?'));
  if (!endpoint) return;
  const deleteAction = vscode.l10n.t('Delete');
  const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Delete the endpoint "{0}"?', endpoint.name), { modal: true }, deleteAction);
  if (choice === deleteAction) await store.delete(endpoint.id);
}

/** Two clicks on the same endpoint row within this many milliseconds are a double click. */
const DOUBLE_CLICK_MS = 500;

/**
 * A click on an endpoint in the Endpoints view (websocketDebugger.endpoints.clickAction):
 * "open" fills a panel with it without connecting (the panel already open for it comes forward),
 * and a second click on the same row soon after connects that panel; "connect" connects at once,
 * as the row's Connect button does. Endpoints of a workspace file ask first in Restricted Mode.
 */
function endpointClicks(services: Services): (arg: unknown) => Promise<DebuggerPanel | undefined> {
  const opened = new Map<string, DebuggerPanel>();
  let last: { key: string; at: number } | undefined;
  return async (arg) => {
    if (!isTreeNode(arg) || arg.kind !== 'endpoint') return undefined;
    const action = vscode.workspace.getConfiguration('websocketDebugger.endpoints').get<string>('clickAction', 'open');
    if (action === 'connect') return connect(services, arg);
    const key = `${arg.workspace ? `workspace:${arg.workspace.folder.index}` : 'saved'}:${arg.endpoint.id}`;
    const now = Date.now();
    const double = last?.key === key && now - last.at <= DOUBLE_CLICK_MS;
    last = double ? undefined : { key, at: now };
    let panel = opened.get(key);
    if (!panel) {
      const untrustedSource = arg.workspace !== undefined && !vscode.workspace.isTrusted;
      const created = services.panels.open(paramsOf(arg.endpoint), arg.endpoint.name, { untrustedSource, endpointId: arg.endpoint.id, connect: false });
      opened.set(key, created);
      created.onDidDispose(() => {
        if (opened.get(key) === created) opened.delete(key);
      });
      panel = created;
    } else {
      panel.reveal();
    }
    if (double && !panel.isConnected) {
      if (arg.workspace && !(await askToConnectFromWorkspace(arg.endpoint, arg.workspace))) return panel;
      const result = await panel.connect(paramsOf(arg.endpoint), arg.endpoint.name);
      if (!result.ok) void vscode.window.showErrorMessage(result.error);
    }
    return panel;
  };
}

/** Registers every command of the extension. Arguments allow use from the tree, keybindings and tests. */
export function registerCommands(services: Services): vscode.Disposable[] {
  const { panels } = services;
  return [
    vscode.commands.registerCommand(COMMANDS.connect, (arg?: unknown) => connect(services, arg)),
    vscode.commands.registerCommand(COMMANDS.openDebugger, () => {
      const panel = panels.active ?? panels.all[0];
      if (panel) {
        panel.reveal();
        return panel;
      }
      return panels.open();
    }),
    vscode.commands.registerCommand(COMMANDS.disconnect, async () => {
      const panel = await choosePanel(panels, vscode.l10n.t('Disconnect which connection?'), (p) => p.isConnected);
      if (panel) panel.disconnect();
      else void vscode.window.showInformationMessage(vscode.l10n.t('No WebSocket connection is open.'));
    }),
    vscode.commands.registerCommand(COMMANDS.saveEndpoint, () => saveEndpoint(services)),
    vscode.commands.registerCommand(COMMANDS.importCollection, (uri?: unknown) => importCollectionFile(services, uri)),
    vscode.commands.registerCommand(COMMANDS.exportCollection, (arg?: unknown, target?: unknown) =>
      exportCollectionFile(services, arg, target),
    ),
    vscode.commands.registerCommand(COMMANDS.renameEndpoint, (arg?: unknown) => renameEndpoint(services, arg)),
    vscode.commands.registerCommand(COMMANDS.deleteEndpoint, (arg?: unknown) => deleteEndpoint(services, arg)),
    vscode.commands.registerCommand(COMMANDS.openEndpoint, endpointClicks(services)),
  ];
}
