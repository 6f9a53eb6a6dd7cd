// `websocket-debugger serve` as users run it: `node dist/cli.js serve FILE` in a child process,
// with ws and socket.io-client connecting to the URL it prints.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { io as ioClient } from 'socket.io-client';
import WebSocket from 'ws';

const root = path.resolve(__dirname, '../../..');
const CLI = path.join(root, 'dist/cli.js');
const dir = mkdtempSync(path.join(tmpdir(), 'wsd-serve-'));

function collection(mocks: unknown[], name = 'mocks.json'): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify({ format: 'websocket-debugger-collection', version: 3, name: 'C', endpoints: [], mocks }));
  return file;
}

const FILE = collection([
  { name: 'greeter', path: '/ws', rules: [{ onConnect: { reply: { text: 'hello {{connection.id}}' } } }, { on: { text: 'ping' }, reply: { text: 'pong' } }] },
  { name: 'io', kind: 'socketio', rules: [{ on: { event: 'hi' }, ack: ['there'] }] },
]);

interface Served {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function run(args: string[]): { child: ChildProcessWithoutNullStreams; stdout: () => string; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args]);
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (status) => resolve(status)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function serve(args: string[]): Promise<Served> {
  const started = run(['serve', ...args]);
  const deadline = Date.now() + 10_000;
  while (!started.stdout().includes('\n')) {
    if (Date.now() > deadline || started.child.exitCode !== null) assert.fail(`no listening line; stderr: ${started.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const line = started.stdout();
  const match = /^listening on (\S+)\n$/.exec(line);
  assert.ok(match, `stdout: ${JSON.stringify(line)}`);
  return { ...started, url: match[1] };
}

describe('websocket-debugger serve', () => {
  it('a Protobuf mock loads its .proto relative to the collection file and logs messages decoded', async () => {
    mkdirSync(path.join(dir, 'proto'), { recursive: true });
    for (const name of ['feed.proto', 'common.proto']) copyFileSync(path.join(root, 'test/fixtures/proto', name), path.join(dir, 'proto', name));
    const decode = { as: 'protobuf', proto: 'proto/feed.proto', type: 'feed.v1.Tick' };
    const file = collection(
      [{ name: 'ticks', decode, rules: [{ on: { decoded: { symbol: 'ACME' } }, reply: { protobuf: { symbol: 'ACME', price: 12.5 } } }] }],
      'ticks.json',
    );
    const served = await serve([file]);
    const ws = new WebSocket(served.url);
    const replies: Buffer[] = [];
    ws.on('message', (data) => replies.push(data as Buffer));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(Buffer.from('0a0441434d45', 'hex')); // Tick {symbol: "ACME"}
    while (replies.length < 1) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(replies[0]!.toString('hex'), '0a0441434d45110000000000002940');
    ws.close();
    served.child.kill('SIGINT');
    assert.equal(await served.exited, 0);
    assert.match(served.stderr(), /client 1 <- protobuf 6 B \{"symbol":"ACME"\}/);
    assert.match(served.stderr(), /client 1 -> protobuf 15 B \{"symbol":"ACME","price":12\.5\}/);

    const wrong = collection([{ name: 'ticks', decode: { ...decode, type: 'feed.v1.Tock' }, rules: [] }], 'wrong.json');
    const failed = run(['serve', wrong]);
    assert.equal(await failed.exited, 1);
    assert.match(failed.stderr(), /Mock "ticks", "decode": proto\/feed\.proto has no message type "feed\.v1\.Tock"/);
  });

  it('prints one listening line, serves the rules, and on SIGINT closes clients with 1001 and exits 0', async () => {
    const served = await serve([FILE, '--mock', 'greeter']);
    assert.match(served.url, /^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    const ws = new WebSocket(served.url);
    const messages: string[] = [];
    ws.on('message', (data) => messages.push(data.toString()));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send('ping');
    while (messages.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(messages, ['hello 1', 'pong']);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    served.child.kill('SIGINT');
    assert.equal(await closed, 1001);
    assert.equal(await served.exited, 0);
    assert.equal(served.stdout(), `listening on ${served.url}\n`);
    const log = served.stderr();
    assert.match(log, /Client 1 connected from 127\.0\.0\.1:\d+/);
    assert.match(log, /client 1 <- ping/);
    assert.match(log, /client 1 -> pong/);
    assert.match(log, /Client 1 disconnected: 1001/);
  });

  it('SIGTERM too; --port sets the port; a Socket.IO mock prints an http:// URL', async () => {
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const port = (free.address() as AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));
    const served = await serve([FILE, '--mock', 'io', '--port', String(port)]);
    assert.equal(served.url, `http://127.0.0.1:${port}/`);
    const socket = ioClient(served.url, { transports: ['websocket'], reconnection: false });
    const answer = await socket.timeout(3000).emitWithAck('hi');
    assert.equal(answer, 'there');
    const gone = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    served.child.kill('SIGTERM');
    assert.equal(await gone, 'io server disconnect');
    assert.equal(await served.exited, 0);
  });

  it('a port in use: a sentence and exit 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const result = run(['serve', FILE, '--mock', 'greeter', '--port', String(port)]);
    assert.equal(await result.exited, 1);
    assert.equal(result.stdout(), '');
    assert.match(result.stderr(), new RegExp(`Mock "greeter" cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use`));
    blocker.close();
  });

  it('--host beyond loopback is accepted and said so', async () => {
    const served = await serve([FILE, '--mock', 'greeter', '--host', '0.0.0.0']);
    assert.match(served.url, /^ws:\/\/0\.0\.0\.0:\d+\/ws$/);
    // Written before the listening line, but through another pipe: it may be read a moment later.
    const deadline = Date.now() + 3000;
    while (!/other machines can reach this mock/.test(served.stderr()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.match(served.stderr(), /other machines can reach this mock/);
    served.child.kill('SIGINT');
    assert.equal(await served.exited, 0);
  });

  const usage: [string, string[], RegExp][] = [
    ['no file', [], /serve needs the collection file/],
    ['a file that is not there', [path.join(dir, 'missing.json')], /missing\.json: no such file/],
    ['two mocks and no --mock', [FILE], /has 2 mocks \("greeter", "io"\): choose one with --mock NAME/],
    ['an unknown mock', [FILE, '--mock', 'nope'], /has no mock named "nope"; its mocks: "greeter", "io"/],
    ['a bad port', [FILE, '--mock', 'io', '--port', '70000'], /--port takes a port number from 0 to 65535/],
    ['a mistake in a rule', [collection([{ name: 'bad', rules: [{ on: { text: 'a' } }, { every: 5, reply: { text: 'x' } }] }], 'bad.json')], /Mock "bad" \(mocks\[0\]\), rule 2, every: expected a whole number from 10/],
    ['a file without mocks', [collection([], 'empty.json')], /has no mocks/],
  ];
  for (const [what, args, expected] of usage) {
    it(`usage error, exit 2: ${what}`, async () => {
      const result = run(['serve', ...args]);
      assert.equal(await result.exited, 2);
      assert.equal(result.stdout(), '');
      assert.match(result.stderr(), expected);
      assert.match(result.stderr(), /Try 'websocket-debugger serve --help'/);
    });
  }
});
