/**
 * A name/value table, one row per entry with its own remove button: the handshake headers, and
 * (with other labels) the URL's query parameters.
 */
import type { HeaderRow } from '../shared/protocol';
import { h, iconButton, textButton, uniqueId } from './dom';
import { l10n } from './l10n';

interface Row {
  element: HTMLDivElement;
  name: HTMLInputElement;
  value: HTMLInputElement;
}

/** The words of one table: its group label and the accessible names of its controls. */
export interface TableLabels {
  group: string;
  name: string;
  value: string;
  add: string;
  remove: string;
}

const HEADER_LABELS: TableLabels = {
  group: l10n.t('Headers'),
  name: l10n.t('Header name'),
  value: l10n.t('Header value'),
  add: l10n.t('Add header'),
  remove: l10n.t('Remove header'),
};

export class HeadersEditor {
  readonly element: HTMLDivElement;
  private readonly rowsElement: HTMLDivElement;
  private readonly addButton: HTMLButtonElement;
  private rows: Row[] = [];

  /** `onEdit` runs on every change, so a standing error can be cleared. */
  constructor(
    private readonly onEdit: () => void,
    private readonly labels: TableLabels = HEADER_LABELS,
  ) {
    this.rowsElement = h('div', { class: 'header-rows' });
    const add = textButton(labels.add, { iconName: 'add', secondary: true });
    this.addButton = add;
    add.addEventListener('click', () => {
      this.addRow({ name: '', value: '' }).name.focus();
      this.onEdit();
    });
    const labelId = labels === HEADER_LABELS ? 'headers-label' : uniqueId('names-label');
    this.element = h(
      'div',
      { class: 'headers-editor', attrs: { role: 'group', 'aria-labelledby': labelId } },
      h('div', { class: 'group-label', id: labelId, text: labels.group }),
      this.rowsElement,
      add,
    );
  }

  get values(): HeaderRow[] {
    return this.rows.map((row) => ({ name: row.name.value, value: row.value.value }));
  }

  set values(headers: readonly HeaderRow[]) {
    this.rows = [];
    this.rowsElement.replaceChildren();
    for (const header of headers) this.addRow(header);
  }

  /** The inputs of row `index`, to mark the one a validation error is about. */
  controlsOf(index: number): HTMLElement[] {
    const row = this.rows[index];
    return row ? [row.name, row.value] : [];
  }

  private addRow(header: HeaderRow): Row {
    const name = h('input', {
      class: 'header-name',
      attrs: { type: 'text', 'aria-label': this.labels.name, placeholder: l10n.t('Name'), spellcheck: 'false' },
    });
    const value = h('input', {
      class: 'header-value',
      attrs: { type: 'text', 'aria-label': this.labels.value, placeholder: l10n.t('Value'), spellcheck: 'false' },
    });
    name.value = header.name;
    value.value = header.value;
    name.addEventListener('input', this.onEdit);
    value.addEventListener('input', this.onEdit);
    const remove = iconButton('close', this.labels.remove);
    const row: Row = { element: h('div', { class: 'header-row' }, name, value, remove), name, value };
    remove.addEventListener('click', () => {
      const index = this.rows.indexOf(row);
      this.rows.splice(index, 1);
      row.element.remove();
      // Keep focus in the table rather than dropping it to the document body.
      const next = this.rows[index] ?? this.rows[index - 1];
      (next?.name ?? this.addButton).focus();
      this.onEdit();
    });
    this.rows.push(row);
    this.rowsElement.append(row.element);
    return row;
  }
}
