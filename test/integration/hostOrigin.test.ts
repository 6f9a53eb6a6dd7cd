// Where connections leave from, as the extension works it out inside real VS Code. code-server is
// itself a remote: its workbench runs in the browser and the extension host on the server, so
// vscode.env.remoteName is set (to the server's address) and the extension runs as "workspace".
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, hostOrigin } from '../../src/extension/hostOrigin';

describe('where connections leave from', () => {
  it('the manifest lets VS Code run the extension on either side, the remote first', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, 'the extension is installed');
    const manifest = extension.packageJSON as { extensionKind?: string[]; browser?: string; main?: string };
    assert.deepEqual(manifest.extensionKind, ['workspace', 'ui']);
    assert.equal(manifest.browser, './dist/web/extension.js');
    assert.equal(manifest.main, './dist/extension.js');
  });

  it('in code-server the extension runs on the remote, and the panel says so', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    await extension?.activate();
    assert.equal(extension?.extensionKind, vscode.ExtensionKind.Workspace);
    const remoteName = vscode.env.remoteName;
    assert.ok(remoteName, 'code-server is a remote: remoteName is set');
    const origin = hostOrigin();
    assert.equal(origin.runsOn, 'workspace');
    // code-server's remote authority is its address (no "name+" prefix), so that is its name.
    assert.equal(origin.sentence, `Connections leave from: remote machine ${remoteName} (this extension runs on the remote)`);
    assert.match(remoteName, /^127\.0\.0\.1:\d+$/);
  });
});
