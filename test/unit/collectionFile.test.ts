import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAX_COLLECTION_FILE_BYTES, readCollectionFile } from '../../src/core/collectionFile';
import { exportCollection } from '../../src/shared/collections';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wsd-collection-file-'));
});
after(() => rm(dir, { recursive: true, force: true }));

/** Reads a real file through node:fs, counting reads so a test can prove none happened. */
function access(path: string) {
  const counts = { reads: 0 };
  return {
    counts,
    file: {
      size: async () => (await stat(path)).size,
      read: async () => {
        counts.reads += 1;
        return new Uint8Array(await readFile(path));
      },
    },
  };
}

let n = 0;
const newId = () => `id${++n}`;

describe('readCollectionFile', () => {
  it('refuses a 1 GB file from its size alone, without reading it', async () => {
    const path = join(dir, 'huge.json');
    await writeFile(path, '');
    // Sparse: 1 GB long, no disk used.
    await truncate(path, 1024 * 1024 * 1024);
    const { file, counts } = access(path);
    assert.deepEqual(await readCollectionFile(file, newId), {
      ok: false,
      error: 'it is 1024.0 MB; collection files are at most 5 MB',
    });
    assert.equal(counts.reads, 0);
  });

  it('refuses a file that grew past the limit after its size was checked', async () => {
    const result = await readCollectionFile(
      { size: async () => 10, read: async () => new Uint8Array(MAX_COLLECTION_FILE_BYTES + 1) },
      newId,
    );
    assert.deepEqual(result, { ok: false, error: 'it is 5.0 MB; collection files are at most 5 MB' });
  });

  it('refuses bytes that are not UTF-8', async () => {
    const path = join(dir, 'latin1.json');
    await writeFile(path, Buffer.from([0x7b, 0xe9, 0x7d]));
    assert.deepEqual(await readCollectionFile(access(path).file, newId), { ok: false, error: 'the file is not UTF-8 text' });
  });

  it('refuses truncated JSON, wrong types, forbidden keys and unknown versions with the reason', async () => {
    const good = exportCollection({ id: 'c', name: 'Team', endpoints: [{ id: 'e', name: 'E', url: 'ws://e/', protocols: [], headers: [] }] });
    const cases: [string, RegExp][] = [
      [good.slice(0, 40), /^Not a JSON file: .*cut short/],
      [good.replace('"name": "Team"', '"name": 42'), /^name: expected a string$/],
      [good.replace('"endpoints": [', '"__proto__": {"polluted": true}, "endpoints": ['), /^__proto__: the key "__proto__" is not allowed/],
      [good.replace(/"version": \d+/, '"version": 7'), /newer version \(version 7\)/],
      [good.replace(/"version": \d+/, '"version": "one"'), /^Unknown collection file version "one"/],
    ];
    for (const [text, error] of cases) {
      const path = join(dir, 'case.json');
      await writeFile(path, text);
      const result = await readCollectionFile(access(path).file, newId);
      assert.equal(result.ok, false, text);
      assert.match(!result.ok ? result.error : '', error);
    }
  });

  it('reads a good file', async () => {
    const path = join(dir, 'good.json');
    await writeFile(path, exportCollection({ id: 'c', name: 'Team', endpoints: [] }));
    const result = await readCollectionFile(access(path).file, newId);
    assert.ok(result.ok);
    assert.equal(result.collection.name, 'Team');
  });
});
