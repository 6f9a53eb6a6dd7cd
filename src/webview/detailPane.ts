/**
 * The Message detail region beside the log: the whole of the selected entry (as much as the
 * webview holds; Open in editor has the rest) in the view the user picks (Text, JSON tree, Hex,
 * Base64, and Decoded for a message the endpoint's decoder read), its actions (Copy, Open in
 * editor, Save), and the fields a protocol lens read. The view picked for an entry is its Show as
 * choice, which its row's preview follows too. Rendering is bounded (text capped, the JSON tree
 * capped in rows and unfolded two levels), so a selection shows at once whatever its size.
 */
import { decodeBase64, utf8Decode } from '../shared/codecs';
import { parseJsonExact } from '../shared/jsonTree';
import type { LogEntry, ShowFormat } from '../shared/protocol';
import { h, iconButton } from './dom';
import { formatBytes, formatTime } from './format';
import { JsonTreeView } from './jsonTreeView';
import { LensDetails } from './lensDetails';
import { appendHighlighted, defaultShowFor, hasPayloadView, renderEntry } from './logEntry';
import type { MatchRange } from '../shared/logFilter';
import { l10n } from './l10n';

/** Characters of a view shown at most; the rest is one Open in editor away. */
const MAX_DETAIL_CHARS = 200_000;

/** The views, in tab order; 'json' is shown as a tree. */
const TABS: readonly (readonly [ShowFormat, string])[] = [
  ['text', l10n.t('Text')],
  ['json', l10n.t('JSON tree')],
  ['hex', 'Hex'],
  ['base64', 'Base64'],
  ['decoded', l10n.t('Decoded')],
];

export interface DetailContext {
  /** The user picked a view for this entry (its Show as). */
  onShowAs(entry: LogEntry, format: ShowFormat): void;
  /** The view an entry opens in: its own choice, the panel's, or undefined for its default. */
  showAsFor(entry: LogEntry): ShowFormat | undefined;
  copy(entry: LogEntry): void;
  openEntry(entry: LogEntry): void;
  saveEntry(entry: LogEntry): void;
  ranges(text: string): readonly MatchRange[];
  /** Escape: the focus goes back to the log. */
  back(): void;
}

export class DetailPane {
  readonly element: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly empty: HTMLParagraphElement;
  private readonly actions: HTMLDivElement;
  private readonly copyButton: HTMLButtonElement;
  private readonly openButton: HTMLButtonElement;
  private readonly saveButton: HTMLButtonElement;
  private readonly tabList: HTMLDivElement;
  private readonly tabs: Map<ShowFormat, HTMLButtonElement> = new Map();
  private readonly panel: HTMLDivElement;
  private readonly note: HTMLParagraphElement;
  private readonly text: HTMLPreElement;
  private readonly tree = new JsonTreeView('JSON tree');
  private readonly lens = new LensDetails();
  private entry: LogEntry | undefined;
  private format: ShowFormat = 'text';

