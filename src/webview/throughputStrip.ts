/**
 * The throughput strip: messages per second in and out over the last minute, and the ping round
 * trip, as a small SVG sparkline beside the status line. Sampled once a second from the counters
 * of the latest state (src/shared/throughputHistory.ts), so a flood costs it nothing per message.
 * The picture's accessible name says the same in words; each line has its own dash pattern, not
 * only its own colour. A button hides it, and the choice is remembered.
 */
import type { ConnectionState } from '../shared/protocol';
import { describeThroughput, formatRate, THROUGHPUT_SECONDS, ThroughputHistory, type ThroughputSample } from '../shared/throughputHistory';
import { h, icon } from './dom';
import { saveUiState, uiState } from './uiState';
import { l10n } from './l10n';

const SVG = 'http://www.w3.org/2000/svg';
/** The drawing's own units: one per second across, and a little room above and below the lines. */
const WIDTH = THROUGHPUT_SECONDS;
const HEIGHT = 20;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  return element;
}

export class ThroughputStrip {
  readonly element: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly picture: SVGSVGElement;
  private readonly lines: Record<'received' | 'sent' | 'rtt', SVGPolylineElement>;
  private readonly legend: Record<'received' | 'sent' | 'rtt', HTMLSpanElement>;
  private readonly toggle: HTMLButtonElement;
  private readonly history = new ThroughputHistory();
  private state: ConnectionState | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    this.lines = {
      received: svg('polyline', { class: 'throughput-line received', points: '', 'vector-effect': 'non-scaling-stroke' }),
      sent: svg('polyline', { class: 'throughput-line sent', points: '', 'vector-effect': 'non-scaling-stroke' }),
      rtt: svg('polyline', { class: 'throughput-line rtt', points: '', 'vector-effect': 'non-scaling-stroke' }),
    };
    this.picture = svg('svg', { class: 'throughput-chart', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', role: 'img' });
    this.picture.append(this.lines.received, this.lines.sent, this.lines.rtt);
    this.legend = { received: h('span'), sent: h('span'), rtt: h('span') };
    const key = (kind: string, text: HTMLSpanElement) => h('span', { class: 'throughput-key' }, h('span', { class: `throughput-swatch ${kind}` }), text);
    this.body = h(
      'div',
      { class: 'throughput-body', id: 'throughput-body' },
      this.picture,
      // The picture's name says all of this; the legend is for the eye only.
      h('span', { class: 'throughput-legend', attrs: { 'aria-hidden': 'true' } }, key('received', this.legend.received), key('sent', this.legend.sent), key('rtt', this.legend.rtt)),
    );
    this.toggle = h('button', { class: 'icon-button throughput-toggle', attrs: { type: 'button', 'aria-controls': this.body.id } });
    this.toggle.addEventListener('click', () => {
      uiState.throughputHidden = !this.body.hidden;
      saveUiState();
      this.showHidden();
    });
    this.element = h('div', { class: 'throughput-strip' }, this.toggle, this.body);
    this.showHidden();
  }

  update(state: ConnectionState): void {
    const previous = this.state?.readyState;
    this.state = state;
    // A new connection starts a new minute.
    if (state.readyState === 'CONNECTING' && previous !== 'CONNECTING') this.history.reset();
    const live = state.readyState === 'OPEN' || state.readyState === 'CLOSING';
    if (live && !this.timer) {
      this.tick();
      this.timer = setInterval(() => this.tick(), 1000);
    } else if (!live && this.timer) {
      this.tick();
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private tick(): void {
    const state = this.state;
    if (!state) return;
    this.history.record(performance.now(), state.counters, state.inspector?.pingRtts.at(-1));
    if (!this.body.hidden) this.draw();
  }

  private showHidden(): void {
    const hidden = uiState.throughputHidden === true;
    this.body.hidden = hidden;
    const label = hidden ? l10n.t('Show throughput') : l10n.t('Hide throughput');
    this.toggle.setAttribute('aria-label', label);
    this.toggle.title = label;
    this.toggle.setAttribute('aria-expanded', String(!hidden));
    this.toggle.replaceChildren(icon('graph-line'));
    if (!hidden) this.draw();
  }

  private draw(): void {
    const samples = this.history.samples();
    const summary = this.history.summary();
    this.picture.setAttribute('aria-label', describeThroughput(summary));
    // In and out share a scale, so they compare; the round trip has its own.
    const messagesMax = Math.max(1, ...samples.map((s) => Math.max(s.received, s.sent)));
    const rtts = samples.map((s) => s.rttMs).filter((ms): ms is number => ms !== undefined);
    const rttMax = Math.max(1, ...rtts);
    this.lines.received.setAttribute('points', points(samples, (s) => s.received, messagesMax));
    this.lines.sent.setAttribute('points', points(samples, (s) => s.sent, messagesMax));
    this.lines.rtt.setAttribute('points', points(samples, (s) => s.rttMs, rttMax));
    this.legend.received.textContent = l10n.t('in {0}/s', formatRate(summary.receivedPerSecond));
    this.legend.sent.textContent = l10n.t('out {0}/s', formatRate(summary.sentPerSecond));
    this.legend.rtt.textContent = summary.rttMs === undefined ? l10n.t('RTT —') : l10n.t('RTT {0} ms', formatRate(summary.rttMs));
  }
}

/** The newest sample at the right edge; seconds without a value (no RTT yet) are left out. */
function points(samples: readonly ThroughputSample[], value: (s: ThroughputSample) => number | undefined, max: number): string {
  const offset = WIDTH - samples.length;
  const out: string[] = [];
  samples.forEach((sample, index) => {
    const v = value(sample);
    if (v === undefined) return;
    const y = HEIGHT - 1 - (v / max) * (HEIGHT - 2);
    out.push(`${offset + index + 0.5},${y.toFixed(2)}`);
  });
  return out.join(' ');
}

/** Puts a strip at the end of the status line (it hides with the status line) and returns it. */
export function mountThroughputStrip(statusLine: HTMLElement): ThroughputStrip {
  const strip = new ThroughputStrip();
  statusLine.append(strip.element);
  return strip;
}
