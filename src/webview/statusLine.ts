/**
 * The one-line summary at the bottom: "OPEN · sent 3 (42 B) · received 200,000 (12.2 MB)" (the
 * live status), then the rates "in 5,000 msg/s, 320 KB/s · out 0 msg/s, 0 B/s".
 */
import type { ConnectionState, Counters } from '../shared/protocol';
import { RateMeter, type Rates } from '../shared/rateMeter';
import { h } from './dom';
import { formatBytes } from './format';

/** Rates are refreshed this often, so they fall to zero when traffic stops. */
const RATE_TICK_MS = 1000;

const count = (n: number) => n.toLocaleString('en-US');
const perSecond = (messages: number, bytes: number) =>
  `${count(Math.round(messages))} msg/s, ${formatBytes(Math.round(bytes))}/s`;

export class StatusLine {
  readonly element: HTMLDivElement;
  private readonly dot: HTMLSpanElement;
  private readonly text: HTMLSpanElement;
  private readonly rates: HTMLSpanElement;
  private readonly meter = new RateMeter();
  private state: ConnectionState | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    this.dot = h('span', { class: 'codicon codicon-circle-filled state-dot', attrs: { 'aria-hidden': 'true' } });
    this.text = h('span');
    // Rates change every second: kept out of the live region so screen readers are not flooded.
    this.rates = h('span', { class: 'status-rates' });
    this.element = h(
      'div',
      { class: 'status-line' },
      h('span', { class: 'status-counts', attrs: { role: 'status' } }, this.dot, this.text),
      this.rates,
    );
  }

  update(state: ConnectionState): void {
    this.state = state;
    this.meter.sample(performance.now(), state.counters);
    // Sample on a timer only while a socket is up; a closed one has no traffic to measure.
    const live = state.readyState === 'OPEN' || state.readyState === 'CLOSING';
    if (live && !this.timer) this.timer = setInterval(() => this.tick(), RATE_TICK_MS);
    if (!live && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.meter.reset();
    }
    this.show();
  }

  private tick(): void {
    if (!this.state) return;
    this.meter.sample(performance.now(), this.state.counters);
    this.show();
  }

  private show(): void {
    const state = this.state;
    if (!state) return;
    const c: Counters = state.counters;
    const rates: Rates = this.meter.rates(performance.now());
    const text =
      `${state.readyState} · sent ${count(c.messagesSent)} (${formatBytes(c.bytesSent)}) · ` +
      `received ${count(c.messagesReceived)} (${formatBytes(c.bytesReceived)})`;
    // Unchanged text is not rewritten, so assistive technology is not told it again.
    if (this.text.textContent !== text) this.text.textContent = text;
    const rateText =
      `in ${perSecond(rates.messagesReceivedPerSecond, rates.bytesReceivedPerSecond)} · ` +
      `out ${perSecond(rates.messagesSentPerSecond, rates.bytesSentPerSecond)}`;
    if (this.rates.textContent !== rateText) this.rates.textContent = rateText;
    this.dot.className = `codicon codicon-circle-filled state-dot ready-${state.readyState.toLowerCase()}`;
  }
}
