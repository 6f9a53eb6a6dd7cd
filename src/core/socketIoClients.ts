/**
 * The two Socket.IO client libraries behind one small interface: socket.io-client v4 (bundled,
 * for v3 and v4 servers) and socket.io-client v2 (for Socket.IO 2 servers), which is its own file
 * in the package and is only loaded when a connection asks for it.
 */
import { createRequire } from 'node:module';
import { io as ioV4, type ManagerOptions, type Socket as SocketV4, type SocketOptions } from 'socket.io-client';
import type { SocketIoOptions } from '../shared/protocol';
import { directAgent } from './proxyBypass';

/** Set by the bundler to the v2 client's own bundle next to extension.js; unset in tests. */
declare const SOCKET_IO_V2_BUNDLE: string | undefined;

export interface ClientConfig {
  /** Server origin, e.g. http://127.0.0.1:3000 */
  url: string;
  options: SocketIoOptions;
  auth?: Record<string, unknown>;
  /** Extra request headers (names are unique: the form checks them). */
  headers: Record<string, string>;
  /** Connection (handshake) timeout. */
  timeoutMs: number;
  /** Connect directly, past VS Code's proxy support (the endpoint's Bypass proxy). */
  bypassProxy?: boolean;
}

export interface ConnectFailure {
  message: string;
  /** Data the server attached (a middleware's error data, a v2 server's error packet). */
  data?: unknown;
  /** True when the transport failed (the library may retry); false when the server refused. */
  transport: boolean;
}

export interface ClientHandlers {
  connect(): void;
  connectError(failure: ConnectFailure): void;
  disconnect(reason: string): void;
  /** An event from the server; `ack` is set when the server asked for an acknowledgement. */
  event(name: string, args: unknown[], ack: boolean): void;
  reconnectAttempt(attempt: number): void;
  reconnect(attempts: number): void;
  reconnectFailed(): void;
  transportChanged(): void;
}

/** One namespace socket of either library. */
export interface ClientSocket {
  readonly connected: boolean;
  readonly id: string;
  readonly transport: string;
  open(): void;
  emit(name: string, args: unknown[], ack?: (...args: unknown[]) => void): void;
  close(): void;
}

function transportsOf(options: SocketIoOptions): string[] {
  return options.transports === 'websocket' ? ['websocket'] : ['polling', 'websocket'];
}

function queryOf(options: SocketIoOptions): Record<string, string> {
  const query: Record<string, string> = {};
  for (const row of options.query) query[row.name] = row.value;
  return query;
}

export function createClient(config: ClientConfig, handlers: ClientHandlers): ClientSocket {
  return config.options.version === 'v2' ? createV2(config, handlers) : createV4(config, handlers);
}

/** The namespace's URL and the manager options both client versions take alike. */
function clientArgs(config: ClientConfig) {
  const { options } = config;
  const url = config.url + (options.namespace === '/' ? '' : options.namespace);
  return [
    url,
    {
      path: options.path,
      transports: transportsOf(options),
      query: queryOf(options),
      extraHeaders: config.headers,
      reconnection: options.reconnection,
      timeout: config.timeoutMs,
      forceNew: true,
      autoConnect: false,
      // Both clients hand `agent` to their polling requests and to ws.
      ...(config.bypassProxy ? { agent: directAgent(/^(https|wss):/i.test(url)) } : {}),
    },
  ] as const;
}

function createV4(config: ClientConfig, handlers: ClientHandlers): ClientSocket {
  const [url, common] = clientArgs(config);
  // engine.io-client types `agent` for browsers (string | boolean); in Node it takes an http.Agent.
  const options = { ...common, auth: config.auth } as Omit<typeof common, 'agent'> as Partial<ManagerOptions & SocketOptions>;
  const socket: SocketV4 = ioV4(url, options);
  let transportFailed = false;
  socket.io.on('error', () => {
    transportFailed = true;
  });
  socket.io.on('open', () => {
    socket.io.engine.on('upgrade', () => handlers.transportChanged());
  });
  socket.on('connect', () => handlers.connect());
  socket.on('connect_error', (err: Error & { data?: unknown }) => {
    const failure: ConnectFailure = { message: err.message, transport: transportFailed };
    if (err.data !== undefined) failure.data = err.data;
    transportFailed = false;
    handlers.connectError(failure);
  });
  socket.on('disconnect', (reason: string) => handlers.disconnect(reason));
  socket.onAny((name: unknown, ...args: unknown[]) => {
    const ack = typeof args[args.length - 1] === 'function';
    handlers.event(String(name), ack ? args.slice(0, -1) : args, ack);
  });
  socket.io.on('reconnect_attempt', (attempt: number) => handlers.reconnectAttempt(attempt));
  socket.io.on('reconnect', (attempts: number) => handlers.reconnect(attempts));
  socket.io.on('reconnect_failed', () => handlers.reconnectFailed());
  // The v4 Socket's emit is typed by event maps; this adapter passes names and arguments through.
  return wrap(socket as unknown as RawSocket, () => socket.connect(), () => {
    socket.offAny();
    socket.disconnect();
  });
}

