// Property-based fuzzing of the engine with fast-check, over real manifests from the shared corpus.
// Used by test/robustness/fuzz.test.ts (a short fixed-seed run) and scripts/fuzz.ts (`npm run fuzz`,
// a long run with any seed).
//
// A case takes one or two corpus files, applies mutations (text edits: cut at a byte, delete or
// duplicate a range or line, insert YAML punctuation, re-indent; value edits: delete, duplicate or
// retype a field, then write the documents back) and feeds every intermediate text through the
// engine's `setFile`, querying diagnostics, hovers, definitions, completions, symbols and lenses
// after each step. Properties:
// 1. nothing throws, and no check fails internally (`internal-error` findings are engine bugs);
// 2. every diagnostic range, related range and fix edit lies inside its document;
// 3. analysing a file finishes within `timeBoundMs`;
// 4. the same texts analysed twice from scratch give the same diagnostics, and the incremental
//    workspace after the edit sequence agrees with a fresh one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { Workspace, type EngineDiagnostic } from '../../server/src/engine/workspace';
import { parseFile } from '../../server/src/engine/syntax/parse';
import { hoverAt } from '../../server/src/engine/ide/hover';
import { definitionAt, referencesTo } from '../../server/src/engine/ide/navigation';
import { completionsAt } from '../../server/src/engine/ide/completion';
import { documentSymbols } from '../../server/src/engine/ide/symbols';
import { codeLenses } from '../../server/src/engine/ide/lenses';

export interface FuzzOptions {
  readonly seed: number;
  readonly runs: number;
  /** Corpus files larger than this (characters) are left out, to keep each case cheap. */
  readonly maxFileSize: number;
  readonly timeBoundMs: number;
  readonly corpusDir: string;
}

export interface FuzzReport {
  readonly seed: number;
  readonly cases: number;
  readonly failed: boolean;
  /** fast-check's report: the shrunk counterexample and the error. */
  readonly message: string;
}

/** Runs the properties; never throws (a failure is in the report). */
export function runFuzz(options: FuzzOptions): FuzzReport {
  const corpus = loadFuzzCorpus(options.corpusDir, options.maxFileSize);
  let cases = 0;
  const property = fc.property(caseArbitrary(corpus.length), (c) => {
    cases++;
    checkCase(corpus, c, options.timeBoundMs);
  });
  const details = fc.check(property, { seed: options.seed, numRuns: options.runs });
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance ?? '');
  return {
    seed: options.seed,
    cases,
    failed: details.failed,
    message: details.failed ? `${fc.defaultReportMessage(details) ?? 'failed'}\n${error}` : '',
  };
}

export interface CorpusFile {
  readonly name: string;
  readonly text: string;
}

export function loadFuzzCorpus(dir: string, maxSize: number): CorpusFile[] {
  const out: CorpusFile[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml(\.sed)?$/.test(e.name)) {
        const text = fs.readFileSync(p, 'utf8');
        if (text.length <= maxSize) out.push({ name: path.relative(dir, p), text });
      }
    }
  };
  walk(dir);
  return out;
}

type TextMutation =
  | { readonly kind: 'cut'; readonly at: number }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'duplicate-line'; readonly line: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'reindent'; readonly line: number; readonly delta: number };

type ValueMutation =
  | { readonly kind: 'delete-field'; readonly pick: number }
  | { readonly kind: 'duplicate-field'; readonly pick: number }
  | { readonly kind: 'retype-field'; readonly pick: number; readonly value: unknown };

type Mutation = TextMutation | ValueMutation;

interface Edit {
  /** Which of the case's files (0 or 1) the mutation applies to. */
  readonly slot: number;
  readonly mutation: Mutation;
}

export interface FuzzCase {
  readonly files: readonly number[];
  readonly edits: readonly Edit[];
  /** Offsets (taken modulo the text length) for hovers, definitions and completions. */
  readonly cursors: readonly number[];
}

const PUNCTUATION = [':', '-', ' ', '  ', '\n', '\t', '{', '}', '[', ']', ',', '"', "'", '#', '&a', '*a', '!', '|', '>', '---', '...', '? ', '%', '@', '`', '\\', '~', 'on', '0755', '1e3', '<<: *a', '{{ .Values.x }}', '\r\n', '\uFEFF', '\u0000', '\uFFFD', 'é'];

