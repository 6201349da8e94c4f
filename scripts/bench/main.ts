// `npm run bench`: every performance figure with its target and PASS/MISS. Each part runs in its own
// process (the memory figure needs --expose-gc and a clean heap; the LSP parts start servers), and
// the driver prints a summary with the machine it ran on (figures on a loaded machine are noisy:
// the load average is printed with them). Options: --only cold,lsp,memory,simulate,topology;
// --no-build (the LSP part runs the bundled server, built here first by default).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format, repoRoot, type Figure } from './support';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : undefined;
const wanted = (part: string) => only === undefined || only.includes(part);
const tsx = ['--import', 'tsx'];

const parts: Array<{ name: string; argv: string[] }> = [
  { name: 'cold', argv: [...tsx, 'scripts/bench/cold.ts'] },
  { name: 'lsp', argv: [...tsx, 'scripts/bench/lsp.ts'] },
  { name: 'memory', argv: ['--expose-gc', ...tsx, 'scripts/bench/memory.ts'] },
  { name: 'simulate', argv: [...tsx, 'scripts/bench/simulate.ts'] },
];
const topologyScript = path.join(repoRoot, 'scripts', 'bench-topology.mjs');

function machine(): string {
  return `${os.cpus().length} CPUs (nproc ${os.availableParallelism()}), node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`;
}

const figures: Figure[] = [];
function run(name: string, argv: string[]): void {
  console.log(`\n== ${name}: node ${argv.join(' ')}  [${machine()}]`);
  const r = spawnSync(process.execPath, argv, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  for (const line of (r.stdout ?? '').split('\n')) {
    if (line.startsWith('BENCH ')) figures.push(JSON.parse(line.slice(6)) as Figure);
    else if (line.trim()) console.log(line);
    // The topology script's own summary line: "first paint X ms, layout done Y ms (...)".
    const topology = /^bench-topology: first paint (\d+(?:\.\d+)?) ms, layout done (\d+(?:\.\d+)?) ms/.exec(line);
    if (topology) {
      figures.push({ name: 'topology: 2,000 pods laid out and painted (headless Chromium)', value: Number(topology[2]), unit: 'ms', target: 1500, note: `first paint ${topology[1]} ms` });
    }
  }
  if (r.status !== 0) {
    console.log(`${name} failed (exit ${r.status}): ${(r.stderr ?? '').slice(-3000)}`);
    figures.push({ name: `${name} (failed)`, value: NaN, unit: '', target: 0 });
  }
}

if (wanted('lsp') && !args.includes('--no-build')) {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
}
for (const part of parts) if (wanted(part.name)) run(part.name, part.argv);
if (wanted('topology')) {
  if (fs.existsSync(topologyScript)) run('topology', [topologyScript]);
  else console.log(`\n== topology: ${path.relative(repoRoot, topologyScript)} does not exist yet; no figure`);
}

console.log(`\n== summary  [${machine()}]`);
for (const f of figures) {
  const verdict = f.target === undefined ? '    ' : f.value <= f.target ? 'PASS' : 'MISS';
  const target = f.target === undefined ? '' : `  (target <= ${format(f.target)} ${f.unit})`;
  console.log(`${verdict}  ${f.name}: ${format(f.value)} ${f.unit}${target}${f.note ? `  - ${f.note}` : ''}`);
}
