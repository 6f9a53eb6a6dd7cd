/**
 * The JSON tree of the detail pane as rows: a parsed JSON value flattened, in document order, into
 * the rows a tree view shows given which containers are unfolded. Pure, so the folding rules are
 * tested in Node. A huge document is never flattened whole: only unfolded containers contribute
 * rows, a container lists at most `childLimit` children (then a "more" row), and the flattening
 * stops at `rowLimit` rows, which keeps a selection's detail fast whatever the message size.
 */

import { l10n } from './l10n';

export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

/**
 * A JSON number that a JavaScript number would change (12345678901234567890 reads back as
 * 12345678901234567000): kept as its source text so the tree shows what the server sent.
 */
export class RawNumber {
  constructor(readonly text: string) {}
}

/**
 * JSON.parse, with numbers a double cannot hold exactly kept as RawNumber where the engine gives
 * revivers the source text (JSON.parse source text access; elsewhere numbers are plain).
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && context?.source !== undefined && !sameNumber(value, context.source) ? new RawNumber(context.source) : value,
  ) as unknown;
}

/** Whether the source text of a number means the double it parsed to (1e3, 1.50 and 1000 do). */
function sameNumber(value: number, source: string): boolean {
  if (String(value) === source) return true;
  // Only integers with more digits than a double holds lose anything a reader would see.
  const digits = source.replace(/^-/, '');
  return !/^\d{16,}$/.test(digits) || Number.isSafeInteger(value);
}

export interface JsonTreeRow {
  /** A JSON Pointer (RFC 6901) to the value; '' is the root. Stable across folding. */
  path: string;
  depth: number;
  /** The property name or array index under its parent; undefined for the root. */
  key: string | undefined;
  kind: JsonKind;
  /** A scalar as JSON text; a container as its size ("3 keys", "5 items"). */
  preview: string;
  /** Containers with children can fold. */
  expandable: boolean;
  expanded: boolean;
  /** A row standing for children left out ("120 more items"); it has no value of its own. */
  more?: number;
}

export interface JsonTreeLimits {
  /** Rows returned at most (the rest is reported by `truncated`). */
  rowLimit: number;
  /** Children listed per container at most. */
  childLimit: number;
}

export const DEFAULT_TREE_LIMITS: JsonTreeLimits = { rowLimit: 2000, childLimit: 500 };

/** Levels unfolded when a message is first shown: the root and its children. */
export const INITIAL_DEPTH = 2;

export function kindOf(value: unknown): JsonKind {
  if (value === null) return 'null';
  if (value instanceof RawNumber) return 'number';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'object':
      return 'object';
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      // JSON.parse yields nothing else; anything else is shown as null rather than guessed at.
      return 'null';
  }
}

function childrenOf(value: unknown): [string, unknown][] | undefined {
  if (value instanceof RawNumber) return undefined;
  if (Array.isArray(value)) return value.map((item, index) => [String(index), item as unknown]);
  if (value !== null && typeof value === 'object') return Object.entries(value as Record<string, unknown>);
  return undefined;
}

function childCount(value: unknown): number {
  if (value instanceof RawNumber) return 0;
  if (Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value as object).length;
  return 0;
}

/** How a value reads on its row: scalars as JSON (long strings cut), containers by their size. */
export function previewOf(value: unknown, maxChars = 200): string {
  const kind = kindOf(value);
  if (kind === 'array') {
    const n = childCount(value);
    return `[${n} ${n === 1 ? 'item' : 'items'}]`;
  }
  if (kind === 'object') {
    const n = childCount(value);
    return `{${n} ${n === 1 ? 'key' : 'keys'}}`;
  }
  const text = value instanceof RawNumber ? value.text : kind === 'null' ? 'null' : JSON.stringify(value);
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}

/** A child's pointer: `~` and `/` escaped as RFC 6901 says. */
export function childPath(parent: string, key: string): string {
  return `${parent}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** The pointers of the containers within `depth` levels of the root: what is unfolded at first. */
export function initialExpansion(value: unknown, depth = INITIAL_DEPTH, limits: JsonTreeLimits = DEFAULT_TREE_LIMITS): Set<string> {
  const expanded = new Set<string>();
  let budget = limits.rowLimit;
  const visit = (node: unknown, path: string, level: number) => {
    const children = childrenOf(node);
    if (!children || children.length === 0 || level >= depth || budget <= 0) return;
    expanded.add(path);
    for (const [key, child] of children.slice(0, limits.childLimit)) {
      if (--budget <= 0) return;
      visit(child, childPath(path, key), level + 1);
    }
  };
  visit(value, '', 0);
  return expanded;
}

/** The rows of `value` with the containers in `expanded` unfolded, in document order. */
export function flattenJson(
  value: unknown,
  expanded: ReadonlySet<string>,
  limits: JsonTreeLimits = DEFAULT_TREE_LIMITS,
): { rows: JsonTreeRow[]; truncated: boolean } {
  const rows: JsonTreeRow[] = [];
  let truncated = false;
  const visit = (node: unknown, path: string, key: string | undefined, depth: number): void => {
    if (rows.length >= limits.rowLimit) {
      truncated = true;
      return;
    }
    const kind = kindOf(node);
    const count = childCount(node);
    const isOpen = count > 0 && expanded.has(path);
    rows.push({ path, depth, key, kind, preview: previewOf(node), expandable: count > 0, expanded: isOpen });
    if (!isOpen) return;
    const children = childrenOf(node) ?? [];
    for (const [childKey, child] of children.slice(0, limits.childLimit)) {
      visit(child, childPath(path, childKey), childKey, depth + 1);
      if (truncated) return;
    }
    if (children.length > limits.childLimit) {
      const more = children.length - limits.childLimit;
      rows.push({
        path: `${path}/…more`,
        depth: depth + 1,
        key: undefined,
        kind: 'null',
        preview: moreWords(kind === 'array', more),
        expandable: false,
        expanded: false,
        more,
      });
    }
  };
  visit(value, '', undefined, 0);
  return { rows, truncated };
}

/**
 * The row Left moves to from a folded row or a leaf (WAI-ARIA tree pattern): its parent row; the
 * root stays where it is.
 */
export function parentIndex(rows: readonly JsonTreeRow[], index: number): number {
  const row = rows[index];
  if (!row) return index;
  for (let i = index - 1; i >= 0; i--) if ((rows[i] as JsonTreeRow).depth < row.depth) return i;
  return index;
}

/** The "…more" row's words: "3 more items (Open in editor shows all)". */
function moreWords(array: boolean, more: number): string {
  if (array) return more === 1 ? l10n.t('1 more item (Open in editor shows all)') : l10n.t('{0} more items (Open in editor shows all)', more);
  return more === 1 ? l10n.t('1 more key (Open in editor shows all)') : l10n.t('{0} more keys (Open in editor shows all)', more);
}
