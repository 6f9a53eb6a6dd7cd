/**
 * A plain WebSocket mock on `ws`'s WebSocketServer (noServer: the listener answers refusals and
 * wrong paths itself). Each client is a WsPeer: it sends with the faults of the definition
 * (throttle, fragment), pings and watches for the pong, and never lets a client that does not
 * read make the mock's memory grow (what waits to be sent is bounded).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { headerPairs } from '../headers';
import type { MockDefinition } from '../../shared/mockFormat';
import { messageOf } from '../sessionBase';
import { closeListener, createListener, listen, refuseRequest, refuseUpgrade, remoteOf, type TlsMaterial } from './listener';
import type { MockPeer, MockTransport, TransportHooks } from './mockPeer';
import type { MockClient } from './mockTypes';
import { l10n } from '../../shared/l10n';

/** The largest message a client may send, as the panel's default (websocketDebugger.maxMessageSize). */
const MAX_PAYLOAD = 64 * 1024 * 1024;
/** What one connection may have waiting to be sent (in ws's buffers and the throttle queue). */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;
/** How long stop() waits for clients to answer the 1001 Close frame before it cuts them off. */
const STOP_GRACE_MS = 2000;

interface QueuedFrame {
  data: Buffer | string;
  binary: boolean;
  fin: boolean;
  size: number;
}

class WsPeer implements MockPeer {
  readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly queue: QueuedFrame[] = [];
  private queuedBytes = 0;
  /** When the throttled "link" is free again (ms since the epoch). */
  private linkFreeAt = 0;
  private nextDueAt: number | undefined;
  private pumpTimer: ReturnType<typeof setTimeout> | undefined;
  private corked = false;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pingSentAt: number | undefined;
  private droppedSends = 0;
  /** Resolves once the socket has closed, however it closed. */
  readonly closed: Promise<void>;

  constructor(
    readonly number: number,
    readonly info: MockClient,
    private readonly ws: WebSocket,
    private readonly socket: Duplex,
    private readonly hooks: TransportHooks,
    private readonly ping: MockDefinition['ping'],
  ) {
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
  }

