/**
 * What a screen reader is told when a connection changes state ("Connected to ws://…", "Closed
 * 1000 Normal Closure"). Only transitions are announced: the counters change with every message
 * and must never be read out. Pure, so both the wording and the transition rule are unit-tested.
 */
import { closeCodeName } from './closeCodes';
import { l10n } from './l10n';
import type { ConnectionState } from './model';

/** The part of a state that decides what is announced. */
export interface AnnouncedState {
  readyState: ConnectionState['readyState'];
  url: string;
  protocol: string;
  close?: ConnectionState['close'];
  error?: string;
  reconnectAttempt?: number;
}

export function announcedState(state: ConnectionState): AnnouncedState {
  const announced: AnnouncedState = { readyState: state.readyState, url: state.url, protocol: state.protocol };
  if (state.close) announced.close = state.close;
  if (state.error) announced.error = state.error;
  if (state.reconnect) announced.reconnectAttempt = state.reconnect.attempt;
  return announced;
}

/**
 * The sentence for going from `before` to `after`, or undefined when nothing worth saying
 * changed. `before` undefined: the panel just opened, which is not news.
 */
export function stateAnnouncement(before: AnnouncedState | undefined, after: AnnouncedState): string | undefined {
  if (!before) return undefined;
  const transition = after.readyState === before.readyState ? undefined : transitionText(before, after);
  const reconnect =
    after.reconnectAttempt !== undefined && after.reconnectAttempt !== before.reconnectAttempt
      ? l10n.t('Reconnecting, attempt {0}', after.reconnectAttempt)
      : undefined;
  if (transition && reconnect) return `${transition}. ${reconnect}`;
  return transition ?? reconnect;
}

function transitionText(before: AnnouncedState, after: AnnouncedState): string {
  const where = after.url || before.url;
  switch (after.readyState) {
    case 'CONNECTING':
      return l10n.t('Connecting to {0}', where);
    case 'OPEN':
      return after.protocol ? l10n.t('Connected to {0}, subprotocol {1}', where, after.protocol) : l10n.t('Connected to {0}', where);
    case 'CLOSING':
      return l10n.t('Closing');
    case 'CLOSED': {
      if (after.close) {
        const { code, reason } = after.close;
        return reason ? l10n.t('Closed {0} {1}: {2}', code, closeCodeName(code), reason) : l10n.t('Closed {0} {1}', code, closeCodeName(code));
      }
      // The error itself is an alert of its own (the connection state); this only says what happened.
      if (after.error) return before.readyState === 'CONNECTING' ? l10n.t('Connection failed') : l10n.t('Connection lost');
      return before.readyState === 'CONNECTING' ? l10n.t('Connection attempt cancelled') : l10n.t('Disconnected');
    }
  }
}
