/**
 * Text kept as UTF-8 bytes in large chunks outside the JavaScript heap, for the host's log: a
 * flood of a million small messages would otherwise put a million strings through V8's young
 * generation and into the old one, and V8 answers that by growing both (the young generation
 * doubles once enough bytes survive it), memory it keeps long after the flood. Texts leave in
 * the order they came (the log is a ring), so a chunk is freed once all its texts are released.
 */

/** Bytes per chunk; a text longer than a quarter of it is not worth packing. */
const CHUNK_BYTES = 1024 * 1024;
const MAX_TEXT_BYTES = CHUNK_BYTES / 4;
const MAX_TEXT_CHARS = MAX_TEXT_BYTES / 3;
const SURROGATE = /[\uD800-\uDFFF]/;

interface Chunk {
  bytes: Uint8Array;
  /** Texts added and not released yet. */
  live: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class TextArena {
  /** Chunks by number; the number times CHUNK_BYTES plus an offset is where a text is. */
  private readonly chunks = new Map<number, Chunk>();
  private current = -1;
  private used = CHUNK_BYTES;
  /**
   * A freed chunk kept for the next one: a full log frees a chunk for every chunk it fills, and
   * reusing it (instead of a new megabyte each time) keeps the allocator from fragmenting the
   * process's memory over a long flood.
   */
  private spare: Uint8Array | undefined;
  /** Byte length of the text the last `add` stored. */
  lastLength = 0;

  /**
   * Stores `text`; returns where (for `get` and `release`, with `lastLength`), or -1 when the
   * text is too long to pack and should be kept as it is.
   */
  add(text: string): number {
    // UTF-8 cannot carry a lone surrogate; such text (rare: typed, never received) stays a string.
    if (text.length > MAX_TEXT_CHARS || SURROGATE.test(text)) return -1;
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const chunk = this.room(text.length * 3);
    const { written } = encoder.encodeInto(text, chunk.bytes.subarray(this.used));
    return this.stored(chunk, written);
  }

  /**
   * Stores text given as its UTF-8 bytes (valid UTF-8: a received text message), copied as they
   * are; -1 when too long to pack (keep it as a string then).
   */
  addBytes(utf8: Uint8Array): number {
    if (utf8.length > MAX_TEXT_BYTES) return -1;
    const chunk = this.room(utf8.length);
    chunk.bytes.set(utf8, this.used);
    return this.stored(chunk, utf8.length);
  }

  /** The current chunk if it has `bytes` to spare, else a new one. */
  private room(bytes: number): Chunk {
    let chunk = this.chunks.get(this.current);
    if (!chunk || this.used + bytes > CHUNK_BYTES) {
      if (chunk && chunk.live === 0) this.free(this.current, chunk);
      this.current += 1;
      chunk = { bytes: this.spare ?? new Uint8Array(CHUNK_BYTES), live: 0 };
      this.spare = undefined;
      this.chunks.set(this.current, chunk);
      this.used = 0;
    }
    return chunk;
  }

  /** Accounts for `written` bytes just put at the end of `chunk`; returns where they are. */
  private stored(chunk: Chunk, written: number): number {
    const ref = this.current * CHUNK_BYTES + this.used;
    this.used += written;
    this.lastLength = written;
    chunk.live += 1;
    return ref;
  }

  /** The count of chunks held (for tests: released chunks must go). */
  get chunkCount(): number {
    return this.chunks.size;
  }

  get(ref: number, length: number): string {
    const chunk = this.chunks.get(Math.floor(ref / CHUNK_BYTES)) as Chunk;
    const offset = ref % CHUNK_BYTES;
    return decoder.decode(chunk.bytes.subarray(offset, offset + length));
  }

  /** The chunk that holds a text's bytes, from `offsetOf(ref)` on (to copy them as they are). */
  chunkOf(ref: number): Uint8Array {
    return (this.chunks.get(Math.floor(ref / CHUNK_BYTES)) as Chunk).bytes;
  }

  offsetOf(ref: number): number {
    return ref % CHUNK_BYTES;
  }

  release(ref: number): void {
    const number = Math.floor(ref / CHUNK_BYTES);
    const chunk = this.chunks.get(number);
    if (!chunk) return;
    chunk.live -= 1;
    if (chunk.live === 0 && number !== this.current) this.free(number, chunk);
  }

  private free(number: number, chunk: Chunk): void {
    this.chunks.delete(number);
    this.spare = chunk.bytes;
  }

  clear(): void {
    this.chunks.clear();
    this.spare = undefined;
    this.current = -1;
    this.used = CHUNK_BYTES;
  }
}
