/**
 * Reads the files an endpoint's TLS options name (CA, client certificate and key, PFX), so
 * that a missing or oversized file is a sentence before any connection is attempted.
 */
import { readFile, stat } from 'node:fs/promises';
import type { EndpointOptions } from '../shared/protocol';
import { l10n } from '../shared/l10n';

/** Certificate files are small; anything bigger is a wrong path, not a certificate. */
const MAX_TLS_FILE_BYTES = 1024 * 1024;

export interface TlsFileContents {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  pfx?: Buffer;
}

const FILES = [
  ['caFile', 'ca', () => l10n.t('CA certificate file')],
  ['certFile', 'cert', () => l10n.t('client certificate file')],
  ['keyFile', 'key', () => l10n.t('client key file')],
  ['pfxFile', 'pfx', () => l10n.t('PFX file')],
] as const;

export async function readTlsFiles(
  options: EndpointOptions | undefined,
): Promise<{ ok: true; files: TlsFileContents } | { ok: false; error: string }> {
  const files: TlsFileContents = {};
  if (!options) return { ok: true, files };
  if (Boolean(options.certFile) !== Boolean(options.keyFile)) {
    return { ok: false, error: l10n.t('A client certificate needs both its certificate file and its key file') };
  }
  for (const [option, key, wordsOf] of FILES) {
    const file = options[option]?.trim();
    if (!file) continue;
    const words = wordsOf();
    try {
      const info = await stat(file);
      if (!info.isFile()) return { ok: false, error: l10n.t('The {0} {1} is not a file', words, file) };
      if (info.size > MAX_TLS_FILE_BYTES) {
        return { ok: false, error: l10n.t('The {0} {1} is {2} bytes; certificate files are at most 1 MiB', words, file, info.size) };
      }
      files[key] = await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? l10n.t('it does not exist') : code === 'EACCES' ? l10n.t('permission denied') : String(error);
      return { ok: false, error: l10n.t('Could not read the {0} {1}: {2}', words, file, why) };
    }
  }
  return { ok: true, files };
}
