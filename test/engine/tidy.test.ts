// Architecture invariants guarded by a test: the engine does no IO and knows nothing of editors;
// nothing imports the adapters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support/paths';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

const FORBIDDEN_IN_ENGINE = [/^vscode$/, /^vscode-languageserver/, /^vscode-languageclient/, /^(node:)?fs(\/|$)/, /^(node:)?child_process$/, /^(node:)?net$/, /^(node:)?http/, /^(node:)?crypto$/, /^(node:)?process$/];

test('engine/ imports nothing from vscode, LSP libraries, fs, child_process, net or crypto', () => {
  const offenders: string[] = [];
  for (const file of sources(path.join(repoRoot, 'server/src/engine'))) {
    for (const spec of importsOf(file)) {
      if (FORBIDDEN_IN_ENGINE.some((re) => re.test(spec))) offenders.push(`${path.relative(repoRoot, file)} imports ${spec}`);
      if (spec.includes('/lsp/') || spec.includes('/cli/') || spec.includes('/host/') || spec.includes('/protocol/')) offenders.push(`${path.relative(repoRoot, file)} imports adapter ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('nothing outside the CLI imports cli/, nothing outside the LSP adapter imports lsp/ (except the CLI lsp command)', () => {
  const offenders: string[] = [];
  for (const file of [...sources(path.join(repoRoot, 'server/src')), ...sources(path.join(repoRoot, 'client/src'))]) {
    const rel = path.relative(repoRoot, file);
    for (const spec of importsOf(file)) {
      if (spec.includes('/cli/') && !rel.startsWith('server/src/cli/')) offenders.push(`${rel} imports ${spec}`);
      if (spec.includes('/lsp/') && !rel.startsWith('server/src/lsp/') && !rel.startsWith('server/src/cli/')) offenders.push(`${rel} imports ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the client never imports the engine', () => {
  const offenders = sources(path.join(repoRoot, 'client/src')).flatMap((f) => importsOf(f).filter((s) => s.includes('engine')).map((s) => `${f}: ${s}`));
  assert.deepEqual(offenders, []);
});
