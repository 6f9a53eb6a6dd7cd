/**
 * Small DOM builders. Everything the panel shows is built with createElement and text nodes, so
 * server data can never become markup; there is deliberately no way to pass HTML or a style
 * attribute here (the CSP forbids inline styles).
 */

type Child = Node | string | null | undefined | false;

export interface ElementProps {
  class?: string;
  id?: string;
  text?: string;
  /** Plain attributes; `style` is refused because the CSP would block it anyway. */
  attrs?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  if (props.id) element.id = props.id;
  if (props.text !== undefined) element.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (name.toLowerCase() === 'style') throw new Error('Inline styles are not allowed by the CSP');
    element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** A decorative codicon; hidden from assistive technology, the control carries the name. */
export function icon(name: string): HTMLSpanElement {
  return h('span', { class: `codicon codicon-${name}`, attrs: { 'aria-hidden': 'true' } });
}

/** A toolbar-style button showing only an icon; `label` is its accessible name and tooltip. */
export function iconButton(iconName: string, label: string): HTMLButtonElement {
  return h('button', { class: 'icon-button', attrs: { type: 'button', 'aria-label': label, title: label } }, icon(iconName));
}

export function textButton(label: string, options: { iconName?: string; secondary?: boolean } = {}): HTMLButtonElement {
  const button = h('button', { class: options.secondary ? 'button secondary' : 'button', attrs: { type: 'button' } });
  if (options.iconName) button.append(icon(options.iconName));
  button.append(h('span', { text: label }));
  return button;
}

let idCounter = 0;

/** Ids for label/for and aria-describedby links. */
export function uniqueId(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** Wraps a control with a visible <label>, which is also its accessible name. */
export function labeled(labelText: string, control: HTMLElement, ...extra: Child[]): HTMLDivElement {
  if (!control.id) control.id = uniqueId('control');
  return h('div', { class: 'field' }, h('label', { text: labelText, attrs: { for: control.id } }), control, ...extra);
}

export function addDescribedBy(element: HTMLElement, id: string): void {
  const ids = new Set((element.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean));
  ids.add(id);
  element.setAttribute('aria-describedby', [...ids].join(' '));
}

export function removeDescribedBy(element: HTMLElement, id: string): void {
  const ids = (element.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x && x !== id);
  if (ids.length > 0) element.setAttribute('aria-describedby', ids.join(' '));
  else element.removeAttribute('aria-describedby');
}

/** A <select> whose option labels and values are given in order. */
export function select(label: string, options: readonly (readonly [value: string, label: string])[]): HTMLSelectElement {
  const element = h('select', { attrs: { 'aria-label': label } });
  for (const [value, text] of options) element.append(h('option', { text, attrs: { value } }));
  return element;
}
