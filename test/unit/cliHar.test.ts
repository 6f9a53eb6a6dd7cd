// `websocket-debugger har import` and `run --har` as users run them: `node dist/cli.js` in a child
// process. The Chrome fixture imports into a flow that passes against a live ws echo server; a run
// recorded as HAR strips secrets and cookies (or keeps them when asked) and imports back.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { startWsServer } from './helpers/testServers';

const root = path.resolve(__dirname, '../../..');
const CLI = path.join(root, 'dist/cli.js');
const CHROME = path.join(root, 'test/fixtures/har/chrome.har');
const CHROME_SOCKET_IO = path.join(root, 'test/fixtures/har/chrome-socketio.har');
const dir = mkdtempSync(path.join(os.tmpdir(), 'wsd-har-'));
let files = 0;
const temp = (name: string): string => path.join(dir, `${files++}-${name}`);

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
  lines: string[];
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Result> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
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

/** A ws server that echoes every message in its own frame type, and what it saw. */
async function echoServer(t: TestContext) {
  const running = await startWsServer();
  t.after(() => running.close());
  const seen = { protocols: [] as string[], cookies: [] as (string | undefined)[], messages: 0 };
  running.server.on('connection', (socket, request) => {
    seen.protocols.push(socket.protocol);
    seen.cookies.push(request.headers.cookie);
    socket.on('message', (data, isBinary) => {
      seen.messages += 1;
      socket.send(data, { binary: isBinary });
    });
  });
  return { url: running.url, seen };
}

describe('websocket-debugger har import', () => {
  it('writes a collection from the Chrome fixture and says what it imported', async () => {
    const out = temp('chrome.json');
    const result = await cli(['har', 'import', CHROME, '--out', out]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.lines, [
      `Imported 1 WebSocket connection from ${CHROME} (saved by WebInspector) into ${out}, collection "chrome":`,
      '  localhost:8765/echo: ws://localhost:8765/echo?room=lobby, 3 sent and 3 received messages, 3 saved messages, flow "Replay localhost:8765/echo"',
      'Note: Cookies left out of 1 endpoint (keep them with --keep-cookies, or the "Keep cookies" choice).',
    ]);
    const file = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(file.format, 'websocket-debugger-collection');
    assert.equal(file.version, 3);
    assert.equal(file.endpoints[0].messages.length, 3);
    assert.equal(file.endpoints[0].headers.some((h: { name: string }) => h.name === 'Cookie'), false);
    assert.equal(file.flows[0].name, 'Replay localhost:8765/echo');
  });

  it('never replaces an existing --out without --force', async () => {
    const out = temp('taken.json');
    writeFileSync(out, 'mine');
    const refused = await cli(['har', 'import', CHROME, '--out', out]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /taken\.json exists; add --force to replace it/);
    assert.equal(readFileSync(out, 'utf8'), 'mine');
    const forced = await cli(['har', 'import', CHROME, '--out', out, '--force', '--keep-cookies', '--name', 'Shop']);
    assert.equal(forced.status, 0, forced.stderr);
    const file = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(file.name, 'Shop');
    assert.equal(file.endpoints[0].headers.find((h: { name: string }) => h.name === 'Cookie').value, 'session=abc123; theme=dark');
  });

  it('usage errors and unusable files exit 2 with nothing written', async () => {
    const out = temp('never.json');
    for (const args of [['har'], ['har', 'export', CHROME], ['har', 'import', CHROME], ['har', 'import', '--out', out], ['har', 'import', CHROME, '--out', out, '--bogus']]) {
      const result = await cli(args);
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, /Try 'websocket-debugger har --help'/);
    }
    const truncated = temp('cut.har');
    writeFileSync(truncated, readFileSync(CHROME, 'utf8').slice(0, 500));
    const cut = await cli(['har', 'import', truncated, '--out', out]);
    assert.equal(cut.status, 2);
    assert.match(cut.stderr, /cut\.har: not a JSON file: .*was it cut short\?\); nothing was written/);
    const missing = await cli(['har', 'import', temp('none.har'), '--out', out]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /none\.har: no such file/);
    const notUtf8 = temp('latin1.har');
    writeFileSync(notUtf8, Buffer.from([0x7b, 0xff, 0x7d]));
    assert.match((await cli(['har', 'import', notUtf8, '--out', out])).stderr, /not UTF-8 text/);
    assert.equal(existsSync(out), false);
    const help = await cli(['har', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: websocket-debugger har import FILE\.har --out COLLECTION\.json/);
  });

  it('the Chrome fixture imports into a flow that passes against a live echo server', async (t) => {
    const server = await echoServer(t);
    const out = temp('live.json');
    assert.equal((await cli(['har', 'import', CHROME, '--out', out])).status, 0);
    // What a user does with a capture from another machine: point the endpoint at this server.
    const file = JSON.parse(readFileSync(out, 'utf8'));
    file.endpoints[0].url = `${server.url}/echo?room=lobby`;
    writeFileSync(out, JSON.stringify(file));
    const run = await cli(['run', out]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(run.lines.at(-1), '1 passed, 0 failed');
    assert.equal(run.lines.filter((l) => l.startsWith('✓')).length, 8);
    assert.equal(server.seen.messages, 3);
    assert.deepEqual(server.seen.protocols, ['chat.v2']);
  });
});

