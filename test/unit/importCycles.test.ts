// No module of src/ may import itself through others, in any layer: a cycle makes a module's
// exports undefined while the other one loads (whichever loads first), and it hides which of the
// two is the lower-level one. Type-only imports count too: they tie the modules just as much.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

// Tests run from out/test/unit; the sources are at the repository root.
const root = path.resolve(__dirname, '../../..');

/** Every .ts file under `dir`, as absolute paths. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** The relative modules `file` imports or re-exports (static, side-effect, dynamic and require). */
function localImports(file: string): string[] {
  // Comments may quote import lines; drop them first (a string holding "//" is not an import either).
  const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specifiers = [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1] as string);
  const resolved: string[] = [];
  for (const specifier of specifiers) {
    const base = path.resolve(path.dirname(file), specifier);
    const target = [`${base}.ts`, path.join(base, 'index.ts'), base].find((candidate) => candidate.endsWith('.ts') && existsSync(candidate));
    if (target !== undefined) resolved.push(target);
  }
  return resolved;
}

/** The first cycle found in `graph` (module -> modules it imports), as a path that ends where it starts. */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const done = new Set<string>();
  const onPath = new Map<string, number>();
  const trail: string[] = [];
  const visit = (node: string): string[] | undefined => {
    const at = onPath.get(node);
    if (at !== undefined) return [...trail.slice(at), node];
    if (done.has(node)) return undefined;
    onPath.set(node, trail.length);
    trail.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    trail.pop();
    onPath.delete(node);
    done.add(node);
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('import cycles', () => {
  it('the cycle finder reports a cycle with its path, and none in a tree', () => {
    const graph = new Map([['a', ['b']], ['b', ['c', 'd']], ['c', []], ['d', ['b']]]);
    assert.deepEqual(findCycle(graph), ['b', 'd', 'b']);
    assert.equal(findCycle(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]])), undefined);
  });

  it('the import reader sees static, type-only, re-export and side-effect imports', () => {
    const graph = new Map(sourceFiles(path.join(root, 'src')).map((file) => [file, localImports(file)]));
    const protocol = graph.get(path.join(root, 'src/shared/protocol.ts')) ?? [];
    for (const module of ['model', 'toWebview', 'fromWebview', 'schemas']) {
      assert.ok(protocol.includes(path.join(root, `src/shared/${module}.ts`)), module);
    }
    const schemas = graph.get(path.join(root, 'src/shared/schemas.ts')) ?? [];
    assert.ok(schemas.includes(path.join(root, 'src/shared/zod.ts')), "import './zod'");
  });

  it('no module of src/ imports itself through others', () => {
    const graph = new Map(sourceFiles(path.join(root, 'src')).map((file) => [file, localImports(file)]));
    assert.ok(graph.size > 50, `only ${graph.size} modules found under src/`);
    const cycle = findCycle(graph);
    assert.equal(cycle?.map((file) => path.relative(root, file)).join(' -> '), undefined);
  });
});
