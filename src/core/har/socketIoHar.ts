/**
 * Socket.IO in HAR files, in the form Chrome DevTools records it: the entry is the Engine.IO
 * WebSocket handshake (`/socket.io/?EIO=4&transport=websocket`) and `_webSocketMessages` hold the
 * wire text of each packet: an Engine.IO type digit (`4` = message) before the Socket.IO packet
 * (`40` connect, `42["chat",{"a":1}]` event, `431[...]` ack, `451-[...,{"_placeholder":true,
 * "num":0}]` followed by one binary frame per attachment). Packets are written and read with
 * socket.io-parser, the library socket.io-client itself uses, so a file we write reads like one a
 * browser recorded.
 *
 * Protocol versions: Socket.IO 3 and 4 servers speak Engine.IO 4 (binary frames carry the raw
 * attachment; the server answers CONNECT with `40{"sid":...}`; the client may send auth in
 * CONNECT); Socket.IO 2 servers speak Engine.IO 3 (each binary frame starts with the byte 4, the
 * Engine.IO message type; the server sends `40` by itself for the main namespace and CONNECT
 * carries no payload). The event, ack and binary packet text is the same in both.
 */
import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';
import { decodeBase64, encodeBase64, payloadFromBytes, utf8ByteLength } from '../../shared/codecs';
import { findForbiddenKey } from '../../shared/collections';
import { l10n } from '../../shared/l10n';
import type { LogEntry, Payload, SocketIoOptions } from '../../shared/protocol';
import { checkEventName, DEFAULT_SOCKET_IO_OPTIONS, engineIoOf, payloadsSize, receivedArgumentPayload } from '../../shared/socketIo';

/** Engine.IO packet types (the first character of a text frame). */
const ENGINE_IO = { open: '0', close: '1', ping: '2', pong: '3', message: '4', upgrade: '5', noop: '6' } as const;
/** More attachments than one packet can carry here (socket.io-parser's default is 10). */
const MAX_ATTACHMENTS = 1000;
/** Query parameters Engine.IO sets itself: never part of an endpoint's query. */
const ENGINE_IO_QUERY = new Set(['EIO', 'transport', 'sid', 't', 'b64']);

/** One frame of a Socket.IO session as the writer produces it, before secrets are stripped. */
export interface SocketIoFrame {
  direction: 'sent' | 'received';
  time: number;
  /** Text frames: the Engine.IO packet; binary frames: the bytes as they go over the wire. */
  data: { kind: 'text'; text: string } | { kind: 'binary'; bytes: Uint8Array };
}

/**
 * The Engine.IO WebSocket URL the client connects to: ws(s) on the server's origin, the path with
 * a trailing slash, the user's query first and then EIO and transport (engine.io-client's order).
 */
export function socketIoHandshakeUrl(url: string, options: SocketIoOptions): string {
  let origin: URL;
  try {
    origin = new URL(url);
  } catch {
    return url;
  }
  const scheme = /^(https|wss):$/i.test(origin.protocol) ? 'wss:' : 'ws:';
  const target = new URL(`${scheme}//${origin.host}${options.path.replace(/\/?$/, '/')}`);
  for (const row of options.query) target.searchParams.append(row.name, row.value);
  target.searchParams.set('EIO', String(engineIoOf(options.version)));
  target.searchParams.set('transport', 'websocket');
  return target.toString();
}

/** A single-key `{"<binary>": base64}` object (how the log shows bytes nested in an argument). */
function binaryMarker(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const base64 = (value as Record<string, unknown>)['<binary>'];
  if (keys.length !== 1 || typeof base64 !== 'string') return undefined;
  try {
    return decodeBase64(base64);
  } catch {
    return undefined;
  }
}

/** A logged argument back as the value that was on the wire (bytes as Buffers, for the encoder). */
function argumentValue(payload: Payload): unknown {
  if (payload.kind === 'binary') return Buffer.from(decodeBase64(payload.base64));
  let value: unknown;
  try {
    value = JSON.parse(payload.text);
  } catch {
    return payload.text;
  }
  const revive = (node: unknown): unknown => {
    const bytes = binaryMarker(node);
    if (bytes) return Buffer.from(bytes);
    if (Array.isArray(node)) return node.map(revive);
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([key, nested]) => [key, revive(nested)]));
    }
    return node;
  };
  return revive(value);
}

