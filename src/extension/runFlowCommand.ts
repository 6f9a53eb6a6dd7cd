/**
 * WebSocket: Run Flow… (and Run on a flow in the Endpoints view): runs one flow as a test run
 * and shows it in a debugger panel opened for it, whose log gets the run's connection entries
 * and a marked info entry per step (src/core/flows/flowLog.ts). Closing the panel stops the run.
 */
import * as vscode from 'vscode';
import { logFlowEvent } from '../core/flows/flowLog';
import { visibleText } from '../shared/visibleText';
import { COMMANDS } from './commandIds';
import type { DebuggerPanel } from './debuggerPanel';
import type { EndpointsTreeNode } from './endpointsTree';
import type { FlowSource, FlowTests } from './flowTests';
import type { PanelRegistry } from './panelRegistry';

export function registerRunFlow(flowTests: FlowTests, panels: PanelRegistry): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.runFlow, async (arg: unknown): Promise<DebuggerPanel | undefined> => {
    await flowTests.ready();
    const chosen = fromTreeNode(flowTests, arg) ?? (await pickFlow(flowTests));
    if (!chosen) return undefined;
    const panel = panels.openEmpty(vscode.l10n.t('Flow: {0}', chosen.flow));
    const stop = new vscode.CancellationTokenSource();
    const closed = panel.onDidDispose(() => stop.cancel());
    try {
      await flowTests.runFlows(chosen.source, [chosen.flow], {
        token: stop.token,
        log: (entry) => panel.logEntry(entry),
        onEvent: (event) => logFlowEvent(event, (entry) => panel.logEntry(entry)),
      });
    } finally {
      closed.dispose();
      stop.dispose();
    }
    return panel;
  });
}

function fromTreeNode(flowTests: FlowTests, arg: unknown): { source: FlowSource; flow: string } | undefined {
  if (typeof arg !== 'object' || arg === null || (arg as { kind?: unknown }).kind !== 'flow') return undefined;
  const node = arg as Extract<EndpointsTreeNode, { kind: 'flow' }>;
  const source = flowTests.all.find((s) => s.collection.id === node.collection.id);
  return source && source.collection.flows?.some((f) => f.name === node.flow) ? { source, flow: node.flow } : undefined;
}

async function pickFlow(flowTests: FlowTests): Promise<{ source: FlowSource; flow: string } | undefined> {
  const items = flowTests.all.flatMap((source) =>
    (source.collection.flows ?? []).map((flow) => ({
      label: visibleText(flow.name),
      description: flow.steps.length === 1 ? vscode.l10n.t('1 step') : vscode.l10n.t('{0} steps', flow.steps.length),
      detail: source.workspace ? `${visibleText(source.collection.name)} · ${vscode.workspace.asRelativePath(source.workspace.file)}` : visibleText(source.collection.name),
      pick: { source, flow: flow.name },
    })),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No flows yet: add "flows" to a collection file (see the Flows section of the README).'));
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('WebSocket: Run Flow'), placeHolder: vscode.l10n.t('Pick a flow to run'), matchOnDetail: true }))?.pick;
}
