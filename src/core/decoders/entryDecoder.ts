/**
 * An endpoint's decoder at work: built once per Connect from its Decode binary as (loading the
 * .proto file), it adds the Decoded view to every binary message entry (and to Socket.IO events
 * with binary arguments) and encodes JSON documents for Send as. A decoder that cannot be built is reported in words and binary messages stay bytes.
 */
import type { BinaryEncoding, DecodeConfig, LogEntry, Payload } from '../../shared/protocol';
import { decodeBinary, decodedInfo, encodeJsonText, ENCODING_NAMES, MAX_DECODE_BYTES, type BinaryDecoder, type EncodeResult } from './binaryCodec';
import { loadProtoType } from './protoSchema';
import { l10n } from '../../shared/l10n';

export type DecoderResult = { ok: true; decoder: BinaryDecoder } | { ok: false; error: string };

/** The decoder `config` describes; `dirs` are where a relative .proto path is looked up. */
export async function loadDecoder(config: DecodeConfig, dirs: readonly string[]): Promise<DecoderResult> {
  if (config.as !== 'protobuf') return { ok: true, decoder: { as: config.as } };
  if (!config.proto || !config.type) return { ok: false, error: l10n.t('Decode binary as Protobuf needs a .proto file and a message type') };
  const loaded = await loadProtoType(config.proto, config.type, dirs);
  return loaded.ok ? { ok: true, decoder: { as: 'protobuf', type: loaded.type } } : loaded;
}

/** The byte count of base64 text, from its length (without decoding it). */
export function base64Size(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

/**
 * A Socket.IO event's or ack's arguments with each binary argument decoded: the values (a binary
 * argument that does not decode stays `{"<binary>": base64}`, as flows see bytes) and, per
 * argument that did not decode, why (its number counts from 1). Undefined when no argument is
 * binary. Each argument has the decoder's size limit of its own.
 */
export function decodedArguments(args: readonly Payload[], decoder: BinaryDecoder, limit = MAX_DECODE_BYTES): { values: unknown[]; errors: string[] } | undefined {
  if (!args.some((arg) => arg.kind === 'binary')) return undefined;
  const errors: string[] = [];
  const values = args.map((arg, index) => {
    if (arg.kind === 'text') {
      try {
        return JSON.parse(arg.text) as unknown;
      } catch {
        return arg.text;
      }
    }
    const size = base64Size(arg.base64);
    if (size > limit) {
      errors.push(l10n.t('argument {0}: Not decoded: it has {1} bytes, more than the decoder\'s limit of {2}', index + 1, size, limit));
      return { '<binary>': arg.base64 };
    }
    const result = decodeBinary(new Uint8Array(Buffer.from(arg.base64, 'base64')), decoder);
    if (result.ok) return result.value;
    errors.push(`argument ${index + 1}: ${result.error}`);
    return { '<binary>': arg.base64 };
  });
  return { values, errors };
}

/**
 * The entry with its Decoded view when it is a binary message (sent or received), or a Socket.IO
 * event or ack with binary arguments (the argument list with those decoded); other entries
 * unchanged. The payload (the raw bytes) is kept as it is.
 */
export function withDecoded<E extends Omit<LogEntry, 'id'>>(entry: E, decoder: BinaryDecoder, limit = MAX_DECODE_BYTES): E {
  if ((entry.kind === 'event' || entry.kind === 'ack') && entry.event) {
    const decoded = decodedArguments(entry.event.args, decoder, limit);
    if (!decoded) return entry;
    const decodedAny = decoded.errors.length < entry.event.args.filter((arg) => arg.kind === 'binary').length;
    return {
      ...entry,
      decoded: {
        as: decoder.as,
        // The argument list as JSON when at least one binary argument decoded; the errors say which did not.
        ...(decodedAny ? { json: JSON.stringify(decoded.values, null, 2) } : {}),
        ...(decoded.errors.length > 0 ? { error: decoded.errors.join('; ') } : {}),
      },
    };
  }
  if (entry.kind !== 'message' || entry.frame !== 'binary' || entry.payload?.kind !== 'binary') return entry;
  // Checked before the base64 is turned into bytes: a message over the limit costs nothing more.
  const size = Math.floor((entry.payload.base64.length * 3) / 4);
  if (size > limit + 3) {
    return { ...entry, decoded: { as: decoder.as, error: l10n.t('Not decoded: the message has {0} bytes, more than the decoder\'s limit of {1}', entry.size, limit) } };
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
      return { ok: false, error: l10n.t('Send as {0} needs the endpoint\'s Decode binary as set to Protobuf with its .proto file and message type', ENCODING_NAMES.protobuf) };
    }
    return encodeJsonText(body, decoder);
  }
  return encodeJsonText(body, { as });
}
