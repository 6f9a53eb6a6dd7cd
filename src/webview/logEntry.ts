/**
 * One row of the message log. The payload is rendered with the shared codecs into a <pre> as
 * text, so whatever the server sent (markup, bidi or control characters) is shown, never run.
 * Rows have one fixed height (the log is virtualized), so a row shows the first lines of its
 * payload; the whole message opens in an editor on demand, and binary or large messages can be
 * saved to a file. Filter matches are highlighted with <mark> elements around text nodes.
 */
import type { LogEntry, Payload, PayloadFormat, ShowFormat } from '../shared/protocol';
import { defaultShowAs, renderPayload, type RenderedPayload } from '../shared/codecs';
import type { MatchRange } from '../shared/logFilter';
import { h, icon, iconButton, select } from './dom';
import { formatBytes, formatTime, isPayloadFormat, isShowFormat, SHOW_OPTIONS } from './format';
import { LENS_TITLES } from './lensDetails';
import { visibleFragment } from './visibleTextNodes';

/** A row never renders more than this much of a payload: it shows a few lines of it anyway. */
const MAX_SHOWN_CHARS = 8_000;
/** Lines a row has room for (see .entry-content in panel.css); more opens in an editor. */
const ROW_LINES = 2;

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

/** What a row needs from the log around it. */
export interface RowContext {
  /** Told when the user picks this entry's own Show as. */
  onShowAs(entry: LogEntry, format: ShowFormat): void;
  openEntry(entry: LogEntry): void;
  saveEntry(entry: LogEntry): void;
  /** Ranges of the current filter's matches in a text, for highlighting. */
  ranges(text: string): readonly MatchRange[];
  /** Whose entry this is, where the log mixes several peers (a mock server's clients). */
  peerOf?(entry: LogEntry): string | undefined;
  /** Shows (or hides again) the fields a protocol lens read in this entry. */
  showLens(entry: LogEntry): void;
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

export class RenderedEntry {
  readonly element: HTMLDivElement;
  private readonly payload: Payload;
  private readonly showAsSelect?: HTMLSelectElement;
  private readonly content?: HTMLPreElement;
  private readonly note?: HTMLSpanElement;
  private readonly openButton?: HTMLButtonElement;

  constructor(
    readonly entry: LogEntry,
    showAs: ShowFormat | undefined,
    private readonly context: RowContext,
  ) {
    // Ping and pong may carry no payload at all; they are shown as zero bytes.
    this.payload = entry.payload ?? { kind: 'binary', base64: '' };
    const head = h(
      'div',
      { class: 'entry-head' },
      icon(entry.direction === 'sent' ? 'arrow-up' : entry.direction === 'received' ? 'arrow-down' : KIND_ICONS[entry.kind]),
      h('time', { class: 'entry-time', text: formatTime(entry.time), attrs: { datetime: new Date(entry.time).toISOString() } }),
      h('span', { class: 'entry-direction', text: entry.direction === 'none' ? entry.kind : entry.direction }),
    );
    if (entry.event) {
      head.append(
        h('span', { class: 'entry-frame', text: entry.kind }),
        h('span', { class: 'entry-event-name' }, visibleFragment(entry.event.name)),
      );
    } else if (entry.kind === 'ping' || entry.kind === 'pong') head.append(h('span', { class: 'entry-frame', text: entry.kind }));
    else if (entry.frame) head.append(h('span', { class: 'entry-frame', text: entry.frame }));
    if (hasPayloadView(entry) || entry.size > 0) head.append(h('span', { class: 'entry-size', text: formatBytes(entry.size) }));
    const peer = context.peerOf?.(entry);
    if (peer) head.append(h('span', { class: 'entry-peer', text: peer }));
    if (entry.lens) {
      const lens = entry.lens;
      const summary = h('button', {
        class: `entry-lens${lens.error !== undefined ? ' lens-error' : ''}`,
        attrs: { type: 'button', 'aria-label': `Lens fields of entry ${entry.id}: ${lens.summary}`, title: `${LENS_TITLES[lens.lens]}: show the fields` },
      });
      appendHighlighted(summary, lens.summary, context.ranges(lens.summary));
      summary.addEventListener('click', () => context.showLens(entry));
      head.append(summary);
    }

    this.element = h('div', {
      class: `entry kind-${entry.kind} dir-${entry.direction}`,
      attrs: { 'data-entry-id': String(entry.id) },
    }, head);

    if (entry.event) {
      this.element.dataset.eventName = entry.event.name;
      if (entry.event.queued) this.element.classList.add('queued');
    }

    if (!hasPayloadView(entry)) {
      if (entry.detail) {
        const detail = h('div', { class: 'entry-detail', attrs: { title: entry.detail } });
        appendHighlighted(detail, entry.detail, context.ranges(entry.detail));
        this.element.append(detail);
      }
      return;
    }
    if (entry.detail) head.append(h('span', { class: 'entry-note' }, visibleFragment(entry.detail)));
    this.note = h('span', { class: 'note' });
    head.append(this.note, h('span', { class: 'spacer' }));
    if (entry.truncated || this.payload.kind === 'binary') {
      const save = iconButton('save', `Save entry ${entry.id} to a file`);
      save.addEventListener('click', () => context.saveEntry(entry));
      head.append(save);
    }
    this.openButton = iconButton('go-to-file', `Open entry ${entry.id} in an editor`);
    this.openButton.addEventListener('click', () => context.openEntry(entry));
    head.append(this.openButton);
    const showAsSelect = select(`Show entry ${entry.id} as`, SHOW_OPTIONS);
    showAsSelect.classList.add('entry-show-as');
    showAsSelect.title = 'Show this entry as';
    showAsSelect.addEventListener('change', () => {
      const format = showAsSelect.value;
      if (!isShowFormat(format)) return;
      context.onShowAs(entry, format);
      this.render(format);
    });
    head.append(showAsSelect);
    this.showAsSelect = showAsSelect;
    this.content = h('pre', { class: 'entry-content', attrs: { tabindex: '0' } });
    this.element.append(this.content);
    this.render(showAs);
  }

