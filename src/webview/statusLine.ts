/**
 * The one-line summary at the bottom: "OPEN · sent 3 (42 B) · received 200,000 (12.2 MB)", then
 * the rates "in 5,000 msg/s, 320 KB/s · out 0 msg/s, 0 B/s". A landmark ("Connection summary")
 * a screen reader can go to, not a live region: its counts change with every message, and
 * state changes are spoken by the StateAnnouncer instead.
 */
import type { ConnectionState, Counters } from '../shared/protocol';
import { RateMeter, type Rates } from '../shared/rateMeter';
import { h } from './dom';
import { formatBytes } from './format';

/** Rates are refreshed this often, so they fall to zero when traffic stops. */
const RATE_TICK_MS = 1000;
/**
 * Counts are redrawn at most this often (a change of state at once): a flood brings a state
 * with every batch, and each redraw is a frame of its own beside the log's.
 */
const COUNT_INTERVAL_MS = 250;

const count = (n: number) => n.toLocaleString('en-US');
const perSecond = (messages: number, bytes: number) =>
  `${count(Math.round(messages))} msg/s, ${formatBytes(Math.round(bytes))}/s`;

export class StatusLine {
  readonly element: HTMLElement;
  private readonly dot: HTMLSpanElement;
  private readonly text: HTMLSpanElement;
  private readonly rates: HTMLSpanElement;
  private readonly meter = new RateMeter();
  private state: ConnectionState | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private shownAt = Number.NEGATIVE_INFINITY;
  private shownState: ConnectionState['readyState'] | undefined;
  private pending: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.dot = h('span', { class: 'codicon codicon-circle-filled state-dot', attrs: { 'aria-hidden': 'true' } });
    this.text = h('span');
    this.rates = h('span', { class: 'status-rates' });
    this.element = h(
      'footer',
      { class: 'status-line', attrs: { 'aria-label': 'Connection summary' } },
      h('span', { class: 'status-counts' }, this.dot, this.text),
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
    const wait = this.shownAt + COUNT_INTERVAL_MS - performance.now();
    if (state.readyState !== this.shownState || wait <= 0) this.show();
    else this.pending ??= setTimeout(() => this.show(), wait);
  }

  private tick(): void {
    if (!this.state) return;
    this.meter.sample(performance.now(), this.state.counters);
    this.show();
  }

  private show(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
    const state = this.state;
    if (!state) return;
    this.shownAt = performance.now();
    this.shownState = state.readyState;
    const c: Counters = state.counters;
    const rates: Rates = this.meter.rates(performance.now());
    const text =
      `${state.readyState} · sent ${count(c.messagesSent)} (${formatBytes(c.bytesSent)}) · ` +
      `received ${count(c.messagesReceived)} (${formatBytes(c.bytesReceived)})`;
    // Unchanged text is not rewritten: no needless layout work during a flood.
    if (this.text.textContent !== text) this.text.textContent = text;
    const rateText =
      `in ${perSecond(rates.messagesReceivedPerSecond, rates.bytesReceivedPerSecond)} · ` +
      `out ${perSecond(rates.messagesSentPerSecond, rates.bytesSentPerSecond)}`;
    if (this.rates.textContent !== rateText) this.rates.textContent = rateText;
    this.dot.className = `codicon codicon-circle-filled state-dot ready-${state.readyState.toLowerCase()}`;
  }
}
