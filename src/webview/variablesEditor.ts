/**
 * Variables: choose a collection and one of its environments, edit its `{{name}}` variables and
 * save. A secret variable's value goes to the host once and is stored in SecretStorage; it is
 * never sent back, so its field stays empty ("unchanged") afterwards.
 */
import type { Collection, Variable } from '../shared/protocol';
import { countVariables } from '../shared/settingsMarks';
import { h, iconButton, labeled, textButton, uniqueId } from './dom';
import { ErrorSlot, type FieldErrors } from './errorSlot';
import type { Requests } from './requests';
import { vscode } from './vscodeApi';

interface Row {
  element: HTMLElement;
  name: HTMLInputElement;
  value: HTMLInputElement;
  secret: HTMLInputElement;
}

export class VariablesEditor {
  readonly element: HTMLElement;
  private readonly collection: HTMLSelectElement;
  private readonly environment: HTMLSelectElement;
  private readonly environmentName: HTMLInputElement;
  private readonly rowsElement: HTMLDivElement;
  private readonly error: ErrorSlot;
  private rows: Row[] = [];
  private collections: readonly Collection[] = [];
  /**
   * The user changed the form (environment name, variables) since it was last drawn from the
   * collections. A redraw for the host's news (its answer to choosing the collection, a save in
   * another panel) then keeps what was typed and only refreshes the lists to choose from.
   */
  private edited = false;

  constructor(
    private readonly requests: Requests,
    errors: FieldErrors,
  ) {
    this.collection = h('select');
    this.environment = h('select');
    this.environmentName = h('input', { attrs: { type: 'text', placeholder: 'staging', spellcheck: 'false' } });
    this.rowsElement = h('div', { class: 'variable-rows' });
    this.error = new ErrorSlot([this.environmentName]);
    errors.register('variables', this.error);
    const add = textButton('Add variable', { iconName: 'add', secondary: true });
    add.addEventListener('click', () => {
      this.edited = true;
      this.addRow({ name: '', value: '' }).name.focus();
    });
    const save = textButton('Save environment', { iconName: 'save', secondary: true });
    save.addEventListener('click', () => this.save());
    this.collection.addEventListener('change', () => this.chooseCollection());
    this.environment.addEventListener('change', () => this.chooseEnvironment());
    // Text fields and the Secret checkboxes; the two lists redraw the form on purpose.
    this.environmentName.addEventListener('input', () => (this.edited = true));
    this.rowsElement.addEventListener('input', () => (this.edited = true));
    this.element = h(
      'section',
      { class: 'variables-section', attrs: { 'aria-labelledby': 'variables-heading' } },
      h('h2', { class: 'section-heading', id: 'variables-heading', text: 'Variables' }),
      h('p', { class: 'note', text: 'Use {{name}} in the URL, headers, passphrase and messages.' }),
      labeled('Variables collection', this.collection),
      labeled('Active environment', this.environment),
      labeled('Environment name', this.environmentName),
      this.rowsElement,
      h('div', { class: 'button-row' }, add, save),
      this.error.element,
    );
  }

  /** The variables as typed (the Variables tab's mark counts them). */
  get setCount(): number {
    return countVariables(this.rows.map((row) => ({ name: row.name.value })));
  }

  update(collections: readonly Collection[]): void {
    this.collections = collections;
    const chosen = this.collection.value;
    this.collection.replaceChildren(
      h('option', { text: '(none)', attrs: { value: '' } }),
      ...collections.map((c) => h('option', { text: c.name, attrs: { value: c.id } })),
    );
    const kept = collections.some((c) => c.id === chosen);
    if (kept) this.collection.value = chosen;
    if (kept && this.edited) this.listEnvironments(this.environment.value);
    else this.fillEnvironments();
  }

  private get current(): Collection | undefined {
    return this.collections.find((c) => c.id === this.collection.value);
  }

  private chooseCollection(): void {
    this.fillEnvironments();
    this.chooseEnvironment();
  }

  private chooseEnvironment(): void {
    vscode.postMessage({ type: 'selectEnvironment', collectionId: this.collection.value, environment: this.environment.value });
    this.showVariables();
  }

  /** The chosen collection's environments as the list's options, `selected` chosen if it is one. */
  private listEnvironments(selected: string): void {
    const environments = this.current?.environments ?? [];
    this.environment.replaceChildren(
      h('option', { text: '(none)', attrs: { value: '' } }),
      ...environments.map((env) => h('option', { text: env.name, attrs: { value: env.name } })),
    );
    this.environment.value = environments.some((env) => env.name === selected) ? selected : '';
  }

  /** Draws the form from the collection: its active environment and that environment's variables. */
  private fillEnvironments(): void {
    this.listEnvironments(this.current?.activeEnvironment ?? '');
    this.showVariables();
  }

  private showVariables(): void {
    const environment = this.current?.environments?.find((env) => env.name === this.environment.value);
    this.environmentName.value = environment?.name ?? '';
    this.edited = false;
    this.rows = [];
    this.rowsElement.replaceChildren();
    for (const variable of environment?.variables ?? []) this.addRow(variable);
    this.error.clear();
  }

  private addRow(variable: Variable): Row {
    const name = h('input', { attrs: { type: 'text', 'aria-label': 'Variable name', placeholder: 'name', spellcheck: 'false' } });
    const value = h('input', { attrs: { type: 'text', 'aria-label': 'Variable value', placeholder: 'value', spellcheck: 'false' } });
    const secretId = uniqueId('secret');
    const secret = h('input', { id: secretId, attrs: { type: 'checkbox', 'aria-label': 'Secret' } });
    name.value = variable.name;
    value.value = variable.value;
    secret.checked = variable.secret === true;
    const applySecret = (): void => {
      value.type = secret.checked ? 'password' : 'text';
      value.placeholder = secret.checked && variable.secret ? 'stored (unchanged)' : 'value';
    };
    secret.addEventListener('change', applySecret);
    applySecret();
    const remove = iconButton('close', 'Remove variable');
    const row: Row = {
      element: h('div', { class: 'variable-row' }, name, value, h('label', { class: 'secret-toggle', attrs: { for: secretId } }, secret, 'Secret'), remove),
      name,
      value,
      secret,
    };
    remove.addEventListener('click', () => {
      this.edited = true;
      this.rows.splice(this.rows.indexOf(row), 1);
      row.element.remove();
    });
    this.rows.push(row);
    this.rowsElement.append(row.element);
    return row;
  }

  private save(): void {
    const collectionId = this.collection.value;
    if (!collectionId) {
      this.error.show('Choose a saved collection first: environments belong to a collection', { controls: [this.collection] });
      return;
    }
    const name = this.environmentName.value.trim();
    if (!name) {
      this.error.show('Enter a name for the environment');
      this.environmentName.focus();
      return;
    }
    const variables: Variable[] = this.rows.map((row) => ({
      name: row.name.value.trim(),
      value: row.value.value,
      ...(row.secret.checked ? { secret: true } : {}),
    }));
    this.requests.send({ type: 'saveEnvironment', collectionId, environment: { name, variables } }, ['variables'], (result) => {
      if (!result.ok) return;
      // Secret values are not kept in the page once they are stored.
      for (const row of this.rows) if (row.secret.checked) row.value.value = '';
      // Stored: the form follows the collections again. The store's news usually comes before
      // this answer; if it has, draw the saved environment now, otherwise the news will.
      this.edited = false;
      if (this.current?.environments?.some((env) => env.name === name)) this.fillEnvironments();
    });
  }
}
