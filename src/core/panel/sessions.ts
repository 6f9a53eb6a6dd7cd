/**
 * The one place the panel looks at which kind of session it holds: building the right one for
 * the parameters, and each action that only one kind has. The controller asks here and never
 * switches on `kind` itself.
 */
import type { ConnectionParams, PayloadFormat } from '../../shared/protocol';
import { l10n } from '../../shared/l10n';
import { Connection, type ConnectionOptions } from '../connection';
import { framesRefused, type ActionResult, type AnySession } from '../session';
import { SocketIoConnection } from '../socketIoConnection';
import type { TlsFileContents } from '../tlsFiles';
import { WorkerSession } from '../worker/workerSession';
import type { PanelSettings } from './panelHost';

/** What a panel holds: either kind of session, or a plain WebSocket run in a worker. */
export type PanelSession = AnySession | WorkerSession;

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
 * A panel's session: a plain WebSocket goes to a worker when the settings allow it and no proxy
 * may apply (or the endpoint bypasses the proxy); Socket.IO and proxied WebSockets stay on the
 * host thread, where VS Code's proxy support works.
 */
export function createPanelSession(
  params: ConnectionParams,
  settings: Pick<PanelSettings, 'connection' | 'worker'>,
  tlsFiles: TlsFileContents,
  secrets: readonly string[],
): PanelSession {
  const bypass = params.options?.bypassProxy === true;
  const worker = settings.worker;
  if (params.kind !== 'socketio' && worker?.enabled === true && (!worker.proxyMayApply || bypass)) {
    return new WorkerSession(params, { ...settings.connection, tlsFiles, secrets }, bypass ? undefined : 'DIRECT');
  }
  return createSession(params, settings.connection, tlsFiles, secrets);
}

/**
 * Received text as bytes straight into the log (see Connection.setTextSink); Socket.IO sessions
 * report their events as entries.
 */
export function setTextSink(session: PanelSession, sink: ((time: number, utf8: Uint8Array) => void) | undefined): void {
  if (session.kind !== 'socketio') session.setTextSink(sink);
}

/**
 * Whether a close may be followed by auto-reconnect: only a plain WebSocket the user did not end
 * (Socket.IO has its own reconnection option).
 */
export function closedByOthers(session: PanelSession): boolean {
  return session.kind !== 'socketio' && !session.endedByUser;
}

/** A worker's session answers its actions asynchronously; the others at once. */
export function sendOn(session: PanelSession, format: PayloadFormat, body: string): ActionResult | Promise<ActionResult> {
  return session.kind !== 'socketio' ? session.send(format, body) : framesRefused('send');
}

export function controlOn(session: PanelSession, frame: 'ping' | 'pong', payload: string): ActionResult | Promise<ActionResult> {
  return session.kind !== 'socketio' ? session.control(frame, payload) : framesRefused('control');
}

/** A Socket.IO session has no closing handshake to start: Close disconnects it. */
export function closeOn(session: PanelSession, code: number, reason: string, advancedConfirmed: boolean): ActionResult | Promise<ActionResult> {
  if (session.kind !== 'socketio') return session.close(code, reason, advancedConfirmed);
  session.disconnect();
  return { ok: true };
}

/** A Socket.IO emit, refused on a plain WebSocket or with no session. */
export function emitOn(
  session: PanelSession | undefined,
  event: string,
  format: PayloadFormat,
  args: string,
  expectAck: boolean,
): ActionResult {
  if (session?.kind === 'socketio') return session.emit(event, format, args, expectAck);
  return { ok: false, field: 'eventName', error: l10n.t('Not connected to a Socket.IO server: choose Socket.IO and press Connect') };
}
