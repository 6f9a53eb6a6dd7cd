/**
 * The message log of one connection: a fixed-capacity ring buffer, so a chatty server costs
 * bounded memory and every append is O(1) however full the log is. The host's log assigns ids;
 * the webview keeps a mirror of it with the same capacity (`push` keeps the host's ids).
 *
 * A compact log (the host's) keeps plain messages (most of a flood) as their payload's UTF-8
 * bytes in a TextArena plus a few numbers in typed columns, and builds the entry object again when asked for it: a kept
 * message then costs the heap its text alone instead of three objects, which keeps the live heap
 * (and with it the heap V8 grows to during a flood) a fraction of the size.
 */
import { assertNever } from './assertNever';
import type { EntryBatchWriter } from './entryTransport';
import { FIRST_FREE_FLAG, isPlainMessage, PACKED, plainEntry, plainFlags, plainValue, SENT_TEXT } from './plainMessage';
import type { LogEntry } from './protocol';
import { TextArena } from './textArena';

/** Enough for a long session while keeping memory bounded; older entries are dropped first. */
export const DEFAULT_LOG_CAPACITY = 100_000;

const utf8Decoder = new TextDecoder();

/**
 * How many undecided candidates of one batch `matchIds` parses one by one before it parses the
 * batch whole (one entry alone costs a few times its share of a whole batch).
 */
const PARSED_ALONE = 1000;

/** A filter as `matchIds` uses it (CompiledFilter in logFilter.ts is one). */
export interface EntryMatcher {
  test(entry: LogEntry): boolean;
  /**
   * Sorted offsets in a batch's JSON where an entry may match; undefined: every entry may. `keep`:
   * the whole log is being searched, and will be again as the user types (the text may be kept).
   */
  candidates(json: Uint8Array, keep?: boolean): number[] | undefined;
  /**
   * Whether the entry `json[start..end)` matches, given that `offsets[next]` (the first of them
   * at or after `start`) lies in it: decided from its bytes, or undefined to parse it.
   */
  decide(json: Uint8Array, start: number, end: number, offsets: readonly number[], next: number): boolean | undefined;
}

/** The slot holds a batch's JSON bytes; the entry is `refs[slot]` to `+ lengths[slot]` of them. */
const ENCODED = FIRST_FREE_FLAG;

/**
 * Parses a batch's JSON (see EntriesJson), for a log that keeps batches encoded: one entry of it
 * (`json[start..end)`), or all of them at once.
 */
export interface EntryDecoder {
  one(json: Uint8Array, start: number, end: number): LogEntry;
  all(json: Uint8Array): LogEntry[];
}

/** Typed columns (flags: see plainMessage.ts) of a compact log, grown by doubling up to the capacity. */
interface Columns {
  ids: Float64Array;
  times: Float64Array;
  sizes: Float64Array;
  flags: Uint8Array;
  /** Where a packed text is in the arena, and its byte length. */
  refs: Float64Array;
  lengths: Float64Array;
}

/**
 * Where a log keeps its entries: as the objects given (plain); plain messages packed into typed
 * columns and a TextArena (compact, the host's); or as the batch bytes they arrived in, besides
 * objects (encoded, the webview's mirror).
 */
type LogStore = { store: 'plain' } | { store: 'compact' } | { store: 'encoded'; decoder: EntryDecoder };

export class MessageLog {
  /**
   * Entries; in a compact log the payload text / base64 of packed ones; for an encoded entry the
   * batch JSON it is in.
   */
  private slots: (LogEntry | string | Uint8Array | undefined)[] = [];
  private columns: Columns | undefined;
  private readonly arena = new TextArena();
  /** Index of the oldest entry in `slots`. */
  private head = 0;
  private count = 0;
  private nextId = 1;
  private dropped = 0;

  /** Whether plain messages are packed into the columns and the arena (see LogStore). */
  private readonly compact: boolean;
  /** Set for a log that keeps entries as batch bytes (see LogStore). */
  private readonly decoder: EntryDecoder | undefined;

  /** Entries kept as the objects given: a log that never holds a flood, and the tests' reference. */
  static plain(capacity: number = DEFAULT_LOG_CAPACITY): MessageLog {
    return new MessageLog(capacity, { store: 'plain' });
  }

  /** The host's log: plain messages packed into typed columns and UTF-8 bytes (`appendReceivedText`, `writeSince`). */
  static compact(capacity: number = DEFAULT_LOG_CAPACITY): MessageLog {
    return new MessageLog(capacity, { store: 'compact' });
  }

  /** The webview's mirror: entries kept as the batch bytes they came in (`pushEncoded`), parsed by `decoder` when asked for. */
  static encoded(capacity: number, decoder: EntryDecoder): MessageLog {
    return new MessageLog(capacity, { store: 'encoded', decoder });
  }

