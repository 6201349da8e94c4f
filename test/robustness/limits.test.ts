// Pathological input through the engine: alias bombs, deep nesting, huge files and lines, binary
// data. Each finishes with a clear diagnostic (or a normal analysis) and never throws. Inputs are
// generated here, never committed. Time and memory bounds are generous ceilings that only an
// unbounded (exponential or quadratic) behaviour can cross, not performance measurements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, type AnalysisOptions } from '../../server/src/engine/workspace';
import { DEFAULT_LIMITS } from '../../server/src/engine/syntax/parse';
import { hoverAt } from '../../server/src/engine/ide/hover';
import { repoRoot } from '../support/paths';
import * as fs from 'node:fs';
import * as path from 'node:path';

const HEAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n';
const CEILING_MS = 60_000;

function analyse(text: string, options: Partial<AnalysisOptions> = {}) {
  const ws = new Workspace(options);
  const heapBefore = process.memoryUsage().heapUsed;
  const started = Date.now();
  ws.setFile('file:///x.yaml', text);
  const diagnostics = ws.diagnostics('file:///x.yaml');
  const ms = Date.now() - started;
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  assert.ok(ms < CEILING_MS, `took ${ms} ms`);
  return { ws, ms, heapGrowth, codes: diagnostics.map((d) => `${d.severity} ${d.code}`), diagnostics };
}

/** "Billion laughs": 9 levels of 9 aliases each, 9^9 strings if expanded. */
function billionLaughs(): string {
  const lines = ['  l0: &l0 "lol"'];
  for (let i = 1; i <= 9; i++) lines.push(`  l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
  return HEAD + 'data:\n  x: y\nbomb:\n' + lines.join('\n') + '\n';
}

test('alias bomb: refused after maxAliasCount expansions, with a visible limit diagnostic', () => {
  const r = analyse(billionLaughs());
  assert.deepEqual(r.codes, ['info yaml-limit']);
  assert.match(r.diagnostics[0]!.message, /Document not analysed: .*alias/i);
  assert.ok(r.heapGrowth < 200e6, `heap grew ${r.heapGrowth} bytes`);
});

test('alias limit is a setting: 3 aliases pass the default and fail a limit of 2', () => {
  const text = HEAD + 'data:\n  a: &a "x"\n  b: *a\n  c: *a\n  d: *a\n';
  assert.deepEqual(analyse(text).codes, []);
  assert.deepEqual(analyse(text, { limits: { ...DEFAULT_LIMITS, maxAliasCount: 2 } }).codes, ['info yaml-limit']);
});

test('10,000 nested flow sequences: refused up front by maxDepth', () => {
  const r = analyse(HEAD + 'data: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n');
  assert.deepEqual(r.codes, ['info yaml-limit']);
  assert.match(r.diagnostics[0]!.message, /nesting depth 10000 exceeds the limit of 200 \(setting kubeglass.limits.maxDepth\)/);
});

test('nesting just under maxDepth (flow and block) is analysed without exhausting the stack', () => {
  const depth = DEFAULT_LIMITS.maxDepth - 5;
  const flow = analyse(HEAD + 'x: ' + '{a: '.repeat(depth) + '1' + '}'.repeat(depth) + '\n');
  assert.ok(!flow.codes.some((c) => c.includes('yaml-limit') || c.includes('yaml-syntax')), flow.codes.join());
  const block = HEAD + 'x:\n' + Array.from({ length: depth / 2 }, (_, i) => ' '.repeat(2 * i + 2) + 'a:').join('\n') + ' 1\n';
  const b = analyse(block);
  assert.ok(!b.codes.some((c) => c.includes('yaml-limit') || c.includes('yaml-syntax')), b.codes.join());
});

test('a 50 MB manifest is not parsed: one information diagnostic naming the setting', () => {
  const doc = (i: number) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  key: value-${i}\n`;
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 50 * 1024 * 1024; i++) {
    const d = doc(i);
    parts.push(d);
    size += d.length;
  }
  const r = analyse(parts.join(''));
  assert.deepEqual(r.codes, ['info file-too-large']);
  assert.match(r.diagnostics[0]!.message, /more than the limit of 5242880 \(setting kubeglass.limits.maxFileSize\)/);
  assert.equal(r.ws.objects().length, 0);
  // No tree is built for a hover either.
  assert.equal(hoverAt(r.ws, 'file:///x.yaml', 100), undefined);
});

test('a 1 MB single line (a long value) and a 60,000-key flow mapping are analysed normally', () => {
  const long = analyse(HEAD + 'data:\n  k: ' + 'x'.repeat(1 << 20) + '\n');
  assert.deepEqual(long.codes, []);
  assert.equal((long.ws.objects()[0]!.raw.data as Record<string, string>).k.length, 1 << 20);
  const keys = Array.from({ length: 60_000 }, (_, i) => `k${i}: v`).join(', ');
  const wide = analyse(HEAD + 'data: {' + keys + ', k17: again}\n');
  // Duplicate detection is linear: the one repeated key among 60,000 is found.
  assert.deepEqual(wide.codes, ['error yaml-syntax']);
  assert.match(wide.diagnostics[0]!.message, /"k17" is already set/);
});

test('binary data with a .yaml name: one information diagnostic, not analysed', () => {
  const bytes = Buffer.alloc(4096);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
  const r = analyse(HEAD + bytes.toString('latin1'));
  assert.deepEqual(r.codes, ['info not-text']);
  // A PNG header (NUL bytes) too.
  assert.deepEqual(analyse('\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR').codes, ['info not-text']);
});

test('whitespace-only and empty files: nothing to report', () => {
  assert.deepEqual(analyse('').codes, []);
  assert.deepEqual(analyse('\n'.repeat(10_000)).codes, []);
  assert.deepEqual(analyse(' '.repeat(100_000)).codes, []);
  assert.deepEqual(analyse('---\n---\n...\n').codes, []);
});

test('the limit settings in package.json have the engine defaults', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties;
  assert.equal(props['kubeglass.limits.maxFileSize'].default, DEFAULT_LIMITS.maxFileSize);
  assert.equal(props['kubeglass.limits.maxAliasCount'].default, DEFAULT_LIMITS.maxAliasCount);
  assert.equal(props['kubeglass.limits.maxDepth'].default, DEFAULT_LIMITS.maxDepth);
});
