/**
 * The Connection details region: the handshake timing waterfall (DNS lookup, the TCP three-way
 * handshake, TLS, the HTTP Upgrade, each explained on hover and focus),
 * the request and response headers, the TLS session and certificate chain, ping round trips,
 * how the connection ended, and the auto-reconnect countdown. Everything is text from the host.
 */
import type { CertificateSummary, ConnectionState, HandshakeTiming, InspectorInfo } from '../shared/protocol';
import { describeRoute } from '../shared/proxyRoute';
import { formatMs } from '../shared/timing';
import { h, icon, iconButton, uniqueId } from './dom';
import { saveUiState, uiState } from './uiState';
import { l10n } from './l10n';

interface Phase {
  key: keyof HandshakeTiming;
  /** The term the row is labelled with. */
  term: string;
  /** Its one-line explanation, shown on hover and on keyboard focus. */
  hint: string;
  /** The bar's class suffix (its colour; the row's term says the same in words). */
  bar: string;
}

/** The phases of an opening handshake, in the order they happen, named as the protocols name them. */
const PHASES: readonly Phase[] = [
  { key: 'dnsMs', term: l10n.t('DNS lookup'), bar: 'dns', hint: l10n.t('The resolver turns the URL\'s host name into an IP address (none for an IP address).') },
  {
    key: 'tcpMs',
    term: l10n.t('Three-way handshake (TCP)'),
    bar: 'tcp',
    hint: l10n.t('SYN, SYN-ACK, ACK: the client and the server open the TCP connection, about one network round trip.'),
  },
  {
    key: 'tlsMs',
    term: 'TLS',
    bar: 'tls',
    hint: l10n.t('wss:// only: the TLS handshake agrees on keys and checks the server\'s certificate, one or two more round trips.'),
  },
  {
    key: 'upgradeMs',
    term: l10n.t('HTTP Upgrade'),
    bar: 'upgrade',
    hint: l10n.t('The GET request with "Upgrade: websocket" and the server\'s "101 Switching Protocols" answer; then frames flow.'),
  },
];

export class ConnectionDetails {
  readonly element: HTMLElement;
  private readonly countdown: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private rendered: string | undefined = '';
  private origin: string | undefined;
  private inspectorLimit: string | undefined;
  private lastState: ConnectionState | undefined;
  private reconnectAt: number | undefined;
  private reconnectAttempt = 0;
  private ticker: number | undefined;

  constructor() {
    // Polite live text rather than role=status: the panel's status line is the one status.
    this.countdown = h('div', { class: 'reconnect-countdown', attrs: { 'aria-live': 'polite' } });
    this.body = h('div', { class: 'details-body', id: 'connection-details-body' });
    // Folded unless the user unfolded them (remembered), so the message log gets the room.
    const toggle = iconButton('chevron-right', l10n.t('Show connection details'));
    toggle.setAttribute('aria-controls', this.body.id);
    const show = (expanded: boolean) => {
      this.body.hidden = !expanded;
      toggle.setAttribute('aria-expanded', String(expanded));
      const label = expanded ? l10n.t('Hide connection details') : l10n.t('Show connection details');
      toggle.setAttribute('aria-label', label);
      toggle.title = label;
      toggle.replaceChildren(icon(expanded ? 'chevron-down' : 'chevron-right'));
    };
    show(uiState.detailsOpen);
    toggle.addEventListener('click', () => {
      uiState.detailsOpen = this.body.hidden;
      saveUiState();
      show(uiState.detailsOpen);
    });
    this.element = h(
      'section',
      { class: 'connection-details', attrs: { role: 'region', 'aria-label': l10n.t('Connection details') } },
      h('div', { class: 'details-title' }, h('h2', { class: 'section-heading', text: l10n.t('Connection details') }), toggle),
      this.countdown,
      this.body,
    );
    this.element.hidden = true;
  }

  /**
   * Where connections leave from (shown first in the details), and on a host without the
   * inspector (the browser) why there is none: then the details show once a connection starts.
   */
  setHost(origin: string, inspectorLimit?: string): void {
    this.origin = origin;
    this.inspectorLimit = inspectorLimit;
    this.rendered = undefined;
    if (this.lastState) this.update(this.lastState);
  }

