// Localisation: src/shared/l10n.ts formats like vscode.l10n.t and falls back to English;
// l10n/bundle.l10n.json holds exactly the messages the source passes to l10n.t / vscode.l10n.t
// (scripts/l10n-export.mjs), and every translation has every message with the same placeholders.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { format, l10n } from '../../src/shared/l10n';
import { closeCodeMeaning } from '../../src/shared/closeMeaning';
import { describeClose } from '../../src/core/connectionErrors';
import { importCollection } from '../../src/shared/collections';
import { fileProblems } from '../../src/core/flows/flowFile';
import { compileMatch } from '../../src/shared/match';
import { resolveText } from '../../src/shared/variables';

interface Exporter {
  collectBundle(base?: string): { bundle: Record<string, string>; errors: string[] };
  messagesOf(fileName: string, text: string): { messages: string[]; errors: string[] };
  bundleText(bundle: Record<string, string>): string;
  bundleFile: string;
}

// Tests run from out/test/unit; the script and the bundles are in the source tree.
const root = path.resolve(__dirname, '../../..');
const l10nDir = path.join(root, 'l10n');
let exporter: Exporter;
before(async () => {
  exporter = (await import(pathToFileURL(path.join(root, 'scripts/l10n-export.mjs')).href)) as Exporter;
});

function readJson(file: string): Record<string, string> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
}

/** The placeholders of a message, sorted: `{0}`, `{name}`. */
function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[0]).sort();
}

describe('l10n: format and lookup', () => {
  after(() => l10n.configure(undefined));

  it('fills positional and named placeholders, and leaves the ones without an argument', () => {
    assert.equal(format('{0} of {1}', [3, 'ten']), '3 of ten');
    assert.equal(format('{1} before {0}', ['a', 'b']), 'b before a');
    assert.equal(format('Hello {name}', [{ name: 'Ada' }]), 'Hello Ada');
    assert.equal(format('{0} and {2}', ['x']), 'x and {2}');
    assert.equal(format('{{name}} stays', []), '{{name}} stays');
    assert.equal(format('true is {0}', [true]), 'true is true');
  });

  it('uses the configured bundle and falls back to English for a missing message', () => {
    l10n.configure({ 'Closed by server: {0} (clean)': 'Vom Server geschlossen: {0} (sauber)' });
    assert.equal(l10n.t('Closed by server: {0} (clean)', '1000'), 'Vom Server geschlossen: 1000 (sauber)');
    assert.equal(l10n.t('Not in the bundle {0}', 1), 'Not in the bundle 1');
    l10n.configure(undefined);
    assert.equal(l10n.t('Closed by server: {0} (clean)', '1000'), 'Closed by server: 1000 (clean)');
  });

  it('does not take inherited keys for translations', () => {
    l10n.configure({});
    assert.equal(l10n.t('constructor'), 'constructor');
    assert.equal(l10n.t('toString'), 'toString');
  });

  it('core and shared sentences follow the configured language (German bundle)', () => {
    l10n.configure(readJson(path.join(l10nDir, 'bundle.l10n.de.json')));
    const closed = describeClose(1000, '', true, { wasOpen: true, cancelled: false, failureCloseCode: undefined, sentClose: undefined, closeTimeoutMs: 1000, now: 0 });
    assert.match(closed, /^Vom Server geschlossen: 1000 Normal Closure \(sauber\)$/);
    assert.match(closeCodeMeaning(1001), /^1001 Going Away: /);
    assert.doesNotMatch(closeCodeMeaning(1001), /going away/);
    l10n.configure(undefined);
    assert.equal(closeCodeMeaning(1001), '1001 Going Away: the endpoint is going away (server shutting down, page closed)');
  });

  it('schema validation errors are looked up when the error is made, not when the schema is built', () => {
    const file = JSON.stringify({ format: 'websocket-debugger-collection', version: 3, name: 'C', endpoints: [{ name: 'A', url: 1 }] });
    const importError = (): string => {
      const result = importCollection(file, () => 'id');
      return result.ok ? '' : result.error;
    };
    l10n.configure(readJson(path.join(l10nDir, 'bundle.l10n.de.json')));
    assert.equal(importError(), 'endpoints[0].url: Zeichenkette erwartet');
    l10n.configure(undefined);
    assert.equal(importError(), 'endpoints[0].url: expected a string');
  });

  it('a flow file problem comes out in the configured language, and in English again after', () => {
    const text = JSON.stringify({
      format: 'websocket-debugger-collection',
      version: 3,
      name: 'C',
      endpoints: [{ name: 'A', url: 'ws://localhost:1' }],
      flows: [{ name: 'login', steps: [{ connect: 'B' }, { wait: -1 }] }],
    });
    l10n.configure(readJson(path.join(l10nDir, 'bundle.l10n.de.json')));
    assert.deepEqual(fileProblems(text).map((p) => p.message), [
      'Flow "login", Schritt 1, Feld "connect": unbekannter Endpunkt "B": Kein Endpunkt dieser Sammlung hat diesen Namen',
    ]);
    assert.match(fileProblems('{"flows": [').map((p) => p.message)[0] ?? '', /^Kein gültiges JSON: /);
    l10n.configure(undefined);
    assert.deepEqual(fileProblems(text).map((p) => p.message), [
      'Flow "login", step 1, field "connect": unknown endpoint "B": no endpoint of this collection has that name',
    ]);
  });

  it('match and variable errors come out in the configured language, and in English again after', () => {
    const errors = (): string[] => {
      const regex = compileMatch({ regex: '(' });
      const pong = compileMatch({ pong: 1 });
      const unknown = resolveText('{{a}} {{b}}', []);
      return [regex.ok ? '' : regex.error, pong.ok ? '' : pong.error, unknown.ok ? '' : unknown.error];
    };
    l10n.configure(readJson(path.join(l10nDir, 'bundle.l10n.de.json')));
    const [regex, pong, unknown] = errors();
    assert.match(regex ?? '', /^der reguläre Ausdruck lässt sich nicht kompilieren: /);
    assert.equal(pong, 'Zeichenkette erwartet (die Pong-Nutzdaten)');
    assert.equal(unknown, 'Unbekannte Variablen {{a}}, {{b}}: Definieren Sie sie in der aktiven Umgebung');
    l10n.configure(undefined);
    assert.deepEqual(errors().slice(1), ['expected a string (the pong payload)', 'Unknown variables {{a}}, {{b}}: define them in the active environment']);
  });
});

