/**
 * The message log. The webview keeps a mirror of the host's log (same capacity, same ids) and
 * shows it through a virtual list, so the DOM holds a few dozen rows whether the log has ten
 * entries or a hundred thousand. Entries arrive in batches; the view is redrawn at most once per
 * animation frame (and ~20 times a second while a stream runs), follows new entries only while
 * it is scrolled to the bottom, and otherwise offers an "N new" jump button.
 *
 * The log is a listbox named "Message log", one tab stop: the arrow keys, Home, End, PageUp and
 * PageDown move the selection (aria-activedescendant names the active row, which is scrolled in
 * and so rendered), Shift extends it, Ctrl/Cmd+click toggles a row, Enter moves into the Message
 * detail pane beside it, Shift+F10 or a right-click opens the context menu. The log is not a live
 * region: a polite status says how many messages arrived, at most every few seconds.
 *
 * During a flood that the view follows, the host sends a tail window of it and the older entries
 * later (see tailWindow.ts): `append` then replaces the log by the window and keeps the older
 * pages aside until the last one came, and a notice says how many are still to come.
 */
import { decodeEntries, ENTRY_DECODER, entryEnd } from '../shared/entryTransport';
import { MAX_SELECTED_ENTRIES } from '../shared/fromWebview';
import { isNavigationKey, ListSelection, moveIndex } from '../shared/listSelection';
import { compileFilter, frameOf, LENS_PREFIX, NO_FILTER, type CompiledFilter, type LogFilterSpec } from '../shared/logFilter';
import { DEFAULT_LOG_CAPACITY, MessageLog } from '../shared/messageLog';
import type { EntriesJson, EntriesMessage, LogEntry, ShowFormat } from '../shared/protocol';
import { OlderPages } from '../shared/tailWindow';
import { h, labeled, select, textButton } from './dom';
import { isShowFormat, SHOW_OPTIONS } from './format';
import { ContextMenu, type MenuItem } from './contextMenu';
import { DetailPane } from './detailPane';
import { LogFilterBar } from './logFilterBar';
import { renderRow, rowId, type RowContext } from './logEntry';
import { saveUiState, uiState } from './uiState';
import { VirtualList } from './virtualList';
import { vscode } from './vscodeApi';
import { l10n } from './l10n';

/** A busy stream is drawn about twenty times a second: fast enough to watch, cheap enough to type. */
const MIN_DRAW_INTERVAL = 50;
/**
 * A flood, where more entries arrive between two draws than the view shows (so every draw
 * replaces every row and no row stays long enough to read), is drawn eight times a second: each
 * draw is a frame of style, layout, paint and compositing on the thread the panel shares with
 * the workbench, and fewer of them leave that thread to the user's keystrokes (bench/results.md).
 */
const FLOOD_DRAW_INTERVAL = 125;
/**
 * A frame that paints a keystroke or a click paints it alone: a redraw of the log due within
 * this long after one waits for a later frame (at most INPUT_DEFER_FRAMES of them). During a
 * flood a redraw replaces every row in view, and the browser then styles, lays out and paints
 * them in the same frame as the keystroke (the "Keystroke to paint" figure in bench/results.md).
 */
const INPUT_QUIET_MS = 40;
const INPUT_DEFER_FRAMES = 3;
/** The "N new messages" status speaks at most this often (ms), however fast messages come. */
const ANNOUNCE_INTERVAL = 5_000;
/** …and waits this long after the first arrival, so a burst is one sentence. */
const ANNOUNCE_DELAY = 1_000;
/** The Show as option that leaves each entry in its own default view. */
const AUTO_SHOW_AS = 'auto';

const count = (n: number) => n.toLocaleString('en-US');

export class LogView {
  readonly element: HTMLElement;
  private readonly scroller: HTMLDivElement;
  private readonly list: VirtualList;
  private readonly evictedNotice: HTMLDivElement;
  private readonly notLoadedNotice: HTMLDivElement;
  private readonly showAs: HTMLSelectElement;
  private readonly autoHint: HTMLSpanElement;
  private readonly pauseButton: HTMLButtonElement;
  private readonly recordButton: HTMLButtonElement;
  private readonly recordingNote: HTMLSpanElement;
  private readonly newButton: HTMLButtonElement;
  private readonly filterBar: LogFilterBar;
  private readonly detail: DetailPane;
  private readonly menu: ContextMenu;
  private readonly announcer: HTMLDivElement;
  private readonly selection = new ListSelection();
  private readonly saveAsFlowAllowed: boolean;
  /** Arrivals not yet announced, and the announcement timer. */
  private unannounced = 0;
  private announceTimer: ReturnType<typeof setTimeout> | undefined;
  private lastAnnounce = Number.NEGATIVE_INFINITY;

