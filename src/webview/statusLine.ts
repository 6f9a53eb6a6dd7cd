/** The one-line summary at the bottom: "OPEN · sent 3 (42 B) · received 5 (1.2 KB)". */
import type { ConnectionState } from '../shared/protocol';
import { h } from './dom';
import { formatBytes } from './format';

export class StatusLine {
  readonly element: HTMLDivElement;
  private readonly dot: HTMLSpanElement;
  private readonly text: HTMLSpanElement;

  constructor() {
    this.dot = h('span', { class: 'codicon codicon-circle-filled state-dot', attrs: { 'aria-hidden': 'true' } });
    this.text = h('span');
    this.element = h('div', { class: 'status-line', attrs: { role: 'status' } }, this.dot, this.text);
  }

  update(state: ConnectionState): void {
    const c = state.counters;
    const text = `${state.readyState} · sent ${c.messagesSent} (${formatBytes(c.bytesSent)}) · received ${c.messagesReceived} (${formatBytes(c.bytesReceived)})`;
    // Unchanged text is not rewritten, so assistive technology is not told it again.
    if (this.text.textContent !== text) this.text.textContent = text;
    this.dot.className = `codicon codicon-circle-filled state-dot ready-${state.readyState.toLowerCase()}`;
  }
}