const scalarValue = fc.oneof(
  fc.integer({ min: -70000, max: 70000 }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('on', 'off', 'yes', '0755', '1e3', '~', '', 'None', 'TCP', 'ClusterIP', 'app', '80', 'http', '*', '-1', '1.5Gi', 'x'.repeat(300)),
);
const anyValue = fc.oneof(
  { weight: 4, arbitrary: scalarValue },
  { weight: 1, arbitrary: fc.array(scalarValue, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('name', 'port', 'app', 'matchLabels', 'selector', 'x'), scalarValue, { maxKeys: 3 }) },
);

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.array(fc.constantFrom(...PUNCTUATION), { minLength: 1, maxLength: 4 }).map((a) => a.join('')) }),
  fc.record({ kind: fc.constant('reindent' as const), line: fc.nat(), delta: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant('delete-field' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-field' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('retype-field' as const), pick: fc.nat(), value: anyValue }),
);

function caseArbitrary(corpusSize: number): fc.Arbitrary<FuzzCase> {
  const file = fc.integer({ min: 0, max: Math.max(0, corpusSize - 1) });
  return fc.record({
    files: fc.array(file, { minLength: 1, maxLength: 2 }),
    edits: fc.array(fc.record({ slot: fc.integer({ min: 0, max: 1 }), mutation: mutationArbitrary }), { minLength: 1, maxLength: 4 }),
    cursors: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
  });
}

/** Applies a case step by step, checking the properties; throws an Error describing a violation. */
export function checkCase(corpus: readonly CorpusFile[], c: FuzzCase, timeBoundMs: number): void {
  const uris = c.files.map((_, i) => `file:///fuzz/${i}/${corpus[c.files[i]!]!.name}`);
  const texts = c.files.map((f) => corpus[f]!.text);
  const ws = new Workspace();
  ws.apply(uris.map((uri, i) => ({ uri, text: texts[i]! })));
  inspect(ws, uris, c.cursors, timeBoundMs);
  for (const edit of c.edits) {
    const slot = edit.slot % texts.length;
    texts[slot] = mutate(texts[slot]!, edit.mutation);
    ws.setFile(uris[slot]!, texts[slot]!);
    inspect(ws, uris, c.cursors, timeBoundMs);
  }
  // Incremental == from scratch == from scratch again.
  const fresh = () => {
    const w = new Workspace();
    w.apply(uris.map((uri, i) => ({ uri, text: texts[i]! })));
    return uris.map((uri) => w.diagnostics(uri).map(comparable));
  };
  const incremental = uris.map((uri) => ws.diagnostics(uri).map(comparable));
  const first = fresh();
  const second = fresh();
  expectEqual(second, first, 'analysing the same texts twice gave different diagnostics');
  expectEqual(incremental, first, 'the incremental workspace disagrees with a fresh analysis of the same texts');
}

function inspect(ws: Workspace, uris: readonly string[], cursors: readonly number[], timeBoundMs: number): void {
  for (const uri of uris) {
    const started = Date.now();
    const diagnostics = ws.diagnostics(uri);
    const elapsed = Date.now() - started;
    if (elapsed > timeBoundMs) throw new Error(`diagnostics of ${uri} took ${elapsed} ms (bound ${timeBoundMs} ms)`);
    const length = ws.text(uri)!.length;
    for (const d of diagnostics) {
      if (d.code === 'internal-error') throw new Error(`a check failed internally on ${uri}: ${d.message}`);
      inside(ws, d, d.uri === uri ? length : -1, `diagnostic ${d.code}`);
      for (const r of d.related) inside(ws, r, ws.text(r.uri)?.length ?? -1, `related information of ${d.code}`);
      for (const f of d.fixes) for (const e of f.edits) inside(ws, e, ws.text(e.uri)?.length ?? -1, `fix "${f.title}" of ${d.code}`);
    }
    documentSymbols(ws, uri);
    codeLenses(ws, uri);
    for (const cursor of cursors) {
      const offset = length === 0 ? 0 : cursor % (length + 1);
      hoverAt(ws, uri, offset);
      completionsAt(ws, uri, offset);
      const at = ws.objectAt(uri, offset);
      if (at) {
        definitionAt(ws, at.object, at.path);
        referencesTo(ws, at.object);
      }
    }
  }
}

function inside(ws: Workspace, span: { uri: string; start: number; end: number }, length: number, what: string): void {
  const ok = length >= 0 && Number.isInteger(span.start) && Number.isInteger(span.end) && 0 <= span.start && span.start <= span.end && span.end <= length;
  if (!ok) throw new Error(`${what} has range ${span.start}-${span.end} outside ${span.uri} (${length} characters${ws.hasFile(span.uri) ? '' : ', not in the workspace'})`);
}

function comparable(d: EngineDiagnostic) {
  return {
    uri: d.uri,
    start: d.start,
    end: d.end,
    severity: d.severity,
    code: d.code,
    message: d.message,
    related: d.related.map((r) => `${r.uri}:${r.start}-${r.end} ${r.message}`),
    fixes: d.fixes.map((f) => `${f.title}: ${f.edits.map((e) => `${e.uri}:${e.start}-${e.end}=${e.newText}`).join('; ')}`),
  };
}

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a === e) return;
  let i = 0;
  while (i < a.length && a[i] === e[i]) i++;
  throw new Error(`${what}\n  got:      …${a.slice(Math.max(0, i - 150), i + 250)}\n  expected: …${e.slice(Math.max(0, i - 150), i + 250)}`);
}

