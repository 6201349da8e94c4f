// Zero false alarms on real manifests: the whole shared corpus is analysed the way
// `kubeglass check <corpus>` does it (one workspace, default settings), and the error-level findings
// must be exactly those listed in
// - reviewed-findings.json: confirmed by hand as real problems of the source manifests, each with
//   the reason in Kubernetes terms;
// - known-false-alarms.json: errors that are wrong today, each with why and which check must change
//   (FIXME: remove the entry when the check is fixed; this test then fails until it is).
// A new error (a new false alarm, or a real problem nobody reviewed yet) and a lost one (a check
// that silently stopped finding something) both fail, listed with their messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../server/src/engine/workspace';
import { findManifestFiles, readText } from '../../server/src/host/files';
import { corpusDir } from '../support/paths';

interface Listed {
  file: string;
  code: string;
  /** 1-based line of the diagnostic's start. */
  line: number;
  reason: string;
}

function listed(name: string): Listed[] {
  const entries = JSON.parse(fs.readFileSync(path.join(__dirname, name), 'utf8')) as Listed[];
  for (const e of entries) {
    assert.ok(e.file && e.code && Number.isInteger(e.line) && e.reason && e.reason.length > 20, `${name}: incomplete entry ${JSON.stringify(e)}`);
    assert.ok(fs.existsSync(path.join(corpusDir, e.file)), `${name}: no such corpus file ${e.file}`);
  }
  return entries;
}

const key = (e: { file: string; code: string; line: number }) => `${e.file}:${e.line} ${e.code}`;

test('error-level findings on the corpus are exactly the reviewed ones (plus the known false alarms)', () => {
  const found = findManifestFiles([corpusDir]);
  assert.deepEqual(found.errors, []);
  const ws = new Workspace();
  ws.apply(found.files.map((f) => ({ uri: f.uri, text: readText(f.path) ?? '' })));

  const actual = new Map<string, string[]>();
  for (const f of found.files) {
    for (const d of ws.diagnostics(f.uri)) {
      if (d.severity !== 'error') continue;
      const k = key({ file: path.relative(corpusDir, f.path), code: d.code, line: ws.lineIndex(f.uri).position(d.start).line + 1 });
      actual.set(k, [...(actual.get(k) ?? []), d.message]);
    }
  }
  const expected = new Map<string, number>();
  for (const e of [...listed('reviewed-findings.json'), ...listed('known-false-alarms.json')]) expected.set(key(e), (expected.get(key(e)) ?? 0) + 1);

  const unexpected: string[] = [];
  const lost: string[] = [];
  for (const [k, messages] of actual) {
    const want = expected.get(k) ?? 0;
    if (messages.length > want) unexpected.push(`${k}: ${messages.slice(want).join(' | ')}`);
  }
  for (const [k, want] of expected) {
    const got = actual.get(k)?.length ?? 0;
    if (got < want) lost.push(`${k} (${want - got} of ${want})`);
  }
  const count = [...actual.values()].reduce((n, m) => n + m.length, 0);
  console.log(`corpus: ${found.files.length} files, ${count} error-level findings`);
  assert.deepEqual(
    { unexpected: unexpected.sort(), lost: lost.sort() },
    { unexpected: [], lost: [] },
    'unexpected: review each by hand (real problem: add it to reviewed-findings.json with the reason; false alarm: fix the check). lost: a check no longer finds a reviewed problem.',
  );
});
