/**
 * The rules of an endpoint's Decode binary as beyond its schema: Protocol Buffers needs the .proto
 * file and the message type, the other encodings take neither. Shared by the collection import and
 * the connection form, so both say the same thing.
 */
import { l10n } from './l10n';
import type { DecodeConfig } from './protocol';

/** Why `decode` cannot be used, or undefined when it can. */
export function checkDecode(decode: DecodeConfig): string | undefined {
  if (decode.as === 'protobuf') {
    if (!decode.proto?.trim()) return l10n.t('"decode": protobuf needs "proto", the .proto file that defines the message type');
    if (!decode.type?.trim()) return l10n.t('"decode": protobuf needs "type", the fully qualified message type (e.g. "feed.v1.Tick")');
    return undefined;
  }
  if (decode.proto !== undefined || decode.type !== undefined) {
    return l10n.t('"decode": "proto" and "type" are for "as": "protobuf", not "{0}"', decode.as);
  }
  return undefined;
}

/** The decode settings worth keeping: `{}` when there are none. */
export function decodeFields(decode: DecodeConfig | undefined): { decode?: DecodeConfig } {
  if (!decode) return {};
  return {
    decode: {
      as: decode.as,
      ...(decode.proto !== undefined ? { proto: decode.proto } : {}),
      ...(decode.type !== undefined ? { type: decode.type } : {}),
    },
  };
}
