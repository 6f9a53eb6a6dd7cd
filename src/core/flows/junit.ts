/**
 * A flow run as JUnit XML, the format CI systems read test results in (GitHub Actions through
 * test-reporter actions, GitLab's `artifacts:reports:junit`): one <testsuite> per flow, one
 * <testcase> per step, a failed step as <failure message="..."> whose body holds the expected
 * and actual messages and what was passed over, a skipped step as <skipped/>. Times in seconds.
 * The reports are masked already (FlowRunner); here text is only made safe for XML.
 */
import type { FlowReport, RunReport, StepReport } from './flowRunner';

/** Characters XML 1.0 cannot carry at all, even escaped: most C0 controls, lone surrogates, U+FFFE/F. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text for an attribute value or element content: escaped, and what XML cannot hold shown as \uXXXX. */
export function xmlText(text: string): string {
  return text
    .replace(NOT_XML, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // Attribute values normalise raw newlines and tabs to spaces; escaped they survive.
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/** The failure body: the sentence, then expected, actual and the messages passed over. */
export function failureText(step: StepReport): string {
  const f = step.failure;
  if (!f) return '';
  const lines = [f.message];
  if (f.expected !== undefined) lines.push(`expected: ${f.expected}`);
  if (f.actual !== undefined) lines.push(`actual:   ${f.actual}`);
  if (f.passedOverCount > 0) {
    lines.push(`passed over (${f.passedOverCount}):`);
    for (const line of f.passedOver) lines.push(`  ${line}`);
    if (f.passedOverCount > f.passedOver.length) lines.push(`  … and ${f.passedOverCount - f.passedOver.length} more`);
  }
  return lines.join('\n');
}

function testcase(collection: string, flow: FlowReport, step: StepReport): string {
  const open = `    <testcase name="${xmlText(`${step.number}. ${step.title}`)}" classname="${xmlText(`${collection}.${flow.name}`)}" time="${seconds(step.ms)}"`;
  switch (step.status) {
    case 'passed':
      return `${open}/>`;
    case 'skipped':
      return `${open}>\n      <skipped message="an earlier step failed"/>\n    </testcase>`;
    case 'failed':
      return `${open}>\n      <failure message="${xmlText(step.failure?.message ?? 'failed')}" type="FlowStepFailure">${xmlText(failureText(step))}</failure>\n    </testcase>`;
  }
}

export function junitXml(collection: string, report: RunReport): string {
  const totals = { tests: 0, failures: 0, skipped: 0, ms: 0 };
  const suites = report.flows.map((flow) => {
    const failures = flow.steps.filter((s) => s.status === 'failed').length;
    const skipped = flow.steps.filter((s) => s.status === 'skipped').length;
    totals.tests += flow.steps.length;
    totals.failures += failures;
    totals.skipped += skipped;
    totals.ms += flow.ms;
    return [
      `  <testsuite name="${xmlText(flow.name)}" tests="${flow.steps.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(flow.ms)}">`,
      ...flow.steps.map((step) => testcase(collection, flow, step)),
      '  </testsuite>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlText(collection)}" tests="${totals.tests}" failures="${totals.failures}" errors="0" skipped="${totals.skipped}" time="${seconds(totals.ms)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
