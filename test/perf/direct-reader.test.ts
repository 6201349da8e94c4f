// The direct reader is a fast path: whenever it answers, the answer must be exactly the `yaml`
// library's (values, document ranges, no problems). Checked on the generated benchmark workspace,
// on every corpus file and on random text built from the constructs where readers disagree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments, visit, isCollection, isScalar, type Document, type Node, type Pair } from 'yaml';
import { readDirect } from '../../server/src/engine/syntax/direct-reader';
import { parseFile, yamlParseOptions, DEFAULT_LIMITS } from '../../server/src/engine/syntax/parse';
import { generateWorkspace } from './generated-workspace';
import { corpusDir } from '../support/paths';

/**
 * The library's reading of `text`, or undefined when parse.ts would report any problem: errors,
 * warnings, aliases, duplicate or collection keys, a document that is not a mapping.
 */
function libraryReading(text: string) {
  const docs = parseAllDocuments(text, yamlParseOptions(DEFAULT_LIMITS)) as unknown as Document.Parsed[];
  if (docs.some((d) => d.errors.length > 0 || d.warnings.length > 0 || hasKeyProblem(d))) return undefined;
  const reading = docs.map((d, index) => ({ index, start: d.range[0], end: d.range[2], value: d.toJS() ?? undefined, hasErrors: false }));
  if (reading.some((d) => d.value !== undefined && (typeof d.value !== 'object' || Array.isArray(d.value)))) return undefined;
  return reading;
}

/** An alias, a duplicate key or a collection as a key (what parse.ts reports besides the library's errors). */
function hasKeyProblem(doc: Document.Parsed): boolean {
  let found = false;
  visit(doc, {
    Alias() {
      found = true;
      return visit.BREAK;
    },
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items as Pair[]) {
        const key = pair.key as Node | null;
        if (isCollection(key)) found = true;
        else if (isScalar(key) && key.value !== '<<') {
          const id = `${typeof key.value}:${String(key.value)}`;
          if (seen.has(id)) found = true;
          seen.add(id);
        }
      }
      return found ? visit.BREAK : undefined;
    },
  });
  return found;
}

function checkSame(text: string, name: string): boolean {
  const fast = readDirect(text);
  if (fast === undefined) return false;
  assert.deepStrictEqual(fast, libraryReading(text), `${name}: the direct reader disagrees with the library\n${text}`);
  return true;
}

function corpusFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) corpusFiles(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

test('the generated benchmark workspace is read directly, as the library reads it', () => {
  for (const f of generateWorkspace(600)) assert.ok(checkSame(f.text, f.path), `${f.path} needed the full parser`);
});

test('corpus files read directly are read as the library reads them, and most are', () => {
  const files = corpusFiles(corpusDir);
  let direct = 0;
  for (const f of files) if (checkSame(readFileSync(f, 'utf8'), f)) direct++;
  // 1766 of 1886 when written; the rest use multi-line plain scalars, CR line ends, anchors...
  assert.ok(direct >= 0.9 * files.length, `only ${direct} of ${files.length} corpus files were read directly`);
});

test('parseFile gives the same documents through either reader', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {on: yes}}\ndata:\n  k: |\n    x\n---\n';
  const viaReader = parseFile('file:///a.yaml', text);
  assert.deepStrictEqual(viaReader.documents, libraryReading(text));
  assert.deepStrictEqual(viaReader.problems, []);
});

