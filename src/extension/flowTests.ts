/**
 * Flows in VS Code's Test Explorer: each collection with flows (a workspace file, or a collection
 * imported into the user's store) is an item, each flow a test under it, each step a child of the
 * flow. Items of a workspace file carry its uri and ranges, so the editor shows run buttons beside
 * the flows; they are rebuilt whenever the file is read again (the file watcher, a save). A flow
 * with a mistake is an item with an error that names the flow, step and field; the file's other
 * flows are still listed and run.
 *
 * A run executes whole flows with the core FlowRunner and maps its events onto the items.
 * Cancelling interrupts the runner (connections close with 1001). Workspace-file flows in an
 * untrusted workspace ask before connecting and never get secret variables.
 */
import * as vscode from 'vscode';
import { FlowRunner, type FlowRunEvent, type StepReport } from '../core/flows/flowRunner';
import type { ConnectionEntry } from '../core/session';
import { locateFlows, positionAt, type TextSpan } from '../core/flows/flowFile';
import { failureText } from '../core/flows/junit';
import { mayConnectFromWorkspace, type TrustPrompt } from '../core/panel/workspaceTrust';
import { checkEachFlow, describeFlowIssue, type CheckedFlow } from '../shared/flows';
import type { Collection, Variable } from '../shared/protocol';
import { visibleText } from '../shared/visibleText';
import type { EndpointStore } from './endpointStore';
import { protoFolders } from './protoFolders';
import type { Environments } from './environments';
import type { WorkspaceCollection, WorkspaceCollections } from './workspaceCollections';

/** A collection whose flows can run, and where it came from. */
export interface FlowSource {
  /** Stable across reloads: the file's uri, or the stored collection's id. */
  key: string;
  collection: Collection;
  workspace?: WorkspaceCollection;
}

/** What a test item stands for. */
type ItemRef =
  | { kind: 'source'; source: FlowSource }
  | { kind: 'flow'; source: FlowSource; flow: string }
  | { kind: 'step'; source: FlowSource; flow: string; step: number }
  | { kind: 'invalid'; source: FlowSource; message: string };

/** What a run started by the Run Flow command adds: its panel's log, and a way to stop it. */
export interface RunHooks {
  onEvent?: (event: FlowRunEvent) => void;
  /** Every entry of the run's connections (FlowRunOptions.log). */
  log?: (entry: ConnectionEntry) => void;
  token?: vscode.CancellationToken;
}

export interface FlowTestsOptions {
  store: EndpointStore;
  workspace: WorkspaceCollections;
  environments: Environments;
  maxPayload: () => number;
}

