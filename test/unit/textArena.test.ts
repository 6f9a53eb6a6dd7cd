import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextArena } from '../../src/shared/textArena';

describe('TextArena', () => {
  test('gives back every text as stored, across chunks, and frees a chunk once all its texts are released', () => {
    const arena = new TextArena();
    const texts = Array.from({ length: 30_000 }, (_, i) => `{"seq":${i},"name":"héllo ünïcode"}`.padEnd(64 + (i % 7), ' '));
    const stored = texts.map((text) => ({ ref: arena.add(text), length: arena.lastLength }));
    const chunks = arena.chunkCount;
    assert.ok(chunks >= 3, 'the texts fill several chunks');
    stored.forEach(({ ref, length }, i) => assert.equal(arena.get(ref, length), texts[i]));
    for (const { ref } of stored.slice(0, 20_000)) arena.release(ref);
    stored.slice(20_000).forEach(({ ref, length }, i) => assert.equal(arena.get(ref, length), texts[20_000 + i]));
    assert.ok(arena.chunkCount < chunks && arena.chunkCount >= 1, 'chunks with no text left are freed');
    for (const { ref } of stored.slice(20_000)) arena.release(ref);
    assert.equal(arena.chunkCount, 1, 'only the chunk being filled is kept');
  });

  test('leaves text it cannot keep exactly (lone surrogates) or that is too long to the caller', () => {
    const arena = new TextArena();
    assert.equal(arena.add('a\uD800b'), -1);
    assert.equal(arena.add('x'.repeat(200_000)), -1);
    const ref = arena.add('\u{1F600} ok');
    assert.equal(ref, -1, 'surrogate pairs are kept as strings too');
    arena.clear();
    assert.equal(arena.chunkCount, 0);
  });
});
