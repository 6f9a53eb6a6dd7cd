/**
 * Protocol lenses: parsers that read the application protocol carried by a WebSocket
 * (graphql-transport-ws, STOMP, MQTT, JSON-RPC) and describe each message in one line plus a
 * list of fields. Pure and free of Node, so they run wherever the entries are: the host computes
 * a view per entry (see src/core/panel/entryLens.ts) and sends it with the entry.
 *
 * A lens keeps the state its protocol needs to pair messages (an operation id, a request id, a
 * packet id) in a bounded map: a server that never answers costs at most MAX_PENDING entries.
 */
import type { LensView } from '../model';
import type { LensName, LensSetting } from './lensNames';

/** One message as a lens sees it. */
export interface LensFrame {
  direction: 'sent' | 'received';
  /** Milliseconds since the epoch. */
  time: number;
  /** A text frame's text, or a binary frame's bytes. */
  data: string | Uint8Array;
}

export interface Lens {
  readonly name: LensName;
  /** The view of one message, or undefined when the message is not this protocol's. */
  observe(frame: LensFrame): LensView | undefined;
}

/** Pending requests kept for pairing, per lens and session. */
const MAX_PENDING = 10_000;

/** The most characters of a value a field shows; the whole message is one click away (Open). */
const MAX_FIELD_CHARS = 2_000;

/**
 * Of a message holding many protocol messages (a JSON-RPC batch, MQTT packets, STOMP frames), the
 * fields of the first this many are listed; the rest are counted. A 4 MiB batch of small requests
 * would otherwise make an entry of hundreds of thousands of fields.
 */
export const MAX_LISTED = 50;

/** Protocol messages read in one WebSocket message; past this the rest is skipped, and said so. */
export const MAX_READ = 1_000;

/**
 * Which lens a negotiated subprotocol names (case-insensitive), for `"auto"`. The names are the
 * ones servers register: `graphql-transport-ws` (graphql-ws), `v12.stomp` and its older
 * versions, `mqtt` (MQTT 3.1.1 and 5; `mqttv3.1` for 3.1), and the JSON-RPC names in use.
 */
export function lensForSubprotocol(protocol: string): LensName | undefined {
  const name = protocol.trim().toLowerCase();
  if (name === 'graphql-transport-ws' || name === 'graphql-ws') return 'graphql-transport-ws';
  if (name === 'v12.stomp' || name === 'v11.stomp' || name === 'v10.stomp' || name === 'stomp') return 'stomp';
  if (name === 'mqtt' || name === 'mqttv3.1') return 'mqtt';
  if (name === 'jsonrpc' || name === 'json-rpc' || name === 'jsonrpc2.0' || name === 'jsonrpc-2.0' || name === 'json-rpc-2.0') return 'jsonrpc';
  return undefined;
}

/** The lens an endpoint's setting and the negotiated subprotocol choose, if any. */
export function chooseLens(setting: LensSetting | undefined, protocol: string): LensName | undefined {
  if (setting === 'none') return undefined;
  if (setting === undefined || setting === 'auto') return lensForSubprotocol(protocol);
  return setting;
}

/**
 * A Map that forgets its oldest key past `max` entries: the pairing state of a session whose
 * peer never answers stays bounded.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly max: number = MAX_PENDING) {}

  get size(): number {
    return this.map.size;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  /** The value, removed. */
  take(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) this.map.delete(key);
    return value;
  }
}

/** A value cut to MAX_FIELD_CHARS, saying so. */
export function clip(text: string, max: number = MAX_FIELD_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length.toLocaleString('en-US')} characters)`;
}

/** A JSON value for a field: compact, clipped. */
export function jsonField(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return clip(text);
}

/** "12 ms" under ten seconds (a latency is read at a glance), "12.3 s" beyond. */
export function formatLatency(ms: number): string {
  const value = Math.max(0, ms);
  return value < 10_000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;
}

/** The arrow the summaries start with: what we sent goes up and out, what arrived comes in. */
export function arrow(direction: LensFrame['direction']): string {
  return direction === 'sent' ? '→' : '←';
}

/** The other direction: a request sent is answered by a message received, and the other way round. */
export function opposite(direction: LensFrame['direction']): LensFrame['direction'] {
  return direction === 'sent' ? 'received' : 'sent';
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** A frame's data as text (binary frames decoded as UTF-8, as text protocols may send them). */
export function frameText(data: string | Uint8Array): string {
  return typeof data === 'string' ? data : utf8.decode(data);
}
