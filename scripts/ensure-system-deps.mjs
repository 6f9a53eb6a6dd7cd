// The Debian packages the tests and `npm start` need beside npm's: checks each, installs what
// is missing with apt-get when it can (as root, or through `sudo -n`), and otherwise stops with
// the exact command to run. Idempotent and cheap when everything is there: one dpkg-query call
// and a few file checks (docs/system-deps.md has the figure).
//
// Usage: node scripts/ensure-system-deps.mjs test|start [--code-server] [--dry-run]
//   test          what npm test and the test:* scripts need
//   start         what npm start needs (only while code-server must still be installed and
//                 desktop `code` is not on PATH, or with --code-server)
//   --dry-run     say what would be installed, install nothing
// Environment: WSD_SKIP_SYSTEM_DEPS=1 skips every check (for machines set up another way);
// WSD_EXTRA_SYSTEM_DEPS="pkg ..." requires more packages (to try the install path safely).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CODE_SERVER_VERSION } from '../test/harness/codeServer.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const codeServerMarker = path.join(repoRoot, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`, 'install-complete.json');

/**
 * Why each package is needed. `files` present: the package counts as there when all of them
 * exist (Chromium or a compiler installed some other way is as good); otherwise dpkg says.
 */
const PACKAGES = {
  chromium: { why: "the end-to-end tests drive Debian's Chromium", files: ['/usr/bin/chromium'] },
  python3: { why: 'the independent test peers are Python scripts (and node-gyp runs Python)', files: ['/usr/bin/python3'] },
  'python3-websockets': { why: 'the Python WebSocket test peer' },
  'python3-socketio': { why: 'the Python Socket.IO test peer' },
  'python3-aiohttp': { why: 'the Python Socket.IO test peer serves through aiohttp' },
  'python3-msgpack': { why: 'the decoder tests check our MessagePack against an independent encoder/decoder' },
  'python3-cbor2': { why: 'the decoder tests check our CBOR against an independent encoder/decoder' },
  'python3-protobuf': { why: "the decoder tests check our Protocol Buffers against Google's Python runtime" },
  mosquitto: { why: 'the protocol lens tests talk MQTT over WebSocket to a broker we did not write', files: ['/usr/sbin/mosquitto'] },
  'libkrb5-dev': { why: "code-server's kerberos module is compiled on its first install" },
  'build-essential': { why: 'the C++ compiler and make for that compile', files: ['/usr/bin/g++', '/usr/bin/make'] },
};

const TEST_PEERS = ['chromium', 'python3', 'python3-websockets', 'python3-socketio', 'python3-aiohttp', 'python3-msgpack', 'python3-cbor2', 'python3-protobuf', 'mosquitto'];
const CODE_SERVER_BUILD = ['libkrb5-dev', 'build-essential', 'python3'];

/**
 * The packages a profile needs, given what is known about the machine:
 * `codeServerInstalled` (its marker file exists), `codeServerWanted` (start: no desktop `code`,
 * or --code-server) and `extra` (WSD_EXTRA_SYSTEM_DEPS).
 */
export function requiredPackages(profile, { codeServerInstalled, codeServerWanted = true, extra = [] }) {
  const names = [];
  switch (profile) {
    case 'test':
      names.push(...TEST_PEERS);
      if (!codeServerInstalled) names.push(...CODE_SERVER_BUILD);
      break;
    case 'start':
      if (!codeServerInstalled && codeServerWanted) names.push(...CODE_SERVER_BUILD);
      break;
    default:
      throw new Error(`unknown profile "${profile}" (test or start)`);
  }
  names.push(...extra);
  return [...new Set(names)];
}

/** Those of `names` that are not there: `installed` from dpkg, `existing` the files that exist. */
export function missingPackages(names, { installed, existing }) {
  return names.filter((name) => {
    const files = PACKAGES[name]?.files;
    if (files && files.every((file) => existing.has(file))) return false;
    return !installed.has(name);
  });
}

