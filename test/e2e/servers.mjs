// Local WebSocket peers for the e2e specs: a `ws` echo server inside the runner process and the
// Python `websockets` peer (test/e2e/servers/py_echo.py), each on a free 127.0.0.1 port.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { onCleanup } from '../harness/cleanup.mjs';

const PYTHON = '/usr/bin/python3';
const pyEchoScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'servers', 'py_echo.py');

/**
 * A `ws` server that echoes every message back with its type (text or binary) and accepts the
 * listed subprotocols. It records what reached the server side: `connections` (each handshake's
 * path, request headers and protocol), `messages` (text as strings, binary as Buffers) and
 * `closes` (the Close frames received: { code, reason }). `host` is where it listens.
 * Returns { url, port, connections, messages, closes, close() }.
 */
export async function startWsEchoServer({ subprotocols = [], host = '127.0.0.1' } = {}) {
  const connections = [];
  const messages = [];
  const closes = [];
  const server = new WebSocketServer({
    host,
    port: 0,
    handleProtocols: (offered) => subprotocols.find((p) => offered.has(p)) ?? false,
  });
  server.on('connection', (socket, request) => {
    connections.push({ path: request.url, headers: request.headers, protocol: socket.protocol });
    socket.on('message', (data, isBinary) => {
      messages.push(isBinary ? data : data.toString('utf8'));
      socket.send(data, { binary: isBinary });
    });
    socket.on('close', (code, reason) => closes.push({ code, reason: reason.toString('utf8') }));
  });
  await new Promise((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address();
  const close = onCleanup(() => new Promise((resolve) => {
    for (const client of server.clients) client.terminate();
    server.close(() => resolve());
  }), () => {});
  return { url: `ws://${host}:${port}`, port, connections, messages, closes, close };
}

/**
 * Starts test/e2e/servers/py_echo.py (see its docstring for the commands it understands).
 * Returns { url, port, close() }.
 */
export async function startPythonEchoServer({ subprotocols = [] } = {}) {
  const args = subprotocols.length > 0 ? ['--subprotocols', subprotocols.join(',')] : [];
  const { port, close } = await startPythonServer(pyEchoScript, args, 'python3-websockets');
  return { url: `ws://127.0.0.1:${port}`, port, close };
}

/**
 * Runs a Python server script from test/e2e/servers with `--port 0 ...args` and waits for its
 * "LISTENING <port>" line. Returns { port, close() }; the process is stopped at cleanup.
 */
export async function startPythonServer(script, args, debianPackages) {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} not found: apt-get install python3 ${debianPackages}`);
  const name = path.basename(script);
  // stdin stays a pipe: the script stops when it closes, even if this process is killed hard.
  const child = spawn(PYTHON, [script, '--port', '0', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const close = onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  }, () => child.kill('SIGKILL'));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 15_000);
    const onData = (chunk) => {
      output += chunk;
      const match = /LISTENING (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${output}`));
    });
  }).catch(async (error) => {
    await close();
    throw error;
  });
  return { port, close };
}

/** The i-th flood message: JSON padded with spaces to `size` bytes, easy to search for. */
export function floodMessage(i, size = 64) {
  return JSON.stringify({ seq: i, sym: `SYM${i % 50}`, px: 42000 + (i % 1000) / 100 }).padEnd(size, ' ');
}

/**
 * A `ws` server that floods its clients on demand: `flood(count, { rate, size })` sends `count`
 * text messages (floodMessage) to every connected client, as fast as possible or at `rate`
 * messages per second, and resolves when all are handed to the sockets. A client can ask for a
 * flood itself by sending "flood <count>". Returns { url, port, server, flood, close() }.
 */
export async function startFloodServer() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const sendTo = (clients, count, { rate, size = 64 } = {}) => new Promise((resolve) => {
    const started = performance.now();
    let sent = 0;
    const tick = () => {
      // Paced: whatever is due by now at `rate` per second; otherwise a chunk per turn.
      const end = rate ? Math.min(count, Math.floor((performance.now() - started) * rate / 1000)) : Math.min(count, sent + 2000);
      // Corked, so a chunk of frames leaves in one write instead of one write per frame.
      const open = clients.filter((client) => client.readyState === 1);
      if (open.length === 0) {
        resolve();
        return;
      }
      for (const client of open) client._socket?.cork();
      for (; sent < end; sent++) {
        const text = floodMessage(sent, size);
        for (const client of open) client.send(text);
      }
      for (const client of open) client._socket?.uncork();
      if (sent >= count) resolve();
      else if (rate) setTimeout(tick, 5);
      else setImmediate(tick);
    };
    tick();
  });
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const match = /^flood (\d+)$/.exec(data.toString('utf8'));
      if (match) void sendTo([socket], Number(match[1]));
    });
  });
  const { port } = server.address();
  const close = onCleanup(() => new Promise((resolve) => {
    for (const client of server.clients) client.terminate();
    server.close(() => resolve());
  }), () => {});
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    server,
    flood: (count, options) => sendTo([...server.clients], count, options),
    close,
  };
}

/**
 * A `wss` echo server on 127.0.0.1 with a throw-away self-signed certificate (made by
 * test/fixtures/certs.mjs). Returns { url, port, connections, close() }.
 */
export async function startSelfSignedWssServer() {
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { createServer } = await import('node:https');
  const { writeTestCerts } = await import('../fixtures/certs.mjs');
  const dir = mkdtempSync(path.join(tmpdir(), 'wsd-e2e-certs-'));
  await writeTestCerts(dir);
  const https = createServer({ cert: readFileSync(path.join(dir, 'self.pem')), key: readFileSync(path.join(dir, 'self.key')) });
  const server = new WebSocketServer({ server: https });
  const connections = [];
  server.on('connection', (socket, request) => {
    connections.push({ path: request.url, headers: request.headers });
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  await new Promise((resolve) => https.listen(0, '127.0.0.1', resolve));
  const { port } = https.address();
  const close = onCleanup(() => new Promise((resolve) => {
    for (const client of server.clients) client.terminate();
    server.close();
    https.closeAllConnections();
    https.close(() => resolve());
    rmSync(dir, { recursive: true, force: true });
  }), () => {});
  return { url: `wss://127.0.0.1:${port}/`, port, connections, close };
}
