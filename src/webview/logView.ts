/**
 * The message log. The webview keeps a mirror of the host's log (same capacity, same ids) and
 * shows it through a virtual list, so the DOM holds a few dozen rows whether the log has ten
 * entries or a hundred thousand. Entries arrive in batches; the view is redrawn at most once per
 * animation frame (and ~20 times a second while a stream runs), follows new entries only while
 * it is scrolled to the bottom, and otherwise offers an "N new" jump button.
 */
import { decodeEntries, ENTRY_DECODER, entryEnd } from '../shared/entryTransport';
import { compileFilter, NO_FILTER, type CompiledFilter, type LogFilterSpec } from '../shared/logFilter';
import { DEFAULT_LOG_CAPACITY, MessageLog } from '../shared/messageLog';
import type { EntriesJson, LogEntry, ShowFormat } from '../shared/protocol';
import { h, labeled, select, textButton } from './dom';
import { isShowFormat, SHOW_OPTIONS } from './format';
import { LogFilterBar } from './logFilterBar';
import { LensDetails } from './lensDetails';
import { RenderedEntry, type RowContext } from './logEntry';
import { saveUiState, uiState } from './uiState';
import { VirtualList } from './virtualList';
import { vscode } from './vscodeApi';

/** A busy stream is drawn about twenty times a second: fast enough to watch, cheap enough to type. */
const MIN_DRAW_INTERVAL = 50;

const count = (n: number) => n.toLocaleString('en-US');

export class LogView {
  readonly element: HTMLElement;
  private readonly scroller: HTMLDivElement;
  private readonly list: VirtualList;
  private readonly evictedNotice: HTMLDivElement;
  private readonly showAs: HTMLSelectElement;
  private readonly autoHint: HTMLSpanElement;
  private readonly pauseButton: HTMLButtonElement;
  private readonly recordButton: HTMLButtonElement;
  private readonly recordingNote: HTMLSpanElement;
  private readonly newButton: HTMLButtonElement;
  private readonly filterBar: LogFilterBar;
  private readonly lensDetails = new LensDetails();

  /** Entries are kept as the batch bytes they came in and parsed when drawn or filtered. */
  private log = MessageLog.encoded(DEFAULT_LOG_CAPACITY, ENTRY_DECODER);
  private evicted = 0;
  private filter: CompiledFilter = (compileFilter(NO_FILTER) as { ok: true; filter: CompiledFilter }).filter;
  /** The filter in force, as "Save as flow" sends it to the host (which keeps the full entries). */
  private filterSpec: LogFilterSpec = NO_FILTER;
  /** Ids of the entries that pass an active filter, oldest first; `matchStart` skips evicted ones. */
  private matches: number[] = [];
  private matchStart = 0;
  /** While paused: the newest id the view shows. */
  private frozenAt: number | undefined;
  /** Entries that arrived (and pass the filter) while the view was not at the bottom. */
  private unseen = 0;
  private following = true;
  private drawRequested = false;
  private lastDraw = 0;
  private readonly rowContext: RowContext;

