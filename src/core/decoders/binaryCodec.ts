/**
 * Decoding a binary message with an endpoint's decoder (MessagePack, CBOR or a Protocol Buffers
 * message type) into JSON, and encoding a JSON document the same way for Send as, flows and
 * mocks. Pure: the .proto file is loaded beforehand (protoSchema.ts).
 */
import { Decoder as MsgpackDecoder, Encoder as MsgpackEncoder, ExtData } from '@msgpack/msgpack';
// The no-eval build: cbor-x's default one compiles record readers with `new Function` and looks
// for a native add-on; neither is wanted in the extension host.
import { Decoder as CborDecoder, Encoder as CborEncoder, Tag } from 'cbor-x/index-no-eval';
import type { Type } from 'protobufjs';
import type { BinaryEncoding, DecodedInfo } from '../../shared/protocol';
import { JsonValueError, fromJsonValue, toJsonValue } from './jsonValue';
import { checkProtoJson } from './protoJson';
import { scanCbor, scanMsgpack, type WireFault } from './wireScan';
import { l10n } from '../../shared/l10n';

/**
 * Messages bigger than this are not decoded (the log says so): decoding runs on the extension
 * host's thread, and 16 MiB of MessagePack records takes about 1-1.4 s there (docs/decoders.md).
 */
export const MAX_DECODE_BYTES = 16 * 1024 * 1024;

/** A ready decoder: the encoding, and for protobuf the message type. */
export type BinaryDecoder = { as: 'msgpack' | 'cbor' } | { as: 'protobuf'; type: Type };

export type DecodeResult = { ok: true; value: unknown } | { ok: false; error: string };
export type EncodeResult = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

export const ENCODING_NAMES: Record<BinaryEncoding, string> = { msgpack: 'MessagePack', cbor: 'CBOR', protobuf: 'Protobuf' };

const msgpackDecoder = new MsgpackDecoder({ useBigInt64: true });
const msgpackEncoder = new MsgpackEncoder({ useBigInt64: true });
// int64AsType is an option of cbor-x's decoder that its types leave out.
const cborDecoder = new CborDecoder({ mapsAsObjects: false, useRecords: false, int64AsType: 'bigint' } as ConstructorParameters<typeof CborDecoder>[0]);
const cborEncoder = new CborEncoder({ useRecords: false, tagUint8Array: false, variableMapSize: true });

function faultText(fault: WireFault, as: 'msgpack' | 'cbor'): string {
  return l10n.t('Not valid {0} at byte {1}: expected {2}', ENCODING_NAMES[as], fault.offset, fault.expected);
}

/** Reworded protobufjs reader errors: they say where, but in the reader's terms. */
function protobufError(error: unknown, type: Type): string {
  const text = error instanceof Error ? error.message : String(error);
  const name = type.fullName.replace(/^\./, '');
  const range = /index out of range: (\d+) \+ (\d+) > (\d+)/.exec(text);
  if (range) {
    return l10n.t('Not a valid {0} message at byte {1}: expected {2} more bytes, but the message has {3}', name, range[1] ?? '', range[2] ?? '', range[3] ?? '');
  }
  const wire = /invalid wire type (\d+) at offset (\d+)/.exec(text);
  if (wire) return l10n.t('Not a valid {0} message at byte {1}: expected a field with wire type 0-5, found wire type {2}', name, wire[2] ?? '', wire[1] ?? '');
  return l10n.t('Not a valid {0} message: {1}', name, text);
}

/** Decodes `bytes` into JSON data; a failure says where and what was expected. */
export function decodeBinary(bytes: Uint8Array, decoder: BinaryDecoder): DecodeResult {
  try {
    switch (decoder.as) {
      case 'msgpack': {
        const fault = scanMsgpack(bytes);
        if (fault) return { ok: false, error: faultText(fault, 'msgpack') };
        return { ok: true, value: toJsonValue(msgpackDecoder.decode(bytes)) };
      }
      case 'cbor': {
        const fault = scanCbor(bytes);
        if (fault) return { ok: false, error: faultText(fault, 'cbor') };
        return { ok: true, value: toJsonValue(cborDecoder.decode(bytes)) };
      }
      case 'protobuf': {
        let message;
        try {
          message = decoder.type.decode(bytes);
        } catch (error) {
          return { ok: false, error: protobufError(error, decoder.type) };
        }
        // Proto field names, 64-bit integers as decimal strings, enums by name, bytes as base64:
        // the proto3 JSON mapping's forms, which Send as reads back.
        return { ok: true, value: decoder.type.toObject(message, { longs: String, enums: String, bytes: String, json: true }) };
      }
    }
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { ok: false, error: l10n.t('Could not decode as {0}: {1}', ENCODING_NAMES[decoder.as], text) };
  }
}

/**
 * The Decoded view of a binary message: its value as indented JSON, or why there is none. Past
 * MAX_DECODE_BYTES nothing is decoded.
 */
export function decodedInfo(bytes: Uint8Array, decoder: BinaryDecoder, limit = MAX_DECODE_BYTES): DecodedInfo {
  if (bytes.length > limit) {
    return {
      as: decoder.as,
      error: l10n.t('Not decoded: the message has {0} bytes, more than the decoder\'s limit of {1} (Save the entry to decode it elsewhere)', bytes.length, limit),
    };
  }
  const result = decodeBinary(bytes, decoder);
  return result.ok ? { as: decoder.as, json: JSON.stringify(result.value, null, 2) } : { as: decoder.as, error: result.error };
}

const msgpackForms = {
  bytes: (data: Uint8Array) => data,
  bigint: (value: bigint) => value,
  ext: (type: number, data: Uint8Array) => new ExtData(type, data),
  tag: () => {
    throw new JsonValueError(l10n.t('"$tag" is a CBOR form; MessagePack has extensions ("$ext")'));
  },
};

const cborForms = {
  bytes: (data: Uint8Array) => data,
  bigint: (value: bigint) => value,
  ext: () => {
    throw new JsonValueError(l10n.t('"$ext" is a MessagePack form; CBOR has tags ("$tag")'));
  },
  tag: (tag: number, value: unknown) => new Tag(value, tag),
};

/** Encodes JSON data (already parsed) for the wire; protobuf data is checked against its type first. */
export function encodeValue(value: unknown, decoder: BinaryDecoder): EncodeResult {
  try {
    switch (decoder.as) {
      case 'msgpack':
        return { ok: true, bytes: msgpackEncoder.encode(fromJsonValue(value, msgpackForms)) };
      case 'cbor':
        return { ok: true, bytes: new Uint8Array(cborEncoder.encode(fromJsonValue(value, cborForms))) };
      case 'protobuf': {
        const problem = checkProtoJson(value, decoder.type);
        if (problem) return { ok: false, error: problem };
        return { ok: true, bytes: decoder.type.encode(decoder.type.fromObject(value as Record<string, unknown>)).finish() };
      }
    }
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { ok: false, error: l10n.t('Cannot encode as {0}: {1}', ENCODING_NAMES[decoder.as], text) };
  }
}

/** Parses a JSON document and encodes it; a JSON mistake is reported as such. */
export function encodeJsonText(text: string, decoder: BinaryDecoder): EncodeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: l10n.t('Send as {0} takes a JSON document: {1}', ENCODING_NAMES[decoder.as], error instanceof Error ? error.message : String(error)) };
  }
  return encodeValue(value, decoder);
}
