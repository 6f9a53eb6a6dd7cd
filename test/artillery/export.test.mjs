// `websocket-debugger export artillery` end to end: flows exported from collection files and run
// by the real `artillery` (installed on demand, see test/harness/artillery.mjs) against a ws echo
// server and a Socket.IO server in this process. Each run is judged by Artillery's own report
// (`--output`): every virtual user completed, none failed, no errors; and the servers saw what the
// flows send (the secret from the environment, the captured values). A flow that must fail proves
// the judgement can fail. Needs dist/cli.js (npm run build).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Server as SocketIoServer } from 'socket.io';
import { WebSocketServer } from 'ws';
import { cleanEnv, ensureArtillery, repoRoot } from '../harness/artillery.mjs';

const CLI = path.join(repoRoot, 'dist/cli.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'wsd-artillery-'));
const VUSERS = 2;
const SECRET = 's3cr3t-token';

function exec(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: dir, env: cleanEnv({ ARTILLERY_DISABLE_TELEMETRY: 'true', ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

let artillery;
const ws = { server: undefined, port: 0, messages: [], authorization: [] };
const io = { server: undefined, port: 0, events: [] };

before(async () => {
  artillery = await ensureArtillery();
  ws.server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => ws.server.once('listening', resolve));
  ws.port = ws.server.address().port;
  ws.server.on('connection', (socket, request) => {
    ws.authorization.push(request.headers.authorization);
    socket.on('message', (data, binary) => {
      ws.messages.push(String(data));
      socket.send(data, { binary });
    });
  });
  io.server = new SocketIoServer({ cors: { origin: '*' } });
  io.server.listen(0);
  io.port = io.server.httpServer.address().port;
  io.server.of('/chat').on('connection', (socket) => {
    socket.on('echo', (...args) => {
      io.events.push(['echo', args]);
      socket.emit('echo', ...args);
    });
    socket.on('sum', (arg, ack) => {
      io.events.push(['sum', [arg]]);
      ack({ total: Number(arg.a) + Number(arg.b) });
    });
  });
});

after(async () => {
  ws.server?.close();
  for (const client of ws.server?.clients ?? []) client.terminate();
  await io.server?.close();
});

function collectionFile(name) {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      format: 'websocket-debugger-collection',
      version: 3,
      name: 'Load',
      environments: [
        {
          name: 'local',
          variables: [
            { name: 'who', value: 'world' },
            { name: 'api.token', value: '', secret: true },
          ],
        },
      ],
      activeEnvironment: 'local',
      endpoints: [
        {
          name: 'echo',
          url: `ws://127.0.0.1:${ws.port}`,
          headers: [{ name: 'Authorization', value: 'Bearer {{api.token}}' }],
          messages: [{ name: 'hello', format: 'text', body: 'hello {{who}}' }],
        },
        { name: 'chat', kind: 'socketio', url: `http://127.0.0.1:${io.port}`, socketio: { namespace: '/chat' } },
      ],
      flows: [
        {
          name: 'echo',
          steps: [
            { connect: 'echo' },
            { send: { json: { op: 'login', token: '{{api.token}}', who: '{{who}}' } } },
            { expect: { json: { op: 'login', who: 'world' } }, capture: { session: '$.token' }, next: true },
            { wait: 100 },
            { send: { message: 'hello' } },
            { expect: { contains: 'hello wor' }, next: true },
            { send: { text: 'again {{session}}' } },
            { expect: { regex: '^again s\\d' }, next: true },
            { send: { text: 'exact' } },
            { expect: { text: 'exact' }, next: true },
            { ping: 'not for artillery' },
            { close: { code: 1000 } },
          ],
        },
        {
          name: 'wrong answer',
          steps: [{ connect: 'echo' }, { send: { text: 'yes' } }, { expect: { text: 'no' }, timeout: 1000 }],
        },
        {
          name: 'chat',
          steps: [
            { connect: 'chat' },
            { emit: { event: 'echo', args: ['hi', 'there'] } },
            { expect: { event: 'echo', args: ['hi', 'there'] } },
            { emit: { event: 'echo', args: [{ n: 1, text: 'hi' }] } },
            { expect: { event: 'echo', args: [{ n: 1, text: 'hi' }] }, capture: { n: '$[0].n' } },
            { emit: { event: 'sum', args: [{ a: '{{n}}', b: 2 }], ack: true } },
            { expect: { ack: [{ total: 3 }] } },
          ],
        },
      ],
    }),
  );
  return file;
}