  send(data: string | Buffer, size: number, binary: boolean, fragment: number | undefined): string | undefined {
    if (this.ws.readyState !== WebSocket.OPEN) return l10n.t('client {0} is no longer connected', this.info.id);
    const pending = this.ws.bufferedAmount + this.queuedBytes;
    if (pending > 0 && pending + size > MAX_PENDING_BYTES) {
      this.droppedSends += 1;
      return l10n.t('client {0} is not reading: {1} bytes already wait to be sent, so this message ({2} so far) was dropped', this.info.id, pending, this.droppedSends);
    }
    const throttle = this.hooks.definition.throttle;
    if (throttle === undefined && (fragment === undefined || size <= fragment)) {
      // The common case, once per message of a flood: nothing to split or queue.
      this.corkForThisTurn();
      this.ws.send(data, { binary, fin: true });
      return undefined;
    }
    const frames: QueuedFrame[] = [];
    if (fragment !== undefined && size > fragment) {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let at = 0; at < bytes.length; at += fragment) {
        const chunk = bytes.subarray(at, Math.min(bytes.length, at + fragment));
        frames.push({ data: chunk, binary, fin: at + fragment >= bytes.length, size: chunk.length });
      }
    } else frames.push({ data, binary, fin: true, size });
    if (throttle !== undefined) {
      for (const frame of frames) this.queue.push(frame);
      this.queuedBytes += size;
      this.pump(throttle);
      return undefined;
    }
    this.corkForThisTurn();
    // Fragments of one message go out back to back: nothing else can come between them.
    for (const frame of frames) this.ws.send(frame.data, { binary: frame.binary, fin: frame.fin });
    return undefined;
  }

  emit(): string | undefined {
    return l10n.t('a WebSocket mock sends messages, not events');
  }

  close(code: number | undefined, reason: string): void {
    this.clearQueue();
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code ?? 1000, reason);
  }

  drop(): void {
    this.clearQueue();
    this.ws.terminate();
  }

  startPings(): void {
    const ping = this.ping;
    if (!ping) return;
    this.pingTimer = setInterval(() => {
      if (this.ws.readyState !== WebSocket.OPEN) return;
      const sentAt = Date.now();
      // One ping in flight: an unanswered one is reported once, not again at every interval.
      if (this.pingSentAt !== undefined) return;
      this.pingSentAt = sentAt;
      this.ws.ping();
      this.hooks.record(this, { kind: 'ping', direction: 'sent', frame: 'binary', size: 0, payload: { kind: 'binary', base64: '' } });
      const check = setTimeout(() => {
        this.timers.delete(check);
        if (this.pingSentAt !== sentAt || this.ws.readyState !== WebSocket.OPEN) return;
        this.hooks.record(this, { kind: 'error', direction: 'none', size: 0, detail: l10n.t('No pong from client {0} within {1} ms of the server\'s ping', this.info.id, ping.timeoutMs) });
        this.hooks.report({ type: 'missingPong', clientId: this.info.id, waitedMs: ping.timeoutMs });
      }, ping.timeoutMs);
      this.timers.add(check);
    }, ping.intervalMs);
  }

  pong(data: Buffer): void {
    const rtt = this.pingSentAt === undefined ? undefined : Date.now() - this.pingSentAt;
    this.pingSentAt = undefined;
    this.hooks.record(this, {
      kind: 'pong',
      direction: 'received',
      frame: 'binary',
      size: data.length,
      payload: { kind: 'binary', base64: data.toString('base64') },
      ...(rtt === undefined ? {} : { detail: l10n.t('{0} ms after the ping', rtt) }),
    });
  }

  ended(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.clearQueue();
  }

  /** A burst of sends in one turn of the event loop leaves in one write instead of one per frame. */
  private corkForThisTurn(): void {
    if (this.corked) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(() => {
      this.corked = false;
      this.socket.uncork();
    });
  }

  /** Throttle: each frame is delivered when a link of `bytesPerSecond` would have carried it. */
  private pump(bytesPerSecond: number): void {
    if (this.pumpTimer !== undefined) return;
    while (this.queue.length > 0) {
      const now = Date.now();
      const frame = this.queue[0] as QueuedFrame;
      if (this.nextDueAt === undefined) {
        this.nextDueAt = Math.max(now, this.linkFreeAt) + (frame.size * 1000) / bytesPerSecond;
        this.linkFreeAt = this.nextDueAt;
      }
      if (now < this.nextDueAt) {
        this.pumpTimer = setTimeout(() => {
          this.pumpTimer = undefined;
          this.pump(bytesPerSecond);
        }, Math.ceil(this.nextDueAt - now));
        return;
      }
      this.queue.shift();
      this.nextDueAt = undefined;
      this.queuedBytes -= frame.size;
      if (this.ws.readyState !== WebSocket.OPEN) {
        this.clearQueue();
        return;
      }
      this.ws.send(frame.data, { binary: frame.binary, fin: frame.fin });
    }
  }

  private clearQueue(): void {
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.nextDueAt = undefined;
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
  }
}

