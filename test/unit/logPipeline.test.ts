import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EntriesMessage, LogEntry } from '../../src/shared/protocol';

const entriesOf = (message: EntriesMessage) => decodeEntries(message.entries.json);
import { LogPipeline, MAX_BATCH_BYTES, PREVIEW_LIMIT, previewOf } from '../../src/core/logPipeline';
import { NdjsonRecorder } from '../../src/core/ndjsonRecorder';
import { decodeEntries, decodeEntryAt, encodeEntries, ENTRY_DECODER, EntryBatchWriter, entryEnd } from '../../src/shared/entryTransport';
import { MessageLog } from '../../src/shared/messageLog';

const message = (text: string): Omit<LogEntry, 'id'> =>
  ({ time: 1, kind: 'message', direction: 'received', frame: 'text', size: text.length, payload: { kind: 'text', text } });

function pipeline(capacity = 1000, intervalMs = 20) {
  const posts: EntriesMessage[] = [];
  let states = 0;
  const p = new LogPipeline(capacity, (m) => posts.push(m), () => states++, intervalMs);
  return { p, posts, states: () => states };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('LogPipeline', () => {
  test('gathers a burst into one post per interval, with state once', async () => {
    const { p, posts, states } = pipeline(10_000);
    p.setLive(true);
    for (let i = 0; i < 5000; i++) {
      p.add(message(`m${i}`));
      p.markStateDirty();
    }
    assert.equal(posts.length, 0, 'nothing posted synchronously');
    await sleep(60);
    assert.equal(posts.length, 1);
    assert.equal(entriesOf(posts[0]!).length, 5000);
    assert.deepEqual(entriesOf(posts[0]!).map((e) => e.id).slice(0, 3), [1, 2, 3]);
    assert.equal(states(), 1);
    p.dispose();
  });

  test('a post holds at most MAX_BATCH_BYTES (plus one entry); the rest follows, in order, after each acknowledgement', () => {
    const { p, posts } = pipeline(100_000);
    p.setLive(true);
    const text = 'z'.repeat(200);
    for (let i = 0; i < 20_000; i++) p.add(message(text));
    const ids: number[] = [];
    for (let round = 0; round < 40 && ids.length < 20_000; round++) {
      p.flush();
      const post = posts.at(-1)!;
      assert.ok(post.entries.json.byteLength <= MAX_BATCH_BYTES + 300, `post ${round}: ${post.entries.json.byteLength} bytes`);
      ids.push(...entriesOf(post).map((e) => e.id));
      p.acknowledge();
    }
    assert.ok(posts.length >= 4, `20,000 × 200 B take several posts, got ${posts.length}`);
    assert.deepEqual(ids, Array.from({ length: 20_000 }, (_, i) => i + 1));
    p.dispose();
  });

  test('the exact eviction count rides along with each batch', async () => {
    const { p, posts } = pipeline(100);
    p.setLive(true);
    for (let i = 0; i < 12_345 + 100; i++) p.add(message('x'));
    p.flush();
    assert.equal(posts[0]!.evicted, 12_345);
    assert.equal(p.log.size, 100);
    assert.equal(p.log.at(0)!.id, 12_346);
    p.clear();
    assert.equal(p.log.evicted, 0);
    p.dispose();
  });

  test('flow control: the next batch waits for the acknowledgement, and the wait is bounded by the capacity', async () => {
    const { p, posts } = pipeline(100, 10);
    p.setLive(true);
    p.add(message('first'));
    p.flush();
    assert.equal(posts.length, 1);
    for (let i = 0; i < 1000; i++) p.add(message(`m${i}`));
    await sleep(50);
    assert.equal(posts.length, 1, 'nothing more before the webview acknowledged');
    p.acknowledge();
    await sleep(50);
    assert.equal(posts.length, 2);
    const batch = entriesOf(posts[1]!);
    assert.equal(batch.length, 100, 'only what the webview would keep');
    assert.equal(batch.at(-1)!.id, 1001);
    assert.equal(batch[0]!.id, 902);
    assert.equal(posts[1]!.evicted, 901);
    p.dispose();
  });

  test('init takes the whole log and holds the next batch until acknowledged', async () => {
    const { p, posts } = pipeline(10, 10);
    p.setLive(true);
    for (let i = 0; i < 3; i++) p.add(message(`m${i}`));
    assert.deepEqual(decodeEntries(p.takeAll().json).map((e) => e.id), [1, 2, 3]);
    p.add(message('after'));
    await sleep(40);
    assert.equal(posts.length, 0);
    p.acknowledge();
    await sleep(40);
    assert.deepEqual(entriesOf(posts[0]!).map((e) => e.id), [4]);
    p.dispose();
  });

  test('nothing is queued for a webview that is not ready, but the log keeps everything', () => {
    const { p, posts } = pipeline();
    for (let i = 0; i < 10; i++) p.add(message('x'));
    p.flush();
    assert.equal(posts.length, 0);
    assert.equal(p.log.size, 10);
    p.dispose();
  });

  test('large payloads reach the webview as a marked preview; the log keeps all of it', () => {
    const big = 'a'.repeat(PREVIEW_LIMIT + 10);
    const { p, posts } = pipeline();
    p.setLive(true);
    const stored = p.add(message(big));
    p.flush();
    const sent = entriesOf(posts[0]!)[0]!;
    assert.equal(sent.truncated, true);
    assert.equal(sent.payload?.kind === 'text' && sent.payload.text.length, PREVIEW_LIMIT);
    assert.equal(sent.size, big.length);
    assert.deepEqual(p.log.get(stored.id), stored, 'the host keeps the whole entry');
    const small: LogEntry = { ...message('small'), id: 9 };
    assert.equal(previewOf(small), small, 'small entries are passed as they are');
    const bin: LogEntry = { id: 10, time: 0, kind: 'message', direction: 'received', frame: 'binary', size: 100_000, payload: { kind: 'binary', base64: 'A'.repeat(133_336) } };
    const cut = previewOf(bin);
    assert.equal(cut.truncated, true);
    assert.equal(cut.payload?.kind === 'binary' && cut.payload.base64.length % 4, 0);
    p.dispose();
  });

  test('Record to file streams every entry as NDJSON, even ones the webview never got', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wsd-record-'));
    try {
      const file = path.join(dir, 'log.ndjson');
      const errors: Error[] = [];
      const recorder = await NdjsonRecorder.open(file, (e) => errors.push(e));
      const { p } = pipeline(10);
      p.setSink(recorder);
      for (let i = 0; i < 25; i++) {
        // Received text also arrives as bytes (the panel's text sink); both kinds are recorded.
        if (i % 2) p.addReceivedText(1, new TextEncoder().encode(`line ${i} "quoted"\nnext`));
        else p.add(message(`line ${i} "quoted"\nnext`));
      }
      await sleep(40);
      p.add(message('last'));
      p.setSink(undefined);
      await recorder.close();
      const lines = (await readFile(file, 'utf8')).split('\n');
      assert.equal(lines.pop(), '', 'ends with a newline');
      assert.equal(lines.length, 26);
      const entries = lines.map((line) => JSON.parse(line) as LogEntry);
      assert.deepEqual(entries.map((e) => e.id), Array.from({ length: 26 }, (_, i) => i + 1));
      assert.deepEqual(entries[3]!.payload, { kind: 'text', text: 'line 3 "quoted"\nnext' });
      assert.deepEqual(entries[4]!.payload, { kind: 'text', text: 'line 4 "quoted"\nnext' });
      assert.equal(recorder.count, 26);
      assert.equal(p.log.size, 10, 'the log itself stays capped');
      assert.deepEqual(errors, []);
      p.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a file that cannot be created is refused when opening', async () => {
    await assert.rejects(NdjsonRecorder.open(path.join(tmpdir(), 'no-such-dir-wsd', 'x', 'log.ndjson'), () => undefined), /ENOENT/);
  });
});

describe('entry transport', () => {
  test('entries cross as exact-length UTF-8 JSON bytes and come back equal, as a view or an ArrayBuffer', () => {
    const entries: LogEntry[] = [
      { ...message('héllo "ünïcode" \u{1F600}'), id: 1 },
      { id: 2, time: 3, kind: 'close', direction: 'none', size: 0, detail: 'bye' },
      { id: 3, time: 4, kind: 'message', direction: 'sent', frame: 'binary', size: 3, payload: { kind: 'binary', base64: 'AAEC' } },
      { id: 4, time: 5, kind: 'message', direction: 'sent', frame: 'text', size: 2, payload: { kind: 'text', text: 'hi' }, truncated: true },
    ];
    const batch = encodeEntries(entries);
    const bytes = batch.json;
    assert.ok(bytes instanceof Uint8Array);
    assert.equal(bytes.byteOffset, 0);
    assert.equal(bytes.byteLength, bytes.buffer.byteLength, 'a buffer of its own');
    assert.deepEqual(decodeEntries(bytes), entries);
    assert.deepEqual(decodeEntries(bytes.buffer as ArrayBuffer), entries);
    assert.ok(new TextDecoder().decode(bytes).startsWith('[[1,1,1,'), 'a plain message crosses as a tuple');
    assert.equal(batch.firstId, 1);
    assert.deepEqual(entries.map((_, i) => decodeEntryAt(bytes, batch.starts[i]!, entryEnd(batch, i))), entries, 'each entry parses alone');
  });

  test('a mirror log keeps a batch as its bytes and gives back the same entries, across wrap-around and eviction', () => {
    const host = MessageLog.compact(1000);
    const mirror = MessageLog.encoded(50, ENTRY_DECODER);
    const writer = new EntryBatchWriter();
    let from = 0;
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < 9; i++) {
        if (i % 3 === 0) host.append({ time: round, kind: 'info', direction: 'none', size: 0, detail: `info ${round}.${i}` });
        else host.appendReceivedText(1_700_000_000_000 + i, new TextEncoder().encode(`{"round":${round},"i":${i}} ✓`));
      }
      const last = host.writeSince(from, 1000, writer, PREVIEW_LIMIT, previewOf);
      from = last + 1;
      const batch = writer.finish();
      assert.equal(batch.starts.length, 9);
      assert.equal(batch.starts.byteLength, batch.starts.buffer.byteLength, 'starts in a buffer of their own');
      for (let i = 0; i < batch.starts.length; i++) mirror.pushEncoded(batch.firstId + i, batch.json, batch.starts[i]!, entryEnd(batch, i), i);
    }
    assert.equal(mirror.size, 50);
    assert.equal(mirror.evicted, 108 - 50);
    assert.deepEqual(mirror.entries(), host.since(0, 1000).slice(-50));
    const scanned: LogEntry[] = [];
    mirror.scan(0, (entry) => scanned.push(entry));
    assert.deepEqual(scanned, mirror.entries(), 'a scan parses batch by batch and sees the same entries');
    const fromTen: number[] = [];
    mirror.scan(10, (entry) => fromTen.push(entry.id));
    assert.deepEqual(fromTen, mirror.entries().slice(10).map((e) => e.id));
    assert.equal(mirror.idAt(0), 59);
    assert.equal(mirror.idAt(50), undefined);
    assert.deepEqual(mirror.get(100), host.get(100));
    mirror.push({ id: 109, time: 1, kind: 'info', direction: 'none', size: 0, detail: 'an object again' });
    assert.equal(mirror.at(49)!.detail, 'an object again');
    assert.equal(mirror.idAt(49), 109);
    for (const log of [MessageLog.plain(5), MessageLog.compact(5)]) {
      assert.throws(() => log.pushEncoded(1, new Uint8Array(2), 0, 1, 0), /MessageLog.encoded/);
    }
  });
});

