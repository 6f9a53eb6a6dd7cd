// Collects every message the extension shows through `vscode.l10n.t(...)` (the host) or
// `l10n.t(...)` (src/shared/l10n.ts: core, shared, the web host and the webview) into l10n/bundle.l10n.json,
// the English bundle translators start from; VS Code picks l10n/bundle.l10n.<language>.json.
// Written with the TypeScript parser rather than @vscode/l10n-dev: we already depend on
// TypeScript, and this way a message that is not a plain literal is an error naming the file and
// line instead of a string silently missing from the bundle.
//
// Usage: node scripts/l10n-export.mjs          writes l10n/bundle.l10n.json
//        node scripts/l10n-export.mjs --check  exits 1 when that file is not current
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const bundleFile = path.join(root, 'l10n', 'bundle.l10n.json');
export const sourceDirs = ['src/shared', 'src/core', 'src/extension', 'src/web', 'src/webview'];

/** Is this call `l10n.t(...)` or `vscode.l10n.t(...)`? */
function isTranslateCall(node) {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
  const callee = node.expression;
  if (callee.name.text !== 't') return false;
  const owner = callee.expression;
  return (ts.isIdentifier(owner) && owner.text === 'l10n')
    || (ts.isPropertyAccessExpression(owner) && owner.name.text === 'l10n' && ts.isIdentifier(owner.expression) && owner.expression.text === 'vscode');
}

/** The messages of one source text, and the calls whose message is not a literal. */
export function messagesOf(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const messages = [];
  const errors = [];
  const visit = (node) => {
    if (isTranslateCall(node)) {
      const first = node.arguments[0];
      if (first !== undefined && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
        messages.push(first.text);
      } else {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        errors.push(`${fileName}:${line + 1}: the message of l10n.t must be a string literal`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { messages, errors };
}

/** Every message in the source tree, sorted, as the English bundle's contents. */
export function collectBundle(base = root) {
  const all = new Set();
  const errors = [];
  for (const dir of sourceDirs) {
    for (const entry of readdirSync(path.join(base, dir), { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
      const file = path.join(entry.parentPath, entry.name);
      const found = messagesOf(path.relative(base, file), readFileSync(file, 'utf8'));
      for (const message of found.messages) all.add(message);
      errors.push(...found.errors);
    }
  }
  const bundle = Object.fromEntries([...all].sort().map((message) => [message, message]));
  return { bundle, errors };
}

/** The file's text for these contents (stable, so a diff shows what changed). */
export function bundleText(bundle) {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { bundle, errors } = collectBundle();
  if (errors.length > 0) {
    for (const error of errors) console.error(error);
    process.exit(1);
  }
  const text = bundleText(bundle);
  if (process.argv.includes('--check')) {
    let current = '';
    try { current = readFileSync(bundleFile, 'utf8'); } catch { /* missing: not current */ }
    if (current !== text) {
      console.error('l10n/bundle.l10n.json is not current: run `npm run l10n` and commit it (then translate the new strings in l10n/bundle.l10n.de.json)');
      process.exit(1);
    }
    console.log(`l10n/bundle.l10n.json is current (${Object.keys(bundle).length} messages)`);
  } else {
    writeFileSync(bundleFile, text);
    console.log(`wrote l10n/bundle.l10n.json (${Object.keys(bundle).length} messages)`);
  }
}
