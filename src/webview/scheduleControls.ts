/**
 * Repeat the composer's message every N seconds until stopped (application-level heartbeats).
 * The host owns the timer; this only asks and shows how many were sent.
 */
import type { ConnectionState } from '../shared/protocol';
import { h, labeled, textButton } from './dom';
import type { FieldErrors } from './errorSlot';
import type { Requests } from './requests';
import { uiState } from './uiState';
import { l10n } from './l10n';

export class ScheduleControls {
  readonly element: HTMLElement;
  private readonly interval: HTMLInputElement;
  private readonly start: HTMLButtonElement;
  private readonly stop: HTMLButtonElement;
  private readonly summary: HTMLSpanElement;

  constructor(
    private readonly requests: Requests,
    private readonly errors: FieldErrors,
  ) {
    this.interval = h('input', { class: 'repeat-interval', attrs: { type: 'number', min: '0.1', max: '86400', step: '1' } });
    this.interval.value = '10';
    this.start = textButton(l10n.t('Start repeating'), { iconName: 'sync', secondary: true });
    this.stop = textButton(l10n.t('Stop repeating'), { iconName: 'debug-stop', secondary: true });
    this.summary = h('span', { class: 'note', attrs: { 'aria-live': 'polite' } });
    this.start.addEventListener('click', () => this.begin());
    this.stop.addEventListener('click', () => this.requests.send({ type: 'stopSchedule' }, ['message']));
    this.element = h(
      'div',
      { class: 'schedule-controls', attrs: { role: 'group', 'aria-label': l10n.t('Repeat message') } },
      labeled(l10n.t('Repeat every (seconds)'), this.interval),
      h('div', { class: 'button-row' }, this.start, this.stop),
      this.summary,
    );
    this.update(undefined);
  }

  update(state: ConnectionState | undefined): void {
    const schedule = state?.schedule;
    this.start.disabled = state?.readyState !== 'OPEN' || schedule !== undefined;
    this.stop.disabled = schedule === undefined;
    const text = schedule ? l10n.t('Repeating every {0} s · {1} sent', schedule.intervalSeconds, schedule.sent) : '';
    if (this.summary.textContent !== text) this.summary.textContent = text;
  }

  private begin(): void {
    const seconds = Number(this.interval.value);
    if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 86400) {
      this.errors.show('message', l10n.t('Repeat every: enter a number of seconds from 0.1 to 86400'));
      this.interval.focus();
      return;
    }
    this.requests.send(
      { type: 'startSchedule', format: uiState.sendAs, body: uiState.composerBody, intervalSeconds: seconds },
      ['message'],
    );
  }
}
