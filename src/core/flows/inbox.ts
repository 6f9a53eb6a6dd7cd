/**
 * Everything one flow connection receives, buffered from the moment it is opened, so that an
 * `expect` after a `send` still sees a reply that arrived in between (or during a `wait`).
 * Steps take messages in order; a waiting step is woken once per burst of arrivals (ws delivers
 * all the frames of a TCP chunk in one go), not once per message.
 *
 * Bounded: at most MAX_BUFFERED messages wait unread. On overflow the oldest are dropped and
 * counted; the next step that reads reports the count, and an `expect` with `"next": true` fails
 * (the message it should have seen may be among them).
 */
import { decodeBase64 } from '../../shared/codecs';
import type { Observed } from '../../shared/match';
import type { Payload } from '../../shared/protocol';
import { decodeBinary, MAX_DECODE_BYTES, type BinaryDecoder } from '../decoders/binaryCodec';
import { decodedArguments } from '../decoders/entryDecoder';
import type { AnySession, ConnectionEntry } from '../session';
import type { Disposable } from '../emitter';

/** Unread messages kept per connection; a flood beyond this while no step reads drops the oldest. */
export const MAX_BUFFERED = 100_000;

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

  constructor(
    private readonly session: AnySession,
    /** Unread messages kept before the oldest are dropped. */
    readonly capacity = MAX_BUFFERED,
    /** Told of each received text message, which the cheap path below keeps out of `onEntry`. */
    onText?: (time: number, text: string, size: number) => void,
    /** The endpoint's Decode binary as: binary messages are observed with their decoded value. */
    private readonly binaryDecoder?: BinaryDecoder,
  ) {
    const decoder = new TextDecoder();
    if (session.kind === 'websocket') {
      // Text arrives as bytes (no entry object per message): the cheap path for floods.
      session.setTextSink((time, utf8) => {
        const text = decoder.decode(utf8);
        onText?.(time, text, utf8.byteLength);
        this.push({ observed: { kind: 'text', text } });
      });
    }
    this.subscription = session.onEntry((entry) => this.handle(entry));
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
          this.push({ observed: payload.kind === 'text' ? { kind: 'text', text: payload.text } : this.binary(decodeBase64(payload.base64)) });
        }
        return;
      case 'pong':
        if (entry.direction === 'received' && entry.payload) this.push({ observed: { kind: 'pong', bytes: bytesOf(entry.payload) } });
        return;
      case 'event':
        if (entry.event && entry.direction === 'received') {
          const decoded = this.binaryDecoder ? decodedArguments(entry.event.args, this.binaryDecoder) : undefined;
          this.push({ observed: { kind: 'event', name: entry.event.name, args: entry.event.args.map(argumentOf), ...(decoded ? { decoded: decoded.values } : {}) } });
        } else if (entry.event && entry.direction === 'sent') {
          this.lastEmit = entry.event.emitNumber;
        }
        return;
      case 'ack':
        if (entry.event) this.push({ observed: { kind: 'ack', args: entry.event.args.map(argumentOf) }, ...(entry.event.emitNumber !== undefined ? { emitNumber: entry.event.emitNumber } : {}) });
        return;
      case 'error':
        this.failure = entry.detail;
        // A Socket.IO session that gave up (no reconnection in flows) has ended.
        if (this.session.kind === 'socketio' && this.session.state.readyState === 'CLOSED') this.end(entry.detail ?? 'the connection failed');
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
        if (this.session.kind === 'websocket' || this.session.state.readyState === 'CLOSED') this.end(entry.detail ?? 'the connection closed');
        return;
      }
      case 'ping':
      case 'info':
        return;
    }
  }

  /** A binary message, with its decoded value when the decoder reads it (within its size limit). */
  private binary(bytes: Uint8Array): Observed {
    if (!this.binaryDecoder || bytes.length > MAX_DECODE_BYTES) return { kind: 'binary', bytes };
    const decoded = decodeBinary(bytes, this.binaryDecoder);
    return decoded.ok ? { kind: 'binary', bytes, decoded: { value: decoded.value } } : { kind: 'binary', bytes };
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
    this.waiter?.();
  }
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
