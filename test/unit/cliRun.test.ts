// `websocket-debugger run` as CI runs it: `node dist/cli.js run FILE` in a child process against
// ws servers on port 0 in this process. Output lines, the last line, exit statuses, --junit,
// --bail, --flow, --env, --var, secrets from WSD_SECRET_*, refusals before connecting, SIGINT.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { startPythonServer } from './helpers/pythonServers';
import { startWsServer } from './helpers/testServers';
import { parseXml } from './helpers/xml';

const root = path.resolve(__dirname, '../../..');
const CLI = path.join(root, 'dist/cli.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'wsd-run-'));

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
  lines: string[];
}

function runCli(args: string[], options: { env?: Record<string, string>; started?: (child: ChildProcess, stdout: () => string) => void } = {}): Promise<Result> {
  const child = spawn(process.execPath, [CLI, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  options.started?.(child, () => stdout);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the CLI did not exit within 20 s\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, 20_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, lines: stdout.trimEnd().split('\n') });
    });
  });
}

let files = 0;
/** Writes a version 3 collection with one endpoint "echo" at `url` and these flows. */
function collection(url: string, flows: unknown[], extra: Record<string, unknown> = {}): string {
  const file = path.join(dir, `c${files++}.json`);
  writeFileSync(file, JSON.stringify({ format: 'websocket-debugger-collection', version: 3, name: 'CI', endpoints: [{ name: 'echo', url }], flows, ...extra }));
  return file;
}

async function echoServer(t: TestContext, silent = false) {
  const running = await startWsServer();
  t.after(() => running.close());
  const seen = { connections: 0, messages: [] as string[], closes: [] as number[] };
  running.server.on('connection', (socket) => {
    seen.connections += 1;
    socket.on('message', (data) => {
      seen.messages.push(String(data));
      if (!silent) socket.send(String(data));
    });
    socket.on('close', (code) => seen.closes.push(code));
  });
  return { url: running.url, seen };
}

const passing = { name: 'smoke', steps: [{ connect: 'echo' }, { send: { text: 'hi' } }, { expect: { text: 'hi' } }] };
const failing = { name: 'broken', steps: [{ connect: 'echo' }, { send: { text: 'a<b & "c"' } }, { expect: { text: 'zzz' }, timeout: 200 }, { send: { text: 'later' } }] };

