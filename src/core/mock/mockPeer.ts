/**
 * What the engine (mockEngine.ts) and the two transports (wsTransport.ts, socketIoTransport.ts)
 * say to each other: a transport owns the sockets and reports what happens on them through
 * `TransportHooks`; the engine decides what to do and acts through `MockPeer`.
 */
import type { MockDefinition } from '../../shared/mockFormat';
import type { LogEntry } from '../../shared/protocol';
import type { MockClient, MockEvent } from './mockTypes';

/** One connected client of a transport. */
export interface MockPeer {
  readonly number: number;
  readonly info: MockClient;
  /** Timers of this client's rules (every, delay), cleared when it goes. */
  readonly timers: Set<ReturnType<typeof setTimeout>>;
  /** Sends a message of `size` bytes; returns why it was not sent, if it was not. */
  send(data: string | Buffer, size: number, binary: boolean, fragment: number | undefined): string | undefined;
  emit(event: string, args: readonly unknown[]): string | undefined;
  /** WebSocket: a Close frame with `code`; Socket.IO: a server disconnect. */
  close(code: number | undefined, reason: string): void;
  drop(): void;
}

export type AckCallback = (...args: unknown[]) => void;

export interface TransportHooks {
  /** The definition in force (reload replaces it). */
  readonly definition: MockDefinition;
  nextClientNumber(): number;
  connected(peer: MockPeer): void;
  disconnected(peer: MockPeer, code: number | undefined, reason: string): void;
  message(peer: MockPeer, data: Buffer, binary: boolean): void;
  event(peer: MockPeer, name: string, args: unknown[], ack: AckCallback | undefined): void;
  /** Anything else for the log (ping, pong, info, error). */
  record(peer: MockPeer | undefined, entry: Omit<LogEntry, 'id' | 'time'> & { time?: number }): void;
  report(event: MockEvent): void;
}

/** What a started transport gives back. */
export interface MockTransport {
  readonly port: number;
  /** Closes every client (1001 / disconnect), then the listener. */
  stop(): Promise<void>;
}
