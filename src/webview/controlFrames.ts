/** Ping and pong: an optional payload of at most 125 bytes (RFC 6455 §5.5), counted as typed. */
import type { ReadyState } from '../shared/protocol';
import { MAX_CONTROL_PAYLOAD_BYTES } from '../shared/closeCodes';
import { utf8ByteLength } from '../shared/codecs';
import { h, labeled, textButton, uniqueId } from './dom';
import { ErrorSlot, type FieldErrors } from './errorSlot';
import type { Requests } from './requests';
import { l10n } from './l10n';

export class ControlFrames {
  readonly element: HTMLElement;
  private readonly payload: HTMLInputElement;
  private readonly byteCount: HTMLSpanElement;
  private readonly error: ErrorSlot;

  constructor(
    private readonly requests: Requests,
    errors: FieldErrors,
    private readonly readyState: () => ReadyState,
  ) {
    this.payload = h('input', { attrs: { type: 'text', placeholder: l10n.t('optional'), spellcheck: 'false' } });
    this.byteCount = h('span', { class: 'byte-count', id: uniqueId('count') });
    this.payload.setAttribute('aria-describedby', this.byteCount.id);
    this.error = new ErrorSlot([this.payload]);
    errors.register('control', this.error);
    this.payload.addEventListener('input', () => this.validate());

    const ping = textButton(l10n.t('Ping'), { iconName: 'pulse', secondary: true });
    const pong = textButton(l10n.t('Pong'), { iconName: 'pulse', secondary: true });
    ping.addEventListener('click', () => this.send('ping'));
    pong.addEventListener('click', () => this.send('pong'));

    this.element = h(
      'div',
      { class: 'control-frames' },
      h(
        'div',
        { class: 'inline-fields' },
        labeled(l10n.t('Ping/pong payload'), this.payload, this.byteCount),
        h('div', { class: 'button-row' }, ping, pong),
      ),
      this.error.element,
    );
    this.validate();
  }

  private validate(): boolean {
    const bytes = utf8ByteLength(this.payload.value);
    this.byteCount.textContent = l10n.t('{0}/{1} bytes', bytes, MAX_CONTROL_PAYLOAD_BYTES);
    this.byteCount.classList.toggle('over', bytes > MAX_CONTROL_PAYLOAD_BYTES);
    if (bytes > MAX_CONTROL_PAYLOAD_BYTES) {
      this.error.show(l10n.t('A ping or pong payload is at most {0} bytes; this one is {1}', MAX_CONTROL_PAYLOAD_BYTES, bytes));
      return false;
    }
    this.error.clear();
    return true;
  }

  private send(frame: 'ping' | 'pong'): void {
    if (!this.validate()) {
      this.payload.focus();
      return;
    }
    if (this.readyState() !== 'OPEN') {
      this.error.show(l10n.t('Not connected'), { invalid: false });
      return;
    }
    this.requests.send({ type: 'control', frame, payload: this.payload.value }, ['control']);
  }
}
