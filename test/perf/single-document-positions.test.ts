// Positions from one document parsed alone (TreeCache.document: its text sliced out, ranges moved by its offset) must be
// the positions the whole file's trees give, for every path of every document, in the generated
// benchmark workspace and in every corpus file the direct reader reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Document } from 'yaml';
import { TreeCache, locatePath } from '../../server/src/engine/syntax/source-map';
import { parseYamlDocuments, DEFAULT_LIMITS, type FieldPath } from '../../server/src/engine/syntax/parse';
import { readDirect } from '../../server/src/engine/syntax/direct-reader';
import { generateWorkspace } from './generated-workspace';
import { corpusYamlFiles } from '../support/paths';

/** Every path of a value (maps and sequences descended), the root included, at most `limit`. */
function pathsOf(value: unknown, limit = 400): FieldPath[] {
  const out: FieldPath[] = [];
  const walk = (v: unknown, p: (string | number)[]) => {
    if (out.length >= limit) return;
    out.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
  };
  walk(value, []);
  out.push(['no-such-field'], ['spec', 'no-such-field', 0]);
  return out;
}

function checkFile(name: string, text: string): boolean {
  const direct = readDirect(text);
  if (!direct) return false;
  const whole = parseYamlDocuments(text, DEFAULT_LIMITS).docs as Document.Parsed[];
  const cache = new TreeCache(4);
  direct.forEach((d, i) => {
    const single: Document.Parsed[] = [];
    single[i] = cache.document('file:///x.yaml', text, i)!;
    for (const p of pathsOf(d.value)) {
      assert.deepStrictEqual(locatePath(single, i, p), locatePath(whole, i, p), `${name}: document ${i}, path ${JSON.stringify(p)}`);
    }
  });
  return true;
}

test('single-document positions equal whole-file positions: generated workspace', () => {
  for (const f of generateWorkspace(300)) assert.ok(checkFile(f.path, f.text));
});

test('single-document positions equal whole-file positions: corpus', () => {
  let checked = 0;
  for (const f of corpusYamlFiles()) {
    const text = readFileSync(f, 'utf8');
    if (text.length > 300_000) continue; // the largest files add time, not cases
    if (checkFile(f, text)) checked++;
  }
  assert.ok(checked > 1500, `only ${checked} corpus files checked`);
});