  update(state: ConnectionState): void {
    this.lastState = state;
    this.updateCountdown(state.reconnect);
    const inspector = state.inspector;
    const started = this.inspectorLimit !== undefined && state.url !== '';
    this.element.hidden = !inspector && !state.reconnect && !started;
    // Messages update the state often; the details only change with the handshake, pings and close.
    const key = JSON.stringify(inspector ?? null) + state.url;
    if (key === this.rendered) return;
    this.rendered = key;
    const host = [
      ...(this.origin ? [h('p', { class: 'details-origin', text: this.origin })] : []),
      ...(this.inspectorLimit ? [h('p', { class: 'note limit-note', text: this.inspectorLimit })] : []),
    ];
    this.body.replaceChildren(...host, ...(inspector ? render(inspector, state.url.startsWith('wss:')) : []));
  }

  private updateCountdown(reconnect: ConnectionState['reconnect']): void {
    this.reconnectAt = reconnect?.at;
    this.reconnectAttempt = reconnect?.attempt ?? 0;
    if (reconnect && this.ticker === undefined) {
      this.ticker = window.setInterval(() => this.tick(), 250);
    } else if (!reconnect && this.ticker !== undefined) {
      window.clearInterval(this.ticker);
      this.ticker = undefined;
    }
    this.tick();
  }

  private tick(): void {
    if (this.reconnectAt === undefined) {
      this.countdown.textContent = '';
      return;
    }
    const seconds = Math.max(0, Math.ceil((this.reconnectAt - Date.now()) / 1000));
    const text = l10n.t('Reconnecting in {0} s (attempt {1}); Disconnect stops it', seconds, this.reconnectAttempt);
    if (this.countdown.textContent !== text) this.countdown.textContent = text;
  }
}

function render(info: InspectorInfo, secure: boolean): HTMLElement[] {
  const parts: HTMLElement[] = [waterfall(info.timing, secure)];
  const where: [string, string][] = [];
  if (info.remoteAddress) where.push([l10n.t('Remote address'), info.remoteAddress]);
  const route = describeRoute(info.route, info.proxyBypassed);
  if (route) where.push([l10n.t('Route'), route]);
  if (where.length > 0) parts.push(fields(where));
  if (info.handshake) {
    const hs = info.handshake;
    parts.push(h('h3', { class: 'details-heading', text: l10n.t('Request') }), headerBlock(hs.requestLine, hs.requestHeaders));
    if (hs.statusCode !== undefined) {
      const status = `HTTP/1.1 ${hs.statusCode} ${hs.statusMessage ?? ''}`.trimEnd();
      parts.push(h('h3', { class: 'details-heading', text: l10n.t('Response') }), headerBlock(status, hs.responseHeaders));
      if (hs.acceptValid !== undefined) {
        parts.push(
          h(
            'div',
            { class: hs.acceptValid ? 'accept-check valid' : 'accept-check invalid' },
            icon(hs.acceptValid ? 'pass' : 'error'),
            h('span', {
              text: hs.acceptValid
                ? l10n.t('Sec-WebSocket-Accept is valid: it matches the Sec-WebSocket-Key sent')
                : l10n.t('Sec-WebSocket-Accept is invalid: it does not match the Sec-WebSocket-Key sent'),
            }),
          ),
        );
      }
    }
  }
  if (info.tls) {
    const tls = info.tls;
    parts.push(
      h('h3', { class: 'details-heading', text: l10n.t('TLS') }),
      fields([
        [l10n.t('Protocol'), tls.protocol],
        [l10n.t('Cipher'), tls.cipher],
        [l10n.t('Verification'), tls.verification],
      ]),
      ...tls.chain.map((cert, index) => certificate(cert, index)),
    );
  }
  if (info.pingRtts.length > 0 || info.missedPongs > 0) {
    const rtts = info.pingRtts;
    const rows: [string, string][] = [];
    if (rtts.length > 0) {
      const average = rtts.reduce((a, b) => a + b, 0) / rtts.length;
      rows.push([l10n.t('Ping round trip'), l10n.t('last {0}, average {1} over {2}', formatMs(rtts[rtts.length - 1]!), formatMs(average), rtts.length)]);
    }
    rows.push([l10n.t('Missed pongs'), String(info.missedPongs)]);
    parts.push(h('h3', { class: 'details-heading', text: l10n.t('Pings') }), fields(rows));
  }
  if (info.close) {
    const close = info.close;
    const rows: [string, string][] = [
      [l10n.t('Closed by'), close.by === 'network' ? l10n.t('the network (no Close frame)') : close.by === 'client' ? l10n.t('client') : l10n.t('server')],
      [l10n.t('Code'), close.meaning],
      [l10n.t('Reason'), close.reason || '—'],
      ['wasClean', String(close.wasClean)],
    ];
    if (close.durationMs !== undefined) rows.push([l10n.t('Duration'), formatDuration(close.durationMs)]);
    parts.push(h('h3', { class: 'details-heading', text: l10n.t('Close') }), fields(rows));
  }
  return parts;
}