  /** Entries are kept as the batch bytes they came in and parsed when drawn or filtered. */
  private log = MessageLog.encoded(DEFAULT_LOG_CAPACITY, ENTRY_DECODER);
  private evicted = 0;
  /** Pages of entries older than a tail window's, kept aside until the last page came. */
  private older = new OlderPages(DEFAULT_LOG_CAPACITY);
  /** Entries before the log's first that the host keeps and has not sent yet. */
  private notLoaded = 0;
  /**
   * Keys that need the entries before a tail window (Home, Ctrl+A, an arrow past the window's
   * first row), held until the older pages are in: the host sends them at once while keys wait.
   */
  private waitingKeys: { key: string; shift: boolean; mod: boolean }[] = [];
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
  /** Entries the view shows that arrived since the last draw. */
  private arrivedSinceDraw = 0;
  /** When the user last pressed a key or a pointer button anywhere in the panel. */
  private lastInput = Number.NEGATIVE_INFINITY;
  private readonly rowContext: RowContext;

  /**
   * `saveAsFlow: false` leaves out Save as flow (a mock server's log is not a client's script);
   * `peerOf` names whose each entry is, where the log mixes several peers.
   */
  constructor(options: { saveAsFlow?: boolean; peerOf?: (entry: LogEntry) => string | undefined } = {}) {
    this.saveAsFlowAllowed = options.saveAsFlow !== false;
    this.scroller = h('div', {
      class: 'log',
      attrs: { role: 'listbox', 'aria-label': l10n.t('Message log'), 'aria-multiselectable': 'true', tabindex: '0' },
    });
    this.list = new VirtualList(this.scroller, {
      count: () => this.viewCount(),
      keyAt: (index) => this.idAt(index),
      render: (index) => this.renderRow(index),
    });
    this.scroller.addEventListener('scroll', () => this.onScroll(), { passive: true });
    new ResizeObserver(() => this.requestDraw()).observe(this.scroller);

    const noteInput = () => { this.lastInput = performance.now(); };
    document.addEventListener('keydown', noteInput, { capture: true, passive: true });
    document.addEventListener('pointerdown', noteInput, { capture: true, passive: true });
    this.scroller.addEventListener('keydown', (event) => this.onKey(event));
    this.scroller.addEventListener('mousedown', (event) => this.onPointer(event));
    this.scroller.addEventListener('contextmenu', (event) => {
      event.preventDefault();
      const id = this.rowAt(event.target);
      if (id !== undefined && !this.selection.has(id)) this.choose(id, 'only');
      this.openMenu(event.clientX, event.clientY);
    });

    this.rowContext = {
      ranges: (text) => this.filter.ranges(text),
      peerOf: options.peerOf,
    };
    this.detail = new DetailPane({
      onShowAs: (entry, format) => this.setOverride(entry.id, format),
      showAsFor: (entry) => this.showAsFor(entry.id),
      copy: (entry) => vscode.postMessage({ type: 'copyEntries', entryIds: [entry.id], as: 'text' }),
      openEntry: (entry) => vscode.postMessage({ type: 'openEntry', entryId: entry.id }),
      saveEntry: (entry) => vscode.postMessage({ type: 'saveEntry', entryId: entry.id }),
      ranges: (text) => this.filter.ranges(text),
      back: () => this.scroller.focus(),
    });
    this.menu = new ContextMenu(l10n.t('Log entry actions'));
    this.announcer = h('div', { class: 'visually-hidden', attrs: { role: 'status', 'aria-live': 'polite' } });

    // Auto (each entry in its own default view) comes first, so a panel-wide choice can be undone.
    this.showAs = select(l10n.t('Show as'), [[AUTO_SHOW_AS, l10n.t('Auto')], ...SHOW_OPTIONS]);
    this.autoHint = h('span', { class: 'hint', id: 'show-as-hint', text: l10n.t('Auto: decoded binary as Decoded, other binary as Hex, text as Text') });
    this.showAs.setAttribute('aria-describedby', this.autoHint.id);
    this.showAs.addEventListener('change', () => this.setPanelShowAs(this.showAs.value));

    this.pauseButton = textButton('', { secondary: true });
    this.pauseButton.classList.add('pause-toggle');
    this.pauseButton.addEventListener('click', () => this.setPaused(this.frozenAt === undefined));
    const saveAsFlow = textButton(l10n.t('Save as flow'), { iconName: 'beaker', secondary: true });
    saveAsFlow.title = l10n.t('Turn the entries shown (the filter\'s matches, or all) into a flow draft to edit');
    saveAsFlow.addEventListener('click', () => vscode.postMessage({ type: 'saveAsFlow', filter: this.filterSpec }));
    const exportHar = textButton(l10n.t('Export as HAR…'), { iconName: 'export', secondary: true });
    exportHar.title = l10n.t('Save the whole log as a HAR file (as Chrome DevTools writes it); cookies and secret values are stripped unless you keep them');
    exportHar.addEventListener('click', () => vscode.postMessage({ type: 'exportHar' }));
    const clear = textButton(l10n.t('Clear log'), { iconName: 'clear-all', secondary: true });
    clear.addEventListener('click', () => vscode.postMessage({ type: 'clearLog' }));
    this.recordButton = textButton('', { secondary: true });
    this.recordButton.addEventListener('click', () =>
      vscode.postMessage({ type: this.recordButton.dataset.recording === 'true' ? 'stopRecording' : 'recordToFile' }),
    );
    this.recordingNote = h('span', { class: 'recording-note' });
    this.newButton = textButton('', { iconName: 'arrow-down' });
    this.newButton.classList.add('new-entries');
    this.newButton.title = l10n.t('Jump to the newest entries');
    this.newButton.hidden = true;
    this.newButton.addEventListener('click', () => this.jumpToNewest());

    this.filterBar = new LogFilterBar((spec) => this.setFilter(spec));
    this.evictedNotice = h('div', { class: 'omitted' });
    this.evictedNotice.hidden = true;
    this.notLoadedNotice = h('div', { class: 'omitted' });
    this.notLoadedNotice.hidden = true;

    this.element = h(
      'section',
      { class: 'log-section', attrs: { 'aria-labelledby': 'log-heading' } },
      h(
        'div',
        { class: 'toolbar' },
        h('h2', { class: 'section-heading', id: 'log-heading', text: l10n.t('Messages') }),
        labeled(l10n.t('Show as'), this.showAs, this.autoHint),
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
      this.notLoadedNotice,
      h('div', { class: 'log-workbench' }, h('div', { class: 'log-frame' }, this.scroller, this.newButton), this.detail.element),
      this.menu.element,
      this.announcer,
    );
    this.syncShowAs();
    this.syncPaused();
    this.setRecording(undefined);
  }

  /** Replaces the whole log (on init, when the host re-sends it). */
  reset(batch: EntriesJson | undefined, evicted: number, capacity: number): void {
    this.log = MessageLog.encoded(capacity, ENTRY_DECODER);
    this.older = new OlderPages(capacity);
    this.notLoaded = 0;
    this.waitingKeys = [];
    this.selection.clear();
    this.detail.clear();
    this.menu.close(false);
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

  /**
   * Whether the view follows the newest entries, unfiltered and not paused: then a flood may reach
   * it as a tail window (the host is told with each acknowledgement).
   */
  get followsTail(): boolean {
    return this.following && this.frozenAt === undefined && !this.filter.active && this.waitingKeys.length === 0;
  }

  append(batch: EntriesJson, evicted: number, part: Pick<EntriesMessage, 'window' | 'older' | 'olderDone' | 'notLoaded'> = {}): void {
    const newestBefore = this.log.idAt(this.log.size - 1);
    if (part.window) {
      // Everything kept so far is older than the window: it comes again with the older pages.
      this.log = MessageLog.encoded(this.log.capacity, ENTRY_DECODER);
      this.older.drop();
      this.matches = [];
      this.matchStart = 0;
    }
    let added = this.keep(batch, this.filter.active);
    // What a window skipped arrived too (and is counted as new), unless a filter decides.
    if (part.window && !this.filter.active && newestBefore !== undefined) added = Math.max(added, batch.firstId + batch.starts.length - 1 - newestBefore);
    if (part.older) this.keepOlder(part.older, part.olderDone === true);
    this.notLoaded = part.notLoaded ?? 0;
    this.evicted = evicted;
    if (!this.following && this.frozenAt === undefined) this.unseen += added;
    if (this.frozenAt === undefined) this.arrivedSinceDraw += added;
    this.noteArrivals(added);
    this.pressWaitingKeys();
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

  /**
   * A page of the entries before the log's (after a tail window), kept aside; with the last page
   * they go before the log, the filter takes them in and the rows in view stay in view.
   */
  private keepOlder(batch: EntriesJson, last: boolean): void {
    const firstBefore = this.log.idAt(0);
    const merged = this.older.add(batch, last, this.log);
    if (!merged) return;
    this.log = merged;
    if (this.filter.active) this.refilter();
    if (firstBefore !== undefined && !this.following) {
      this.list.invalidate();
      this.list.shiftBy(this.filter.active ? lowerBound(this.matches, firstBefore, this.matchStart) - this.matchStart : this.log.indexOf(firstBefore));
    }
  }

  /** Whether a tail window's older entries are still to come. */
  private get hasHole(): boolean {
    return this.notLoaded > 0 || this.older.pending;
  }

  /**
   * Whether this key, pressed now, would act on the entries before a tail window: Home and
   * Ctrl+A always, an arrow or page key when the selection would leave the window's first row.
   * A selected row that has left the window starts again from the newest row, as a row the log
   * no longer keeps does.
   */
  private needsOlder(key: string, mod: boolean): boolean {
    if (!this.hasHole) return false;
    if (key === 'Home' || (mod && (key === 'a' || key === 'A'))) return true;
    if (key !== 'ArrowUp' && key !== 'PageUp') return false;
    const active = this.selection.active;
    const current = active === undefined ? undefined : this.indexOf(active);
    return current !== undefined && current - (key === 'ArrowUp' ? 1 : Math.max(1, this.list.pageSize())) < 0;
  }

  /** Presses the keys that waited for the older entries, in order, once nothing is missing. */
  private pressWaitingKeys(): void {
    if (this.waitingKeys.length === 0 || this.hasHole) return;
    // The rows shown may stand at other indices now that the older entries are before them.
    this.list.invalidate();
    while (this.waitingKeys.length > 0 && !this.hasHole) {
      const { key, shift, mod } = this.waitingKeys.shift() as { key: string; shift: boolean; mod: boolean };
      this.pressKey(key, shift, mod);
    }
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
      h('span', { text: on ? l10n.t('Stop recording') : l10n.t('Record to file') }),
    );
    this.recordButton.title = on ? l10n.t('Recording every entry to {0}', file) : l10n.t('Write every new entry to an NDJSON file');
    this.recordingNote.textContent = on ? l10n.t('Recording to {0}', file.split(/[\\/]/).pop() ?? file) : '';
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
    // Kept ids may have a gap: a panel that fell more than a log's length behind a flood is sent
    // the host's oldest kept entry next, not the one after its newest.
    if (last === Number.POSITIVE_INFINITY) return this.log.size;
    return this.log.indexOf(last + 1);
  }

  private idAt(index: number): number {
    if (this.filter.active) return this.matches[this.matchStart + index] as number;
    return this.log.idAt(index) as number;
  }

  private renderRow(index: number): HTMLElement {
    const id = this.idAt(index);
    const entry = this.filter.active ? this.log.get(id) : this.log.at(index);
    if (!entry) return h('div', { class: 'entry gone', text: l10n.t('No longer kept'), attrs: { role: 'option', 'aria-selected': 'false' } });
    const row = renderRow(entry, this.showAsFor(entry.id), this.rowContext, { index, selected: this.selection.has(id) });
    if (id === this.selection.active) row.classList.add('active');
    return row;
  }

  /** The index of entry `id` in the view, or undefined when the view does not show it. */
  private indexOf(id: number): number | undefined {
    const count = this.viewCount();
    if (count === 0) return undefined;
    if (this.filter.active) {
      const at = upperBound(this.matches, id, this.matchStart) - 1;
      const index = at - this.matchStart;
      return at >= this.matchStart && this.matches[at] === id && index < count ? index : undefined;
    }
    const index = this.log.indexOf(id);
    return index < count && this.log.idAt(index) === id ? index : undefined;
  }

  /** The ids the view shows from `a` to `b` (either order), both included. */
  private idsBetween(a: number, b: number): number[] {
    const from = this.indexOf(a);
    const to = this.indexOf(b);
    if (from === undefined || to === undefined) return [b];
    const ids: number[] = [];
    const [low, high] = from <= to ? [from, to] : [to, from];
    for (let i = low; i <= high && ids.length < MAX_SELECTED_ENTRIES; i++) ids.push(this.idAt(i));
    return ids;
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
    this.menu.close(false);
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
    const flood = this.arrivedSinceDraw > this.list.pageSize();
    const wait = this.lastDraw + (flood ? FLOOD_DRAW_INTERVAL : MIN_DRAW_INTERVAL) - performance.now();
    if (wait > 0) setTimeout(() => this.drawInFrame(0), wait);
    else this.drawInFrame(0);
  }

  /** Draws in an animation frame that does not also paint the user's latest input. */
  private drawInFrame(deferred: number): void {
    requestAnimationFrame(() => {
      if (!this.drawRequested) return;
      if (deferred < INPUT_DEFER_FRAMES && performance.now() - this.lastInput < INPUT_QUIET_MS) this.drawInFrame(deferred + 1);
      else this.draw();
    });
  }

  private draw(): void {
    this.drawRequested = false;
    this.arrivedSinceDraw = 0;
    this.lastDraw = performance.now();
    // Notices first: one that appears or goes changes the list's height, and a list scrolled to
    // the bottom before that would no longer be at it (and stop following).
    this.updateNotices();
    if (this.following) this.list.scrollToBottom();
    else this.list.refresh();
    this.syncActiveDescendant();
  }

  // ---- selection, keyboard, context menu --------------------------------------------------

  private rowAt(target: EventTarget | null): number | undefined {
    const row = (target as Element | null)?.closest?.<HTMLElement>('.entry[data-entry-id]');
    return row ? Number(row.dataset.entryId) : undefined;
  }

  private onPointer(event: MouseEvent): void {
    if (event.button !== 0) return;
    const id = this.rowAt(event.target);
    if (id === undefined) return;
    const toggle = event.ctrlKey || event.metaKey;
    if (event.shiftKey || toggle) {
      // A modified click selects rows, not text; the log still takes the focus.
      event.preventDefault();
      this.scroller.focus();
    }
    this.choose(id, event.shiftKey ? 'extend' : toggle ? 'toggle' : 'only');
  }

  /** Selects `id` as a click or key says, shows it in the detail pane and keeps it in view. */
  private choose(id: number, how: 'only' | 'toggle' | 'extend'): void {
    if (how === 'only') this.selection.selectOnly(id);
    else if (how === 'toggle') this.selection.toggle(id);
    else this.selection.extendTo(id, (a, b) => this.idsBetween(a, b));
    const index = this.indexOf(id);
    if (index !== undefined) {
      this.list.scrollIntoView(index);
      this.following = this.list.atBottom();
    }
    this.syncSelection();
    const entry = this.log.get(id);
    if (entry) this.detail.show(entry);
  }

  /** Rendered rows show the selection; the listbox names its active row. */
  private syncSelection(): void {
    const active = this.selection.active;
    for (const { key, element } of this.list.rendered()) {
      const selected = this.selection.has(key);
      if (element.getAttribute('aria-selected') !== String(selected)) element.setAttribute('aria-selected', String(selected));
      element.classList.toggle('active', key === active);
    }
    this.syncActiveDescendant();
  }

  /** aria-activedescendant may only name a row in the page: the active one scrolled away, it is left out. */
  private syncActiveDescendant(): void {
    const active = this.selection.active;
    const rendered = active !== undefined && document.getElementById(rowId(active))?.parentElement === this.scroller;
    if (rendered) {
      if (this.scroller.getAttribute('aria-activedescendant') !== rowId(active)) this.scroller.setAttribute('aria-activedescendant', rowId(active));
    } else if (this.scroller.hasAttribute('aria-activedescendant')) this.scroller.removeAttribute('aria-activedescendant');
  }

  private onKey(event: KeyboardEvent): void {
    const mod = event.ctrlKey || event.metaKey;
    const selectAll = mod && (event.key === 'a' || event.key === 'A');
    if (isNavigationKey(event.key) || selectAll) {
      event.preventDefault();
      if (this.waitingKeys.length > 0 || this.needsOlder(event.key, mod)) {
        // Keys wait in order; a user holding a key down does not queue more than a page of it.
        if (this.waitingKeys.length < 64) this.waitingKeys.push({ key: event.key, shift: event.shiftKey, mod });
        this.updateNotices();
        return;
      }
      this.pressKey(event.key, event.shiftKey, mod);
      return;
    }
    const active = this.selection.active;
    if (event.key === 'Enter') {
      event.preventDefault();
      if (active === undefined) return;
      const entry = this.log.get(active);
      if (entry && this.detail.shownId !== active) this.detail.show(entry);
      this.detail.focus();
    } else if (event.key === ' ' && active !== undefined) {
      event.preventDefault();
      this.choose(active, mod ? 'toggle' : 'only');
    } else if ((event.key === 'c' || event.key === 'C') && mod && this.selection.size > 0) {
      event.preventDefault();
      this.copySelection('text');
    } else if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      event.preventDefault();
      const row = active !== undefined ? document.getElementById(rowId(active)) : null;
      const box = (row ?? this.scroller).getBoundingClientRect();
      this.openMenu(box.left + 24, box.top + Math.min(box.height, 22));
    }
  }

  /** A navigation key or Ctrl+A, on the entries the view has. */
  private pressKey(key: string, shift: boolean, mod: boolean): void {
    if (isNavigationKey(key)) {
      const active = this.selection.active;
      const current = active === undefined ? undefined : this.indexOf(active);
      const next = moveIndex(current, key, this.viewCount(), this.list.pageSize());
      if (next !== undefined) this.choose(this.idAt(next), shift ? 'extend' : 'only');
      return;
    }
    if (!mod) return;
    const count = this.viewCount();
    if (count === 0) return;
    this.selection.selectOnly(this.idAt(0));
    this.selection.extendTo(this.idAt(count - 1), (a, b) => this.idsBetween(a, b));
    this.syncSelection();
  }

  private selectedIds(): number[] {
    return this.selection.ids().slice(0, MAX_SELECTED_ENTRIES);
  }

  private copySelection(as: 'text' | 'json'): void {
    const entryIds = this.selectedIds();
    if (entryIds.length > 0) vscode.postMessage({ type: 'copyEntries', entryIds, as });
  }

  private openMenu(x: number, y: number): void {
    const entryIds = this.selectedIds();
    if (entryIds.length === 0) return;
    // The count follows the action's words, in parentheses, as menus usually show it.
    const many = entryIds.length > 1 ? ` (${count(entryIds.length)})` : '';
    const items: MenuItem[] = [
      { label: `${l10n.t('Copy')}${many}`, run: () => this.copySelection('text') },
      { label: `${l10n.t('Copy as JSON')}${many}`, run: () => this.copySelection('json') },
    ];
    if (this.saveAsFlowAllowed) {
      items.push(
        { label: `${l10n.t('Resend')}${many}`, run: () => vscode.postMessage({ type: 'resendEntries', entryIds }) },
        { label: `${l10n.t('Save as flow')}${many}`, run: () => vscode.postMessage({ type: 'saveAsFlow', filter: this.filterSpec, entryIds }) },
      );
    }
    items.push({ label: l10n.t('Filter to similar'), run: () => this.filterToSimilar() });
    this.menu.show(items, x, y, this.scroller);
  }

  /** The filter set to entries like the active one: its direction and frame type, its event or lens command. */
  private filterToSimilar(): void {
    const active = this.selection.active;
    const entry = active === undefined ? undefined : this.log.get(active);
    if (!entry) return;
    const lensWord = entry.lens?.summary.split(/\s+/).find((word) => /\w/.test(word));
    this.filterBar.set({
      text: lensWord ? `${LENS_PREFIX}${lensWord}` : '',
      regex: false,
      direction: entry.direction === 'none' ? 'any' : entry.direction,
      frame: frameOf(entry),
      event: entry.event?.name ?? '',
    });
    this.scroller.focus();
  }

  // ---- the polite arrival summary -----------------------------------------------------------

  private noteArrivals(added: number): void {
    if (added <= 0) return;
    this.unannounced += added;
    if (this.announceTimer !== undefined) return;
    const wait = Math.max(ANNOUNCE_DELAY, this.lastAnnounce + ANNOUNCE_INTERVAL - performance.now());
    this.announceTimer = setTimeout(() => this.announce(), wait);
  }

  private announce(): void {
    this.announceTimer = undefined;
    this.lastAnnounce = performance.now();
    const n = this.unannounced;
    this.unannounced = 0;
    if (n > 0) this.announcer.textContent = n === 1 ? l10n.t('1 new message') : l10n.t('{0} new messages', count(n));
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
    const notice = evicted <= 0 ? ''
      : evicted === 1 ? l10n.t('1 older message not kept (the log keeps the newest {0})', count(this.log.capacity))
        : l10n.t('{0} older messages not kept (the log keeps the newest {1})', count(evicted), count(this.log.capacity));
    if (this.evictedNotice.textContent !== notice) this.evictedNotice.textContent = notice;
    // Pages kept aside are not in the view yet either.
    const waiting = this.notLoaded + this.older.size;
    this.notLoadedNotice.hidden = waiting <= 0;
    const loading = waiting <= 0 ? ''
      : waiting === 1 ? l10n.t('1 earlier message is still loading (it follows once the flood slows, or at once when you scroll up, filter or pause)')
        : l10n.t('{0} earlier messages are still loading (they follow once the flood slows, or at once when you scroll up, filter or pause)', count(waiting));
    if (this.notLoadedNotice.textContent !== loading) this.notLoadedNotice.textContent = loading;
    const matched = count(this.matches.length - this.matchStart);
    // A filter over a log that still waits for older entries says so: its answer is not whole yet.
    const summary = !this.filter.active ? ''
      : waiting > 0 ? l10n.t('{0} of {1} match so far, {2} still loading', matched, count(this.log.size), count(waiting))
        : l10n.t('{0} of {1} match', matched, count(this.log.size));
    if (this.filterBar.summary.textContent !== summary) this.filterBar.summary.textContent = summary;
    const showNew = !this.following && this.unseen > 0;
    this.newButton.hidden = !showNew;
    if (showNew) {
      const label = l10n.t('{0} new', count(this.unseen));
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
    this.pauseButton.title = paused ? l10n.t('Show new entries again') : l10n.t('Keep receiving but stop showing new entries');
    this.pauseButton.replaceChildren(
      h('span', { class: `codicon codicon-${paused ? 'play' : 'debug-pause'}`, attrs: { 'aria-hidden': 'true' } }),
      h('span', { text: paused ? l10n.t('Resume view') : l10n.t('Pause view') }),
    );
  }

  private showAsFor(id: number): ShowFormat | undefined {
    return uiState.overrides[String(id)] ?? uiState.showAs;
  }

  /** The entry's own Show as (picked in the detail pane): its row's preview follows. */
  private setOverride(id: number, format: ShowFormat): void {
    uiState.overrides[String(id)] = format;
    saveUiState();
    if (document.getElementById(rowId(id))?.parentElement !== this.scroller) return;
    this.list.invalidate();
    this.draw();
  }

  /** Overrides of entries no longer kept are forgotten. */
  private pruneOverrides(): void {
    // Entries before a tail window are still to come.
    if (this.notLoaded > 0 || this.older.pending) return;
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
    if (value === AUTO_SHOW_AS) delete uiState.showAs;
    else if (isShowFormat(value)) uiState.showAs = value;
    else return;
    uiState.overrides = {};
    saveUiState();
    this.syncShowAs();
    this.list.invalidate();
    this.draw();
    const shown = this.detail.shownId === undefined ? undefined : this.log.get(this.detail.shownId);
    if (shown) this.detail.show(shown);
  }

  private syncShowAs(): void {
    this.showAs.value = uiState.showAs ?? AUTO_SHOW_AS;
    this.autoHint.hidden = uiState.showAs !== undefined;
  }
}

/** The index of the first element at least `value` in the sorted `values`, searching from `from`. */
function lowerBound(values: readonly number[], value: number, from: number): number {
  let low = from;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((values[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return low;
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
