/**
 * What a debugger panel needs from its connection, whichever kind it is: a plain WebSocket
 * (Connection) or a Socket.IO namespace (SocketIoConnection).
 */
import type { ConnectionState, PayloadFormat } from '../shared/protocol';
import type { ActionResult, ConnectionEntry } from './connection';
import type { Disposable } from './emitter';

export interface Session {
  readonly state: ConnectionState;
  readonly onEntry: (listener: (entry: ConnectionEntry) => void) => Disposable;
  /**
   * Where received text messages go instead of `onEntry`, as the UTF-8 bytes the socket
   * delivered (already validated), when set: a listener that stores bytes (the panel's log)
   * then costs no string and no entry object per message of a flood. Optional: a session
   * without it reports every message through `onEntry`.
   */
  setTextSink?(sink: ((time: number, utf8: Uint8Array) => void) | undefined): void;
  readonly onStateChange: (listener: (state: ConnectionState) => void) => Disposable;
  open(): ActionResult;
  send(format: PayloadFormat, body: string): ActionResult;
  control(frame: 'ping' | 'pong', payload: string): ActionResult;
  close(code: number, reason: string, advancedConfirmed: boolean): ActionResult;
  disconnect(): void;
  dispose(): void;
}