describe('websocket-debugger run', () => {
  it('prints one line per step and "N passed, M failed" last; exit 0 when every flow passed', async (t) => {
    const s = await echoServer(t);
    const r = await runCli([collection(s.url, [passing])]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.lines.length, 4);
    assert.match(r.lines[0]!, /^✓ smoke › 1\. connect echo \(\d+ ms\)$/);
    assert.match(r.lines[1]!, /^✓ smoke › 2\. send text "hi" \(\d+ ms\)$/);
    assert.match(r.lines[2]!, /^✓ smoke › 3\. expect text "hi" \(\d+ ms\)$/);
    assert.equal(r.lines.at(-1), '1 passed, 0 failed');
  });

  it('exit 1 when a flow failed; the failure shows expected and actual; --junit writes XML that parses', async (t) => {
    const s = await echoServer(t);
    const junit = path.join(dir, 'report.xml');
    const r = await runCli([collection(s.url, [passing, failing]), '--junit', junit]);
    assert.equal(r.status, 1, r.stderr);
    assert.ok(r.lines.some((line) => /^✗ broken › 3\. expect text "zzz" \(\d+ ms\)$/.test(line)), r.stdout);
    assert.ok(r.lines.includes('    expected: text "zzz"'));
    assert.ok(r.lines.includes('    actual:   text "a<b & \\"c\\""'));
    assert.ok(r.lines.includes('- broken › 4. send text "later" (skipped)'));
    assert.equal(r.lines.at(-1), '1 passed, 1 failed');
    const xml = parseXml(readFileSync(junit, 'utf8'));
    assert.equal(xml.name, 'testsuites');
    assert.deepEqual(xml.children.map((suite) => [suite.attributes.name, suite.attributes.tests, suite.attributes.failures, suite.attributes.skipped]), [
      ['smoke', '3', '0', '0'],
      ['broken', '4', '1', '1'],
    ]);
    const broken = xml.children[1]!.children;
    assert.equal(broken[2]!.attributes.name, '3. expect text "zzz"');
    assert.equal(broken[2]!.attributes.classname, 'CI.broken');
    const failure = broken[2]!.children[0]!;
    assert.equal(failure.name, 'failure');
    assert.equal(failure.attributes.message, 'no match within 200 ms; 1 other message passed over');
    assert.match(failure.text, /expected: text "zzz"\nactual: {3}text "a<b & \\"c\\""/);
    assert.equal(broken[3]!.children[0]!.name, 'skipped');
  });

  it('--bail stops after the first failed flow; --flow picks flows', async (t) => {
    const s = await echoServer(t);
    const file = collection(s.url, [failing, { ...passing, name: 'after' }]);
    const bailed = await runCli([file, '--bail']);
    assert.equal(bailed.status, 1);
    assert.ok(!bailed.stdout.includes('after ›'));
    assert.equal(bailed.lines.at(-2), 'Stopped after the first failed flow (--bail): 1 not run');
    assert.equal(bailed.lines.at(-1), '0 passed, 1 failed');
    const picked = await runCli([file, '--flow', 'after']);
    assert.equal(picked.status, 0);
    assert.equal(picked.lines.at(-1), '1 passed, 0 failed');
  });

  it('takes variables from --env, --var and secrets from WSD_SECRET_*, masking the secrets', async (t) => {
    const s = await echoServer(t);
    const flows = [{ name: 'vars', steps: [{ connect: 'echo' }, { send: { text: '{{greeting}} {{token}}' } }, { expect: { text: 'nope' }, timeout: 200 }] }];
    const environments = [
      { name: 'dev', variables: [{ name: 'greeting', value: 'hello' }, { name: 'token', value: '', secret: true }] },
      { name: 'prod', variables: [{ name: 'greeting', value: 'bonjour' }] },
    ];
    const file = collection(s.url, flows, { environments, activeEnvironment: 'prod' });
    const r = await runCli([file, '--env', 'dev', '--var', 'greeting=hi'], { env: { WSD_SECRET_token: 'hunter2' } });
    assert.equal(r.status, 1);
    assert.deepEqual(s.seen.messages, ['hi hunter2']);
    assert.ok(r.lines.includes('    actual:   text "hi ••••••"'), r.stdout);
    assert.doesNotMatch(r.stdout + r.stderr, /hunter2/);
    const missing = await runCli([file, '--env', 'dev']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /\{\{token\}\} is a secret variable: set it in the environment variable WSD_SECRET_token/);
  });

  it('exit 2 for usage errors and files that cannot be used, before anything connects', async (t) => {
    const s = await echoServer(t);
    const cases: [string[], RegExp][] = [
      [[], /run needs the collection file/],
      [[path.join(dir, 'missing.json')], /missing\.json: no such file/],
      [[collection(s.url, [{ name: 'bad', steps: [{ connect: 'echo' }, { expect: { regex: '[' } }] }])], /Flow "bad", step 2, field "expect.regex": the regular expression does not compile/],
      [[collection(s.url, [{ name: 'bad', steps: [{ connect: 'echo' }, { sendd: {} }] }])], /Flow "bad", step 2, field "sendd": unknown step key/],
      [[collection(s.url, [passing]), '--flow', 'nope'], /no flow "nope" \(it has "smoke"\)/],
      [[collection(s.url, [passing]), '--env', 'nope'], /no environment "nope" \(it has none\)/],
      [[collection(s.url, [passing]), '--var', 'novalue'], /--var "novalue": write it NAME=VALUE/],
      [[collection(s.url, [])], /the collection has no flows/],
    ];
    for (const [args, pattern] of cases) {
      const r = await runCli(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, pattern);
      assert.equal(r.stdout, '');
    }
    assert.equal(s.seen.connections, 0);
  });

  it('runs Socket.IO flows from the bundle against python-socketio', async (t) => {
    const port = await startPythonServer(t, 'py_socketio.py');
    const file = path.join(dir, `c${files++}.json`);
    writeFileSync(file, JSON.stringify({
      format: 'websocket-debugger-collection',
      version: 3,
      name: 'CI',
      endpoints: [{ name: 'chat', kind: 'socketio', url: `http://127.0.0.1:${port}`, socketio: { namespace: '/chat' } }],
      flows: [{ name: 'sio', steps: [{ connect: 'chat', timeout: 10_000 }, { emit: { event: 'echo', args: ['hi'], ack: true } }, { expect: { event: 'echo', args: ['hi'] } }, { expect: { ack: ['hi'] } }] }],
    }));
    const r = await runCli([file]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.lines.at(-1), '1 passed, 0 failed');
  });

  it('SIGINT closes the connections with 1001, reports the run as interrupted and exits 130', async (t) => {
    const s = await echoServer(t, true);
    const file = collection(s.url, [{ name: 'long', steps: [{ connect: 'echo' }, { send: { text: 'x' } }, { expect: { text: 'never' }, timeout: 60_000 }] }]);
    const r = await runCli([file], {
      started: (child, stdout) => {
        const poll = setInterval(() => {
          if (stdout().includes('2. send')) {
            clearInterval(poll);
            child.kill('SIGINT');
          }
        }, 20);
      },
    });
    assert.equal(r.status, 130, r.stdout + r.stderr);
    assert.ok(r.lines.includes('Interrupted: connections were closed with 1001 (Going Away)'), r.stdout);
    assert.match(r.stdout, /✗ long › 3\. expect text "never" \(\d+ ms\)\n {4}interrupted/);
    assert.equal(r.lines.at(-1), '0 passed, 1 failed');
    assert.deepEqual(s.seen.closes, [1001]);
  });
});
