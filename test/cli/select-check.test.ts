// The CLI contract of `select` and `check` (output formats, exit codes) on the bundled examples and
// on small workspaces written by the tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../support/cli';

function tempWorkspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeglass-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test('select lists the objects and workloads whose labels match, sorted', () => {
  const r = runCli(['select', 'app=web,tier in (frontend)', 'examples/']);
  assert.equal(r.status, 0, r.stderr);
  // examples/shop/web.yaml: the Deployment (labels and template) and the Service carry app=web,tier=frontend.
  assert.equal(r.stdout, 'Deployment/shop/web\nService/shop/web\n');
});

test('select honours -n and --kind, and matches pod template labels', () => {
  const dir = tempWorkspace({
    'a.yaml': [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: api, namespace: one}',
      'spec: {selector: {matchLabels: {app: api}}, template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c, image: x}]}}}',
      '---', 'apiVersion: v1', 'kind: Pod', 'metadata: {name: p, namespace: two, labels: {app: api}}', 'spec: {containers: [{name: c, image: x}]}',
      '---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: c, labels: {app: api}}', '',
    ].join('\n'),
  });
  assert.equal(runCli(['select', 'app=api', dir]).stdout, 'ConfigMap/default/c\nDeployment/one/api\nPod/two/p\n');
  assert.equal(runCli(['select', 'app=api', dir, '-A']).stdout, 'ConfigMap/default/c\nDeployment/one/api\nPod/two/p\n');
  assert.equal(runCli(['select', 'app=api', dir, '-n', 'two']).stdout, 'Pod/two/p\n');
  assert.equal(runCli(['select', 'app', dir, '--kind', 'deployment']).stdout, 'Deployment/one/api\n');
  // The Deployment object itself carries no labels (only its pod template does).
  assert.equal(runCli(['select', '!app', dir]).stdout, 'Deployment/one/api\n');
});

test('select exits 1 with a message for an invalid selector, 2 for usage errors', () => {
  const bad = runCli(['select', 'a in (b', 'examples/']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /invalid selector "a in \(b"/);
  assert.equal(runCli(['select']).status, 2);
  assert.equal(runCli(['select', 'a=b', '-n', 'x', '-A']).status, 2);
  assert.equal(runCli(['select', 'a=b', '--bogus']).status, 2);
  assert.equal(runCli(['frobnicate']).status, 2);
});

test('check: compiler-style text, JSON contract, exit codes', () => {
  const dir = tempWorkspace({
    'ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n',
    'broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n',
    '.github/workflows/ci.yml': 'on: [push\n',
  });
  const text = runCli(['check', dir], { cwd: dir });
  assert.equal(text.status, 1, text.stderr);
  assert.match(text.stdout, /^broken\.yaml:4:9: error yaml-syntax: /m);
  assert.doesNotMatch(text.stdout, /ci\.yml/);

  const json = runCli(['check', '--format', 'json', 'broken.yaml'], { cwd: dir });
  assert.equal(json.status, 1);
  const parsed = JSON.parse(json.stdout);
  assert.ok(Array.isArray(parsed) && parsed.length >= 1);
  const d = parsed[0];
  assert.deepEqual(Object.keys(d).sort(), ['code', 'file', 'message', 'range', 'related', 'severity']);
  assert.equal(d.file, 'broken.yaml');
  assert.deepEqual(d.range.start, { line: 3, character: 8 });
  assert.equal(d.severity, 'error');
  assert.equal(d.code, 'yaml-syntax');
  assert.deepEqual(d.related, []);

  const clean = runCli(['check', 'ok.yaml', '--format', 'json'], { cwd: dir });
  assert.equal(clean.status, 0);
  assert.deepEqual(JSON.parse(clean.stdout), []);

  const sarif = JSON.parse(runCli(['check', '--format', 'sarif', 'broken.yaml'], { cwd: dir }).stdout);
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0].results[0].ruleId, 'yaml-syntax');
  assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine, 4);

  assert.equal(runCli(['check', 'no/such/path']).status, 2);
  assert.equal(runCli(['check', '--format', 'xml', dir]).status, 2);
});

test('explain prints the hover card at file:line:col (1-based)', () => {
  // examples/shop/web.yaml line 40 is `      targetPort: http`; column 19 is inside `http`.
  const r = runCli(['explain', 'examples/shop/web.yaml:40:19']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /:80\/TCP → pod:http\*\*/);
  assert.match(r.stdout, /container `web` port `http` 8080\/TCP/);
  assert.match(r.stdout, /\*\*FIELD:\*\* targetPort/);
  assert.equal(runCli(['explain', 'examples/shop/web.yaml']).status, 2);
});
