// Cold analysis: read every file, parse, index, resolve every reference and compute all diagnostics,
// against `yaml`'s parseAllDocuments of the same bytes in the same process (rounds interleaved, the
// fastest of each kept, so load on the machine hits both sides alike).
// Usage: node --import tsx scripts/bench/cold.ts [--objects 10000] [--large 50000 (0: skip)] [--no-corpus]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { Workspace } from '../../server/src/engine/workspace';
import { format, now, report, workspaceOnDisk } from './support';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const objects = option('--objects', 10000);
const large = option('--large', 50000);
const rounds = 3;

interface Files {
  readonly label: string;
  readonly files: ReadonlyArray<{ readonly file: string; readonly uri: string }>;
}

/** Reads, analyses and asks every file's diagnostics; returns ms and the number of diagnostics. */
function analyse(set: Files): { ms: number; diagnostics: number; objects: number } {
  const start = now();
  const ws = new Workspace();
  ws.apply(set.files.map((f) => ({ uri: f.uri, text: fs.readFileSync(f.file, 'utf8') })));
  let diagnostics = 0;
  for (const f of set.files) diagnostics += ws.diagnostics(f.uri).length;
  return { ms: now() - start, diagnostics, objects: ws.objectIndex.objectCount };
}

function yamlParse(texts: readonly string[]): number {
  const start = now();
  for (const t of texts) parseAllDocuments(t);
  return now() - start;
}

function compare(set: Files, n = rounds): { yamlMs: number; analysisMs: number; diagnostics: number; objects: number; bytes: number } {
  const texts = set.files.map((f) => fs.readFileSync(f.file, 'utf8'));
  const bytes = texts.reduce((s, t) => s + Buffer.byteLength(t), 0);
  let yamlMs = Infinity;
  let analysisMs = Infinity;
  let last = { diagnostics: 0, objects: 0 };
  for (let i = 0; i < n; i++) {
    yamlMs = Math.min(yamlMs, yamlParse(texts));
    const a = analyse(set);
    analysisMs = Math.min(analysisMs, a.ms);
    last = a;
  }
  console.log(`  ${set.label}: ${set.files.length} files, ${(bytes / 1e6).toFixed(2)} MB, ${last.objects} objects, ${last.diagnostics} diagnostics; yaml.parseAllDocuments ${format(yamlMs)} ms, analysis ${format(analysisMs)} ms`);
  return { yamlMs, analysisMs, ...last, bytes };
}

function corpusFiles(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) corpusFiles(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

const base = workspaceOnDisk(objects);
const small = compare({ label: `${objects} objects`, files: base.files });
report({ name: `cold analysis, ${objects} objects / yaml.parseAllDocuments`, value: small.analysisMs / small.yamlMs, unit: 'x', target: 1.0, note: `${format(small.analysisMs)} ms vs ${format(small.yamlMs)} ms` });

if (large > 0) {
  const big = workspaceOnDisk(large);
  const b = compare({ label: `${large} objects`, files: big.files }, 2);
  report({ name: `cold analysis, ${large} objects / ${objects} objects`, value: b.analysisMs / small.analysisMs, unit: 'x', target: 5.5, note: `${format(b.analysisMs)} ms vs ${format(small.analysisMs)} ms (${format(b.analysisMs / b.yamlMs)}x its yaml parse)` });
}

if (!args.includes('--no-corpus')) {
  const corpus = path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus');
  const files = corpusFiles(corpus).map((file) => ({ file, uri: pathToFileURL(file).href }));
  if (files.length > 0) {
    const c = compare({ label: 'shared/corpus', files });
    report({ name: 'cold analysis, shared/corpus', value: c.analysisMs, unit: 'ms', note: `${format(c.analysisMs / c.yamlMs)}x yaml.parseAllDocuments (${format(c.yamlMs)} ms), ${files.length} files, ${c.objects} objects` });
  }
}
