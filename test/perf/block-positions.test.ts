// Positions without whole-file trees must be the positions the `yaml` library's tree of the whole
// file gives: spans read from block-style text (syntax/block-locate.ts) equal `locatePath` for every
// path of every document wherever the block reader answers (unknown ends are allowed, a wrong start
// or end is not), and the path at an offset from its one document parsed alone (Workspace.objectAt)
// equals `pathAtOffset` over the whole file. Checked on the generated benchmark workspace, every
// corpus file, and hand-written shapes at the edges of the subset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Document } from 'yaml';
import { TreeCache, locatePath, pathAtOffset, type PathAtOffset } from '../../server/src/engine/syntax/source-map';
import { locateInBlockText, pathAtInBlockText } from '../../server/src/engine/syntax/block-locate';
import { parseFile, parseYamlDocuments, DEFAULT_LIMITS, type FieldPath, type ParsedFile } from '../../server/src/engine/syntax/parse';
import { generateWorkspace } from './generated-workspace';
import { corpusYamlFiles } from '../support/paths';

/** Every path of a value (maps and sequences descended), the root included, and a few that do not exist. */
function pathsOf(value: unknown, limit = 400): FieldPath[] {
  const out: FieldPath[] = [];
  const walk = (v: unknown, p: (string | number)[]) => {
    if (out.length >= limit) return;
    out.push(p);
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, [...p, i]));
      out.push([...p, v.length], [...p, 'name']);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
      out.push([...p, 'no-such-field'], [...p, 0]);
    } else {
      out.push([...p, 'below-a-scalar']);
    }
  };
  walk(value, []);
  return out;
}

interface Counts {
  answered: number;
  asked: number;
}

interface Tally extends Counts {
  /** Of the offsets: how often the block reader answered. */
  readonly offsets: Counts;
}

/** Checks both kinds of positions in one file (without problems: the workspace uses neither otherwise). */
function checkFile(name: string, text: string, tally: Tally, offsets = true): void {
  const file = parseFile('file:///x.yaml', text, DEFAULT_LIMITS);
  if (file.problems.length > 0) return;
  const whole = parseYamlDocuments(text, DEFAULT_LIMITS).docs as Document.Parsed[];
  checkBlockSpans(name, file, whole, tally);
  if (offsets) checkOffsets(name, file, whole, tally.offsets);
}

/** Compares every answer of the block reader with the tree's; counts how often it answered. */
function checkBlockSpans(name: string, file: ParsedFile, docs: readonly Document.Parsed[], tally: Tally): void {
  const { text } = file;
  for (const d of file.documents) {
    for (const p of pathsOf(d.value)) {
      tally.asked++;
      const fast = locateInBlockText(text, d.start, d.end, p);
      if (!fast) continue;
      tally.answered++;
      const tree = locatePath(docs, d.index, p);
      const agrees =
        tree !== undefined &&
        fast.exact === tree.exact &&
        (['key', 'value'] as const).every((part) => fast[part].start === tree[part].start && (fast[part].end === undefined || fast[part].end === tree[part].end));
      if (!agrees) assert.deepStrictEqual(fast, tree, `${name}: document ${d.index}, path ${JSON.stringify(p)}`);
    }
  }
}

/** The same answer as the whole file's `pathAtOffset`, in document `docIndex`. */
function samePathAt(at: { path: readonly (string | number)[]; onKey: boolean; span: { start: number; end: number } }, docIndex: number, reference: PathAtOffset | undefined): boolean {
  return (
    reference !== undefined &&
    reference.docIndex === docIndex &&
    at.onKey === reference.onKey &&
    at.span.start === reference.span.start &&
    at.span.end === reference.span.end &&
    at.path.length === reference.path.length &&
    at.path.every((seg, i) => seg === reference.path[i])
  );
}

