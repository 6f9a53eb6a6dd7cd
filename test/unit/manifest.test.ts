// package.json against what it names: every %key% has its English and German string, the
// translations keep the links and setting references, menus and keybindings name contributed
// commands, when-clauses use only our context keys and the workbench's, and every file the
// manifest points at exists and is shipped (.vscodeignore is an allow-list).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

const root = path.resolve(__dirname, '../../..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');
const manifestText = read('package.json');
const manifest = JSON.parse(manifestText) as {
  contributes: {
    commands: { command: string; title: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    keybindings: { command: string; key: string; when?: string }[];
    configuration: { properties: Record<string, { type: string; scope?: string }> };
    walkthroughs: { steps: { media: { markdown: string }; completionEvents: string[]; description: string }[] }[];
    jsonValidation: { url: string }[];
  };
  icon: string;
};
const english = JSON.parse(read('package.nls.json')) as Record<string, string>;
const german = JSON.parse(read('package.nls.de.json')) as Record<string, string>;

/** Context keys of the workbench the manifest may read besides ours. */
const WORKBENCH_KEYS = new Set(['view', 'viewItem', 'activeWebviewPanelId', 'workspaceFolderCount']);
/** Our keys: src/extension/contextKeys.ts (read as text; it needs `vscode` to load). */
const OUR_KEYS = new Set([...read('src/extension/contextKeys.ts').matchAll(/'(websocketDebugger\.\w+)'/g)].map((m) => m[1]!));

describe('package.json', () => {
  test('every %key% has an English and a German string, and no string is unused', () => {
    const used = new Set([...manifestText.matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]!));
    assert.ok(used.size > 40, `the manifest's strings are localised (${used.size} keys)`);
    assert.deepEqual([...used].filter((key) => !(key in english)), [], 'keys missing from package.nls.json');
    assert.deepEqual(Object.keys(english).filter((key) => !used.has(key)), [], 'unused keys in package.nls.json');
    assert.deepEqual(Object.keys(german).sort(), Object.keys(english).sort(), 'package.nls.de.json has the same keys');
  });

  test('the German strings keep the command links, setting references and code of the English ones', () => {
    const kept = (text: string) => [...text.matchAll(/\(command:[\w.]+\)|#[\w.]+#|`[^`]+`/g)].map((m) => m[0]).sort();
    for (const [key, value] of Object.entries(english)) {
      assert.deepEqual(kept(german[key]!), kept(value), key);
      if (value !== 'WebSocket' && value !== 'WebSocket Debugger') assert.notEqual(german[key], value, `${key} is translated`);
    }
  });

  test('menus and keybindings name contributed commands; when-clauses read only known context keys', () => {
    const commands = new Set(manifest.contributes.commands.map((c) => c.command));
    const entries = [...Object.values(manifest.contributes.menus).flat(), ...manifest.contributes.keybindings];
    for (const entry of entries) {
      assert.ok(commands.has(entry.command), `${entry.command} is contributed`);
      for (const key of (entry.when ?? '').match(/[A-Za-z][\w.]*/g) ?? []) {
        if (key === 'true' || key === 'false') continue;
        assert.ok(OUR_KEYS.has(key) || WORKBENCH_KEYS.has(key) || key === 'websocketDebugger.panel' || /^(endpoint|workspaceEndpoint|collection|flow|mockServer|mockDefinition|websocketDebugger\.endpoints)$/.test(key), `${entry.command}: "${key}" in "${entry.when}" is a known context key`);
      }
    }
    for (const event of manifest.contributes.walkthroughs.flatMap((w) => w.steps.flatMap((s) => s.completionEvents))) {
      const onContext = /^onContext:(.+)$/.exec(event);
      if (onContext) assert.ok(OUR_KEYS.has(onContext[1]!), `${event} is one of our keys`);
      const onCommand = /^onCommand:(.+)$/.exec(event);
      if (onCommand) assert.ok(commands.has(onCommand[1]!), `${event} is contributed`);
    }
  });

  test('the walkthrough steps\' buttons run contributed commands', () => {
    const commands = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const text of Object.values(english)) {
      for (const [, command] of text.matchAll(/\(command:([\w.]+)/g)) assert.ok(commands.has(command!), command);
    }
  });

  test('counts are integers and every setting has a scope', () => {
    const properties = manifest.contributes.configuration.properties;
    for (const [key, property] of Object.entries(properties)) assert.ok(property.scope, `${key} has a scope`);
    for (const key of ['handshakeTimeout', 'logCapacity', 'reconnect.maxAttempts']) {
      assert.equal(properties[`websocketDebugger.${key}`]!.type, 'integer', key);
    }
  });

  test('the files the manifest points at exist and are shipped', () => {
    const allowed = read('.vscodeignore').split('\n').filter((line) => line.startsWith('!')).map((line) => line.slice(1));
    const shipped = (file: string) =>
      allowed.some((pattern) => new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`).test(file));
    const media = manifest.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.markdown));
    for (const file of [manifest.icon, ...media, 'package.nls.json', 'package.nls.de.json']) {
      assert.ok(existsSync(path.join(root, file)), `${file} exists`);
      assert.ok(shipped(file), `${file} is in the .vscodeignore allow-list`);
    }
    // Generated by scripts/build.mjs, so it is checked as shipped, not as present in a checkout.
    for (const { url } of manifest.contributes.jsonValidation) assert.ok(shipped(url.replace(/^\.\//, '')), url);
  });

  test('vsce ls lists exactly what ships, once the bundles are built', () => {
    // The list the marketplace package is made of; a new shipped file is a decision, so it is named
    // here. Source maps, sources, tests, the CLI and node_modules stay out.
    const expected = [
      'CHANGELOG.md', 'LICENSE', 'README.md', 'package.json', 'package.nls.json', 'package.nls.de.json',
      'l10n/bundle.l10n.de.json',
      'dist/extension.js', 'dist/sessionWorker.js', 'dist/decodeWorker.js', 'dist/webview.js', 'dist/mockPanel.js',
      'dist/socketio-v2.js', 'dist/socketio-server.js', 'dist/web/extension.js', 'dist/collection.schema.json',
      'dist/codicons/codicon.css', 'dist/codicons/codicon.ttf',
      'media/icon.png', 'media/activity-icon.svg', 'media/panel-icon.svg', 'media/panel.css',
      ...manifest.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.media.markdown)),
    ];
    const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
    const listed = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
      .split('\n').map((line) => line.trim()).filter((line) => line !== '');
    assert.deepEqual([...listed].sort(), [...expected].sort());
  });

  test('the icon is the 256 px one', () => {
    const png = readFileSync(path.join(root, manifest.icon));
    assert.equal(png.readUInt32BE(16), 256, 'width');
    assert.equal(png.readUInt32BE(20), 256, 'height');
  });
});
