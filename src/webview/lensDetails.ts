/**
 * The Lens fields region under the message log: what a protocol lens read in one entry (its
 * summary and every field), for the entry whose summary the user picked in its row. One region
 * outside the virtual list, so rows keep their fixed height and the list stays as fast with a
 * lens as without. Values are server text: shown as text nodes, invisible characters marked.
 */
import type { LogEntry } from '../shared/protocol';
import { h, iconButton } from './dom';
import { visibleFragment } from './visibleTextNodes';
import { l10n } from './l10n';

/** How the lens names read in the panel. */
export const LENS_TITLES: Record<NonNullable<LogEntry['lens']>['lens'], string> = {
  'graphql-transport-ws': 'GraphQL (graphql-transport-ws)',
  stomp: 'STOMP',
  mqtt: 'MQTT',
  jsonrpc: 'JSON-RPC',
};

export class LensDetails {
  readonly element: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly summary: HTMLDivElement;
  private readonly list: HTMLDListElement;
  /** The entry shown, if any. */
  private shownId: number | undefined;

  constructor() {
    this.heading = h('h3', { class: 'details-heading', id: 'lens-details-heading' });
    this.summary = h('div', { class: 'lens-details-summary' });
    this.list = h('dl', { class: 'details-fields lens-fields' });
    const close = iconButton('close', l10n.t('Close lens fields'));
    close.addEventListener('click', () => this.hide());
    this.element = h(
      'div',
      { class: 'lens-details', attrs: { role: 'region', 'aria-label': l10n.t('Lens fields') } },
      h('div', { class: 'details-title' }, this.heading, close),
      this.summary,
      this.list,
    );
    this.element.hidden = true;
  }

  get entryId(): number | undefined {
    return this.shownId;
  }

  /** Shows the entry's lens view (a second pick of the same entry hides it again). */
  toggle(entry: LogEntry): void {
    if (this.shownId === entry.id && !this.element.hidden) {
      this.hide();
      return;
    }
    this.show(entry);
  }

  show(entry: LogEntry): void {
    const lens = entry.lens;
    if (!lens) return;
    this.shownId = entry.id;
    this.heading.textContent = l10n.t('{0} · entry {1} ({2})', LENS_TITLES[lens.lens], entry.id, entry.direction);
    this.summary.replaceChildren(visibleFragment(lens.summary));
    this.summary.classList.toggle('lens-error', lens.error !== undefined);
    this.list.replaceChildren();
    for (const [name, value] of lens.fields) {
      this.list.append(h('div', {}, h('dt', {}, visibleFragment(name)), h('dd', {}, visibleFragment(value))));
    }
    if (lens.fields.length === 0) this.list.append(h('div', {}, h('dd', { text: l10n.t('No fields.') })));
    this.element.hidden = false;
  }

  hide(): void {
    this.shownId = undefined;
    this.element.hidden = true;
  }
}