/** `pathAtOffset` from the document holding the offset, parsed alone, as Workspace.objectAt asks it. */
function checkOffsets(name: string, file: ParsedFile, whole: readonly Document.Parsed[], tally: Counts): void {
  const { text } = file;
  const cache = new TreeCache(4);
  // Each line's first two characters and its end: where a cursor lands on a key or after a value.
  const offsets: number[] = [];
  for (let ls = 0; ls <= text.length; ) {
    const nl = text.indexOf('\n', ls);
    const le = nl < 0 ? text.length : nl;
    let first = ls;
    while (first < le && text.charCodeAt(first) === 0x20) first++;
    offsets.push(first, Math.min(first + 1, le), le);
    ls = le + 1;
  }
  for (const offset of offsets) {
    const doc = file.documents.find((d) => offset >= d.start && offset <= d.end);
    if (!doc || doc.value === undefined) continue;
    const tree = cache.document('file:///x.yaml', text, doc.index);
    if (!tree) continue;
    const single = pathAtOffset([tree], offset);
    const reference = pathAtOffset(whole, offset);
    const read = pathAtInBlockText(text, doc.start, doc.end, offset);
    tally.asked++;
    if (read) {
      tally.answered++;
      if (!samePathAt(read, doc.index, reference)) assert.deepStrictEqual({ ...read, docIndex: doc.index }, reference, `${name}: block text, offset ${offset}`);
    }
    const agrees = single !== undefined && samePathAt(single, doc.index, reference);
    if (!agrees) assert.deepStrictEqual(single && { ...single, docIndex: doc.index }, reference, `${name}: offset ${offset}`);
  }
}

test('positions without whole-file trees equal whole-file positions: generated workspace', () => {
  const tally = { answered: 0, asked: 0, offsets: { answered: 0, asked: 0 } };
  for (const f of generateWorkspace(300)) checkFile(f.path, f.text, tally);
  assert.ok(tally.answered / tally.asked > 0.95, `answered ${tally.answered} of ${tally.asked}`);
  // A third of the offsets are a line's first character, where it never answers.
  assert.ok(tally.offsets.answered / tally.offsets.asked > 0.4, `answered ${tally.offsets.answered} of ${tally.offsets.asked} offsets`);
});

test('positions without whole-file trees equal whole-file positions: corpus', () => {
  const tally = { answered: 0, asked: 0, offsets: { answered: 0, asked: 0 } };
  for (const f of corpusYamlFiles()) {
    const text = readFileSync(f, 'utf8');
    if (text.length > 300_000) continue; // the largest files add time, not cases
    checkFile(f, text, tally, text.length < 20_000);
  }
  assert.ok(tally.answered / tally.asked > 0.8, `answered ${tally.answered} of ${tally.asked}`);
});

test('positions without whole-file trees equal whole-file positions: shapes at the edges of the subset', () => {
  const shapes = [
    'a:\n  b: 1   # c\n  c:\n    - x\n    - y: 1\n      z:\n  d: "q" \n\ne:\n- 1\n- 2\n# end\n',
    '---\nf: {g: 1}\nh: |\n  text\n  more\n\ni: j\n',
    'a:\n  b: 1\n  # comment\n\n  c: 2 # x\n\n# top\nd:\n- a\n\n- b   \n  # more\ne: f\nz:   \ny: # c\nw: "q"\nv:\n',
    "k: 'it''s' # c\nq: \"a\\\"b\"\nm: a b  c\nn: http://x:80/y\n'quoted key': 1\n\"dq\": 2\nyes: 3\n~: 4\n0x1F: 5\n",
    'multi: first\n  second\nafter: 1\nflow: [a,\n  b]\nlast: 2\n',
    'list:\n-   name: a\n    image: b\n-   name: c\nempty:\n-\n  x: 1\nnested:\n- - 1\n  - 2\n',
    'anchor: &a {x: 1}\nalias: *a\ntag: !!str 1\nblock: >-\n  folded\n  text\nkeyed:\n  scalar on next line\n',
    '# lead\n\n--- # marker\nroot: 1\n...\n',
    '- a\n- b: 1\n  c: 2\n- [x, y]\n',
  ];
  const tally = { answered: 0, asked: 0, offsets: { answered: 0, asked: 0 } };
  shapes.forEach((text, i) => checkFile(`shape ${i}`, text, tally));
  assert.ok(tally.answered > 0);
});
