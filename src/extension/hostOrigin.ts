/**
 * Where this extension host's connections leave from (src/shared/connectionOrigin.ts), from
 * `vscode.env.remoteName`, the remote's authority (its host name) and the extension's kind.
 */
import * as vscode from 'vscode';
import { connectionOrigin, type ConnectionOrigin } from '../shared/connectionOrigin';
import type { ToWebview } from '../shared/protocol';

export const EXTENSION_ID = 'websocket-debugger.websocket-debugger';

/** The remote authority ("ssh-remote+myserver"): from a remote workspace folder, else the remote's name. */
function remoteAuthority(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'vscode-remote');
  return folder?.uri.authority;
}

export function hostOrigin(): ConnectionOrigin {
  const kind = vscode.extensions.getExtension(EXTENSION_ID)?.extensionKind;
  return connectionOrigin(vscode.env.remoteName, kind === vscode.ExtensionKind.UI ? 'ui' : 'workspace', remoteAuthority());
}

/** The panel's hostInfo message: these hosts run Node, so nothing is limited. */
export function hostInfoMessage(): ToWebview {
  return { type: 'hostInfo', origin: hostOrigin() };
}

/** The panel's first message on every (re)load is 'ready'; peeked at before validation, only as a trigger. */
export function isReadyMessage(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'ready';
}