export class FlowTests implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('websocketDebugger.flows', vscode.l10n.t('WebSocket flows'));
  private readonly refs = new Map<string, ItemRef>();
  private readonly disposables: vscode.Disposable[] = [];
  private sources: FlowSource[] = [];
  private refreshing: Promise<void> = Promise.resolve();

  constructor(private readonly options: FlowTestsOptions) {
    this.controller.createRunProfile(vscode.l10n.t('Run'), vscode.TestRunProfileKind.Run, (request, token) => this.runRequest(request, token), true);
    this.controller.refreshHandler = async () => {
      await options.workspace.reload();
      await this.refresh();
    };
    this.disposables.push(
      this.controller,
      options.workspace.onDidChange(() => void this.refresh()),
      options.store.onDidChange(() => void this.refresh()),
    );
    void this.refresh();
  }

  /** Every collection with flows, workspace files first. */
  get all(): readonly FlowSource[] {
    return this.sources;
  }

  /** Resolves once the items reflect the collections as they are now. */
  ready(): Promise<void> {
    return this.refreshing;
  }

  /** Rebuilds every item; ids are stable, so the Testing view keeps its state across rebuilds. */
  refresh(): Promise<void> {
    // A failed rebuild (reported by ready()) does not stop the next one.
    this.refreshing = this.refreshing.catch(() => undefined).then(async () => {
      const sources: FlowSource[] = [];
      for (const workspace of this.options.workspace.all) {
        if (workspace.collection && (workspace.collection.flows?.length || workspace.flowIssues?.length)) {
          sources.push({ key: workspace.file.toString(), collection: workspace.collection, workspace });
        }
      }
      for (const collection of this.options.store.collections) {
        if (collection.flows?.length) sources.push({ key: `store:${collection.id}`, collection });
      }
      this.refs.clear();
      const items: vscode.TestItem[] = [];
      for (const source of sources) items.push(await this.sourceItem(source));
      this.sources = sources;
      this.controller.items.replace(items);
    });
    return this.refreshing;
  }

  private async sourceItem(source: FlowSource): Promise<vscode.TestItem> {
    const { collection, workspace } = source;
    const file = workspace?.file;
    const label = workspace ? `${visibleText(collection.name)} (${vscode.workspace.asRelativePath(workspace.file)})` : visibleText(collection.name);
    const parent = this.controller.createTestItem(source.key, label, file);
    this.refs.set(parent.id, { kind: 'source', source });
    let text: string | undefined;
    if (file) {
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
      } catch {
        text = undefined;
      }
    }
    const located = text === undefined ? [] : locateFlows(text);
    const titles = checkEachFlow(collection.flows ?? [], { endpoints: collection.endpoints });
    for (const [index, flow] of (collection.flows ?? []).entries()) {
      const where = located.find((l) => l.name === flow.name);
      const flowItem = this.controller.createTestItem(flowId(source, flow.name), visibleText(flow.name), file);
      if (where && text !== undefined) flowItem.range = toRange(text, where.span);
      // A stored flow that no longer checks (its endpoint was deleted) says why instead of vanishing.
      const issue = titles.ok ? titles.issues.find((i) => i.index === index)?.issue : titles.issue;
      if (issue) {
        const message = visibleText(describeFlowIssue(issue));
        flowItem.error = message;
        this.refs.set(flowItem.id, { kind: 'invalid', source, message });
      } else {
        this.refs.set(flowItem.id, { kind: 'flow', source, flow: flow.name });
      }
      const checked = titles.ok ? titles.checked.find((c) => c.name === flow.name) : undefined;
      flow.steps.forEach((_, index) => {
        const number = index + 1;
        const title = checked?.steps[index]?.title ?? vscode.l10n.t('step {0}', number);
        const stepItem = this.controller.createTestItem(stepId(source, flow.name, number), `${number}. ${visibleText(title)}`, file);
        const span = where?.steps[index];
        if (span && text !== undefined) stepItem.range = toRange(text, span);
        this.refs.set(stepItem.id, { kind: 'step', source, flow: flow.name, step: number });
        flowItem.children.add(stepItem);
      });
      parent.children.add(flowItem);
    }
    // A flow with a mistake is an item of its own that says what is wrong; it cannot run.
    for (const { index, issue } of workspace?.flowIssues ?? []) {
      const name = issue.flow === '' || issue.flow === `flows[${index}]` ? `flows[${index}]` : issue.flow;
      const bad = this.controller.createTestItem(JSON.stringify([source.key, { invalid: index }]), visibleText(name), file);
      const message = visibleText(describeFlowIssue(issue));
      bad.error = message;
      this.refs.set(bad.id, { kind: 'invalid', source, message });
      const where = located.find((l) => l.index === index);
      if (where && text !== undefined) bad.range = toRange(text, where.span);
      parent.children.add(bad);
    }
    return parent;
  }

  /** Runs flows of one source as a test run of its own (the Run Flow command, the Endpoints view). */
  async runFlows(source: FlowSource, flowNames: readonly string[], hooks: RunHooks = {}): Promise<void> {
    await this.ready();
    const items = flowNames.map((name) => this.controller.items.get(source.key)?.children.get(flowId(source, name))).filter((i): i is vscode.TestItem => i !== undefined);
    const request = new vscode.TestRunRequest(items);
    const cancel = new vscode.CancellationTokenSource();
    const forwarded = hooks.token?.onCancellationRequested(() => cancel.cancel());
    try {
      await this.runRequest(request, cancel.token, hooks);
    } finally {
      forwarded?.dispose();
      cancel.dispose();
    }
  }

  private async runRequest(request: vscode.TestRunRequest, token: vscode.CancellationToken, hooks: RunHooks = {}): Promise<void> {
    const run = this.controller.createTestRun(request);
    try {
      const excluded = new Set((request.exclude ?? []).map((i) => i.id));
      // The flows asked for, grouped by source in the order of the Testing view.
      const wanted = new Map<string, { source: FlowSource; flows: Set<string> }>();
      const add = (source: FlowSource, flow: string): void => {
        if (excluded.has(flowId(source, flow))) return;
        const entry = wanted.get(source.key) ?? { source, flows: new Set<string>() };
        entry.flows.add(flow);
        wanted.set(source.key, entry);
      };
      // A flow with a mistake cannot run: it is marked errored with its mistake, in the run's log too.
      const invalid = (item: vscode.TestItem, message: string): void => {
        run.errored(item, new vscode.TestMessage(message));
        hooks.log?.({ time: Date.now(), kind: 'error', direction: 'none', size: 0, detail: message });
      };
      const include = request.include ?? [...this.controller.items].map(([, item]) => item);
      for (const item of include) {
        const ref = this.refs.get(item.id);
        if (!ref || excluded.has(item.id)) continue;
        // A step cannot run alone (it needs the steps before it): its whole flow runs.
        if (ref.kind === 'source') {
          for (const flow of ref.source.collection.flows ?? []) add(ref.source, flow.name);
          item.children.forEach((child) => {
            const childRef = this.refs.get(child.id);
            if (childRef?.kind === 'invalid' && !excluded.has(child.id)) invalid(child, childRef.message);
          });
        } else if (ref.kind === 'invalid') invalid(item, ref.message);
        else add(ref.source, ref.flow);
      }
      for (const { source, flows } of wanted.values()) {
        if (token.isCancellationRequested) break;
        await this.runSource(run, source, [...flows], token, hooks);
      }
    } finally {
      run.end();
    }
  }

  private async runSource(run: vscode.TestRun, source: FlowSource, names: string[], token: vscode.CancellationToken, hooks: RunHooks): Promise<void> {
    const { collection, workspace } = source;
    const flowItem = (name: string): vscode.TestItem | undefined => this.controller.items.get(source.key)?.children.get(flowId(source, name));
    const stepItem = (flow: string, step: number): vscode.TestItem | undefined => flowItem(flow)?.children.get(stepId(source, flow, step));
    const untrusted = workspace !== undefined && !vscode.workspace.isTrusted;
    const variables = await this.variables(collection, untrusted);
    const checked = checkEachFlow(collection.flows ?? [], { endpoints: collection.endpoints });
    const refuse = (message: string, which: readonly string[] = names): void => {
      for (const name of which) {
        const item = flowItem(name);
        if (item) run.errored(item, new vscode.TestMessage(message));
      }
      hooks.log?.({ time: Date.now(), kind: 'error', direction: 'none', size: 0, detail: message });
    };
    if (!checked.ok) {
      refuse(describeFlowIssue(checked.issue));
      return;
    }
    // A flow with a mistake is reported, never silently left out; the others still run.
    for (const { index, issue } of checked.issues) {
      const name = collection.flows?.[index]?.name;
      if (name !== undefined && names.includes(name)) refuse(describeFlowIssue(issue), [name]);
    }
    const flows: CheckedFlow[] = checked.checked.filter((f) => names.includes(f.name));
    if (flows.length === 0) return;
    if (untrusted && !(await this.mayConnect(flows, source))) {
      refuse(vscode.l10n.t('Not run: the workspace is not trusted and connecting was declined.'), flows.map((f) => f.name));
      return;
    }
    for (const flow of flows) {
      const item = flowItem(flow.name);
      if (item) run.enqueued(item);
    }
    const runner = new FlowRunner({
      endpoints: collection.endpoints,
      flows,
      variables,
      maxPayload: this.options.maxPayload(),
      protoFolders: protoFolders(workspace?.file),
      ...(hooks.log ? { log: hooks.log } : {}),
    });
    const cancelled = token.onCancellationRequested(() => runner.interrupt());
    const out = (line: string, item?: vscode.TestItem): void => run.appendOutput(`${visibleText(line).replace(/\n/g, '\r\n')}\r\n`, item?.uri && item.range ? new vscode.Location(item.uri, item.range) : undefined, item);
    runner.onEvent((event) => {
      hooks.onEvent?.(event);
      switch (event.type) {
        case 'flowStarted': {
          const item = flowItem(event.flow);
          if (item) run.started(item);
          out(`▶ ${event.flow}`, item);
          return;
        }
        case 'stepStarted': {
          const item = stepItem(event.flow, event.step.number);
          if (item) run.started(item);
          return;
        }
        case 'stepPassed': {
          const item = stepItem(event.flow, event.step.number);
          if (item) run.passed(item, event.step.ms);
          out(`✓ ${event.step.number}. ${event.step.title} (${event.step.ms} ms)`, item);
          return;
        }
        case 'stepFailed': {
          const item = stepItem(event.flow, event.step.number);
          const message = stepMessage(event.step, item);
          if (item) {
            // An interrupted step did not fail on its own: it is marked errored, not failed.
            if (event.step.failure?.message === 'interrupted') run.errored(item, message, event.step.ms);
            else run.failed(item, message, event.step.ms);
          }
          out(`✗ ${event.step.number}. ${event.step.title} (${event.step.ms} ms)`, item);
          for (const line of failureText(event.step).split('\n')) out(`    ${line}`, item);
          return;
        }
        case 'stepSkipped': {
          const item = stepItem(event.flow, event.step.number);
          if (item) run.skipped(item);
          out(`- ${event.step.number}. ${vscode.l10n.t('{0} (skipped)', event.step.title)}`, item);
          return;
        }
        case 'flowFinished': {
          const item = flowItem(event.flow.name);
          if (!item) return;
          if (event.flow.passed) run.passed(item, event.flow.ms);
          else if (runner.interrupted) run.skipped(item);
          else run.failed(item, new vscode.TestMessage(failedSteps(event.flow.steps.filter((s) => s.status === 'failed').length)), event.flow.ms);
          return;
        }
        case 'interrupted':
          out(vscode.l10n.t('Interrupted: connections were closed with 1001 (Going Away)'));
          return;
        case 'runFinished':
          out(vscode.l10n.t('{0} passed, {1} failed', event.report.passed, event.report.failed));
          return;
      }
    });
    try {
      await runner.run();
    } finally {
      cancelled.dispose();
    }
  }

  /** The active environment's variables; secret ones only where the workspace may have them. */
  private async variables(collection: Collection, untrusted: boolean): Promise<Variable[]> {
    if (!untrusted) return this.options.environments.activeVariables(collection);
    const environment = collection.environments?.find((e) => e.name === collection.activeEnvironment);
    return (environment?.variables ?? []).filter((v) => !v.secret).map((v) => ({ name: v.name, value: v.value }));
  }

  /** Asks once per endpoint the flows connect to, as Connect does for an untrusted workspace file. */
  private async mayConnect(flows: readonly CheckedFlow[], source: FlowSource): Promise<boolean> {
    const prompt: TrustPrompt = {
      workspaceTrusted: () => vscode.workspace.isTrusted,
      confirm: async (question, action) => (await vscode.window.showWarningMessage(question, { modal: true }, action)) === action,
    };
    const names = new Set(flows.flatMap((f) => f.steps.flatMap((s) => (s.act.action === 'connect' ? [s.act.endpoint] : []))));
    const file = source.workspace ? vscode.workspace.asRelativePath(source.workspace.file) : source.collection.name;
    for (const name of names) {
      const endpoint = source.collection.endpoints.find((e) => e.name === name);
      if (endpoint && !(await mayConnectFromWorkspace(prompt, endpoint, file))) return false;
    }
    return true;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function flowId(source: FlowSource, flow: string): string {
  // Test ids may not hold NUL; JSON keeps the parts apart whatever they contain.
  return JSON.stringify([source.key, flow]);
}

function stepId(source: FlowSource, flow: string, step: number): string {
  return JSON.stringify([source.key, flow, step]);
}

function toRange(text: string, span: TextSpan): vscode.Range {
  const start = positionAt(text, span.start);
  const end = positionAt(text, span.end);
  return new vscode.Range(start.line, start.character, end.line, end.character);
}

function failedSteps(n: number): string {
  return n === 1 ? vscode.l10n.t('1 step failed') : vscode.l10n.t('{0} steps failed', n);
}

/** A failed step's message: a diff of expected and actual when the step has both. */
function stepMessage(step: StepReport, item: vscode.TestItem | undefined): vscode.TestMessage {
  const failure = step.failure;
  const text = failure ? failureText(step) : vscode.l10n.t('failed');
  const message = failure?.expected !== undefined && failure.actual !== undefined ? vscode.TestMessage.diff(text, failure.expected, failure.actual) : new vscode.TestMessage(text);
  if (item?.uri && item.range) message.location = new vscode.Location(item.uri, item.range);
  return message;
}
