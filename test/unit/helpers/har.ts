/** What the HAR tests share: the repository's HAR fixtures, the creator we write, import options. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HarImportOptions } from '../../../src/core/har/harReader';

/** The repository root (tests run from out/test/unit/). */
export const root = path.resolve(__dirname, '../../../..');

/** A file of test/fixtures/har/ as text. */
export const fixture = (name: string): string => readFileSync(path.join(root, 'test/fixtures/har', name), 'utf8');

export const creator = { name: 'WebSocket Debugger', version: '0.1.0' };

/** Import options naming the collection "Imported", with ids id0, id1, … */
export function importOptions(extra: Partial<HarImportOptions> = {}): HarImportOptions {
  let n = 0;
  return { name: 'Imported', newId: () => `id${n++}`, ...extra };
}
