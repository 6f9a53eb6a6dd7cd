/**
 * Translation for the code that cannot import `vscode`: `src/core` and `src/shared` (on the
 * extension host and in the session worker) and the webview. It reads the same bundle as
 * `vscode.l10n.t` (l10n/bundle.l10n.<language>.json, keyed by the English text) and formats the
 * same way: `{0}` for positional arguments, `{name}` for a record's. With no bundle, or a message
 * missing from it, the English text is used, so the CLI (never configured) stays English.
 *
 * Our own few lines rather than `@vscode/l10n`: that package also loads bundles from files and
 * URLs, which no caller here needs (each one is handed the contents), and it would be one more
 * runtime dependency in three bundles.
 */

/** A bundle's contents: English message to translated message. */
export type L10nContents = Readonly<Record<string, string>>;
/** What `t` fills in: positional (`{0}`, `{1}`) or named (`{name}`). */
export type L10nArgs = readonly (string | number | boolean)[] | [Readonly<Record<string, string | number | boolean>>];

let contents: L10nContents = {};

/** Uses this bundle from now on; undefined (or an empty bundle) means English. */
function configure(bundle: L10nContents | undefined): void {
  contents = bundle ?? {};
}

/** The bundle in use, to hand on (e.g. to a session worker). */
function bundle(): L10nContents {
  return contents;
}

/**
 * `message` in the configured language with its placeholders filled in. Call it with a string
 * literal: scripts/l10n-export.mjs collects the literals into l10n/bundle.l10n.json.
 */
function t(message: string, ...args: L10nArgs): string {
  const translated = Object.hasOwn(contents, message) ? contents[message] ?? message : message;
  return format(translated, args);
}

/** `{0}` and `{name}` replaced; a placeholder with no argument is left as it is. */
export function format(template: string, args: L10nArgs): string {
  if (args.length === 0) return template;
  const first = args[0];
  const named = args.length === 1 && typeof first === 'object' && first !== null ? first : undefined;
  return template.replace(/\{([^{}]+)\}/g, (whole, key: string) => {
    const value = named !== undefined ? (Object.hasOwn(named, key) ? named[key] : undefined) : (args as readonly unknown[])[Number(key)];
    return value === undefined || !/^\w+$/.test(key) ? whole : String(value);
  });
}

export const l10n = { t, configure, bundle };

/** `"a" and "b" and "c"`: the items joined by the display language's "and". */
export function andList(items: readonly string[]): string {
  return items.reduce((list, item) => l10n.t('{0} and {1}', list, item));
}

/**
 * The id of the page's data block (`<script type="application/json">`) that carries the bundle
 * to a webview: there before the webview's first line runs, so nothing is built in English first.
 */
export const L10N_ELEMENT_ID = 'websocket-debugger-l10n';
