import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_CLOSE_REASON_BYTES,
  MAX_CONTROL_PAYLOAD_BYTES,
  checkCloseCode,
  checkCloseReason,
  closeCodeName,
} from '../../src/shared/closeCodes';

function refusal(code: number): string {
  const verdict = checkCloseCode(code);
  assert.equal(verdict.ok, false, `${code} should be refused`);
  return (verdict as { ok: false; reason: string }).reason;
}

describe('checkCloseCode', () => {
  test('1000 and the 3000-4999 ranges are sendable without confirmation', () => {
    for (const code of [1000, 3000, 3500, 3999, 4000, 4321, 4999]) {
      assert.deepEqual(checkCloseCode(code), { ok: true, advanced: false }, String(code));
    }
  });

  test('1001-1003 and 1007-1014 need the advanced confirmation', () => {
    for (const code of [1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014]) {
      assert.deepEqual(checkCloseCode(code), { ok: true, advanced: true }, String(code));
    }
  });

  test('1005, 1006 and 1015 are refused with the RFC rule', () => {
    assert.equal(
      refusal(1005),
      '1005 is reserved: it means no status code was received and must never be sent in a Close frame (RFC 6455 §7.4.1)',
    );
    assert.match(refusal(1006), /^1006 is reserved: .*abnormally.*must never be sent in a Close frame \(RFC 6455 §7\.4\.1\)$/);
    assert.match(refusal(1015), /^1015 is reserved: .*TLS handshake.*must never be sent/);
  });

  test('1004 is refused as reserved', () => {
    assert.match(refusal(1004), /^1004 is reserved/);
  });

  test('0-999 are not used', () => {
    for (const code of [0, 1, 500, 999]) assert.match(refusal(code), new RegExp(`^${code} is not used: codes 0–999`));
  });

  test('1016-2999 are reserved for the protocol', () => {
    for (const code of [1016, 2000, 2999]) {
      assert.match(refusal(code), new RegExp(`^${code} is reserved for the WebSocket protocol`));
    }
  });

  test('codes from 5000 and negative codes are out of range', () => {
    for (const code of [5000, 65535, 70000, -1]) assert.match(refusal(code), /outside the range of close codes: valid codes are 1000–4999/);
  });

  test('non-integers, NaN and infinities are refused', () => {
    assert.match(refusal(1000.5), /^1000\.5 is not a close code: a close code is a whole number$/);
    assert.match(refusal(Number.NaN), /^NaN is not a close code/);
    assert.match(refusal(Infinity), /^Infinity is not a close code/);
  });
});

describe('checkCloseReason', () => {
  test('limits match RFC 6455 §5.5', () => {
    assert.equal(MAX_CONTROL_PAYLOAD_BYTES, 125);
    assert.equal(MAX_CLOSE_REASON_BYTES, 123);
  });

  test('accepts up to 123 bytes, including the empty reason', () => {
    assert.equal(checkCloseReason(''), undefined);
    assert.equal(checkCloseReason('a'.repeat(123)), undefined);
  });

  test('counts UTF-8 bytes, not characters', () => {
    assert.equal(checkCloseReason('a'.repeat(124)), 'The close reason is 124 bytes of UTF-8; at most 123 are allowed');
    // 41 × 3-byte characters = 123 bytes: fits; one more ASCII byte does not.
    assert.equal(checkCloseReason('€'.repeat(41)), undefined);
    assert.equal(checkCloseReason('€'.repeat(41) + 'x'), 'The close reason is 124 bytes of UTF-8; at most 123 are allowed');
    // 65 × 2-byte characters = 130 bytes, though only 65 characters.
    assert.equal(checkCloseReason('é'.repeat(65)), 'The close reason is 130 bytes of UTF-8; at most 123 are allowed');
    // An emoji is 2 UTF-16 units but 4 bytes.
    assert.equal(checkCloseReason('😀'.repeat(31)), 'The close reason is 124 bytes of UTF-8; at most 123 are allowed');
  });
});

describe('closeCodeName', () => {
  test('names every RFC 6455 / IANA code', () => {
    const expected: [number, string][] = [
      [1000, 'Normal Closure'],
      [1001, 'Going Away'],
      [1002, 'Protocol Error'],
      [1003, 'Unsupported Data'],
      [1004, 'Reserved'],
      [1005, 'No Status Received'],
      [1006, 'Abnormal Closure'],
      [1007, 'Invalid Frame Payload Data'],
      [1008, 'Policy Violation'],
      [1009, 'Message Too Big'],
      [1010, 'Mandatory Extension'],
      [1011, 'Internal Error'],
      [1012, 'Service Restart'],
      [1013, 'Try Again Later'],
      [1014, 'Bad Gateway'],
      [1015, 'TLS Handshake'],
    ];
    for (const [code, name] of expected) assert.equal(closeCodeName(code), name);
  });

  test('names the ranges and says Unknown otherwise', () => {
    assert.equal(closeCodeName(3000), 'Registered (library/framework)');
    assert.equal(closeCodeName(3999), 'Registered (library/framework)');
    assert.equal(closeCodeName(4000), 'Private use');
    assert.equal(closeCodeName(4999), 'Private use');
    for (const code of [0, 999, 1016, 2999, 5000, 3000.5, Number.NaN]) assert.equal(closeCodeName(code), 'Unknown');
  });
});
