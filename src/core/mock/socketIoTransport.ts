/**
 * A Socket.IO mock on the `socket.io` server package (v4, with Engine.IO 3 allowed so that
 * Socket.IO 2 clients connect too). The package is loaded the first time a Socket.IO mock
 * starts: from its own bundle next to the CLI / extension (dist/socketio-server.js), so that
 * plain WebSocket users never pay for it, and from node_modules in the tests.
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { Server as SocketIoServer, Socket } from 'socket.io';
import { messageOf } from '../sessionBase';
import { closeListener, createListener, listen, refuseRequest, refuseUpgrade, remoteOf, type TlsMaterial } from './listener';
import type { AckCallback, MockPeer, MockTransport, TransportHooks } from './mockPeer';
import type { MockClient } from './mockTypes';
import { l10n } from '../../shared/l10n';

/** Set by the bundler to the server's own bundle next to the entry point; unset in tests. */
declare const SOCKET_IO_SERVER_BUNDLE: string | undefined;

type SocketIoModule = typeof import('socket.io');
let socketIo: SocketIoModule | undefined;

function loadSocketIo(): SocketIoModule {
  if (!socketIo) {
    const id = typeof SOCKET_IO_SERVER_BUNDLE === 'string' ? SOCKET_IO_SERVER_BUNDLE : 'socket.io';
    socketIo = createRequire(__filename)(id) as SocketIoModule;
  }
  return socketIo;
}

/** The largest message a client may send, as for WebSocket mocks. */
const MAX_PAYLOAD = 64 * 1024 * 1024;

class SocketIoPeer implements MockPeer {
  readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    readonly number: number,
    readonly info: MockClient,
    private readonly socket: Socket,
  ) {}

  send(): string | undefined {
    return l10n.t('a Socket.IO mock sends events, not messages');
  }

  emit(event: string, args: readonly unknown[]): string | undefined {
    if (!this.socket.connected) return l10n.t('client {0} is no longer connected', this.info.id);
    try {
      this.socket.emit(event, ...args);
    } catch (error) {
      // socket.io refuses its reserved event names ("connect", "disconnect", …).
      return messageOf(error);
    }
    return undefined;
  }

  close(): void {
    this.socket.disconnect(true);
  }

  /** Cuts the transport under the session: no DISCONNECT packet, as when a network goes away. */
  drop(): void {
    const transport = this.socket.conn.transport as unknown as { name: string; socket?: { terminate?: () => void } };
    if (transport.name === 'websocket' && typeof transport.socket?.terminate === 'function') transport.socket.terminate();
    else this.socket.conn.close();
  }
}

export async function startSocketIoTransport(hooks: TransportHooks, tls: TlsMaterial | undefined): Promise<MockTransport> {
  const definition = hooks.definition;
  const server: Server = createListener(tls);
  let io: SocketIoServer | undefined;
  if (definition.handshake) {
    // Refused before Socket.IO sees anything: long-polling requests and upgrades alike.
    const refusal = definition.handshake;
    server.on('request', (request, response) => {
      refuseRequest(response, refusal);
      const remote = remoteOf(request);
      hooks.report({ type: 'refused', remoteAddress: remote.address, url: request.url ?? '/', status: refusal.status, reason: l10n.t('the mock refuses every handshake ("handshake" in the mock)') });
    });
    server.on('upgrade', (request, socket) => {
      refuseUpgrade(socket, refusal);
      const remote = remoteOf(request);
      hooks.report({ type: 'refused', remoteAddress: remote.address, url: request.url ?? '/', status: refusal.status, reason: l10n.t('the mock refuses every handshake ("handshake" in the mock)') });
    });
  } else {
    const { Server: IoServer } = loadSocketIo();
    io = new IoServer(server, {
      path: definition.path,
      serveClient: false,
      allowEIO3: true,
      maxHttpBufferSize: MAX_PAYLOAD,
      // A browser app under development is served from another origin (a dev server's port).
      cors: { origin: true, credentials: true },
      ...(definition.ping ? { pingInterval: definition.ping.intervalMs, pingTimeout: definition.ping.timeoutMs } : {}),
    });
    io.of(definition.namespace).on('connection', (socket: Socket) => {
      try {
        accept(socket);
      } catch (error) {
        hooks.record(undefined, { kind: 'error', direction: 'none', size: 0, detail: l10n.t('Internal error while accepting a client: {0}', messageOf(error)) });
      }
    });
  }

  const accept = (socket: Socket): void => {
    const number = hooks.nextClientNumber();
    const request = socket.request;
    const info: MockClient = {
      id: String(number),
      remoteAddress: socket.handshake.address,
      remotePort: request.socket?.remotePort ?? 0,
      protocol: socket.conn.transport.name,
      headers: Object.entries(socket.handshake.headers).flatMap(([name, value]): [string, string][] =>
        Array.isArray(value) ? value.map((v): [string, string] => [name, v]) : value === undefined ? [] : [[name, String(value)]],
      ),
      url: request.url ?? '',
      connectedAt: Date.now(),
    };
    const peer = new SocketIoPeer(number, info, socket);
    socket.conn.on('upgrade', () => {
      info.protocol = socket.conn.transport.name;
      hooks.record(peer, { kind: 'info', direction: 'none', size: 0, detail: l10n.t('Client {0} upgraded to {1}', info.id, info.protocol) });
    });
    socket.onAny((event: string, ...args: unknown[]) => {
      try {
        const last = args[args.length - 1];
        const ack = typeof last === 'function' ? (args.pop() as AckCallback) : undefined;
        hooks.event(peer, event, args, ack);
      } catch (error) {
        hooks.record(peer, { kind: 'error', direction: 'none', size: 0, detail: l10n.t('Internal error while handling an event: {0}', messageOf(error)) });
      }
    });
    socket.on('disconnect', (reason: string) => {
      if (reason === 'ping timeout') {
        const waitedMs = (definition.ping?.intervalMs ?? 25_000) + (definition.ping?.timeoutMs ?? 20_000);
        hooks.record(peer, { kind: 'error', direction: 'none', size: 0, detail: l10n.t('No pong from client {0}: Socket.IO ended the session (ping timeout)', info.id) });
        hooks.report({ type: 'missingPong', clientId: info.id, waitedMs });
      }
      hooks.disconnected(peer, undefined, reason);
    });
    hooks.connected(peer);
  };

  const port = await listen(server, definition.host, definition.port);
  let stopping: Promise<void> | undefined;
  return {
    port,
    stop: () => {
      stopping ??= (async () => {
        if (io) {
          for (const socket of io.of(definition.namespace).sockets.values()) socket.disconnect(true);
          await new Promise<void>((resolve) => (io as SocketIoServer).close(() => resolve()));
        }
        if (server.listening) await closeListener(server);
      })();
      return stopping;
    },
  };
}
