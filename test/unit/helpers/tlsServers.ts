/**
 * Throw-away TLS material (made in Node by test/fixtures/certs.mjs) and a real wss server on
 * 127.0.0.1 port 0 for the TLS tests.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from 'ws';
import type { Running } from './testServers';

type CertFile =
  | 'ca.pem'
  | 'server.pem'
  | 'server.key'
  | 'expired.pem'
  | 'wrong-host.pem'
  | 'client.pem'
  | 'client.key'
  | 'client.pfx'
  | 'self.pem'
  | 'self.key';

export interface TestCerts {
  dir: string;
  /** When expired.pem stopped being valid. */
  expiredOn: Date;
  /** The one name wrong-host.pem is for. */
  wrongHost: string;
  file(name: CertFile): string;
  read(name: CertFile): Buffer;
  remove(): void;
}

interface CertsModule {
  writeTestCerts(dir: string): Promise<{ expiredOn: Date }>;
  WRONG_HOST: string;
}

/**
 * Creates a CA; server certificates issued by it (valid, expired, for another host); a client
 * certificate (PEM and PFX); and a self-signed certificate. One implementation, an ES module in
 * the source tree, serves these tests and the e2e servers; tests run from out/test/unit.
 */
export async function makeCerts(): Promise<TestCerts> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wsd-certs-'));
  const moduleUrl = pathToFileURL(path.resolve(__dirname, '../../../../test/fixtures/certs.mjs')).href;
  const certs = (await import(moduleUrl)) as CertsModule;
  const { expiredOn } = await certs.writeTestCerts(dir);
  const file = (name: CertFile) => path.join(dir, name);
  return {
    dir,
    expiredOn,
    wrongHost: certs.WRONG_HOST,
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
