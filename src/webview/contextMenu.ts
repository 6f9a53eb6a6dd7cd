/**
 * The log's context menu (right-click, Shift+F10 or the ContextMenu key): a role="menu" of
 * menuitems the keyboard walks (Up, Down, Home, End; Enter or Space runs one; Escape or Tab
 * closes it and the focus goes back where it was).
 */
import { h } from './dom';

export interface MenuItem {
  label: string;
  run(): void;
}

export class ContextMenu {
  readonly element: HTMLDivElement;
  private items: HTMLElement[] = [];
  private returnFocus: HTMLElement | undefined;

  constructor(label: string) {
    this.element = h('div', { class: 'context-menu', attrs: { role: 'menu', 'aria-label': label } });
    this.element.hidden = true;
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.element.addEventListener('focusout', (event) => {
      if (!this.element.contains(event.relatedTarget as Node | null)) this.close(false);
    });
    document.addEventListener('mousedown', (event) => {
      if (!this.element.hidden && !this.element.contains(event.target as Node)) this.close(false);
    });
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  /** Opens the menu at viewport point (x, y), its first item focused. */
  show(items: readonly MenuItem[], x: number, y: number, returnFocus: HTMLElement): void {
    this.returnFocus = returnFocus;
    this.items = items.map((item) => {
      const element = h('div', { class: 'context-menu-item', text: item.label, attrs: { role: 'menuitem', tabindex: '-1' } });
      element.addEventListener('click', () => this.run(item));
      element.addEventListener('mousemove', () => element.focus());
      return element;
    });
    this.element.replaceChildren(...this.items);
    this.element.hidden = false;
    // CSSOM writes (the CSP forbids style attributes, not these); kept inside the window.
    const width = this.element.offsetWidth;
    const height = this.element.offsetHeight;
    this.element.style.left = `${Math.max(0, Math.min(x, window.innerWidth - width - 4))}px`;
    this.element.style.top = `${Math.max(0, Math.min(y, window.innerHeight - height - 4))}px`;
    this.items[0]?.focus();
  }

  close(restoreFocus = true): void {
    if (this.element.hidden) return;
    this.element.hidden = true;
    this.element.replaceChildren();
    this.items = [];
    if (restoreFocus) this.returnFocus?.focus();
  }

  private run(item: MenuItem): void {
    this.close();
    item.run();
  }

  private onKey(event: KeyboardEvent): void {
    const at = this.items.indexOf(document.activeElement as HTMLElement);
    const focus = (index: number) => this.items[(index + this.items.length) % this.items.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        focus(at + 1);
        break;
      case 'ArrowUp':
        focus(at - 1);
        break;
      case 'Home':
        focus(0);
        break;
      case 'End':
        focus(this.items.length - 1);
        break;
      case 'Enter':
      case ' ':
        (document.activeElement as HTMLElement | null)?.click();
        break;
      case 'Escape':
      case 'Tab':
        this.close();
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  }
}
