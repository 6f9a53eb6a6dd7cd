// Builds the extension host bundle (Node), the webview bundle (browser), the command-line tool
// (dist/cli.js, plain Node) and, with --tests, transpiles the sources and tests one file per
// module into out/ for node's test runner and the extension-host integration suite.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');

/**
 * The bundled client libraries (ws, engine.io's XMLHttpRequest) get `http` and `https` through
 * src/core/proxyBypass.ts, so that an endpoint's "Bypass proxy" can skip VS Code's proxy
 * support; requests without its direct agent go through the modules unchanged.
 */
const proxyBypass = {
  name: 'proxy-bypass',
  setup(build) {
    build.onResolve({ filter: /^(node:)?https?$/ }, (args) =>
      args.importer.includes(`${path.sep}node_modules${path.sep}`)
        ? { path: args.path.replace(/^node:/, ''), namespace: 'proxy-bypass' }
        : undefined);
    build.onLoad({ filter: /.*/, namespace: 'proxy-bypass' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(path.join(root, 'src/core/proxyBypass.ts'))})`
        + `.withProxyBypass(require(${JSON.stringify(args.path)}));`,
      resolveDir: root,
      loader: 'js',
    }));
  },
};

/** What the two extension-host bundles share. */
const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  plugins: [proxyBypass],
  minify: production,
};

const host = {
  ...nodeBundle,
  entryPoints: [path.join(root, 'src/extension/extension.ts')],
  outfile: path.join(root, 'dist/extension.js'),
  // ws loads these optional native add-ons when present; they are not shipped.
  external: ['vscode', 'bufferutil', 'utf-8-validate'],
  // The Socket.IO 2 client is its own file, loaded only by connections that choose v2.
  define: { SOCKET_IO_V2_BUNDLE: JSON.stringify('./socketio-v2.js'), SOCKET_IO_SERVER_BUNDLE: JSON.stringify('./socketio-server.js') },
  // socket.io-client pins its own ws 8.x; one copy of ws in the bundle is enough.
  alias: { ws: path.join(root, 'node_modules/ws') },
  sourcemap: !production,
  logLevel: 'warning',
};

/**
 * A session worker's entry (src/core/worker/sessionWorker.ts): its own file beside
 * dist/extension.js, which starts it with `new Worker(...)`. The same proxy-bypass plugin, so
 * that "Bypass proxy" works the same in a worker.
 */
const sessionWorker = {
  ...nodeBundle,
  entryPoints: [path.join(root, 'src/core/worker/sessionWorker.ts')],
  outfile: path.join(root, 'dist/sessionWorker.js'),
  external: ['bufferutil', 'utf-8-validate'],
  alias: { ws: path.join(root, 'node_modules/ws') },
  sourcemap: !production,
  logLevel: 'warning',
};

/**
 * The decode worker (src/core/decoders/decodeWorker.ts): large binary messages are decoded there,
 * off the extension host's thread (src/core/decoders/orderedDecoding.ts starts it).
 */
const decodeWorker = {
  ...nodeBundle,
  plugins: [],
  entryPoints: [path.join(root, 'src/core/decoders/decodeWorker.ts')],
  outfile: path.join(root, 'dist/decodeWorker.js'),
  sourcemap: !production,
  logLevel: 'warning',
};

/** The Socket.IO server under Socket.IO mocks: its own file, loaded only when such a mock starts. */
const socketIoServer = {
  ...nodeBundle,
  plugins: [],
  entryPoints: [path.join(root, 'node_modules/socket.io/dist/index.js')],
  outfile: path.join(root, 'dist/socketio-server.js'),
  external: ['bufferutil', 'utf-8-validate'],
  logLevel: 'error',
};

const socketIoV2 = {
  ...nodeBundle,
  entryPoints: [path.join(root, 'node_modules/socket.io-client-v2/lib/index.js')],
  outfile: path.join(root, 'dist/socketio-v2.js'),
  external: ['bufferutil', 'utf-8-validate'],
  logLevel: 'error',
};

/**
 * The command-line tool runs in plain Node, where nothing patches http/https, so it needs no
 * proxy-bypass plugin. `run` drives Socket.IO endpoints too: the v4 client is bundled, the v2
 * client is the same separate file the extension loads.
 */
const cli = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  entryPoints: [path.join(root, 'src/cli/main.ts')],
  outfile: path.join(root, 'dist/cli.js'),
  banner: { js: '#!/usr/bin/env node' },
  external: ['bufferutil', 'utf-8-validate'],
  alias: { ws: path.join(root, 'node_modules/ws') },
  define: {
    SOCKET_IO_V2_BUNDLE: JSON.stringify('./socketio-v2.js'),
    CLI_VERSION: JSON.stringify(JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')).version),
    SOCKET_IO_SERVER_BUNDLE: JSON.stringify('./socketio-server.js'),
  },
  logLevel: 'warning',
};

const webview = {
  entryPoints: [path.join(root, 'src/webview/main.ts')],
  outfile: path.join(root, 'dist/webview.js'),
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'iife',
  // The production bundle gets a map beside it without a link to it: it stays out of the package
  // (.vscodeignore allows only the bundles) and lets `npm run bench -- --cpu-prof` name the
  // panel's minified functions by their source lines.
  sourcemap: production ? 'external' : true,
  minify: production,
  logLevel: 'warning',
};

/**
 * The web extension host's entry (package.json `browser`: vscode.dev, github.dev, code-server's
 * web worker). A web worker has no Node, so this bundle holds src/web and src/shared only; esbuild
 * fails the build if anything reaches for a Node module.
 */
const web = {
  entryPoints: [path.join(root, 'src/web/extension.ts')],
  outfile: path.join(root, 'dist/web/extension.js'),
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  // The web extension host loads a CommonJS module and supplies `vscode` itself.
  format: 'cjs',
  external: ['vscode'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

/** A mock server's panel: its own page, built from the same modules as the debugger's. */
const mockWebview = {
  ...webview,
  entryPoints: [path.join(root, 'src/webview/mockMain.ts')],
  outfile: path.join(root, 'dist/mockPanel.js'),
};

async function copyCodicons() {
  const from = path.join(root, 'node_modules/@vscode/codicons/dist');
  const to = path.join(root, 'dist/codicons');
  await mkdir(to, { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) {
    await cp(path.join(from, file), path.join(to, file));
  }
}

/**
 * dist/collection.schema.json, for `contributes.jsonValidation`: generated from the importer's
 * zod schemas (src/shared/collectionSchema.ts, bundled in memory and evaluated here).
 */
async function writeCollectionSchema() {
  const built = await esbuild.build({
    entryPoints: [path.join(root, 'src/shared/collectionSchema.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'warning',
  });
  const code = Buffer.from(built.outputFiles[0].contents).toString('base64');
  const { collectionJsonSchema } = await import(`data:text/javascript;base64,${code}`);
  await mkdir(path.join(root, 'dist'), { recursive: true });
  await writeFile(path.join(root, 'dist/collection.schema.json'), `${JSON.stringify(collectionJsonSchema(), null, 2)}\n`);
}

async function listTs(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      out.push(path.join(entry.parentPath, entry.name));
    }
  }
  return out;
}

async function buildTests() {
  await rm(path.join(root, 'out'), { recursive: true, force: true });
  const entryPoints = [
    ...(await listTs(path.join(root, 'src/shared'))),
    ...(await listTs(path.join(root, 'src/core'))),
    ...(await listTs(path.join(root, 'src/extension'))),
    ...(await listTs(path.join(root, 'src/cli'))),
    ...(await listTs(path.join(root, 'test'))),
  ];
  await esbuild.build({
    entryPoints,
    outdir: path.join(root, 'out'),
    outbase: root,
    bundle: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

if (watch) {
  const contexts = await Promise.all([host, sessionWorker, decodeWorker, webview, mockWebview, web, socketIoV2, socketIoServer, cli].map((options) => esbuild.context(options)));
  await copyCodicons();
  await writeCollectionSchema();
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching src/ for changes');
} else {
  await rm(path.join(root, 'dist'), { recursive: true, force: true });
  await Promise.all([esbuild.build(host), esbuild.build(sessionWorker), esbuild.build(decodeWorker), esbuild.build(webview), esbuild.build(mockWebview), esbuild.build(web), esbuild.build(socketIoV2), esbuild.build(socketIoServer), esbuild.build(cli), copyCodicons(), writeCollectionSchema()]);
  // So that ./dist/cli.js runs from a checkout too; npm sets the bit itself when it installs `bin`.
  await chmod(cli.outfile, 0o755);
  if (args.has('--tests')) await buildTests();
}
