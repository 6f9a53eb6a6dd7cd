// The command-line tool as users run it: `node dist/cli.js ...` in a child process, against real
// servers on port 0 in this process (and Debian's python3-websockets as an independent peer).
// `npm run test:unit` builds dist/cli.js first (scripts/build.mjs --tests builds dist/ as well).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { before, describe, it, type TestContext } from 'node:test';
import type { WebSocket as ServerSocket } from 'ws';
import { closedPort, startHttpServer, startWsServer } from './helpers/testServers';
import { makeCerts, startWssServer } from './helpers/tlsServers';

// Tests run from out/test/unit; the bundle and the sources are at the repository root.
const root = path.resolve(__dirname, '../../..');
const CLI = path.join(root, 'dist/cli.js');
const PY_ECHO = path.join(root, 'test/e2e/servers/py_echo.py');

interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

interface RunOptions {
  /** Written to standard input, which is then closed; `undefined` leaves it open. */
  input?: string;
  /** Called once the child has started, e.g. to signal it or drop its output. */
  started?: (child: ChildProcess, stderrSoFar: () => string) => void;
}

/** Runs the CLI to its end; a run that takes more than 15 s fails the test. */
function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const startedAt = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // The child may exit before reading all its input.
  child.stdin.on('error', () => undefined);
  if (options.input !== undefined) child.stdin.end(options.input);
  options.started?.(child, () => stderr);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the CLI did not exit within 15 s\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, 15_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, ms: Date.now() - startedAt });
    });
  });
}

/** One line of a `hexdump -C` style dump of at most 8 bytes at offset 0 (the panel's Show as hex). */
function dumpLine(hex: string, ascii: string): string {
  return `00000000  ${hex.padEnd(48)}  |${ascii}|`;
}

