/**
 * The splitter between the message log (above) and the pane docked below it (the composer): drag
 * it, or focus it and use the arrow keys (Up grows the pane, Down shrinks it; Page Up / Page Down
 * in larger steps; Home / End for the largest and smallest size). It follows the WAI-ARIA window
 * splitter pattern: role "separator" with a value, here the pane's share of the split in percent.
 * The size is remembered in the UI state.
 */
import { h } from './dom';
import { saveUiState, uiState } from './uiState';
import { l10n } from './l10n';

/** The docked pane's size when the user has not chosen one. */
const DEFAULT_HEIGHT = 200;
/** Neither side may shrink below these (CSS pixels). */
const MIN_PANE = 90;
const MIN_ABOVE = 200;
const STEP = 20;
const PAGE_STEP = 100;

export class Splitter {
  readonly element: HTMLDivElement;
  private height: number;

  /** `container` holds `above`, this splitter and `pane`, stacked; `pane`'s height is set here. */
  constructor(
    private readonly container: HTMLElement,
    private readonly pane: HTMLElement,
    label: string,
  ) {
    this.height = uiState.composerHeight ?? DEFAULT_HEIGHT;
    this.element = h('div', {
      class: 'splitter',
      attrs: {
        role: 'separator',
        'aria-orientation': 'horizontal',
        'aria-label': label,
        'aria-valuemin': '0',
        'aria-valuemax': '100',
        tabindex: '0',
        title: l10n.t('{0} (drag, or focus and use the arrow keys)', label),
      },
    });
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.element.addEventListener('pointerdown', (event) => this.onPointerDown(event));
    // The panel can shrink (window, editor group): the pane keeps within what fits.
    new ResizeObserver(() => this.apply()).observe(container);
    this.apply();
  }

  private get maxHeight(): number {
    const total = this.container.clientHeight - this.element.offsetHeight;
    return Math.max(MIN_PANE, total - MIN_ABOVE);
  }

  private set(height: number, remember: boolean): void {
    this.height = Math.round(height);
    this.apply();
    if (remember) {
      uiState.composerHeight = this.height;
      saveUiState();
    }
  }

  private apply(): void {
    const max = this.maxHeight;
    const shown = Math.min(Math.max(this.height, MIN_PANE), max);
    this.pane.style.height = `${shown}px`;
    const total = this.container.clientHeight - this.element.offsetHeight;
    const percent = total > 0 ? Math.round((shown / total) * 100) : 0;
    const value = String(Math.min(100, Math.max(0, percent)));
    if (this.element.getAttribute('aria-valuenow') !== value) {
      this.element.setAttribute('aria-valuenow', value);
      this.element.setAttribute('aria-valuetext', l10n.t('Composer {0}% of the height ({1} pixels)', value, shown));
    }
  }

  private onKey(event: KeyboardEvent): void {
    const current = Math.min(Math.max(this.height, MIN_PANE), this.maxHeight);
    let next: number | undefined;
    if (event.key === 'ArrowUp') next = current + STEP;
    else if (event.key === 'ArrowDown') next = current - STEP;
    else if (event.key === 'PageUp') next = current + PAGE_STEP;
    else if (event.key === 'PageDown') next = current - PAGE_STEP;
    else if (event.key === 'Home') next = this.maxHeight;
    else if (event.key === 'End') next = MIN_PANE;
    if (next === undefined) return;
    event.preventDefault();
    this.set(Math.min(Math.max(next, MIN_PANE), this.maxHeight), true);
  }

  private onPointerDown(event: PointerEvent): void {
    if (event.button !== 0) return;
    event.preventDefault();
    this.element.setPointerCapture(event.pointerId);
    this.element.focus();
    this.element.classList.add('dragging');
    const bottom = this.pane.getBoundingClientRect().bottom;
    const grab = event.clientY - this.element.getBoundingClientRect().top;
    const move = (e: PointerEvent) => {
      const height = bottom - (e.clientY - grab) - this.element.offsetHeight;
      this.set(Math.min(Math.max(height, MIN_PANE), this.maxHeight), false);
    };
    const up = () => {
      this.element.classList.remove('dragging');
      this.element.removeEventListener('pointermove', move);
      this.element.removeEventListener('pointerup', up);
      this.element.removeEventListener('pointercancel', up);
      uiState.composerHeight = this.height;
      saveUiState();
    };
    this.element.addEventListener('pointermove', move);
    this.element.addEventListener('pointerup', up);
    this.element.addEventListener('pointercancel', up);
  }
}
