/**
 * How `--show` prints a received message: the panel's Show as formats, through the same codecs.
 * Without `--show`, text messages print as text and binary ones as a hex dump, as the panel
 * opens them.
 */
import { defaultShowAs, hexDump, payloadBytes, renderPayload } from '../shared/codecs';
import type { Payload, PayloadFormat } from '../shared/protocol';

export const SHOW_FORMATS: readonly PayloadFormat[] = ['text', 'json', 'hex', 'base64'];

export function isShowFormat(value: string): value is PayloadFormat {
  return (SHOW_FORMATS as readonly string[]).includes(value);
}

/** What to write for one message: `text` to standard output, `note` (if any) to standard error. */
export function showPayload(payload: Payload, show: PayloadFormat | undefined): { text: string; note?: string } {
  const format = show ?? defaultShowAs(payload);
  switch (format) {
    case 'hex':
      // The panel caps its hex view at 1 MiB to stay responsive; a terminal or a file gets every byte.
      return { text: hexDump(payloadBytes(payload)) };
    case 'text':
    case 'json':
    case 'base64':
      return renderPayload(payload, format);
  }
}
