// npm start: builds the extension, starts the demo WebSocket server (scripts/demoServer.mjs),
// shares a sample collection pointing at it from a fresh workspace (its
// .vscode/websocket-debugger.json), and opens VS Code with the extension loaded from this
// repository as a development extension: desktop `code` when it is on PATH, otherwise
// code-server (installed under .vscode-test/ on first use) in your browser.
// Ctrl+C stops everything.
//
// Usage: npm start [-- --code-server] [-- --port <code-server port>]
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { onCleanup } from '../test/harness/cleanup.mjs';
import { remoteUri, startCodeServer, tempDir, workbenchUrl } from '../test/harness/codeServer.mjs';
import { startDemoServer } from './demoServer.mjs';
import { ensureSystemDeps } from './ensure-system-deps.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: options } = parseArgs({
  options: {
    'code-server': { type: 'boolean', default: false },
    port: { type: 'string' },
  },
});

function hasDesktopCode() {
  return spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
}

const useDesktopCode = !options['code-server'] && hasDesktopCode();
// Only code-server's first install needs system packages (its native kerberos module).
if (!ensureSystemDeps('start', { codeServerWanted: !useDesktopCode })) process.exit(1);

const build = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const demo = await startDemoServer();
onCleanup(() => demo.close(), () => {});
console.log(`[start] demo WebSocket server on ${demo.url}`);

const workspace = await tempDir('demo-workspace');
// Shared by the workspace: the WebSocket view lists it (read-only; Import makes a copy of your own).
const collectionFile = path.join(workspace, '.vscode', 'websocket-debugger.json');
const collection = {
  format: 'websocket-debugger-collection',
  version: 2,
  name: 'Demo',
  endpoints: [{ name: 'Local echo', url: demo.url }],
};
await mkdir(path.dirname(collectionFile), { recursive: true });
await writeFile(collectionFile, `${JSON.stringify(collection, null, 2)}\n`);
console.log(`[start] sample collection: ${collectionFile} (listed in the WebSocket view as a workspace collection)`);
console.log(`[start] try it: F1, "WebSocket: Connect…", then ${demo.url} (send "help?" for the demo's commands)`);

if (useDesktopCode) {
  spawn('code', ['--new-window', `--extensionDevelopmentPath=${repoRoot}`, workspace], { stdio: 'inherit' });
  console.log('[start] opened VS Code with the extension under development; Ctrl+C here stops the demo server');
} else {
  // The smoke-test driver option makes the web workbench honour the payload that loads the
  // repository as a development extension (without it the payload is ignored).
  const server = await startCodeServer({
    folder: workspace,
    smokeTestDriver: true,
    port: options.port ? Number(options.port) : undefined,
  });
  const url = workbenchUrl(server, {
    folder: workspace,
    payload: [['extensionDevelopmentPath', remoteUri(repoRoot)]],
  });
  console.log('\n[start] VS Code (code-server) with the extension under development is at:\n');
  console.log(`  ${url}\n`);
  console.log('[start] after changing the code: rebuild (npm run build, or npm run watch) and reload the window. Ctrl+C stops everything.');
}

// Keep running until Ctrl+C / SIGTERM; cleanup.mjs stops the servers and removes the workspace.
setInterval(() => {}, 1 << 30);
