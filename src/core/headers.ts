/** Conversions between the form's header rows and Node's two header shapes. */
import type { HeaderRow } from '../shared/protocol';

/** Header rows to Node's header object; repeated names become one multi-value header. */
export function headerObject(rows: readonly HeaderRow[]): Record<string, string | string[]> {
  const byLowerName = new Map<string, { name: string; values: string[] }>();
  for (const row of rows) {
    const key = row.name.toLowerCase();
    const existing = byLowerName.get(key);
    if (existing) existing.values.push(row.value);
    else byLowerName.set(key, { name: row.name, values: [row.value] });
  }
  const headers: Record<string, string | string[]> = {};
  for (const { name, values } of byLowerName.values()) {
    headers[name] = values.length === 1 ? values[0]! : values;
  }
  return headers;
}

/** Node's flat `rawHeaders` list to [name, value] pairs, in the order and spelling received. */
export function headerPairs(rawHeaders: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return pairs;
}
