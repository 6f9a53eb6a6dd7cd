/**
 * The message log. Entries arrive in bursts, so they are queued and added once per animation
 * frame in one DocumentFragment, with at most one scroll per batch. Only the newest
 * MAX_RENDERED entries stay in the DOM; older ones are counted in a notice at the top.
 */
import type { LogEntry, PayloadFormat } from '../shared/protocol';
import { h, labeled, select, textButton } from './dom';
import { FORMAT_OPTIONS, isPayloadFormat } from './format';
import { RenderedEntry } from './logEntry';
import { saveUiState, uiState } from './uiState';
import { vscode } from './vscodeApi';

const MAX_RENDERED = 2000;
/** A busy stream is drawn about ten times a second: fast enough to watch, cheap enough to type. */
const MIN_FLUSH_INTERVAL = 100;
/** How close to the bottom (px) still counts as "at the bottom" for autoscroll. */
const BOTTOM_SLACK = 24;

export class LogView {
  readonly element: HTMLElement;
  private readonly log: HTMLDivElement;
  private readonly omittedNotice: HTMLDivElement;
  private readonly showAs: HTMLSelectElement;
  private readonly autoHint: HTMLSpanElement;
  private readonly autoscrollButton: HTMLButtonElement;
  /** Rendered entries by id, oldest first (Map keeps insertion order). */
  private readonly rendered = new Map<number, RenderedEntry>();
  private pending: LogEntry[] = [];
  private total = 0;
  private frameRequested = false;
  private lastFlush = 0;
  private atBottom = true;

  constructor() {
    this.log = h('div', { class: 'log', attrs: { role: 'log', 'aria-label': 'Message log', tabindex: '0' } });
    this.omittedNotice = h('div', { class: 'omitted' });
    this.omittedNotice.hidden = true;
    this.log.append(this.omittedNotice);
    this.log.addEventListener('scroll', () => {
      this.atBottom = this.log.scrollTop + this.log.clientHeight >= this.log.scrollHeight - BOTTOM_SLACK;
    });

    this.showAs = select('Show as', FORMAT_OPTIONS);
    this.autoHint = h('span', { class: 'hint', id: 'show-as-hint', text: 'Auto: binary as Hex, text as Text' });
    this.showAs.setAttribute('aria-describedby', this.autoHint.id);
    this.showAs.addEventListener('change', () => this.setPanelShowAs(this.showAs.value));
    this.autoscrollButton = textButton('', { secondary: true });
    this.autoscrollButton.classList.add('autoscroll-toggle');
    this.autoscrollButton.addEventListener('click', () => this.setAutoscroll(!uiState.autoscroll));
    const clear = textButton('Clear log', { iconName: 'clear-all', secondary: true });
    clear.addEventListener('click', () => vscode.postMessage({ type: 'clearLog' }));

    this.element = h(
      'section',
      { class: 'log-section', attrs: { 'aria-labelledby': 'log-heading' } },
      h(
        'div',
        { class: 'toolbar' },
        h('h2', { class: 'section-heading', id: 'log-heading', text: 'Messages' }),
        labeled('Show as', this.showAs, this.autoHint),
        h('span', { class: 'spacer' }),
        this.autoscrollButton,
        clear,
      ),
      this.log,
    );
    this.syncShowAs();
    this.syncAutoscroll();
  }

  /** Replaces the whole log (on init, when the host re-sends it). */
  reset(entries: readonly LogEntry[]): void {
    this.removeRendered();
    this.pending = [];
    this.total = 0;
    this.atBottom = true;
    this.updateOmitted();
    this.append(entries);
  }

  append(entries: readonly LogEntry[]): void {
    if (entries.length === 0) return;
    for (const entry of entries) this.pending.push(entry);
    this.total += entries.length;
    // Bound the queue while the panel is hidden and frames do not run.
    if (this.pending.length > MAX_RENDERED * 2) this.pending = this.pending.slice(-MAX_RENDERED);
    this.scheduleFlush();
  }

