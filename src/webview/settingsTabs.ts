/**
 * The request settings (Params, Headers, Connection options, Socket.IO, Variables, Save,
 * Endpoints) as tabs under one fold button. They fold away once connected, so the log gets the
 * room, and the user's choice is remembered apart for a connected and a closed panel: unfolding
 * them while connected keeps them unfolded on the next connection, and folding them while
 * closed keeps them folded. The chosen tab is remembered too.
 *
 * A tab that holds set values carries a mark with their number, so folded settings still show
 * that headers or options are in play: a count in a bordered badge (text, not colour alone) and
 * in the tab's accessible name ("Headers, 2 set"), updated as the user edits.
 */
import { markedTabName } from '../shared/settingsMarks';
import { h, icon, uniqueId } from './dom';
import { FIELD_ERROR_EVENT } from './errorSlot';
import { saveUiState, uiState } from './uiState';

export interface SettingsTab {
  /** Kept in the UI state; stable across versions. */
  id: string;
  label: string;
  panel: HTMLElement;
}

/** How many set values each tab holds, by tab id; a tab left out has no mark. */
export type TabCounter = () => Partial<Record<string, number>>;

interface Tab extends SettingsTab {
  button: HTMLButtonElement;
  mark: HTMLSpanElement;
  wrapper: HTMLDivElement;
  hidden: boolean;
}

export class SettingsTabs {
  readonly element: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly panels: HTMLDivElement;
  private readonly tabs: Tab[];
  private selected: Tab;
  private connected = false;
  private open: boolean;
  private counter: TabCounter | undefined;

  constructor(tabs: readonly SettingsTab[]) {
    this.panels = h('div', { class: 'settings-panels', id: uniqueId('settings') });
    const tabList = h('div', { class: 'settings-tablist', attrs: { role: 'tablist', 'aria-label': 'Request settings' } });
    this.tabs = tabs.map((spec) => {
      // The panel is named by the label alone; the button's name adds the count when there is one.
      const label = h('span', { id: uniqueId('tablabel'), text: spec.label });
      const mark = h('span', { class: 'settings-tab-mark', attrs: { 'aria-hidden': 'true' } });
      mark.hidden = true;
      const button = h(
        'button',
        { class: 'settings-tab', id: uniqueId('tab'), attrs: { type: 'button', role: 'tab', 'aria-selected': 'false', tabindex: '-1' } },
        label,
        mark,
      );
      const wrapper = h('div', { class: 'settings-panel', id: uniqueId('tabpanel'), attrs: { role: 'tabpanel', 'aria-labelledby': label.id } }, spec.panel);
      button.setAttribute('aria-controls', wrapper.id);
      wrapper.hidden = true;
      const tab: Tab = { ...spec, button, mark, wrapper, hidden: false };
      button.addEventListener('click', () => this.choose(tab, false));
      // An error shown in a hidden tab (a bad header, say) brings that tab forward.
      wrapper.addEventListener(FIELD_ERROR_EVENT, () => this.reveal(tab.id));
      tabList.append(button);
      this.panels.append(wrapper);
      return tab;
    });
    tabList.addEventListener('keydown', (event) => this.onKey(event));
    // Typing, ticking, choosing and adding or removing rows all end in one of these, bubbling up
    // after the control's own handler has run.
    for (const type of ['input', 'change', 'click']) this.panels.addEventListener(type, () => this.refreshMarks());
    const first = this.tabs[0];
    if (!first) throw new Error('SettingsTabs needs at least one tab');
    this.selected = this.tabs.find((tab) => tab.id === uiState.settingsTab) ?? first;

    // The fold button's name stays "Request settings"; aria-expanded says which way it is.
    this.toggle = h('button', {
      class: 'settings-toggle',
      attrs: { type: 'button', 'aria-controls': this.panels.id, 'aria-expanded': 'true' },
    });
    this.toggle.addEventListener('click', () => this.setOpen(!this.open, true));
    this.open = uiState.settingsOpen.closed;
    this.element = h(
      'section',
      { class: 'request-settings', attrs: { 'aria-label': 'Request settings' } },
      h('div', { class: 'settings-bar' }, this.toggle, tabList),
      this.panels,
    );
    this.sync();
  }

