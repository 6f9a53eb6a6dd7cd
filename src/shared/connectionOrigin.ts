/**
 * Where a panel's connections leave from, in words a user understands. In remote development
 * (SSH, WSL, dev containers, Codespaces) the extension may run on the remote machine
 * ("workspace") or on the user's own computer ("ui"), and a server on localhost is a different
 * machine in each case; on vscode.dev and github.dev it runs in the browser itself.
 */
import { l10n } from './l10n';

/** Where the extension's code runs: VS Code's extension kinds, plus the browser's web worker. */
export type ExtensionRunsOn = 'ui' | 'workspace' | 'web';

export interface ConnectionOrigin {
  /** The short form for the panel's header, e.g. "SSH host myserver". */
  label: string;
  /** The whole sentence, e.g. "Connections leave from: SSH host myserver (this extension runs on the remote)". */
  sentence: string;
  runsOn: ExtensionRunsOn;
}

/** vscode.env.remoteName values VS Code's own remote extensions use, as users call them. */
const REMOTE_NAMES: Record<string, () => string> = {
  'ssh-remote': () => l10n.t('SSH host'),
  wsl: () => l10n.t('WSL distro'),
  'dev-container': () => l10n.t('dev container'),
  'attached-container': () => l10n.t('container'),
  codespaces: () => l10n.t('Codespace'),
  tunnel: () => l10n.t('tunnel machine'),
  'k8s-container': () => l10n.t('Kubernetes container'),
};

/**
 * The remote as a user knows it: its kind and, where the authority carries one, its name
 * (`ssh-remote+myserver`, `wsl+Ubuntu`). Dev container and Codespace authorities are encoded
 * ids, not names, so only the kind is said for them.
 */
export function remoteDescription(remoteName: string, authority?: string): string {
  const kind = REMOTE_NAMES[remoteName]?.();
  if (kind === undefined) return l10n.t('remote machine {0}', remoteName);
  const plus = authority?.indexOf('+') ?? -1;
  const name = authority !== undefined && plus > 0 && authority.slice(0, plus) === remoteName ? decodeName(authority.slice(plus + 1)) : '';
  const named = (remoteName === 'ssh-remote' || remoteName === 'wsl' || remoteName === 'tunnel') && name !== '' && name.length <= 100;
  return named ? `${kind} ${name}` : kind;
}

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * The origin from `vscode.env.remoteName` (undefined on a local window), the remote authority
 * (for the host's name) and where the extension runs.
 */
export function connectionOrigin(remoteName: string | undefined, runsOn: ExtensionRunsOn, authority?: string): ConnectionOrigin {
  if (runsOn === 'web') {
    return {
      label: l10n.t('this browser'),
      sentence: l10n.t('Connections leave from: this browser (the extension runs in the web page, with the browser\'s WebSocket)'),
      runsOn,
    };
  }
  if (remoteName === undefined || remoteName === '') {
    return { label: l10n.t('this computer'), sentence: l10n.t('Connections leave from: this computer'), runsOn };
  }
  const remote = remoteDescription(remoteName, authority);
  if (runsOn === 'workspace') {
    return { label: remote, sentence: l10n.t('Connections leave from: {0} (this extension runs on the remote)', remote), runsOn };
  }
  return {
    label: l10n.t('this computer'),
    sentence: l10n.t('Connections leave from: this computer (this extension runs locally, not on the {0})', remote),
    runsOn,
  };
}
