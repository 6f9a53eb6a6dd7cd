/**
 * The public shape of a running mock server (docs/mocks.md, "Engine API"): what the CLI and the
 * VS Code side use, whatever the kind of mock. The engine is in mockServer.ts.
 */
import type { MockDefinition } from '../../shared/mockFormat';
import type { LogEntry } from '../../shared/protocol';
import type { MockLog } from './mockLog';
import type { BinaryDecoder } from '../decoders/binaryCodec';

/** One connected client, as the mock saw its handshake. */
export interface MockClient {
  /** "1", "2", …: this mock's own numbering, the `{{connection.id}}` of templates. */
  id: string;
  remoteAddress: string;
  remotePort: number;
  /** The subprotocol agreed on ('' for none); for Socket.IO the transport ("websocket", "polling"). */
  protocol: string;
  /** The request headers of the handshake, in the order and spelling received. */
  headers: [string, string][];
  /** The request path and query. */
  url: string;
  connectedAt: number;
}

export type MockEvent =
  | { type: 'connected'; client: MockClient }
  | { type: 'disconnected'; client: MockClient; code?: number; reason: string }
  /** A message (or event, or ack) in or out; `entry` is the one in the log. */
  | { type: 'message'; clientId: string; direction: 'in' | 'out'; entry: LogEntry }
  | { type: 'rule'; clientId: string; rule: number; description: string }
  /** A rule that failed while acting (a template that made bad hex, a client gone); the mock goes on. */
  | { type: 'ruleError'; clientId: string; rule: number | undefined; error: string }
  | { type: 'missingPong'; clientId: string; waitedMs: number }
  /** A handshake the mock answered with an HTTP status instead of an upgrade. */
  | { type: 'refused'; remoteAddress: string; url: string; status: number; reason: string };

/** What the panel sends: a message (WebSocket) or an event (Socket.IO). */
export type MockOutgoing =
  | { kind: 'text'; text: string }
  | { kind: 'binary'; bytes: Uint8Array }
  | { kind: 'event'; event: string; args: readonly unknown[] };

export type MockActionResult = { ok: true } | { ok: false; error: string };

export interface RunningMock {
  readonly definition: MockDefinition;
  /** ws://, wss://, http:// or https:// with the port actually bound and the path (or namespace). */
  readonly url: string;
  readonly port: number;
  /** SHA-256 fingerprint of the throw-away certificate of a `"tls": true` mock. */
  readonly fingerprint256: string | undefined;
  /** Connected clients, oldest first (fresh objects). */
  clients(): MockClient[];
  /** The mock's loaded `decode` (MessagePack, CBOR or a Protobuf type), if it has one. */
  readonly decoder?: BinaryDecoder;
  /** Bounded log of everything in and out, merged, with each entry's client. */
  readonly log: MockLog;
  onEvent(listener: (event: MockEvent) => void): { dispose(): void };
  /** To one client, or to every client with 'all'. */
  sendTo(target: string | 'all', message: MockOutgoing): MockActionResult;
  /** A Close frame (WebSocket, RFC 6455 rules apply) or a server disconnect (Socket.IO: code ignored). */
  close(clientId: string, code: number, reason: string): MockActionResult;
  /** Destroys the client's TCP connection without a Close frame. */
  drop(clientId: string): MockActionResult;
  /** Replaces the rules (and fallback) of the running mock; the listener itself stays as it is. */
  reload(definition: MockDefinition): MockActionResult;
  /** Closes every client with 1001 (Going Away), then the listener; resolves when all is closed. */
  stop(): Promise<void>;
}

export type StartMockResult =
  | { ok: true; mock: RunningMock }
  | { ok: false; code: 'needs-confirmation' | 'port-in-use' | 'listen-failed' | 'decode'; error: string };

export interface StartMockOptions {
  /** The user agreed to listen on an interface other than loopback (the VS Code side asks first). */
  allowNonLoopback?: boolean;
  logCapacity?: number;
  /** Where a relative .proto path of the mock's "decode" is looked up (the collection file's folder first). */
  protoFolders?: readonly string[];
}
