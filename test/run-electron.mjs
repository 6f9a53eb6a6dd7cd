// Runs the same extension-host integration suite as test/run-integration.mjs, but in desktop
// VS Code downloaded by @vscode/test-electron. That needs internet access to
// update.code.visualstudio.com; where there is none (this project's machines and CI) it stops
// with a clear message instead of hanging, and test/run-integration.mjs (code-server) is the
// offline way to run the suite.
//
// Usage: node test/run-electron.mjs [--tests <suite index>] [--vscode <version|stable|insiders>]
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: options } = parseArgs({
  options: {
    tests: { type: 'string', default: path.join(repoRoot, 'out', 'test', 'integration', 'index') },
    vscode: { type: 'string', default: process.env.WSD_VSCODE_VERSION ?? 'stable' },
  },
});
const DOWNLOAD_LIMIT_MS = 5 * 60_000;
const RUN_LIMIT_MS = 5 * 60_000;

function withDeadline(promise, ms, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

async function main() {
  const testsPath = path.resolve(options.tests).replace(/\.js$/, '');
  if (!existsSync(`${testsPath}.js`)) {
    console.error(`[electron] integration suite ${path.relative(repoRoot, testsPath)}.js not found; build it with \`node scripts/build.mjs --tests\``);
    return 1;
  }

  let vscodeExecutablePath;
  try {
    console.log(`[electron] getting VS Code (${options.vscode}) into .vscode-test/ ...`);
    vscodeExecutablePath = await withDeadline(downloadAndUnzipVSCode({
      version: options.vscode,
      cachePath: path.join(repoRoot, '.vscode-test'),
      // Idle timeout per request, so a blackholed connection fails instead of hanging.
      timeout: 30_000,
    }), DOWNLOAD_LIMIT_MS, 'the VS Code download');
  } catch (error) {
    console.error(`[electron] could not download VS Code: ${error?.message ?? error}`);
    console.error('[electron] @vscode/test-electron needs internet access to update.code.visualstudio.com.'
      + ' Without it, run the same suite offline in code-server: npm run test:integration');
    return 1;
  }

  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.warn('[electron] no DISPLAY: desktop VS Code needs one; try `xvfb-run -a npm run test:electron`');
  }
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'wsd-electron-workspace-'));
  try {
    const code = await withDeadline(runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: testsPath,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    }), RUN_LIMIT_MS, 'the test run');
    console.log(`[electron] suite ${code === 0 ? 'passed' : 'FAILED'} (exit code ${code})`);
    return code === 0 ? 0 : 1;
  } catch (error) {
    // runTests rejects with the exit code or an Error when VS Code fails or tests fail.
    console.error(`[electron] FAILED: ${error?.message ?? error}`);
    return 1;
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

process.exit(await main());
