/**
 * Everything one flow connection receives, buffered from the moment it is opened, so that an
 * `expect` after a `send` still sees a reply that arrived in between (or during a `wait`).
 * Steps take messages in order; a waiting step is woken once per burst of arrivals (ws delivers
 * all the frames of a TCP chunk in one go), not once per message.
 *
 * Bounded: at most MAX_BUFFERED messages wait unread. On overflow the oldest are dropped and
 * counted; the next step that reads reports the count, and an `expect` with `"next": true` fails
 * (the message it should have seen may be among them).
 *
 * With Decode binary as, every entry and text passes through OrderedDecoding first, as in the
 * panel: a binary message with more than 64 KiB to decode is decoded in the decode worker, and it
 * and everything after it reach the steps (and the run's log) once its Decoded view is back.
 */
import { decodeBase64 } from '../../shared/codecs';
import { l10n } from '../../shared/l10n';
import type { Observed } from '../../shared/match';
import type { Payload } from '../../shared/protocol';
import type { BinaryDecoder } from '../decoders/binaryCodec';
import { OrderedDecoding } from '../decoders/orderedDecoding';
import type { AnySession, ConnectionEntry } from '../session';
import type { Disposable } from '../emitter';

/** Unread messages kept per connection; a flood beyond this while no step reads drops the oldest. */
export const MAX_BUFFERED = 100_000;

export interface InboxOptions {
  /** Unread messages kept before the oldest are dropped (default MAX_BUFFERED). */
  capacity?: number;
  /** Told of each received text message, which the cheap path below keeps out of `onEntry`. */
  onText?: (time: number, text: string, size: number) => void;
  /** Told of every other entry (sent ones too), in order, with its Decoded view when decoding. */
  onEntry?: (entry: ConnectionEntry) => void;
  /** The endpoint's Decode binary as: binary messages are observed with their decoded value. */
  decoder?: BinaryDecoder;
}

/** One received item; acks carry the number of the emit they answer. */
interface Received {
  observed: Observed;
  emitNumber?: number;
}

export class Inbox {
  private items: Received[] = [];
  private head = 0;
  private waiter: (() => void) | undefined;
  private readonly subscription: Disposable;
  /** Messages dropped on overflow since the last `takeDropped()`. */
  private dropped = 0;
  /** Set once the connection has ended (closed, disconnected, or failed for good). */
  ended: { detail: string } | undefined;
  /** Set on 'open'; `failure` holds the last error sentence before it, for a failed connect. */
  opened = false;
  failure: string | undefined;
  /** The number of the last emit (Socket.IO), so the runner knows which ack a step waits for. */
  lastEmit: number | undefined;
  /** Unread messages kept before the oldest are dropped. */
  readonly capacity: number;
  private readonly decoding: OrderedDecoding<ConnectionEntry> | undefined;
  private readonly textDecoder = new TextDecoder();

  constructor(
    private readonly session: AnySession,
    private readonly options: InboxOptions = {},
  ) {
    this.capacity = options.capacity ?? MAX_BUFFERED;
    const decoder = options.decoder;
    this.decoding = decoder && new OrderedDecoding(decoder, { entry: (entry) => this.entry(entry), text: (time, utf8) => this.text(time, utf8) }, { closing: 'flow connection' });
    if (session.kind === 'websocket') {
      // Text arrives as bytes (no entry object per message): the cheap path for floods.
      session.setTextSink((time, utf8) => (this.decoding ? this.decoding.text(time, utf8) : this.text(time, utf8)));
    }
    this.subscription = session.onEntry((entry) => {
      // At once, not in the decoding order: the step that emitted reads it right after emit().
      if (entry.kind === 'event' && entry.direction === 'sent' && entry.event) this.lastEmit = entry.event.emitNumber;
      if (this.decoding) this.decoding.entry(entry);
      else this.entry(entry);
    });
  }

  private text(time: number, utf8: Uint8Array): void {
    const text = this.textDecoder.decode(utf8);
    this.options.onText?.(time, text, utf8.byteLength);
    this.push({ observed: { kind: 'text', text } });
  }

  private entry(entry: ConnectionEntry): void {
    this.options.onEntry?.(entry);
    this.handle(entry);
  }

