// Socket.IO peers for the tests, each on a free 127.0.0.1 port: socket.io v4 and v2 from npm in
// this process, and test/e2e/servers/py_socketio.py (Debian's python3-socketio + aiohttp).
// All three understand the same events (see py_socketio.py's docstring): echo, whoami, silent,
// kick, on the namespaces "/" and "/chat"; auth {"token": "bad"} is refused (v4 and Python).
// The JS servers also understand "drop": the server ends the transport without a Socket.IO
// DISCONNECT, as a network failure would, so the client reconnects; and "emitAs" (name, ...args):
// the server emits an event of that name, so tests can send names a client may not.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onCleanup } from '../harness/cleanup.mjs';
import { startPythonServer } from './servers.mjs';

const require = createRequire(import.meta.url);
const pySocketIoScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'servers', 'py_socketio.py');
const NAMESPACES = ['/', '/chat'];

function listen(httpServer) {
  return new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', () => resolve(httpServer.address().port));
  });
}

/** The handlers every server shares; `auth` is the CONNECT auth payload (v4) or undefined (v2). */
function serve(socket, namespace, auth) {
  socket.on('echo', (...args) => {
    const ack = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
    socket.emit('echo', ...args);
    ack?.(...args);
  });
  socket.on('whoami', (...args) => {
    const ack = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
    const query = socket.handshake.query;
    socket.emit('whoami', {
      namespace,
      auth: auth ?? null,
      query: typeof query.room === 'string' ? query.room : '',
      header: socket.handshake.headers['x-test'] ?? '',
    });
    ack?.('ok');
  });
  socket.on('kick', () => socket.disconnect(true));
  socket.on('drop', () => socket.conn.close());
  socket.on('emitAs', (name, ...args) => {
    if (typeof args[args.length - 1] === 'function') args.pop();
    if (typeof name === 'string') socket.emit(name, ...args);
  });
}

/**
 * A socket.io server of `version` 'v4' or 'v2'. Returns { url, port, connections, close() };
 * `connections` counts CONNECTs per namespace.
 */
export async function startSocketIoServer({ version = 'v4' } = {}) {
  const httpServer = createServer();
  const connections = Object.fromEntries(NAMESPACES.map((n) => [n, 0]));
  let io;
  if (version === 'v4') {
    const { Server } = require('socket.io');
    io = new Server(httpServer);
    for (const name of NAMESPACES) {
      const nsp = io.of(name);
      nsp.use((socket, next) => {
        if (socket.handshake.auth?.token === 'bad') {
          const error = new Error('bad token');
          error.data = { reason: 'bad token' };
          next(error);
        } else next();
      });
      nsp.on('connection', (socket) => {
        connections[name] += 1;
        serve(socket, name, socket.handshake.auth);
      });
    }
  } else {
    const createIo = require('socket.io-v2');
    io = createIo(httpServer);
    for (const name of NAMESPACES) {
      io.of(name).on('connection', (socket) => {
        connections[name] += 1;
        serve(socket, name, undefined);
      });
    }
  }
  const port = await listen(httpServer);
  const close = onCleanup(() => new Promise((resolve) => {
    io.close();
    httpServer.close(() => resolve());
    httpServer.closeAllConnections?.();
  }));
  return { url: `http://127.0.0.1:${port}`, port, connections, close };
}

/** Starts py_socketio.py. Returns { url, port, close() }. */
export async function startPythonSocketIoServer() {
  const { port, close } = await startPythonServer(pySocketIoScript, [], 'python3-socketio python3-aiohttp');
  return { url: `http://127.0.0.1:${port}`, port, close };
}
