/**
 * One row of the message log: one line per entry (time, direction, type, size, a one-line
 * preview; a lens's summary where a protocol lens read the message), an option of the log's
 * listbox. Rows hold no controls, so the log is one tab stop; the whole message, its views and
 * actions are in the detail pane (detailPane.ts). The preview is rendered with the shared codecs
 * as text nodes, so whatever the server sent (markup, bidi or control characters) is shown, never
 * run; filter matches are wrapped in <mark>.
 */
import type { LogEntry, Payload, PayloadFormat, ShowFormat } from '../shared/protocol';
import { defaultShowAs, renderPayload, type RenderedPayload } from '../shared/codecs';
import type { MatchRange } from '../shared/logFilter';
import { h, icon } from './dom';
import { formatBytes, formatTime, isPayloadFormat } from './format';
import { visibleFragment } from './visibleTextNodes';
import { l10n } from './l10n';

/** A row never renders more than this much of a payload: it shows one line of it anyway. */
const MAX_SHOWN_CHARS = 8_000;

const KIND_ICONS: Record<LogEntry['kind'], string> = {
  open: 'plug',
  message: 'mail',
  ping: 'pulse',
  pong: 'pulse',
  error: 'error',
  close: 'debug-disconnect',
  info: 'info',
  event: 'symbol-event',
  ack: 'check',
};

export function hasPayloadView(entry: LogEntry): boolean {
  return entry.kind === 'message' || entry.kind === 'ping' || entry.kind === 'pong' || entry.event !== undefined;
}

/** The element id of an entry's row, for aria-activedescendant. */
export function rowId(entryId: number): string {
  return `log-row-${entryId}`;
}

/** What a row needs from the log around it. */
export interface RowContext {
  /** Ranges of the current filter's matches in a text, for highlighting. */
  ranges(text: string): readonly MatchRange[];
  /** Whose entry this is, where the log mixes several peers (a mock server's clients). */
  peerOf?(entry: LogEntry): string | undefined;
}

/**
 * Appends `text` to `parent` as text nodes, with the `ranges` wrapped in <mark> and invisible
 * characters (controls, bidi, zero-width) shown as markers.
 */
export function appendHighlighted(parent: HTMLElement, text: string, ranges: readonly MatchRange[]): void {
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at || end > text.length) continue;
    if (start > at) parent.append(visibleFragment(text.slice(at, start)));
    parent.append(h('mark', {}, visibleFragment(text.slice(start, end))));
    at = end;
  }
  if (at < text.length) parent.append(visibleFragment(text.slice(at)));
}

/** The row's type column: the frame of a message, the control frame, the Socket.IO kind. */
function typeOf(entry: LogEntry): string | undefined {
  if (entry.event || entry.kind === 'ping' || entry.kind === 'pong') return entry.kind;
  if (entry.kind === 'message') return entry.frame ?? 'text';
  return undefined;
}

/** Builds the row element of `entry`, its preview shown as `showAs` (or its natural default). */
export function renderRow(entry: LogEntry, showAs: ShowFormat | undefined, context: RowContext, position: { index: number; selected: boolean }): HTMLDivElement {
  const sentOrReceived = entry.direction !== 'none';
  const row = h(
    'div',
    {
      class: `entry kind-${entry.kind} dir-${entry.direction}`,
      id: rowId(entry.id),
      attrs: {
        role: 'option',
        'data-entry-id': String(entry.id),
        'aria-selected': String(position.selected),
        'aria-posinset': String(position.index + 1),
        // The log grows while it is read: its size is left unknown rather than rewritten on every row.
        'aria-setsize': '-1',
      },
    },
    h('time', { class: 'entry-time', text: formatTime(entry.time), attrs: { datetime: new Date(entry.time).toISOString() } }),
    icon(entry.direction === 'sent' ? 'arrow-up' : entry.direction === 'received' ? 'arrow-down' : KIND_ICONS[entry.kind]),
    // Sent and received read from the arrow; the words are there for screen readers and search.
    h('span', { class: sentOrReceived ? 'entry-direction visually-hidden' : 'entry-direction', text: sentOrReceived ? entry.direction : entry.kind }),
  );
  if (entry.event?.queued) row.classList.add('queued');
  const type = typeOf(entry);
  if (type) row.append(h('span', { class: 'entry-frame', text: type }));
  if (hasPayloadView(entry) || entry.size > 0) row.append(h('span', { class: 'entry-size', text: formatBytes(entry.size) }));
  const peer = context.peerOf?.(entry);
  if (peer) row.append(h('span', { class: 'entry-peer', text: peer }));
  if (entry.event) {
    row.dataset.eventName = entry.event.name;
    row.append(h('span', { class: 'entry-event-name' }, visibleFragment(entry.event.name)));
  }
  if (entry.lens) {
    const summary = h('span', { class: `entry-lens${entry.lens.error !== undefined ? ' lens-error' : ''}` });
    appendHighlighted(summary, entry.lens.summary, context.ranges(entry.lens.summary));
    row.append(summary);
  }
  if (!hasPayloadView(entry)) {
    if (entry.detail) {
      const detail = h('span', { class: 'entry-detail', attrs: { title: entry.detail } });
      appendHighlighted(detail, entry.detail, context.ranges(entry.detail));
      row.append(detail);
    }
    return row;
  }
  if (entry.detail) row.append(h('span', { class: 'entry-note' }, visibleFragment(entry.detail)));
  const rendered = renderEntry(entry, showAs);
  const content = h('span', { class: 'entry-content' });
  const text = rendered.text.length > MAX_SHOWN_CHARS ? rendered.text.slice(0, MAX_SHOWN_CHARS) : rendered.text;
  appendHighlighted(content, text, context.ranges(text));
  content.classList.toggle('empty', text === '');
  row.append(content);
  const notes: string[] = [];
  if (entry.truncated) notes.push(l10n.t('Preview of {0}', formatBytes(entry.size)));
  if (rendered.note) notes.push(rendered.note);
  if (notes.length > 0) row.append(h('span', { class: 'note', text: notes.join(' · ') }));
  return row;
}

