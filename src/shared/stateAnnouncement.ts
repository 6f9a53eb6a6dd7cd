/**
 * What a screen reader is told when a connection changes state ("Connected to ws://…", "Closed
 * 1000 Normal Closure"). Only transitions are announced: the counters change with every message
 * and must never be read out. Pure, so both the wording and the transition rule are unit-tested.
 */
import { closeCodeName } from './closeCodes';
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
      ? `Reconnecting, attempt ${after.reconnectAttempt}`
      : undefined;
  if (transition && reconnect) return `${transition}. ${reconnect}`;
  return transition ?? reconnect;
}

function transitionText(before: AnnouncedState, after: AnnouncedState): string {
  const where = after.url || before.url;
  switch (after.readyState) {
    case 'CONNECTING':
      return `Connecting to ${where}`;
    case 'OPEN':
      return after.protocol ? `Connected to ${where}, subprotocol ${after.protocol}` : `Connected to ${where}`;
    case 'CLOSING':
      return 'Closing';
    case 'CLOSED': {
      if (after.close) {
        const reason = after.close.reason ? `: ${after.close.reason}` : '';
        return `Closed ${after.close.code} ${closeCodeName(after.close.code)}${reason}`;
      }
      // The error itself is an alert of its own (the connection state); this only says what happened.
      if (after.error) return before.readyState === 'CONNECTING' ? 'Connection failed' : 'Connection lost';
      return before.readyState === 'CONNECTING' ? 'Connection attempt cancelled' : 'Disconnected';
    }
  }
}
