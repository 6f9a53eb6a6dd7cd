// What the on-demand installs of the test harness share (code-server in codeServer.mjs, Artillery
// in artillery.mjs): running a child with its output kept for the error, and a lock so that two
// runs (npm start beside npm test, two suites) never install into the same folder at once.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { onCleanup } from './cleanup.mjs';

/**
 * Runs `command` and resolves with its output (stdout and stderr); rejects with the last 30 lines
 * when it fails or outlives `timeoutMs`. `logFile` gets the whole output appended; `log`, when
 * given, hears "...still running" every 20 s.
 */
export function runLogged(command, args, { cwd, env, logFile, timeoutMs = 15 * 60_000, log } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    const keep = (chunk) => chunks.push(chunk);
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const started = Date.now();
    const ticker = log && setInterval(() => log(`  ...still running (${Math.round((Date.now() - started) / 1000)} s)`), 20_000);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', async (code, signal) => {
      if (ticker) clearInterval(ticker);
      clearTimeout(timer);
      const output = Buffer.concat(chunks).toString();
      if (logFile) await writeFile(logFile, output, { flag: 'a' });
      if (code === 0) resolve(output);
      else {
        const tail = output.trim().split('\n').slice(-30).join('\n');
        reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${tail}`));
      }
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

/**
 * Runs `fn` holding the lock of `installDir` (a directory `installDir.lock` with the owner's pid):
 * waits while another live process holds it, takes over one whose owner died, and removes it
 * afterwards, also on Ctrl+C (cleanup.mjs).
 */
export async function withInstallLock(installDir, log, fn) {
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
  const release = onCleanup(() => rm(lockDir, { recursive: true, force: true }),
    () => rmSync(lockDir, { recursive: true, force: true }));
  try {
    return await fn();
  } finally {
    await release();
  }
}
