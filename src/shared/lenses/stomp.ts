/**
 * The STOMP 1.2 lens (subprotocol `v12.stomp`; 1.0 and 1.1 frames read the same way): a frame is
 * a command line, header lines, a blank line and a body ended by NUL. One WebSocket message may
 * hold several frames, or be a heart-beat (a lone end of line). A frame that asks for a receipt
 * is paired with its RECEIPT, which shows the latency.
 */
import { l10n } from '../l10n';
import type { LensView } from '../model';
import { BoundedMap, clip, formatLatency, frameText, MAX_LISTED, MAX_READ, opposite, type Lens, type LensFrame } from './lens';

const COMMANDS = new Set([
  'CONNECT', 'STOMP', 'CONNECTED', 'SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK', 'BEGIN', 'COMMIT', 'ABORT',
  'DISCONNECT', 'MESSAGE', 'RECEIPT', 'ERROR',
]);

/** Frames of one message named in its summary. */
const SUMMARY_FRAMES = 3;

export interface StompFrame {
  command: string;
  /** In order, as sent; a repeated header's first value is the one that counts (STOMP 1.2). */
  headers: [string, string][];
  body: string;
}

/** Parses the frames of one message; a message that is not STOMP is an error in words. */
export function parseStompFrames(
  text: string,
): { ok: true; frames: StompFrame[]; heartbeats: number; /** Characters after the first MAX_READ frames, not read. */ unread: number } | { ok: false; error: string } {
  const frames: StompFrame[] = [];
  let heartbeats = 0;
  let at = 0;
  while (at < text.length) {
    if (frames.length === MAX_READ) return { ok: true, frames, heartbeats, unread: text.length - at };
    // End-of-line characters between frames are heart-beats.
    if (text[at] === '\n') {
      heartbeats++;
      at++;
      continue;
    }
    if (text.startsWith('\r\n', at)) {
      heartbeats++;
      at += 2;
      continue;
    }
    const lineEnd = text.indexOf('\n', at);
    if (lineEnd === -1) return { ok: false, error: l10n.t('frame {0} has no end of line after its command', frames.length + 1) };
    const command = stripCr(text.slice(at, lineEnd));
    if (!COMMANDS.has(command)) return { ok: false, error: l10n.t('"{0}" is not a STOMP command', clip(command, 40)) };
    at = lineEnd + 1;
    const headers: [string, string][] = [];
    // CONNECT and CONNECTED headers are not escaped (for 1.0 compatibility).
    const escaped = command !== 'CONNECT' && command !== 'CONNECTED';
    for (;;) {
      const end = text.indexOf('\n', at);
      if (end === -1) return { ok: false, error: l10n.t('the headers of {0} do not end with a blank line', command) };
      const line = stripCr(text.slice(at, end));
      at = end + 1;
      if (line === '') break;
      const colon = line.indexOf(':');
      if (colon === -1) return { ok: false, error: l10n.t('header line "{0}" of {1} has no colon', clip(line, 40), command) };
      const name = line.slice(0, colon);
      const value = line.slice(colon + 1);
      headers.push(escaped ? [unescape(name), unescape(value)] : [name, value]);
    }
    const lengthHeader = headerOf(headers, 'content-length');
    let bodyEnd: number;
    if (lengthHeader !== undefined && /^\d+$/.test(lengthHeader)) {
      // content-length counts octets; the text is UTF-16, so count the body's UTF-8 bytes.
      bodyEnd = advanceBytes(text, at, Number(lengthHeader));
      if (bodyEnd > text.length || text[bodyEnd] !== '\0') return { ok: false, error: l10n.t('the body of {0} is not content-length ({1}) bytes followed by NUL', command, lengthHeader) };
    } else {
      bodyEnd = text.indexOf('\0', at);
      if (bodyEnd === -1) return { ok: false, error: l10n.t('the body of {0} does not end with NUL', command) };
    }
    frames.push({ command, headers, body: text.slice(at, bodyEnd) });
    at = bodyEnd + 1;
  }
  return { ok: true, frames, heartbeats, unread: 0 };
}

export class StompLens implements Lens {
  readonly name = 'stomp' as const;
  /** Frames that asked for a receipt, by direction and receipt id. */
  private readonly receipts = new BoundedMap<string, { time: number; command: string }>();

