/**
 * The log's search and filter controls: text or regular expression, direction, frame type and
 * event name. Reports the spec on every change; shows a bad regular expression next to the box.
 */
import type { DirectionFilter, FrameFilter, LogFilterSpec } from '../shared/logFilter';
import { h, labeled, select } from './dom';
import { ErrorSlot } from './errorSlot';
import { l10n } from './l10n';

const DIRECTIONS: readonly (readonly [DirectionFilter, string])[] = [
  ['any', l10n.t('Sent and received')],
  ['sent', l10n.t('Sent')],
  ['received', l10n.t('Received')],
];
const FRAMES: readonly (readonly [FrameFilter, string])[] = [
  ['any', l10n.t('All frames')],
  ['text', l10n.t('Text')],
  ['binary', l10n.t('Binary')],
  ['control', l10n.t('Ping and pong')],
  ['lifecycle', l10n.t('Open, close, error')],
];

export class LogFilterBar {
  readonly element: HTMLDivElement;
  readonly error: ErrorSlot;
  private readonly text: HTMLInputElement;
  private readonly regex: HTMLInputElement;
  private readonly direction: HTMLSelectElement;
  private readonly frame: HTMLSelectElement;
  private readonly event: HTMLInputElement;
  /** "12 of 3,400 match", next to the box. */
  readonly summary: HTMLSpanElement;

  constructor(private readonly onChange: (spec: LogFilterSpec) => void) {
    this.text = h('input', {
      class: 'filter-input',
      attrs: { type: 'search', 'aria-label': l10n.t('Filter log'), placeholder: l10n.t('Filter (text in messages and details; lens:PUBLISH)'), spellcheck: 'false' },
    });
    this.regex = h('input', { attrs: { type: 'checkbox' } });
    this.direction = select(l10n.t('Direction'), DIRECTIONS);
    this.frame = select(l10n.t('Frame type'), FRAMES);
    this.event = h('input', {
      class: 'event-input',
      attrs: { type: 'search', 'aria-label': l10n.t('Filter by event name'), placeholder: l10n.t('Event (Socket.IO)'), spellcheck: 'false' },
    });
    this.summary = h('span', { class: 'filter-summary', attrs: { 'aria-live': 'polite' } });
    this.error = new ErrorSlot([this.text]);
    const changed = () => onChange(this.spec());
    this.text.addEventListener('input', changed);
    this.event.addEventListener('input', changed);
    for (const control of [this.regex, this.direction, this.frame]) control.addEventListener('change', changed);
    this.element = h(
      'div',
      { class: 'filter-bar', attrs: { role: 'search', 'aria-label': l10n.t('Filter the log') } },
      h('span', { class: 'filter-box' }, this.text, this.error.element),
      h('label', { class: 'checkbox' }, this.regex, l10n.t('Regex')),
      this.direction,
      this.frame,
      labeled(l10n.t('Event'), this.event),
      this.summary,
    );
  }

  /** Puts `spec` in the controls (Filter to similar) and reports it as a change would. */
  set(spec: LogFilterSpec): void {
    this.text.value = spec.text;
    this.regex.checked = spec.regex;
    this.direction.value = spec.direction;
    this.frame.value = spec.frame;
    this.event.value = spec.event;
    this.onChange(spec);
  }

  spec(): LogFilterSpec {
    return {
      text: this.text.value,
      regex: this.regex.checked,
      direction: this.direction.value as DirectionFilter,
      frame: this.frame.value as FrameFilter,
      event: this.event.value,
    };
  }
}
