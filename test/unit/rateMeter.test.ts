import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Counters } from '../../src/shared/protocol';
import { RateMeter, ZERO_RATES } from '../../src/shared/rateMeter';

const counters = (messagesReceived: number, bytesReceived: number, messagesSent = 0, bytesSent = 0): Counters =>
  ({ messagesReceived, bytesReceived, messagesSent, bytesSent });

describe('RateMeter', () => {
  test('no traffic, or a single sample, is zero', () => {
    const meter = new RateMeter();
    assert.deepEqual(meter.rates(0), ZERO_RATES);
    meter.sample(0, counters(10, 100));
    assert.deepEqual(meter.rates(500), ZERO_RATES);
  });

  test('computes messages and bytes per second in each direction over the last second', () => {
    const meter = new RateMeter(1000);
    for (let t = 0; t <= 3000; t += 100) meter.sample(t, counters(t * 5, t * 320, t, t * 2));
    const rates = meter.rates(3000);
    assert.equal(Math.round(rates.messagesReceivedPerSecond), 5000);
    assert.equal(Math.round(rates.bytesReceivedPerSecond), 320_000);
    assert.equal(Math.round(rates.messagesSentPerSecond), 1000);
    assert.equal(Math.round(rates.bytesSentPerSecond), 2000);
  });

  test('falls to zero once traffic stops and samples keep coming', () => {
    const meter = new RateMeter(1000);
    meter.sample(0, counters(0, 0));
    meter.sample(1000, counters(1000, 1000));
    assert.equal(Math.round(meter.rates(1000).messagesReceivedPerSecond), 1000);
    meter.sample(2000, counters(1000, 1000));
    meter.sample(3000, counters(1000, 1000));
    assert.equal(meter.rates(3000).messagesReceivedPerSecond, 0);
  });

  test('decays when no sample arrives, and counters going down (a new connection) start over', () => {
    const meter = new RateMeter(1000);
    meter.sample(0, counters(0, 0));
    meter.sample(1000, counters(1000, 0));
    assert.ok(meter.rates(4000).messagesReceivedPerSecond < 300);
    meter.sample(5000, counters(3, 0));
    assert.deepEqual(meter.rates(5000), ZERO_RATES);
  });
});
