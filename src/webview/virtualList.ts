/**
 * A scrolling list that keeps only the rows near the viewport in the DOM, whatever the number
 * of rows. Rows have one fixed height (set by CSS and measured once), so the position of row i
 * is i × height and two spacers stand in for everything above and below the rendered window.
 * Rows are keyed (log entry ids): a row that stays in the window keeps its element, focus and
 * state; only rows entering or leaving the window are created or removed.
 */

/** Rows rendered beyond each edge of the viewport, so short scrolls show ready rows. */
const OVERSCAN = 30;
/**
 * Rows rendered above the viewport while it follows the newest rows: a stream replaces them all
 * at every draw, so fewer rows there is less work per draw (scrolling up renders the full
 * overscan again).
 */
const FOLLOW_OVERSCAN = 6;
/** How close to the bottom (px) still counts as "at the bottom". */
const BOTTOM_SLACK = 8;

export interface VirtualListSource {
  count(): number;
  keyAt(index: number): number;
  render(index: number): HTMLElement;
}

export class VirtualList {
  private readonly top: HTMLDivElement;
  private readonly bottom: HTMLDivElement;
  /** Rendered rows in order, with their keys. */
  private shown: { key: number; element: HTMLElement }[] = [];
  private rowHeight = 22;
  private measured = false;

  constructor(
    readonly element: HTMLElement,
    private readonly source: VirtualListSource,
  ) {
    this.top = document.createElement('div');
    this.bottom = document.createElement('div');
    this.top.className = 'list-spacer';
    this.bottom.className = 'list-spacer';
    element.append(this.top, this.bottom);
  }

  atBottom(): boolean {
    const el = this.element;
    return el.scrollTop + el.clientHeight >= el.scrollHeight - BOTTOM_SLACK;
  }

  scrollToBottom(): void {
    const total = this.source.count() * this.rowHeight;
    this.setSpacers(0, 0, total);
    this.element.scrollTop = Math.max(0, total - this.element.clientHeight);
    this.refresh(FOLLOW_OVERSCAN);
  }

  /** The rows rendered now, in order. */
  rendered(): readonly { key: number; element: HTMLElement }[] {
    return this.shown;
  }

  /** Rows the viewport holds (PageUp / PageDown move this many). */
  pageSize(): number {
    return Math.max(1, Math.floor(this.element.clientHeight / this.rowHeight) - 1);
  }

  /**
   * Scrolls just enough for row `index` to be in view, and renders it with a short overscan: this
   * runs in a key's or click's frame, and the scroll it causes (if any) renders the full one.
   */
  scrollIntoView(index: number): void {
    const el = this.element;
    const top = index * this.rowHeight;
    // Rows may have arrived since the last draw (a flood adds thousands): the spacers grow to
    // the list's length first, or the browser clamps scrollTop short of a new row.
    if (top + this.rowHeight > el.scrollHeight) this.setSpacers(0, 0, this.source.count() * this.rowHeight);
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + this.rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + this.rowHeight - el.clientHeight;
    this.refresh(FOLLOW_OVERSCAN);
  }

  /** Keeps the same rows in view after `rows` rows were put before them. */
  shiftBy(rows: number): void {
    if (rows <= 0) return;
    const el = this.element;
    // The spacers grow first, or the browser clamps scrollTop to the old length.
    this.setSpacers(0, 0, this.source.count() * this.rowHeight);
    el.scrollTop += rows * this.rowHeight;
  }

  /** Drops every rendered row, so the next refresh renders them anew (e.g. after Show as). */
  invalidate(): void {
    for (const row of this.shown) row.element.remove();
    this.shown = [];
  }

  /** Renders the rows the viewport needs now, with `overscan` more on each side. */
  refresh(overscan = OVERSCAN): void {
    const count = this.source.count();
    const height = this.rowHeight;
    const el = this.element;
    const viewport = Math.max(el.clientHeight, height);
    const maxScroll = Math.max(0, count * height - viewport);
    const scrollTop = Math.min(el.scrollTop, maxScroll);
    const first = Math.max(0, Math.floor(scrollTop / height) - overscan);
    const end = Math.min(count, Math.ceil((scrollTop + viewport) / height) + overscan);
    this.setSpacers(first, end, count * height);

    const keys: number[] = [];
    for (let i = first; i < end; i++) keys.push(this.source.keyAt(i));
    const wanted = new Set(keys);
    const kept = this.shown.filter((row) => {
      if (wanted.has(row.key)) return true;
      row.element.remove();
      return false;
    });
    const next: { key: number; element: HTMLElement }[] = [];
    let cursor = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as number;
      const existing = kept[cursor];
      if (existing && existing.key === key) {
        next.push(existing);
        cursor++;
        continue;
      }
      const element = this.source.render(first + i);
      this.element.insertBefore(element, existing ? existing.element : this.bottom);
      next.push({ key, element });
    }
    // Rows kept but out of order (the keys changed meaning, e.g. a new filter) are re-rendered.
    for (; cursor < kept.length; cursor++) kept[cursor]?.element.remove();
    this.shown = next.filter((row) => row.element.isConnected);
    if (!this.measured && this.shown.length > 0) this.measure();
  }

  private measure(): void {
    const actual = (this.shown[0] as { element: HTMLElement }).element.offsetHeight;
    if (actual <= 0) return;
    this.measured = true;
    if (actual !== this.rowHeight) {
      const follow = this.atBottom();
      this.rowHeight = actual;
      if (follow) this.scrollToBottom();
      else this.refresh();
    }
  }

  private setSpacers(first: number, end: number, total: number): void {
    const topHeight = first * this.rowHeight;
    const bottomHeight = Math.max(0, total - end * this.rowHeight);
    // CSSOM writes, which the CSP allows (it forbids style attributes in markup).
    this.top.style.height = `${topHeight}px`;
    this.bottom.style.height = `${bottomHeight}px`;
  }
}
