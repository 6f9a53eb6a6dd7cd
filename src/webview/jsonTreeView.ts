/**
 * A JSON value as a tree the keyboard can fold (WAI-ARIA tree pattern): one tab stop, Up / Down /
 * Home / End move, Right unfolds (or goes to the first child), Left folds (or goes to the
 * parent), Enter and Space toggle. The rows come from shared/jsonTree.ts, which caps how many
 * there are, so a large message shows at once; keys and values are text nodes.
 */
import { flattenJson, initialExpansion, parentIndex, type JsonTreeRow } from '../shared/jsonTree';
import { h } from './dom';
import { visibleFragment } from './visibleTextNodes';
import { l10n } from './l10n';

export class JsonTreeView {
  readonly element: HTMLDivElement;
  private readonly tree: HTMLUListElement;
  private readonly note: HTMLParagraphElement;
  private value: unknown;
  private expanded = new Set<string>();
  private rows: JsonTreeRow[] = [];
  private focusIndex = 0;

  constructor(label: string) {
    this.tree = h('ul', { class: 'json-tree', attrs: { role: 'tree', 'aria-label': label } });
    this.note = h('p', { class: 'hint json-tree-note' });
    this.note.hidden = true;
    this.element = h('div', { class: 'json-tree-view' }, this.tree, this.note);
    this.tree.addEventListener('keydown', (event) => this.onKey(event));
    this.tree.addEventListener('click', (event) => {
      const item = (event.target as Element).closest<HTMLElement>('[role="treeitem"]');
      if (!item) return;
      const index = Number(item.dataset.index);
      this.focusIndex = index;
      if ((event.target as Element).closest('.json-twisty') || event.detail === 2) this.toggle(index);
      else this.syncFocus(true);
    });
  }

  /** Shows `value` with its first levels unfolded. */
  show(value: unknown): void {
    this.value = value;
    this.expanded = initialExpansion(value);
    this.focusIndex = 0;
    this.render(false);
  }

  private render(keepFocus: boolean): void {
    const { rows, truncated } = flattenJson(this.value, this.expanded);
    this.rows = rows;
    this.focusIndex = Math.min(this.focusIndex, rows.length - 1);
    this.tree.replaceChildren(...rows.map((row, index) => this.renderRow(row, index)));
    this.note.hidden = !truncated;
    this.note.textContent = truncated ? l10n.t('Showing the first {0} rows: fold some, or open the message in an editor.', rows.length.toLocaleString('en-US')) : '';
    this.syncFocus(keepFocus);
  }

  private renderRow(row: JsonTreeRow, index: number): HTMLLIElement {
    const attrs: Record<string, string> = { role: 'treeitem', 'aria-level': String(row.depth + 1), tabindex: '-1', 'data-index': String(index) };
    if (row.expandable) attrs['aria-expanded'] = String(row.expanded);
    const item = h(
      'li',
      { class: `json-row json-${row.more !== undefined ? 'more' : row.kind}`, attrs },
      h('span', { class: `json-twisty codicon ${row.expandable ? (row.expanded ? 'codicon-chevron-down' : 'codicon-chevron-right') : 'codicon-blank'}`, attrs: { 'aria-hidden': 'true' } }),
    );
    // A CSSOM write (the CSP forbids style attributes in markup, not this).
    item.style.paddingInlineStart = `${row.depth * 14 + 2}px`;
    if (row.key !== undefined) item.append(h('span', { class: 'json-key' }, visibleFragment(row.key)), h('span', { class: 'json-colon', text: ': ' }));
    item.append(h('span', { class: 'json-value' }, visibleFragment(row.preview)));
    return item;
  }

  private items(): HTMLElement[] {
    return [...this.tree.children] as HTMLElement[];
  }

  /** One row is the tree's tab stop; `move` also gives it the focus. */
  private syncFocus(move: boolean): void {
    const items = this.items();
    items.forEach((item, index) => {
      item.tabIndex = index === this.focusIndex ? 0 : -1;
      item.setAttribute('aria-selected', String(index === this.focusIndex));
    });
    if (move) items[this.focusIndex]?.focus();
  }

  private toggle(index: number): void {
    const row = this.rows[index];
    if (!row?.expandable) return;
    if (row.expanded) this.expanded.delete(row.path);
    else this.expanded.add(row.path);
    this.focusIndex = index;
    this.render(true);
  }

  private onKey(event: KeyboardEvent): void {
    const row = this.rows[this.focusIndex];
    if (!row) return;
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        this.focusIndex = Math.min(this.rows.length - 1, this.focusIndex + 1);
        this.syncFocus(true);
        break;
      case 'ArrowUp':
        this.focusIndex = Math.max(0, this.focusIndex - 1);
        this.syncFocus(true);
        break;
      case 'Home':
        this.focusIndex = 0;
        this.syncFocus(true);
        break;
      case 'End':
        this.focusIndex = this.rows.length - 1;
        this.syncFocus(true);
        break;
      case 'ArrowRight':
        if (row.expandable && !row.expanded) this.toggle(this.focusIndex);
        else if (row.expandable) {
          this.focusIndex = Math.min(this.rows.length - 1, this.focusIndex + 1);
          this.syncFocus(true);
        }
        break;
      case 'ArrowLeft':
        if (row.expandable && row.expanded) this.toggle(this.focusIndex);
        else {
          this.focusIndex = parentIndex(this.rows, this.focusIndex);
          this.syncFocus(true);
        }
        break;
      case 'Enter':
      case ' ':
        this.toggle(this.focusIndex);
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }
}
