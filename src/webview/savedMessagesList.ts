/**
 * The saved messages of the panel's endpoint, beside the composer: a listbox where selecting a
 * message loads it into the composer and Enter or a double-click sends it, plus Save message (the
 * composer under a new name, asked for inline), Rename, Delete and Move up / down. The host keeps
 * the list; this only shows it and asks for changes.
 */
import type { PayloadFormat, SavedMessage, SavedMessagesMessage, SendFormat } from '../shared/protocol';
import { checkMessageName, isPayloadFormat } from '../shared/savedMessages';
import { checkEventName } from '../shared/socketIo';
import { addDescribedBy, h, iconButton, labeled, textButton, uniqueId } from './dom';
import { ErrorSlot, type FieldErrors } from './errorSlot';
import { SEND_OPTIONS } from './format';
import type { Requests } from './requests';
import { l10n } from './l10n';

/** The composers a saved message is read from and loaded into. */
export interface ComposerAccess {
  readMessage(): { format: SendFormat; body: string };
  loadMessage(format: SendFormat, body: string): void;
  readEmit(): { event: string; format: PayloadFormat; args: string; ack: boolean };
  loadEmit(event: string, format: PayloadFormat, args: string, ack: boolean): void;
}

type Endpoint = NonNullable<SavedMessagesMessage['endpoint']>;

const FORMAT_LABELS = new Map<SendFormat, string>(SEND_OPTIONS);

export class SavedMessagesList {
  readonly element: HTMLElement;
  private readonly note: HTMLParagraphElement;
  private readonly list: HTMLUListElement;
  private readonly toolbar: HTMLDivElement;
  private readonly saveButton: HTMLButtonElement;
  private readonly renameButton: HTMLButtonElement;
  private readonly deleteButton: HTMLButtonElement;
  private readonly upButton: HTMLButtonElement;
  private readonly downButton: HTMLButtonElement;
  private readonly nameForm: HTMLDivElement;
  private readonly nameInput: HTMLInputElement;
  private readonly nameError: ErrorSlot;
  private readonly error: ErrorSlot;
  private endpoint: Endpoint | undefined;
  private messages: SavedMessage[] = [];
  private selected: string | undefined;
  /** The name form's purpose: a new message, or renaming the one named here. */
  private naming: { kind: 'save' } | { kind: 'rename'; name: string } | undefined;

