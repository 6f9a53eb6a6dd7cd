/**
 * Server text as DOM nodes with its invisible characters shown: ordinary runs become text nodes,
 * and each marker a span that names the characters it stands for (see shared/visibleText).
 */
import { visibleSegments } from '../shared/visibleText';
import { h } from './dom';

/** A fragment holding `text` with control, bidi and zero-width characters made visible. */
export function visibleFragment(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const segment of visibleSegments(text)) {
    if (segment.replaced === undefined) fragment.append(segment.text);
    else fragment.append(h('span', { class: 'invisible-char', text: segment.text, attrs: { title: segment.replaced } }));
  }
  return fragment;
}
