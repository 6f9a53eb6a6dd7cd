/**
 * The Socket.IO composer: event name, arguments (JSON, text, hex or base64), Expect ack and
 * Emit; plus the list of event names muted in the log view. Names and arguments are checked with
 * the shared rules as they are typed, so a reserved name or bad JSON shows before emitting.
 */
import type { PayloadFormat, ReadyState } from '../shared/protocol';
import { checkEventName, parseEmitArguments } from '../shared/socketIo';
import { h, labeled, select, textButton } from './dom';
import { ErrorSlot, type FieldErrors } from './errorSlot';
import { FORMAT_OPTIONS, isPayloadFormat } from './format';
import type { Requests } from './requests';
import { saveUiState, uiState } from './uiState';
import { l10n } from './l10n';

export class EmitComposer {
  readonly element: HTMLElement;
  private readonly eventName: HTMLInputElement;
  private readonly args: HTMLTextAreaElement;
  private readonly argsAs: HTMLSelectElement;
  private readonly expectAck: HTMLInputElement;
  private readonly muted: HTMLInputElement;
  private readonly nameError: ErrorSlot;
  private readonly argsError: ErrorSlot;
  private mutedNames = new Set<string>();

  /** `log` is the message log element whose event entries the mute list hides. */
  constructor(
    private readonly requests: Requests,
    errors: FieldErrors,
    private readonly readyState: () => ReadyState,
    private readonly log: HTMLElement,
    /** In a mock server's panel: the client (or 'all') the event goes to; a mock expects no acks. */
    private readonly mockTarget?: () => string,
  ) {
    this.eventName = h('input', { attrs: { type: 'text', placeholder: l10n.t('chat message'), spellcheck: 'false', autocomplete: 'off' } });
    this.args = h('textarea', {
      class: 'message-body',
      attrs: { rows: '3', spellcheck: 'false', placeholder: l10n.t('{0}  (Ctrl+Enter to emit)', '["hello", {"room": 1}]') },
    });
    this.argsAs = select(l10n.t('Arguments as'), FORMAT_OPTIONS);
    this.argsAs.value = 'json';
    this.expectAck = h('input', { attrs: { type: 'checkbox' } });
    this.muted = h('input', { attrs: { type: 'text', placeholder: 'typing, heartbeat', spellcheck: 'false', autocomplete: 'off' } });
    this.nameError = new ErrorSlot([this.eventName]);
    this.argsError = new ErrorSlot([this.args]);
    errors.register('eventName', this.nameError);
    errors.register('eventArgs', this.argsError);
    const saved = uiState.emit;
    if (saved) {
      this.eventName.value = saved.event;
      this.args.value = saved.args;
      this.argsAs.value = saved.format;
      this.expectAck.checked = saved.expectAck;
      this.muted.value = saved.muted;
    }
    for (const control of [this.eventName, this.args, this.argsAs, this.expectAck, this.muted] as HTMLElement[]) {
      control.addEventListener(control === this.argsAs || control === this.expectAck ? 'change' : 'input', () => this.save());
    }

    const emit = textButton(l10n.t('Emit'), { iconName: 'send' });
    emit.addEventListener('click', () => this.emit());
    this.eventName.addEventListener('input', () => this.checkName());
    this.args.addEventListener('input', () => this.checkArgs());
    this.argsAs.addEventListener('change', () => this.checkArgs());
    for (const input of [this.eventName, this.args] as HTMLElement[]) {
      input.addEventListener('keydown', (event) => {
        const enter = event.key === 'Enter' && !event.isComposing;
        if (enter && (input === this.eventName || event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          // Kept from VS Code, whose Send Message keybinding (Ctrl+Enter) would emit it twice.
          event.stopPropagation();
          this.emit();
        }
      });
    }
    this.muted.addEventListener('input', () => this.setMuted(this.muted.value));
    // Entries arrive in batches; each new one is hidden if its event name is muted.
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) if (node instanceof HTMLElement) this.applyMute(node);
      }
    }).observe(log, { childList: true, subtree: true });

    this.setMuted(this.muted.value);
    this.element = h(
      'div',
      { class: 'composer emit-composer' },
      h('div', { class: 'composer-actions' }, labeled(l10n.t('Event name'), this.eventName, this.nameError.element)),
      labeled(l10n.t('Arguments'), this.args, this.argsError.element),
      h(
        'div',
        { class: 'composer-actions' },
        labeled(l10n.t('Arguments as'), this.argsAs),
        mockTarget ? undefined : h('label', { class: 'checkbox' }, this.expectAck, h('span', { text: l10n.t('Expect ack') })),
        h('span', { class: 'spacer' }),
        emit,
      ),
      labeled(l10n.t('Muted events'), this.muted),
    );
  }

  /** What the composer holds, for Save message. */
  read(): { event: string; format: PayloadFormat; args: string; ack: boolean } {
    return { event: this.eventName.value, format: this.format, args: this.args.value, ack: this.expectAck.checked };
  }

  /** Puts a saved message into the composer: event name, arguments, their format and Expect ack. */
  load(event: string, format: PayloadFormat, args: string, ack: boolean): void {
    this.eventName.value = event;
    this.argsAs.value = format;
    this.args.value = args;
    this.expectAck.checked = ack;
    this.save();
    this.checkName();
    this.checkArgs();
  }

  private save(): void {
    uiState.emit = {
      event: this.eventName.value,
      args: this.args.value,
      format: this.format,
      expectAck: this.expectAck.checked,
      muted: this.muted.value,
    };
    saveUiState();
  }

  private get format(): PayloadFormat {
    return isPayloadFormat(this.argsAs.value) ? this.argsAs.value : 'json';
  }

  private checkName(): boolean {
    const error = this.eventName.value === '' ? undefined : checkEventName(this.eventName.value);
    if (error) this.nameError.show(error);
    else this.nameError.clear();
    return error === undefined;
  }

  private checkArgs(): boolean {
    const parsed = parseEmitArguments(this.format, this.args.value);
    if (parsed.ok) this.argsError.clear();
    else this.argsError.show(parsed.error);
    return parsed.ok;
  }

  /** Emits what the form holds, as the Emit button does. */
  submit(): void {
    this.emit();
  }

  private emit(): void {
    const nameError = checkEventName(this.eventName.value);
    if (nameError) {
      this.nameError.show(nameError);
      this.eventName.focus();
      return;
    }
    if (!this.checkArgs()) {
      this.args.focus();
      return;
    }
    if (this.readyState() === 'CLOSED') {
      this.nameError.show(l10n.t('Not connected: press Connect first'), { invalid: false });
      return;
    }
    const fields = { event: this.eventName.value, format: this.format, args: this.args.value };
    this.requests.send(
      this.mockTarget ? { type: 'mockEmit', target: this.mockTarget(), ...fields } : { type: 'emit', ...fields, expectAck: this.expectAck.checked },
      ['eventName', 'eventArgs'],
    );
  }

  private setMuted(text: string): void {
    this.mutedNames = new Set(
      text
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    );
    for (const entry of this.log.querySelectorAll<HTMLElement>('[data-event-name]')) this.applyMute(entry);
  }

  private applyMute(element: HTMLElement): void {
    const name = element.dataset.eventName;
    if (name !== undefined) element.hidden = this.mutedNames.has(name);
  }
}
