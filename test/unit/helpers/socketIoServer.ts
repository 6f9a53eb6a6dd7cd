/**
 * A socket.io v4 server on 127.0.0.1 port 0 for one test: `setup` adds its middleware and
 * handlers before it listens, and the test's end closes it (open connections included).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { Server } from 'socket.io';

export async function startSocketIoServer(t: TestContext, setup: (io: Server) => void): Promise<{ url: string; port: number }> {
  const http = createServer();
  const io = new Server(http);
  setup(io);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        void io.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  );
  const { port } = http.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port };
}