describe('batches written from the compact log', () => {
  const texts = [
    'plain ascii',
    'quote " inside',
    'back\\slash',
    'tab\tand\nnewline and \u0000 nul',
    `every control character: ${Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('')}\u007f`,
    'héllo ünïcode ✓ 日本',
    'emoji \u{1F600} (a surrogate pair: kept as a string, not packed)',
    'lone \uD800 surrogate',
    '',
    'x'.repeat(PREVIEW_LIMIT + 10),
    '\u2028 line separator \u2029',
  ];

  /** A compact log like the host's with every kind of entry in it, some evicted. */
  function filledLog() {
    const log = MessageLog.compact(40);
    for (let round = 0; round < 5; round++) {
      for (const text of texts) log.append({ ...message(text), time: 1_700_000_000_000 + round });
      log.append({ time: 2, kind: 'message', direction: 'sent', frame: 'binary', size: 3, payload: { kind: 'binary', base64: 'AAEC' } });
      log.append({ time: 3, kind: 'close', direction: 'none', size: 0, detail: `bye "${round}"` });
      log.append({ time: 4.5, kind: 'message', direction: 'received', frame: 'text', size: 2, payload: { kind: 'text', text: 'non-integer time' } });
    }
    return log;
  }

  test('decode to exactly the previews of the entries, in order, from any id and up to any count', () => {
    const log = filledLog();
    const writer = new EntryBatchWriter();
    for (const [from, max] of [[0, 1000], [log.at(5)!.id, 7], [log.at(log.size - 1)!.id, 10], [log.upcomingId, 10]] as const) {
      const last = log.writeSince(from, max, writer, PREVIEW_LIMIT, previewOf);
      const expected = log.since(from, max).map(previewOf);
      assert.equal(writer.size, expected.length);
      const batch = writer.finish();
      assert.deepEqual(decodeEntries(batch.json), expected);
      assert.deepEqual(expected.map((_, i) => decodeEntryAt(batch.json, batch.starts[i]!, entryEnd(batch, i))), expected);
      assert.equal(batch.firstId, expected[0]?.id ?? 0);
      assert.equal(last, expected.at(-1)?.id ?? 0);
      assert.equal(batch.json.byteLength, batch.json.buffer.byteLength, 'a buffer of its own');
    }
  });

  test('write the same bytes as encoding the entries (so the webview cannot tell the paths apart)', () => {
    const log = filledLog();
    const writer = new EntryBatchWriter();
    log.writeSince(0, log.size, writer, PREVIEW_LIMIT, previewOf);
    assert.deepEqual(writer.finish(), encodeEntries(log.entries().map(previewOf)));
  });

  test('an empty batch is an empty array, and the writer is reusable', () => {
    const writer = new EntryBatchWriter();
    assert.equal(new TextDecoder().decode(writer.finish().json), '[]');
    writer.entry({ ...message('a'), id: 9_007_199_254_740_991 });
    assert.deepEqual(decodeEntries(writer.finish().json).map((e) => e.id), [9_007_199_254_740_991]);
    const empty = writer.finish();
    assert.equal(new TextDecoder().decode(empty.json), '[]');
    assert.equal(empty.starts.length, 0);
  });

  test('whole numbers are written digit by digit exactly, up to 2^53 - 1', () => {
    const writer = new EntryBatchWriter();
    const source = new TextEncoder().encode('t');
    const numbers = [0, 1, 9, 10, 99, 100, 1_700_000_000_123, 999_999_999_999_999, 9_007_199_254_740_991];
    for (const n of numbers) assert.equal(writer.plainBytes(n, n, 1, n, source, 0, 1), true);
    assert.equal(writer.plainBytes(1.5, 1, 1, 1, source, 0, 1), false, 'not a whole number: left to entry()');
    assert.equal(writer.plainBytes(-1, 1, 1, 1, source, 0, 1), false);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(writer.finish().json)), numbers.map((n) => [n, n, 1, n, 't']));
  });
});
