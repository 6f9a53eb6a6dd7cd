/** Socket.IO servers for the integration suite, in the extension host's own process. */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

/** A socket.io server (v4, or v2 from the aliased package) on a free port of `host`. */
export async function startSocketIoEcho(version: 'v4' | 'v2', host = '127.0.0.1'): Promise<{ url: string; open(): number; close(): Promise<void> }> {
  const httpServer = createServer();
  const sockets = new Set<unknown>();
  type ServerSocket = { on(event: string, listener: (...args: unknown[]) => void): void };
  const track = (socket: ServerSocket) => {
    sockets.add(socket);
    socket.on('disconnect', () => sockets.delete(socket));
  };
  const requireDev = createRequire(__filename);
  let closeIo: () => void;
  if (version === 'v4') {
    const { Server } = requireDev('socket.io') as typeof import('socket.io');
    const io = new Server(httpServer);
    io.on('connection', track);
    closeIo = () => void io.close();
  } else {
    const io = (requireDev('socket.io-v2') as (server: unknown) => { on(e: string, l: (s: ServerSocket) => void): void; close(): void })(httpServer);
    io.on('connection', track);
    closeIo = () => io.close();
  }
  await new Promise<void>((resolve) => httpServer.listen(0, host, resolve));
  return {
    url: `http://${host}:${(httpServer.address() as AddressInfo).port}`,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        closeIo();
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      }),
  };
}
