import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Emitter } from '../../src/core/emitter';

describe('Emitter', () => {
  it('delivers to each subscription until it is disposed', () => {
    const emitter = new Emitter<number>();
    const seen: number[] = [];
    const listener = (value: number): void => {
      seen.push(value);
    };
    const first = emitter.event(listener);
    emitter.event(listener);
    emitter.fire(1);
    first.dispose();
    emitter.fire(2);
    assert.deepEqual(seen, [1, 1, 2]);
  });

  it('reports a throwing listener and still calls the others', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter<string>((error) => errors.push(error));
    const seen: string[] = [];
    emitter.event(() => {
      throw new Error('bug');
    });
    emitter.event((value) => seen.push(value));
    assert.doesNotThrow(() => emitter.fire('x'));
    assert.deepEqual(seen, ['x']);
    assert.equal((errors[0] as Error).message, 'bug');
  });

  it('goes quiet after dispose and ignores late subscriptions', () => {
    const emitter = new Emitter<number>();
    const seen: number[] = [];
    emitter.event((value) => seen.push(value));
    emitter.dispose();
    emitter.event((value) => seen.push(value)).dispose();
    emitter.fire(1);
    assert.deepEqual(seen, []);
  });
});
