/**
 * What the host says about itself (a `hostInfo` message): where connections leave from, shown in
 * the top bar and the Connection details, and on the browser host what its WebSocket API cannot
 * do. Those controls are disabled with the reason beside them (and tied to them by
 * aria-describedby), never silently missing; the browser's binaryType gets its own choice.
 */
import { l10n } from './l10n';
import type { HostLimits } from '../shared/browserLimits';
import type { HostInfoMessage } from '../shared/protocol';
import type { ConnectionDetails } from './connectionDetails';
import { addDescribedBy, h, icon, labeled, select, uniqueId } from './dom';

export interface HostInfoParts {
  topBar: HTMLElement;
  details: ConnectionDetails;
  headersElement: HTMLElement;
  optionsElement: HTMLElement;
  controlFrames: HTMLElement;
  closeControls: HTMLElement;
  setBinaryType(value: 'blob' | 'arraybuffer'): void;
}

const ORIGIN_ICONS = { ui: 'vm', workspace: 'remote', web: 'globe' } as const;

export class HostInfoView {
  private readonly originBadge: HTMLSpanElement;
  private limited = false;

  constructor(private readonly parts: HostInfoParts) {
    this.originBadge = h('span', { class: 'origin-badge', attrs: { role: 'note' } });
    this.originBadge.hidden = true;
    parts.topBar.append(this.originBadge);
  }

  apply(message: HostInfoMessage): void {
    const { origin, limits } = message;
    this.originBadge.hidden = false;
    this.originBadge.setAttribute('aria-label', origin.sentence);
    this.originBadge.title = origin.sentence;
    this.originBadge.replaceChildren(icon(ORIGIN_ICONS[origin.runsOn]), h('span', { text: l10n.t('From: {0}', origin.label) }));
    this.parts.details.setHost(origin.sentence, limits?.inspector);
    // Limits never change for a host; a second message (the page shown again) changes nothing.
    if (limits && !this.limited) {
      this.limited = true;
      this.applyLimits(limits);
    }
  }

  private applyLimits(limits: HostLimits): void {
    const editor = this.parts.headersElement.querySelector<HTMLElement>('.headers-editor');
    if (editor) disableGroup(wrapInFieldset(editor), limits.headers);
    disableGroup(wrapInFieldset(this.parts.controlFrames), limits.controlFrames);
    for (const [capability, reason] of [['tls', limits.tls], ['controlFrames', limits.controlFrames], ['proxy', limits.proxy]] as const) {
      const fieldset = this.parts.optionsElement.querySelector<HTMLFieldSetElement>(`fieldset[data-capability="${capability}"]`);
      if (fieldset) disableGroup(fieldset, reason);
    }
    const code = this.parts.closeControls.querySelector<HTMLInputElement>('input.close-code');
    if (code) {
      const note = h('p', { class: 'note limit-note', id: uniqueId('limit'), text: limits.closeCodes });
      addDescribedBy(code, note.id);
      this.parts.closeControls.append(note);
    }
    this.parts.optionsElement.querySelector('.options-grid')?.append(this.binaryTypeFieldset());
  }

  /** The browser's WebSocket.binaryType: applies to the open socket at once, as in the API. */
  private binaryTypeFieldset(): HTMLFieldSetElement {
    const choice = select('Binary type', [
      ['blob', 'blob (the browser\'s default)'],
      ['arraybuffer', 'arraybuffer'],
    ] as const);
    const hint = h('span', { class: 'note', id: uniqueId('hint'), text: 'how the browser hands over binary messages; the state shows binaryType' });
    choice.setAttribute('aria-describedby', hint.id);
    choice.addEventListener('change', () => this.parts.setBinaryType(choice.value === 'arraybuffer' ? 'arraybuffer' : 'blob'));
    return h('fieldset', { attrs: { 'data-capability': 'binaryType' } }, h('legend', { text: 'Browser' }), labeled('Binary type', choice, hint));
  }
}

/** A fieldset around `element` (in its place), so that every control in it, later ones too, can be disabled at once. */
function wrapInFieldset(element: HTMLElement): HTMLFieldSetElement {
  const fieldset = h('fieldset', { class: 'limit-group' });
  element.replaceWith(fieldset);
  fieldset.append(element);
  return fieldset;
}

function disableGroup(fieldset: HTMLFieldSetElement, reason: string): void {
  const note = h('p', { class: 'note limit-note', id: uniqueId('limit'), text: reason });
  fieldset.disabled = true;
  fieldset.setAttribute('aria-describedby', note.id);
  for (const control of fieldset.querySelectorAll<HTMLElement>('input, select, textarea, button')) addDescribedBy(control, note.id);
  const legend = fieldset.querySelector(':scope > legend');
  if (legend) legend.after(note);
  else fieldset.prepend(note);
}
