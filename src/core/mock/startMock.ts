/**
 * Starting a mock server: the one entry point of the engine (docs/mocks.md, "Engine API").
 * `startMock(definition)` listens and resolves with a RunningMock, or with a refusal whose `code`
 * says what to do (ask the user, pick another port).
 */
import { isIP } from 'node:net';
import type { MockDefinition } from '../../shared/mockFormat';
import { MockEngine } from './mockEngine';
import { MockLog } from './mockLog';
import { makeSelfSignedCertificate } from './selfSigned';
import { startSocketIoTransport } from './socketIoTransport';
import type { BinaryDecoder } from '../decoders/binaryCodec';
import { loadDecoder } from '../decoders/entryDecoder';
import type { StartMockOptions, StartMockResult } from './mockTypes';
import { startWebSocketTransport } from './wsTransport';
import { l10n } from '../../shared/l10n';

/** Whether only this machine can reach `host` (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || (isIP(bare) === 4 && bare.startsWith('127.')) || bare === '::ffff:127.0.0.1';
}

/** The URL clients use: ws(s):// with the path, or http(s):// with the namespace for Socket.IO. */
function mockUrl(definition: MockDefinition, port: number): string {
  const host = isIP(definition.host) === 6 ? `[${definition.host}]` : definition.host;
  if (definition.kind === 'socketio') return `${definition.tls ? 'https' : 'http'}://${host}:${port}${definition.namespace}`;
  return `${definition.tls ? 'wss' : 'ws'}://${host}:${port}${definition.path}`;
}

export async function startMock(definition: MockDefinition, options: StartMockOptions = {}): Promise<StartMockResult> {
  const { name, host, port } = definition;
  if (!isLoopback(host) && options.allowNonLoopback !== true) {
    return {
      ok: false,
      code: 'needs-confirmation',
      error: l10n.t('Mock "{0}" would listen on {1}, where other machines can reach it; confirm to listen beyond this machine', name, host),
    };
  }
  let decoder: BinaryDecoder | undefined;
  if (definition.decode) {
    const loaded = await loadDecoder(definition.decode, options.protoFolders ?? []);
    if (!loaded.ok) return { ok: false, code: 'decode', error: l10n.t('Mock "{0}", "decode": {1}', name, loaded.error) };
    decoder = loaded.decoder;
  }
  const certificate = definition.tls ? makeSelfSignedCertificate(host) : undefined;
  const engine = new MockEngine(definition, new MockLog(options.logCapacity), certificate?.fingerprint256, decoder);
  try {
    const start = definition.kind === 'socketio' ? startSocketIoTransport : startWebSocketTransport;
    const transport = await start(engine, certificate);
    engine.attach(transport, mockUrl(definition, transport.port));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${host}:${port}`;
    if (code === 'EADDRINUSE') {
      return { ok: false, code: 'port-in-use', error: l10n.t('Mock "{0}" cannot listen on {1}: the port is in use by another program (choose another port, or 0 for any free one)', name, where) };
    }
    const why =
      code === 'EACCES' ? l10n.t('this user may not listen on that port (ports below 1024 need privileges)')
        : code === 'EADDRNOTAVAIL' ? l10n.t('no network interface of this machine has that address')
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? l10n.t('the host name does not resolve')
            : error instanceof Error ? error.message : String(error);
    return { ok: false, code: 'listen-failed', error: l10n.t('Mock "{0}" cannot listen on {1}: {2}', name, where, why) };
  }
  engine.record(undefined, {
    kind: 'info',
    direction: 'none',
    size: 0,
    detail: certificate
      ? l10n.t('Mock "{0}" listening on {1} (self-signed certificate, SHA-256 {2})', name, engine.url, certificate.fingerprint256)
      : l10n.t('Mock "{0}" listening on {1}', name, engine.url),
  });
  return { ok: true, mock: engine };
}
