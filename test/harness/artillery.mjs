// Artillery for the export test, installed on demand: it is a large package (hundreds of
// dependencies, cloud SDKs included) that only one test needs, so it stays out of package.json and
// is installed once with `npm install --prefix` into .artillery-test/ (git- and vsix-ignored),
// then reused. The version is the one src/shared/artilleryExport.ts writes scripts for.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLogged, withInstallLock } from './install.mjs';

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

/**
 * Makes sure Artillery is installed and returns the script to run with Node. The marker file is
 * written last, so an interrupted install is wiped and redone next time.
 */
export async function ensureArtillery() {
  const complete = () => existsSync(markerFile) && existsSync(entry);
  if (complete()) return entry;
  return withInstallLock(installDir, log, async () => {
    if (complete()) return entry;
    log(`installing artillery ${ARTILLERY_VERSION} into ${path.relative(repoRoot, installDir)}/ (first time only, about a minute)`);
    await rm(installDir, { recursive: true, force: true });
    await mkdir(installDir, { recursive: true });
    // Its own package.json, so that npm does not walk up to this repository's.
    await writeFile(path.join(installDir, 'package.json'), `${JSON.stringify({ name: 'artillery-test', private: true }, null, 2)}\n`);
    // No install scripts: they fetch browsers for Artillery's Playwright engine, which this test does not use.
    await runLogged('npm', ['install', '--prefix', installDir, '--ignore-scripts', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error', `artillery@${ARTILLERY_VERSION}`], {
      cwd: installDir,
      env: cleanEnv(),
    });
    if (!existsSync(entry)) throw new Error(`the install did not produce ${entry}`);
    await writeFile(markerFile, `${JSON.stringify({ version: ARTILLERY_VERSION, installed: new Date().toISOString() })}\n`);
    return entry;
  });
}
