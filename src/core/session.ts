/**
 * The sessions a panel (or the CLI) drives, as one union discriminated by `kind`: a plain
 * WebSocket sends frames (send, control, close), a Socket.IO namespace emits events. Callers
 * switch on `kind`; neither kind carries stubs for the other's actions.
 */
import type { Connection } from './connection';
import type { SocketIoConnection } from './socketIoConnection';

export type AnySession = Connection | SocketIoConnection;

export { framesRefused, type ActionResult, type ConnectionEntry } from './sessionBase';
