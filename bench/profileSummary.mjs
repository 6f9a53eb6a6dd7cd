// `node bench/profileSummary.mjs FILE.cpuprofile [N]`: where a CPU profile's time went, as text:
// the share of (garbage collector), (program) and (idle), then the N functions (30 by default)
// with the most self time, and the N with the most total time (self plus what they called).
// For reading the profiles `npm run bench -- --only delay --cpu-prof DIR` writes.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profileSummary.mjs FILE.cpuprofile [N]');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8'));

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

// Each sample's time is the gap to the next sample.
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
}
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

const nameOf = (node) => {
  const f = node.callFrame;
  const where = f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};

const self = new Map();
const total = new Map();
for (const [id, us] of selfUs) {
  const name = nameOf(nodes.get(id));
  self.set(name, (self.get(name) ?? 0) + us);
  // Each name counted once per sample however deep it recurses.
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const n = nameOf(nodes.get(at));
    if (seen.has(n)) continue;
    seen.add(n);
    total.set(n, (total.get(n) ?? 0) + us);
  }
}

const pct = (us) => `${((us * 100) / totalUs).toFixed(1).padStart(5)} %`;
const msOf = (us) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
console.log(`${path.basename(file)}: ${(totalUs / 1e6).toFixed(2)} s sampled`);
for (const name of ['(idle)', '(program)', '(garbage collector)']) console.log(`  ${name.padEnd(22)} ${msOf(self.get(name) ?? 0)} ${pct(self.get(name) ?? 0)}`);
const list = (title, map) => {
  console.log(`\n${title}`);
  const rows = [...map].filter(([name]) => !['(idle)', '(root)'].includes(name)).sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [name, us] of rows) console.log(`  ${msOf(us)} ${pct(us)}  ${name}`);
};
list('self time', self);
list('total time', total);
