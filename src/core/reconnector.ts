/**
 * Auto-reconnect for one panel: after an unrequested close it waits a backoff delay, then asks
 * for a new connection; a successful open starts the count again, a manual Disconnect cancels.
 * Free of `vscode` imports; the clock and randomness are injectable for tests.
 */
import { backoffDelay, type BackoffPolicy } from '../shared/backoff';

export interface PendingReconnect {
  attempt: number;
  /** When the next attempt starts, in epoch milliseconds (for the countdown). */
  at: number;
  delayMs: number;
}

export class Reconnector {
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private next: PendingReconnect | undefined;

  constructor(
    private readonly policy: () => BackoffPolicy,
    private readonly reconnect: () => void,
    private readonly random: () => number = Math.random,
  ) {}

  get pending(): PendingReconnect | undefined {
    return this.next ? { ...this.next } : undefined;
  }

  /** Schedules the next attempt; undefined when the attempts allowed are used up. */
  schedule(): PendingReconnect | undefined {
    this.cancelTimer();
    const policy = this.policy();
    if (policy.maxAttempts > 0 && this.attempt >= policy.maxAttempts) return undefined;
    this.attempt += 1;
    const delayMs = backoffDelay(this.attempt, policy, this.random);
    this.next = { attempt: this.attempt, at: Date.now() + delayMs, delayMs };
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.next = undefined;
      this.reconnect();
    }, delayMs);
    return { ...this.next };
  }

  /** The connection opened: the next drop starts again from the first delay. */
  succeeded(): void {
    this.attempt = 0;
  }

  /** Stops waiting (manual Disconnect, a new Connect, the panel closing). */
  cancel(): void {
    this.cancelTimer();
    this.attempt = 0;
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.next = undefined;
  }
}