/** One mutation of a file's text. Positions are taken modulo the text's size. */
export function mutate(text: string, m: Mutation): string {
  const lines = () => text.split('\n');
  switch (m.kind) {
    case 'cut':
      return text.slice(0, m.at % (text.length + 1));
    case 'delete': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + m.length);
    }
    case 'duplicate-line': {
      const ls = lines();
      const i = m.line % ls.length;
      ls.splice(i, 0, ls[i]!);
      return ls.join('\n');
    }
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'reindent': {
      const ls = lines();
      const i = m.line % ls.length;
      const line = ls[i]!;
      ls[i] = m.delta >= 0 ? ' '.repeat(m.delta) + line : line.replace(new RegExp(`^ {0,${-m.delta}}`), '');
      return ls.join('\n');
    }
    default:
      return mutateValues(text, m);
  }
}

/** Value mutations: decode the documents, change one field, write the documents back as YAML. */
function mutateValues(text: string, m: ValueMutation): string {
  const file = parseFile('file:///fuzz.yaml', text);
  const values = file.documents.map((d) => d.value);
  const paths: { doc: number; path: (string | number)[] }[] = [];
  values.forEach((v, doc) => collectPaths(v, [], (p) => paths.push({ doc, path: p })));
  if (paths.length === 0) return text;
  const target = paths[m.pick % paths.length]!;
  const parent = target.path.length === 0 ? undefined : getAt(values[target.doc], target.path.slice(0, -1));
  const key = target.path[target.path.length - 1];
  if (parent === undefined || key === undefined || typeof parent !== 'object' || parent === null) return text;
  const container = parent as Record<string | number, unknown>;
  if (m.kind === 'delete-field') {
    if (Array.isArray(container) && typeof key === 'number') container.splice(key, 1);
    else delete container[key];
  } else if (m.kind === 'retype-field') {
    container[key] = m.value;
  } else if (Array.isArray(container) && typeof key === 'number') {
    container.splice(key, 0, structuredClone(container[key]));
  } else {
    // A duplicated key cannot live in a decoded object: write the entry twice in the text.
    const out = values.map((v) => stringify(v ?? null, { lineWidth: 0 })).join('---\n');
    const entry = `${String(key)}: ${JSON.stringify(container[key] ?? null)}\n`;
    const line = out.split('\n').findIndex((l) => l.trimStart().startsWith(`${String(key)}:`));
    if (line < 0) return out;
    const ls = out.split('\n');
    const indent = /^ */.exec(ls[line]!)![0];
    ls.splice(line, 0, indent + entry.trimEnd());
    return ls.join('\n');
  }
  return values.map((v) => stringify(v ?? null, { lineWidth: 0 })).join('---\n');
}

function collectPaths(value: unknown, prefix: (string | number)[], out: (p: (string | number)[]) => void): void {
  if (prefix.length > 12) return;
  if (Array.isArray(value)) value.forEach((v, i) => (out([...prefix, i]), collectPaths(v, [...prefix, i], out)));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) (out([...prefix, k]), collectPaths(v, [...prefix, k], out));
}

function getAt(value: unknown, p: readonly (string | number)[]): unknown {
  let cur = value;
  for (const step of p) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[step];
  }
  return cur;
}
