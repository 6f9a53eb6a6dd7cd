/**
 * The part of JSONPath that captures need: a path from the root to one value, `$`, `.name`,
 * `['name']` / `["name"]` and `[index]` (a negative index counts from the end). No filters,
 * wildcards or script expressions: a capture names one value, and nothing in a shared file is
 * ever evaluated as code.
 */
import { l10n } from './l10n';

export type PathStep = { kind: 'key'; key: string } | { kind: 'index'; index: number };

export type ParsedPath = { ok: true; steps: PathStep[] } | { ok: false; error: string };

const IDENTIFIER = /^[A-Za-z_$][\w$-]*/;

export function parseJsonPath(path: string): ParsedPath {
  if (!path.startsWith('$')) return { ok: false, error: l10n.t('a path starts with "$" (the whole message), as in "$.data.token"; got {0}', JSON.stringify(path)) };
  const steps: PathStep[] = [];
  let i = 1;
  while (i < path.length) {
    const rest = path.slice(i);
    if (rest.startsWith('.')) {
      const name = IDENTIFIER.exec(rest.slice(1));
      if (!name) return { ok: false, error: l10n.t('expected a name after "." at position {0} of {1} (use [\'name\'] for other keys)', i + 1, JSON.stringify(path)) };
      steps.push({ kind: 'key', key: name[0] });
      i += 1 + name[0].length;
      continue;
    }
    if (rest.startsWith('[')) {
      const index = /^\[(-?\d+)\]/.exec(rest);
      if (index) {
        steps.push({ kind: 'index', index: Number(index[1]) });
        i += index[0].length;
        continue;
      }
      const quoted = /^\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/.exec(rest);
      if (quoted) {
        const raw = quoted[1] ?? quoted[2];
        steps.push({ kind: 'key', key: raw.replace(/\\(.)/g, '$1') });
        i += quoted[0].length;
        continue;
      }
      return { ok: false, error: l10n.t("expected [number] or ['name'] at position {0} of {1}", i + 1, JSON.stringify(path)) };
    }
    return { ok: false, error: l10n.t("unexpected {0} at position {1} of {2}: use .name, ['name'] or [index]", JSON.stringify(path[i]), i + 1, JSON.stringify(path)) };
  }
  return { ok: true, steps };
}

/** The value at `steps` in `root`, or `found: false` when a step is missing. */
export function readJsonPath(root: unknown, steps: readonly PathStep[]): { found: true; value: unknown } | { found: false } {
  let value = root;
  for (const step of steps) {
    if (step.kind === 'index') {
      if (!Array.isArray(value)) return { found: false };
      const at = step.index < 0 ? value.length + step.index : step.index;
      if (at < 0 || at >= value.length) return { found: false };
      value = value[at];
    } else {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return { found: false };
      if (!Object.prototype.hasOwnProperty.call(value, step.key)) return { found: false };
      value = (value as Record<string, unknown>)[step.key];
    }
  }
  return { found: true, value };
}