// Pieces chosen where a reader could go wrong: YAML 1.1 words, Go numbers, indicators, comments,
// quotes and escapes, flow collections (also over several lines), multi-line scalars, block
// scalars with chomping and blank lines, markers.
const scalarWords = ['[a,\n  b]', '{a: 1,\n b: 2}', '[a, # c\n b]', '[\n]', '[a,]', '[,a]', '{a: 1,}', '[a b,\n c d]', 'x\n  y', "'q\n  r'", '"d\n  e\\\n f"', '[? a]', '{? a}', '[- a]', '{a: [b, {c: d}]}', '[*a]', '- - x', '...', 'a', 'on', 'Off', 'yes', 'N', '~', 'null', '', '0755', '0x1F', '1e3', '1_000', '-.inf', '.NaN', '.5', '1:20', '2024-01-01', '08', '+12', '-0', '99999999999999999999', 'true', 'http://x:8080/p', 'a#b', 'a #b', 'a: b', 'x:', '-x', '- x', '?x', '&a', '*a', '!t', '%x', '@x', '<<', 'constructor', '__proto__', 'a b  ', "'q'", "'it''s'", '"d"', '"e\\n\\"x\\u00e9"', '"bad\\q"', '"open', '[a, b]', '[]', '{}', '{a: 1, b: [x]}', '{a: }', '[a: b]', '[a, b', '{"k": v}', '|', '|-', '>+', '>', '|2', '| # c', '|#c'];
const keyWords = ['a', 'b', 'on', 'yes', '~', '1', '1.0', '0755', '"q"', "'s'", '"a": ', '<<', 'constructor', 'a b', 'a#b', '- a', '? a', 'k:v', '-k'];
const line = fc.oneof(
  fc.tuple(fc.nat(6), fc.constantFrom(...keyWords), fc.constantFrom(': ', ':', ' : '), fc.constantFrom(...scalarWords), fc.constantFrom('', ' # c', '  #c', '#c')).map(([i, k, c, v, t]) => ' '.repeat(i) + k + c + v + t),
  fc.tuple(fc.nat(6), fc.constantFrom(...scalarWords), fc.constantFrom('', ' # c')).map(([i, v, t]) => ' '.repeat(i) + '- ' + v + t),
  fc.tuple(fc.nat(6), fc.constantFrom(...keyWords), fc.constantFrom(...scalarWords)).map(([i, k, v]) => ' '.repeat(i) + '- ' + k + ': ' + v),
  fc.tuple(fc.nat(8), fc.constantFrom('text', 'more text', '# not a comment', '  indented', '')).map(([i, v]) => ' '.repeat(i) + v),
  fc.constantFrom('---', '--- # c', '---x', '...', '# comment', '', '   ', '-', '- ', 'a:', '  -', '%YAML 1.1'),
);
const texts = fc.tuple(fc.array(line, { maxLength: 14 }), fc.boolean()).map(([lines, finalNewline]) => lines.join('\n') + (finalNewline ? '\n' : ''));

test('random text: the direct reader either gives up or agrees with the library', () => {
  let answered = 0;
  fc.assert(
    fc.property(texts, (text) => {
      if (checkSame(text, 'random')) answered++;
    }),
    { numRuns: 4000, seed: 20261122 },
  );
  assert.ok(answered > 200, `the random texts exercised the reader only ${answered} times`);
});

// Structured random documents (valid YAML by construction) so that deep nesting is exercised too.
const leaf = fc.constantFrom(...scalarWords.filter((w) => !/^[|>]/.test(w)));
const tree: fc.Arbitrary<string[]> = fc.letrec<{ node: string[] }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.array(fc.tuple(fc.constantFrom(...keyWords), fc.oneof(leaf.map((v) => [v]), tie('node'))), { minLength: 1, maxLength: 4 }).map((entries) =>
      entries.flatMap(([k, v]) => (v.length === 1 && !v[0]!.startsWith(' ') && !v[0]!.startsWith('-') && !v[0]!.includes(': ') ? [`${k}: ${v[0]}`] : [`${k}:`, ...v.map((l) => '  ' + l)])),
    ),
    fc.array(fc.oneof(leaf.map((v) => [v]), tie('node')), { minLength: 1, maxLength: 3 }).map((items) => items.flatMap((v) => ['- ' + (v[0] ?? ''), ...v.slice(1).map((l) => '  ' + l)])),
    fc.tuple(fc.constantFrom('|', '|-', '|+', '>', '>-', '>+'), fc.array(fc.constantFrom('x', 'y z', '', '  more', '# h'), { minLength: 1, maxLength: 4 })).map(([h, ls]) => [`k: ${h}`, ...ls.map((l) => (l === '' ? '' : '  ' + l))]),
  ),
})).node;

test('random nested documents: the direct reader either gives up or agrees with the library', () => {
  let answered = 0;
  fc.assert(
    fc.property(fc.array(tree, { minLength: 1, maxLength: 3 }), (docs) => {
      if (checkSame(docs.map((d) => d.join('\n') + '\n').join('---\n'), 'nested')) answered++;
    }),
    { numRuns: 3000, seed: 7 },
  );
  assert.ok(answered > 300, `the nested documents exercised the reader only ${answered} times`);
});

// Text from the characters and pieces that decide YAML structure, for shapes no list above names.
const piece = fc.constantFrom('a', 'b', ' ', '  ', '\n', '\n  ', '\n    ', ': ', ':', '- ', '-', '#', ' #', '[', ']', '{', '}', ', ', ',', "'", '"', '|', '>', '?', '&', '*', '!', '\\', '---\n', '...', '1', '0x', '.', '~', 'on', '<<', '+');

test('random pieces: the direct reader either gives up or agrees with the library', () => {
  let answered = 0;
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
      if (checkSame(pieces.join(''), 'pieces')) answered++;
    }),
    { numRuns: 20000, seed: 11 },
  );
  assert.ok(answered > 2000, `the random pieces exercised the reader only ${answered} times`);
});
