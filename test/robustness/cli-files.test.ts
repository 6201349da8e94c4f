// Files on disk that misbehave, through `kubeglass check`: huge, binary, not UTF-8, CRLF + BOM,
// symlink loops, dangling links, named pipes, paths that do not exist. The command finishes, prints
// valid JSON with one clear diagnostic per odd file (or a line on stderr), and still reports the
// ordinary findings of the good files. Inputs are generated into a temporary folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from '../support/cli';

interface CliDiagnostic {
  file: string;
  range: { start: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

const GOOD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\n  labels: {debug: on}\n';

function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeglass-robust-'));
  const write = (name: string, data: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), data);
  };
  write('good.yaml', GOOD);
  write('crlf-bom.yaml', '\uFEFF' + GOOD.replace('good', 'crlf').replace(/\n/g, '\r\n'));
  write('latin1.yaml', Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: latin}\ndata:\n  k: caf'), Buffer.from([0xe9, 0x0a])]));
  const binary = Buffer.alloc(2048);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919 + 13) % 256;
  write('secrets.enc.yaml', binary);
  const big: string[] = [];
  let size = 0;
  for (let i = 0; size < 50 * 1024 * 1024; i++) {
    const doc = `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: big-${i}}\ndata: {key: value}\n`;
    big.push(doc);
    size += doc.length;
  }
  write('huge/all.yaml', big.join(''));
  write('nested/deeper/ok.yml', GOOD.replace('good', 'nested'));
  // A symlink loop (a folder linking to its parent), a dangling link and a named pipe.
  fs.symlinkSync('..', path.join(dir, 'nested', 'deeper', 'loop'));
  fs.symlinkSync(path.join(dir, 'gone.yaml'), path.join(dir, 'dangling.yaml'));
  spawnSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
  return dir;
}

test('kubeglass check on a folder of misbehaving files: finishes, valid JSON, one clear word per odd file', () => {
  const dir = workspace();
  try {
    const r = runCli(['check', dir, '--format', 'json']);
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    const diags = JSON.parse(r.stdout) as CliDiagnostic[];
    const byFile = new Map<string, string[]>();
    for (const d of diags) {
      const rel = path.relative(dir, d.file);
      byFile.set(rel, [...(byFile.get(rel) ?? []), `${d.range.start.line}:${d.range.start.character} ${d.severity} ${d.code}`]);
    }
    const coercion = (line: number) => [`${line}:18 error schema`, `${line}:18 warning yaml-type-coercion`].sort();
    assert.deepEqual(byFile.get('good.yaml')?.sort(), coercion(4));
    assert.deepEqual(byFile.get('crlf-bom.yaml')?.sort(), coercion(4), 'CRLF and BOM change nothing');
    assert.deepEqual(byFile.get(path.join('nested', 'deeper', 'ok.yml'))?.sort(), coercion(4), 'files beside a symlink loop are found once');
    assert.deepEqual(byFile.get('latin1.yaml'), ['4:8 warning yaml-warning']);
    assert.deepEqual(byFile.get('secrets.enc.yaml'), ['0:0 info not-text']);
    assert.deepEqual(byFile.get(path.join('huge', 'all.yaml')), ['0:0 info file-too-large']);
    // The loop is walked once, the dangling link and the pipe are skipped.
    const files = [...byFile.keys()].sort();
    assert.ok(!files.some((f) => f.includes('loop')), files.join());
    assert.ok(!files.includes('dangling.yaml') && !files.includes('pipe.yaml'), files.join());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('kubeglass check honours limits from .kubeglass.yaml', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeglass-limits-'));
  try {
    fs.writeFileSync(path.join(dir, '.kubeglass.yaml'), 'limits:\n  maxFileSize: 60\n');
    fs.writeFileSync(path.join(dir, 'a.yaml'), GOOD);
    const r = runCli(['check', dir, '--format', 'json']);
    const diags = JSON.parse(r.stdout) as CliDiagnostic[];
    assert.deepEqual(diags.map((d) => `${d.code}: ${d.message}`), [`file-too-large: File not analysed: ${GOOD.length} characters is more than the limit of 60 (setting kubeglass.limits.maxFileSize).`]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a path that does not exist is an IO error on stderr (exit 2), never a crash', () => {
  const r = runCli(['check', path.join(os.tmpdir(), 'kubeglass-no-such-dir', 'x.yaml')]);
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /no such file or directory/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
});
