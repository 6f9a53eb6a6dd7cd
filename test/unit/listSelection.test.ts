// The message log's selection: keys to indices, single, toggled and ranged selections by id.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isNavigationKey, ListSelection, moveIndex } from '../../src/shared/listSelection';

describe('log keyboard moves', () => {
  test('arrows, Home, End, PageUp and PageDown stay inside the list', () => {
    assert.equal(moveIndex(5, 'ArrowDown', 10, 4), 6);
    assert.equal(moveIndex(9, 'ArrowDown', 10, 4), 9);
    assert.equal(moveIndex(0, 'ArrowUp', 10, 4), 0);
    assert.equal(moveIndex(5, 'PageDown', 10, 4), 9);
    assert.equal(moveIndex(5, 'PageUp', 10, 4), 1);
    assert.equal(moveIndex(1, 'PageUp', 10, 4), 0);
    assert.equal(moveIndex(5, 'Home', 10, 4), 0);
    assert.equal(moveIndex(5, 'End', 10, 4), 9);
    assert.equal(moveIndex(3, 'PageDown', 10, 0), 4, 'a page is at least one row');
  });

  test('with nothing active, the first move lands on the newest row; an empty list has none', () => {
    assert.equal(moveIndex(undefined, 'ArrowUp', 10, 4), 9);
    assert.equal(moveIndex(undefined, 'ArrowDown', 10, 4), 9);
    assert.equal(moveIndex(undefined, 'Home', 10, 4), 0);
    assert.equal(moveIndex(undefined, 'End', 0, 4), undefined);
    assert.equal(isNavigationKey('PageDown'), true);
    assert.equal(isNavigationKey('Enter'), false);
  });
});

describe('ListSelection', () => {
  // The view shows every other id (a filter), in order.
  const view = [2, 4, 6, 8, 10, 12];
  const between = (a: number, b: number) => {
    const [i, j] = [view.indexOf(a), view.indexOf(b)].sort((x, y) => x - y) as [number, number];
    return view.slice(i, j + 1);
  };

  test('a click selects one row; Shift extends from the anchor either way; Ctrl toggles', () => {
    const s = new ListSelection();
    s.selectOnly(6);
    assert.deepEqual([s.ids(), s.active], [[6], 6]);
    s.extendTo(10, between);
    assert.deepEqual([s.ids(), s.active], [[6, 8, 10], 10]);
    // The anchor stays at 6: extending the other way replaces the range.
    s.extendTo(2, between);
    assert.deepEqual(s.ids(), [2, 4, 6]);
    s.toggle(12);
    assert.deepEqual([s.ids(), s.active], [[2, 4, 6, 12], 12]);
    s.toggle(4);
    assert.deepEqual(s.ids(), [2, 6, 12]);
    assert.equal(s.has(4), false);
    // A toggle anchors the next range (even one that left the selection).
    s.extendTo(8, between);
    assert.deepEqual(s.ids(), [4, 6, 8]);
  });

  test('entries the log no longer keeps leave the selection, the active one too', () => {
    const s = new ListSelection();
    s.selectOnly(2);
    s.extendTo(8, between);
    s.retain((id) => id > 4);
    assert.deepEqual([s.ids(), s.active, s.size], [[6, 8], 8, 2]);
    s.retain((id) => id !== 8);
    assert.equal(s.active, undefined);
    s.clear();
    assert.equal(s.size, 0);
  });
});
