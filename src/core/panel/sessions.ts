/**
 * The one place the panel looks at which kind of session it holds: building the right one for
 * the parameters, and each action that only one kind has. The controller asks here and never
 * switches on `kind` itself.
 */
import type { ConnectionParams, PayloadFormat } from '../../shared/protocol';
import { Connection, type ConnectionOptions } from '../connection';
import { framesRefused, type ActionResult, type AnySession } from '../session';
import { SocketIoConnection } from '../socketIoConnection';
import type { TlsFileContents } from '../tlsFiles';

/** A session for checked parameters; TLS files apply to plain WebSockets, secrets are masked by both. */
export function createSession(
  params: ConnectionParams,
  options: ConnectionOptions,
  tlsFiles: TlsFileContents,
  secrets: readonly string[],
): AnySession {
  return params.kind === 'socketio'
    ? new SocketIoConnection(params, { ...options, secrets })
    : new Connection(params, { ...options, tlsFiles, secrets });
}

/**
 * Received text as bytes straight into the log (see Connection.setTextSink); Socket.IO sessions
 * report their events as entries.
 */
export function setTextSink(session: AnySession, sink: ((time: number, utf8: Uint8Array) => void) | undefined): void {
  if (session.kind === 'websocket') session.setTextSink(sink);
}

/**
 * Whether a close may be followed by auto-reconnect: only a plain WebSocket the user did not end
 * (Socket.IO has its own reconnection option).
 */
export function closedByOthers(session: AnySession): boolean {
  return session.kind === 'websocket' && !session.endedByUser;
}

export function sendOn(session: AnySession, format: PayloadFormat, body: string): ActionResult {
  return session.kind === 'websocket' ? session.send(format, body) : framesRefused('send');
}

export function controlOn(session: AnySession, frame: 'ping' | 'pong', payload: string): ActionResult {
  return session.kind === 'websocket' ? session.control(frame, payload) : framesRefused('control');
}

/** A Socket.IO session has no closing handshake to start: Close disconnects it. */
export function closeOn(session: AnySession, code: number, reason: string, advancedConfirmed: boolean): ActionResult {
  if (session.kind === 'websocket') return session.close(code, reason, advancedConfirmed);
  session.disconnect();
  return { ok: true };
}

/** A Socket.IO emit, refused on a plain WebSocket or with no session. */
export function emitOn(
  session: AnySession | undefined,
  event: string,
  format: PayloadFormat,
  args: string,
  expectAck: boolean,
): ActionResult {
  if (session?.kind === 'socketio') return session.emit(event, format, args, expectAck);
  return { ok: false, field: 'eventName', error: 'Not connected to a Socket.IO server: choose Socket.IO and press Connect' };
}
