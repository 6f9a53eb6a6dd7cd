/**
 * A flow run in a debugger panel's message log: the run's connections log their entries there as
 * a panel's own connection would (FlowRunOptions.log: sent, received, open, close), and each step adds an `info`
 * entry with its mark and time — "✔ 2. expect text "hi" — 12 ms", or for a failure the sentence
 * with what was expected against what arrived. Existing entry kinds only, so the webview needs no
 * change. No `vscode` here.
 */
import type { FlowRunEvent, StepReport } from './flowRunner';
import type { ConnectionEntry } from '../sessionBase';
import { l10n } from '../../shared/l10n';

/** The detail of the info entries one runner event adds; none for events that add nothing. */
export function flowEventLines(event: FlowRunEvent): string[] {
  switch (event.type) {
    case 'flowStarted':
      return [event.steps.length === 1 ? l10n.t('▶ Flow "{0}": 1 step', event.flow) : l10n.t('▶ Flow "{0}": {1} steps', event.flow, event.steps.length)];
    case 'stepStarted':
      return [];
    case 'stepPassed':
      return [`✔ ${stepName(event.step)} — ${event.step.ms} ms`];
    case 'stepSkipped':
      return [l10n.t('– {0} — skipped', stepName(event.step))];
    case 'stepFailed':
      return [failedLine(event.step)];
    case 'flowFinished':
      return [event.flow.passed ? l10n.t('✔ Flow "{0}" passed in {1} ms', event.flow.name, event.flow.ms) : l10n.t('✖ Flow "{0}" failed in {1} ms', event.flow.name, event.flow.ms)];
    case 'interrupted':
      return [l10n.t('Interrupted: connections were closed with 1001 (Going Away)')];
    case 'runFinished':
      return [l10n.t('{0} passed, {1} failed', event.report.passed, event.report.failed)];
  }
}

function stepName(step: StepReport): string {
  return `${step.number}. ${step.title}`;
}

/** One entry for a failure, so the log's filter finds it whole: why (which counts what was passed over), then expected and actual. */
function failedLine(step: StepReport): string {
  const f = step.failure;
  const parts = [`✖ ${stepName(step)} — ${step.ms} ms: ${f?.message ?? l10n.t('failed')}`];
  if (f?.expected !== undefined) parts.push(l10n.t('expected {0}', f.expected));
  if (f?.actual !== undefined) parts.push(l10n.t('got {0}', f.actual));
  return parts.join('; ');
}

/** Adds the info entries for a runner event to a log (a panel's pipeline). */
export function logFlowEvent(event: FlowRunEvent, log: (entry: ConnectionEntry) => void): void {
  for (const detail of flowEventLines(event)) log({ time: Date.now(), kind: 'info', direction: 'none', size: 0, detail });
}
