/**
 * Where the flows of a collection file are in its text, and the file's mistakes as ranges: what
 * the Test Explorer needs for its items (run buttons in the editor gutter) and the diagnostics for
 * what JSON Schema cannot say (unknown endpoint, bad regex or JSONPath). Offsets are UTF-16
 * indexes into the text; `positionAt` turns one into a line and column. No `vscode` here.
 */
import { importCollection } from '../../shared/collections';
import { checkFlows, describeFlowIssue, type FlowEndpoint, type FlowIssue } from '../../shared/flows';
import { l10n } from '../../shared/l10n';

export interface TextSpan {
  start: number;
  end: number;
}

/** A JSON value with its span; object members also keep their key's span. */
type JsonSpan =
  | { kind: 'object'; span: TextSpan; members: Map<string, { key: TextSpan; value: JsonSpan }> }
  | { kind: 'array'; span: TextSpan; items: JsonSpan[] }
  | { kind: 'scalar'; span: TextSpan };

/**
 * Spans of every value in `text`, which must already be valid JSON (JSON.parse said so): the
 * scanner only tracks structure and skips over scalars.
 */
function scanJson(text: string): JsonSpan | undefined {
  let at = 0;
  const skipSpace = (): void => {
    while (at < text.length && /\s/.test(text[at]!)) at += 1;
  };
  const skipString = (): void => {
    at += 1;
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at += 1;
  };
  // Iterative with an explicit stack, so a deeply nested file cannot exhaust the call stack.
  type Open = { node: Extract<JsonSpan, { kind: 'object' | 'array' }>; key?: { name: string; span: TextSpan } };
  const stack: Open[] = [];
  let root: JsonSpan | undefined;
  const attach = (node: JsonSpan): void => {
    const parent = stack[stack.length - 1];
    if (!parent) root = node;
    else if (parent.node.kind === 'array') parent.node.items.push(node);
    else if (parent.key) {
      parent.node.members.set(parent.key.name, { key: parent.key.span, value: node });
      parent.key = undefined;
    }
  };
  while (at < text.length) {
    skipSpace();
    const c = text[at];
    if (c === undefined) break;
    const parent = stack[stack.length - 1];
    if (c === ',' || c === ':') {
      at += 1;
    } else if (c === '{' || c === '[') {
      const node: Open['node'] = c === '{' ? { kind: 'object', span: { start: at, end: at }, members: new Map() } : { kind: 'array', span: { start: at, end: at }, items: [] };
      attach(node);
      stack.push({ node });
      at += 1;
    } else if (c === '}' || c === ']') {
      at += 1;
      const closed = stack.pop();
      if (closed) closed.node.span.end = at;
    } else if (c === '"' && parent?.node.kind === 'object' && !parent.key) {
      const start = at;
      skipString();
      parent.key = { name: JSON.parse(text.slice(start, at)) as string, span: { start, end: at } };
    } else {
      const start = at;
      if (c === '"') skipString();
      else while (at < text.length && !/[\s,\]}]/.test(text[at]!)) at += 1;
      attach({ kind: 'scalar', span: { start, end: at } });
    }
  }
  return root;
}

function member(node: JsonSpan | undefined, key: string): { key: TextSpan; value: JsonSpan } | undefined {
  return node?.kind === 'object' ? node.members.get(key) : undefined;
}

function item(node: JsonSpan | undefined, index: number): JsonSpan | undefined {
  return node?.kind === 'array' ? node.items[index] : undefined;
}

export interface FlowLocation {
  /** The flow's index in the file's "flows" list. */
  index: number;
  name: string;
  /** The flow's object. */
  span: TextSpan;
  /** Each step's object, in order. */
  steps: TextSpan[];
}

/** The flows of a collection file's text with their spans; nothing when it is not JSON. */
export function locateFlows(text: string): FlowLocation[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [];
  }
  const flows = isRecord(data) && Array.isArray(data.flows) ? (data.flows as unknown[]) : [];
  const spans = member(scanJson(text), 'flows')?.value;
  const found: FlowLocation[] = [];
  for (const [index, flow] of flows.entries()) {
    const span = item(spans, index);
    if (!isRecord(flow) || !span) continue;
    const steps = member(span, 'steps')?.value;
    found.push({ index, name: typeof flow.name === 'string' ? flow.name : '', span: span.span, steps: steps?.kind === 'array' ? steps.items.map((s) => s.span) : [] });
  }
  return found;
}

export interface FileProblem {
  message: string;
  span: TextSpan;
}

/**
 * The mistakes of a collection file, each at the place it is about: the flow checks' first issue
 * at its step's field (or the step, or the flow), a JSON syntax error at its position, any other
 * refusal of the importer at the start of the file. An empty list when the file imports.
 */
export function fileProblems(text: string): FileProblem[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    return [{ message: l10n.t('Not valid JSON: {0}', message), span: { start: position, end: Math.min(text.length, position + 1) } }];
  }
  const problems: FileProblem[] = [];
  let flowSentence: string | undefined;
  if (isRecord(data) && Array.isArray(data.flows)) {
    const checked = checkFlows(data.flows, { endpoints: flowEndpointsOf(data.endpoints) });
    if (!checked.ok) {
      flowSentence = describeFlowIssue(checked.issue);
      problems.push({ message: flowSentence, span: issueSpan(text, data.flows as unknown[], checked.issue) });
    }
  }
  let n = 0;
  const imported = importCollection(text, () => `check:${n++}`);
  if (!imported.ok && imported.error !== flowSentence) problems.push({ message: imported.error, span: { start: 0, end: Math.min(1, text.length) } });
  return problems;
}

/** The endpoints as the flow checks see them, read leniently: the importer reports their own mistakes. */
function flowEndpointsOf(raw: unknown): FlowEndpoint[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).flatMap((e) => {
    if (typeof e.name !== 'string') return [];
    const kind = e.kind === 'socketio' ? 'socketio' : 'websocket';
    // Only what the flow checks read of "decode"; the collection import checks the rest.
    const as = isRecord(e.decode) ? e.decode.as : undefined;
    const decode: Pick<FlowEndpoint, 'decode'> = as === 'msgpack' || as === 'cbor' || as === 'protobuf' ? { decode: { as } } : {};
    return [{ name: e.name.trim(), kind, ...decode }];
  });
}

function issueSpan(text: string, flows: unknown[], issue: FlowIssue): TextSpan {
  const flowsNode = member(scanJson(text), 'flows')?.value;
  const indexed = /^flows\[(\d+)\]$/.exec(issue.flow);
  const index = indexed ? Number(indexed[1]) : flows.findIndex((f) => isRecord(f) && f.name === issue.flow);
  const flowNode = item(flowsNode, index);
  if (!flowNode) return flowsNode?.span ?? { start: 0, end: Math.min(1, text.length) };
  let node: JsonSpan | undefined = flowNode;
  let span = flowNode.span;
  if (issue.step !== undefined) {
    node = item(member(flowNode, 'steps')?.value, issue.step - 1);
    if (!node) return span;
    span = node.span;
  }
  // The field is a dotted path inside the step ("expect.regex"); go as deep as the text allows.
  for (const key of issue.field.split('.').filter((k) => k !== '')) {
    const found = member(node, key);
    if (!found) break;
    node = found.value;
    span = found.value.span;
  }
  return span;
}

/** The 0-based line and column (UTF-16) of an offset. */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, character: end - lineStart };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
