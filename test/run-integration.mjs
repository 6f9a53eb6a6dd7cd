// Runs the extension-host integration suite (out/test/integration/index.js, whose run() uses
// mocha and `require('vscode')`) inside real VS Code, offline: code-server started with the
// smoke-test driver, its workbench opened in headless Chromium with a payload that names the
// extension under development and the suite. The workbench reports the result through
// window.codeAutomationExit, which becomes this process's exit code.
//
// Usage: node test/run-integration.mjs [--tests <suite index>] [--extension <dir>] [--timeout <s>] [--locale <lang>]
// WSD_VERBOSE=1 also prints the workbench's own logging (always in test-results/integration.log).
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { format, parseArgs } from 'node:util';
import { cleanupAndExit, interrupted } from './harness/cleanup.mjs';
import { launchChromium, newPage, resultsDir, saveScreenshot } from './harness/browser.mjs';
import { remoteUri, repoRoot, startCodeServer, tempDir, workbenchUrl } from './harness/codeServer.mjs';

const { values: options } = parseArgs({
  options: {
    tests: { type: 'string', default: path.join(repoRoot, 'out', 'test', 'integration', 'index') },
    extension: { type: 'string', default: repoRoot },
    timeout: { type: 'string', default: process.env.WSD_INTEGRATION_TIMEOUT ?? '300' },
    locale: { type: 'string' },
  },
});

const testsPath = path.resolve(options.tests).replace(/\.js$/, '');
const extensionPath = path.resolve(options.extension);
const timeoutMs = Number(options.timeout) * 1000;

/**
 * The suite's console output reaches codeAutomationLog word for word, on the same channel and
 * with the same types as the workbench's own logging; these patterns recognise the latter.
 * Everything, noise included, also goes to test-results/integration.log.
 */
const WORKBENCH_NOISE = [
  /^\[[\w .:/-]+\] /, // tagged workbench loggers: [Service Worker], [AgentHost:remote], ...
  /^(Resolving|Resolved) connection token/,
  /^Creating a socket \(renderer-/,
  /^Updating additional builtin extensions cache/,
  /\/static\/out\/vs\//, // errors with stacks inside the workbench bundle
  /open-vsx\.org|authentication provider/,
];

function isNoise(text) {
  return WORKBENCH_NOISE.some((pattern) => pattern.test(text));
}

/** Formats console arguments the way console.log would ("%s", "%d" and "%c" included). */
function formatLogArgs(args) {
  const list = Array.isArray(args) ? args : [args];
  return format(...list);
}

async function main() {
  if (!existsSync(`${testsPath}.js`)) {
    throw new Error(`integration suite ${path.relative(repoRoot, testsPath)}.js not found; `
      + 'build it with `node scripts/build.mjs --tests` (npm run test:integration does both)');
  }
  if (!existsSync(path.join(extensionPath, 'package.json'))) {
    throw new Error(`no extension manifest in ${extensionPath}`);
  }
  const started = Date.now();
  const workspace = await tempDir('workspace');
  const server = await startCodeServer({ folder: workspace, smokeTestDriver: true, locale: options.locale });
  console.log(`[integration] code-server listening at ${server.url} (${Date.now() - started} ms)`);

  const browser = await launchChromium();
  const page = await newPage(browser);

  let finish;
  const result = new Promise((resolve) => { finish = resolve; });
  await page.exposeFunction('codeAutomationExit', (code) => finish({ code: Number(code) }));
  mkdirSync(resultsDir, { recursive: true });
  const logFile = path.join(resultsDir, 'integration.log');
  appendFileSync(logFile, `--- ${new Date().toISOString()} ${testsPath}\n`);
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = formatLogArgs(args);
    appendFileSync(logFile, `[${type}] ${text}\n`);
    if (process.env.WSD_VERBOSE || !isNoise(text)) {
      (type === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
    }
  });
  page.on('crash', () => finish({ error: 'the workbench page crashed' }));

  const url = workbenchUrl(server, {
    folder: workspace,
    payload: [
      ['extensionDevelopmentPath', remoteUri(extensionPath)],
      ['extensionTestsPath', remoteUri(testsPath)],
    ],
  });
  console.log(`[integration] running ${path.relative(repoRoot, testsPath) || testsPath} against ${extensionPath}`);
  await page.goto(url);

  const timer = setTimeout(() => finish({ error: `timed out after ${timeoutMs / 1000} s` }), timeoutMs);
  const outcome = await result;
  clearTimeout(timer);

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (outcome.error) {
    const shot = await saveScreenshot(page, 'integration-timeout').catch(() => undefined);
    console.error(`[integration] FAILED: ${outcome.error}${shot ? `; screenshot: ${path.relative(repoRoot, shot)}` : ''}`);
    console.error(`[integration] last code-server output:\n${server.output().trim().split('\n').slice(-20).join('\n')}`);
    return 1;
  }
  console.log(`[integration] suite ${outcome.code === 0 ? 'passed' : 'FAILED'} (exit code ${outcome.code}, ${seconds} s)`);
  return outcome.code === 0 ? 0 : 1;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  if (!interrupted()) console.error(`[integration] ${error.stack ?? error}`);
}
await cleanupAndExit(exitCode);
