import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogEntry } from '../../src/shared/protocol';
import { compileFilter, forgetBatchTexts, NO_FILTER, searchableText, type CompiledFilter, type LogFilterSpec } from '../../src/shared/logFilter';
import { encodeEntries, ENTRY_DECODER, entryEnd } from '../../src/shared/entryTransport';
import { MessageLog } from '../../src/shared/messageLog';

let nextId = 1;
function text(direction: 'sent' | 'received', body: string, extra: Partial<LogEntry> = {}): LogEntry {
  return { id: nextId++, time: 0, kind: 'message', direction, frame: 'text', size: body.length, payload: { kind: 'text', text: body }, ...extra };
}
const binary = (direction: 'sent' | 'received'): LogEntry =>
  ({ id: nextId++, time: 0, kind: 'message', direction, frame: 'binary', size: 3, payload: { kind: 'binary', base64: 'AAEC' } });
const ping: LogEntry = { id: 900, time: 0, kind: 'ping', direction: 'sent', frame: 'binary', size: 0 };
const closeEntry: LogEntry = { id: 901, time: 0, kind: 'close', direction: 'none', size: 0, detail: 'Closed by server: 1000 Normal Closure (clean)' };

function compiled(spec: Partial<LogFilterSpec>): CompiledFilter {
  const result = compileFilter({ ...NO_FILTER, ...spec });
  assert.ok(result.ok, 'compiles');
  return result.filter;
}

describe('logFilter', () => {
  const log: LogEntry[] = [
    text('sent', '{"op":"subscribe","channel":"BTC-USD"}'),
    text('received', '{"type":"ticker","price":"42000.5"}'),
    text('received', 'heartbeat'),
    binary('received'),
    ping,
    closeEntry,
    {
      id: nextId++,
      time: 0,
      kind: 'event',
      direction: 'received',
      size: 13,
      event: { name: 'chat', args: [{ kind: 'text', text: '{"text":"hi"}' }] },
    },
  ];
  const ids = (filter: CompiledFilter) => log.filter((e) => filter.test(e)).map((e) => e.id);

  test('no criteria: inactive, everything passes, nothing highlighted', () => {
    const filter = compiled({});
    assert.equal(filter.active, false);
    assert.equal(ids(filter).length, log.length);
    assert.deepEqual(filter.ranges('anything'), []);
  });

  test('plain text is case-insensitive and searches payload text, details and event names', () => {
    assert.deepEqual(ids(compiled({ text: 'TICKER' })), [log[1]!.id]);
    assert.deepEqual(ids(compiled({ text: 'normal closure' })), [closeEntry.id]);
    assert.deepEqual(ids(compiled({ text: 'chat' })), [log[6]!.id]);
    assert.deepEqual(ids(compiled({ text: '"hi"' })), [log[6]!.id], 'event arguments are searched');
    assert.equal(searchableText(log[6]!), 'chat\n{"text":"hi"}');
  });

  test('plain text is literal: regex characters mean themselves', () => {
    assert.deepEqual(ids(compiled({ text: '42000.5' })), [log[1]!.id]);
    assert.deepEqual(ids(compiled({ text: '.*' })), []);
  });

  test('regex mode matches patterns, and a broken pattern is an error in words', () => {
    assert.deepEqual(ids(compiled({ text: '"price":"\\d+\\.\\d"', regex: true })), [log[1]!.id]);
    assert.deepEqual(ids(compiled({ text: '^heart', regex: true })), [log[2]!.id]);
    const broken = compileFilter({ ...NO_FILTER, text: '(unclosed', regex: true });
    assert.equal(broken.ok, false);
    assert.match(broken.ok ? '' : broken.error, /^Not a valid regular expression/);
  });

  test('direction, frame type and event name narrow the log, combined with AND', () => {
    assert.deepEqual(ids(compiled({ direction: 'sent' })), [log[0]!.id, ping.id]);
    assert.deepEqual(ids(compiled({ frame: 'binary' })), [log[3]!.id]);
    assert.deepEqual(ids(compiled({ frame: 'control' })), [ping.id]);
    assert.deepEqual(ids(compiled({ frame: 'lifecycle' })), [closeEntry.id]);
    assert.deepEqual(ids(compiled({ frame: 'text', direction: 'received' })), [log[1]!.id, log[2]!.id, log[6]!.id]);
    assert.deepEqual(ids(compiled({ event: 'CHA' })), [log[6]!.id]);
    assert.deepEqual(ids(compiled({ event: 'chat', text: 'nothing like this' })), []);
    assert.equal(compiled({ direction: 'received' }).active, true);
  });

  test('ranges give every match for highlighting, plain and regex', () => {
    assert.deepEqual(compiled({ text: 'ab' }).ranges('xABab-ab'), [[1, 3], [3, 5], [6, 8]]);
    assert.deepEqual(compiled({ text: '\\d+', regex: true }).ranges('a1b22c333'), [[1, 2], [3, 5], [6, 9]]);
    // An empty match cannot loop forever.
    assert.deepEqual(compiled({ text: 'x*', regex: true }).ranges('abc'), []);
  });

  test('filters 100,000 entries well under 200 ms', () => {
    const many: LogEntry[] = [];
    for (let i = 0; i < 100_000; i++) {
      many.push(text(i % 2 ? 'received' : 'sent', `{"seq":${i},"symbol":"SYM${i % 500}","price":${(i * 1.01).toFixed(2)}}`));
    }
    for (const spec of [{ text: 'sym42"' }, { text: '"SYM4\\d"', regex: true }, { direction: 'received' as const, text: 'price' }]) {
      const filter = compiled(spec);
      let best = Infinity;
      let matched = 0;
      // CPU time of this process, not wall time: other processes on a busy machine do not count.
      for (let round = 0; round < 3; round++) {
        const started = process.cpuUsage();
        matched = 0;
        for (const entry of many) if (filter.test(entry)) matched++;
        const used = process.cpuUsage(started);
        best = Math.min(best, (used.user + used.system) / 1000);
      }
      assert.ok(matched > 0, `${JSON.stringify(spec)} matches something`);
      assert.ok(best < 150, `${JSON.stringify(spec)}: ${best.toFixed(1)} ms`);
    }
  });
});