  /** Renders the payload as `showAs`, or as its natural default when none was chosen. */
  render(showAs: ShowFormat | undefined): void {
    if (!this.content || !this.note || !this.showAsSelect || !this.openButton) return;
    const format = showAs ?? defaultShowFor(this.entry, this.payload);
    this.showAsSelect.value = format;
    // A Socket.IO event with decoded binary arguments shows the decoder's argument list as Decoded.
    const decodedEvent = format === 'decoded' && this.entry.decoded?.json !== undefined;
    const rendered = this.entry.event && !decodedEvent
      ? withDecodeError(renderArgs(this.entry.event.args, isPayloadFormat(showAs) ? showAs : undefined), this.entry.decoded?.error)
      : renderShown(this.entry, this.payload, format);
    const notes: string[] = [];
    if (this.entry.truncated) notes.push(`Preview of ${formatBytes(this.entry.size)}`);
    if (rendered.note) notes.push(rendered.note);
    this.note.textContent = notes.join(' · ');
    this.note.title = this.note.textContent;
    const text = rendered.text.length > MAX_SHOWN_CHARS ? rendered.text.slice(0, MAX_SHOWN_CHARS) : rendered.text;
    this.content.replaceChildren();
    appendHighlighted(this.content, text, this.context.ranges(text));
    this.content.classList.toggle('empty', text === '');
    // The whole message is one click away when the row cannot show all of it.
    // Socket.IO arguments live in the entry itself, not in a payload the host can open.
    this.openButton.hidden = this.entry.event !== undefined || !(this.entry.truncated || text.length < rendered.text.length || lineCountOver(text, ROW_LINES) || text.length > 300);
  }
}

/** A decoded message opens in the Decoded view; anything else as codecs.ts's defaultShowAs says. */
function defaultShowFor(entry: LogEntry, payload: Payload): ShowFormat {
  if (entry.decoded?.json !== undefined) return 'decoded';
  return defaultShowAs(entry.event?.args[0] ?? payload);
}

/**
 * A message as `format`. Decoded shows the decoder's JSON; without it (a decode error, or no
 * decoder) the raw bytes are shown with the reason. A decode error is noted in every view.
 */
function renderShown(entry: LogEntry, payload: Payload, format: ShowFormat): RenderedPayload {
  const decoded = entry.decoded;
  if (format === 'decoded') {
    if (decoded?.json !== undefined) {
      return decoded.truncated ? { text: decoded.json, note: 'Preview of the decoded value (Open shows the whole message)' } : { text: decoded.json };
    }
    const raw = renderPayload(payload, defaultShowAs(payload));
    return { text: raw.text, note: decoded?.error ?? 'Not decoded: choose Decode binary as in the connection options' };
  }
  const rendered = renderPayload(payload, format);
  if (decoded?.error === undefined) return rendered;
  return { text: rendered.text, note: rendered.note ? `${decoded.error} · ${rendered.note}` : decoded.error };
}

function lineCountOver(text: string, limit: number): boolean {
  let lines = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
    if (++lines > limit) return true;
  }
  return false;
}

/** A decode error of a Socket.IO event's binary arguments, noted in every view of its arguments. */
function withDecodeError(rendered: { text: string; note?: string }, error: string | undefined): { text: string; note?: string } {
  if (error === undefined) return rendered;
  return { text: rendered.text, note: rendered.note ? `${error} · ${rendered.note}` : error };
}

/**
 * Socket.IO arguments for one row: each on its own line, as `showAs` or its own default, with
 * its number when there are several.
 */
function renderArgs(args: readonly Payload[], showAs: PayloadFormat | undefined): { text: string; note?: string } {
  if (args.length === 0) return { text: '', note: 'no arguments' };
  const notes: string[] = [];
  const lines = args.map((arg, index) => {
    const rendered = renderPayload(arg, showAs ?? defaultShowAs(arg));
    const label = args.length > 1 || arg.kind === 'binary' ? `arg ${index + 1}${arg.kind === 'binary' ? ' (binary)' : ''}: ` : '';
    if (rendered.note) notes.push(`argument ${index + 1}: ${rendered.note}`);
    return label + rendered.text;
  });
  return notes.length > 0 ? { text: lines.join('\n'), note: notes.join('; ') } : { text: lines.join('\n') };
}
