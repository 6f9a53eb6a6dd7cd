/**
 * The message composer: the body, how to encode it (Send as), and Send. The body is encoded with
 * the shared codec as it is typed, so a JSON, hex or base64 mistake shows up before sending.
 */
import type { ReadyState, SendFormat } from '../shared/protocol';
import { encodeBody } from '../shared/codecs';
import { h, labeled, select, textButton, uniqueId } from './dom';
import { ErrorSlot, type FieldErrors } from './errorSlot';
import { isPayloadFormat, isSendFormat, SEND_OPTIONS } from './format';
import type { Requests } from './requests';
import { saveUiState, uiState } from './uiState';
import { l10n } from './l10n';

export class Composer {
  readonly element: HTMLElement;
  private readonly body: HTMLTextAreaElement;
  private readonly sendAs: HTMLSelectElement;
  private readonly byteCount: HTMLSpanElement;
  private readonly error: ErrorSlot;

  constructor(
    private readonly requests: Requests,
    errors: FieldErrors,
    private readonly readyState: () => ReadyState,
    /** In a mock server's panel: the client (or 'all') a message goes to. */
    private readonly mockTarget?: () => string,
  ) {
    this.body = h('textarea', {
      class: 'message-body',
      attrs: { rows: '4', spellcheck: 'false', placeholder: l10n.t('Ctrl+Enter to send') },
    });
    this.body.value = uiState.composerBody;
    this.sendAs = select(l10n.t('Send as'), SEND_OPTIONS);
    this.sendAs.value = uiState.sendAs;
    this.byteCount = h('span', { class: 'byte-count', id: uniqueId('count'), attrs: { 'aria-live': 'off' } });
    this.body.setAttribute('aria-describedby', this.byteCount.id);
    this.error = new ErrorSlot([this.body]);
    errors.register('message', this.error);

    const send = textButton(l10n.t('Send'), { iconName: 'send' });
    send.addEventListener('click', () => this.send());
    this.body.addEventListener('input', () => {
      uiState.composerBody = this.body.value;
      saveUiState();
      this.validate();
    });
    this.body.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        // Kept from VS Code, whose Send Message keybinding (the same keys) would send it twice.
        event.stopPropagation();
        this.send();
      }
    });
    this.sendAs.addEventListener('change', () => {
      if (isSendFormat(this.sendAs.value)) uiState.sendAs = this.sendAs.value;
      saveUiState();
      this.validate();
    });

    this.element = h(
      'div',
      { class: 'composer' },
      labeled(l10n.t('Message'), this.body, this.error.element),
      h('div', { class: 'composer-actions' }, labeled(l10n.t('Send as'), this.sendAs), this.byteCount, h('span', { class: 'spacer' }), send),
    );
    this.validate();
  }

  /** What the composer holds, for Save message. */
  read(): { format: SendFormat; body: string } {
    return { format: this.format, body: this.body.value };
  }

  /** Puts a saved message into the composer (Send as and body). */
  load(format: SendFormat, body: string): void {
    this.sendAs.value = format;
    this.body.value = body;
    uiState.sendAs = format;
    uiState.composerBody = body;
    saveUiState();
    this.validate();
  }

  private get format(): SendFormat {
    return isSendFormat(this.sendAs.value) ? this.sendAs.value : 'text';
  }

  /**
   * Shows the size or the encoding error; returns whether the body can be sent. A binary encoding
   * takes a JSON document here; the host encodes it (and checks it against the .proto type).
   */
  private validate(): boolean {
    const format = this.format;
    const encoded = encodeBody(isPayloadFormat(format) ? format : 'json', this.body.value);
    if (encoded.ok && !isPayloadFormat(format)) {
      this.error.clear();
      this.byteCount.textContent = l10n.t('JSON document · encoded on Send · binary frame');
      return true;
    }
    if (encoded.ok) {
      this.error.clear();
      this.byteCount.textContent = encoded.size === 1 ? l10n.t('1 byte · {0} frame', encoded.frame) : l10n.t('{0} bytes · {1} frame', encoded.size, encoded.frame);
      return true;
    }
    this.error.show(encoded.error);
    this.byteCount.textContent = '';
    return false;
  }

  /** Sends what the box holds, as the Send button does. */
  submit(): void {
    this.send();
  }

  private send(): void {
    if (!this.validate()) {
      this.body.focus();
      return;
    }
    if (this.readyState() !== 'OPEN') {
      this.error.show(l10n.t('Not connected'), { invalid: false });
      return;
    }
    const body = this.mockTarget
      ? { type: 'mockSend' as const, target: this.mockTarget(), format: this.format, body: this.body.value }
      : { type: 'send' as const, format: this.format, body: this.body.value };
    this.requests.send(body, ['message']);
  }
}
