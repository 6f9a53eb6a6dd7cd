/**
 * Servers for connection tests, all on 127.0.0.1 port 0 in the test process: a real ws server,
 * an HTTP server that refuses upgrades, a TCP server that never answers, and a raw TCP server that
 * completes the handshake by hand so a test can send frames no correct library would produce.
 */
import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { WebSocketServer, type ServerOptions } from 'ws';

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface Running<T> {
  server: T;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A ws server; `options` may add handleProtocols, verifyClient, another host, ... */
export async function startWsServer(options: ServerOptions = {}): Promise<Running<WebSocketServer>> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, ...options });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `ws://${options.host ?? '127.0.0.1'}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

/** An HTTP server without an 'upgrade' listener: upgrade requests reach `handler` as plain requests. */
export async function startHttpServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Running<ReturnType<typeof createHttpServer>>> {
  const server = createHttpServer(handler);
  return listen(server, (s) => s.closeAllConnections());
}

/** A TCP server that accepts connections and never says a word. */
export async function startSilentServer(): Promise<Running<NetServer>> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  return listen(server, () => {
    for (const socket of sockets) socket.destroy();
  });
}

/**
 * A TCP server that answers the opening handshake correctly, then hands the socket to `onOpen`
 * for hand-made frames.
 */
export function startRawWsServer(onOpen: (socket: Socket) => void): Promise<Running<NetServer>> {
  return startHandshakeServer(
    (accept) =>
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    onOpen,
  );
}

/**
 * A TCP server that reads each request head and writes whatever `respond` returns, given the
 * correct Sec-WebSocket-Accept value, so a test can answer with a hand-made (faulty) response.
 * The socket then goes to `onOpen`.
 */
export async function startHandshakeServer(
  respond: (accept: string, requestHead: string) => string,
  onOpen: (socket: Socket) => void = () => undefined,
): Promise<Running<NetServer>> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      const requestHead = head.subarray(0, end).toString('latin1');
      const key = /^sec-websocket-key:\s*(\S+)\s*$/im.exec(requestHead)?.[1] ?? '';
      const accept = createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
      socket.write(respond(accept, requestHead));
      onOpen(socket);
    };
    socket.on('data', onData);
  });
  return listen(server, () => {
    for (const socket of sockets) socket.destroy();
  });
}

/** An unmasked server frame with FIN set; payloads here stay under 126 bytes. */
export function serverFrame(opcode: number, payload: Uint8Array): Buffer {
  if (payload.length > 125) throw new Error('serverFrame only builds short frames');
  return Buffer.concat([Buffer.from([0x80 | opcode, payload.length]), payload]);
}

/** Reads the close code of the first (masked, short) client frame in `bytes`, if it is a Close frame. */
export function clientCloseCode(bytes: Buffer): number | undefined {
  if (bytes.length < 8 || (bytes[0]! & 0x0f) !== 0x8) return undefined;
  const mask = bytes.subarray(2, 6);
  return ((bytes[6]! ^ mask[0]!) << 8) | (bytes[7]! ^ mask[1]!);
}

/** A port on which nothing listens: bound a moment ago, then released. */
export async function closedPort(): Promise<number> {
  const running = await listen(createNetServer(), () => undefined);
  await running.close();
  return running.port;
}

async function listen<T extends NetServer>(server: T, dropConnections: (server: T) => void): Promise<Running<T>> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `ws://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        dropConnections(server);
      }),
  };
}
