/**
 * The last minute of a connection's traffic, one sample a second: messages received and sent in
 * that second, and the newest ping round trip known then. A ring buffer of fixed size, fed from
 * the running counters the host sends with every state, so the webview's throughput strip costs
 * the same at 5 msg/s and at 50,000.
 */
import { l10n } from './l10n';
import type { Counters } from './protocol';

/** One second of traffic. `rttMs` is undefined until a ping has been answered. */
export interface ThroughputSample {
  received: number;
  sent: number;
  rttMs: number | undefined;
}

/** The strip's summary: averages per second over the samples kept (up to a minute), and the newest RTT. */
export interface ThroughputSummary {
  seconds: number;
  receivedPerSecond: number;
  sentPerSecond: number;
  rttMs: number | undefined;
}

export const THROUGHPUT_SECONDS = 60;

export class ThroughputHistory {
  private readonly received: Float64Array;
  private readonly sent: Float64Array;
  private readonly rtts: Float64Array;
  /** Where the next sample goes, and how many of the slots hold one. */
  private next = 0;
  private count = 0;
  private last: { time: number; received: number; sent: number } | undefined;

  constructor(readonly capacity = THROUGHPUT_SECONDS) {
    this.received = new Float64Array(capacity);
    this.sent = new Float64Array(capacity);
    this.rtts = new Float64Array(capacity);
  }

  /**
   * The counters as they were at `time` (ms); each whole second since the last sample becomes one
   * sample. Seconds missed (a throttled timer) share the messages counted over them. Counters
   * that went down belong to a new connection, which starts from zero.
   */
  record(time: number, counters: Counters, rttMs: number | undefined): void {
    const last = this.last;
    if (!last) {
      this.last = { time, received: counters.messagesReceived, sent: counters.messagesSent };
      return;
    }
    const seconds = Math.floor((time - last.time) / 1000);
    if (seconds < 1) return;
    const restarted = counters.messagesReceived < last.received || counters.messagesSent < last.sent;
    const received = counters.messagesReceived - (restarted ? 0 : last.received);
    const sent = counters.messagesSent - (restarted ? 0 : last.sent);
    // More seconds than the buffer holds: only the newest `capacity` of them are kept.
    for (let i = Math.max(0, seconds - this.capacity); i < seconds; i++) this.push(received / seconds, sent / seconds, rttMs);
    this.last = { time: last.time + seconds * 1000, received: counters.messagesReceived, sent: counters.messagesSent };
  }

  /** The samples kept, oldest first. */
  samples(): ThroughputSample[] {
    const out: ThroughputSample[] = [];
    const start = (this.next - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) {
      const slot = (start + i) % this.capacity;
      const rtt = this.rtts[slot]!;
      out.push({ received: this.received[slot]!, sent: this.sent[slot]!, rttMs: Number.isNaN(rtt) ? undefined : rtt });
    }
    return out;
  }

  summary(): ThroughputSummary {
    let received = 0;
    let sent = 0;
    for (let i = 0; i < this.count; i++) {
      received += this.received[i]!;
      sent += this.sent[i]!;
    }
    const newest = (this.next - 1 + this.capacity) % this.capacity;
    const rtt = this.count > 0 ? this.rtts[newest]! : Number.NaN;
    return {
      seconds: this.count,
      receivedPerSecond: this.count > 0 ? received / this.count : 0,
      sentPerSecond: this.count > 0 ? sent / this.count : 0,
      rttMs: Number.isNaN(rtt) ? undefined : rtt,
    };
  }

  /** Forgets every sample (a new connection starts a new minute). */
  reset(): void {
    this.next = 0;
    this.count = 0;
    this.last = undefined;
  }

  private push(received: number, sent: number, rttMs: number | undefined): void {
    this.received[this.next] = received;
    this.sent[this.next] = sent;
    this.rtts[this.next] = rttMs ?? Number.NaN;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }
}

/** "Last minute: 120 msg/s in, 3 msg/s out, RTT 12 ms", the strip's accessible name. */
export function describeThroughput(summary: ThroughputSummary): string {
  const rtt = summary.rttMs === undefined ? l10n.t('no ping round trip yet') : l10n.t('RTT {0} ms', formatRtt(summary.rttMs));
  return l10n.t('Last minute: {0} msg/s in, {1} msg/s out, {2}', formatRate(summary.receivedPerSecond), formatRate(summary.sentPerSecond), rtt);
}

/** Whole numbers from 10 up, one decimal below (a message every few seconds still shows). */
export function formatRate(perSecond: number): string {
  if (perSecond >= 10) return Math.round(perSecond).toLocaleString('en-US');
  return perSecond.toFixed(1).replace(/\.0$/, '');
}

function formatRtt(ms: number): string {
  return ms >= 10 ? String(Math.round(ms)) : ms.toFixed(1);
}