  private handle(entry: ConnectionEntry): void {
    switch (entry.kind) {
      case 'open':
        this.opened = true;
        this.wake();
        return;
      case 'message':
        if (entry.direction === 'received' && entry.payload) {
          const payload = entry.payload;
          this.push({ observed: payload.kind === 'text' ? { kind: 'text', text: payload.text } : binaryObserved(decodeBase64(payload.base64), entry.decoded?.json) });
        }
        return;
      case 'pong':
        if (entry.direction === 'received' && entry.payload) this.push({ observed: { kind: 'pong', bytes: bytesOf(entry.payload) } });
        return;
      case 'event':
        if (entry.event && entry.direction === 'received') {
          const args = entry.event.args.map(argumentOf);
          const decoded = this.decoding && entry.event.args.some((arg) => arg.kind === 'binary') ? decodedArgs(args, entry.decoded?.json) : undefined;
          this.push({ observed: { kind: 'event', name: entry.event.name, args, ...(decoded ? { decoded } : {}) } });
        }
        return;
      case 'ack':
        if (entry.event) this.push({ observed: { kind: 'ack', args: entry.event.args.map(argumentOf) }, ...(entry.event.emitNumber !== undefined ? { emitNumber: entry.event.emitNumber } : {}) });
        return;
      case 'error':
        this.failure = entry.detail;
        // A Socket.IO session that gave up (no reconnection in flows) has ended.
        if (this.session.kind === 'socketio' && this.session.state.readyState === 'CLOSED') this.end(entry.detail ?? l10n.t('the connection failed'));
        else this.wake();
        return;
      case 'close': {
        const close = this.session.state.close;
        if (this.session.kind === 'websocket' && close) {
          if (this.opened) this.push({ observed: { kind: 'close', code: close.code, reason: close.reason } });
        } else if (this.opened) {
          // Socket.IO has no close code: a disconnect is observed as 1005 (no status) with its reason words.
          this.push({ observed: { kind: 'close', code: 1005, reason: entry.detail ?? '' } });
        }
        if (this.session.kind === 'websocket' || this.session.state.readyState === 'CLOSED') this.end(entry.detail ?? l10n.t('the connection closed'));
        return;
      }
      case 'ping':
      case 'info':
        return;
    }
  }

  private push(item: Received): void {
    if (this.items.length - this.head >= this.capacity) {
      this.head += 1;
      this.dropped += 1;
    }
    this.items.push(item);
    this.wake();
  }

  private end(detail: string): void {
    if (!this.ended) this.ended = { detail };
    // Nothing more arrives: the decode worker stops once what it decodes is back.
    this.decoding?.close();
    this.wake();
  }

  /** The oldest unread message, removed from the buffer. */
  take(): Received | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.head += 1;
    // Compact now and then instead of shifting on every take.
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** How many messages overflow dropped since the last call. */
  takeDropped(): number {
    const dropped = this.dropped;
    this.dropped = 0;
    return dropped;
  }

  /** Resolves at the next arrival (or open, error, end) or after `ms`; `signal` resolves it early too. */
  waitForMore(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        if (this.waiter === done) this.waiter = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal.addEventListener('abort', done);
      this.waiter = done;
    });
  }

  private wake(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = undefined;
    // After the current burst: the step reads everything that arrived with it at once.
    queueMicrotask(waiter);
  }

  dispose(): void {
    this.subscription.dispose();
    if (this.session.kind === 'websocket') this.session.setTextSink(undefined);
    // Entries still waiting for the worker go out now with a note, so the run's log keeps them.
    this.decoding?.dispose();
    this.waiter?.();
  }
}

/**
 * A binary message as steps see it, with its decoded value when the decoder read one (`json`, the
 * entry's Decoded view). Parsed when a step first looks at it: most steps never do, and for a
 * 16 MiB message it costs about a fifth of a second.
 */
function binaryObserved(bytes: Uint8Array, json: string | undefined): Observed {
  if (json === undefined) return { kind: 'binary', bytes };
  let value: unknown;
  let parsed = false;
  const decoded = {
    get value(): unknown {
      if (!parsed) {
        value = JSON.parse(json);
        parsed = true;
      }
      return value;
    },
  };
  return { kind: 'binary', bytes, decoded };
}

/**
 * Socket.IO arguments with the binary ones decoded, from the entry's Decoded view (the list as
 * JSON). When no binary argument decoded there is no such JSON: the list is the arguments as they
 * are, each binary one `{"<binary>": base64}` (as entryDecoder's decodedArguments gives it).
 */
function decodedArgs(args: unknown[], json: string | undefined): unknown[] {
  return json === undefined ? args : (JSON.parse(json) as unknown[]);
}

function bytesOf(payload: Payload): Uint8Array {
  return payload.kind === 'binary' ? decodeBase64(payload.base64) : new TextEncoder().encode(payload.text);
}

/** A Socket.IO argument as matchers see it: JSON values as they are, bytes as {"<binary>": base64}. */
function argumentOf(payload: Payload): unknown {
  if (payload.kind === 'binary') return { '<binary>': payload.base64 };
  try {
    return JSON.parse(payload.text);
  } catch {
    return payload.text;
  }
}