  constructor(
    private readonly requests: Requests,
    errors: FieldErrors,
    private readonly composers: ComposerAccess,
  ) {
    const headingId = uniqueId('saved-heading');
    this.note = h('p', { class: 'saved-note', id: uniqueId('saved-note') });
    this.list = h('ul', {
      class: 'saved-list',
      attrs: { role: 'listbox', 'aria-label': l10n.t('Saved messages'), tabindex: '0' },
    });
    this.saveButton = iconButton('save', l10n.t('Save message'));
    this.renameButton = iconButton('edit', l10n.t('Rename message'));
    this.deleteButton = iconButton('trash', l10n.t('Delete message'));
    this.upButton = iconButton('arrow-up', l10n.t('Move message up'));
    this.downButton = iconButton('arrow-down', l10n.t('Move message down'));
    this.toolbar = h(
      'div',
      { class: 'saved-actions', attrs: { role: 'toolbar', 'aria-label': l10n.t('Saved message actions') } },
      this.saveButton,
      this.renameButton,
      this.deleteButton,
      this.upButton,
      this.downButton,
    );
    this.error = new ErrorSlot([this.list]);
    errors.register('savedMessage', this.error);

    this.nameInput = h('input', { attrs: { type: 'text', spellcheck: 'false', autocomplete: 'off' } });
    this.nameError = new ErrorSlot([this.nameInput]);
    const confirm = textButton(l10n.t('Save name'), { iconName: 'check' });
    const cancel = textButton(l10n.t('Cancel'), { secondary: true });
    this.nameForm = h(
      'div',
      { class: 'saved-name-form' },
      labeled(l10n.t('Message name'), this.nameInput, this.nameError.element),
      h('div', { class: 'button-row' }, confirm, cancel),
    );
    this.nameForm.hidden = true;

    this.saveButton.addEventListener('click', () => this.openNameForm({ kind: 'save' }));
    this.renameButton.addEventListener('click', () => {
      if (this.selected !== undefined) this.openNameForm({ kind: 'rename', name: this.selected });
    });
    this.deleteButton.addEventListener('click', () => this.deleteSelected());
    this.upButton.addEventListener('click', () => this.moveSelected(-1));
    this.downButton.addEventListener('click', () => this.moveSelected(1));
    confirm.addEventListener('click', () => this.submitName());
    cancel.addEventListener('click', () => this.closeNameForm());
    this.nameInput.addEventListener('input', () => this.nameError.clear());
    this.nameInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.isComposing) {
        event.preventDefault();
        this.submitName();
      } else if (event.key === 'Escape') {
        event.preventDefault();
        this.closeNameForm();
      }
    });
    this.list.addEventListener('keydown', (event) => this.onListKey(event));

    this.element = h(
      'section',
      { class: 'saved-messages', attrs: { 'aria-labelledby': headingId } },
      h('h2', { class: 'section-heading', id: headingId, text: l10n.t('Saved messages') }),
      this.note,
      this.list,
      this.error.element,
      this.toolbar,
      this.nameForm,
    );
    this.update({ type: 'savedMessages', messages: [] });
  }

  /** The host's list for the panel's endpoint (or none). */
  update(message: SavedMessagesMessage): void {
    const endpointChanged = message.endpoint?.id !== this.endpoint?.id;
    this.endpoint = message.endpoint;
    this.messages = message.messages;
    if (endpointChanged) {
      this.selected = undefined;
      this.closeNameForm();
      this.error.clear();
    }
    if (this.selected !== undefined && !this.messages.some((m) => m.name === this.selected)) this.selected = undefined;
    this.render();
  }

  private render(): void {
    const endpoint = this.endpoint;
    this.list.hidden = endpoint === undefined;
    this.toolbar.hidden = endpoint === undefined;
    if (endpoint === undefined) {
      this.note.textContent = l10n.t('Save the endpoint to keep messages');
      this.note.hidden = false;
      this.list.replaceChildren();
      return;
    }
    this.note.textContent = endpoint.readOnly ?? '';
    this.note.hidden = endpoint.readOnly === undefined;
    const options = this.messages.map((m, index) => this.renderOption(m, index));
    this.list.replaceChildren(
      ...(options.length > 0 ? options : [h('li', { class: 'empty', text: l10n.t('No saved messages yet'), attrs: { role: 'presentation' } })]),
    );
    const active = options.find((o) => o.getAttribute('aria-selected') === 'true');
    if (active) this.list.setAttribute('aria-activedescendant', active.id);
    else this.list.removeAttribute('aria-activedescendant');
    this.updateButtons();
  }

  private renderOption(message: SavedMessage, index: number): HTMLLIElement {
    const description = h('span', {
      class: 'saved-description',
      id: uniqueId('saved-desc'),
      text: describe(message),
    });
    const option = h(
      'li',
      {
        class: 'saved-option',
        id: `saved-option-${index}`,
        attrs: { role: 'option', 'aria-label': message.name, 'aria-selected': String(message.name === this.selected) },
      },
      h('span', { class: 'saved-name', text: message.name }),
      description,
    );
    addDescribedBy(option, description.id);
    option.title = message.body.length > 200 ? `${message.body.slice(0, 200)}…` : message.body;
    option.addEventListener('click', () => {
      this.select(message.name);
      this.list.focus();
    });
    option.addEventListener('dblclick', () => this.send(message.name));
    return option;
  }

  private updateButtons(): void {
    const readOnly = this.endpoint?.readOnly;
    const index = this.messages.findIndex((m) => m.name === this.selected);
    const none = index < 0;
    this.saveButton.disabled = readOnly !== undefined;
    this.renameButton.disabled = readOnly !== undefined || none;
    this.deleteButton.disabled = readOnly !== undefined || none;
    this.upButton.disabled = readOnly !== undefined || none || index === 0;
    this.downButton.disabled = readOnly !== undefined || none || index === this.messages.length - 1;
    for (const button of [this.saveButton, this.renameButton, this.deleteButton, this.upButton, this.downButton]) {
      const label = button.getAttribute('aria-label') ?? '';
      // A disabled button's tooltip says why, since a read-only list looks like an editable one.
      button.title = readOnly !== undefined ? `${label}: ${readOnly}` : label;
      if (readOnly !== undefined) addDescribedBy(button, this.note.id);
    }
  }

  /** Selects a message and loads it into the composer. */
  private select(name: string): void {
    const message = this.messages.find((m) => m.name === name);
    if (!message) return;
    this.selected = name;
    this.error.clear();
    if (this.endpoint?.socketio) this.composers.loadEmit(message.event ?? '', isPayloadFormat(message.format) ? message.format : 'json', message.body, message.ack === true);
    else this.composers.loadMessage(message.format, message.body);
    this.render();
    this.list.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }

  private onListKey(event: KeyboardEvent): void {
    const index = this.messages.findIndex((m) => m.name === this.selected);
    const last = this.messages.length - 1;
    const go = (target: number) => {
      event.preventDefault();
      const message = this.messages[Math.max(0, Math.min(last, target))];
      if (message) this.select(message.name);
    };
    switch (event.key) {
      case 'ArrowDown':
        go(index < 0 ? 0 : index + 1);
        return;
      case 'ArrowUp':
        go(index < 0 ? last : index - 1);
        return;
      case 'Home':
        go(0);
        return;
      case 'End':
        go(last);
        return;
      case 'Enter':
        if (this.selected !== undefined && !event.isComposing) {
          event.preventDefault();
          this.send(this.selected);
        }
        return;
      default:
        return;
    }
  }

  private send(name: string): void {
    const endpoint = this.endpoint;
    if (!endpoint) return;
    this.requests.send({ type: 'sendMessage', endpointId: endpoint.id, name }, ['savedMessage']);
  }

  private deleteSelected(): void {
    const endpoint = this.endpoint;
    const name = this.selected;
    if (!endpoint || name === undefined) return;
    const index = this.messages.findIndex((m) => m.name === name);
    // The neighbour takes the selection, so several deletes in a row need no mouse.
    const next = this.messages[index + 1] ?? this.messages[index - 1];
    this.requests.send({ type: 'deleteMessage', endpointId: endpoint.id, name }, ['savedMessage'], (result) => {
      if (result.ok) {
        this.selected = next?.name;
        this.render();
        this.list.focus();
      }
    });
  }

  private moveSelected(offset: -1 | 1): void {
    const endpoint = this.endpoint;
    const name = this.selected;
    if (!endpoint || name === undefined) return;
    this.requests.send({ type: 'moveMessage', endpointId: endpoint.id, name, offset }, ['savedMessage']);
  }

  private openNameForm(naming: NonNullable<SavedMessagesList['naming']>): void {
    this.naming = naming;
    this.nameInput.value = naming.kind === 'rename' ? naming.name : '';
    this.nameError.clear();
    this.nameForm.hidden = false;
    this.nameInput.focus();
    this.nameInput.select();
  }

  private closeNameForm(): void {
    const wasOpen = !this.nameForm.hidden;
    this.naming = undefined;
    this.nameForm.hidden = true;
    this.nameError.clear();
    if (wasOpen) this.list.focus();
  }

  private submitName(): void {
    const endpoint = this.endpoint;
    const naming = this.naming;
    if (!endpoint || !naming) return;
    const name = this.nameInput.value.trim();
    const nameError = checkMessageName(name, this.messages, naming.kind === 'rename' ? naming.name : undefined);
    if (nameError) {
      this.nameError.show(nameError);
      this.nameInput.focus();
      return;
    }
    const done = (result: { ok: boolean; error?: string }): boolean => {
      if (!result.ok) {
        this.nameError.show(result.error ?? l10n.t('The message could not be saved'));
        return true;
      }
      this.selected = name;
      this.closeNameForm();
      this.render();
      return false;
    };
    if (naming.kind === 'rename') {
      if (name === naming.name) {
        this.closeNameForm();
        return;
      }
      this.requests.send({ type: 'renameMessage', endpointId: endpoint.id, name: naming.name, newName: name }, ['savedMessage'], done);
      return;
    }
    const message = this.composerMessage(name, endpoint.socketio);
    if (typeof message === 'string') {
      this.nameError.show(message);
      return;
    }
    this.requests.send({ type: 'saveMessage', endpointId: endpoint.id, message }, ['savedMessage'], done);
  }

  /** The composer's content as a saved message, or why it cannot be saved. */
  private composerMessage(name: string, socketio: boolean): SavedMessage | string {
    if (!socketio) {
      const { format, body } = this.composers.readMessage();
      return { name, format, body };
    }
    const { event, format, args, ack } = this.composers.readEmit();
    const eventError = checkEventName(event);
    if (eventError) return l10n.t("The composer's event name: {0}", eventError);
    return { name, format, body: args, event, ...(ack ? { ack: true as const } : {}) };
  }
}

/** "JSON", "Text", or for Socket.IO "chat message · JSON · ack". */
function describe(message: SavedMessage): string {
  const format = FORMAT_LABELS.get(message.format) ?? message.format;
  if (message.event === undefined) return format;
  return [message.event, format, ...(message.ack ? ['ack'] : [])].join(' · ');
}
