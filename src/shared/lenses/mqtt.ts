/**
 * The MQTT lens (subprotocol `mqtt`): MQTT 3.1.1 and 5 control packets in binary WebSocket
 * messages. The version is the one the CONNECT asked for (3.1.1 until one is seen). A message may
 * hold several packets or part of one (MQTT over WebSocket allows both): a packet split across
 * messages is read when its last part arrives. Acknowledgements (PUBACK, PUBREC, PUBCOMP,
 * SUBACK, UNSUBACK, PINGRESP) are paired with what they answer and show the latency.
 */
import { l10n } from '../l10n';
import type { LensView } from '../model';
import { BoundedMap, clip, formatLatency, MAX_LISTED, MAX_READ, opposite, type Lens, type LensFrame } from './lens';

const TYPES = ['', 'CONNECT', 'CONNACK', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', 'SUBSCRIBE', 'SUBACK', 'UNSUBSCRIBE', 'UNSUBACK', 'PINGREQ', 'PINGRESP', 'DISCONNECT', 'AUTH'];

/** Bytes a packet split across messages may take while it waits for its rest. */
const MAX_BUFFERED = 16 * 1024 * 1024;
/** Packets of one message named in its summary. */
const SUMMARY_PACKETS = 3;
/** Payload bytes shown as hex when the payload is not text. */
const HEX_PREVIEW = 64;

/** MQTT 5 properties: identifier to name and encoding. */
const PROPERTIES: Record<number, [string, 'byte' | 'u16' | 'u32' | 'varint' | 'utf8' | 'binary' | 'pair']> = {
  1: ['Payload format', 'byte'],
  2: ['Message expiry interval', 'u32'],
  3: ['Content type', 'utf8'],
  8: ['Response topic', 'utf8'],
  9: ['Correlation data', 'binary'],
  11: ['Subscription identifier', 'varint'],
  17: ['Session expiry interval', 'u32'],
  18: ['Assigned client identifier', 'utf8'],
  19: ['Server keep alive', 'u16'],
  21: ['Authentication method', 'utf8'],
  22: ['Authentication data', 'binary'],
  23: ['Request problem information', 'byte'],
  24: ['Will delay interval', 'u32'],
  25: ['Request response information', 'byte'],
  26: ['Response information', 'utf8'],
  28: ['Server reference', 'utf8'],
  31: ['Reason string', 'utf8'],
  33: ['Receive maximum', 'u16'],
  34: ['Topic alias maximum', 'u16'],
  35: ['Topic alias', 'u16'],
  36: ['Maximum QoS', 'byte'],
  37: ['Retain available', 'byte'],
  38: ['User property', 'pair'],
  39: ['Maximum packet size', 'u32'],
  40: ['Wildcard subscription available', 'byte'],
  41: ['Subscription identifier available', 'byte'],
  42: ['Shared subscription available', 'byte'],
};

/** MQTT 5 reason codes (the ones a broker sends), by value. */
const REASONS: Record<number, string> = {
  0: 'Success', 1: 'Granted QoS 1', 2: 'Granted QoS 2', 4: 'Disconnect with Will Message', 16: 'No matching subscribers',
  17: 'No subscription existed', 24: 'Continue authentication', 25: 'Re-authenticate', 128: 'Unspecified error',
  129: 'Malformed Packet', 130: 'Protocol Error', 131: 'Implementation specific error', 132: 'Unsupported Protocol Version',
  133: 'Client Identifier not valid', 134: 'Bad User Name or Password', 135: 'Not authorized', 136: 'Server unavailable',
  137: 'Server busy', 138: 'Banned', 139: 'Server shutting down', 140: 'Bad authentication method', 141: 'Keep Alive timeout',
  142: 'Session taken over', 143: 'Topic Filter invalid', 144: 'Topic Name invalid', 145: 'Packet Identifier in use',
  146: 'Packet Identifier not found', 147: 'Receive Maximum exceeded', 148: 'Topic Alias invalid', 149: 'Packet too large',
  150: 'Message rate too high', 151: 'Quota exceeded', 152: 'Administrative action', 153: 'Payload format invalid',
  154: 'Retain not supported', 155: 'QoS not supported', 156: 'Use another server', 157: 'Server moved',
  158: 'Shared Subscriptions not supported', 159: 'Connection rate exceeded', 160: 'Maximum connect time',
  161: 'Subscription Identifiers not supported', 162: 'Wildcard Subscriptions not supported',
};

/** MQTT 3.1.1 CONNACK return codes. */
const CONNACK_V3 = ['accepted', 'unacceptable protocol version', 'identifier rejected', 'server unavailable', 'bad user name or password', 'not authorized'];

class MalformedPacket extends Error {}

/** Reads one packet's fields, failing with MalformedPacket at the first thing that does not fit. */
class Reader {
  at = 0;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly end: number,
    start: number,
  ) {
    this.at = start;
  }

  get left(): number {
    return this.end - this.at;
  }

  byte(what: string): number {
    if (this.at >= this.end) throw new MalformedPacket(l10n.t('{0} is missing', what));
    return this.bytes[this.at++] as number;
  }

  u16(what: string): number {
    return (this.byte(what) << 8) | this.byte(what);
  }

  u32(what: string): number {
    return this.u16(what) * 0x10000 + this.u16(what);
  }

  varint(what: string): number {
    let value = 0;
    for (let shift = 0, i = 0; i < 4; i++, shift += 7) {
      const b = this.byte(what);
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
    throw new MalformedPacket(l10n.t('{0} is a variable byte integer longer than 4 bytes', what));
  }

  binary(what: string): Uint8Array {
    const length = this.u16(what);
    if (length > this.left) throw new MalformedPacket(l10n.t('{0} says {1} bytes, {2} are left', what, length, this.left));
    const value = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return value;
  }

  utf8(what: string): string {
    const bytes = this.binary(what);
    try {
      return strictUtf8.decode(bytes);
    } catch {
      throw new MalformedPacket(l10n.t('{0} is not valid UTF-8', what));
    }
  }

  rest(): Uint8Array {
    const value = this.bytes.subarray(this.at, this.end);
    this.at = this.end;
    return value;
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

interface Described {
  summary: string;
  fields: [string, string][];
}

export class MqttLens implements Lens {
  readonly name = 'mqtt' as const;
  /** The protocol level of the session: 3 (3.1), 4 (3.1.1) or 5. */
  private level = 4;
  /** Packets waiting for their acknowledgement, by the sender's direction, kind and packet id. */
  private readonly pending = new BoundedMap<string, number>();
  /** MQTT 5 topic aliases each side set up, by direction and alias. */
  private readonly aliases = new BoundedMap<string, string>();
  /** The start of a packet split across messages, per direction. */
  private readonly partial: Record<LensFrame['direction'], Uint8Array | undefined> = { sent: undefined, received: undefined };

  observe(frame: LensFrame): LensView | undefined {
    if (typeof frame.data === 'string') {
      const error = l10n.t('Not an MQTT packet: MQTT travels in binary messages, this is a text message');
      return { lens: this.name, summary: error, fields: [['Text', clip(frame.data, 200)]], error };
    }
    const before = this.partial[frame.direction];
    let bytes = frame.data;
    if (before) {
      bytes = new Uint8Array(before.length + frame.data.length);
      bytes.set(before);
      bytes.set(frame.data, before.length);
      this.partial[frame.direction] = undefined;
    }
    const described: Described[] = [];
    let at = 0;
    let error: string | undefined;
    let unread = 0;
    while (at < bytes.length) {
      if (described.length === MAX_READ) {
        unread = bytes.length - at;
        break;
      }
      const header = fixedHeader(bytes, at);
      if (header === 'short' || (header.ok && header.end > bytes.length)) {
        const total = header === 'short' ? undefined : header.end - at;
        const waiting = bytes.length - at;
        if (waiting + frame.data.length > MAX_BUFFERED || (total !== undefined && total > MAX_BUFFERED)) {
          error = total === undefined
            ? l10n.t('Not an MQTT packet: a packet of unknown bytes is larger than the {0} MiB the lens waits for', MAX_BUFFERED / 1024 / 1024)
            : l10n.t('Not an MQTT packet: a packet of {0} bytes is larger than the {1} MiB the lens waits for', total, MAX_BUFFERED / 1024 / 1024);
          break;
        }
        this.partial[frame.direction] = bytes.slice(at);
        described.push({ summary: `partial packet (${waiting.toLocaleString('en-US')}${total === undefined ? '' : ` of ${total.toLocaleString('en-US')}`} bytes)`, fields: [['Partial packet', l10n.t('{0} bytes so far; read when the rest arrives', waiting)]] });
        break;
      }
      if (!header.ok) {
        error = l10n.t('Not an MQTT packet: {0}', header.error);
        break;
      }
      try {
        described.push(this.packet(bytes, header.type, header.flags, header.bodyStart, header.end, frame));
      } catch (caught) {
        if (!(caught instanceof MalformedPacket)) throw caught;
        error = l10n.t('Malformed {0}: {1}', String(TYPES[header.type]), caught.message);
        break;
      }
      at = header.end;
    }
    if (error !== undefined) described.push({ summary: error, fields: [['Problem', error]] });
    const numbered = described.length > 1;
    const fields: [string, string][] = [];
    described.slice(0, MAX_LISTED).forEach((packet, index) => {
      for (const [name, value] of packet.fields) fields.push([numbered ? `[${index + 1}] ${name}` : name, value]);
    });
    if (described.length > MAX_LISTED) fields.push(['Not listed', l10n.t('{0} more packets', described.length - MAX_LISTED)]);
    if (unread > 0) fields.push(['Not read', l10n.t('{0} bytes after the first {1} packets', unread, MAX_READ)]);
    const more = described.length > SUMMARY_PACKETS ? ` · +${described.length - SUMMARY_PACKETS} packets` : '';
    const view: LensView = { lens: this.name, summary: described.slice(0, SUMMARY_PACKETS).map((packet) => packet.summary).join(' · ') + more, fields };
    if (error !== undefined) view.error = error;
    return view;
  }

  private packet(bytes: Uint8Array, type: number, flags: number, start: number, end: number, frame: LensFrame): Described {
    const read = new Reader(bytes, end, start);
    const name = TYPES[type] as string;
    const fields: [string, string][] = [['Packet', name]];
    const v5 = this.level === 5;
    const latencyOf = (kind: string, id: number, take: boolean): string | undefined => {
      const key = `${opposite(frame.direction)}:${kind}:${id}`;
      const sent = take ? this.pending.take(key) : this.pending.get(key);
      if (sent === undefined) return undefined;
      const latency = formatLatency(frame.time - sent);
      fields.push(['Latency', latency]);
      return latency;
    };
    const withLatency = (summary: string, latency: string | undefined) => (latency ? `${summary} ${latency}` : summary);

    switch (name) {
      case 'CONNECT': {
        const protocol = read.utf8('protocol name');
        const level = read.byte('protocol level');
        const connectFlags = read.byte('connect flags');
        const keepAlive = read.u16('keep alive');
        if (level === 3 || level === 4 || level === 5) this.level = level;
        const version = level === 5 ? '5' : level === 4 ? '3.1.1' : level === 3 ? '3.1' : `level ${level}`;
        fields.push(['Protocol', `${protocol} ${version}`], ['Clean start', yesNo(connectFlags & 0x02)], ['Keep alive', `${keepAlive} s`]);
        if (level === 5) this.properties(read, fields);
        const clientId = read.utf8('client identifier');
        fields.push(['Client id', clientId === '' ? '(empty: the broker assigns one)' : clip(clientId)]);
        if (connectFlags & 0x04) {
          if (level === 5) this.properties(read, fields, 'Will ');
          fields.push(['Will topic', clip(read.utf8('will topic'))]);
          fields.push(['Will payload', payloadText(read.binary('will payload'))]);
          fields.push(['Will QoS', String((connectFlags >> 3) & 3)], ['Will retain', yesNo(connectFlags & 0x20)]);
        }
        if (connectFlags & 0x80) fields.push(['User name', clip(read.utf8('user name'))]);
        // The password is a secret: the lens says it is there, never what it is.
        if (connectFlags & 0x40) {
          read.binary('password');
          fields.push(['Password', '(set, not shown)']);
        }
        return { summary: `CONNECT ${clientId === '' ? '(no client id)' : clip(clientId, 60)} v${version}`, fields };
      }
      case 'CONNACK': {
        const ackFlags = read.byte('acknowledge flags');
        const code = read.byte(v5 ? 'reason code' : 'return code');
        fields.push(['Session present', yesNo(ackFlags & 1)]);
        const words = v5 ? reason(code) : (CONNACK_V3[code] ?? `return code ${code}`);
        fields.push([v5 ? 'Reason' : 'Return code', `${code} ${words}`]);
        if (v5) this.properties(read, fields);
        return { summary: `CONNACK ${code === 0 ? 'accepted' : words}`, fields };
      }
      case 'PUBLISH': {
        const qos = (flags >> 1) & 3;
        if (qos === 3) throw new MalformedPacket(l10n.t('QoS 3 does not exist'));
        let topic = read.utf8('topic name');
        const packetId = qos > 0 ? read.u16('packet identifier') : undefined;
        let alias: number | undefined;
        if (v5) alias = this.properties(read, fields).alias;
        if (alias !== undefined) {
          const key = `${frame.direction}:${alias}`;
          if (topic !== '') this.aliases.set(key, topic);
          else topic = this.aliases.get(key) ?? '';
        }
        const payload = read.rest();
        const topicShown = topic === '' ? `(alias ${alias ?? '?'})` : topic;
        fields.splice(1, 0, ['Topic', clip(topicShown)], ['QoS', String(qos)], ['Retain', yesNo(flags & 1)], ['Duplicate', yesNo(flags & 8)]);
        if (alias !== undefined && topic !== '') fields.push(['Topic via alias', String(alias)]);
        if (packetId !== undefined) {
          fields.push(['Packet id', String(packetId)]);
          this.pending.set(`${frame.direction}:pub:${packetId}`, frame.time);
        }
        fields.push(['Payload size', `${payload.length} bytes`], ['Payload', payloadText(payload)]);
        const marks = `${flags & 1 ? ' retain' : ''}${flags & 8 ? ' dup' : ''}`;
        return { summary: `PUBLISH ${clip(topicShown, 120)} qos${qos}${marks}`, fields };
      }
      case 'PUBACK':
      case 'PUBREC':
      case 'PUBREL':
      case 'PUBCOMP': {
        const packetId = read.u16('packet identifier');
        fields.push(['Packet id', String(packetId)]);
        let summary = `${name} #${packetId}`;
        if (v5 && read.left > 0) {
          const code = read.byte('reason code');
          fields.push(['Reason', `${code} ${reason(code)}`]);
          if (read.left > 0) this.properties(read, fields);
          if (code >= 0x80) summary += ` ${reason(code)}`;
        }
        // PUBACK and PUBCOMP end the publish they answer; PUBREC is halfway (QoS 2).
        const latency = name === 'PUBREL' ? undefined : latencyOf('pub', packetId, name !== 'PUBREC');
        return { summary: withLatency(summary, latency), fields };
      }
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE': {
        const packetId = read.u16('packet identifier');
        fields.push(['Packet id', String(packetId)]);
        if (v5) this.properties(read, fields);
        const filters: string[] = [];
        while (read.left > 0) {
          const filter = read.utf8('topic filter');
          if (name === 'SUBSCRIBE') {
            const options = read.byte('subscription options');
            const qos = options & 3;
            filters.push(`${filter} qos${qos}`);
            fields.push(['Topic filter', `${clip(filter)} (QoS ${qos}${v5 && options & 4 ? ', no local' : ''}${v5 && options & 8 ? ', retain as published' : ''})`]);
          } else {
            filters.push(filter);
            fields.push(['Topic filter', clip(filter)]);
          }
        }
        if (filters.length === 0) throw new MalformedPacket(l10n.t('no topic filter'));
        this.pending.set(`${frame.direction}:${name === 'SUBSCRIBE' ? 'sub' : 'unsub'}:${packetId}`, frame.time);
        return { summary: `${name} ${clip(filters.join(', '), 160)}`, fields };
      }
      case 'SUBACK':
      case 'UNSUBACK': {
        const packetId = read.u16('packet identifier');
        fields.push(['Packet id', String(packetId)]);
        if (v5) this.properties(read, fields);
        const codes: string[] = [];
        while (read.left > 0) {
          const code = read.byte('return code');
          codes.push(name === 'UNSUBACK' ? reason(code) : subackWords(code, v5));
        }
        if (codes.length > 0) fields.push([name === 'SUBACK' ? 'Granted' : 'Result', codes.join(', ')]);
        const latency = latencyOf(name === 'SUBACK' ? 'sub' : 'unsub', packetId, true);
        const shown = name === 'SUBACK' && codes.length > 0 ? ` ${clip(codes.join(', '), 80)}` : '';
        return { summary: withLatency(`${name} #${packetId}${shown}`, latency), fields };
      }
      case 'PINGREQ':
        this.pending.set(`${frame.direction}:ping:0`, frame.time);
        return { summary: name, fields };
      case 'PINGRESP':
        return { summary: withLatency(name, latencyOf('ping', 0, true)), fields };
      case 'DISCONNECT':
      case 'AUTH': {
        let summary = name;
        if (v5 && read.left > 0) {
          const code = read.byte('reason code');
          fields.push(['Reason', `${code} ${reason(code)}`]);
          if (read.left > 0) this.properties(read, fields);
          if (code !== 0) summary += ` ${reason(code)}`;
        }
        return { summary, fields };
      }
      default:
        throw new MalformedPacket(l10n.t('packet type {0} is reserved', type));
    }
  }

  /** Reads an MQTT 5 property list into `fields`; returns the topic alias if there is one. */
  private properties(read: Reader, fields: [string, string][], prefix = ''): { alias?: number } {
    const length = read.varint('property length');
    if (length > read.left) throw new MalformedPacket(l10n.t('the properties say {0} bytes, {1} are left', length, read.left));
    const end = read.at + length;
    let alias: number | undefined;
    while (read.at < end) {
      const id = read.varint('property identifier');
      const known = PROPERTIES[id];
      if (!known) throw new MalformedPacket(l10n.t('property {0} does not exist', id));
      const [label, kind] = known;
      let value: string;
      switch (kind) {
        case 'byte':
          value = String(read.byte(label));
          break;
        case 'u16':
          value = String(read.u16(label));
          if (id === 35) alias = Number(value);
          break;
        case 'u32':
          value = String(read.u32(label));
          break;
        case 'varint':
          value = String(read.varint(label));
          break;
        case 'utf8':
          value = clip(read.utf8(label));
          break;
        case 'binary':
          value = payloadText(read.binary(label));
          break;
        case 'pair':
          value = `${clip(read.utf8(label), 200)}: ${clip(read.utf8(label), 500)}`;
          break;
      }
      fields.push([prefix + label, value]);
    }
    if (read.at !== end) throw new MalformedPacket(l10n.t('a property runs past the property length'));
    return alias === undefined ? {} : { alias };
  }
}

type FixedHeader = { ok: true; type: number; flags: number; bodyStart: number; end: number } | { ok: false; error: string };

/** The fixed header at `at`: 'short' when the bytes end inside it. */
function fixedHeader(bytes: Uint8Array, at: number): FixedHeader | 'short' {
  const first = bytes[at] as number;
  const type = first >> 4;
  if (type === 0) return { ok: false, error: l10n.t('packet type {0} is reserved', 0) };
  let remaining = 0;
  let i = at + 1;
  for (let shift = 0; ; shift += 7) {
    if (i >= bytes.length) return 'short';
    if (i - at > 4) return { ok: false, error: l10n.t('the remaining length is longer than 4 bytes') };
    const b = bytes[i++] as number;
    remaining += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) break;
  }
  return { ok: true, type, flags: first & 0x0f, bodyStart: i, end: i + remaining };
}

function yesNo(bit: number): string {
  return bit ? 'yes' : 'no';
}

function reason(code: number): string {
  return REASONS[code] ?? `reason code ${code}`;
}

function subackWords(code: number, v5: boolean): string {
  if (code <= 2) return `qos${code}`;
  return v5 ? reason(code) : 'failure';
}

/** A payload as text when it is UTF-8 without control characters (but tabs and line ends), else as hex. */
function payloadText(payload: Uint8Array): string {
  if (payload.length === 0) return '(empty)';
  try {
    const text = strictUtf8.decode(payload);
    if (!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return clip(text);
  } catch {
    // not UTF-8: shown as hex below
  }
  const shown = Array.from(payload.subarray(0, HEX_PREVIEW), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return payload.length > HEX_PREVIEW ? `hex ${shown} … (${payload.length} bytes)` : `hex ${shown}`;
}
