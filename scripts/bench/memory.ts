// Retained heap of the engine after indexing the generated 10,000-object workspace and computing
// every file's diagnostics (what the language server holds once it has published them), measured in
// this process: heapUsed after full garbage collections, minus the same before reading any file.
// Needs --expose-gc: node --expose-gc --import tsx scripts/bench/memory.ts [--objects 10000]
import * as fs from 'node:fs';
import { Workspace } from '../../server/src/engine/workspace';
import { report, workspaceOnDisk } from './support';

const args = process.argv.slice(2);
const objects = args.includes('--objects') ? Number(args[args.indexOf('--objects') + 1]) : 10000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function heapAfterGc(): number {
  for (let i = 0; i < 4; i++) gc!();
  return process.memoryUsage().heapUsed;
}

const { files } = workspaceOnDisk(objects);
const paths = files.map((f) => ({ file: f.file, uri: f.uri }));
// Warm the code paths on a small workspace first, so compiled code and lazily built tables (schemas,
// lookups) are in the baseline, not in the figure.
const warm = new Workspace();
warm.apply(paths.slice(0, 2).map((f) => ({ uri: f.uri, text: fs.readFileSync(f.file, 'utf8') })));
for (const f of paths.slice(0, 2)) warm.diagnostics(f.uri);
warm.apply(paths.slice(0, 2).map((f) => ({ uri: f.uri, removed: true as const })));

const baseline = heapAfterGc();
const ws = new Workspace();
ws.apply(paths.map((f) => ({ uri: f.uri, text: fs.readFileSync(f.file, 'utf8') })));
let diagnostics = 0;
for (const f of paths) diagnostics += ws.diagnostics(f.uri).length;
const retained = heapAfterGc() - baseline;
report({
  name: `retained heap after indexing ${objects} objects`,
  value: retained / (1024 * 1024),
  unit: 'MB',
  target: 60,
  note: `${ws.objectIndex.objectCount} objects, ${diagnostics} diagnostics cached; rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`,
});
// Keep the workspace alive until after the measurement.
if (ws.revision < 0) console.log(warm.revision);
