/**
 * Repeat (an application heartbeat): one message sent now and every `intervalSeconds` after,
 * until stopped, a send fails, or the connection closes. At most one message repeats per panel.
 */
import { REPEAT_INTERVAL_SECONDS } from '../../shared/protocol';
import { l10n } from '../../shared/l10n';
import type { ActionResult } from '../session';

export interface RepeatEvents {
  /** A sentence for the log (started, stopped and why). */
  info(detail: string): void;
  /** The count or the running state changed. */
  changed(): void;
}

export class RepeatScheduler {
  private running: { timer: NodeJS.Timeout; intervalSeconds: number; sent: number } | undefined;

  constructor(private readonly events: RepeatEvents) {}

  /** For the connection state: the interval and how many went, while repeating. */
  get snapshot(): { intervalSeconds: number; sent: number } | undefined {
    return this.running ? { intervalSeconds: this.running.intervalSeconds, sent: this.running.sent } : undefined;
  }

  /**
   * Replaces any running repeat; the first send happens now and must succeed. `send` is called
   * for each tick, so variables are resolved again each time.
   */
  async start(send: () => Promise<ActionResult>, intervalSeconds: number): Promise<ActionResult> {
    const { min, max } = REPEAT_INTERVAL_SECONDS;
    if (!Number.isFinite(intervalSeconds) || intervalSeconds < min || intervalSeconds > max) {
      return { ok: false, field: 'message', error: l10n.t('Repeat every: enter a number of seconds from {0} to {1}', min, max) };
    }
    this.stop();
    const first = await send();
    if (!first.ok) return first;
    // A beat counts from the moment it is handed to the session: a Stop while its send is still
    // being answered (a worker's session answers asynchronously) must not leave it out of the count.
    const tick = async (): Promise<void> => {
      const running = this.running;
      if (!running) return;
      running.sent += 1;
      const result = await send();
      if (!result.ok) running.sent -= 1;
      if (this.running !== running) return;
      if (!result.ok) this.stop(result.error);
      this.events.changed();
    };
    const timer = setInterval(() => void tick().catch((error: unknown) => this.stop(String(error))), intervalSeconds * 1000);
    this.running = { timer, intervalSeconds, sent: 1 };
    this.events.info(l10n.t('Repeating the message every {0} s until stopped', intervalSeconds));
    this.events.changed();
    return { ok: true };
  }

  /** Stops repeating, saying how many went and, when given, why. */
  stop(why?: string): void {
    if (!this.running) return;
    clearInterval(this.running.timer);
    const sent = this.running.sent;
    this.running = undefined;
    this.events.info(why ? l10n.t('Stopped repeating after {0} message(s): {1}', sent, why) : l10n.t('Stopped repeating after {0} message(s)', sent));
    this.events.changed();
  }

  /** The panel is going: no log line, nothing left running. */
  dispose(): void {
    if (this.running) clearInterval(this.running.timer);
    this.running = undefined;
  }
}
