// Type-aware lint rules for the TypeScript sources; the tsc passes in `npm run check` do the types.
//
// The layers of src/ (see CONTRIBUTING.md), each with one rule enforced here:
//   src/shared     pure code for both sides: no Node, no `vscode`, no DOM-only or host-only layer
//   src/core       Node, never `vscode`: sessions, log pipeline, collections, recorder, servers
//   src/extension  the thin VS Code layer over core and shared
//   src/webview    DOM, never Node or `vscode`
//   src/cli        the command-line tool: Node, never `vscode`
//   src/web        the web extension host (a browser's web worker): `vscode` and src/shared, never Node
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/** Never set server data as HTML; shared by every layer's no-restricted-syntax list. */
const NO_HTML = [
  { selector: "MemberExpression[property.name='innerHTML']", message: 'Render server data with textContent, never innerHTML.' },
  { selector: "MemberExpression[property.name='outerHTML']", message: 'Render server data with textContent, never outerHTML.' },
  { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: 'Render server data with DOM nodes, never HTML strings.' },
];

/** `require('vscode')` and `import('vscode')`, which no-restricted-imports does not see. */
const NO_DYNAMIC_VSCODE = (layer) => [
  { selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']", message: `${layer} never uses vscode.` },
  { selector: "ImportExpression[source.value='vscode']", message: `${layer} never uses vscode.` },
];

const layerDirs = (names) => names.map((name) => ({
  group: [`**/${name}`, `**/${name}/**`, `../${name}/*`],
  message: `This layer does not import from src/${name}.`,
}));

/** One block per layer: which modules and which other layers its files may not import. */
function layer(dir, { vscode, node, layers, what }) {
  const paths = [];
  if (!vscode) paths.push({ name: 'vscode', message: `${what} never imports vscode: keep VS Code calls in src/extension.` });
  const patterns = layerDirs(layers);
  if (!node) patterns.push({ group: NODE_BUILTINS, message: `${what} runs outside Node: no Node modules here.` });
  return {
    files: [`src/${dir}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { paths, patterns }],
      'no-restricted-syntax': ['error', ...NO_HTML, ...(vscode ? [] : NO_DYNAMIC_VSCODE(what))],
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.vscode-test/', 'test-results/'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'off',
      eqeqeq: ['error', 'always'],
      'no-restricted-syntax': ['error', ...NO_HTML],
    },
  },
  layer('shared', { vscode: false, node: false, layers: ['core', 'extension', 'webview', 'cli', 'web'], what: 'src/shared (pure code)' }),
  layer('core', { vscode: false, node: true, layers: ['extension', 'webview', 'cli', 'web'], what: 'src/core' }),
  layer('extension', { vscode: true, node: true, layers: ['webview', 'cli', 'web'], what: 'src/extension' }),
  layer('webview', { vscode: false, node: false, layers: ['core', 'extension', 'cli', 'web'], what: 'src/webview (DOM code)' }),
  layer('cli', { vscode: false, node: true, layers: ['extension', 'webview', 'web'], what: 'src/cli' }),
  layer('web', { vscode: true, node: false, layers: ['core', 'extension', 'webview', 'cli'], what: 'src/web (the browser host)' }),
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
