// Artillery for the export test, installed on demand: it is a large package (hundreds of
// dependencies, cloud SDKs included) that only one test needs, so it stays out of package.json and
// is installed once with `npm install --prefix` into .artillery-test/ (git- and vsix-ignored),
// then reused. The version is the one src/shared/artilleryExport.ts writes scripts for.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The version the exporter targets, read from its source so the two cannot drift. */
export const ARTILLERY_VERSION = (() => {
  const source = readFileSync(path.join(repoRoot, 'src/shared/artilleryExport.ts'), 'utf8');
  const found = /ARTILLERY_VERSION = '([^']+)'/.exec(source);
  if (!found) throw new Error('ARTILLERY_VERSION not found in src/shared/artilleryExport.ts');
  return found[1];
})();

const installDir = path.join(repoRoot, '.artillery-test', `artillery-${ARTILLERY_VERSION}`);
const markerFile = path.join(installDir, 'install-complete.json');
const entry = path.join(installDir, 'node_modules', 'artillery', 'bin', 'run');

function log(message) {
  console.log(`[artillery] ${message}`);
}

/** The environment without the npm_* variables an outer `npm run` sets (an inner npm reads them as its own config). */
export function cleanEnv(extra = {}) {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name))), ...extra };
}

function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10 * 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const output = Buffer.concat(chunks).toString();
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${output.trim().split('\n').slice(-30).join('\n')}`));
    });
  });
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One install at a time, across processes: a lock directory holding the owner's pid. */
async function withLock(fn) {
  const lockDir = `${installDir}.lock`;
  await mkdir(path.dirname(lockDir), { recursive: true });
  for (let waited = 0; ; waited += 1) {
    try {
      await mkdir(lockDir);
      writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const owner = Number(await readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => '0'));
      if (owner && !isAlive(owner)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (waited % 15 === 0) log(`waiting for another install (pid ${owner || '?'}) to finish...`);
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

/**
 * Makes sure Artillery is installed and returns the script to run with Node. The marker file is
 * written last, so an interrupted install is wiped and redone next time.
 */
export async function ensureArtillery() {
  const complete = () => existsSync(markerFile) && existsSync(entry);
  if (complete()) return entry;
  return withLock(async () => {
    if (complete()) return entry;
    log(`installing artillery ${ARTILLERY_VERSION} into ${path.relative(repoRoot, installDir)}/ (first time only, about a minute)`);
    await rm(installDir, { recursive: true, force: true });
    await mkdir(installDir, { recursive: true });
    // Its own package.json, so that npm does not walk up to this repository's.
    await writeFile(path.join(installDir, 'package.json'), `${JSON.stringify({ name: 'artillery-test', private: true }, null, 2)}\n`);
    // No install scripts: they fetch browsers for Artillery's Playwright engine, which this test does not use.
    await run('npm', ['install', '--prefix', installDir, '--ignore-scripts', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error', `artillery@${ARTILLERY_VERSION}`], {
      cwd: installDir,
      env: cleanEnv(),
    });
    if (!existsSync(entry)) throw new Error(`the install did not produce ${entry}`);
    await writeFile(markerFile, `${JSON.stringify({ version: ARTILLERY_VERSION, installed: new Date().toISOString() })}\n`);
    return entry;
  });
}