export async function startWebSocketTransport(hooks: TransportHooks, tls: TlsMaterial | undefined): Promise<MockTransport> {
  const server: Server = createListener(tls);
  const peers = new Set<WsPeer>();
  // What the listener does is fixed at start; reload() changes the rules, not the handshake.
  const listening = hooks.definition;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_PAYLOAD,
    clientTracking: false,
    handleProtocols: (offered) => {
      const accepted = listening.protocols;
      // The client's order decides among the subprotocols the mock accepts; none in common: none.
      for (const protocol of offered) if (accepted.includes(protocol)) return protocol;
      return false;
    },
  });

  const guarded =
    <A extends unknown[]>(what: string, handler: (...args: A) => void) =>
    (...args: A): void => {
      try {
        handler(...args);
      } catch (error) {
        hooks.record(undefined, { kind: 'error', direction: 'none', size: 0, detail: `Internal error while handling ${what}: ${messageOf(error)}` });
      }
    };

  server.on(
    'upgrade',
    guarded('a handshake', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const definition = listening;
      const remote = remoteOf(request);
      const url = request.url ?? '/';
      const refused = (status: number, reason: string): void =>
        hooks.report({ type: 'refused', remoteAddress: remote.address, url, status, reason });
      if (definition.handshake) {
        refuseUpgrade(socket, definition.handshake);
        refused(definition.handshake.status, l10n.t('the mock refuses every handshake ("handshake" in the mock)'));
        return;
      }
      const pathname = url.split('?')[0];
      if (pathname !== definition.path) {
        const body = `No WebSocket mock at ${pathname}: mock "${definition.name}" listens at ${definition.path}\n`;
        refuseUpgrade(socket, { status: 404, headers: [], body });
        refused(404, l10n.t('the path is not {0}', definition.path));
        return;
      }
      socket.on('error', () => undefined);
      wss.handleUpgrade(request, socket, head, (ws) => {
        const number = hooks.nextClientNumber();
        const info: MockClient = {
          id: String(number),
          remoteAddress: remote.address,
          remotePort: remote.port,
          protocol: ws.protocol,
          headers: headerPairs(request.rawHeaders),
          url,
          connectedAt: Date.now(),
        };
        const peer = new WsPeer(number, info, ws, socket, hooks, listening.ping);
        peers.add(peer);
        ws.on('message', guarded('a message', (data: Buffer, isBinary: boolean) => hooks.message(peer, data, isBinary)));
        ws.on('ping', guarded('a ping', (data: Buffer) =>
          hooks.record(peer, { kind: 'ping', direction: 'received', frame: 'binary', size: data.length, payload: { kind: 'binary', base64: data.toString('base64') }, detail: l10n.t('answered with a pong') }),
        ));
        ws.on('pong', guarded('a pong', (data: Buffer) => peer.pong(data)));
        ws.on('error', guarded('a socket error', (error: Error) =>
          hooks.record(peer, { kind: 'error', direction: 'none', size: 0, detail: `Client ${info.id}: ${error.message}` }),
        ));
        ws.on('close', guarded('a close', (code: number, reason: Buffer) => {
          peers.delete(peer);
          peer.ended();
          hooks.disconnected(peer, code, code === 1006 ? l10n.t('the connection ended without a Close frame') : reason.toString('utf8'));
        }));
        hooks.connected(peer);
        peer.startPings();
      });
    }),
  );

  server.on(
    'request',
    guarded('a request', (request: IncomingMessage, response: ServerResponse) => {
      const definition = listening;
      const status = definition.handshake?.status ?? 426;
      if (definition.handshake) refuseRequest(response, definition.handshake);
      else {
        response.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket', Connection: 'close' });
        response.end(`This is the WebSocket mock "${definition.name}": connect to it with a WebSocket client (path ${definition.path}).\n`);
      }
      const remote = remoteOf(request);
      hooks.report({ type: 'refused', remoteAddress: remote.address, url: request.url ?? '/', status, reason: l10n.t('a plain HTTP request, not a WebSocket handshake') });
    }),
  );
  server.on('clientError', (_error, socket) => socket.destroy());

  const port = await listen(server, hooks.definition.host, hooks.definition.port);
  let stopping: Promise<void> | undefined;
  return {
    port,
    stop: () => {
      stopping ??= (async () => {
        const open = [...peers];
        const closed = Promise.all(open.map((peer) => peer.closed));
        for (const peer of open) peer.close(1001, 'mock server stopped');
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)))]);
        clearTimeout(timer);
        for (const peer of peers) peer.drop();
        wss.close();
        await closeListener(server);
      })();
      return stopping;
    },
  };
}
