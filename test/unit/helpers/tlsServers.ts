/**
 * Throw-away TLS material (made by test/fixtures/make_certs.py with python3-trustme) and a real
 * wss server on 127.0.0.1 port 0 for the TLS tests.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import type { Running } from './testServers';

export interface TestCerts {
  dir: string;
  file(name: 'ca.pem' | 'server.pem' | 'server.key' | 'client.pem' | 'client.key' | 'client.pfx' | 'self.pem' | 'self.key'): string;
  read(name: Parameters<TestCerts['file']>[0]): Buffer;
  remove(): void;
}

/** Creates a CA, a server and a client certificate (PEM and PFX) and a self-signed certificate. */
export function makeCerts(): TestCerts {
  const dir = mkdtempSync(path.join(tmpdir(), 'wsd-certs-'));
  // The script is in the source tree; tests run from out/test/unit.
  const script = path.resolve(__dirname, '../../../../test/fixtures/make_certs.py');
  execFileSync('/usr/bin/python3', [script, dir], { stdio: 'pipe' });
  const file: TestCerts['file'] = (name) => path.join(dir, name);
  return {
    dir,
    file,
    read: (name) => readFileSync(file(name)),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A wss echo server with the given key and certificate (and client certificate rules), on `host`. */
export async function startWssServer(tls: ServerOptions, host = '127.0.0.1'): Promise<Running<WebSocketServer>> {
  const https = createServer(tls);
  const server = new WebSocketServer({ server: https });
  server.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })));
  await new Promise<void>((resolve) => https.listen(0, host, resolve));
  const port = (https.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `wss://${host}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close();
        https.closeAllConnections();
        https.close(() => resolve());
      }),
  };
}
