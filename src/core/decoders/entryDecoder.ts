/**
 * An endpoint's decoder at work: built once per Connect from its Decode binary as (loading the
 * .proto file), it adds the Decoded view to every binary message entry and encodes JSON documents
 * for Send as. A decoder that cannot be built is reported in words and binary messages stay bytes.
 */
import type { BinaryEncoding, DecodeConfig, LogEntry } from '../../shared/protocol';
import { decodedInfo, encodeJsonText, ENCODING_NAMES, MAX_DECODE_BYTES, type BinaryDecoder, type EncodeResult } from './binaryCodec';
import { loadProtoType } from './protoSchema';

export type DecoderResult = { ok: true; decoder: BinaryDecoder } | { ok: false; error: string };

/** The decoder `config` describes; `dirs` are where a relative .proto path is looked up. */
export async function loadDecoder(config: DecodeConfig, dirs: readonly string[]): Promise<DecoderResult> {
  if (config.as !== 'protobuf') return { ok: true, decoder: { as: config.as } };
  if (!config.proto || !config.type) return { ok: false, error: 'Decode binary as Protobuf needs a .proto file and a message type' };
  const loaded = await loadProtoType(config.proto, config.type, dirs);
  return loaded.ok ? { ok: true, decoder: { as: 'protobuf', type: loaded.type } } : loaded;
}

/**
 * The entry with its Decoded view when it is a binary message (sent or received); other entries
 * unchanged. The payload (the raw bytes) is kept as it is.
 */
export function withDecoded<E extends Omit<LogEntry, 'id'>>(entry: E, decoder: BinaryDecoder, limit = MAX_DECODE_BYTES): E {
  if (entry.kind !== 'message' || entry.frame !== 'binary' || entry.payload?.kind !== 'binary') return entry;
  // Checked before the base64 is turned into bytes: a message over the limit costs nothing more.
  const size = Math.floor((entry.payload.base64.length * 3) / 4);
  if (size > limit + 3) {
    return { ...entry, decoded: { as: decoder.as, error: `Not decoded: the message has ${entry.size} bytes, more than the decoder's limit of ${limit}` } };
  }
  return { ...entry, decoded: decodedInfo(new Uint8Array(Buffer.from(entry.payload.base64, 'base64')), decoder, limit) };
}

/**
 * Encodes a composer body (a JSON document) as `as`. MessagePack and CBOR need no schema;
 * Protobuf takes the endpoint's message type, so it needs the endpoint's protobuf decoder.
 */
export function encodeForSend(as: BinaryEncoding, body: string, decoder: BinaryDecoder | undefined): EncodeResult {
  if (as === 'protobuf') {
    if (decoder?.as !== 'protobuf') {
      return { ok: false, error: `Send as ${ENCODING_NAMES.protobuf} needs the endpoint's Decode binary as set to Protobuf with its .proto file and message type` };
    }
    return encodeJsonText(body, decoder);
  }
  return encodeJsonText(body, { as });
}
