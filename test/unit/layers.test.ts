// The layers of src/ are enforced by the linter that `npm run check` runs (eslint.config.mjs):
// these tests lint small files placed (virtually) in each folder with the project's own config.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

// Tests run from out/test/unit; the config and the sources are at the repository root.
const root = path.resolve(__dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return result.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

describe('layers', () => {
  it('npm run check lints every layer of src', () => {
    const scripts = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
    assert.match(scripts.check, /eslint src\b/);
  });

  for (const dir of ['core', 'cli', 'shared', 'webview']) {
    it(`src/${dir} may not import vscode`, async () => {
      const found = await problems(`src/${dir}/probe.ts`, "import * as vscode from 'vscode';\nexport const api = vscode;\n");
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0], /^no-restricted-imports: .*never imports vscode/);
    });
  }

  it('src/core may not reach vscode through require() or import() either', async () => {
    const required = await problems('src/core/probe.ts', "export const api = require('vscode');\n");
    assert.ok(required.some((line) => /never uses vscode/.test(line)), required.join('\n'));
    const imported = await problems('src/core/probe.ts', "export const api = import('vscode');\n");
    assert.ok(imported.some((line) => /never uses vscode/.test(line)), imported.join('\n'));
  });

  it('src/core and src/cli may not import the VS Code layer or the webview', async () => {
    for (const [file, from] of [['src/core/probe.ts', '../extension/debuggerPanel'], ['src/cli/probe.ts', '../webview/main'], ['src/cli/probe.ts', '../extension/extension']]) {
      const found = await problems(file, `import { thing } from '${from}';\nexport const a = thing;\n`);
      assert.equal(found.length, 1, `${file} importing ${from}: ${found.join('\n')}`);
      assert.match(found[0], /does not import from src\/(extension|webview)/);
    }
  });

  it('src/shared and src/webview may not import Node modules or Node-side layers', async () => {
    assert.match((await problems('src/shared/probe.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n"))[0], /no Node modules/);
    assert.match((await problems('src/webview/probe.ts', "import fs from 'fs';\nexport const a = fs;\n"))[0], /no Node modules/);
    assert.match((await problems('src/shared/probe.ts', "import { Connection } from '../core/connection';\nexport const a = Connection;\n"))[0], /does not import from src\/core/);
    assert.match((await problems('src/webview/probe.ts', "import { Connection } from '../core/connection';\nexport const a = Connection;\n"))[0], /does not import from src\/core/);
  });

  it('src/web (the browser host) may use vscode and src/shared, never Node or the Node-side layers', async () => {
    assert.match((await problems('src/web/probe.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n"))[0], /no Node modules/);
    assert.match((await problems('src/web/probe.ts', "import { Connection } from '../core/connection';\nexport const a = Connection;\n"))[0], /does not import from src\/core/);
    assert.match((await problems('src/web/probe.ts', "import { activate } from '../extension/extension';\nexport const a = activate;\n"))[0], /does not import from src\/extension/);
    assert.match((await problems('src/extension/probe.ts', "import { WebPanel } from '../web/webPanel';\nexport const a = WebPanel;\n"))[0], /does not import from src\/web/);
    assert.deepEqual(await problems('src/web/probe.ts', "import * as vscode from 'vscode';\nimport { encodeBody } from '../shared/codecs';\nexport const a = [vscode, encodeBody];\n"), []);
  });

  it('what each layer may use passes', async () => {
    assert.deepEqual(await problems('src/core/probe.ts', "import { readFileSync } from 'node:fs';\nimport { WebSocket } from 'ws';\nimport { encodeText } from '../shared/codecs';\nexport const a = [readFileSync, WebSocket, encodeText];\n"), []);
    assert.deepEqual(await problems('src/cli/probe.ts', "import { Connection } from '../core/connection';\nimport { parseArgs } from 'node:util';\nexport const a = [Connection, parseArgs];\n"), []);
    assert.deepEqual(await problems('src/extension/probe.ts', "import * as vscode from 'vscode';\nimport { Connection } from '../core/connection';\nexport const a = [vscode, Connection];\n"), []);
  });
});