  /** One flush per frame at most, and at most one per MIN_FLUSH_INTERVAL while a stream runs. */
  private scheduleFlush(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    const wait = this.lastFlush + MIN_FLUSH_INTERVAL - performance.now();
    const inFrame = () => requestAnimationFrame(() => this.flush());
    if (wait > 0) setTimeout(inFrame, wait);
    else inFrame();
  }

  clear(): void {
    this.reset([]);
    uiState.overrides = {};
    saveUiState();
  }

  private flush(): void {
    this.frameRequested = false;
    this.lastFlush = performance.now();
    const batch = this.pending.length > MAX_RENDERED ? this.pending.slice(-MAX_RENDERED) : this.pending;
    this.pending = [];
    const fragment = document.createDocumentFragment();
    for (const entry of batch) {
      const row = new RenderedEntry(entry, this.showAsFor(entry.id), (e, format) => this.setOverride(e.id, format));
      this.rendered.delete(entry.id); // a re-sent id replaces its older row
      this.rendered.set(entry.id, row);
      fragment.append(row.element);
    }
    this.log.append(fragment);
    this.trim();
    this.updateOmitted();
    if (uiState.autoscroll && this.atBottom) this.scrollToBottom();
  }

  private trim(): void {
    if (this.rendered.size <= MAX_RENDERED) return;
    for (const [id, row] of this.rendered) {
      if (this.rendered.size <= MAX_RENDERED) break;
      row.element.remove();
      this.rendered.delete(id);
    }
    let pruned = false;
    for (const id of Object.keys(uiState.overrides)) {
      if (!this.rendered.has(Number(id))) {
        delete uiState.overrides[id];
        pruned = true;
      }
    }
    if (pruned) saveUiState();
  }

  private updateOmitted(): void {
    const omitted = this.total - this.rendered.size - this.pending.length;
    this.omittedNotice.hidden = omitted <= 0;
    this.omittedNotice.textContent = omitted > 0 ? `${omitted} older ${omitted === 1 ? 'entry' : 'entries'} not shown` : '';
  }

  private removeRendered(): void {
    for (const row of this.rendered.values()) row.element.remove();
    this.rendered.clear();
  }

  private scrollToBottom(): void {
    this.log.scrollTop = this.log.scrollHeight;
    this.atBottom = true;
  }

  private showAsFor(id: number): PayloadFormat | undefined {
    return uiState.overrides[String(id)] ?? uiState.showAs;
  }

  private setOverride(id: number, format: PayloadFormat): void {
    uiState.overrides[String(id)] = format;
    saveUiState();
  }

  /** A panel-wide choice applies to every entry, so it replaces the per-entry overrides. */
  private setPanelShowAs(value: string): void {
    if (!isPayloadFormat(value)) return;
    uiState.showAs = value;
    uiState.overrides = {};
    saveUiState();
    this.syncShowAs();
    // Re-rendering changes row heights: keep following the newest entry if we were.
    const follow = uiState.autoscroll && this.atBottom;
    for (const row of this.rendered.values()) row.render(value);
    if (follow) this.scrollToBottom();
  }

  private syncShowAs(): void {
    if (uiState.showAs) this.showAs.value = uiState.showAs;
    else this.showAs.selectedIndex = -1;
    this.autoHint.hidden = uiState.showAs !== undefined;
  }

  private setAutoscroll(on: boolean): void {
    uiState.autoscroll = on;
    saveUiState();
    this.syncAutoscroll();
    if (on) this.scrollToBottom();
  }

  private syncAutoscroll(): void {
    const paused = !uiState.autoscroll;
    const label = paused ? 'Resume autoscroll' : 'Pause autoscroll';
    this.autoscrollButton.setAttribute('aria-pressed', String(paused));
    this.autoscrollButton.replaceChildren(
      h('span', { class: `codicon codicon-${paused ? 'play' : 'debug-pause'}`, attrs: { 'aria-hidden': 'true' } }),
      h('span', { text: label }),
    );
  }
}
