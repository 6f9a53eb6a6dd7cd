// `websocket-debugger export artillery` as a user runs it: `node dist/cli.js export artillery FILE
// --flow NAME` in a child process. The script on stdout or in --out (never over an existing file
// without --force), the notes on stderr, exit status 0, and 2 for every usage error or unusable
// file. What the script holds is artilleryExport.test.ts; running it is test/artillery.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '../../..');
const CLI = path.join(root, 'dist/cli.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'wsd-export-'));

function exportCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'export', ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

let files = 0;
function collection(flows: unknown[], extra: Record<string, unknown> = {}): string {
  const file = path.join(dir, `c${files++}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      format: 'websocket-debugger-collection',
      version: 3,
      name: 'CI',
      environments: [{ name: 'dev', variables: [{ name: 'word', value: 'hello' }, { name: 'key', value: '', secret: true }] }],
      activeEnvironment: 'dev',
      endpoints: [{ name: 'echo', url: 'ws://127.0.0.1:9/{{word}}' }],
      flows,
      ...extra,
    }),
  );
  return file;
}

const echoFlow = { name: 'echo', steps: [{ connect: 'echo' }, { send: { text: '{{word}} {{key}}' } }, { expect: { text: 'hello' }, next: true }, { ping: 'x' }] };

describe('websocket-debugger export artillery', () => {
  it('writes the script to standard output and the notes to standard error', async () => {
    const file = collection([echoFlow]);
    const result = await exportCli(['artillery', file, '--flow', 'echo']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^# Artillery 2\.0\.34 script \(ws engine\) exported by websocket-debugger\n/);
    assert.match(result.stdout, /^ {2}target: "ws:\/\/127\.0\.0\.1:9\/hello"$/m);
    assert.match(result.stdout, /payload: "\{\{ word \}\} \{\{ \$processEnvironment\.WSD_SECRET_key \}\}"/);
    assert.match(result.stdout, /^# - step 4 \(ping "x"\): not exported: Artillery's ws engine cannot send pings$/m);
    assert.equal(result.stderr, `websocket-debugger: step 4 (ping "x"): not exported: Artillery's ws engine cannot send pings\n`);
  });

  it('takes the only flow when --flow is left out, and --env, --var, --duration, --arrival-rate', async () => {
    const file = collection([echoFlow], { environments: [{ name: 'dev', variables: [] }, { name: 'ci', variables: [{ name: 'word', value: 'ci' }, { name: 'key', value: 'k' }] }] });
    const result = await exportCli(['artillery', file, '--env', 'ci', '--var', 'key=override', '--duration', '5', '--arrival-rate', '0.5']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /target: "ws:\/\/127\.0\.0\.1:9\/ci"/);
    assert.match(result.stdout, /variables:\n {4}word: "ci"\n {4}key: "override"/);
    assert.match(result.stdout, /duration: 5\n {6}arrivalRate: 0\.5/);
  });

  it('-o writes the file, refuses to replace it without --force, replaces it with --force', async () => {
    const file = collection([echoFlow]);
    const out = path.join(dir, 'load.yml');
    const first = await exportCli(['artillery', file, '--flow', 'echo', '-o', out]);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout, '');
    assert.match(first.stderr, /wrote .*load\.yml \(Artillery ws engine, 1 note\)/);
    assert.match(readFileSync(out, 'utf8'), /^scenarios:$/m);
    writeFileSync(out, 'mine');
    const again = await exportCli(['artillery', file, '--flow', 'echo', '--out', out]);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /load\.yml exists; use --force to replace it/);
    assert.equal(readFileSync(out, 'utf8'), 'mine');
    const forced = await exportCli(['artillery', file, '--flow', 'echo', '--out', out, '--force']);
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(readFileSync(out, 'utf8'), /^scenarios:$/m);
  });

  it('exit status 2 for usage errors and files it cannot use, with the reason', async () => {
    const two = collection([echoFlow, { name: 'other', steps: [{ connect: 'echo' }] }]);
    const cases: [string[], RegExp][] = [
      [[], /export needs a format \(artillery\) and the collection file/],
      [['k6', two], /unknown export format "k6" \(known: artillery\)/],
      [['artillery'], /export artillery needs the collection file/],
      [['artillery', two, 'extra'], /unexpected argument "extra"/],
      [['artillery', two], /choose the flow to export with --flow \(it has "echo", "other"\)/],
      [['artillery', two, '--flow', 'nope'], /no flow "nope" \(it has "echo", "other"\)/],
      [['artillery', two, '--flow', 'echo', '--env', 'prod'], /no environment "prod" \(it has "dev"\)/],
      [['artillery', two, '--flow', 'echo', '--duration', '0'], /--duration "0": expected a positive number/],
      [['artillery', two, '--flow', 'echo', '--var', 'novalue'], /--var "novalue": write it NAME=VALUE/],
      [['artillery', two, '--bogus'], /Unknown option '--bogus'/],
      [['artillery', path.join(dir, 'missing.json'), '--flow', 'echo'], /missing\.json: no such file/],
      [['artillery', collection([{ name: 'bad', steps: [{ connect: 'nowhere' }] }])], /Flow "bad", step 1, field "connect": unknown endpoint "nowhere"/],
      [['artillery', collection([{ name: 'idle', steps: [{ wait: 1 }] }])], /flow "idle" connects to no endpoint/],
      [['artillery', collection([echoFlow], { activeEnvironment: undefined })], /unknown variable \{\{word\}\}/],
      [['artillery', two, '--flow', 'echo', '-o', path.join(dir, 'no/such/dir.yml')], /could not write .*: no such directory/],
    ];
    for (const [args, expected] of cases) {
      const result = await exportCli(args);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, expected, args.join(' '));
      assert.equal(result.stdout, '', args.join(' '));
    }
    assert.ok(!existsSync(path.join(dir, 'no')));
  });

  it('--help prints the usage and exits 0', async () => {
    const result = await exportCli(['--help']);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^Usage: websocket-debugger export artillery FILE --flow NAME \[options\]/);
    assert.match(result.stdout, /-o, --out PATH/);
  });
});
