// End-to-end tests: the packaged extension (websocket-debugger.vsix) installed into a fresh
// code-server, driven through its workbench in headless Chromium. Spec modules in
// test/e2e/specs/*.mjs run one after another against one shared workbench; see README.md.
//
// Usage: node test/e2e/run.mjs [--vsix <file>] [--grep <text>] [spec files...]
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { cleanupAndExit, interrupted } from '../harness/cleanup.mjs';
import { launchChromium, newPage, resultsDir, saveScreenshot, waitForWorkbench } from '../harness/browser.mjs';
import { installVsix, repoRoot, startCodeServer, tempDir, workbenchUrl } from '../harness/codeServer.mjs';
import { runWithTimeout, takeRegisteredTests } from './framework.mjs';
import { startPythonEchoServer, startWsEchoServer } from './servers.mjs';
import { describeWorkbenchState, reloadWindow, resetWorkbench, waitForExtension } from './workbench.mjs';

const specsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'specs');
const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    vsix: { type: 'string', default: path.join(repoRoot, 'websocket-debugger.vsix') },
    grep: { type: 'string' },
  },
});

function elapsed(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

async function specFiles() {
  if (positionals.length > 0) return positionals.map((file) => path.resolve(file));
  return (await readdir(specsDir)).filter((name) => name.endsWith('.mjs')).sort().map((name) => path.join(specsDir, name));
}

async function setUp() {
  const started = Date.now();
  const vsix = path.resolve(options.vsix);
  if (!existsSync(vsix)) throw new Error(`${path.relative(repoRoot, vsix)} not found: build it with \`npm run package\` (npm run test:e2e does both)`);
  const workspace = await tempDir('e2e-workspace');
  const extensionsDir = await tempDir('e2e-extensions');
  await installVsix(vsix, extensionsDir);
  const [server, echo, py] = await Promise.all([
    startCodeServer({ folder: workspace, extensionsDir }),
    startWsEchoServer(),
    startPythonEchoServer({ subprotocols: ['chat', 'json'] }),
  ]);
  const browser = await launchChromium();
  const page = await newPage(browser);
  mkdirSync(resultsDir, { recursive: true });
  const browserLog = path.join(resultsDir, 'e2e-browser.log');
  page.on('pageerror', (error) => appendFileSync(browserLog, `[pageerror] ${error.stack ?? error}\n`));
  page.on('console', (message) => {
    if (message.type() === 'error') appendFileSync(browserLog, `[console.error] ${message.text()}\n`);
  });
  await page.goto(workbenchUrl(server, { folder: workspace }));
  await waitForWorkbench(page);
  await waitForExtension(page);
  console.log(`[e2e] workbench ready at ${server.url} with ${path.basename(vsix)} installed (${elapsed(started)})`);
  return {
    browser,
    page,
    server,
    workspace,
    echo,
    py,
    screenshot: (name) => saveScreenshot(page, name),
  };
}

async function main() {
  const files = await specFiles();
  if (files.length === 0) throw new Error(`no spec files in ${path.relative(repoRoot, specsDir)}`);
  const ctx = await setUp();
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const failures = [];

  for (const file of files) {
    const specName = path.basename(file, '.mjs');
    await import(pathToFileURL(file).href);
    const tests = takeRegisteredTests()
      .filter((t) => !options.grep || `${specName} ${t.name}`.includes(options.grep));
    if (tests.length === 0) continue;
    console.log(`\n${specName}`);
    for (const t of tests) {
      if (t.skip) {
        counts.skipped += 1;
        console.log(`  - ${t.name} (skipped)`);
        continue;
      }
      const started = Date.now();
      const error = await runWithTimeout(t.fn, ctx, t.timeout);
      if (!error) {
        counts.passed += 1;
        console.log(`  ✔ ${t.name} (${elapsed(started)})`);
        continue;
      }
      counts.failed += 1;
      const shot = await saveScreenshot(ctx.page, `${specName}-${t.name}`).catch(() => undefined);
      const state = await describeWorkbenchState(ctx.page).catch((stateError) => `unknown: ${stateError.message}`);
      console.log(`  ✖ ${t.name} (${elapsed(started)})`);
      console.log(`      ${String(error.stack ?? error).split('\n').join('\n      ')}`);
      console.log(`      workbench: ${state}`);
      if (shot) console.log(`      screenshot: ${path.relative(repoRoot, shot)}`);
      failures.push(`${specName} › ${t.name}`);
      // Leave a known state for the next test: close what is open, or reload if that fails.
      try {
        await resetWorkbench(ctx.page);
      } catch {
        await reloadWindow(ctx.page)
          .catch(async () => {
            // The palette itself may be what broke: reload the page under the workbench.
            await ctx.page.reload();
            await waitForWorkbench(ctx.page);
            await waitForExtension(ctx.page);
          })
          .catch((reloadError) => console.log(`      (reload failed too: ${reloadError.message})`));
      }
    }
  }

  console.log(`\n${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
  for (const name of failures) console.log(`  failed: ${name}`);
  if (counts.passed + counts.failed === 0) {
    console.log('no tests ran');
    return 1;
  }
  return counts.failed === 0 ? 0 : 1;
}

const started = Date.now();
let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  if (!interrupted()) console.error(`[e2e] ${error.stack ?? error}`);
}
console.log(`[e2e] finished in ${elapsed(started)}`);
await cleanupAndExit(exitCode);