/** One row per phase: name, a bar placed where the phase fell in the total, and the time. */
function waterfall(timing: HandshakeTiming, secure: boolean): HTMLElement {
  const total = timing.totalMs ?? PHASES.reduce((sum, { key }) => sum + (timing[key] ?? 0), 0);
  const list = h('ul', { class: 'waterfall', attrs: { 'aria-label': l10n.t('Handshake timing') } });
  let offset = 0;
  for (const { key, term, hint, bar: barKind } of PHASES) {
    if (key === 'tlsMs' && !secure) continue;
    const ms = timing[key];
    const words = ms !== undefined ? formatMs(ms) : key === 'dnsMs' && timing.tcpMs !== undefined ? l10n.t('0.0 ms (IP address, no lookup)') : l10n.t('not reached');
    const bar = h('span', { class: `waterfall-bar phase-${barKind}`, attrs: { 'aria-hidden': 'true' } });
    if (total > 0 && ms !== undefined) {
      // CSSOM, not a style attribute, so the CSP allows it.
      bar.style.marginLeft = `${(offset / total) * 100}%`;
      bar.style.width = `${Math.max(0.5, (ms / total) * 100)}%`;
      offset += ms;
    }
    // The term takes the keyboard focus and is described by its hint, which shows on hover and
    // on focus (a title attribute alone would reach neither the keyboard nor a screen reader).
    const explanation = h('span', { class: 'phase-hint', id: uniqueId('phase-hint'), text: hint, attrs: { role: 'tooltip' } });
    const label = h('dfn', { class: 'waterfall-label phase-term', text: term, attrs: { tabindex: '0', 'aria-describedby': explanation.id } });
    list.append(
      h(
        'li',
        { class: 'waterfall-row' },
        label,
        h('span', { class: 'waterfall-track' }, bar),
        h('span', { class: 'waterfall-time', text: words }),
        explanation,
      ),
    );
  }
  list.append(
    h(
      'li',
      { class: 'waterfall-row total' },
      h('span', { class: 'waterfall-label', text: l10n.t('Total') }),
      h('span', { class: 'waterfall-track' }),
      h('span', { class: 'waterfall-time', text: timing.totalMs !== undefined ? formatMs(timing.totalMs) : '—' }),
    ),
  );
  return list;
}

function headerBlock(firstLine: string, headers: [string, string][]): HTMLElement {
  return h('pre', { class: 'header-block', text: [firstLine, ...headers.map(([n, v]) => `${n}: ${v}`)].join('\n') });
}

function fields(rows: [string, string][]): HTMLDListElement {
  const list = h('dl', { class: 'details-fields' });
  for (const [name, value] of rows) list.append(h('div', {}, h('dt', { text: name }), h('dd', { text: value })));
  return list;
}

function certificate(cert: CertificateSummary, index: number): HTMLElement {
  return h(
    'div',
    { class: 'certificate' },
    h('div', { class: 'caption', text: index === 0 ? l10n.t('Server certificate') : l10n.t('Issuer certificate {0}', index) }),
    fields([
      [l10n.t('Subject'), cert.subject],
      [l10n.t('Issuer'), cert.issuer],
      [l10n.t('Valid'), `${cert.validFrom} – ${cert.validTo}`],
      [l10n.t('Names (SAN)'), cert.subjectAltNames || '—'],
      ['SHA-256', cert.fingerprint256],
    ]),
  );
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}