  /**
   * `saveAsFlow: false` leaves out Save as flow (a mock server's log is not a client's script);
   * `peerOf` names whose each entry is, where the log mixes several peers.
   */
  constructor(options: { saveAsFlow?: boolean; peerOf?: (entry: LogEntry) => string | undefined } = {}) {
    this.scroller = h('div', { class: 'log', attrs: { role: 'log', 'aria-label': 'Message log', tabindex: '0' } });
    this.list = new VirtualList(this.scroller, {
      count: () => this.viewCount(),
      keyAt: (index) => this.idAt(index),
      render: (index) => this.renderRow(index),
    });
    this.scroller.addEventListener('scroll', () => this.onScroll(), { passive: true });
    new ResizeObserver(() => this.requestDraw()).observe(this.scroller);

    this.rowContext = {
      onShowAs: (entry, format) => this.setOverride(entry.id, format),
      openEntry: (entry) => vscode.postMessage({ type: 'openEntry', entryId: entry.id }),
      saveEntry: (entry) => vscode.postMessage({ type: 'saveEntry', entryId: entry.id }),
      ranges: (text) => this.filter.ranges(text),
      peerOf: options.peerOf,
      showLens: (entry) => this.lensDetails.toggle(entry),
    };

    this.showAs = select('Show as', SHOW_OPTIONS);
    this.autoHint = h('span', { class: 'hint', id: 'show-as-hint', text: 'Auto: decoded binary as Decoded, other binary as Hex, text as Text' });
    this.showAs.setAttribute('aria-describedby', this.autoHint.id);
    this.showAs.addEventListener('change', () => this.setPanelShowAs(this.showAs.value));

    this.pauseButton = textButton('', { secondary: true });
    this.pauseButton.classList.add('pause-toggle');
    this.pauseButton.addEventListener('click', () => this.setPaused(this.frozenAt === undefined));
    const saveAsFlow = textButton('Save as flow', { iconName: 'beaker', secondary: true });
    saveAsFlow.title = 'Turn the entries shown (the filter\'s matches, or all) into a flow draft to edit';
    saveAsFlow.addEventListener('click', () => vscode.postMessage({ type: 'saveAsFlow', filter: this.filterSpec }));
    const exportHar = textButton('Export as HAR…', { iconName: 'export', secondary: true });
    exportHar.title = 'Save the whole log as a HAR file (as Chrome DevTools writes it); cookies and secret values are stripped unless you keep them';
    exportHar.addEventListener('click', () => vscode.postMessage({ type: 'exportHar' }));
    const clear = textButton('Clear log', { iconName: 'clear-all', secondary: true });
    clear.addEventListener('click', () => vscode.postMessage({ type: 'clearLog' }));
    this.recordButton = textButton('', { secondary: true });
    this.recordButton.addEventListener('click', () =>
      vscode.postMessage({ type: this.recordButton.dataset.recording === 'true' ? 'stopRecording' : 'recordToFile' }),
    );
    this.recordingNote = h('span', { class: 'recording-note' });
    this.newButton = textButton('', { iconName: 'arrow-down' });
    this.newButton.classList.add('new-entries');
    this.newButton.title = 'Jump to the newest entries';
    this.newButton.hidden = true;
    this.newButton.addEventListener('click', () => this.jumpToNewest());

    this.filterBar = new LogFilterBar((spec) => this.setFilter(spec));
    this.evictedNotice = h('div', { class: 'omitted' });
    this.evictedNotice.hidden = true;

    this.element = h(
      'section',
      { class: 'log-section', attrs: { 'aria-labelledby': 'log-heading' } },
      h(
        'div',
        { class: 'toolbar' },
        h('h2', { class: 'section-heading', id: 'log-heading', text: 'Messages' }),
        labeled('Show as', this.showAs, this.autoHint),
        h('span', { class: 'spacer' }),
        this.recordingNote,
        this.recordButton,
        this.pauseButton,
        options.saveAsFlow === false ? undefined : saveAsFlow,
        options.saveAsFlow === false ? undefined : exportHar,
        clear,
      ),
      this.filterBar.element,
      this.evictedNotice,
      h('div', { class: 'log-frame' }, this.scroller, this.newButton),
      this.lensDetails.element,
    );
    this.syncShowAs();
    this.syncPaused();
    this.setRecording(undefined);
  }

  /** Replaces the whole log (on init, when the host re-sends it). */
  reset(batch: EntriesJson | undefined, evicted: number, capacity: number): void {
    this.log = MessageLog.encoded(capacity, ENTRY_DECODER);
    this.lensDetails.hide();
    if (batch) this.keep(batch, false);
    this.evicted = evicted;
    this.frozenAt = undefined;
    this.unseen = 0;
    this.following = true;
    this.refilter();
    this.syncPaused();
    this.list.invalidate();
    this.draw();
  }

  append(batch: EntriesJson, evicted: number): void {
    const added = this.keep(batch, this.filter.active);
    this.evicted = evicted;
    if (!this.following && this.frozenAt === undefined) this.unseen += added;
    this.requestDraw();
  }

