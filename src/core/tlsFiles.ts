/**
 * Reads the files an endpoint's TLS options name (CA, client certificate and key, PFX), so
 * that a missing or oversized file is a sentence before any connection is attempted.
 */
import { readFile, stat } from 'node:fs/promises';
import type { EndpointOptions } from '../shared/protocol';

/** Certificate files are small; anything bigger is a wrong path, not a certificate. */
const MAX_TLS_FILE_BYTES = 1024 * 1024;

export interface TlsFileContents {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  pfx?: Buffer;
}

const FILES = [
  ['caFile', 'ca', 'CA certificate file'],
  ['certFile', 'cert', 'client certificate file'],
  ['keyFile', 'key', 'client key file'],
  ['pfxFile', 'pfx', 'PFX file'],
] as const;

export async function readTlsFiles(
  options: EndpointOptions | undefined,
): Promise<{ ok: true; files: TlsFileContents } | { ok: false; error: string }> {
  const files: TlsFileContents = {};
  if (!options) return { ok: true, files };
  if (Boolean(options.certFile) !== Boolean(options.keyFile)) {
    return { ok: false, error: 'A client certificate needs both its certificate file and its key file' };
  }
  for (const [option, key, words] of FILES) {
    const file = options[option]?.trim();
    if (!file) continue;
    try {
      const info = await stat(file);
      if (!info.isFile()) return { ok: false, error: `The ${words} ${file} is not a file` };
      if (info.size > MAX_TLS_FILE_BYTES) {
        return { ok: false, error: `The ${words} ${file} is ${info.size} bytes; certificate files are at most 1 MiB` };
      }
      files[key] = await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' ? 'permission denied' : String(error);
      return { ok: false, error: `Could not read the ${words} ${file}: ${why}` };
    }
  }
  return { ok: true, files };
}
