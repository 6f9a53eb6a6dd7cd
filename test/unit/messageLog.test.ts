import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogEntry } from '../../src/shared/protocol';
import { DEFAULT_LOG_CAPACITY, MessageLog } from '../../src/shared/messageLog';

function info(detail: string): Omit<LogEntry, 'id'> {
  return { time: 1_700_000_000_000, kind: 'info', direction: 'none', size: 0, detail };
}

const details = (log: MessageLog) => log.entries().map((e) => e.detail);
const ids = (log: MessageLog) => log.entries().map((e) => e.id);

describe('MessageLog', () => {
  test('starts empty with the default capacity', () => {
    assert.equal(DEFAULT_LOG_CAPACITY, 100_000);
    const log = MessageLog.plain();
    assert.equal(log.size, 0);
    assert.equal(log.evicted, 0);
    assert.deepEqual(log.entries(), []);
  });

  test('append assigns increasing ids from 1 and keeps the fields', () => {
    const log = MessageLog.plain(10);
    const entry = {
      time: 123,
      kind: 'message' as const,
      direction: 'received' as const,
      frame: 'text' as const,
      size: 2,
      payload: { kind: 'text' as const, text: 'hi' },
    };
    const expected = { ...entry, id: 1 };
    assert.deepEqual(log.append(entry), expected);
    assert.equal(log.append(info('b')).id, 2);
    assert.equal(log.size, 2);
    assert.deepEqual(log.entries()[0], expected);
    assert.equal(log.entries()[0], entry, 'the log keeps the object it was given (no copy)');
  });

  test('drops the oldest entries beyond capacity and counts them exactly', () => {
    const log = MessageLog.plain(3);
    for (const d of ['a', 'b', 'c']) log.append(info(d));
    assert.equal(log.evicted, 0);
    log.append(info('d'));
    assert.deepEqual(details(log), ['b', 'c', 'd']);
    assert.deepEqual(ids(log), [2, 3, 4]);
    assert.equal(log.size, 3);
    assert.equal(log.evicted, 1);
    for (const d of ['e', 'f', 'g', 'h', 'i']) log.append(info(d));
    assert.deepEqual(details(log), ['g', 'h', 'i']);
    assert.deepEqual(ids(log), [7, 8, 9]);
    assert.equal(log.evicted, 6);
  });

  test('a capacity of 1 keeps only the last entry', () => {
    const log = MessageLog.plain(1);
    log.append(info('a'));
    log.append(info('b'));
    assert.deepEqual(details(log), ['b']);
    assert.equal(log.evicted, 1);
  });

  test('entries() returns a copy', () => {
    const log = MessageLog.plain(5);
    log.append(info('a'));
    const copy = log.entries();
    copy.pop();
    assert.equal(log.entries().length, 1);
  });

  test('clear empties the log, resets the eviction count, and ids keep increasing', () => {
    const log = MessageLog.plain(2);
    for (const d of ['a', 'b', 'c']) log.append(info(d));
    assert.equal(log.evicted, 1);
    log.clear();
    assert.equal(log.size, 0);
    assert.equal(log.evicted, 0);
    assert.deepEqual(log.entries(), []);
    assert.equal(log.append(info('d')).id, 4);
    for (const d of ['e', 'f']) log.append(info(d));
    assert.deepEqual(details(log), ['e', 'f']);
    assert.deepEqual(ids(log), [5, 6]);
    assert.equal(log.evicted, 1);
  });

  test('refuses a capacity that is not a positive whole number', () => {
    for (const capacity of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => MessageLog.plain(capacity), RangeError, String(capacity));
    }
  });

  test('appending to a full log costs the same whatever the capacity (no shifting)', () => {
    // Compared with a tiny log rather than a fixed time budget, so a slow machine cannot fail it;
    // shifting a 100,000-slot array on every append would be hundreds of times slower.
    const timeAppends = (capacity: number) => {
      const log = MessageLog.plain(capacity);
      const entry = info('x');
      for (let i = 0; i < capacity; i++) log.append(entry);
      let best = Infinity;
      for (let round = 0; round < 3; round++) {
        const started = performance.now();
        for (let i = 0; i < 20_000; i++) log.append(entry);
        best = Math.min(best, performance.now() - started);
      }
      assert.equal(log.size, capacity);
      assert.equal(log.evicted, 60_000);
      assert.equal(log.entries()[capacity - 1].id, capacity + 60_000);
      return best;
    };
    const small = timeAppends(10);
    const large = timeAppends(100_000);
    assert.ok(large < small * 10 + 50, `capacity 100000: ${large} ms, capacity 10: ${small} ms`);
  });
});