/** Resolves once `check` is true, polling every 10 ms, or rejects after `ms`. */
async function waitUntil(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A ws server that echoes, with what reached it recorded; `onConnection` may add behaviour. */
async function echoServer(t: TestContext, onConnection: (socket: ServerSocket) => void = () => undefined) {
  const seen = {
    headers: [] as IncomingHttpHeaders[],
    messages: [] as string[],
    close: undefined as { code: number; reason: string } | undefined,
  };
  const running = await startWsServer({ handleProtocols: (offered) => (offered.has('chat') ? 'chat' : false) });
  t.after(() => running.close());
  running.server.on('connection', (socket, req) => {
    seen.headers.push(req.headers);
    socket.on('message', (data, isBinary) => {
      if (!isBinary) seen.messages.push(data.toString());
      socket.send(data, { binary: isBinary });
    });
    socket.on('close', (code, reason) => (seen.close = { code, reason: reason.toString() }));
    onConnection(socket);
  });
  return { ...running, seen };
}

describe('websocket-debugger CLI', () => {
  before(() => {
    assert.ok(existsSync(CLI), `${CLI} is missing: npm run test:unit builds it (scripts/build.mjs --tests)`);
  });

  it('prints what an echo server sends back for each line of input, then closes with 1000', async (t) => {
    const server = await echoServer(t);
    const result = await runCli(['connect', `${server.url}echo`], { input: 'hello\n' });
    assert.equal(result.stdout, 'hello\n');
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(server.seen.messages, ['hello']);
    assert.deepEqual(server.seen.close, { code: 1000, reason: '' });
    assert.equal(result.stderr, `Connected to ${server.url}echo\nClosed by client: 1000 Normal Closure (clean)\n`);
  });

  it('sends every line as its own text message, a last line without a newline included', async (t) => {
    const server = await echoServer(t);
    const result = await runCli(['connect', '--wait', '300', server.url], { input: 'one\r\n{"two":2}\n\nthree' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(server.seen.messages, ['one', '{"two":2}', '', 'three']);
    assert.equal(result.stdout, 'one\n{"two":2}\n\nthree\n');
  });

  it('shows binary messages as a hex dump by default and as --show asks', async (t) => {
    const bytes = Buffer.from([0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff]);
    const server = await echoServer(t, (socket) => socket.send(bytes));
    const hex = await runCli(['connect', '--wait', '100', server.url], { input: '' });
    assert.equal(hex.status, 0, hex.stderr);
    assert.equal(hex.stdout, `${dumpLine('00 01 02 7f 80 fe ff', '.......')}\n`);
    const base64 = await runCli(['connect', '--show', 'base64', '--wait', '100', server.url], { input: '' });
    assert.equal(base64.stdout, 'AAECf4D+/w==\n');
    const text = await runCli(['connect', '--show', 'hex', '--wait', '100', server.url], { input: 'AB\n' });
    assert.equal(text.stdout, `${dumpLine('00 01 02 7f 80 fe ff', '.......')}\n${dumpLine('41 42', 'AB')}\n`);
  });

  it('--show json pretty-prints JSON and prints anything else as it came, with a note on stderr', async (t) => {
    const server = await echoServer(t);
    const result = await runCli(['connect', '--show', 'json', '--wait', '300', server.url], { input: '{"a":[1,2]}\nnot json\n' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, '{\n  "a": [\n    1,\n    2\n  ]\n}\nnot json\n');
    assert.match(result.stderr, /^Not valid JSON: /m);
  });

  it('sends the -H headers and --protocol subprotocols in the handshake', async (t) => {
    const server = await echoServer(t);
    const result = await runCli(
      ['connect', '-H', 'Authorization: Bearer abc', '--header', 'X-Trace:  42 ', '--protocol', 'json', '--protocol', 'chat', '--wait', '0', server.url],
      { input: '' },
    );
    assert.equal(result.status, 0, result.stderr);
    const headers = server.seen.headers[0]!;
    assert.equal(headers.authorization, 'Bearer abc');
    assert.equal(headers['x-trace'], '42');
    assert.equal(headers['sec-websocket-protocol'], 'json,chat');
    assert.match(result.stderr, /^Connected to ws:\/\/127\.0\.0\.1:\d+\/ \(protocol "chat"\)$/m);
  });

  it('exits 1 on a refused handshake, with the status and the body on stderr', async (t) => {
    const running = await startHttpServer((_req, res) => {
      res.writeHead(401, { 'Content-Type': 'text/plain' });
      res.end('missing token\n');
    });
    t.after(() => running.close());
    const result = await runCli(['connect', running.url], { input: 'hello\n' });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      'The server refused the WebSocket handshake: HTTP 401 Unauthorized\n  missing token\n' +
        'The connection was not established (1006 Abnormal Closure, not clean)\n',
    );
  });

  it('refuses a self-signed certificate (exit 1) unless --insecure is given', async (t) => {
    const certs = await makeCerts();
    t.after(() => certs.remove());
    const running = await startWssServer({ cert: certs.read('self.pem'), key: certs.read('self.key') });
    t.after(() => running.close());
    const refused = await runCli(['connect', running.url], { input: 'hello\n' });
    assert.equal(refused.status, 1);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, /^The server's TLS certificate is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/m);
    const accepted = await runCli(['connect', '--insecure', '--wait', '300', running.url], { input: 'hello\n' });
    assert.equal(accepted.status, 0, accepted.stderr);
    assert.equal(accepted.stdout, 'hello\n');
  });

  it('exits 1 when nothing listens (ECONNREFUSED)', async () => {
    const port = await closedPort();
    const result = await runCli(['connect', `ws://127.0.0.1:${port}/`], { input: '' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^Connection refused by 127\.0\.0\.1:\d+ \(ECONNREFUSED\): no server is listening there$/m);
  });

  it('a server that closes with 1000 before the input ends: reported, exit 0, without waiting for input', async (t) => {
    const server = await echoServer(t, (socket) => setTimeout(() => socket.close(1000, 'done'), 50));
    // Standard input stays open: the tool must not wait for it.
    const result = await runCli(['connect', server.url]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /^Closed by server: 1000 Normal Closure, reason "done" \(clean\)$/m);
  });

  it('a server that closes cleanly with 4001 exits 1: only 1000 is a normal end', async (t) => {
    const server = await echoServer(t, (socket) => socket.close(4001, 'bye'));
    const result = await runCli(['connect', server.url]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^Closed by server: 4001 [^\n]*, reason "bye" \(clean\)$/m);
  });

  it('a connection lost without a Close frame exits 1', async (t) => {
    const server = await echoServer(t, (socket) => setTimeout(() => socket.terminate(), 50));
    const result = await runCli(['connect', server.url]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^Connection lost without a Close frame \(1006 Abnormal Closure, not clean\)$/m);
  });

  it('--wait: replies that come within the wait are printed; with --wait 0 the close comes first', async (t) => {
    // The server answers "later" 400 ms after it arrives.
    const running = await startWsServer();
    t.after(() => running.close());
    running.server.on('connection', (socket) => {
      socket.on('message', () => setTimeout(() => socket.send('late reply', () => undefined), 400));
    });
    const waited = await runCli(['connect', '--wait', '1500', running.url], { input: 'later\n' });
    assert.equal(waited.status, 0, waited.stderr);
    assert.equal(waited.stdout, 'late reply\n');
    const hurried = await runCli(['connect', '--wait', '0', running.url], { input: 'later\n' });
    assert.equal(hurried.status, 0, hurried.stderr);
    assert.equal(hurried.stdout, '');
    assert.ok(hurried.ms < waited.ms - 700, `--wait 0 took ${hurried.ms} ms, --wait 1500 took ${waited.ms} ms`);
  });

  it('with input closed at once, waits the default 1000 ms, then closes', async (t) => {
    const server = await echoServer(t);
    let openedAt = 0;
    server.server.on('connection', () => (openedAt = Date.now()));
    let closedAt = 0;
    server.server.on('connection', (socket) => socket.on('close', () => (closedAt = Date.now())));
    const result = await runCli(['connect', server.url], { input: '' });
    assert.equal(result.status, 0, result.stderr);
    assert.ok(closedAt - openedAt >= 950, `closed ${closedAt - openedAt} ms after opening`);
  });

  it('SIGINT closes with 1001 Going Away and exits 130', async (t) => {
    const server = await echoServer(t);
    const result = await runCli(['connect', server.url], {
      started: (child, stderr) => {
        void waitUntil(() => stderr().includes('Connected'), 'the connection').then(() => child.kill('SIGINT'));
      },
    });
    assert.equal(result.status, 130, result.stderr);
    assert.deepEqual(server.seen.close, { code: 1001, reason: '' });
    assert.match(result.stderr, /^Closed by client: 1001 Going Away \(clean\)$/m);
  });

  it('a reader that goes away (| head -1) ends the session quietly with 1000', async (t) => {
    const server = await echoServer(t, (socket) => {
      for (let i = 0; i < 2000; i++) socket.send(`message ${i} ${'x'.repeat(200)}`);
    });
    const result = await runCli(['connect', server.url], {
      started: (child) => child.stdout!.once('data', () => child.stdout!.destroy()),
    });
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /EPIPE|Error|at /);
    await waitUntil(() => server.seen.close !== undefined, 'the close at the server');
    assert.equal(server.seen.close!.code, 1000);
  });

  // Independent short runs: started together, as the machine allows.
  describe('usage', { concurrency: true }, () => {
    const usageErrors: [string, string[], RegExp][] = [
      ['an unknown option', ['connect', '--bogus', 'ws://127.0.0.1:1/'], /Unknown option '--bogus'/],
      ['a missing URL', ['connect'], /connect needs the URL/],
      ['a second URL', ['connect', 'ws://a/', 'ws://b/'], /one URL; unexpected argument "ws:\/\/b\/"/],
      ['an unknown --show', ['connect', '--show', 'xml', 'ws://127.0.0.1:1/'], /--show must be one of text, json, hex, base64, not "xml"/],
      ['a negative --wait', ['connect', '--wait=-5', 'ws://127.0.0.1:1/'], /--wait takes a whole number of milliseconds/],
      ['a fractional --wait', ['connect', '--wait', '1.5', 'ws://127.0.0.1:1/'], /--wait takes a whole number/],
      ['a header without a colon', ['connect', '-H', 'Authorization', 'ws://127.0.0.1:1/'], /a header is written 'Name: value'/],
      ['an invalid header name', ['connect', '-H', 'Bad Name: x', 'ws://127.0.0.1:1/'], /"Bad Name" is not a valid header name/],
      ['a Sec-WebSocket-Protocol header', ['connect', '-H', 'sec-websocket-protocol: chat', 'ws://127.0.0.1:1/'], /use --protocol/],
      ['a header the handshake sets itself', ['connect', '-H', 'Host: example.com', 'ws://127.0.0.1:1/'], /Host is set from the URL/],
      ['a URL that is not ws:// or wss://', ['connect', 'http://127.0.0.1:1/'], /http:\/\/ is not a WebSocket URL/],
      ['an unknown command', ['listen'], /unknown command "listen"/],
    ];
    for (const [what, args, message] of usageErrors) {
      it(`exits 2 for ${what}`, async () => {
        const result = await runCli(args, { input: '' });
        assert.equal(result.status, 2, result.stderr);
        assert.match(result.stderr, message);
        assert.match(result.stderr, /Try 'websocket-debugger (connect )?--help'/);
        assert.equal(result.stdout, '');
      });
    }

    it('exits 2 with the usage on stderr when no command is given', async () => {
      const result = await runCli([], { input: '' });
      assert.equal(result.status, 2);
      assert.match(result.stderr, /^Usage: websocket-debugger COMMAND/);
    });

    it('--help prints the usage of the tool and of connect, exit 0', async () => {
      const tool = await runCli(['--help']);
      assert.equal(tool.status, 0);
      assert.match(tool.stdout, /^Usage: websocket-debugger COMMAND/);
      assert.match(tool.stdout, /^ {2}connect /m);
      const connect = await runCli(['connect', '--help']);
      assert.equal(connect.status, 0);
      assert.match(connect.stdout, /^Usage: websocket-debugger connect URL/);
      for (const option of ['--header', '--protocol', '--insecure', '--show', '--wait']) assert.ok(connect.stdout.includes(option), option);
    });

    it('--version prints the package version', async () => {
      const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
      const result = await runCli(['--version']);
      assert.equal(result.status, 0);
      assert.equal(result.stdout, `${version}\n`);
    });
  });

  it('talks to an independent peer: the python3-websockets echo server', async (t) => {
    const python = spawn('/usr/bin/python3', [PY_ECHO, '--port', '0'], { stdio: ['pipe', 'pipe', 'pipe'] });
    t.after(() => python.kill('SIGTERM'));
    let output = '';
    const port = await new Promise<number>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const match = /LISTENING (\d+)/.exec(output);
        if (match) resolve(Number(match[1]));
      };
      python.stdout.on('data', onData);
      python.stderr.on('data', onData);
      python.on('exit', (code) => reject(new Error(`py_echo.py exited with ${code}: ${output}`)));
    });
    const result = await runCli(['connect', '--wait', '300', `ws://127.0.0.1:${port}/`], { input: 'hello\nbinary?\n' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, `hello\n${dumpLine('00 01 02 7f 80 fe ff', '.......')}\n`);
    assert.match(result.stderr, /^Closed by client: 1000 Normal Closure \(clean\)$/m);
  });
});
