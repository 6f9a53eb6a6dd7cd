// A small HTTP proxy for tests, shaped after what VS Code's proxy agent sends it: wss:// (and any
// https) goes through a CONNECT tunnel, ws:// arrives as an absolute-form Upgrade request
// ("GET http://host:port/path", Connection: Upgrade) that the proxy forwards and then pipes.
// Every request it gets is recorded in `seen` ("CONNECT host:port", "GET http://host:port/path"),
// so a test can tell whether a connection went through it. Plain HTTP requests other than
// upgrades are recorded and refused with 501. Uses only `net` for its own connections: inside the
// extension host, `http` itself goes through VS Code's proxy support (and so back here).
// Used by the e2e proxy spec and the extension-host integration suite.
import { createServer } from 'node:http';
import { connect } from 'node:net';

/** Request headers a proxy consumes instead of passing on. */
const PROXY_HEADERS = new Set(['proxy-authorization', 'proxy-connection']);

/**
 * Starts the proxy on `host` (default 127.0.0.1), port 0.
 * Returns { url, port, seen, close() }.
 */
export async function startConnectProxy({ host = '127.0.0.1' } = {}) {
  const seen = [];
  const sockets = new Set();
  const track = (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };

  /** Connects to `target` ("host:port"); `onOpen` runs once connected, then both sides are piped. */
  const tunnel = (client, target, onOpen) => {
    const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
    if (!match) {
      client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    let open = false;
    const upstream = connect(Number(match[2]), match[1], () => {
      open = true;
      onOpen(upstream);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on('error', () => (open ? client.destroy() : client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')));
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  };

  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(501, { 'Content-Type': 'text/plain' });
    res.end('this test proxy only tunnels (CONNECT) and forwards Upgrade requests\n');
  });
  server.on('connect', (req, client, head) => {
    seen.push(`CONNECT ${req.url}`);
    track(client);
    tunnel(client, req.url ?? '', (upstream) => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
    });
  });
  server.on('upgrade', (req, client, head) => {
    seen.push(`${req.method} ${req.url}`);
    track(client);
    let target;
    try {
      target = new URL(req.url ?? '');
    } catch {
      client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    tunnel(client, `${target.hostname}:${target.port || 80}`, (upstream) => {
      const lines = [`${req.method} ${target.pathname}${target.search} HTTP/1.1`];
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
        if (!PROXY_HEADERS.has(req.rawHeaders[i].toLowerCase())) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address();
  return {
    url: `http://${host}:${port}`,
    port,
    seen,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
