/**
 * Messages and bytes per second in each direction, from the connection's running counters.
 * Counters are sampled whenever they change (and on a timer), and a rate is the difference
 * across the last second, so it falls to zero soon after traffic stops.
 */
import type { Counters } from './protocol';

export interface Rates {
  messagesSentPerSecond: number;
  bytesSentPerSecond: number;
  messagesReceivedPerSecond: number;
  bytesReceivedPerSecond: number;
}

export const ZERO_RATES: Rates = {
  messagesSentPerSecond: 0,
  bytesSentPerSecond: 0,
  messagesReceivedPerSecond: 0,
  bytesReceivedPerSecond: 0,
};

interface Sample {
  time: number;
  counters: Counters;
}

export class RateMeter {
  private samples: Sample[] = [];

  constructor(private readonly windowMs = 1000) {}

  /** Records the counters as they were at `time` (ms). Counters that went down reset the meter. */
  sample(time: number, counters: Counters): void {
    const last = this.samples[this.samples.length - 1];
    if (last && (counters.messagesReceived < last.counters.messagesReceived || counters.messagesSent < last.counters.messagesSent)) {
      this.samples = [];
    }
    this.samples.push({ time, counters: { ...counters } });
    // Keep one sample older than the window, so the window is always fully covered.
    while (this.samples.length > 2 && (this.samples[1] as Sample).time <= time - this.windowMs) this.samples.shift();
  }

  /** The rates over the last window, as of `now`. */
  rates(now: number): Rates {
    const newest = this.samples[this.samples.length - 1];
    const oldest = this.samples[0];
    if (!newest || !oldest || newest === oldest) return ZERO_RATES;
    // Traffic that stopped: nothing changed within the window.
    const span = Math.max(now - oldest.time, this.windowMs);
    const per = (pick: (c: Counters) => number) => Math.max(0, (pick(newest.counters) - pick(oldest.counters)) * 1000 / span);
    return {
      messagesSentPerSecond: per((c) => c.messagesSent),
      bytesSentPerSecond: per((c) => c.bytesSent),
      messagesReceivedPerSecond: per((c) => c.messagesReceived),
      bytesReceivedPerSecond: per((c) => c.bytesReceived),
    };
  }

  reset(): void {
    this.samples = [];
  }
}
