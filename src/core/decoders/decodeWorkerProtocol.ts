/**
 * What the host and a decode worker (decodeWorker.ts) say to each other. The worker is started
 * with the decoder it uses (`DecodeWorkerData`); each request is one log entry to decode.
 */
import type { INamespace } from 'protobufjs';
import type { DecodedInfo, LogEntry } from '../../shared/protocol';

/** A decoder as plain data: protobufjs types do not cross threads, their root's JSON form does. */
export type DecodeWorkerData = ({ as: 'msgpack' | 'cbor'; limit: number } | { as: 'protobuf'; limit: number; root: INamespace; type: string }) & {
  /** The host's translations (src/shared/l10n.ts), so a decode error reads in the panel's language. */
  l10n?: Readonly<Record<string, string>>;
};

export interface DecodeRequest {
  id: number;
  entry: Omit<LogEntry, 'id'>;
}

/** The Decoded view the entry gets; undefined when it has nothing to decode. */
export interface DecodeReply {
  id: number;
  decoded: DecodedInfo | undefined;
}