  /** Where the marks' counts come from; counts at once. */
  countWith(counter: TabCounter): void {
    this.counter = counter;
    this.refreshMarks();
  }

  /** Counts again: for changes the panel makes itself (a loaded endpoint, the URL typed above). */
  refreshMarks(): void {
    const counts = this.counter?.() ?? {};
    for (const tab of this.tabs) {
      const count = counts[tab.id] ?? 0;
      tab.mark.hidden = count === 0;
      tab.mark.textContent = count > 0 ? String(count) : '';
      if (count > 0) tab.button.setAttribute('aria-label', markedTabName(tab.label, count));
      else tab.button.removeAttribute('aria-label');
      tab.button.title = count === 0 ? '' : count === 1 ? '1 value set' : `${count} values set`;
    }
  }

  /** Folds or unfolds the settings as remembered for a connected or a closed panel. */
  setConnected(connected: boolean): void {
    if (connected === this.connected) return;
    this.connected = connected;
    this.open = connected ? uiState.settingsOpen.connected : uiState.settingsOpen.closed;
    this.sync();
  }

  /** Hides a tab that does not apply (Params for Socket.IO, say); its panel goes with it. */
  setHidden(id: string, hidden: boolean): void {
    const tab = this.tabs.find((t) => t.id === id);
    if (!tab || tab.hidden === hidden) return;
    tab.hidden = hidden;
    if (hidden && tab === this.selected) this.selected = this.tabs.find((t) => !t.hidden) ?? tab;
    this.sync();
  }

  /** Unfolds the settings on tab `id`, e.g. to show an error or a loaded option. */
  reveal(id: string): void {
    const tab = this.tabs.find((t) => t.id === id);
    if (!tab || tab.hidden) return;
    this.selected = tab;
    this.setOpen(true, false);
  }

  private choose(tab: Tab, focus: boolean): void {
    this.selected = tab;
    uiState.settingsTab = tab.id;
    // Choosing a tab of folded settings unfolds them: that is what the user asked to see.
    this.setOpen(true, true);
    if (focus) tab.button.focus();
  }

  /** `remember`: the user's own choice, kept for the next time the panel is in this state. */
  private setOpen(open: boolean, remember: boolean): void {
    this.open = open;
    if (remember) {
      if (this.connected) uiState.settingsOpen.connected = open;
      else uiState.settingsOpen.closed = open;
      saveUiState();
    }
    this.sync();
  }

  private onKey(event: KeyboardEvent): void {
    const visible = this.tabs.filter((tab) => !tab.hidden);
    const index = visible.indexOf(this.selected);
    let next: Tab | undefined;
    if (event.key === 'ArrowRight') next = visible[(index + 1) % visible.length];
    else if (event.key === 'ArrowLeft') next = visible[(index - 1 + visible.length) % visible.length];
    else if (event.key === 'Home') next = visible[0];
    else if (event.key === 'End') next = visible[visible.length - 1];
    if (!next) return;
    event.preventDefault();
    this.choose(next, true);
  }

  private sync(): void {
    for (const tab of this.tabs) {
      const selected = tab === this.selected;
      tab.button.hidden = tab.hidden;
      tab.button.setAttribute('aria-selected', String(selected));
      tab.button.tabIndex = selected ? 0 : -1;
      tab.button.classList.toggle('folded', !this.open);
      tab.wrapper.hidden = !selected || tab.hidden;
    }
    this.panels.hidden = !this.open;
    this.toggle.setAttribute('aria-expanded', String(this.open));
    this.toggle.title = this.open ? 'Fold the request settings away' : 'Show the request settings';
    this.toggle.replaceChildren(icon(this.open ? 'chevron-down' : 'chevron-right'), h('span', { text: 'Request settings' }));
    this.element.classList.toggle('folded', !this.open);
  }
}
