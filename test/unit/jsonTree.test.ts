// The detail pane's JSON tree model: rows in document order, folding by pointer, and the caps.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { childPath, flattenJson, initialExpansion, parentIndex, parseJsonExact, previewOf, RawNumber } from '../../src/shared/jsonTree';

const doc = { op: 'tick', data: { price: 1.5, tags: ['a', 'b'], 'a/b~c': null }, ok: true };

describe('JSON tree rows', () => {
  test('the first two levels are unfolded at first; deeper containers stay folded', () => {
    const { rows, truncated } = flattenJson(doc, initialExpansion(doc));
    assert.equal(truncated, false);
    assert.deepEqual(
      rows.map((r) => [r.depth, r.key, r.preview, r.expandable, r.expanded]),
      [
        [0, undefined, '{3 keys}', true, true],
        [1, 'op', '"tick"', false, false],
        [1, 'data', '{3 keys}', true, true],
        [2, 'price', '1.5', false, false],
        [2, 'tags', '[2 items]', true, false],
        [2, 'a/b~c', 'null', false, false],
        [1, 'ok', 'true', false, false],
      ],
    );
    // Pointers escape ~ and / as RFC 6901 says, so keys with either stay distinct.
    assert.equal(rows[5]!.path, '/data/a~1b~0c');
  });

  test('unfolding a row by its pointer shows its children; folding the parent hides them all', () => {
    const expanded = initialExpansion(doc);
    expanded.add(childPath('/data', 'tags'));
    const open = flattenJson(doc, expanded).rows;
    assert.deepEqual(open.filter((r) => r.depth === 3).map((r) => [r.key, r.preview]), [['0', '"a"'], ['1', '"b"']]);
    expanded.delete('/data');
    const folded = flattenJson(doc, expanded).rows;
    assert.deepEqual(folded.map((r) => r.key), [undefined, 'op', 'data', 'ok']);
    assert.equal(folded[2]!.expanded, false);
  });

  test('Left from a leaf or a folded row goes to its parent; the root stays', () => {
    const { rows } = flattenJson(doc, initialExpansion(doc));
    assert.equal(parentIndex(rows, 3), 2);
    assert.equal(parentIndex(rows, 6), 0);
    assert.equal(parentIndex(rows, 0), 0);
  });

  test('a huge document: children per container and rows in all are capped, and it says so', () => {
    const big = Array.from({ length: 5000 }, (_, i) => ({ i }));
    const limits = { rowLimit: 100, childLimit: 50 };
    const oneLevel = flattenJson(big, new Set(['']), limits);
    assert.equal(oneLevel.rows.length, 52, 'the root, 50 children and a "more" row');
    assert.equal(oneLevel.rows.at(-1)!.more, 4950);
    assert.match(oneLevel.rows.at(-1)!.preview, /^4950 more items/);
    assert.equal(oneLevel.truncated, false);
    const all = new Set(['', ...Array.from({ length: 50 }, (_, i) => `/${i}`)]);
    const capped = flattenJson(big, all, limits);
    assert.equal(capped.rows.length, 100);
    assert.equal(capped.truncated, true);
    // The first view of a huge value unfolds no more than the row budget allows.
    assert.ok(initialExpansion(big, 2, limits).size <= limits.rowLimit);
  });

  test('scalars and empty containers: previews, long strings cut, nothing to unfold', () => {
    assert.equal(previewOf('x'.repeat(300)).length, 201);
    assert.equal(previewOf([]), '[0 items]');
    assert.equal(previewOf({ a: 1 }), '{1 key}');
    const { rows } = flattenJson({}, new Set(['']));
    assert.deepEqual(rows.map((r) => [r.expandable, r.expanded]), [[false, false]]);
    assert.deepEqual(flattenJson(42, new Set()).rows.map((r) => r.preview), ['42']);
  });

  test('a number a double cannot hold is shown as the server wrote it', () => {
    const rows = flattenJson({ big: new RawNumber('12345678901234567890') }, new Set([''])).rows;
    assert.deepEqual(rows.map((r) => [r.key, r.kind, r.preview, r.expandable]), [[undefined, 'object', '{1 key}', true], ['big', 'number', '12345678901234567890', false]]);
    // Where the engine gives revivers the source text, parsing keeps such numbers; others stay plain.
    const sourceAccess = (JSON.parse as (text: string, reviver: (k: string, v: unknown, c?: { source?: string }) => unknown) => unknown)('1', (_k, v, c) => c?.source ?? v) === '1';
    const parsed = parseJsonExact('{"big":12345678901234567890,"small":1.50,"safe":9007199254740991}') as Record<string, unknown>;
    assert.deepEqual(parsed.big, sourceAccess ? new RawNumber('12345678901234567890') : 12345678901234567000);
    assert.equal(parsed.small, 1.5);
    assert.equal(parsed.safe, 9007199254740991);
  });
});
