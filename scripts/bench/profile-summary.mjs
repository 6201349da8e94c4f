// Summarises a V8 CPU profile (`node --cpu-prof`): the functions with the most self time and the
// most inclusive time, as shares of the sampled total. Usage: node scripts/bench/profile-summary.mjs FILE [N]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfSamples = new Map();
for (const id of profile.samples) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
const total = profile.samples.length;
const label = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|server|scripts)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
const self = new Map();
const incl = new Map();
for (const [id, count] of selfSamples) {
  const n = byId.get(id);
  const l = label(n);
  self.set(l, (self.get(l) ?? 0) + count);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const cl = label(byId.get(cur));
    if (seen.has(cl)) continue;
    seen.add(cl);
    incl.set(cl, (incl.get(cl) ?? 0) + count);
  }
}
const show = (title, m) => {
  console.log(`${title} (of ${total} samples)`);
  for (const [l, c] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((100 * c) / total).toFixed(1).padStart(6)}%  ${l}`);
};
show('self', self);
show('inclusive', incl);