describe('logFilter candidates over batch bytes', () => {
  // Texts that JSON escapes, case changes, multi-byte characters, the Kelvin sign and the long s
  // (which a case-insensitive `u` pattern finds for k and s), and plain flood messages.
  const texts = [
    '{"seq":12,"sym":"SYM12"}',
    'Tab\there "quoted" back\\slash',
    'line\nbreak \u0001 control',
    'ÄÖÜ straße café',
    'temperature 300\u212A',
    'mi\u017Fsing',
    'HEARTBEAT',
    'heartbeat',
    'emoji 😀 and "seq":12,',
    // Runs of backslashes and the letters of \u escapes, for where an escape begins and ends.
    'slashes \\\\ \\u0041 \\\\\\n end \u001f\u001fx \\\u0002u0002',
  ];
  const entries: LogEntry[] = [];
  let id = 1;
  for (let round = 0; round < 40; round++) {
    for (const [i, body] of texts.entries()) {
      entries.push({ id: id++, time: 1000 + round, kind: 'message', direction: i % 2 ? 'sent' : 'received', frame: 'text', size: body.length, payload: { kind: 'text', text: `${body} #${round}` } });
    }
    entries.push({ id: id++, time: 0, kind: 'info', direction: 'none', size: 0, detail: `Detail with "Quotes" and K ${round}` });
    // Base64 is never searched, even where its letters spell the criterion.
    entries.push({ id: id++, time: 2000, kind: 'message', direction: 'received', frame: 'binary', size: 9, payload: { kind: 'binary', base64: 'heartbeatnbreak12' } });
    entries.push({ id: id++, time: 2000, kind: 'message', direction: 'sent', frame: 'binary', size: 4, payload: { kind: 'text', text: 'text in a binary frame 12' } });
  }

  /** A webview-style log: the entries as the bytes of batches of `size`. */
  function encodedLog(size: number): MessageLog {
    const log = MessageLog.encoded(entries.length, ENTRY_DECODER);
    for (let from = 0; from < entries.length; from += size) {
      const batch = encodeEntries(entries.slice(from, from + size));
      for (let i = 0; i < batch.starts.length; i++) log.pushEncoded(batch.firstId + i, batch.json, batch.starts[i]!, entryEnd(batch, i), i);
    }
    return log;
  }

  const needles = ['"seq":12,', 'nbreak', 'n\u0001', '12', 'seq":1', '1000', '\\', 'u00', 'e "q', 'heartbeat', 'tab\t', '"quoted"', 'back\\slash', '\n', 'K', 'k', 's', 'ß', 'café', '😀', '#3', 'quotes', 'u0001', 'zzz', 'n', 'u0041', '\\u', 'u001f', '\u001fx', 'fx', '\\n', 'u0002', '\\\\'];
  for (const size of [1, 7, 1000]) {
    test(`a scan with candidates finds exactly what a full scan finds (batches of ${size})`, () => {
      const log = encodedLog(size);
      for (const text of needles) {
        for (const [direction, frame] of [['any', 'any'], ['sent', 'any'], ['any', 'binary'], ['received', 'text']] as const) {
          const filter = compiled({ text, direction, frame });
          const full: number[] = [];
          log.scan(0, (entry) => filter.test(entry) && full.push(entry.id));
          const quick: number[] = [];
          log.matchIds(filter, (matched) => quick.push(matched));
          assert.deepEqual(quick, full, `${JSON.stringify(text)} ${direction} ${frame}`);
        }
      }
    });
  }

  test('a selective needle parses few entries; a regex or a non-ASCII needle cannot tell from bytes', () => {
    const batch = encodeEntries(entries);
    assert.equal(compiled({ text: 'zzz' }).candidates(batch.json)?.length, 0);
    const ascii = entries.filter((e) => !/[^\x00-\x7f]/.test(JSON.stringify(e)));
    // In ASCII-only bytes every occurrence is an offset: one per round of the first text.
    assert.equal(compiled({ text: '"seq":12,' }).candidates(encodeEntries(ascii).json)?.length, 40);
    assert.equal(compiled({ text: 'seq', regex: true }).candidates(batch.json), undefined);
    assert.equal(compiled({ text: 'café' }).candidates(batch.json), undefined);
    // A k or an s could be the Kelvin sign or the long s in a batch with non-ASCII bytes.
    assert.equal(compiled({ text: 'k' }).candidates(batch.json), undefined);
    assert.notEqual(compiled({ text: 'k' }).candidates(encodeEntries(entries.slice(0, 1)).json), undefined);
  });

  test('the texts kept between filters give the same candidates as decoding afresh, and can be dropped', () => {
    const batch = encodeEntries(entries);
    for (const text of ['"seq":12,', 'k', 's', 'heartbeat', 'zzz']) {
      const fresh = compiled({ text }).candidates(batch.json, false);
      assert.deepEqual(compiled({ text }).candidates(batch.json, true), fresh, `kept first: ${text}`);
      assert.deepEqual(compiled({ text }).candidates(batch.json, true), fresh, `from the kept text: ${text}`);
      forgetBatchTexts();
      assert.deepEqual(compiled({ text }).candidates(batch.json, true), fresh, `after dropping: ${text}`);
    }
    forgetBatchTexts();
  });
});