  /**
   * Adds a batch's entries to the log, as their bytes; with `filtering`, the batch is parsed (at
   * once: far cheaper than entry by entry) to test them. Returns how many were added that the
   * view shows.
   */
  private keep(batch: EntriesJson, filtering: boolean): number {
    const { json, starts, firstId } = batch;
    // A batch whose bytes cannot hold the filter's text is not parsed: none of it matches.
    const none = filtering && this.filter.candidates(json)?.length === 0;
    const entries = filtering && !none ? decodeEntries(json) : undefined;
    let added = 0;
    for (let i = 0; i < starts.length; i++) {
      const id = firstId + i;
      this.log.pushEncoded(id, json, starts[i] as number, entryEnd(batch, i), i);
      if (none) continue;
      if (!entries) added++;
      else if (this.filter.test(entries[i] as LogEntry)) {
        this.matches.push(id);
        added++;
      }
    }
    return added;
  }

  clear(): void {
    this.reset(undefined, 0, this.log.capacity);
    uiState.overrides = {};
    saveUiState();
  }

  /** Shows whether Record to file is on (with the file) or off. */
  setRecording(file: string | undefined): void {
    const on = file !== undefined;
    this.recordButton.dataset.recording = String(on);
    this.recordButton.replaceChildren(
      h('span', { class: `codicon codicon-${on ? 'debug-stop' : 'record'}`, attrs: { 'aria-hidden': 'true' } }),
      h('span', { text: on ? 'Stop recording' : 'Record to file' }),
    );
    this.recordButton.title = on ? `Recording every entry to ${file}` : 'Write every new entry to an NDJSON file';
    this.recordingNote.textContent = on ? `Recording to ${file.split(/[\\/]/).pop() ?? file}` : '';
    this.recordingNote.title = file ?? '';
  }

  // ---- the view: every kept entry, or the ids that pass the filter, up to the pause point ----

  private viewCount(): number {
    this.dropEvictedMatches();
    const last = this.frozenAt ?? Number.POSITIVE_INFINITY;
    if (this.filter.active) {
      if (last === Number.POSITIVE_INFINITY) return this.matches.length - this.matchStart;
      return upperBound(this.matches, last, this.matchStart) - this.matchStart;
    }
    const first = this.log.idAt(0);
    if (first === undefined) return 0;
    const newest = this.log.idAt(this.log.size - 1) as number;
    return Math.max(0, Math.min(newest, last) - first + 1);
  }

  private idAt(index: number): number {
    if (this.filter.active) return this.matches[this.matchStart + index] as number;
    return (this.log.idAt(0) as number) + index;
  }

  private renderRow(index: number): HTMLElement {
    const id = this.idAt(index);
    const entry = this.filter.active ? this.log.get(id) : this.log.at(index);
    if (!entry) return h('div', { class: 'entry gone', text: 'No longer kept' });
    return new RenderedEntry(entry, this.showAsFor(entry.id), this.rowContext).element;
  }

  private dropEvictedMatches(): void {
    const first = this.log.idAt(0) ?? Number.POSITIVE_INFINITY;
    while (this.matchStart < this.matches.length && (this.matches[this.matchStart] as number) < first) this.matchStart++;
    if (this.matchStart > 4096 && this.matchStart * 2 > this.matches.length) {
      this.matches = this.matches.slice(this.matchStart);
      this.matchStart = 0;
    }
  }

  private setFilter(spec: LogFilterSpec): void {
    const compiled = compileFilter(spec);
    if (!compiled.ok) {
      this.filterBar.error.show(compiled.error);
      return;
    }
    this.filterBar.error.clear();
    this.filter = compiled.filter;
    this.filterSpec = spec;
    this.refilter();
    this.list.invalidate();
    this.following = true;
    this.unseen = 0;
    this.draw();
  }

  private refilter(): void {
    this.matches = [];
    this.matchStart = 0;
    if (!this.filter.active) return;
    this.log.matchIds(this.filter, (id) => this.matches.push(id));
  }

  // ---- drawing --------------------------------------------------------------------------

