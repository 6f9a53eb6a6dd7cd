/**
 * One row of the message log. The payload is rendered with the shared codecs into a <pre> as
 * text, so whatever the server sent (markup, bidi or control characters) is shown, never run.
 */
import type { LogEntry, Payload, PayloadFormat } from '../shared/protocol';
import { defaultShowAs, renderPayload } from '../shared/codecs';
import { h, icon, select } from './dom';
import { FORMAT_OPTIONS, formatBytes, formatTime, isPayloadFormat } from './format';

/** Past this many characters a payload is cut in the log until the user asks for all of it. */
const MAX_SHOWN_CHARS = 100_000;

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

export class RenderedEntry {
  readonly element: HTMLDivElement;
  private readonly payload: Payload;
  private readonly showAsSelect?: HTMLSelectElement;
  private readonly content?: HTMLPreElement;
  private readonly note?: HTMLDivElement;
  /** Socket.IO event arguments, each rendered on its own. */
  private readonly args?: HTMLDivElement;
  private showAll = false;

  /** `onShowAs` is told when the user picks this entry's own Show as. */
  constructor(
    readonly entry: LogEntry,
    showAs: PayloadFormat | undefined,
    onShowAs: (entry: LogEntry, format: PayloadFormat) => void,
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
        h('span', { class: 'entry-event-name', text: entry.event.name }),
      );
    } else if (entry.kind === 'ping' || entry.kind === 'pong') head.append(h('span', { class: 'entry-frame', text: entry.kind }));
    else if (entry.frame) head.append(h('span', { class: 'entry-frame', text: entry.frame }));
    if (hasPayloadView(entry) || entry.size > 0) head.append(h('span', { class: 'entry-size', text: formatBytes(entry.size) }));
    if (entry.detail) head.append(h('span', { class: 'entry-detail', text: entry.detail }));

    this.element = h('div', {
      class: `entry kind-${entry.kind} dir-${entry.direction}`,
      attrs: { 'data-entry-id': String(entry.id) },
    }, head);

    if (entry.event) {
      this.element.dataset.eventName = entry.event.name;
      if (entry.event.queued) this.element.classList.add('queued');
    }

    if (hasPayloadView(entry)) {
      const showAsSelect = select(`Show entry ${entry.id} as`, FORMAT_OPTIONS);
      showAsSelect.classList.add('entry-show-as');
      showAsSelect.title = 'Show this entry as';
      showAsSelect.addEventListener('change', () => {
        const format = showAsSelect.value;
        if (!isPayloadFormat(format)) return;
        onShowAs(entry, format);
        this.render(format);
      });
      head.append(showAsSelect);
      this.showAsSelect = showAsSelect;
      this.content = h('pre', { class: 'entry-content' });
      this.note = h('div', { class: 'note' });
      if (entry.event) {
        this.args = h('div', { class: 'entry-args' });
        this.element.append(this.args, this.note);
      } else {
        this.element.append(this.content, this.note);
      }
      this.render(showAs);
    }
  }

  /** Renders the payload as `showAs`, or as its natural default when none was chosen. */
  render(showAs: PayloadFormat | undefined): void {
    if (!this.content || !this.note || !this.showAsSelect) return;
    if (this.args && this.entry.event) {
      this.renderArgs(this.entry.event.args, showAs);
      return;
    }
    const format = showAs ?? defaultShowAs(this.payload);
    this.showAsSelect.value = format;
    const rendered = renderPayload(this.payload, format);
    const notes: Node[] = [];
    if (rendered.note) notes.push(h('span', { text: rendered.note }));
    let text = rendered.text;
    if (!this.showAll && text.length > MAX_SHOWN_CHARS) {
      text = text.slice(0, MAX_SHOWN_CHARS);
      const more = h('button', {
        class: 'link-button',
        text: `Show all of entry ${this.entry.id}`,
        attrs: { type: 'button' },
      });
      more.addEventListener('click', () => {
        this.showAll = true;
        const current = this.showAsSelect?.value;
        this.render(isPayloadFormat(current) ? current : undefined);
      });
      notes.push(h('span', { text: `Showing the first ${MAX_SHOWN_CHARS.toLocaleString('en-US')} of ${rendered.text.length.toLocaleString('en-US')} characters.` }), more);
    }
    this.content.textContent = text;
    this.content.classList.toggle('empty', text === '');
    this.note.replaceChildren(...notes);
  }

  /** Each argument in its own block, as `showAs` or its own default; one Show as for all. */
  private renderArgs(args: readonly Payload[], showAs: PayloadFormat | undefined): void {
    if (!this.args || !this.note || !this.showAsSelect) return;
    this.showAsSelect.value = showAs ?? (args[0] ? defaultShowAs(args[0]) : 'text');
    const notes: Node[] = [];
    const blocks = args.map((arg, index) => {
      const rendered = renderPayload(arg, showAs ?? defaultShowAs(arg));
      if (rendered.note) notes.push(h('span', { text: `Argument ${index + 1}: ${rendered.note}` }));
      const text = rendered.text.length > MAX_SHOWN_CHARS ? rendered.text.slice(0, MAX_SHOWN_CHARS) : rendered.text;
      if (text !== rendered.text) notes.push(h('span', { text: `Argument ${index + 1} is cut to ${MAX_SHOWN_CHARS.toLocaleString('en-US')} characters.` }));
      return h(
        'div',
        { class: 'entry-arg' },
        h('span', { class: 'entry-arg-label', text: arg.kind === 'binary' ? `arg ${index + 1} (binary)` : `arg ${index + 1}` }),
        h('pre', { class: 'entry-content', text }),
      );
    });
    if (args.length === 0) blocks.push(h('div', { class: 'entry-arg empty', text: 'no arguments' }));
    this.args.replaceChildren(...blocks);
    this.note.replaceChildren(...notes);
  }
}
