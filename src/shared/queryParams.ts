/**
 * The URL's query string as an editable table and back. `{{name}}` references stay as written
 * (not percent-encoded), so a variable can stand for a whole value.
 */

export interface QueryParam {
  name: string;
  value: string;
}

const REFERENCE = /(\{\{\s*[A-Za-z_][\w.-]*\s*\}\})/;

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    // A stray % is shown as written rather than refused.
    return text;
  }
}

function encode(text: string): string {
  return text
    .split(REFERENCE)
    .map((part, index) => (index % 2 === 1 ? part : encodeURIComponent(part)))
    .join('');
}

/** Splits `url` into what comes before the query, the query (without '?') and the fragment (with '#'). */
function split(url: string): { base: string; query: string | undefined; hash: string } {
  const hashAt = url.indexOf('#');
  const hash = hashAt >= 0 ? url.slice(hashAt) : '';
  const beforeHash = hashAt >= 0 ? url.slice(0, hashAt) : url;
  const queryAt = beforeHash.indexOf('?');
  if (queryAt < 0) return { base: beforeHash, query: undefined, hash };
  return { base: beforeHash.slice(0, queryAt), query: beforeHash.slice(queryAt + 1), hash };
}

/** The query parameters of `url`, decoded, in order; repeated names are kept. */
export function parseQuery(url: string): QueryParam[] {
  const { query } = split(url);
  if (!query) return [];
  return query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? { name: decode(pair), value: '' } : { name: decode(pair.slice(0, eq)), value: decode(pair.slice(eq + 1)) };
    });
}

/** `url` with its query replaced by `params` (rows with neither name nor value are skipped). */
export function withQuery(url: string, params: readonly QueryParam[]): string {
  const { base, hash } = split(url);
  const pairs = params
    .filter((p) => p.name !== '' || p.value !== '')
    .map((p) => (p.value === '' ? encode(p.name) : `${encode(p.name)}=${encode(p.value)}`));
  return pairs.length > 0 ? `${base}?${pairs.join('&')}${hash}` : `${base}${hash}`;
}