describe('l10n: the bundles', () => {
  it('collects literal messages of l10n.t and vscode.l10n.t, and refuses any other first argument', () => {
    const found = exporter.messagesOf('x.ts', [
      "l10n.t('one {0}', a);",
      'vscode.l10n.t(`two`);',
      "other.t('not ours');",
      'l10n.t(message);',
      "l10n.t(`three ${x}`);",
    ].join('\n'));
    assert.deepEqual(found.messages, ['one {0}', 'two']);
    assert.deepEqual(found.errors, ['x.ts:4: the message of l10n.t must be a string literal', 'x.ts:5: the message of l10n.t must be a string literal']);
  });

  it('l10n/bundle.l10n.json is current: every message in the source, nothing else (npm run l10n)', () => {
    const { bundle, errors } = exporter.collectBundle(root);
    assert.deepEqual(errors, []);
    assert.ok(Object.keys(bundle).length > 300, 'the host, core and webview strings are collected');
    assert.equal(readFileSync(exporter.bundleFile, 'utf8'), exporter.bundleText(bundle));
  });

  const translations = readdirSync(l10nDir).filter((name) => /^bundle\.l10n\.[\w-]+\.json$/.test(name));

  it('there is at least the German translation', () => {
    assert.ok(translations.includes('bundle.l10n.de.json'));
  });

  for (const name of translations) {
    it(`${name} translates every message, with the same placeholders`, () => {
      const english = readJson(path.join(l10nDir, 'bundle.l10n.json'));
      const translated = readJson(path.join(l10nDir, name));
      const missing = Object.keys(english).filter((key) => !Object.hasOwn(translated, key));
      const stale = Object.keys(translated).filter((key) => !Object.hasOwn(english, key));
      assert.deepEqual(missing, [], 'messages without a translation');
      assert.deepEqual(stale, [], 'translations of messages the source no longer has');
      const mismatched = Object.entries(translated).filter(([key, value]) => placeholders(key).join() !== placeholders(value).join());
      assert.deepEqual(mismatched, [], 'translations whose placeholders differ from the English');
      const empty = Object.entries(translated).filter(([key, value]) => value.trim() === '' && key.trim() !== '');
      assert.deepEqual(empty, [], 'empty translations');
    });
  }
});
