/**
 * The webview's only channel to the extension host. `acquireVsCodeApi` may be called once per
 * page, so it is called here and nowhere else.
 */
import type { FromWebview } from '../shared/protocol';

interface WebviewApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): WebviewApi;

export const vscode: WebviewApi = acquireVsCodeApi();
