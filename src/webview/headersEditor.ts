/** The handshake headers table: one row per header, each with its own remove button. */
import type { HeaderRow } from '../shared/protocol';
import { h, iconButton, textButton } from './dom';

interface Row {
  element: HTMLDivElement;
  name: HTMLInputElement;
  value: HTMLInputElement;
}

export class HeadersEditor {
  readonly element: HTMLDivElement;
  private readonly rowsElement: HTMLDivElement;
  private readonly addButton: HTMLButtonElement;
  private rows: Row[] = [];

  /** `onEdit` runs on every change, so a standing error can be cleared. */
  constructor(private readonly onEdit: () => void) {
    this.rowsElement = h('div', { class: 'header-rows' });
    const add = textButton('Add header', { iconName: 'add', secondary: true });
    this.addButton = add;
    add.addEventListener('click', () => {
      this.addRow({ name: '', value: '' }).name.focus();
      this.onEdit();
    });
    this.element = h(
      'div',
      { class: 'headers-editor', attrs: { role: 'group', 'aria-labelledby': 'headers-label' } },
      h('div', { class: 'group-label', id: 'headers-label', text: 'Headers' }),
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
      attrs: { type: 'text', 'aria-label': 'Header name', placeholder: 'Name', spellcheck: 'false' },
    });
    const value = h('input', {
      class: 'header-value',
      attrs: { type: 'text', 'aria-label': 'Header value', placeholder: 'Value', spellcheck: 'false' },
    });
    name.value = header.name;
    value.value = header.value;
    name.addEventListener('input', this.onEdit);
    value.addEventListener('input', this.onEdit);
    const remove = iconButton('close', 'Remove header');
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
