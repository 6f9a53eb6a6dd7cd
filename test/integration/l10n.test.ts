// In English (this suite's language) the extension ships no bundle for VS Code to pick, and the
// panel's page carries an empty one: every word is the source's own. The German side is
// test/integration-l10n, run in a code-server whose display language is German.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WebSocketDebuggerApi } from '../../src/extension/extension';
import { L10N_ELEMENT_ID } from '../../src/shared/l10n';

describe('Localisation in English', () => {
  let api: WebSocketDebuggerApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<WebSocketDebuggerApi>('websocket-debugger.websocket-debugger');
    assert.ok(extension);
    api = await extension.activate();
  });

  it('VS Code picks no bundle, and the panel\'s page is English with an empty one', () => {
    assert.equal(vscode.env.language, 'en');
    assert.equal(vscode.l10n.bundle, undefined);
    const panel = api.panels.open();
    try {
      assert.match(panel.pageHtml, /<html lang="en">/);
      assert.ok(panel.pageHtml.includes(`<script type="application/json" id="${L10N_ELEMENT_ID}">{}</script>`));
    } finally {
      panel.dispose();
    }
  });
});
