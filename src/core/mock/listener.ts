/**
 * The HTTP(S) listener under both kinds of mock, and the answers it gives without the WebSocket
 * or Socket.IO library: the configured handshake refusal, and a sentence for a browser that opens
 * the URL as a page.
 */
import { createServer as createHttpServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { MockHandshakeRefusal } from '../../shared/mockFormat';

export interface TlsMaterial {
  certPem: string;
  keyPem: string;
}

export function createListener(tls: TlsMaterial | undefined): Server {
  return tls ? createHttpsServer({ cert: tls.certPem, key: tls.keyPem }) : createHttpServer();
}

/** Resolves with the bound port; rejects with Node's error (its `code` says EADDRINUSE, EACCES…). */
export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

/** Writes a whole HTTP response on a socket that asked for an upgrade, then ends it. */
export function refuseUpgrade(socket: Duplex, refusal: MockHandshakeRefusal): void {
  socket.on('error', () => undefined);
  const body = Buffer.from(refusal.body, 'utf8');
  const lines = [`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? 'Refused'}`];
  const names = new Set(refusal.headers.map(([name]) => name.toLowerCase()));
  for (const [name, value] of refusal.headers) lines.push(`${name}: ${value}`);
  if (!names.has('content-type') && body.length > 0) lines.push('Content-Type: text/plain; charset=utf-8');
  lines.push(`Content-Length: ${body.length}`, 'Connection: close');
  socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
}

/** The same refusal as a plain HTTP response (a page load, a Socket.IO long-polling request). */
export function refuseRequest(response: ServerResponse, refusal: MockHandshakeRefusal): void {
  const headers: Record<string, string> = { Connection: 'close' };
  for (const [name, value] of refusal.headers) headers[name] = value;
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type') && refusal.body !== '') {
    headers['Content-Type'] = 'text/plain; charset=utf-8';
  }
  response.writeHead(refusal.status, headers);
  response.end(refusal.body);
}

export function remoteOf(request: IncomingMessage): { address: string; port: number } {
  return { address: request.socket.remoteAddress ?? '', port: request.socket.remotePort ?? 0 };
}

/** Ends the listener and every connection still open on it (keep-alive, half-open). */
export function closeListener(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
