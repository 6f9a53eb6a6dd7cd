/**
 * Close-code and close-reason rules of RFC 6455 §5.5 and §7.4, checked before anything is sent so
 * the user gets a sentence instead of a socket error (or a silently rewritten frame).
 */
import { utf8ByteLength } from './codecs';
import { l10n } from './l10n';

/** A Close frame body is a 2-byte code plus the reason, inside the 125-byte control limit. */
export const MAX_CLOSE_REASON_BYTES = 123;
/** Control frames (close, ping, pong) carry at most 125 payload bytes (RFC 6455 §5.5). */
export const MAX_CONTROL_PAYLOAD_BYTES = 125;

/**
 * `advanced` marks codes that are legal to send but normally describe a situation the endpoint
 * detects itself, so the UI asks for an explicit confirmation first.
 */
export type CloseCodeVerdict = { ok: true; advanced: boolean } | { ok: false; reason: string };

const NAMES: Readonly<Record<number, string>> = {
  1000: 'Normal Closure',
  1001: 'Going Away',
  1002: 'Protocol Error',
  1003: 'Unsupported Data',
  1004: 'Reserved',
  1005: 'No Status Received',
  1006: 'Abnormal Closure',
  1007: 'Invalid Frame Payload Data',
  1008: 'Policy Violation',
  1009: 'Message Too Big',
  1010: 'Mandatory Extension',
  1011: 'Internal Error',
  1012: 'Service Restart',
  1013: 'Try Again Later',
  1014: 'Bad Gateway',
  1015: 'TLS Handshake',
};

/** Decides whether `code` may be sent in a Close frame, and whether it needs confirmation. */
export function checkCloseCode(code: number): CloseCodeVerdict {
  if (!Number.isInteger(code)) {
    return { ok: false, reason: l10n.t('{0} is not a close code: a close code is a whole number', String(code)) };
  }
  if (code === 1000 || (code >= 3000 && code <= 4999)) return { ok: true, advanced: false };
  if ((code >= 1001 && code <= 1003) || (code >= 1007 && code <= 1014)) {
    return { ok: true, advanced: true };
  }
  switch (code) {
    case 1004:
      return { ok: false, reason: l10n.t('1004 is reserved and has no meaning; it must not be sent (RFC 6455 §7.4.1)') };
    case 1005:
      return {
        ok: false,
        reason: l10n.t('1005 is reserved: it means no status code was received and must never be sent in a Close frame (RFC 6455 §7.4.1)'),
      };
    case 1006:
      return {
        ok: false,
        reason: l10n.t('1006 is reserved: it means the connection closed abnormally without a Close frame and must never be sent in a Close frame (RFC 6455 §7.4.1)'),
      };
    case 1015:
      return {
        ok: false,
        reason: l10n.t('1015 is reserved: it means the TLS handshake failed and must never be sent in a Close frame (RFC 6455 §7.4.1)'),
      };
  }
  if (code >= 0 && code <= 999) {
    return { ok: false, reason: l10n.t('{0} is not used: codes 0–999 are not valid close codes (RFC 6455 §7.4.2)', code) };
  }
  if (code >= 1016 && code <= 2999) {
    return {
      ok: false,
      reason: l10n.t('{0} is reserved for the WebSocket protocol and its extensions (1016–2999, RFC 6455 §7.4.2); use 1000 or a code in 3000–4999', code),
    };
  }
  return {
    ok: false,
    reason: l10n.t('{0} is outside the range of close codes: valid codes are 1000–4999 (RFC 6455 §7.4.2)', code),
  };
}

/** The reason must fit in the Close frame next to the 2-byte code. */
export function checkCloseReason(reason: string): string | undefined {
  const bytes = utf8ByteLength(reason);
  if (bytes <= MAX_CLOSE_REASON_BYTES) return undefined;
  return l10n.t('The close reason is {0} bytes of UTF-8; at most {1} are allowed', bytes, MAX_CLOSE_REASON_BYTES);
}

/** Why a Close frame the user asked for may not go out as it is (undefined: it may). */
export interface CloseRefusal {
  field: 'closeCode' | 'closeReason';
  error: string;
  /** The code is one RFC 6455 leaves to endpoints that detected a condition: sent once confirmed. */
  needsConfirmation?: true;
}

/**
 * The checks before a user-chosen Close frame, by a client or a mock server alike: the code, the
 * reason's size, and a confirmation for the codes an endpoint normally sends on its own account.
 */
export function checkCloseRequest(code: number, reason: string, advancedConfirmed: boolean): CloseRefusal | undefined {
  const verdict = checkCloseCode(code);
  if (!verdict.ok) return { field: 'closeCode', error: verdict.reason };
  const reasonError = checkCloseReason(reason);
  if (reasonError !== undefined) return { field: 'closeReason', error: reasonError };
  if (verdict.advanced && !advancedConfirmed) {
    return {
      field: 'closeCode',
      needsConfirmation: true,
      error: l10n.t('{0} normally reports a condition the endpoint detected itself; confirm to send it anyway', `${code} ${closeCodeName(code)}`),
    };
  }
  return undefined;
}

/** The RFC 6455 / IANA name of a close code, for log rows and the close form. */
export function closeCodeName(code: number): string {
  const name = NAMES[code];
  if (name !== undefined) return name;
  if (Number.isInteger(code) && code >= 3000 && code <= 3999) return 'Registered (library/framework)';
  if (Number.isInteger(code) && code >= 4000 && code <= 4999) return 'Private use';
  return 'Unknown';
}
