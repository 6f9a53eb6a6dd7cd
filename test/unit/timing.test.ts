import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closeCodeMeaning } from '../../src/shared/closeMeaning';
import { formatMs, handshakeTiming } from '../../src/shared/timing';

describe('handshakeTiming', () => {
  it('splits a wss handshake into DNS, TCP, TLS and Upgrade', () => {
    assert.deepEqual(handshakeTiming({ start: 100, lookup: 102.04, connect: 110, secureConnect: 130.5, response: 140 }), {
      dnsMs: 2,
      tcpMs: 8,
      tlsMs: 20.5,
      upgradeMs: 9.5,
      totalMs: 40,
    });
  });

  it('has no DNS phase for an IP address and no TLS phase for ws', () => {
    assert.deepEqual(handshakeTiming({ start: 0, connect: 1.5, response: 4 }), { tcpMs: 1.5, upgradeMs: 2.5, totalMs: 4 });
  });

  it('leaves out phases that never ended (a refused TCP connect)', () => {
    assert.deepEqual(handshakeTiming({ start: 0, lookup: 3 }), { dnsMs: 3 });
  });

  it('formats milliseconds and seconds', () => {
    assert.equal(formatMs(0.04), '0.0 ms');
    assert.equal(formatMs(12.345), '12.3 ms');
    assert.equal(formatMs(1500), '1.50 s');
  });
});

describe('closeCodeMeaning', () => {
  it('names the code and says what it means', () => {
    assert.equal(closeCodeMeaning(1006), '1006 Abnormal Closure: no Close frame: the connection was lost or dropped');
    assert.equal(closeCodeMeaning(1000), '1000 Normal Closure: the purpose of the connection was fulfilled');
  });

  it('falls back to the name alone for application codes', () => {
    assert.equal(closeCodeMeaning(4001), '4001 Private use');
  });
});