/** The view an entry opens in when none was chosen: a decoded message as Decoded, else codecs.ts's default. */
export function defaultShowFor(entry: LogEntry): ShowFormat {
  if (entry.decoded?.json !== undefined) return 'decoded';
  return defaultShowAs(entry.event?.args[0] ?? entry.payload ?? { kind: 'binary', base64: '' });
}

/** An entry's payload (or Socket.IO arguments) as `showAs`, or as its natural default. */
export function renderEntry(entry: LogEntry, showAs: ShowFormat | undefined): RenderedPayload {
  const format = showAs ?? defaultShowFor(entry);
  // A Socket.IO event with decoded binary arguments shows the decoder's argument list as Decoded.
  const decodedEvent = format === 'decoded' && entry.decoded?.json !== undefined;
  if (entry.event && !decodedEvent) return withDecodeError(renderArgs(entry.event.args, isPayloadFormat(showAs) ? showAs : undefined), entry.decoded?.error);
  // Ping and pong may carry no payload at all; they are shown as zero bytes.
  return renderShown(entry, entry.payload ?? { kind: 'binary', base64: '' }, format);
}

/**
 * A message as `format`. Decoded shows the decoder's JSON; without it (a decode error, or no
 * decoder) the raw bytes are shown with the reason. A decode error is noted in every view.
 */
function renderShown(entry: LogEntry, payload: Payload, format: ShowFormat): RenderedPayload {
  const decoded = entry.decoded;
  if (format === 'decoded') {
    if (decoded?.json !== undefined) {
      return decoded.truncated ? { text: decoded.json, note: l10n.t('Preview of the decoded value (Open shows the whole message)') } : { text: decoded.json };
    }
    const raw = renderPayload(payload, defaultShowAs(payload));
    return { text: raw.text, note: decoded?.error ?? l10n.t('Not decoded: choose Decode binary as in the connection options') };
  }
  const rendered = renderPayload(payload, format);
  if (decoded?.error === undefined) return rendered;
  return { text: rendered.text, note: rendered.note ? `${decoded.error} · ${rendered.note}` : decoded.error };
}

/** A decode error of a Socket.IO event's binary arguments, noted in every view of its arguments. */
function withDecodeError(rendered: { text: string; note?: string }, error: string | undefined): { text: string; note?: string } {
  if (error === undefined) return rendered;
  return { text: rendered.text, note: rendered.note ? `${error} · ${rendered.note}` : error };
}

/**
 * Socket.IO arguments: each on its own line, as `showAs` or its own default, with its number
 * when there are several.
 */
function renderArgs(args: readonly Payload[], showAs: PayloadFormat | undefined): { text: string; note?: string } {
  if (args.length === 0) return { text: '', note: l10n.t('no arguments') };
  const notes: string[] = [];
  const lines = args.map((arg, index) => {
    const rendered = renderPayload(arg, showAs ?? defaultShowAs(arg));
    const label = args.length > 1 || arg.kind === 'binary' ? `arg ${index + 1}${arg.kind === 'binary' ? ' (binary)' : ''}: ` : '';
    if (rendered.note) notes.push(`argument ${index + 1}: ${rendered.note}`);
    return label + rendered.text;
  });
  return notes.length > 0 ? { text: lines.join('\n'), note: notes.join('; ') } : { text: lines.join('\n') };
}