describe('websocket-debugger run --har', () => {
  function collection(url: string): string {
    const file = temp('run.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'websocket-debugger-collection',
        version: 3,
        name: 'CI',
        endpoints: [{ name: 'echo', url: `${url}/feed?key={{token}}`, headers: [{ name: 'Cookie', value: 'sid=42' }] }],
        environments: [{ name: 'dev', variables: [{ name: 'token', value: '', secret: true }] }],
        activeEnvironment: 'dev',
        flows: [{ name: 'login', steps: [{ connect: 'echo' }, { send: { json: { auth: '{{token}}' } } }, { expect: { json: { auth: '{{token}}' } } }, { send: { hex: 'de ad' } }, { expect: { hex: 'de ad' } }, { close: {} }] }],
      }),
    );
    return file;
  }

  it('records the run as HAR, secrets as {{name}} and cookies removed, and says so before the tally', async (t) => {
    const server = await echoServer(t);
    const har = temp('run.har');
    const run = await cli(['run', collection(server.url), '--har', har], { WSD_SECRET_token: 'hunter2' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.deepEqual(run.lines.slice(-4), [
      `Recorded 1 connection (4 messages) as HAR in ${har}`,
      '  Secret values replaced by their variable: {{token}} (3×).',
      '  Cookies removed: 1 Cookie / Set-Cookie header.',
      '1 passed, 0 failed',
    ]);
    const text = readFileSync(har, 'utf8');
    assert.doesNotMatch(text, /hunter2/);
    assert.doesNotMatch(text, /sid=42/);
    const entry = JSON.parse(text).log.entries[0];
    assert.equal(entry._resourceType, 'websocket');
    assert.equal(entry.response.status, 101);
    assert.equal(entry.request.url, `${server.url}/feed?key={{token}}`);
    assert.ok(entry.timings.connect >= 0 && entry.timings.wait >= 0);
    assert.deepEqual(
      entry._webSocketMessages.map((m: { type: string; opcode: number; data: string }) => [m.type, m.opcode, m.data]),
      [
        ['send', 1, '{"auth":"{{token}}"}'],
        ['receive', 1, '{"auth":"{{token}}"}'],
        ['send', 2, '3q0='],
        ['receive', 2, '3q0='],
      ],
    );
    assert.ok(entry._webSocketMessages.every((m: { time: number }) => m.time > 1.7e9 && m.time < 1e10), 'epoch seconds');
    // And the file imports back: the same four messages.
    const out = temp('back.json');
    const back = await cli(['har', 'import', har, '--out', out]);
    assert.equal(back.status, 0, back.stderr);
    assert.match(back.lines[1]!, /2 sent and 2 received messages, 2 saved messages/);
  });

  it('--keep-secrets and --keep-cookies keep them; alone they are usage errors', async (t) => {
    const server = await echoServer(t);
    const har = temp('kept.har');
    const run = await cli(['run', collection(server.url), '--har', har, '--keep-secrets', '--keep-cookies'], { WSD_SECRET_token: 'hunter2' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(run.lines.at(-2), `Recorded 1 connection (4 messages) as HAR in ${har}`);
    const text = readFileSync(har, 'utf8');
    assert.match(text, /"data": "\{\\"auth\\":\\"hunter2\\"\}"/);
    assert.match(text, /sid=42/);
    const alone = await cli(['run', collection(server.url), '--keep-secrets']);
    assert.equal(alone.status, 2);
    assert.match(alone.stderr, /--keep-secrets goes with --har/);
  });
});

describe('Socket.IO: har import and run --har', () => {
  it('imports the Chrome Socket.IO fixture, replays it against a live socket.io server and records the run as Socket.IO HAR', async (t) => {
    const { startSocketIoServer } = (await import(path.join(root, 'test/e2e/socketIoServers.mjs'))) as { startSocketIoServer(o: { version: 'v4' }): Promise<{ url: string; close(): Promise<void> }> };
    const server = await startSocketIoServer({ version: 'v4' });
    t.after(() => server.close());
    const out = temp('sio.json');
    const imported = await cli(['har', 'import', CHROME_SOCKET_IO, '--out', out]);
    assert.equal(imported.status, 0, imported.stderr);
    assert.equal(imported.lines[1], '  localhost:3000/chat: http://localhost:3000, Socket.IO v4 namespace /chat, 3 sent and 4 received events, 3 saved messages, flow "Replay localhost:3000/chat"');
    const file = JSON.parse(readFileSync(out, 'utf8'));
    file.endpoints[0].url = server.url;
    writeFileSync(out, JSON.stringify(file));
    const har = temp('sio-run.har');
    const run = await cli(['run', out, '--har', har]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(run.lines.at(-1), '1 passed, 0 failed');
    const entry = JSON.parse(readFileSync(har, 'utf8')).log.entries[0];
    assert.equal(entry.request.url, `${server.url.replace('http:', 'ws:')}/socket.io/?room=lobby&EIO=4&transport=websocket`);
    const wire = entry._webSocketMessages.map((m: { type: string; opcode: number; data: string }) => [m.type, m.opcode, m.data.replace(/"sid":"[^"]+"/, '"sid":"…"')]);
    assert.deepEqual(wire, [
      ['send', 1, '40/chat,'],
      ['receive', 1, '40/chat,{"sid":"…"}'],
      ['send', 1, '42/chat,["echo",{"text":"hello","n":1}]'],
      ['receive', 1, '42/chat,["echo",{"text":"hello","n":1}]'],
      ['send', 1, '42/chat,0["echo","with ack"]'],
      ['receive', 1, '42/chat,["echo","with ack"]'],
      ['receive', 1, '43/chat,0["with ack"]'],
      ['send', 1, '451-/chat,["echo",{"_placeholder":true,"num":0}]'],
      ['send', 2, 'AAEC/w=='],
      ['receive', 1, '451-/chat,["echo",{"_placeholder":true,"num":0}]'],
      ['receive', 2, 'AAEC/w=='],
      ['send', 1, '41/chat,'],
    ]);
    // And the recording imports back into the same flow.
    const back = temp('sio-back.json');
    assert.equal((await cli(['har', 'import', har, '--out', back])).status, 0);
    assert.deepEqual(JSON.parse(readFileSync(back, 'utf8')).flows[0].steps.slice(1), file.flows[0].steps.slice(1));
  });
});