/** What both libraries' sockets have in common. */
interface RawSocket {
  readonly connected: boolean;
  readonly id?: string;
  readonly io: { engine?: { transport?: { name?: string } } };
  emit(...args: unknown[]): unknown;
}

function wrap(socket: RawSocket, open: () => void, close: () => void): ClientSocket {
  return {
    get connected() {
      return socket.connected;
    },
    get id() {
      return socket.id ?? '';
    },
    get transport() {
      return socket.connected ? (socket.io.engine?.transport?.name ?? '') : '';
    },
    open,
    emit: (name, args, ack) => {
      if (ack) socket.emit(name, ...args, ack);
      else socket.emit(name, ...args);
    },
    close,
  };
}

/** The part of socket.io-client 2 used here (the package has no types of its own). */
interface SocketV2 {
  connected: boolean;
  id?: string;
  io: {
    engine?: { transport?: { name?: string }; on(event: string, listener: () => void): void };
    on(event: string, listener: (...args: never[]) => void): void;
  };
  on(event: string, listener: (...args: never[]) => void): void;
  emit(...args: unknown[]): void;
  open(): void;
  close(): void;
  onevent(packet: { data?: unknown[]; id?: number }): void;
}
type LookupV2 = (url: string, options: Record<string, unknown>) => SocketV2;

let lookupV2: LookupV2 | undefined;

/** Loads the v2 client the first time a connection needs it. */
function loadV2(): LookupV2 {
  if (!lookupV2) {
    const id = typeof SOCKET_IO_V2_BUNDLE === 'string' ? SOCKET_IO_V2_BUNDLE : 'socket.io-client-v2';
    lookupV2 = createRequire(__filename)(id) as LookupV2;
  }
  return lookupV2;
}

function createV2(config: ClientConfig, handlers: ClientHandlers): ClientSocket {
  const [url, common] = clientArgs(config);
  // Where Node has a global WebSocket (22 and later, as in VS Code's extension host), engine.io 3
  // would take it and drop our agent, headers and TLS options; forceNode keeps it on ws.
  const socket = loadV2()(url, { ...common, forceNode: true });
  let opened = false;
  socket.on('connect', () => {
    opened = true;
    handlers.connect();
  });
  socket.io.on('open', () => {
    socket.io.engine?.on('upgrade', () => handlers.transportChanged());
  });
  socket.on('connect_error', (err: Error) => handlers.connectError({ message: err.message, transport: true }));
  socket.on('connect_timeout', () => handlers.connectError({ message: 'timeout', transport: true }));
  // A Socket.IO 2 server refuses a namespace (middleware error) with an error packet.
  socket.on('error', (data: unknown) => {
    if (!opened) handlers.connectError({ message: typeof data === 'string' ? data : 'refused', data, transport: false });
  });
  socket.on('disconnect', (reason: string) => handlers.disconnect(reason));
  socket.on('reconnect_attempt', (attempt: number) => handlers.reconnectAttempt(attempt));
  socket.on('reconnect', (attempts: number) => handlers.reconnect(attempts));
  socket.on('reconnect_failed', () => handlers.reconnectFailed());
  const original = socket.onevent.bind(socket);
  socket.onevent = (packet) => {
    const data = Array.isArray(packet.data) ? packet.data : [];
    handlers.event(String(data[0]), data.slice(1), packet.id !== undefined && packet.id !== null);
    original(packet);
  };
  return wrap(socket, () => socket.open(), () => socket.close());
}
