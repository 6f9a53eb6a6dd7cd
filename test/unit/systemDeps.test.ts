// The decisions of scripts/ensure-system-deps.mjs (which packages, then install, ask or stop),
// without running dpkg or apt-get.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

type Profile = 'test' | 'start';
interface Facts {
  codeServerInstalled: boolean;
  codeServerWanted?: boolean;
  extra?: string[];
}
type Decision =
  | { kind: 'satisfied' }
  | { kind: 'unsupported'; packages: string[] }
  | { kind: 'dry-run'; packages: string[]; commands: string[][] }
  | { kind: 'install'; packages: string[]; commands: string[][] }
  | { kind: 'manual'; packages: string[]; command: string };
interface SystemDeps {
  requiredPackages(profile: Profile, facts: Facts): string[];
  missingPackages(names: string[], machine: { installed: Set<string>; existing: Set<string> }): string[];
  decide(missing: string[], machine: { apt: boolean; root: boolean; sudo: boolean; dryRun: boolean }): Decision;
}

const PEERS = ['chromium', 'python3', 'python3-websockets', 'python3-socketio', 'python3-aiohttp', 'python3-msgpack', 'python3-cbor2', 'python3-protobuf', 'mosquitto'];
const BUILD = ['libkrb5-dev', 'build-essential'];
const MACHINE = { apt: true, root: true, sudo: false, dryRun: false };

let deps: SystemDeps;
before(async () => {
  // Tests run from out/test/unit; the script is in the source tree.
  deps = (await import(pathToFileURL(path.resolve(__dirname, '../../../scripts/ensure-system-deps.mjs')).href)) as SystemDeps;
});

describe('ensure-system-deps: which packages', () => {
  it('tests need Chromium and the Python peers, and the code-server build packages until it is installed', () => {
    assert.deepEqual(deps.requiredPackages('test', { codeServerInstalled: true }), PEERS);
    const fresh = deps.requiredPackages('test', { codeServerInstalled: false });
    assert.deepEqual(new Set(fresh), new Set([...PEERS, ...BUILD]));
    assert.equal(fresh.length, new Set(fresh).size, 'python3 is asked for once');
  });

  it('npm start needs only the code-server build, and only when code-server must be installed and used', () => {
    assert.deepEqual(deps.requiredPackages('start', { codeServerInstalled: true, codeServerWanted: true }), []);
    assert.deepEqual(deps.requiredPackages('start', { codeServerInstalled: false, codeServerWanted: false }), []);
    const build = deps.requiredPackages('start', { codeServerInstalled: false, codeServerWanted: true });
    assert.deepEqual(new Set(build), new Set([...BUILD, 'python3']));
    for (const peer of PEERS.filter((name) => name !== 'python3')) assert.ok(!build.includes(peer), peer);
  });

  it('adds the extra packages of WSD_EXTRA_SYSTEM_DEPS to either profile', () => {
    assert.deepEqual(deps.requiredPackages('start', { codeServerInstalled: true, extra: ['cowsay'] }), ['cowsay']);
    assert.ok(deps.requiredPackages('test', { codeServerInstalled: true, extra: ['cowsay'] }).includes('cowsay'));
  });

  it('refuses an unknown profile', () => {
    assert.throws(() => deps.requiredPackages('lint' as Profile, { codeServerInstalled: true }), /unknown profile "lint"/);
  });
});

describe('ensure-system-deps: what is missing', () => {
  it('counts a package by dpkg, or by its files when it has some (a compiler installed another way)', () => {
    const names = ['chromium', 'build-essential', 'python3-websockets', 'libkrb5-dev'];
    const none = { installed: new Set<string>(), existing: new Set<string>() };
    assert.deepEqual(deps.missingPackages(names, none), names);
    const byFiles = { installed: new Set(['python3-websockets']), existing: new Set(['/usr/bin/chromium', '/usr/bin/g++', '/usr/bin/make']) };
    assert.deepEqual(deps.missingPackages(names, byFiles), ['libkrb5-dev']);
    const halfCompiler = { installed: new Set<string>(), existing: new Set(['/usr/bin/make']) };
    assert.ok(deps.missingPackages(['build-essential'], halfCompiler).includes('build-essential'), 'make alone is not enough');
    assert.deepEqual(deps.missingPackages(names, { installed: new Set(names), existing: new Set() }), []);
  });
});

describe('ensure-system-deps: what to do', () => {
  it('does nothing when nothing is missing, whatever the machine', () => {
    assert.deepEqual(deps.decide([], { apt: false, root: false, sudo: false, dryRun: false }), { kind: 'satisfied' });
  });

  it('as root: apt-get update, then install only the missing packages, non-interactively', () => {
    const decision = deps.decide(['chromium', 'libkrb5-dev'], MACHINE);
    assert.deepEqual(decision, {
      kind: 'install',
      packages: ['chromium', 'libkrb5-dev'],
      commands: [
        ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'update', '-qq'],
        ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', 'chromium', 'libkrb5-dev'],
      ],
    });
  });

  it('through sudo -n when it works without a password', () => {
    const decision = deps.decide(['chromium'], { ...MACHINE, root: false, sudo: true });
    assert.equal(decision.kind, 'install');
    if (decision.kind !== 'install') return;
    for (const command of decision.commands) assert.deepEqual(command.slice(0, 3), ['sudo', '-n', 'env']);
  });

  it('otherwise stops with the exact command to run', () => {
    assert.deepEqual(deps.decide(['chromium', 'python3-aiohttp'], { ...MACHINE, root: false }), {
      kind: 'manual',
      packages: ['chromium', 'python3-aiohttp'],
      command: 'sudo apt-get update && sudo apt-get install -y chromium python3-aiohttp',
    });
  });

  it('without apt-get/dpkg: names what is needed and installs nothing', () => {
    assert.deepEqual(deps.decide(['chromium'], { ...MACHINE, apt: false }), { kind: 'unsupported', packages: ['chromium'] });
  });

  it('a dry run says what it would run and runs nothing', () => {
    const decision = deps.decide(['cowsay'], { ...MACHINE, dryRun: true });
    assert.equal(decision.kind, 'dry-run');
    if (decision.kind !== 'dry-run') return;
    assert.deepEqual(decision.commands.at(-1)?.slice(-1), ['cowsay']);
  });
});
