// Quick figure: cold analysis of a generated workspace vs yaml.parseAllDocuments of the same bytes.
import { parseAllDocuments } from 'yaml';
import { generateWorkspace } from './gen-workspace';
import { Workspace } from '../../server/src/engine/workspace';

const n = Number(process.argv[2] ?? 10000);
const files = generateWorkspace(n);
const bytes = files.reduce((s, f) => s + Buffer.byteLength(f.text), 0);
function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}
const yamlMs = Math.min(...[0, 1, 2].map(() => time(() => { for (const f of files) parseAllDocuments(f.text); })));
let ws!: Workspace;
const analysisMs = Math.min(...[0, 1, 2].map(() => time(() => {
  ws = new Workspace();
  ws.apply(files.map((f) => ({ uri: 'file:///bench/' + f.path, text: f.text })));
  for (const f of files) ws.diagnostics('file:///bench/' + f.path);
})));
const diags = files.reduce((s, f) => s + ws.diagnostics('file:///bench/' + f.path).length, 0);
console.log(`${n} objects, ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB: yaml ${yamlMs.toFixed(0)} ms, analysis ${analysisMs.toFixed(0)} ms, ratio ${(analysisMs / yamlMs).toFixed(2)}x, ${diags} diagnostics`);
