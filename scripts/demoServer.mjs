// A small WebSocket server to try the extension against (npm start runs it): greets each client,
// echoes text and binary messages, and answers a few commands. Also runnable on its own:
//   node scripts/demoServer.mjs [port]
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from 'ws';

export const DEMO_PORT = 8765;

const HELP = 'Commands: "time?" (server time), "json?" (a JSON document), "binary?" (8 bytes), '
  + '"close?" (closes with 1000 "bye"), "help?"; anything else is echoed back.';

function reply(server, socket, text) {
  switch (text) {
    case 'time?':
      return socket.send(new Date().toISOString());
    case 'json?':
      return socket.send(JSON.stringify({ server: 'demo', time: Date.now(), clients: server.clients.size, nested: { ok: true, list: [1, 2, 3] } }));
    case 'binary?':
      return socket.send(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x7f, 0xff]), { binary: true });
    case 'close?':
      return socket.close(1000, 'bye');
    case 'help?':
      return socket.send(HELP);
    default:
      return socket.send(text);
  }
}

function listen(port, host) {
  return new Promise((resolve, reject) => {
    const server = new WebSocketServer({
      host,
      port,
      // Accepts whichever subprotocol the client offers first, so any protocol list connects.
      handleProtocols: (offered) => offered.values().next().value ?? false,
    });
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

/**
 * Starts the demo server on 127.0.0.1:`port` (8765 by default), or on a free port when that
 * one is taken. Returns { url, port, close() }.
 */
export async function startDemoServer({ port = DEMO_PORT, host = '127.0.0.1' } = {}) {
  let server;
  try {
    server = await listen(port, host);
  } catch (error) {
    if (error.code !== 'EADDRINUSE') throw error;
    console.log(`[demo] port ${port} is taken; using a free one`);
    server = await listen(0, host);
  }
  server.on('connection', (socket, request) => {
    console.log(`[demo] client connected from ${request.socket.remoteAddress}${socket.protocol ? ` (subprotocol ${socket.protocol})` : ''}`);
    socket.send(`Welcome to the WebSocket Debugger demo server. ${HELP}`);
    socket.on('message', (data, isBinary) => {
      if (isBinary) socket.send(data, { binary: true });
      else reply(server, socket, data.toString());
    });
    socket.on('close', (code) => console.log(`[demo] client left (close code ${code})`));
  });
  const actualPort = server.address().port;
  return {
    url: `ws://${host}:${actualPort}`,
    port: actualPort,
    close: () => new Promise((resolve) => {
      for (const client of server.clients) client.terminate();
      server.close(() => resolve());
    }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const demo = await startDemoServer({ port: Number(process.argv[2] ?? DEMO_PORT) });
  console.log(`[demo] listening on ${demo.url} (Ctrl+C stops it)`);
}