  constructor(private readonly context: DetailContext) {
    this.heading = h('h3', { class: 'details-heading detail-heading', id: 'message-detail-heading' });
    this.empty = h('p', { class: 'hint detail-empty', text: l10n.t('Select a message in the log (click it, or use the arrow keys) to see all of it here.') });
    this.copyButton = iconButton('copy', l10n.t('Copy'));
    this.openButton = iconButton('go-to-file', l10n.t('Open in editor'));
    this.saveButton = iconButton('save', l10n.t('Save to a file'));
    this.copyButton.addEventListener('click', () => this.entry && context.copy(this.entry));
    this.openButton.addEventListener('click', () => this.entry && context.openEntry(this.entry));
    this.saveButton.addEventListener('click', () => this.entry && context.saveEntry(this.entry));
    this.actions = h('div', { class: 'detail-actions' }, this.copyButton, this.openButton, this.saveButton);
    this.tabList = h('div', { class: 'detail-tabs', attrs: { role: 'tablist', 'aria-label': l10n.t('Show as') } });
    for (const [format, label] of TABS) {
      const tab = h('button', { class: 'detail-tab', id: `detail-tab-${format}`, text: label, attrs: { type: 'button', role: 'tab', 'aria-selected': 'false', 'aria-controls': 'detail-tab-panel', tabindex: '-1' } });
      tab.addEventListener('click', () => this.pick(format));
      this.tabs.set(format, tab);
      this.tabList.append(tab);
    }
    this.tabList.addEventListener('keydown', (event) => this.onTabKey(event));
    this.note = h('p', { class: 'note detail-note' });
    this.text = h('pre', { class: 'detail-text', attrs: { tabindex: '0', 'aria-label': l10n.t('Message content') } });
    this.panel = h('div', { class: 'detail-tab-panel', id: 'detail-tab-panel', attrs: { role: 'tabpanel' } }, this.note, this.text, this.tree.element);
    this.element = h(
      'section',
      { class: 'detail-pane', attrs: { role: 'region', 'aria-label': l10n.t('Message detail'), tabindex: '-1' } },
      h('div', { class: 'details-title' }, this.heading, this.actions),
      this.empty,
      this.tabList,
      this.panel,
      this.lens.element,
    );
    this.element.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      context.back();
    });
    this.clear();
  }

  get shownId(): number | undefined {
    return this.entry?.id;
  }

  clear(): void {
    this.entry = undefined;
    this.heading.textContent = l10n.t('Message detail');
    this.empty.hidden = false;
    this.actions.hidden = true;
    this.tabList.hidden = true;
    this.panel.hidden = true;
    this.lens.hide();
  }

  /** Shows `entry` in its chosen view. */
  show(entry: LogEntry): void {
    this.entry = entry;
    const id = entry.id;
    const parts = [l10n.t('Entry {0}', id), entry.direction === 'none' ? entry.kind : entry.direction];
    if (entry.kind === 'message' && entry.frame) parts.push(entry.frame);
    else if (entry.event || entry.kind === 'ping' || entry.kind === 'pong') parts.push(entry.kind);
    if (hasPayloadView(entry) || entry.size > 0) parts.push(formatBytes(entry.size));
    parts.push(formatTime(entry.time));
    this.heading.textContent = parts.join(' · ');
    this.empty.hidden = true;
    const payload = hasPayloadView(entry);
    this.actions.hidden = false;
    this.copyButton.setAttribute('aria-label', l10n.t('Copy entry {0}', id));
    this.copyButton.title = l10n.t('Copy entry {0}', id);
    this.openButton.setAttribute('aria-label', l10n.t('Open entry {0} in an editor', id));
    this.openButton.title = l10n.t('Open entry {0} in an editor (all of it)', id);
    this.openButton.hidden = !payload || entry.event !== undefined;
    this.saveButton.setAttribute('aria-label', l10n.t('Save entry {0} to a file', id));
    this.saveButton.title = l10n.t('Save the payload of entry {0} to a file (its exact bytes)', id);
    this.saveButton.hidden = !payload || entry.event !== undefined;
    this.tabList.hidden = !payload;
    this.tabList.setAttribute('aria-label', l10n.t('Show entry {0} as', id));
    (this.tabs.get('decoded') as HTMLButtonElement).hidden = entry.decoded === undefined;
    this.panel.hidden = false;
    if (entry.lens) this.lens.show(entry);
    else this.lens.hide();
    if (!payload) {
      this.showText(entry.detail ?? '', undefined);
      return;
    }
    const chosen = this.context.showAsFor(entry) ?? defaultShowFor(entry);
    this.render(chosen === 'decoded' && entry.decoded === undefined ? defaultShowFor(entry) : chosen);
  }

  /** The focus moves into the pane (Enter on a row): to the selected tab, or the pane itself. */
  focus(): void {
    const tab = this.tabs.get(this.format);
    if (!this.tabList.hidden && tab) tab.focus();
    else this.element.focus();
  }

  private pick(format: ShowFormat): void {
    if (!this.entry) return;
    this.context.onShowAs(this.entry, format);
    this.render(format);
  }

  private render(format: ShowFormat): void {
    const entry = this.entry;
    if (!entry) return;
    this.format = format;
    for (const [value, tab] of this.tabs) {
      const selected = value === format;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      tab.classList.toggle('selected', selected);
    }
    this.panel.setAttribute('aria-labelledby', `detail-tab-${format}`);
    const tree = format === 'json' || format === 'decoded' ? this.treeValue(entry, format) : undefined;
    if (tree && tree.ok) {
      this.text.hidden = true;
      this.tree.element.hidden = false;
      this.setNote(tree.note);
      this.tree.show(tree.value);
      return;
    }
    const rendered = renderEntry(entry, format);
    const notes = [tree && !tree.ok ? tree.note : rendered.note].filter((n): n is string => n !== undefined);
    this.showText(rendered.text, notes.join(' · ') || undefined);
  }

  /** The value a JSON tree shows, or why there is none (the text is then shown as it is). */
  private treeValue(entry: LogEntry, format: 'json' | 'decoded'): { ok: true; value: unknown; note?: string } | { ok: false; note: string } {
    if (format === 'decoded') {
      const json = entry.decoded?.json;
      if (json === undefined) return { ok: false, note: entry.decoded?.error ?? l10n.t('Not decoded') };
      const parsed = parse(json);
      if (!parsed.ok) return { ok: false, note: l10n.t('Preview of the decoded value (Open in editor shows the whole message)') };
      return { ok: true, value: parsed.value };
    }
    if (entry.event) {
      const values: unknown[] = [];
      for (const arg of entry.event.args) {
        const parsed = parse(arg.kind === 'text' ? arg.text : utf8Decode(decodeBase64(arg.base64)));
        values.push(parsed.ok ? parsed.value : arg.kind === 'text' ? arg.text : { '<binary>': arg.base64 });
      }
      return { ok: true, value: values, note: l10n.t('The event\'s arguments, in order') };
    }
    const payload = entry.payload;
    if (!payload) return { ok: false, note: l10n.t('No payload') };
    const parsed = parse(payload.kind === 'text' ? payload.text : utf8Decode(decodeBase64(payload.base64)));
    if (!parsed.ok) return { ok: false, note: entry.truncated ? l10n.t('Only a preview of {0} is here, which is not JSON on its own: Open in editor shows the whole message', formatBytes(entry.size)) : l10n.t('Not valid JSON: {0}', parsed.error) };
    return { ok: true, value: parsed.value };
  }

  private showText(text: string, note: string | undefined): void {
    const entry = this.entry;
    const cut = text.length > MAX_DETAIL_CHARS;
    const shown = cut ? text.slice(0, MAX_DETAIL_CHARS) : text;
    const notes = [note];
    if (entry?.truncated) notes.push(l10n.t('Preview of {0}: Open in editor shows the whole message', formatBytes(entry.size)));
    if (cut) notes.push(l10n.t('Showing the first {0} characters', MAX_DETAIL_CHARS.toLocaleString('en-US')));
    this.setNote(notes.filter((n): n is string => n !== undefined).join(' · ') || undefined);
    this.tree.element.hidden = true;
    this.text.hidden = false;
    this.text.replaceChildren();
    appendHighlighted(this.text, shown, this.context.ranges(shown));
    this.text.classList.toggle('empty', shown === '');
  }

  private setNote(note: string | undefined): void {
    this.note.hidden = note === undefined;
    this.note.textContent = note ?? '';
  }

  /** Left / Right / Home / End move between the visible tabs and pick the one reached. */
  private onTabKey(event: KeyboardEvent): void {
    const visible = [...this.tabs.entries()].filter(([, tab]) => !tab.hidden);
    const at = visible.findIndex(([format]) => format === this.format);
    let next: number | undefined;
    if (event.key === 'ArrowRight') next = (at + 1) % visible.length;
    else if (event.key === 'ArrowLeft') next = (at - 1 + visible.length) % visible.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = visible.length - 1;
    if (next === undefined) return;
    event.preventDefault();
    const [format, tab] = visible[next] as [ShowFormat, HTMLButtonElement];
    this.pick(format);
    tab.focus();
  }
}

function parse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: parseJsonExact(text) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
