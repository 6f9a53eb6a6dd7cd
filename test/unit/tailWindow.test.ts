import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LogPipeline, MAX_BATCH_BYTES, WINDOW_FLUSH_INTERVAL_MS } from '../../src/core/logPipeline';
import { decodeEntries, ENTRY_DECODER } from '../../src/shared/entryTransport';
import { MessageLog } from '../../src/shared/messageLog';
import type { EntriesMessage, LogEntry } from '../../src/shared/protocol';
import { BACKGROUND_FILL_BYTES, keepBatch, OlderPages, TAIL_WINDOW, TailWindow } from '../../src/shared/tailWindow';

const message = (text: string): Omit<LogEntry, 'id'> =>
  ({ time: 1_700_000_000_000, kind: 'message', direction: 'received', frame: 'text', size: text.length, payload: { kind: 'text', text } });

/** The webview's side of the pipeline, as LogView does it: a window replaces the log, older pages go before it. */
class Mirror {
  log: MessageLog;
  private readonly older: OlderPages;
  notLoaded = 0;

  constructor(readonly capacity: number) {
    this.log = MessageLog.encoded(capacity, ENTRY_DECODER);
    this.older = new OlderPages(capacity);
  }

  take(post: EntriesMessage): void {
    if (post.window) {
      this.log = MessageLog.encoded(this.capacity, ENTRY_DECODER);
      this.older.drop();
    }
    keepBatch(this.log, post.entries);
    if (post.older) this.log = this.older.add(post.older, post.olderDone === true, this.log) ?? this.log;
    this.notLoaded = post.notLoaded ?? 0;
  }