describe('MessageLog lookups and mirrors', () => {
  test('at() indexes from the oldest kept entry and get() finds ids still kept', () => {
    const log = MessageLog.plain(3);
    for (const d of ['a', 'b', 'c', 'd', 'e']) log.append(info(d));
    assert.deepEqual([0, 1, 2].map((i) => log.at(i)?.detail), ['c', 'd', 'e']);
    assert.equal(log.at(3), undefined);
    assert.equal(log.at(-1), undefined);
    assert.equal(log.get(4)?.detail, 'd');
    assert.equal(log.get(2), undefined, 'evicted');
    assert.equal(log.get(6), undefined, 'not yet');
  });

  test('push keeps the ids it is given, evicts like append, and append continues after them', () => {
    const mirror = MessageLog.plain(2);
    mirror.push({ ...info('x'), id: 41 });
    mirror.push({ ...info('y'), id: 42 });
    mirror.push({ ...info('z'), id: 43 });
    assert.deepEqual(ids(mirror), [42, 43]);
    assert.equal(mirror.evicted, 1);
    assert.equal(mirror.append(info('w')).id, 44);
    assert.equal(mirror.capacity, 2);
  });

  test('a compact log gives back every kind of entry whole, across wrap-around, growth and clear', () => {
    const message = (i: number): Omit<LogEntry, 'id'> => i % 3 === 0
      ? { time: 1_700_000_000_000 + i, kind: 'message', direction: 'sent', frame: 'binary', size: 3, payload: { kind: 'binary', base64: `AAA${i}` } }
      : { time: 1_700_000_000_000 + i, kind: 'message', direction: 'received', frame: 'text', size: i, payload: { kind: 'text', text: `m${i}` } };
    const odd: Omit<LogEntry, 'id'>[] = [
      info('not a message'),
      { time: 5, kind: 'message', direction: 'received', frame: 'text', size: 9, payload: { kind: 'text', text: 'cut' }, truncated: true },
      { time: 6, kind: 'event', direction: 'received', size: 1, event: { name: 'e', args: [{ kind: 'text', text: '1' }] } },
    ];
    const plain = MessageLog.plain(1500);
    const compact = MessageLog.compact(1500);
    for (let i = 0; i < 4000; i++) {
      const entry = i % 1000 < 3 ? odd[i % 1000] as Omit<LogEntry, 'id'> : message(i);
      plain.append(structuredClone(entry));
      compact.append(structuredClone(entry));
    }
    assert.equal(compact.size, 1500);
    assert.equal(compact.evicted, 2500);
    assert.deepEqual(compact.entries(), plain.entries());
    assert.deepEqual(compact.get(3001), plain.get(3001));
    assert.equal(compact.get(2500), undefined, 'evicted');
    assert.deepEqual(compact.since(3999, 10).map((e) => e.id), [3999, 4000]);
    assert.deepEqual(compact.since(0, 2).map((e) => e.id), [2501, 2502]);
    assert.equal(compact.upcomingId, 4001);
    compact.clear();
    assert.deepEqual(compact.entries(), []);
    assert.equal(compact.append(message(1)).id, 4001);
    assert.deepEqual(compact.at(0), { ...message(1), id: 4001 });
  });

  test('received text appended as UTF-8 bytes reads back as the entry it stands for, in both kinds of log', () => {
    const texts = ['plain', 'héllo ✓ 日本 \u{1F600}', '', 'q"\\\n', 'x'.repeat(300_000)];
    const utf8 = (text: string) => new TextEncoder().encode(text);
    for (const make of [MessageLog.plain, MessageLog.compact]) {
      const log = make(4);
      log.append(info('first'));
      for (const text of texts) log.appendReceivedText(1_700_000_000_000, utf8(text));
      assert.equal(log.size, 4);
      assert.equal(log.evicted, 2);
      assert.deepEqual(log.entries(), texts.slice(1).map((text, i) => ({
        id: i + 3, time: 1_700_000_000_000, kind: 'message', direction: 'received', frame: 'text', size: utf8(text).length,
        payload: { kind: 'text', text },
      })));
      assert.equal(log.append(info('after')).id, 7, 'ids go on');
    }
  });

  test('sent text appended as UTF-8 bytes reads back as a sent entry, in both kinds of log', () => {
    const utf8 = new TextEncoder().encode('flood ✓');
    for (const make of [MessageLog.plain, MessageLog.compact]) {
      const log = make(4);
      log.appendSentText(5, utf8);
      log.appendReceivedText(6, utf8);
      assert.deepEqual(log.entries().map((e) => [e.direction, e.time, e.size, e.payload]), [
        ['sent', 5, utf8.length, { kind: 'text', text: 'flood ✓' }],
        ['received', 6, utf8.length, { kind: 'text', text: 'flood ✓' }],
      ]);
    }
  });

  test('a compact log frees the arena chunks of received text it evicts', () => {
    const log = MessageLog.compact(100);
    const text = new TextEncoder().encode('y'.repeat(10_000));
    for (let i = 0; i < 5000; i++) log.appendReceivedText(i, text);
    assert.equal(log.size, 100);
    // 100 texts of 10 kB need one or two 1 MiB chunks (plus the one being filled).
    assert.ok((log as unknown as { arena: { chunkCount: number } }).arena.chunkCount <= 3);
  });
});