/** The session id the open entry's words name ("..., sid abc)"). */
function sidOf(detail: string | undefined): string | undefined {
  const sid = /\bsid ([^\s)]+)\)?$/.exec(detail ?? '')?.[1];
  return sid === undefined || sid === '?' ? undefined : sid;
}

function authOf(options: SocketIoOptions): Record<string, unknown> | undefined {
  if (options.version === 'v2' || options.auth.trim() === '') return undefined;
  try {
    const value: unknown = JSON.parse(options.auth);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A Socket.IO panel's (or flow run's) log of one connection as the frames that carried it. Only
 * what the log knows went over the wire is written: the namespace CONNECT and its answer, events,
 * acks and a DISCONNECT either side asked for. Engine.IO's own heartbeats are not logged, so they
 * are not written either.
 */
export function socketIoFrames(entries: readonly Omit<LogEntry, 'id'>[], options: SocketIoOptions): SocketIoFrame[] {
  const encoder = new Encoder();
  const eio3 = engineIoOf(options.version) === 3;
  const nsp = options.namespace;
  const frames: SocketIoFrame[] = [];
  const push = (direction: SocketIoFrame['direction'], time: number, packet: Packet): void => {
    const [head, ...attachments] = encoder.encode(packet) as [string, ...Uint8Array[]];
    frames.push({ direction, time, data: { kind: 'text', text: `${ENGINE_IO.message}${head}` } });
    for (const attachment of attachments) {
      const bytes = new Uint8Array(attachment);
      // Engine.IO 3 puts the message type (4) before binary data; Engine.IO 4 sends it bare.
      if (!eio3) {
        frames.push({ direction, time, data: { kind: 'binary', bytes } });
        continue;
      }
      const framed = new Uint8Array(bytes.byteLength + 1);
      framed[0] = 4;
      framed.set(bytes, 1);
      frames.push({ direction, time, data: { kind: 'binary', bytes: framed } });
    }
  };
  const ackIds = new Map<number, number>();
  let nextAckId = 0;
  let nextServerAckId = 0;
  let opened: number | undefined;
  const pushEvent = (entry: Omit<LogEntry, 'id'>, time: number): void => {
    const event = entry.event!;
    const data = [event.name, ...event.args.map(argumentValue)];
    let id: number | undefined;
    if (entry.direction === 'sent' && event.expectsAck === true && event.emitNumber !== undefined) {
      id = nextAckId++;
      ackIds.set(event.emitNumber, id);
    } else if (entry.direction === 'received' && event.serverAsksAck === true) {
      id = nextServerAckId++;
    }
    push(entry.direction === 'sent' ? 'sent' : 'received', time, { type: PacketType.EVENT, nsp, data, ...(id !== undefined ? { id } : {}) });
  };
  for (const entry of entries) {
    switch (entry.kind) {
      case 'open': {
        const auth = authOf(options);
        if (!eio3 || nsp !== '/') push('sent', entry.time, { type: PacketType.CONNECT, nsp, ...(auth ? { data: auth } : {}) });
        const sid = eio3 ? undefined : sidOf(entry.detail);
        push('received', entry.time, { type: PacketType.CONNECT, nsp, ...(sid !== undefined ? { data: { sid } } : {}) });
        opened = entry.time;
        break;
      }
      case 'event':
        // An emit queued while disconnected went out when the namespace connected (sessionsFromLog puts it after the open entry).
        if (entry.event && entry.direction !== 'none') pushEvent(entry, entry.event.queued && opened !== undefined ? Math.max(opened, entry.time) : entry.time);
        break;
      case 'ack': {
        const event = entry.event;
        const id = event?.emitNumber === undefined ? undefined : ackIds.get(event.emitNumber);
        if (!event || entry.direction !== 'received' || id === undefined) break;
        push('received', entry.time, { type: PacketType.ACK, nsp, id, data: event.args.map(argumentValue) });
        break;
      }
      case 'close':
        // The disconnect reasons Socket.IO reports for a DISCONNECT packet (see describeDisconnectReason).
        if (/\(io client disconnect\)/.test(entry.detail ?? '')) push('sent', entry.time, { type: PacketType.DISCONNECT, nsp });
        else if (/\(io server disconnect\)/.test(entry.detail ?? '')) push('received', entry.time, { type: PacketType.DISCONNECT, nsp });
        break;
      case 'message':
      case 'ping':
      case 'pong':
      case 'error':
      case 'info':
        break;
    }
  }
  return frames;
}

/** One frame of a HAR entry as the reader hands it over: base64 already checked and decoded. */
export interface HarFrame {
  /** Where it is in the file, for reasons ("log.entries[0]._webSocketMessages[3]"). */
  at: string;
  direction: 'sent' | 'received';
  time: number;
  data: { kind: 'text'; text: string } | { kind: 'binary'; bytes: Uint8Array };
}

/** Whether a HAR WebSocket entry is an Engine.IO connection: its URL, or its first packets. */
export function isSocketIoHar(url: string, frames: readonly HarFrame[]): boolean {
  try {
    const parsed = new URL(url);
    if (parsed.searchParams.has('EIO') || /\/socket\.io\/?$/.test(parsed.pathname)) return true;
  } catch {
    // Not a URL: the collection's reader says so later.
  }
  // The server's Engine.IO open packet is the first thing it sends.
  const first = frames.find((f) => f.direction === 'received');
  return first?.data.kind === 'text' && /^0\{"sid":/.test(first.data.text);
}

export interface SocketIoImport {
  /** The server's origin as http(s), as a Socket.IO endpoint keeps it. */
  url: string;
  options: SocketIoOptions;
  /** Events, acks, connects and disconnects as the panel logs them; unreadable packets as messages with the reason. */
  entries: LogEntry[];
  /** Sentences (without the endpoint's name): what was left out or not read. */
  notes: string[];
}

function httpOrigin(url: URL): string {
  const scheme = /^(wss|https):$/i.test(url.protocol) ? 'https:' : 'http:';
  return `${scheme}//${url.host}`;
}

/**
 * Reads the frames of an Engine.IO WebSocket as Socket.IO: the endpoint's options (namespace,
 * path, version from EIO=, query, the CONNECT packet's auth) and the log. A packet that does not
 * parse is kept in the log as a message with the reason and counted in the notes; nothing throws.
 */
export function readSocketIoFrames(rawUrl: string, frames: readonly HarFrame[]): SocketIoImport {
  let parsed: URL | undefined;
  try {
    parsed = new URL(rawUrl);
  } catch {
    parsed = undefined;
  }
  const eio = parsed?.searchParams.get('EIO') === '3' ? 3 : 4;
  const path = (parsed?.pathname ?? '').replace(/\/+$/, '') || DEFAULT_SOCKET_IO_OPTIONS.path;
  const query = parsed ? [...parsed.searchParams].filter(([name]) => !ENGINE_IO_QUERY.has(name)).map(([name, value]) => ({ name, value })) : [];
  const entries: LogEntry[] = [];
  const add = (entry: Omit<LogEntry, 'id'>): void => {
    entries.push({ id: entries.length + 1, ...entry });
  };
  const bad: string[] = [];
  const keepBad = (frame: HarFrame, reason: string): void => {
    bad.push(`${frame.at}: ${reason}`);
    const payload: Payload = frame.data.kind === 'text' ? { kind: 'text', text: frame.data.text } : payloadFromBytes(frame.data.bytes);
    const size = frame.data.kind === 'text' ? utf8ByteLength(frame.data.text) : frame.data.bytes.byteLength;
    add({ time: frame.time, kind: 'message', direction: frame.direction, frame: frame.data.kind, size, payload, detail: l10n.t('Not read as Socket.IO: {0}', reason) });
  };
  let namespace: string | undefined;
  let auth = '';
  let engineOnly = 0;
  let otherNamespaces = 0;
  let clientAcks = 0;
  let emitNumber = 0;
  const pendingAcks = new Map<number, { emitNumber: number; name: string; time: number }>();
  const decoders = {
    sent: new Decoder({ maxAttachments: MAX_ATTACHMENTS }),
    received: new Decoder({ maxAttachments: MAX_ATTACHMENTS }),
  };
  /** The frame that started the packet each decoder is putting together (for its time and reason). */
  const started: Record<'sent' | 'received', HarFrame | undefined> = { sent: undefined, received: undefined };

  const onPacket = (frame: HarFrame, packet: Packet): void => {
    const forbidden = findForbiddenKey(packet.data);
    if (forbidden) return keepBad(frame, l10n.t('the key "{0}" is not allowed ({1})', forbidden.key, forbidden.path.replace(/^\$?\.?/, 'data.')));
    const nsp = packet.nsp || '/';
    if (namespace === undefined) namespace = nsp;
    if (nsp !== namespace) {
      otherNamespaces += 1;
      return;
    }
    const direction = frame.direction;
    switch (packet.type) {
      case PacketType.CONNECT: {
        const data = packet.data as Record<string, unknown> | undefined;
        if (direction === 'sent') {
          if (data !== undefined && auth === '') auth = JSON.stringify(data);
          return;
        }
        const sid = typeof data?.sid === 'string' ? data.sid : undefined;
        add({ time: frame.time, kind: 'open', direction: 'none', size: 0, detail: sid !== undefined ? l10n.t('Connected to namespace {0} (recorded, sid {1})', nsp, sid) : l10n.t('Connected to namespace {0} (recorded)', nsp) });
        return;
      }
      case PacketType.DISCONNECT:
        add({
          time: frame.time,
          kind: 'close',
          direction: 'none',
          size: 0,
          detail: direction === 'sent'
            ? l10n.t('Disconnected: closed by the client (io client disconnect)')
            : l10n.t('Disconnected: the server disconnected the socket (io server disconnect)'),
        });
        return;
      case PacketType.CONNECT_ERROR: {
        const data = packet.data as unknown;
        const message = typeof data === 'string' ? data : typeof (data as { message?: unknown })?.message === 'string' ? (data as { message: string }).message : JSON.stringify(data);
        add({ time: frame.time, kind: 'error', direction: 'none', size: 0, detail: `connect_error: ${message}` });
        return;
      }
      case PacketType.EVENT:
      case PacketType.BINARY_EVENT: {
        const [rawName, ...args] = packet.data as unknown[];
        const name = String(rawName);
        const nameError = checkEventName(name);
        if (nameError !== undefined) return keepBad(frame, nameError);
        const payloads = args.map(receivedArgumentPayload);
        const size = payloadsSize(payloads);
        const wantsAck = packet.id !== undefined && packet.id !== null;
        if (direction === 'sent') {
          emitNumber += 1;
          if (wantsAck) pendingAcks.set(packet.id!, { emitNumber, name, time: frame.time });
          add({
            time: frame.time,
            kind: 'event',
            direction: 'sent',
            size,
            detail: wantsAck ? l10n.t('emit #{0}, expects ack', emitNumber) : l10n.t('emit #{0}', emitNumber),
            event: { name, args: payloads, emitNumber, ...(wantsAck ? { expectsAck: true as const } : {}) },
          });
        } else {
          add({
            time: frame.time,
            kind: 'event',
            direction: 'received',
            size,
            ...(wantsAck ? { detail: l10n.t('the server asked for an ack (not answered)') } : {}),
            event: { name, args: payloads, ...(wantsAck ? { serverAsksAck: true as const } : {}) },
          });
        }
        return;
      }
      case PacketType.ACK:
      case PacketType.BINARY_ACK: {
        if (direction === 'sent') {
          clientAcks += 1;
          return;
        }
        const payloads = (packet.data as unknown[]).map(receivedArgumentPayload);
        const size = payloadsSize(payloads);
        const emit = packet.id === undefined ? undefined : pendingAcks.get(packet.id);
        if (!emit) return keepBad(frame, l10n.t('an ack with id {0} answers no emit recorded before it', String(packet.id)));
        pendingAcks.delete(packet.id!);
        const roundTripMs = Math.max(0, Math.round(frame.time - emit.time));
        add({
          time: frame.time,
          kind: 'ack',
          direction: 'received',
          size,
          detail: l10n.t('ack for emit #{0} after {1} ms', emit.emitNumber, roundTripMs),
          event: { name: emit.name, args: payloads, emitNumber: emit.emitNumber, roundTripMs },
        });
        return;
      }
    }
  };

  for (const frame of frames) {
    const decoder = decoders[frame.direction];
    if (frame.data.kind === 'binary') {
      let bytes = frame.data.bytes;
      if (eio === 3) {
        if (bytes[0] !== 4) {
          keepBad(frame, l10n.t('an Engine.IO 3 binary frame starts with the message type 4'));
          continue;
        }
        bytes = bytes.subarray(1);
      }
      const head = started[frame.direction];
      if (!head) {
        keepBad(frame, l10n.t('a binary frame that no binary event or ack announced'));
        continue;
      }
      try {
        decoder.once('decoded', (packet: Packet) => {
          started[frame.direction] = undefined;
          onPacket(head, packet);
        });
        decoder.add(Buffer.from(bytes));
      } catch (error) {
        started[frame.direction] = undefined;
        keepBad(frame, error instanceof Error ? error.message : String(error));
      } finally {
        decoder.off('decoded');
      }
      continue;
    }
    const text = frame.data.text;
    const type = text.charAt(0);
    if (type !== ENGINE_IO.message) {
      if (Object.values(ENGINE_IO).includes(type as never)) engineOnly += 1;
      else keepBad(frame, l10n.t('not an Engine.IO packet (it starts with {0})', JSON.stringify(text.slice(0, 8))));
      continue;
    }
    if (started[frame.direction]) {
      // The binary frames a packet announced did not all come: it is incomplete.
      keepBad(started[frame.direction]!, l10n.t('its binary attachments did not all follow it'));
      started[frame.direction] = undefined;
      decoders[frame.direction] = new Decoder({ maxAttachments: MAX_ATTACHMENTS });
    }
    const current = decoders[frame.direction];
    let waiting = true;
    try {
      current.once('decoded', (packet: Packet) => {
        waiting = false;
        onPacket(frame, packet);
      });
      current.add(text.slice(1));
      if (waiting) started[frame.direction] = frame;
    } catch (error) {
      keepBad(frame, l10n.t('not a Socket.IO packet: {0}', error instanceof Error ? error.message : String(error)));
      decoders[frame.direction] = new Decoder({ maxAttachments: MAX_ATTACHMENTS });
    } finally {
      current.off('decoded');
    }
  }
  for (const direction of ['sent', 'received'] as const) {
    const head = started[direction];
    if (head) keepBad(head, l10n.t('the file ends before all its binary attachments'));
  }

  const notes: string[] = [];
  if (bad.length > 0) {
    notes.push(bad.length === 1
      ? l10n.t('1 frame not read as Socket.IO (kept in the log with the reason); the first: {0}.', bad[0]!)
      : l10n.t('{0} frames not read as Socket.IO (kept in the log with the reason); the first: {1}.', bad.length, bad[0]!));
  }
  if (engineOnly > 0) {
    notes.push(engineOnly === 1
      ? l10n.t('1 Engine.IO packet (open, ping, pong, upgrade) left out: the client makes its own.')
      : l10n.t('{0} Engine.IO packets (open, ping, pong, upgrade) left out: the client makes its own.', engineOnly));
  }
  if (otherNamespaces > 0) {
    notes.push(otherNamespaces === 1
      ? l10n.t('1 packet of namespaces other than {0} left out (an endpoint joins one namespace).', String(namespace))
      : l10n.t('{0} packets of namespaces other than {1} left out (an endpoint joins one namespace).', otherNamespaces, String(namespace)));
  }
  if (clientAcks > 0) {
    notes.push(clientAcks === 1
      ? l10n.t("1 ack the client sent left out (a flow does not answer the server's acks).")
      : l10n.t("{0} acks the client sent left out (a flow does not answer the server's acks).", clientAcks));
  }
  const options: SocketIoOptions = {
    ...DEFAULT_SOCKET_IO_OPTIONS,
    namespace: namespace ?? '/',
    path,
    transports: 'websocket',
    version: eio === 3 ? 'v2' : 'v4',
    auth: eio === 3 ? '' : auth,
    query,
  };
  return { url: parsed ? httpOrigin(parsed) : rawUrl, options, entries, notes };
}

/** A frame's data for `_webSocketMessages`: text as it is, binary in base64 (opcode 2). */
export function harData(data: SocketIoFrame['data']): { opcode: 1 | 2; data: string } {
  return data.kind === 'text' ? { opcode: 1, data: data.text } : { opcode: 2, data: encodeBase64(data.bytes) };
}