  observe(frame: LensFrame): LensView | undefined {
    const text = frameText(frame.data);
    const parsed = parseStompFrames(text);
    if (!parsed.ok) {
      const error = l10n.t('Not a STOMP frame: {0}', parsed.error);
      return { lens: this.name, summary: error, fields: [['Text', clip(text, 200)]], error };
    }
    if (parsed.frames.length === 0) return { lens: this.name, summary: 'heart-beat', fields: [['Heart-beats', String(parsed.heartbeats)]] };
    const summaries: string[] = [];
    const fields: [string, string][] = [];
    const numbered = parsed.frames.length > 1;
    parsed.frames.forEach((stomp, index) => {
      const prefix = numbered ? `[${index + 1}] ` : '';
      const { summary, extra } = this.describe(stomp, frame);
      summaries.push(summary);
      if (index >= MAX_LISTED) return;
      fields.push([`${prefix}Command`, stomp.command]);
      for (const [name, value] of stomp.headers) fields.push([`${prefix}${name}`, clip(value)]);
      for (const [name, value] of extra) fields.push([`${prefix}${name}`, value]);
      if (stomp.body !== '') fields.push([`${prefix}Body`, clip(stomp.body)]);
    });
    if (parsed.frames.length > MAX_LISTED) fields.push(['Not listed', l10n.t('{0} more frames', parsed.frames.length - MAX_LISTED)]);
    if (parsed.unread > 0) fields.push(['Not read', l10n.t('{0} characters after the first {1} frames', parsed.unread, MAX_READ)]);
    const more = summaries.length > SUMMARY_FRAMES ? ` · +${summaries.length - SUMMARY_FRAMES} frames` : '';
    return { lens: this.name, summary: summaries.slice(0, SUMMARY_FRAMES).join(' · ') + more, fields };
  }

  private describe(stomp: StompFrame, frame: LensFrame): { summary: string; extra: [string, string][] } {
    const header = (name: string) => headerOf(stomp.headers, name);
    const extra: [string, string][] = [];
    const receipt = header('receipt');
    if (receipt !== undefined && stomp.command !== 'RECEIPT') {
      this.receipts.set(`${frame.direction}:${receipt}`, { time: frame.time, command: stomp.command });
    }
    let target: string | undefined;
    switch (stomp.command) {
      case 'SEND':
      case 'SUBSCRIBE':
      case 'MESSAGE':
        target = header('destination');
        break;
      case 'UNSUBSCRIBE':
        target = header('id') === undefined ? undefined : `id=${header('id')}`;
        break;
      case 'ACK':
      case 'NACK':
        target = header('id');
        break;
      case 'BEGIN':
      case 'COMMIT':
      case 'ABORT':
        target = header('transaction');
        break;
      case 'CONNECT':
      case 'STOMP':
        target = header('host');
        break;
      case 'CONNECTED':
        target = header('version');
        break;
      case 'ERROR':
        target = header('message');
        break;
      case 'RECEIPT': {
        const id = header('receipt-id');
        target = id;
        const asked = id === undefined ? undefined : this.receipts.take(`${opposite(frame.direction)}:${id}`);
        if (asked) {
          extra.push(['Receipt for', asked.command], ['Latency', formatLatency(frame.time - asked.time)]);
          target = `${id} ${formatLatency(frame.time - asked.time)}`;
        }
        break;
      }
      case 'DISCONNECT':
        break;
    }
    return { summary: target === undefined || target === '' ? stomp.command : `${stomp.command} ${clip(target, 120)}`, extra };
  }
}

/** The first value of a header (STOMP 1.2: a repeated header's first occurrence counts). */
function headerOf(headers: readonly [string, string][], name: string): string | undefined {
  for (const [key, value] of headers) if (key === name) return value;
  return undefined;
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** STOMP 1.2 header escapes: \r, \n, \c (colon) and \\. An unknown escape is kept as written. */
function unescape(value: string): string {
  if (!value.includes('\\')) return value;
  return value.replace(/\\(.)/g, (whole, letter: string) => {
    switch (letter) {
      case 'r':
        return '\r';
      case 'n':
        return '\n';
      case 'c':
        return ':';
      case '\\':
        return '\\';
      default:
        return whole;
    }
  });
}

/** The index in `text` after `bytes` UTF-8 bytes from `from` (past the end when there are fewer). */
function advanceBytes(text: string, from: number, bytes: number): number {
  let at = from;
  let left = bytes;
  while (left > 0 && at < text.length) {
    const code = text.codePointAt(at) as number;
    left -= code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    at += code >= 0x10000 ? 2 : 1;
  }
  return left > 0 ? text.length + 1 : at;
}
