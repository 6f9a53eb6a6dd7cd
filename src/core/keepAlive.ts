/**
 * Keep-alive pings for a WebSocket session: one every N seconds, each with its own payload
 * ("keep-alive 1", "keep-alive 2", ...) so its pong can be told apart; a pong still missing when
 * the next ping is due is reported.
 */
import { utf8Encode } from '../shared/codecs';

export interface KeepAliveHooks {
  /** Whether the socket is still open; the keep-alive stops when it is not. */
  isOpen(): boolean;
  /** Whether the pong answering `payload` is still outstanding. */
  awaitingPong(payload: Uint8Array): boolean;
  /** The previous ping, sent `sentAgoMs` ago, got no pong before this one was due. */
  pongMissed(payload: Uint8Array, sentAgoMs: number): void;
  /** Sends the ping (and logs it). */
  ping(payload: Uint8Array): void;
}

/** Pings more often than this would flood the log rather than keep anything alive. */
const MIN_INTERVAL_SECONDS = 0.1;

export class KeepAlive {
  private timer: NodeJS.Timeout | undefined;
  private count = 0;
  private last: { payload: Uint8Array; sentAt: number } | undefined;

  constructor(private readonly hooks: KeepAliveHooks) {}

  /**
   * Starts pinging every `seconds`; 0 (or less) leaves keep-alive off. `guard` wraps the timer's
   * callback so that nothing it throws reaches the host.
   */
  start(seconds: number, guard: (tick: () => void) => () => void): void {
    if (!(seconds > 0)) return;
    this.stop();
    this.timer = setInterval(guard(() => this.tick()), Math.max(MIN_INTERVAL_SECONDS, seconds) * 1000);
  }

  /** A pong answered a ping we sent; when it is the last keep-alive one, nothing is missing any more. */
  answered(payload: Uint8Array): void {
    if (this.last && Buffer.from(payload).equals(Buffer.from(this.last.payload))) this.last = undefined;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    if (!this.hooks.isOpen()) {
      this.stop();
      return;
    }
    const previous = this.last;
    if (previous && this.hooks.awaitingPong(previous.payload)) this.hooks.pongMissed(previous.payload, Date.now() - previous.sentAt);
    this.count += 1;
    const payload = utf8Encode(`keep-alive ${this.count}`);
    this.last = { payload, sentAt: Date.now() };
    this.hooks.ping(payload);
  }
}