/** Exports `flow`, runs it with Artillery and returns the export's stderr, the script and Artillery's report. */
async function exportAndRun(flow) {
  const collection = collectionFile(flow.replace(/\W/g, '_'));
  const script = path.join(dir, `${flow.replace(/\W/g, '_')}.yml`);
  const exported = await exec(process.execPath, [CLI, 'export', 'artillery', collection, '--flow', flow, '-o', script, '--duration', '1', '--arrival-rate', String(VUSERS)]);
  assert.equal(exported.status, 0, exported.stderr);
  const report = path.join(dir, `${flow.replace(/\W/g, '_')}.report.json`);
  const ran = await exec(process.execPath, [artillery, 'run', '--output', report, script], { WSD_SECRET_api_token: SECRET });
  assert.equal(ran.status, 0, `artillery run failed:\n${ran.stdout}\n${ran.stderr}`);
  return { stderr: exported.stderr, script: readFileSync(script, 'utf8'), counters: JSON.parse(readFileSync(report, 'utf8')).aggregate.counters };
}

/** What is wrong with a run by Artillery's counters; empty when every virtual user passed. */
function problems(counters) {
  const found = [];
  if (counters['vusers.created'] !== VUSERS) found.push(`vusers.created ${counters['vusers.created']}, expected ${VUSERS}`);
  if (counters['vusers.completed'] !== VUSERS) found.push(`vusers.completed ${counters['vusers.completed'] ?? 0}, expected ${VUSERS}`);
  if ((counters['vusers.failed'] ?? 0) !== 0) found.push(`vusers.failed ${counters['vusers.failed']}`);
  for (const [name, value] of Object.entries(counters)) if (name.startsWith('errors.')) found.push(`${name} ${value}`);
  return found;
}

describe('export artillery, run by Artillery', { timeout: 300_000 }, () => {
  it('the flows pass in websocket-debugger run first', async () => {
    const run = await exec(process.execPath, [CLI, 'run', collectionFile('run'), '--flow', 'echo', '--flow', 'chat'], { WSD_SECRET_api_token: SECRET });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.equal(run.stdout.trimEnd().split('\n').pop(), '2 passed, 0 failed');
    ws.messages.length = 0;
    ws.authorization.length = 0;
    io.events.length = 0;
  });

  it('the same WebSocket flow passes in Artillery: sends, checks and captures, the secret read from the environment', async () => {
    const { stderr, script, counters } = await exportAndRun('echo');
    assert.deepEqual(problems(counters), []);
    assert.equal(counters['websocket.messages_sent'], 4 * VUSERS);
    assert.equal(counters['websocket.messages_received'], 4 * VUSERS);
    // The ping is reported, on stderr and in the script; the secret's value is in neither.
    assert.match(stderr, /step 11 \(ping "not for artillery"\): not exported/);
    assert.match(script, /^# - step 11 \(ping "not for artillery"\): not exported/m);
    assert.ok(!script.includes(SECRET));
    assert.match(script, /\{\{ \$processEnvironment\.WSD_SECRET_api_token \}\}/);
    assert.deepEqual(ws.authorization, Array(VUSERS).fill(`Bearer ${SECRET}`));
    const logins = ws.messages.filter((m) => m.startsWith('{')).map((m) => JSON.parse(m));
    assert.deepEqual(logins, Array(VUSERS).fill({ op: 'login', token: SECRET, who: 'world' }));
    assert.equal(ws.messages.filter((m) => m === 'hello world').length, VUSERS);
    // The capture of step 3 filled in step 7.
    assert.equal(ws.messages.filter((m) => m === `again ${SECRET}`).length, VUSERS);
  });

  it('a flow whose expectation does not hold fails in Artillery too (the judgement can fail)', async () => {
    const { counters } = await exportAndRun('wrong answer');
    const found = problems(counters);
    assert.ok(found.some((p) => p.startsWith('vusers.failed')), found.join('; '));
    assert.ok(found.some((p) => p.startsWith('errors.')), found.join('; '));
  });

  it('a Socket.IO flow passes in Artillery: emits, reply events (one with a capture), the ack', async () => {
    io.events.length = 0;
    const { counters } = await exportAndRun('chat');
    assert.deepEqual(problems(counters), []);
    assert.equal(counters['socketio.emit'], 3 * VUSERS);
    const sums = io.events.filter(([name]) => name === 'sum').map(([, args]) => args[0]);
    // The capture of step 5 (n = 1) filled in step 6.
    assert.deepEqual(sums.map((arg) => Number(arg.a)), Array(VUSERS).fill(1));
  });
});
