// Field path <-> range on real manifests: for every scalar of every object in a sample of corpus files,
// the range found for its path covers exactly the scalar's text, and the path found at that range's
// start is the same path (round trip).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../../server/src/engine/workspace';
import { corpusDir } from '../../support/paths';

function corpusFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  walk(corpusDir);
  return out.sort();
}

function* scalars(value: unknown, prefix: (string | number)[] = []): Generator<[(string | number)[], unknown]> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* scalars(value[i], [...prefix, i]);
  } else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* scalars(v, [...prefix, k]);
  else yield [prefix, value];
}

test('position <-> field path round trip on corpus manifests', () => {
  const files = corpusFiles().filter((_, i) => i % 7 === 0).slice(0, 40);
  assert.ok(files.length >= 10, 'corpus sample');
  let checked = 0;
  for (const file of files) {
    const ws = new Workspace();
    const uri = 'file://' + file;
    const text = fs.readFileSync(file, 'utf8');
    ws.setFile(uri, text);
    for (const obj of ws.objectsIn(uri)) {
      for (const [p, value] of scalars(obj.raw)) {
        if (typeof value !== 'string' || value.includes('\n') || value === '' || p.includes('<<')) continue;
        const span = ws.locate({ object: obj, path: p, target: 'value' });
        const source = text.slice(span.start, span.end);
        // The source text of a plain or quoted scalar contains its value.
        if (!source.includes(value)) continue; // escaped or folded scalars: covered by the round trip below
        const at = ws.objectAt(uri, span.start);
        assert.ok(at, `${file}: no object at ${span.start}`);
        assert.equal(at.object.id, obj.id);
        assert.deepEqual(at.path, p, `${path.relative(corpusDir, file)}: path at offset ${span.start}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 1000, `checked ${checked} scalars`);
});

test('locate points at keys and values exactly', () => {
  const ws = new Workspace();
  const text = ['apiVersion: v1', 'kind: Service', 'metadata: {name: web}', 'spec:', '  ports:', '    - port: 80', '    - name: http', '      targetPort: http', ''].join('\n');
  ws.setFile('file:///a.yaml', text);
  const [svc] = ws.objectsIn('file:///a.yaml');
  const key = ws.locate({ object: svc, path: ['spec', 'ports', 1, 'targetPort'] });
  assert.equal(text.slice(key.start, key.end), 'targetPort');
  const value = ws.locate({ object: svc, path: ['spec', 'ports', 1, 'targetPort'], target: 'value' });
  assert.equal(text.slice(value.start, value.end), 'http');
  const flow = ws.locate({ object: svc, path: ['metadata', 'name'], target: 'value' });
  assert.equal(text.slice(flow.start, flow.end), 'web');
  // A path that does not exist points at its deepest existing ancestor.
  const missing = ws.locate({ object: svc, path: ['spec', 'selector', 'app'] });
  assert.equal(text.slice(missing.start, missing.end), 'spec');
  const li = ws.lineIndex('file:///a.yaml');
  assert.deepEqual(li.position(value.start), { line: 7, character: 18 });
});

test('multi-document files, List items, empty documents and non-Kubernetes YAML', () => {
  const ws = new Workspace();
  const text = [
    '---',
    '# empty document above and below',
    '---',
    'apiVersion: v1',
    'kind: List',
    'items:',
    '  - apiVersion: v1',
    '    kind: ConfigMap',
    '    metadata: {name: a}',
    '  - apiVersion: v1',
    '    kind: Secret',
    '    metadata: {name: b, namespace: other}',
    '...',
    '---',
    'name: CI',
    'on: [push]',
    '---',
    '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}',
    '',
  ].join('\n');
  ws.setFile('file:///m.yaml', text);
  const objs = ws.objectsIn('file:///m.yaml');
  assert.deepEqual(
    objs.map((o) => [o.kind, o.namespace, o.name, o.docIndex, o.basePath.join('.')]),
    [
      ['ConfigMap', 'default', 'a', 1, 'items.0'],
      ['Secret', 'other', 'b', 1, 'items.1'],
      ['Namespace', '', 'shop', 3, ''],
    ],
  );
  assert.deepEqual(ws.diagnostics('file:///m.yaml'), []);
  const secret = objs[1];
  const span = ws.locate({ object: secret, path: ['metadata', 'namespace'], target: 'value' });
  assert.equal(text.slice(span.start, span.end), 'other');
});

test('a broken document does not hide the other documents of the file', () => {
  const ws = new Workspace();
  const text = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: good}', '---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: bad', '---', 'apiVersion: v1', 'kind: Secret', 'metadata: {name: after}', ''].join('\n');
  ws.setFile('file:///b.yaml', text);
  const names = ws.objectsIn('file:///b.yaml').filter((o) => !o.hasSyntaxErrors).map((o) => o.name);
  assert.deepEqual(names, ['good', 'after']);
  const errors = ws.diagnostics('file:///b.yaml').filter((d) => d.code === 'yaml-syntax');
  assert.ok(errors.length >= 1);
  assert.ok(errors.every((e) => e.start >= text.indexOf('---') && e.start <= text.lastIndexOf('---')), 'errors lie in the broken document');
});

test('Helm templates are reported once and not analysed', () => {
  const ws = new Workspace();
  const text = ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: {{ include "app.fullname" . }}', 'spec:', '  ports: {{- toYaml .Values.ports | nindent 4 }}', ''].join('\n');
  ws.setFile('file:///chart/templates/svc.yaml', text);
  const diags = ws.diagnostics('file:///chart/templates/svc.yaml');
  assert.equal(diags.length, 1);
  assert.equal(diags[0].code, 'helm-template');
  assert.equal(diags[0].severity, 'info');
  assert.equal(ws.objectsIn('file:///chart/templates/svc.yaml').length, 0);
});

test('files that are not Kubernetes manifests get no diagnostics, even when invalid', () => {
  const ws = new Workspace();
  ws.setFile('file:///.github/workflows/ci.yml', 'name: CI\non: [push\njobs: {}\n');
  assert.deepEqual(ws.diagnostics('file:///.github/workflows/ci.yml'), []);
});

test('Go template expressions inside strings and block scalars are text, not a Helm template', () => {
  const ws = new Workspace();
  const text = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: alert-rules, namespace: monitoring}',
    'data:',
    '  alert.rules: |',
    '    groups:',
    '      - name: x',
    '        rules:',
    '          - alert: HighLatency',
    '            annotations:',
    '              summary: "{{ $labels.instance }} is slow"',
    '              description: {{ $value }} seconds',
    '  note: "value is {{ .Value }}"',
    '  plain: latency is {{ $value }} ms',
    '',
  ].join('\n');
  ws.setFile('file:///mon/rules.yaml', text);
  assert.deepEqual(ws.objectsIn('file:///mon/rules.yaml').map((o) => o.name), ['alert-rules']);
  assert.deepEqual(ws.diagnostics('file:///mon/rules.yaml').filter((d) => d.code === 'helm-template'), []);
  // The same action at the start of a value outside any string makes it a template.
  ws.setFile('file:///t.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n');
  assert.equal(ws.diagnostics('file:///t.yaml')[0]?.code, 'helm-template');
  // In a chart's templates/ folder any action does.
  ws.setFile('file:///chart/templates/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "{{ .Values.a }}"\n');
  assert.equal(ws.diagnostics('file:///chart/templates/cm.yaml')[0]?.code, 'helm-template');
});
