/**
 * Error messages shown next to the control they belong to. The message element is an alert
 * (so it is announced), the control points at it with aria-describedby and is marked
 * aria-invalid while the message stands.
 */
import type { Field } from '../shared/protocol';
import { addDescribedBy, h, removeDescribedBy, uniqueId } from './dom';

export interface ShowOptions {
  /** Controls to mark instead of the slot's default ones (e.g. one header row). */
  controls?: HTMLElement[];
  /** False for refusals that are not the control's fault, such as "Not connected". */
  invalid?: boolean;
}

/**
 * Fired (bubbling) from a slot's element when it shows a message, so a folded container (a
 * settings tab, say) can unfold and the message is seen.
 */
export const FIELD_ERROR_EVENT = 'wsd-field-error';

export class ErrorSlot {
  readonly element: HTMLDivElement;
  private marked: HTMLElement[] = [];

  constructor(private readonly defaultControls: HTMLElement[] = []) {
    this.element = h('div', { class: 'field-error', id: uniqueId('error'), attrs: { role: 'alert' } });
  }

  show(message: string, options: ShowOptions = {}): void {
    this.unmark();
    this.element.textContent = message;
    this.marked = options.controls ?? this.defaultControls;
    for (const control of this.marked) {
      addDescribedBy(control, this.element.id);
      if (options.invalid !== false) control.setAttribute('aria-invalid', 'true');
    }
    this.element.dispatchEvent(new Event(FIELD_ERROR_EVENT, { bubbles: true }));
  }

  clear(): void {
    this.unmark();
    this.element.textContent = '';
  }

  get isShown(): boolean {
    return this.element.textContent !== '';
  }

  private unmark(): void {
    for (const control of this.marked) {
      removeDescribedBy(control, this.element.id);
      control.removeAttribute('aria-invalid');
    }
    this.marked = [];
  }
}

/** Routes host-reported errors to the slot registered for their field. */
export class FieldErrors {
  private readonly slots = new Map<Field, ErrorSlot>();

  constructor(private readonly general: ErrorSlot) {
    this.slots.set('general', general);
  }

  register(field: Field, slot: ErrorSlot): void {
    this.slots.set(field, slot);
  }

  show(field: Field | undefined, message: string): void {
    (this.slots.get(field ?? 'general') ?? this.general).show(message);
  }

  clear(fields: readonly Field[]): void {
    for (const field of fields) this.slots.get(field)?.clear();
  }
}
