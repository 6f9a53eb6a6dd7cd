/**
 * Restricted Mode and endpoints shared in a workspace file: such an endpoint connects only after
 * the user says so, and while the workspace stays untrusted its panel gets no secret variables
 * (see PanelController). Asked before a panel opens, so Cancel leaves nothing behind.
 */
import type { Endpoint } from '../../shared/protocol';
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
  const headers = endpoint.headers.length > 0 ? ` with the ${endpoint.headers.length} header(s) that file sets` : '';
  return prompt.confirm(
    `"${visibleText(endpoint.name)}" comes from ${file} in a workspace you have not trusted. Connect to ${visibleText(endpoint.url)}${headers}?`,
    'Connect',
  );
}