  private requestDraw(): void {
    if (this.drawRequested) return;
    this.drawRequested = true;
    const wait = this.lastDraw + MIN_DRAW_INTERVAL - performance.now();
    const inFrame = () => requestAnimationFrame(() => this.draw());
    if (wait > 0) setTimeout(inFrame, wait);
    else inFrame();
  }

  private draw(): void {
    this.drawRequested = false;
    this.lastDraw = performance.now();
    if (this.following) this.list.scrollToBottom();
    else this.list.refresh();
    this.updateNotices();
  }

  private onScroll(): void {
    const atBottom = this.list.atBottom();
    if (atBottom !== this.following) {
      this.following = atBottom;
      if (atBottom) this.unseen = 0;
    }
    this.requestDraw();
  }

  private jumpToNewest(): void {
    this.following = true;
    this.unseen = 0;
    this.draw();
    this.scroller.focus();
  }

  private updateNotices(): void {
    const evicted = this.evicted;
    this.evictedNotice.hidden = evicted <= 0;
    const notice = evicted > 0 ? `${count(evicted)} older ${evicted === 1 ? 'message' : 'messages'} not kept (the log keeps the newest ${count(this.log.capacity)})` : '';
    if (this.evictedNotice.textContent !== notice) this.evictedNotice.textContent = notice;
    const summary = this.filter.active ? `${count(this.matches.length - this.matchStart)} of ${count(this.log.size)} match` : '';
    if (this.filterBar.summary.textContent !== summary) this.filterBar.summary.textContent = summary;
    const showNew = !this.following && this.unseen > 0;
    this.newButton.hidden = !showNew;
    if (showNew) {
      const label = `${count(this.unseen)} new`;
      const span = this.newButton.lastElementChild;
      if (span && span.textContent !== label) span.textContent = label;
    }
    this.pruneOverrides();
  }

  // ---- pause, Show as --------------------------------------------------------------------

  private setPaused(paused: boolean): void {
    const newest = this.log.idAt(this.log.size - 1) ?? 0;
    this.frozenAt = paused ? newest : undefined;
    this.syncPaused();
    if (!paused) this.unseen = 0;
    this.draw();
  }

  private syncPaused(): void {
    const paused = this.frozenAt !== undefined;
    this.pauseButton.setAttribute('aria-pressed', String(paused));
    this.pauseButton.title = paused ? 'Show new entries again' : 'Keep receiving but stop showing new entries';
    this.pauseButton.replaceChildren(
      h('span', { class: `codicon codicon-${paused ? 'play' : 'debug-pause'}`, attrs: { 'aria-hidden': 'true' } }),
      h('span', { text: paused ? 'Resume view' : 'Pause view' }),
    );
  }

  private showAsFor(id: number): ShowFormat | undefined {
    return uiState.overrides[String(id)] ?? uiState.showAs;
  }

  private setOverride(id: number, format: ShowFormat): void {
    uiState.overrides[String(id)] = format;
    saveUiState();
  }

  /** Overrides of entries no longer kept are forgotten. */
  private pruneOverrides(): void {
    const first = this.log.idAt(0) ?? Number.POSITIVE_INFINITY;
    let pruned = false;
    for (const id of Object.keys(uiState.overrides)) {
      if (Number(id) < first) {
        delete uiState.overrides[id];
        pruned = true;
      }
    }
    if (pruned) saveUiState();
  }

  /** A panel-wide choice applies to every entry, so it replaces the per-entry overrides. */
  private setPanelShowAs(value: string): void {
    if (!isShowFormat(value)) return;
    uiState.showAs = value;
    uiState.overrides = {};
    saveUiState();
    this.syncShowAs();
    this.list.invalidate();
    this.draw();
  }

  private syncShowAs(): void {
    if (uiState.showAs) this.showAs.value = uiState.showAs;
    else this.showAs.selectedIndex = -1;
    this.autoHint.hidden = uiState.showAs !== undefined;
  }
}

/** The index of the first element after `value` in the sorted `values`, searching from `from`. */
function upperBound(values: readonly number[], value: number, from: number): number {
  let low = from;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((values[mid] as number) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}
