/**
 * The connection as the browser WebSocket API would describe it (readyState, url, protocol,
 * extensions, bufferedAmount), the close details, the last failure, and a refused handshake's
 * HTTP response. Everything here comes from the server or the network and is shown as text.
 */
import type { ConnectionState, HandshakeRefusal } from '../shared/protocol';
import { closeCodeName } from '../shared/closeCodes';
import { h, icon } from './dom';
import { visibleFragment } from './visibleTextNodes';
import { l10n } from './l10n';

export class ConnectionInfo {
  readonly element: HTMLElement;
  private readonly fields: HTMLDListElement;
  private readonly error: HTMLDivElement;
  private readonly refusal: HTMLDivElement;

  constructor() {
    this.fields = h('dl', { class: 'state-fields' });
    this.error = h('div', { class: 'connection-error', attrs: { role: 'alert' } });
    this.refusal = h('div', { class: 'refusal' });
    this.element = h(
      'section',
      { class: 'connection-info', attrs: { 'aria-label': l10n.t('Connection state') } },
      this.fields,
      this.error,
      this.refusal,
    );
  }

  update(state: ConnectionState): void {
    const rows: [string, string, string?][] = [
      ['readyState', state.readyState, `ready-${state.readyState.toLowerCase()}`],
      ['url', state.url || '—'],
      ['protocol', state.protocol || '—'],
      ['extensions', state.extensions || '—'],
      ['bufferedAmount', String(state.bufferedAmount)],
    ];
    if (state.binaryType) rows.push(['binaryType', state.binaryType]);
    if (state.socketio) {
      const io = state.socketio;
      rows.push(
        ['namespace', io.namespace],
        ['engine', `Engine.IO ${io.eio} (EIO=${io.eio})`],
        ['transport', io.transport || '—'],
        ['sid', io.sid || '—'],
        ['queued emits', String(io.queued)],
      );
    }
    if (state.close) {
      rows.push(
        ['code', `${state.close.code} ${closeCodeName(state.close.code)}`],
        ['reason', state.close.reason || '—'],
        ['wasClean', String(state.close.wasClean)],
      );
    }
    const items: HTMLElement[] = [];
    for (const [name, value, valueClass] of rows) {
      items.push(h('div', { class: 'state-field' }, h('dt', { text: name }), h('dd', { class: valueClass }, visibleFragment(value))));
    }
    this.fields.replaceChildren(...items);

    // Only rewrite the alert when the words change, so it is not announced on every update.
    const error = state.error ?? '';
    if (this.error.dataset.message !== error) {
      this.error.dataset.message = error;
      this.error.replaceChildren(...(error ? [icon('error'), h('span', {}, visibleFragment(error))] : []));
    }
    this.refusal.replaceChildren(...(state.refusal ? renderRefusal(state.refusal) : []));
  }
}

function renderRefusal(refusal: HandshakeRefusal): HTMLElement[] {
  const parts: HTMLElement[] = [
    h('div', { class: 'refusal-status', text: `HTTP ${refusal.statusCode} ${refusal.statusMessage}`.trimEnd() }),
  ];
  if (refusal.headers.length > 0) {
    const headers = h('dl', { class: 'refusal-headers' });
    for (const [name, value] of refusal.headers) {
      headers.append(h('div', {}, h('dt', {}, visibleFragment(`${name}:`)), h('dd', {}, visibleFragment(value))));
    }
    parts.push(h('div', { class: 'caption', text: l10n.t('Response headers') }), headers);
  }
  if (refusal.body !== '') {
    parts.push(h('div', { class: 'caption', text: l10n.t('Response body') }), h('pre', { class: 'refusal-body' }, visibleFragment(refusal.body)));
  }
  if (refusal.bodyTruncated) parts.push(h('div', { class: 'note', text: l10n.t('(truncated)') }));
  return parts;
}