/** The command lines that install `packages`, with `sudo -n` in front when not root. */
export function installCommands(packages, { root }) {
  const prefix = root ? [] : ['sudo', '-n'];
  // sudo may reset the environment; `env` sets the front end inside it.
  const apt = [...prefix, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'];
  return [
    [...apt, 'update', '-qq'],
    [...apt, 'install', '-y', '-qq', ...packages],
  ];
}

/**
 * What to do about `missing`, from what the machine allows:
 * `apt` (apt-get and dpkg exist), `root`, `sudo` (`sudo -n true` works), `dryRun`.
 */
export function decide(missing, { apt, root, sudo, dryRun }) {
  if (missing.length === 0) return { kind: 'satisfied' };
  if (!apt) return { kind: 'unsupported', packages: missing };
  const commands = installCommands(missing, { root });
  if (dryRun) return { kind: 'dry-run', packages: missing, commands };
  if (root || sudo) return { kind: 'install', packages: missing, commands };
  return { kind: 'manual', packages: missing, command: `sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}` };
}

function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** Installed packages among `names`, in one dpkg-query call; undefined without dpkg. */
function dpkgInstalled(names) {
  if (names.length === 0) return new Set();
  const result = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\\n', ...names], { encoding: 'utf8' });
  if (result.error) return undefined;
  // Unknown names go to stderr (exit status 1); the known ones are still listed.
  const installed = new Set();
  for (const line of result.stdout.split('\n')) {
    const [name, ...status] = line.trim().split(' ');
    if (name && status.join(' ') === 'install ok installed') installed.add(name.replace(/:.*$/, ''));
  }
  return installed;
}

function describe(packages) {
  return packages.map((name) => `  ${name}: ${PACKAGES[name]?.why ?? 'asked for by WSD_EXTRA_SYSTEM_DEPS'}`).join('\n');
}

function findMissing(names) {
  const existing = new Set(Object.values(PACKAGES).flatMap((p) => p.files ?? []).filter((file) => existsSync(file)));
  const installed = dpkgInstalled(names);
  return { apt: installed !== undefined && onPath('apt-get'), missing: missingPackages(names, { installed: installed ?? new Set(), existing }) };
}

/**
 * Checks (and installs) what `profile` needs; returns false after saying what to do when it
 * could not. `codeServerWanted` (start): code-server will be used, not desktop `code`.
 */
export function ensureSystemDeps(profile, { codeServerWanted, dryRun = false } = {}) {
  const log = (text) => console.error(`[system-deps] ${text}`);
  if (process.env.WSD_SKIP_SYSTEM_DEPS === '1') return true;
  const names = requiredPackages(profile, {
    codeServerInstalled: existsSync(codeServerMarker),
    codeServerWanted: codeServerWanted ?? !onPath('code'),
    extra: (process.env.WSD_EXTRA_SYSTEM_DEPS ?? '').split(/[\s,]+/).filter(Boolean),
  });
  const { apt, missing } = findMissing(names);
  const root = process.getuid?.() === 0;
  const sudo = missing.length > 0 && !root && apt && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  const decision = decide(missing, { apt, root, sudo, dryRun });
  switch (decision.kind) {
    case 'satisfied':
      return true;
    case 'unsupported':
      log(`missing system packages (Debian names):\n${describe(decision.packages)}`);
      log('this machine has no apt-get/dpkg: install their equivalents, then run with WSD_SKIP_SYSTEM_DEPS=1 to skip this check');
      return false;
    case 'manual':
      log(`missing system packages:\n${describe(decision.packages)}`);
      log(`installing them needs root; run:\n\n  ${decision.command}\n`);
      return false;
    case 'dry-run':
      log(`missing system packages:\n${describe(decision.packages)}`);
      log(`would run (--dry-run, nothing installed):\n${decision.commands.map((c) => `  ${c.join(' ')}`).join('\n')}`);
      return true;
    case 'install': {
      log(`installing missing system packages:\n${describe(decision.packages)}`);
      for (const command of decision.commands) {
        log(command.join(' '));
        const run = spawnSync(command[0], command.slice(1), { stdio: 'inherit' });
        if (run.status !== 0) {
          log(`that failed (${run.error?.message ?? `exit status ${run.status}`}); install the packages yourself, or set WSD_SKIP_SYSTEM_DEPS=1 if they are there under other names`);
          return false;
        }
      }
      const still = findMissing(decision.packages).missing;
      if (still.length > 0) {
        log(`still missing after apt-get: ${still.join(' ')}`);
        return false;
      }
      return true;
    }
    default:
      throw new Error(`unhandled decision ${decision.kind}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'code-server': { type: 'boolean', default: false }, 'dry-run': { type: 'boolean', default: false } },
  });
  const profile = positionals[0] ?? 'test';
  const ok = ensureSystemDeps(profile, {
    codeServerWanted: values['code-server'] ? true : undefined,
    dryRun: values['dry-run'],
  });
  process.exitCode = ok ? 0 : 1;
}
