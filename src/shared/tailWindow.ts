/**
 * During a flood the host sends the webview a tail window instead of every entry: while the
 * webview follows the newest entries (scrolled to the bottom, no filter, not paused) and more
 * arrived since the last post than WINDOW, the post carries only the newest WINDOW of them and
 * the webview drops what it kept. The entries before the window are a hole: the host's log still
 * holds them, and they cross later as `older` pages (oldest first), which the webview keeps aside
 * and puts before its log once the last page came. Pages go at a bounded size per post in the
 * background once the flood slows, and at the full batch size as soon as the webview stops
 * following the tail (it scrolled up, filtered or paused: it needs them now).
 *
 * Why: the webview's frame runs on the workbench's renderer thread, which spends most of a flood
 * receiving and forwarding the host's bytes, and each post's buffers on the host are external
 * memory that starts major GCs of the extension host (bench/results.md, issues 17 and 19).
 *
 * TailWindow is the host's bookkeeping (ids only); OlderPages and keepBatch the webview's.
 */
import { ENTRY_DECODER, entryEnd } from './entryTransport';
import { MessageLog } from './messageLog';
import type { EntriesJson } from './protocol';

/** Entries in a tail window: a few screens of one-line rows. */
export const TAIL_WINDOW = 500;

/** Bytes of hole per post while the webview follows the tail (the background fill). */
export const BACKGROUND_FILL_BYTES = 128 * 1024;

/** The part of the hole to write into the next post: `count` entries from id `from`, at most `maxBytes`. */
export interface FillRange {
  from: number;
  count: number;
  maxBytes: number;
}

export class TailWindow {
  /** Whether the webview said (with its last acknowledgement) that it follows the tail. */
  tail = false;
  /** The webview lacks every kept entry with an id below this one (0: it lacks nothing). */
  private holeEnd = 0;
  /** The first id of the hole not sent yet. */
  private fillNext = 0;
  /** Once the fill started it goes on until the hole is filled or a new window replaces it. */
  private filling = false;

  constructor(
    readonly window = TAIL_WINDOW,
    private readonly fullBytes = 1024 * 1024,
    private readonly backgroundBytes = BACKGROUND_FILL_BYTES,
  ) {}

  /** Whether the last post was a window and the hole waits: a flood goes on. */
  get flooding(): boolean {
    return this.holeEnd !== 0 && !this.filling;
  }

  /** Whether the webview lacks older entries than those it has. */
  get hasHole(): boolean {
    return this.holeEnd !== 0;
  }

  /**
   * Where the next post's new entries start: `unsentFrom`, or, when the webview follows the tail
   * and more than a window waits, the window's first id (`skipped` then: the webview must drop
   * what it kept, and everything the host keeps below it is the hole).
   */
  tailStart(unsentFrom: number, upcomingId: number): { from: number; skipped: boolean } {
    if (!this.tail || upcomingId - unsentFrom <= this.window) return { from: unsentFrom, skipped: false };
    this.holeEnd = upcomingId - this.window;
    this.fillNext = 0;
    this.filling = false;
    return { from: this.holeEnd, skipped: true };
  }

  /**
   * The part of the hole the next post carries, given the host's oldest kept id and how many new
   * entries arrived since the last post; undefined while a flood goes on (more than a quarter of
   * a window arrives between two posts) and the webview follows the tail. A range of 0 entries (the hole was evicted from the host's log meanwhile)
   * still goes: it tells the webview that nothing more is coming.
   */
  fillRange(firstKept: number, arrived: number): FillRange | undefined {
    if (this.holeEnd === 0) return undefined;
    if (!this.filling && this.tail && arrived > this.window / 4) return undefined;
    this.filling = true;
    const from = Math.max(this.fillNext, firstKept);
    return { from, count: Math.max(0, this.holeEnd - from), maxBytes: this.tail ? this.backgroundBytes : this.fullBytes };
  }

  /** The range went, up to `lastId` (0: none); returns whether the hole is now filled. */
  filled(range: FillRange, lastId: number): boolean {
    this.fillNext = lastId > 0 ? lastId + 1 : range.from + range.count;
    if (this.fillNext < this.holeEnd) return false;
    this.clear();
    return true;
  }

  /** Entries of the hole the webview has not been sent yet. */
  notLoaded(firstKept: number): number {
    return this.holeEnd === 0 ? 0 : Math.max(0, this.holeEnd - Math.max(this.fillNext, firstKept));
  }

  /** The webview got (or dropped) everything: no hole. */
  clear(): void {
    this.holeEnd = 0;
    this.fillNext = 0;
    this.filling = false;
  }
}

/** Adds a batch's entries to a mirror log (MessageLog.encoded) as their bytes. */
export function keepBatch(log: MessageLog, batch: EntriesJson): void {
  const { json, starts, firstId } = batch;
  for (let i = 0; i < starts.length; i++) log.pushEncoded(firstId + i, json, starts[i] as number, entryEnd(batch, i), i);
}

/** The webview's side: the pages of a hole, kept aside until the last one came. */
export class OlderPages {
  private pages: MessageLog | undefined;

  constructor(private readonly capacity: number) {}

  /** Whether pages wait for the last one. */
  get pending(): boolean {
    return this.pages !== undefined;
  }

  /** Entries kept aside. */
  get size(): number {
    return this.pages?.size ?? 0;
  }

  /** A new window (or a reset): pages kept so far are of a hole that is no more. */
  drop(): void {
    this.pages = undefined;
  }

  /**
   * Keeps a page; with the last one, returns a log of the pages followed by `log`'s entries (the
   * oldest dropped past the capacity, as the host's were), else undefined.
   */
  add(batch: EntriesJson, last: boolean, log: MessageLog): MessageLog | undefined {
    const pages = (this.pages ??= MessageLog.encoded(this.capacity, ENTRY_DECODER));
    keepBatch(pages, batch);
    if (!last) return undefined;
    this.pages = undefined;
    pages.appendFrom(log);
    return pages;
  }
}
