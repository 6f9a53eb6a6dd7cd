import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeThroughput, formatRate, ThroughputHistory } from '../../src/shared/throughputHistory';
import type { Counters } from '../../src/shared/protocol';

const counters = (messagesReceived: number, messagesSent: number): Counters => ({ messagesReceived, messagesSent, bytesReceived: 0, bytesSent: 0 });

describe('ThroughputHistory', () => {
  it('makes one sample per whole second from the running counters', () => {
    const history = new ThroughputHistory();
    history.record(0, counters(0, 0), undefined);
    history.record(400, counters(50, 1), undefined);
    assert.deepEqual(history.samples(), [], 'no whole second yet');
    history.record(1000, counters(120, 3), 12);
    history.record(2000, counters(120, 3), 14.5);
    assert.deepEqual(history.samples(), [
      { received: 120, sent: 3, rttMs: 12 },
      { received: 0, sent: 0, rttMs: 14.5 },
    ]);
    assert.deepEqual(history.summary(), { seconds: 2, receivedPerSecond: 60, sentPerSecond: 1.5, rttMs: 14.5 });
  });

  it('spreads a late tick over the seconds it missed, and keeps the sub-second rest for the next', () => {
    const history = new ThroughputHistory();
    history.record(0, counters(0, 0), undefined);
    history.record(3500, counters(300, 30), undefined);
    assert.deepEqual(history.samples().map((s) => [s.received, s.sent]), [[100, 10], [100, 10], [100, 10]]);
    // The half second left over counts towards the fourth second.
    history.record(4000, counters(310, 30), undefined);
    assert.deepEqual(history.samples().at(-1), { received: 10, sent: 0, rttMs: undefined });
  });

  it('keeps the newest 60 seconds in its ring', () => {
    const history = new ThroughputHistory();
    history.record(0, counters(0, 0), undefined);
    for (let second = 1; second <= 75; second++) history.record(second * 1000, counters(second * (second + 1) / 2, 0), second);
    const samples = history.samples();
    assert.equal(samples.length, 60);
    assert.deepEqual(samples.map((s) => s.received), Array.from({ length: 60 }, (_, i) => i + 16));
    assert.equal(samples[0]!.rttMs, 16);
    assert.equal(history.summary().rttMs, 75);
    assert.equal(history.summary().receivedPerSecond, (16 + 75) / 2);
    // A gap longer than the ring keeps only the newest minute of it.
    history.record(200_000, counters(2850 + 125_000, 0), undefined);
    assert.equal(history.samples().length, 60);
    assert.ok(history.samples().every((s) => s.received === 1000 && s.rttMs === undefined));
  });

  it('a new connection (counters that went down) starts from zero; reset forgets everything', () => {
    const history = new ThroughputHistory(4);
    history.record(0, counters(500, 500), undefined);
    history.record(1000, counters(7, 2), undefined);
    assert.deepEqual(history.samples(), [{ received: 7, sent: 2, rttMs: undefined }]);
    history.reset();
    assert.deepEqual(history.samples(), []);
    assert.deepEqual(history.summary(), { seconds: 0, receivedPerSecond: 0, sentPerSecond: 0, rttMs: undefined });
  });
});

describe('describeThroughput', () => {
  it('says the minute in words, as the strip\'s accessible name', () => {
    assert.equal(
      describeThroughput({ seconds: 60, receivedPerSecond: 120.4, sentPerSecond: 3, rttMs: 12.2 }),
      'Last minute: 120 msg/s in, 3 msg/s out, RTT 12 ms',
    );
    assert.equal(
      describeThroughput({ seconds: 0, receivedPerSecond: 0, sentPerSecond: 0, rttMs: undefined }),
      'Last minute: 0 msg/s in, 0 msg/s out, no ping round trip yet',
    );
    assert.equal(describeThroughput({ seconds: 5, receivedPerSecond: 50_000, sentPerSecond: 0.2, rttMs: 0.8 }), 'Last minute: 50,000 msg/s in, 0.2 msg/s out, RTT 0.8 ms');
    assert.equal(formatRate(9.96), '10');
    assert.equal(formatRate(2.5), '2.5');
  });
});
