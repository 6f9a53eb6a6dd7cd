/** Display formatting shared by the log, the composer and the status line. */
import type { PayloadFormat, SendFormat, ShowFormat } from '../shared/protocol';
import { l10n } from './l10n';

/** Option labels for Show as / Send as, in the order the selects list them. */
export const FORMAT_OPTIONS: readonly (readonly [PayloadFormat, string])[] = [
  ['text', l10n.t('Text')],
  ['json', 'JSON'],
  ['hex', 'Hex'],
  ['base64', 'Base64'],
];

export function isPayloadFormat(value: unknown): value is PayloadFormat {
  return value === 'text' || value === 'json' || value === 'hex' || value === 'base64';
}

/** Show as in the log: the payload formats and the decoder's view. */
export const SHOW_OPTIONS: readonly (readonly [ShowFormat, string])[] = [...FORMAT_OPTIONS, ['decoded', l10n.t('Decoded')]];

export function isShowFormat(value: unknown): value is ShowFormat {
  return isPayloadFormat(value) || value === 'decoded';
}

/** Send as in the composer: the payload formats and a JSON document in a binary encoding. */
export const SEND_OPTIONS: readonly (readonly [SendFormat, string])[] = [
  ...FORMAT_OPTIONS,
  ['msgpack', 'MessagePack'],
  ['cbor', 'CBOR'],
  ['protobuf', 'Protobuf'],
];

export function isSendFormat(value: unknown): value is SendFormat {
  return isPayloadFormat(value) || value === 'msgpack' || value === 'cbor' || value === 'protobuf';
}

/** "12 B", "1.5 KB", "3.2 MB": compact sizes for log rows and counters. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = value >= 100 ? Math.round(value).toString() : value.toFixed(1).replace(/\.0$/, '');
  return `${rounded} ${units[unit]}`;
}

/** Local wall-clock time with milliseconds, "HH:MM:SS.mmm", as debuggers usually show it. */
export function formatTime(epochMs: number): string {
  const date = new Date(epochMs);
  const two = (n: number) => n.toString().padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${date
    .getMilliseconds()
    .toString()
    .padStart(3, '0')}`;
}
