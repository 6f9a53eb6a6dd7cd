/**
 * A panel's page, for every host (Node and browser): nothing but our bundled script (by nonce)
 * and styles may load. The host passes what needs VS Code: the webview's CSP source and its
 * asset addresses.
 */
export interface PanelPageParts {
  cspSource: string;
  /** A fresh random nonce per page load (base64). */
  nonce: string;
  /** The webview address of a file of the extension. */
  asset(...segments: string[]): string;
  script: string;
  /** VS Code's display language, for the page's lang attribute. */
  language?: string;
  /** The translations (vscode.l10n.bundle), read by src/webview/l10n.ts before it builds anything. */
  words?: Readonly<Record<string, string>>;
}

import { L10N_ELEMENT_ID } from './l10n';

export function panelPage({ cspSource, nonce, asset, script, language = 'en', words = {} }: PanelPageParts): string {
  const csp = [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  // A data block, which no browser runs (the CSP needs no change), with "<" escaped so it cannot
  // end the element early.
  const data = JSON.stringify(words).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="${language.replace(/[^\w-]/g, '')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('dist', 'codicons', 'codicon.css')}">
<link rel="stylesheet" href="${asset('media', 'panel.css')}">
<title>WebSocket Debugger</title>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="${L10N_ELEMENT_ID}">${data}</script>
<script nonce="${nonce}" src="${asset('dist', script)}"></script>
</body>
</html>`;
}
