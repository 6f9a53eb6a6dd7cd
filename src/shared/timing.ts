/**
 * Turns the moments the socket reported (lookup, connect, secureConnect, response) into the
 * phases of the opening handshake. Pure, so the arithmetic is unit-tested without a network.
 */
import type { HandshakeTiming } from './protocol';

/** Clock readings in milliseconds (performance.now()), each set when its event fired. */
export interface HandshakeMarks {
  start: number;
  lookup?: number;
  connect?: number;
  secureConnect?: number;
  response?: number;
}

/** Durations rounded to 0.1 ms; a phase whose events did not both happen is left out. */
export function handshakeTiming(marks: HandshakeMarks): HandshakeTiming {
  const timing: HandshakeTiming = {};
  const span = (from: number | undefined, to: number | undefined): number | undefined =>
    from === undefined || to === undefined ? undefined : roundMs(Math.max(0, to - from));
  const set = (key: keyof HandshakeTiming, value: number | undefined): void => {
    if (value !== undefined) timing[key] = value;
  };
  set('dnsMs', span(marks.start, marks.lookup));
  set('tcpMs', span(marks.lookup ?? marks.start, marks.connect));
  set('tlsMs', span(marks.connect, marks.secureConnect));
  // The HTTP client writes the Upgrade request as soon as the socket is ready for it.
  set('upgradeMs', span(marks.secureConnect ?? marks.connect, marks.response));
  set('totalMs', span(marks.start, marks.response));
  return timing;
}

export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** "12.3 ms", or "1.20 s" from a second on. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
