/**
 * How many values each request settings tab holds that differ from a fresh form (the mark on
 * Params, Headers, Connection options, Socket.IO and Variables), from the form as typed: nothing
 * here validates, so a value still being typed counts as set. Pure, so the counting is tested in
 * plain Node; the panel reads its controls into these drafts.
 */
import { parseQuery } from './queryParams';
import { DEFAULT_SOCKET_IO_OPTIONS } from './socketIo';

export type MarkedTab = 'params' | 'headers' | 'options' | 'socketio' | 'variables';

/** A table row as typed (header, query parameter, variable). */
export interface RowDraft {
  name: string;
  value?: string;
}

/** The Connection options as typed; the Decoding fieldset's choice is among them. */
export interface OptionsDraft {
  acceptInvalidCerts: boolean;
  caFile: string;
  certFile: string;
  keyFile: string;
  pfxFile: string;
  passphrase: string;
  perMessageDeflate: boolean;
  autoReconnect: boolean;
  pingInterval: string;
  autoPong: boolean;
  bypassProxy: boolean;
  lens: string;
  /** '' for none. */
  decodeAs: string;
}

/** The Socket.IO options as typed. */
export interface SocketIoDraft {
  namespace: string;
  path: string;
  transports: string;
  version: string;
  auth: string;
  query: readonly RowDraft[];
  reconnection: boolean;
  ackTimeout: string;
}

const named = (rows: readonly RowDraft[]): number => rows.filter((row) => row.name.trim() !== '').length;

/** The URL's query parameters (the Params table is the URL's query). */
export function countParams(url: string): number {
  return named(parseQuery(url));
}

/** Subprotocols (comma-separated) and header rows with a name. */
export function countHeaders(protocols: string, headers: readonly RowDraft[]): number {
  return protocols.split(',').filter((protocol) => protocol.trim() !== '').length + named(headers);
}

/** Options that differ from their defaults; a Socket.IO connection shows only the proxy and decoding ones. */
export function countOptions(draft: OptionsDraft, socketIo: boolean): number {
  const common = [draft.bypassProxy, draft.decodeAs !== ''];
  if (socketIo) return common.filter(Boolean).length;
  const ping = draft.pingInterval.trim();
  return [
    ...common,
    draft.acceptInvalidCerts,
    draft.caFile.trim() !== '',
    draft.certFile.trim() !== '',
    draft.keyFile.trim() !== '',
    draft.pfxFile.trim() !== '',
    draft.passphrase !== '',
    !draft.perMessageDeflate,
    draft.autoReconnect,
    // 0 turns keep-alive off, as empty does.
    ping !== '' && Number(ping) !== 0,
    !draft.autoPong,
    draft.lens !== 'auto' && draft.lens !== '',
  ].filter(Boolean).length;
}

/** Socket.IO options that differ from DEFAULT_SOCKET_IO_OPTIONS, each extra query parameter one. */
export function countSocketIo(draft: SocketIoDraft): number {
  const d = DEFAULT_SOCKET_IO_OPTIONS;
  const namespace = draft.namespace.trim();
  const path = draft.path.trim();
  const ack = draft.ackTimeout.trim();
  return (
    [
      namespace !== '' && namespace !== d.namespace,
      path !== '' && path !== d.path,
      draft.transports !== d.transports,
      draft.version !== d.version,
      draft.auth.trim() !== '',
      draft.reconnection !== d.reconnection,
      ack !== '' && Number(ack) !== d.ackTimeoutSeconds,
    ].filter(Boolean).length + named(draft.query)
  );
}

/** Variables of the chosen environment with a name. */
export function countVariables(rows: readonly RowDraft[]): number {
  return named(rows);
}

/** The tab's accessible name: its label, and how many values it holds when it holds some. */
export function markedTabName(label: string, count: number): string {
  return count > 0 ? `${label}, ${count} set` : label;
}
