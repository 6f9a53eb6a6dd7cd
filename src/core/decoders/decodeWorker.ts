/**
 * A decode worker's entry (bundled as dist/decodeWorker.js): decodes the large binary messages
 * that OrderedDecoding hands it, so that a 16 MiB MessagePack message costs the extension host
 * thread a copy of its base64 text and of the JSON it becomes, not the second of decoding.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Root } from 'protobufjs';
import type { BinaryDecoder } from './binaryCodec';
import type { DecodeReply, DecodeRequest, DecodeWorkerData } from './decodeWorkerProtocol';
import { withDecoded } from './entryDecoder';
import { l10n } from '../../shared/l10n';

function decoderOf(data: DecodeWorkerData): BinaryDecoder {
  if (data.as !== 'protobuf') return { as: data.as };
  return { as: 'protobuf', type: Root.fromJSON(data.root).lookupType(data.type) };
}

const data = workerData as DecodeWorkerData;
l10n.configure(data.l10n);
const decoder = decoderOf(data);
const port = parentPort;
port?.on('message', (request: DecodeRequest) => {
  let reply: DecodeReply;
  try {
    reply = { id: request.id, decoded: withDecoded(request.entry, decoder, data.limit).decoded };
  } catch (error) {
    // JSON text past V8's string limit, for one: the entry says so instead of the worker dying.
    reply = { id: request.id, decoded: { as: data.as, error: l10n.t('Not decoded: {0}', error instanceof Error ? error.message : String(error)) } };
  }
  port.postMessage(reply);
});
