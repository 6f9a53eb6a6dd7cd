import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffCeiling, backoffDelay, JITTER, MIN_RECONNECT_DELAY_MS, type BackoffPolicy } from '../../src/shared/backoff';
import { Reconnector } from '../../src/core/reconnector';

const POLICY: BackoffPolicy = { initialMs: 1000, maxMs: 30000, maxAttempts: 0 };

describe('backoff', () => {
  it('doubles the ceiling per attempt up to the maximum', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((n) => backoffCeiling(n, POLICY)), [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    assert.equal(backoffCeiling(10_000, POLICY), 30000);
  });

  it('keeps every jittered delay within [(1 - jitter) * ceiling, ceiling]', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = backoffCeiling(attempt, POLICY);
      for (const r of [0, 0.25, 0.5, 0.999999, Math.random()]) {
        const delay = backoffDelay(attempt, POLICY, () => r);
        assert.ok(delay <= ceiling && delay >= Math.floor(ceiling * (1 - JITTER)), `${attempt}/${r}: ${delay}`);
      }
    }
  });

  it('is never a tight loop, whatever the settings', () => {
    const zero = { initialMs: 0, maxMs: 0, maxAttempts: 0 };
    assert.equal(backoffDelay(1, zero, () => 0.999), MIN_RECONNECT_DELAY_MS);
  });
});

describe('Reconnector', () => {
  it('calls back after the delay, counts attempts, stops at the limit and resets on success', async () => {
    let calls = 0;
    const policy = { initialMs: 250, maxMs: 400, maxAttempts: 2 };
    const reconnector = new Reconnector(() => policy, () => (calls += 1), () => 0.999);
    const first = reconnector.schedule()!;
    assert.equal(first.attempt, 1);
    assert.equal(first.delayMs, 250);
    assert.ok(Math.abs(first.at - (Date.now() + 250)) < 50);
    await new Promise((resolve) => setTimeout(resolve, 320));
    assert.equal(calls, 1);
    assert.equal(reconnector.pending, undefined);
    assert.equal(reconnector.schedule()!.attempt, 2);
    reconnector.cancel();
    await new Promise((resolve) => setTimeout(resolve, 350));
    assert.equal(calls, 1, 'a cancelled attempt never runs');
    reconnector.schedule();
    assert.equal(reconnector.schedule()!.attempt, 2);
    assert.equal(reconnector.schedule(), undefined, 'limit of 2 reached');
    reconnector.succeeded();
    assert.equal(reconnector.schedule()!.attempt, 1);
    reconnector.cancel();
  });
});
