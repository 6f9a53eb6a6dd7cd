/**
 * Delays for auto-reconnect: exponential backoff with jitter, so a server that restarts is not
 * hit by every client at the same moment, and never a tight loop.
 */

export interface BackoffPolicy {
  /** Delay before the first attempt, in milliseconds. */
  initialMs: number;
  /** No delay is longer than this. */
  maxMs: number;
  /** Attempts after one drop before giving up; 0 means no limit. */
  maxAttempts: number;
}

/** No delay is shorter than this, whatever the settings say. */
export const MIN_RECONNECT_DELAY_MS = 250;
/** Each delay is drawn from [ (1 - JITTER) * base, base ]. */
export const JITTER = 0.5;

/** The ceiling for attempt `attempt` (1-based): initial * 2^(attempt-1), capped at max. */
export function backoffCeiling(attempt: number, policy: BackoffPolicy): number {
  const initial = Math.max(MIN_RECONNECT_DELAY_MS, policy.initialMs);
  const max = Math.max(initial, policy.maxMs);
  const exponent = Math.min(Math.max(0, attempt - 1), 52);
  return Math.min(max, initial * 2 ** exponent);
}

/** The delay before attempt `attempt`; `random` is in [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = backoffCeiling(attempt, policy);
  const delay = ceiling * (1 - JITTER * random());
  return Math.max(MIN_RECONNECT_DELAY_MS, Math.round(delay));
}
