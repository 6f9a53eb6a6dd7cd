/**
 * The sessions a panel (or the CLI) drives, as one union discriminated by `kind`: a plain
 * WebSocket sends frames (send, control, close), a Socket.IO namespace emits events. Callers
 * switch on `kind`; neither kind carries stubs for the other's actions.
 */
import type { Field, LogEntry } from '../shared/protocol';
import type { Connection } from './connection';
import type { SocketIoConnection } from './socketIoConnection';

export type AnySession = Connection | SocketIoConnection;

export type ActionResult =
  | { ok: true }
  | { ok: false; field: Field; error: string; needsConfirmation?: boolean };

/** A log row before the log assigns its id. */
export type ConnectionEntry = Omit<LogEntry, 'id'>;

/** The answer to a frame action (send, ping/pong) asked of a Socket.IO session. */
export function framesRefused(action: 'send' | 'control'): ActionResult {
  switch (action) {
    case 'send':
      return { ok: false, field: 'message', error: 'A Socket.IO connection sends events: use Emit' };
    case 'control':
      return { ok: false, field: 'control', error: 'Socket.IO manages its own heartbeats; ping and pong frames cannot be sent here' };
  }
}
