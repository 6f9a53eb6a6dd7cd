/**
 * The message log's selection, by entry id: the active row (where the keyboard is, the one the
 * detail pane shows), the anchor of a Shift range, and the selected set. Ids rather than indices,
 * because a row's index changes as the log evicts old entries or a filter changes. Pure; the view
 * gives the ids in view order through `idsBetween`.
 */

export type NavigationKey = 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown';

export function isNavigationKey(key: string): key is NavigationKey {
  return key === 'ArrowUp' || key === 'ArrowDown' || key === 'Home' || key === 'End' || key === 'PageUp' || key === 'PageDown';
}

/**
 * The index a navigation key moves to in a list of `count` rows from `current` (undefined: no
 * row active yet, so Down and Up start at the ends), `page` rows per PageUp / PageDown.
 */
export function moveIndex(current: number | undefined, key: NavigationKey, count: number, page: number): number | undefined {
  if (count <= 0) return undefined;
  const last = count - 1;
  const step = Math.max(1, page);
  const clamp = (i: number) => Math.min(last, Math.max(0, i));
  switch (key) {
    case 'Home':
      return 0;
    case 'End':
      return last;
    case 'ArrowUp':
      return current === undefined ? last : clamp(current - 1);
    case 'ArrowDown':
      return current === undefined ? last : clamp(current + 1);
    case 'PageUp':
      return current === undefined ? last : clamp(current - step);
    case 'PageDown':
      return current === undefined ? last : clamp(current + step);
  }
}

/** Rows a Shift range selects at most, so Shift+Home over a full log stays a cheap set. */
export const MAX_RANGE = 100_000;

export class ListSelection {
  private activeId: number | undefined;
  private anchorId: number | undefined;
  private readonly chosen = new Set<number>();

  get active(): number | undefined {
    return this.activeId;
  }

  get size(): number {
    return this.chosen.size;
  }

  has(id: number): boolean {
    return this.chosen.has(id);
  }

  /** The selected ids in ascending order (the log's order, as ids grow with time). */
  ids(): number[] {
    return [...this.chosen].sort((a, b) => a - b);
  }

  /** A plain click or arrow: only this row is selected, and it anchors the next range. */
  selectOnly(id: number): void {
    this.chosen.clear();
    this.chosen.add(id);
    this.activeId = id;
    this.anchorId = id;
  }

  /** Ctrl/Cmd+click: this row joins or leaves the selection and anchors the next range. */
  toggle(id: number): void {
    if (this.chosen.has(id)) this.chosen.delete(id);
    else this.chosen.add(id);
    this.activeId = id;
    this.anchorId = id;
  }

  /**
   * Shift+click or Shift+arrow: the rows from the anchor to `id` (given in view order by
   * `idsBetween`, both ends included) are the selection; the anchor stays.
   */
  extendTo(id: number, idsBetween: (from: number, to: number) => readonly number[]): void {
    const anchor = this.anchorId ?? this.activeId ?? id;
    this.chosen.clear();
    for (const between of idsBetween(anchor, id).slice(0, MAX_RANGE)) this.chosen.add(between);
    this.chosen.add(id);
    this.activeId = id;
    this.anchorId = anchor;
  }

  /** Entries no longer kept, or no longer in view, leave the selection. */
  retain(keep: (id: number) => boolean): void {
    for (const id of this.chosen) if (!keep(id)) this.chosen.delete(id);
    if (this.activeId !== undefined && !keep(this.activeId)) this.activeId = undefined;
    if (this.anchorId !== undefined && !keep(this.anchorId)) this.anchorId = undefined;
  }

  clear(): void {
    this.chosen.clear();
    this.activeId = undefined;
    this.anchorId = undefined;
  }
}
