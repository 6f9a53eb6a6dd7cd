/**
 * A small YAML writer for JSON data, for scripts other tools read (the Artillery export). Block
 * style for objects and lists so a person can edit the file; every string is written as a JSON
 * string, which YAML reads as a double-quoted scalar, so no value is ever taken for a number, a
 * boolean, an anchor or a comment. Pure: no Node.
 */

/** Keys written without quotes: plain identifiers that no YAML reader takes for another type. */
const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;
const RESERVED_KEY = /^(?:true|false|null|yes|no|on|off|y|n)$/i;

function key(name: string): string {
  return PLAIN_KEY.test(name) && !RESERVED_KEY.test(name) ? name : JSON.stringify(name);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(String(value));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The lines of `value` at `indent`; a container that is not empty starts on its own lines. */
function lines(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isRecord(item) && Object.keys(item).length > 0) {
        // "- key: value" with the item's other keys under the first.
        const inner: string[] = [];
        lines(item, `${indent}  `, inner);
        out.push(`${indent}- ${inner[0]!.slice(indent.length + 2)}`, ...inner.slice(1));
      } else if (Array.isArray(item) && item.length > 0) {
        out.push(`${indent}-`);
        lines(item, `${indent}  `, out);
      } else {
        out.push(`${indent}- ${inline(item)}`);
      }
    }
    return;
  }
  if (isRecord(value)) {
    for (const [name, item] of Object.entries(value)) {
      if (item === undefined) continue;
      if ((Array.isArray(item) && item.length > 0) || (isRecord(item) && Object.keys(item).length > 0)) {
        out.push(`${indent}${key(name)}:`);
        lines(item, `${indent}  `, out);
      } else {
        out.push(`${indent}${key(name)}: ${inline(item)}`);
      }
    }
    return;
  }
  out.push(`${indent}${scalar(value)}`);
}

/** A scalar, or an empty list or object in flow style. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return '[]';
  if (isRecord(value)) return '{}';
  return scalar(value);
}

/** One comment line: line breaks and other control characters become spaces. */
function comment(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').trimEnd();
  return clean === '' ? '#' : `# ${clean}`;
}

/** `value` (a JSON object) as a YAML document, after `comments` as `#` lines. */
export function toYaml(value: Record<string, unknown>, comments: readonly string[] = []): string {
  const out = comments.map(comment);
  lines(value, '', out);
  return `${out.join('\n')}\n`;
}
