/**
 * The collection file a command is given (`run`, `export`, `serve`): read and checked through
 * readCollectionFile, with the file named in every error, and the environment `--env` picks.
 */
import { readFile, stat } from 'node:fs/promises';
import { readCollectionFile } from '../core/collectionFile';
import type { Collection, Environment } from '../shared/protocol';

export type CollectionArg = { ok: true; collection: Collection } | { ok: false; error: string };

/** Reads `file`; the error starts with the file's name ("x.json: no such file"). */
export async function readCollectionArg(file: string): Promise<CollectionArg> {
  let n = 0;
  const read = await readCollectionFile({ size: async () => (await stat(file)).size, read: () => readFile(file) }, () => `cli:${n++}`).catch(
    (error: NodeJS.ErrnoException) => ({
      ok: false as const,
      error: error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'it is a directory' : error.message,
    }),
  );
  return read.ok ? { ok: true, collection: read.collection } : { ok: false, error: `${file}: ${read.error}` };
}

/**
 * The environment named by `--env`, else the file's active one (none is fine); an `--env` the
 * file does not have is an error listing those it has.
 */
export function chooseEnvironment(file: string, collection: Collection, env: string | undefined): { ok: true; environment: Environment | undefined } | { ok: false; error: string } {
  const environments = collection.environments ?? [];
  const name = env ?? collection.activeEnvironment;
  const environment = name === undefined ? undefined : environments.find((e) => e.name === name);
  if (env !== undefined && !environment) {
    const known = environments.map((e) => JSON.stringify(e.name)).join(', ');
    return { ok: false, error: `${file}: no environment ${JSON.stringify(env)}${known ? ` (it has ${known})` : ' (it has none)'}` };
  }
  return { ok: true, environment };
}
