/**
 * Restricted Mode and endpoints shared in a workspace file: such an endpoint connects only after
 * the user says so, and while the workspace stays untrusted its panel gets no secret variables
 * (see PanelController). Asked before a panel opens, so Cancel leaves nothing behind.
 */
import type { Endpoint } from '../../shared/protocol';
import { l10n } from '../../shared/l10n';
import { visibleText } from '../../shared/visibleText';

export interface TrustPrompt {
  workspaceTrusted(): boolean;
  /** A modal question with one action besides Cancel; true when the action was chosen. */
  confirm(question: string, action: string): Promise<boolean>;
}

/** Whether to connect to an endpoint from `file` (a workspace-relative path): asks unless trusted. */
export async function mayConnectFromWorkspace(
  prompt: TrustPrompt,
  endpoint: Pick<Endpoint, 'name' | 'url' | 'headers'>,
  file: string,
): Promise<boolean> {
  if (prompt.workspaceTrusted()) return true;
  const name = visibleText(endpoint.name);
  const url = visibleText(endpoint.url);
  const count = endpoint.headers.length;
  const question = count === 0
    ? l10n.t('"{0}" comes from {1} in a workspace you have not trusted. Connect to {2}?', name, file, url)
    : count === 1
      ? l10n.t('"{0}" comes from {1} in a workspace you have not trusted. Connect to {2} with the 1 header(s) that file sets?', name, file, url)
      : l10n.t('"{0}" comes from {1} in a workspace you have not trusted. Connect to {2} with the {3} header(s) that file sets?', name, file, url, count);
  return prompt.confirm(question, l10n.t('Connect'));
}

/** A shared endpoint the panel's form was filled from, and the file that shares it. */
export interface ChosenSharedEndpoint {
  endpoint: Pick<Endpoint, 'id' | 'name' | 'url'>;
  file: string;
}

/**
 * The same rule for the panel's own Connect: once its form was filled from a workspace file's
 * endpoint, a Connect in an untrusted workspace asks first, once for each URL and headers the
 * user agrees to (what goes to the server is what is asked about, even after an edit).
 */
export class PanelWorkspaceConsent {
  private chosen: ChosenSharedEndpoint | undefined;
  private readonly agreed = new Set<string>();

  constructor(private readonly prompt: TrustPrompt) {}

  /** The form now holds this shared endpoint, or (undefined) a saved or typed one. */
  choose(shared: ChosenSharedEndpoint | undefined): void {
    this.chosen = shared;
  }

  /** The shared endpoint's name when the form still connects to its URL (the panel's title). */
  nameFor(url: string): string | undefined {
    return this.chosen?.endpoint.url === url ? this.chosen.endpoint.name : undefined;
  }

  /** The user already agreed to these (the panel was opened for the endpoint after asking). */
  agree(url: string, headers: Endpoint['headers']): void {
    if (this.chosen) this.agreed.add(consentKey(this.chosen, url, headers));
  }

  /**
   * Whether a Connect with this URL and these headers may go ahead. `fromWorkspace`: they come
   * from a workspace file the user has not trusted, so secrets stay withheld.
   */
  async check(url: string, headers: Endpoint['headers']): Promise<{ ok: true; fromWorkspace: boolean } | { ok: false; error: string }> {
    const chosen = this.chosen;
    if (!chosen || this.prompt.workspaceTrusted()) return { ok: true, fromWorkspace: false };
    const key = consentKey(chosen, url, headers);
    if (this.agreed.has(key)) return { ok: true, fromWorkspace: true };
    if (!(await mayConnectFromWorkspace(this.prompt, { name: chosen.endpoint.name, url, headers }, chosen.file))) {
      return {
        ok: false,
        error: l10n.t('Not connected: "{0}" comes from {1} in a workspace you have not trusted, and you did not confirm.', visibleText(chosen.endpoint.name), chosen.file),
      };
    }
    this.agreed.add(key);
    return { ok: true, fromWorkspace: true };
  }
}

function consentKey(chosen: ChosenSharedEndpoint, url: string, headers: Endpoint['headers']): string {
  return JSON.stringify([chosen.endpoint.id, url, headers.map((h) => [h.name, h.value])]);
}