  ids(): number[] {
    return Array.from({ length: this.log.size }, (_, i) => this.log.idAt(i) as number);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function consecutive(ids: readonly number[]): boolean {
  return ids.every((id, i) => i === 0 || id === (ids[i - 1] as number) + 1);
}

/** A pipeline whose posts the test drives by hand (flush, then acknowledge), and the webview's mirror of it. */
function rig(capacity: number) {
  const posts: EntriesMessage[] = [];
  const p = new LogPipeline(capacity, (m) => posts.push(m), () => undefined, 1_000_000);
  const mirror = new Mirror(capacity);
  p.setLive(true);
  const round = (tail: boolean): EntriesMessage | undefined => {
    const before = posts.length;
    p.flush();
    const post = posts.length > before ? posts.at(-1) : undefined;
    if (post) {
      mirror.take(post);
      p.acknowledge(tail);
    }
    return post;
  };
  return { p, posts, mirror, round };
}

describe('TailWindow (the host bookkeeping)', () => {
  test('skips ahead only for a webview that follows the tail, and only past a window', () => {
    const w = new TailWindow(100, 1000, 10);
    assert.deepEqual(w.tailStart(1, 500), { from: 1, skipped: false }, 'not following: everything goes');
    w.tail = true;
    assert.deepEqual(w.tailStart(1, 101), { from: 1, skipped: false }, 'a window or less: everything goes');
    assert.equal(w.hasHole, false);
    assert.deepEqual(w.tailStart(1, 502), { from: 402, skipped: true });
    assert.equal(w.hasHole, true);
    assert.equal(w.notLoaded(1), 401);
    assert.equal(w.notLoaded(300), 102, 'evicted entries are not counted as still to come');
  });

  test('the hole waits while the flood goes on, then goes in bounded pages, at once in full ones when asked', () => {
    const w = new TailWindow(100, 1000, 10);
    w.tail = true;
    w.tailStart(1, 1001);
    assert.equal(w.fillRange(1, 900), undefined, 'a flood: no page');
    assert.equal(w.fillRange(1, 26), undefined, 'more than a quarter of a window between posts is still a flood');
    assert.deepEqual(w.fillRange(1, 25), { from: 1, count: 900, maxBytes: 10 }, 'slowed: a background page');
    assert.equal(w.filled({ from: 1, count: 900, maxBytes: 10 }, 300), false);
    assert.deepEqual(w.fillRange(1, 900), { from: 301, count: 600, maxBytes: 10 }, 'once started the fill goes on');
    w.tail = false;
    assert.deepEqual(w.fillRange(1, 900), { from: 301, count: 600, maxBytes: 1000 }, 'not following: full pages');
    assert.equal(w.filled({ from: 301, count: 600, maxBytes: 1000 }, 900), true);
    assert.equal(w.hasHole, false);
    assert.equal(w.fillRange(1, 0), undefined);
  });

  test('a hole the host evicted meanwhile ends with an empty last page', () => {
    const w = new TailWindow(100, 1000, 10);
    w.tail = true;
    w.tailStart(1, 1001);
    const range = w.fillRange(950, 0);
    assert.deepEqual(range, { from: 950, count: 0, maxBytes: 10 });
    assert.equal(w.filled(range!, 0), true);
    assert.equal(w.hasHole, false);
  });

  test('a new window replaces the hole and starts its fill again', () => {
    const w = new TailWindow(100, 1000, 10);
    w.tail = true;
    w.tailStart(1, 1001);
    w.filled(w.fillRange(1, 0)!, 500);
    w.tailStart(1001, 2001);
    assert.equal(w.notLoaded(1), 1900, 'the webview dropped the page it had');
    assert.equal(w.fillRange(1, 0)!.from, 1);
  });
});

describe('LogPipeline with a tail window, and the webview mirror', () => {
  test('during a flood each post carries a window; once it slows the mirror ends equal to the host log', () => {
    const { p, posts, mirror, round } = rig(100_000);
    let sent = 0;
    p.acknowledge(true);
    for (let r = 0; r < 20; r++) {
      for (let i = 0; i < 3 * TAIL_WINDOW; i++) p.add(message(`{"seq":${sent++},"px":1.5}`));
      const post = round(true)!;
      assert.equal(post.window, true, `round ${r}: a window`);
      assert.equal(post.entries.starts.length, TAIL_WINDOW);
      assert.equal(post.older, undefined, 'no page of the hole during the flood');
      assert.ok(consecutive(mirror.ids()), 'the mirror never has a gap');
      assert.equal(mirror.ids().at(-1), p.log.upcomingId - 1, 'the mirror has the newest entry');
      assert.equal(mirror.notLoaded, p.log.size - TAIL_WINDOW);
    }
    const floodBytes = posts.reduce((sum, post) => sum + post.entries.json.byteLength, 0);
    // The flood slowed: a few entries a post, and the hole in bounded pages between them.
    let pages = 0;
    for (let r = 0; r < 1000 && mirror.log.size < p.log.size; r++) {
      p.add(message(`{"seq":${sent++},"px":1.5}`));
      const post = round(true)!;
      assert.equal(post.window, undefined);
      if (post.older) {
        pages++;
        assert.ok(post.older.json.byteLength <= BACKGROUND_FILL_BYTES + 200, `a background page is bounded: ${post.older.json.byteLength}`);
      }
      assert.ok(consecutive(mirror.ids()));
    }
    assert.ok(pages > 1, `the hole took several pages, got ${pages}`);
    assert.equal(mirror.notLoaded, 0);
    assert.deepEqual(mirror.ids(), Array.from({ length: p.log.size }, (_, i) => i + 1));
    for (const index of [0, 1, 9_999, 30_000, p.log.size - 1]) assert.deepEqual(mirror.log.at(index), p.log.at(index));
    assert.ok(floodBytes < 60 * TAIL_WINDOW * 21, `the flood's posts were windows: ${floodBytes} bytes`);
    p.dispose();
  });

  test('a webview that stops following gets the hole at once in full pages, and the new entries meanwhile', () => {
    const { p, mirror, round } = rig(100_000);
    p.acknowledge(true);
    for (let i = 0; i < 60_000; i++) p.add(message('x'.repeat(60)));
    assert.equal(round(true)!.window, true);
    for (let i = 0; i < 60_000; i++) p.add(message('y'.repeat(60)));
    // The user scrolled up: the next acknowledgement says so.
    const next = round(false)!;
    assert.equal(next.window, true, 'this post was decided before the webview said');
    for (let i = 0; i < 5_000; i++) p.add(message('z'));
    const post = round(false)!;
    assert.equal(post.window, undefined, 'no window for a webview that does not follow');
    assert.equal(post.entries.starts.length, 5_000, 'new entries keep coming');
    assert.ok(post.older && post.older.json.byteLength > BACKGROUND_FILL_BYTES, 'a full page');
    assert.ok(post.older.json.byteLength <= MAX_BATCH_BYTES + 200);
    for (let r = 0; r < 50 && mirror.log.size < p.log.size; r++) round(false);
    assert.deepEqual(mirror.ids(), Array.from({ length: 100_000 }, (_, i) => p.log.upcomingId - 100_000 + i));
    assert.deepEqual(mirror.log.at(0), p.log.at(0));
    assert.deepEqual(decodeEntries(post.older.json)[0], p.log.get(decodeEntries(post.older.json)[0]!.id));
    p.dispose();
  });

  test('entries of the hole the host evicts meanwhile are not waited for', () => {
    const capacity = 2_000;
    const { p, mirror, round } = rig(capacity);
    p.acknowledge(true);
    for (let i = 0; i < 5_000; i++) p.add(message('a'));
    p.acknowledge(true);
    // A slow page by page fill, while more arrive than the log keeps.
    round(false);
    for (let r = 0; r < 200; r++) {
      for (let i = 0; i < 100; i++) p.add(message('b'));
      round(false);
      assert.ok(consecutive(mirror.ids()));
      assert.ok(mirror.log.size <= capacity);
    }
    assert.deepEqual(mirror.ids(), Array.from({ length: capacity }, (_, i) => (p.log.idAt(0) as number) + i));
    assert.equal(mirror.notLoaded, 0);
    p.dispose();
  });

  test('while a flood goes as windows, posts are gathered for WINDOW_FLUSH_INTERVAL_MS, then for the usual interval again', async () => {
    const posts: EntriesMessage[] = [];
    const p = new LogPipeline(100_000, (m) => posts.push(m), () => undefined, 10);
    p.setLive(true);
    p.acknowledge(true);
    for (let i = 0; i < 5_000; i++) p.add(message('a'));
    await sleep(40);
    assert.equal(posts.length, 1);
    assert.equal(posts[0]!.window, true);
    p.acknowledge(true);
    for (let i = 0; i < 5_000; i++) p.add(message('b'));
    await sleep(WINDOW_FLUSH_INTERVAL_MS / 2);
    assert.equal(posts.length, 1, 'the next window waits');
    await sleep(WINDOW_FLUSH_INTERVAL_MS);
    assert.equal(posts.length, 2);
    assert.equal(posts[1]!.window, true);
    p.acknowledge(true);
    // The flood is over: the hole goes at the usual pace.
    await sleep(WINDOW_FLUSH_INTERVAL_MS + 20);
    assert.equal(posts.length, 3);
    assert.ok(posts[2]!.older, 'a page of the hole');
    p.acknowledge(true);
    p.add(message('c'));
    await sleep(40);
    assert.equal(posts.length, 4, 'filling: the usual interval');
    p.dispose();
  });

  test('init, clear and a webview that goes away forget the hole', () => {
    const { p, posts, round } = rig(10_000);
    p.acknowledge(true);
    for (let i = 0; i < 5_000; i++) p.add(message('a'));
    assert.equal(round(true)!.window, true);
    p.takeAll();
    p.acknowledge(true);
    p.add(message('b'));
    p.flush();
    assert.equal(posts.at(-1)!.older, undefined, 'the whole log went with init');
    assert.equal(posts.at(-1)!.notLoaded, undefined);
    p.acknowledge(true);
    for (let i = 0; i < 5_000; i++) p.add(message('a'));
    p.flush();
    p.acknowledge(true);
    p.clear();
    p.add(message('c'));
    p.flush();
    assert.equal(posts.at(-1)!.older, undefined, 'nothing before a cleared log');
    assert.deepEqual(decodeEntries(posts.at(-1)!.entries.json).map((e) => e.payload), [{ kind: 'text', text: 'c' }]);
    p.dispose();
  });

  test('a webview that never says it follows the tail (the mock panel) gets every entry, as before', () => {
    const { p, mirror } = rig(100_000);
    const posts: EntriesMessage[] = [];
    const q = new LogPipeline(100_000, (m) => posts.push(m), () => undefined, 1_000_000);
    q.setLive(true);
    for (let i = 0; i < 30_000; i++) q.add(message('m'));
    for (let r = 0; r < 10; r++) {
      q.flush();
      q.acknowledge();
    }
    assert.ok(posts.every((post) => !post.window && !post.older));
    assert.equal(posts.reduce((sum, post) => sum + post.entries.starts.length, 0), 30_000);
    q.dispose();
    assert.equal(mirror.log.size, 0);
    p.dispose();
  });
});

describe('MessageLog.appendFrom', () => {
  test('puts a log after another, encoded entries as their bytes, others as objects, past the capacity as append would', () => {
    const source = MessageLog.encoded(10, ENTRY_DECODER);
    const host = MessageLog.compact(10);
    for (let i = 0; i < 6; i++) host.append(message(`m${i}`));
    const posts: EntriesMessage[] = [];
    const p = new LogPipeline(10, (m) => posts.push(m), () => undefined, 1_000_000);
    p.setLive(true);
    for (let i = 0; i < 6; i++) p.add(message(`m${i}`));
    p.flush();
    keepBatch(source, posts[0]!.entries);
    source.push({ id: 7, time: 2, kind: 'error', direction: 'none', size: 0, detail: 'boom' });
    const target = MessageLog.encoded(5, ENTRY_DECODER);
    target.appendFrom(source);
    assert.equal(target.size, 5);
    assert.equal(target.evicted, 2);
    assert.deepEqual(target.entries(), source.entries().slice(2));
    assert.equal(target.upcomingId, 8);
    p.dispose();
  });
});