  private constructor(
    readonly capacity: number,
    store: LogStore,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Log capacity must be a positive whole number, got ${capacity}`);
    }
    // Plain flags, not the union, on the hot paths: they are read for every entry of a flood.
    switch (store.store) {
      case 'plain':
        this.compact = false;
        this.decoder = undefined;
        break;
      case 'compact':
        this.compact = true;
        this.decoder = undefined;
        break;
      case 'encoded':
        this.compact = false;
        this.decoder = store.decoder;
        break;
      default:
        assertNever(store);
    }
  }

  /**
   * Adds an entry with the next id; when full, the oldest entry is dropped and counted. The log
   * takes the object as its own and sets its id (no copy: at tens of thousands of entries a
   * second, copying every entry costs more than everything else the log does).
   */
  append(entry: Omit<LogEntry, 'id'>): LogEntry {
    const logged = entry as LogEntry;
    logged.id = this.nextId;
    this.push(logged);
    return logged;
  }

  /**
   * Adds an entry that already has its id (a mirror of another log). Ids must increase; the
   * next `append` continues after it.
   */
  push(entry: LogEntry): void {
    const slot = this.claim(entry.id);
    if (this.compact) {
      this.store(slot, entry);
      return;
    }
    this.slots[slot] = entry;
    // The slot may have held an encoded entry.
    if (this.columns && slot < this.columns.flags.length) this.columns.flags[slot] = 0;
  }

  /**
   * Adds the entry with this id that is `json[start..end)` of a batch, kept as those bytes and
   * parsed (by the decoder) only when asked for: a mirror that shows a few dozen rows of a flood
   * never parses the rest. Ids must increase, as for `push`.
   */
  pushEncoded(id: number, json: Uint8Array, start: number, end: number, indexInBatch: number): void {
    if (!this.decoder) throw new Error('pushEncoded needs a log made with MessageLog.encoded (a decoder)');
    const slot = this.claim(id);
    const columns = this.columnsFor(slot);
    columns.ids[slot] = id;
    columns.flags[slot] = ENCODED;
    columns.refs[slot] = start;
    columns.lengths[slot] = end - start;
    // An encoded entry has no size of its own to keep here: the column holds its place in the batch.
    columns.sizes[slot] = indexInBatch;
    this.slots[slot] = json;
  }

  /**
   * Adds every entry of `source` after this log's, oldest first (ids must increase, as for
   * `push`): encoded entries stay the bytes they are, so putting a page of older entries before a
   * log costs the ids and offsets alone.
   */
  appendFrom(source: MessageLog): void {
    const columns = source.columns;
    for (let i = 0; i < source.count; i++) {
      const slot = (source.head + i) % source.capacity;
      if (columns && columns.flags[slot] === ENCODED && this.decoder) {
        const start = columns.refs[slot] as number;
        this.pushEncoded(columns.ids[slot] as number, source.slots[slot] as Uint8Array, start, start + (columns.lengths[slot] as number), columns.sizes[slot] as number);
      } else {
        this.push(source.load(slot));
      }
    }
  }

  /**
   * Calls `visit` with every kept entry from `index` on, oldest first. Encoded entries are parsed
   * a batch at a time: in a browser one JSON.parse of a whole batch costs a fraction of one per
   * entry, which is what lets a filter go through 100,000 entries quickly.
   */
  scan(index: number, visit: (entry: LogEntry) => void): void {
    const columns = this.columns;
    let batch: Uint8Array | undefined;
    let parsed: LogEntry[] = [];
    for (let i = Math.max(0, index); i < this.count; i++) {
      const slot = (this.head + i) % this.capacity;
      if (!columns || columns.flags[slot] !== ENCODED) {
        visit(this.load(slot));
        continue;
      }
      const json = this.slots[slot] as Uint8Array;
      if (json !== batch) {
        batch = json;
        parsed = (this.decoder as EntryDecoder).all(json);
      }
      visit(parsed[columns.sizes[slot] as number] as LogEntry);
    }
  }

  /**
   * Calls `onMatch` with the id of every kept entry that `matcher` passes, oldest first. An
   * encoded entry is looked at through its bytes first (see EntryMatcher): an entry whose bytes
   * hold none of its batch's candidate offsets is passed over, one the matcher can decide from its
   * bytes is not parsed, and a batch is parsed at once only past a few thousand entries it could
   * not decide. A filter over a million entries then parses few or none of them.
   */
  matchIds(matcher: EntryMatcher, onMatch: (id: number) => void): void {
    const columns = this.columns;
    let batch: Uint8Array | undefined;
    let parsed: LogEntry[] | undefined;
    let offsets: number[] | undefined;
    let next = 0;
    let parsedAlone = 0;
    for (let i = 0; i < this.count; i++) {
      const slot = (this.head + i) % this.capacity;
      if (!columns || columns.flags[slot] !== ENCODED) {
        const entry = this.load(slot);
        if (matcher.test(entry)) onMatch(entry.id);
        continue;
      }
      const json = this.slots[slot] as Uint8Array;
      if (json !== batch) {
        batch = json;
        parsed = undefined;
        offsets = matcher.candidates(json, true);
        next = 0;
        parsedAlone = 0;
      }
      if (offsets && !parsed) {
        const start = columns.refs[slot] as number;
        const end = start + (columns.lengths[slot] as number);
        while (next < offsets.length && (offsets[next] as number) < start) next++;
        if (next === offsets.length || (offsets[next] as number) >= end) continue;
        const decided = matcher.decide(json, start, end, offsets, next);
        if (decided !== undefined) {
          if (decided) onMatch(columns.ids[slot] as number);
          continue;
        }
        if (parsedAlone < PARSED_ALONE) {
          parsedAlone++;
          const entry = (this.decoder as EntryDecoder).one(json, start, end);
          if (matcher.test(entry)) onMatch(entry.id);
          continue;
        }
      }
      parsed ??= (this.decoder as EntryDecoder).all(json);
      const entry = parsed[columns.sizes[slot] as number] as LogEntry;
      if (matcher.test(entry)) onMatch(entry.id);
    }
  }

  /**
   * Appends a received text message given as its UTF-8 bytes (already validated, as ws does for
   * text frames). A compact log copies the bytes into its arena as they are: no string and no
   * entry object is made for it, which is most of what a flood would otherwise allocate.
   */
  appendReceivedText(time: number, utf8: Uint8Array): void {
    this.appendText(time, utf8, 'received');
  }

  /** The same for a text message sent as these bytes (a mock server's flood to its clients). */
  appendSentText(time: number, utf8: Uint8Array): void {
    this.appendText(time, utf8, 'sent');
  }

  private appendText(time: number, utf8: Uint8Array, direction: 'sent' | 'received'): void {
    if (!this.compact) {
      this.append({ time, kind: 'message', direction, frame: 'text', size: utf8.length, payload: { kind: 'text', text: utf8Decoder.decode(utf8) } });
      return;
    }
    const id = this.nextId;
    const slot = this.claim(id);
    const columns = this.columnsFor(slot);
    columns.ids[slot] = id;
    columns.times[slot] = time;
    columns.sizes[slot] = utf8.length;
    columns.flags[slot] = direction === 'sent' ? SENT_TEXT : PACKED;
    const ref = this.arena.addBytes(utf8);
    columns.refs[slot] = ref;
    columns.lengths[slot] = this.arena.lastLength;
    this.slots[slot] = ref === -1 ? utf8Decoder.decode(utf8) : undefined;
  }

  /** The slot for the entry with this id: the next free one, or the oldest's (dropped and counted). */
  private claim(id: number): number {
    this.nextId = id + 1;
    if (this.count < this.capacity) {
      this.count++;
      return (this.head + this.count - 1) % this.capacity;
    }
    const slot = this.head;
    this.head = (this.head + 1) % this.capacity;
    this.dropped++;
    if (this.compact) this.release(slot);
    return slot;
  }

  /** Puts `entry` into `slot` of a compact log, packed if it is a plain message. */
  private store(slot: number, entry: LogEntry): void {
    const columns = this.columnsFor(slot);
    columns.ids[slot] = entry.id;
    columns.times[slot] = entry.time;
    columns.sizes[slot] = entry.size;
    if (!isPlainMessage(entry)) {
      columns.flags[slot] = 0;
      this.slots[slot] = entry;
      return;
    }
    columns.flags[slot] = plainFlags(entry);
    const value = plainValue(entry);
    const ref = this.arena.add(value);
    columns.refs[slot] = ref;
    columns.lengths[slot] = this.arena.lastLength;
    this.slots[slot] = ref === -1 ? value : undefined;
  }

  /** Frees the arena bytes of the packed entry in `slot`, which is about to be overwritten. */
  private release(slot: number): void {
    const columns = this.columns as Columns;
    if (columns.flags[slot] && this.slots[slot] === undefined) this.arena.release(columns.refs[slot] as number);
  }

  /** The columns, grown (while the log fills; `head` is 0 until it is full) to hold `slot`. */
  private columnsFor(slot: number): Columns {
    const old = this.columns;
    if (old && slot < old.ids.length) return old;
    const length = Math.min(this.capacity, Math.max(1024, (old?.ids.length ?? 0) * 2, slot + 1));
    const grown: Columns = {
      ids: new Float64Array(length),
      times: new Float64Array(length),
      sizes: new Float64Array(length),
      flags: new Uint8Array(length),
      refs: new Float64Array(length),
      lengths: new Float64Array(length),
    };
    if (old) {
      grown.ids.set(old.ids);
      grown.times.set(old.times);
      grown.sizes.set(old.sizes);
      grown.flags.set(old.flags);
      grown.refs.set(old.refs);
      grown.lengths.set(old.lengths);
    }
    this.columns = grown;
    return grown;
  }

  /** The entry in `slot`, built again if it was packed or encoded. */
  private load(slot: number): LogEntry {
    const columns = this.columns;
    const stored = this.slots[slot];
    if (!columns || !columns.flags[slot]) return stored as LogEntry;
    if (columns.flags[slot] === ENCODED) {
      const start = columns.refs[slot] as number;
      return (this.decoder as EntryDecoder).one(stored as Uint8Array, start, start + (columns.lengths[slot] as number));
    }
    const value = typeof stored === 'string' ? stored : this.arena.get(columns.refs[slot] as number, columns.lengths[slot] as number);
    return plainEntry(columns.ids[slot] as number, columns.times[slot] as number, columns.flags[slot] as number, columns.sizes[slot] as number, value);
  }

  /** The id of the entry at `index` (0 is the oldest kept), without building it; undefined outside the log. */
  idAt(index: number): number | undefined {
    if (index < 0 || index >= this.count) return undefined;
    const slot = (this.head + index) % this.capacity;
    // Columns may be shorter than the log in a mirror (made for its first encoded entry).
    return this.columns?.flags[slot] ? (this.columns.ids[slot] as number) : (this.slots[slot] as LogEntry).id;
  }

  get size(): number {
    return this.count;
  }

  /** How many entries were dropped to make room since the log was created or last cleared. */
  get evicted(): number {
    return this.dropped;
  }

  /** The entry at `index` (0 is the oldest kept), or undefined outside the log. */
  at(index: number): LogEntry | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.load((this.head + index) % this.capacity);
  }

  /** The entry with this id, if it is still kept. Ids of kept entries increase, so this is a search. */
  get(id: number): LogEntry | undefined {
    const index = this.indexOf(id);
    return index < this.count && this.idAt(index) === id ? this.at(index) : undefined;
  }

  /** Index of the first kept entry whose id is at least `id` (`size` if there is none). */
  indexOf(id: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.idAt(mid) as number) < id) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** A copy of the entries, oldest first. */
  entries(): LogEntry[] {
    return this.since(0, this.count);
  }

  /** At most `max` kept entries with ids from `id` on, oldest first. */
  since(id: number, max: number): LogEntry[] {
    const first = this.indexOf(id);
    const out = new Array<LogEntry>(Math.max(0, Math.min(max, this.count - first)));
    for (let i = 0; i < out.length; i++) out[i] = this.at(first + i) as LogEntry;
    return out;
  }

  /**
   * Writes at most `max` kept entries with ids from `id` on, oldest first, to `writer`, and
   * stops once the writer holds `maxBytes` (after one entry at least): packed messages whose
   * text is at most `rawLimit` bytes straight from the arena, the others as `prepare` makes
   * them. Returns the id of the last entry written (0 if none).
   */
  writeSince(id: number, max: number, writer: EntryBatchWriter, rawLimit: number, prepare: (entry: LogEntry) => LogEntry, maxBytes = Infinity): number {
    const first = this.indexOf(id);
    const end = Math.min(this.count, first + max);
    const columns = this.columns;
    let last = 0;
    for (let index = first; index < end && (last === 0 || writer.byteLength < maxBytes); index++) {
      const slot = (this.head + index) % this.capacity;
      if (columns && columns.flags[slot] && this.slots[slot] === undefined && (columns.lengths[slot] as number) <= rawLimit) {
        const ref = columns.refs[slot] as number;
        const from = this.arena.offsetOf(ref);
        last = columns.ids[slot] as number;
        const written = writer.plainBytes(last, columns.times[slot] as number, columns.flags[slot] as number, columns.sizes[slot] as number,
          this.arena.chunkOf(ref), from, from + (columns.lengths[slot] as number));
        if (written) continue;
      }
      const entry = this.load(slot);
      last = entry.id;
      writer.entry(prepare(entry));
    }
    return last;
  }

  /** The id the next `append` gets. */
  get upcomingId(): number {
    return this.nextId;
  }

  /** Empties the log. Ids keep increasing, so the webview never confuses old and new rows. */
  clear(): void {
    this.slots = [];
    this.columns = undefined;
    this.arena.clear();
    this.head = 0;
    this.count = 0;
    this.dropped = 0;
  }
}
