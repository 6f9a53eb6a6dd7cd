/**
 * Close with a chosen code and reason. Codes the RFC forbids are refused here with the reason;
 * codes that are legal but normally chosen by the endpoint itself ("advanced") need an explicit
 * second step, "Send advanced code", before they are posted with advancedConfirmed.
 */
import type { ReadyState, ResultMessage } from '../shared/protocol';
import { checkCloseCode, checkCloseReason, closeCodeName, MAX_CLOSE_REASON_BYTES } from '../shared/closeCodes';
import { utf8ByteLength } from '../shared/codecs';
import { h, labeled, textButton, uniqueId } from './dom';
import { ErrorSlot, type FieldErrors } from './errorSlot';
import type { Requests } from './requests';
import { l10n } from './l10n';

export class CloseControls {
  readonly element: HTMLElement;
  private readonly code: HTMLInputElement;
  private readonly codeName: HTMLSpanElement;
  private readonly reason: HTMLInputElement;
  private readonly reasonCount: HTMLSpanElement;
  private readonly codeError: ErrorSlot;
  private readonly reasonError: ErrorSlot;
  private readonly status: ErrorSlot;
  private readonly confirmation: HTMLDivElement;
  private readonly confirmationText: HTMLParagraphElement;
  private readonly confirmButton: HTMLButtonElement;
  private readonly closeButton: HTMLButtonElement;

  constructor(
    private readonly requests: Requests,
    errors: FieldErrors,
    private readonly readyState: () => ReadyState,
    /** In a mock server's panel: the client to close. */
    private readonly mockTarget?: () => string,
  ) {
    this.code = h('input', { class: 'close-code', attrs: { type: 'number', min: '0', max: '65535', step: '1' } });
    this.code.value = '1000';
    this.codeName = h('span', { class: 'hint', id: uniqueId('code-name') });
    this.code.setAttribute('aria-describedby', this.codeName.id);
    this.reason = h('input', { attrs: { type: 'text', spellcheck: 'false', placeholder: l10n.t('optional') } });
    this.reasonCount = h('span', { class: 'byte-count', id: uniqueId('count') });
    this.reason.setAttribute('aria-describedby', this.reasonCount.id);
    this.codeError = new ErrorSlot([this.code]);
    this.reasonError = new ErrorSlot([this.reason]);
    this.status = new ErrorSlot();
    errors.register('closeCode', this.codeError);
    errors.register('closeReason', this.reasonError);

    this.closeButton = textButton(l10n.t('Close'), { iconName: 'debug-stop', secondary: true });
    this.closeButton.addEventListener('click', () => this.close(false));

    this.confirmationText = h('p', { id: uniqueId('confirm-text') });
    this.confirmButton = textButton(l10n.t('Send advanced code'));
    this.confirmButton.setAttribute('aria-describedby', this.confirmationText.id);
    this.confirmButton.addEventListener('click', () => this.close(true));
    const cancel = textButton(l10n.t('Cancel'), { secondary: true });
    cancel.addEventListener('click', () => {
      this.hideConfirmation();
      this.closeButton.focus();
    });
    this.confirmation = h(
      'div',
      // No group label: it would repeat the words "close code" and compete with the input's label.
      { class: 'confirmation' },
      this.confirmationText,
      h('div', { class: 'button-row' }, this.confirmButton, cancel),
    );
    this.confirmation.hidden = true;

    this.code.addEventListener('input', () => {
      this.codeError.clear();
      this.status.clear();
      this.hideConfirmation();
      this.updateHints();
    });
    this.reason.addEventListener('input', () => {
      this.reasonError.clear();
      this.status.clear();
      this.hideConfirmation();
      this.updateHints();
    });

    this.element = h(
      'div',
      { class: 'close-controls' },
      h(
        'div',
        { class: 'inline-fields' },
        labeled(l10n.t('Close code'), this.code, this.codeName),
        labeled(l10n.t('Close reason'), this.reason, this.reasonCount),
        h('div', { class: 'button-row' }, this.closeButton),
      ),
      this.codeError.element,
      this.reasonError.element,
      this.status.element,
      this.confirmation,
    );
    this.updateHints();
  }

  private parsedCode(): number | undefined {
    const text = this.code.value.trim();
    return text === '' ? undefined : Number(text);
  }

  private updateHints(): void {
    const code = this.parsedCode();
    this.codeName.textContent = code !== undefined && Number.isInteger(code) ? closeCodeName(code) : '';
    const bytes = utf8ByteLength(this.reason.value);
    this.reasonCount.textContent = l10n.t('{0}/{1} bytes', bytes, MAX_CLOSE_REASON_BYTES);
    this.reasonCount.classList.toggle('over', bytes > MAX_CLOSE_REASON_BYTES);
  }

  private close(confirmed: boolean): void {
    const code = this.parsedCode();
    if (code === undefined) {
      this.codeError.show(l10n.t('Enter a close code, e.g. 1000 for a normal closure'));
      this.code.focus();
      return;
    }
    const verdict = checkCloseCode(code);
    if (!verdict.ok) {
      this.codeError.show(verdict.reason);
      this.code.focus();
      return;
    }
    const reasonError = checkCloseReason(this.reason.value);
    if (reasonError) {
      this.reasonError.show(reasonError);
      this.reason.focus();
      return;
    }
    if (this.readyState() !== 'OPEN') {
      this.hideConfirmation();
      this.status.show(l10n.t('Not connected'), { invalid: false });
      return;
    }
    if (verdict.advanced && !confirmed) {
      this.showConfirmation(
        l10n.t('{0} ({1}) is normally sent by an endpoint that detected that situation itself. Send it anyway?', code, closeCodeName(code)),
      );
      return;
    }
    this.hideConfirmation();
    const fields = { code, reason: this.reason.value, advancedConfirmed: confirmed };
    this.requests.send(
      this.mockTarget ? { type: 'mockClose', target: this.mockTarget(), ...fields } : { type: 'close', ...fields },
      ['closeCode', 'closeReason'],
      (result) => this.onResult(result),
    );
  }

  /** The host may still ask for confirmation (its own rules are the final word). */
  private onResult(result: ResultMessage): boolean {
    if (!result.ok && result.needsConfirmation) {
      this.showConfirmation(result.error ?? l10n.t('This close code needs confirmation. Send it anyway?'));
      return true;
    }
    return false;
  }

  private showConfirmation(text: string): void {
    this.status.clear();
    this.confirmationText.textContent = text;
    this.confirmation.hidden = false;
    this.confirmButton.focus();
  }

  private hideConfirmation(): void {
    this.confirmation.hidden = true;
  }
}
