/**
 * The connection's state for the eye and for the ear. The badge in the top bar says it in words
 * with a codicon whose shape differs per state (never colour alone); the announcer is a visually
 * hidden polite status that speaks transitions only ("Connected to ws://…", "Closed 1000 Normal
 * Closure"), never the counters, which change with every message.
 */
import type { ConnectionState, ReadyState } from '../shared/protocol';
import { announcedState, stateAnnouncement, type AnnouncedState } from '../shared/stateAnnouncement';
import { h, icon } from './dom';
import { l10n } from './l10n';

const BADGES: Record<ReadyState, { text: string; icon: string }> = {
  CONNECTING: { text: l10n.t('Connecting'), icon: 'loading' },
  OPEN: { text: l10n.t('Open'), icon: 'pass-filled' },
  CLOSING: { text: l10n.t('Closing'), icon: 'loading' },
  CLOSED: { text: l10n.t('Closed'), icon: 'circle-slash' },
};

export class StateBadge {
  readonly element: HTMLSpanElement;
  private shown = '';

  constructor() {
    this.element = h('span', { class: 'state-badge' });
  }

  update(state: ConnectionState): void {
    const reconnecting = state.readyState === 'CLOSED' && state.reconnect !== undefined;
    const badge = reconnecting ? { text: l10n.t('Reconnecting'), icon: 'sync' } : BADGES[state.readyState];
    const key = `${state.readyState}:${badge.text}`;
    if (key === this.shown) return;
    this.shown = key;
    const spinning = badge.icon === 'loading' || badge.icon === 'sync';
    const glyph = icon(badge.icon);
    if (spinning) glyph.classList.add('codicon-modifier-spin');
    this.element.className = `state-badge ready-${state.readyState.toLowerCase()}${reconnecting ? ' reconnecting' : ''}`;
    this.element.title = l10n.t('readyState {0}', state.readyState);
    this.element.replaceChildren(glyph, h('span', { text: badge.text }));
  }
}

export class StateAnnouncer {
  readonly element: HTMLDivElement;
  private last: AnnouncedState | undefined;

  constructor() {
    this.element = h('div', { class: 'visually-hidden', attrs: { role: 'status', 'aria-label': l10n.t('Connection announcements') } });
  }

  update(state: ConnectionState): void {
    const now = announcedState(state);
    const sentence = stateAnnouncement(this.last, now);
    this.last = now;
    if (sentence !== undefined) this.element.textContent = sentence;
  }
}
