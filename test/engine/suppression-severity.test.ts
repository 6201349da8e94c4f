// Suppression comments, the kubeglass.io/ignore annotation and per-code severities, as other linters do them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../server/src/engine/workspace';

const SVC = (prefix = '', annotations = '') => `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop${annotations}
spec:
${prefix}  selector: {app: nothing-has-this}
  ports: [{port: 80}]
`;

function codes(ws: Workspace, uri: string): string[] {
  return ws.diagnostics(uri).map((d) => `${d.severity} ${d.code}`);
}

test('the finding appears without suppression, and each suppression form removes it', () => {
  const uri = 'file:///s.yaml';
  const pod = { uri: 'file:///p.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop, labels: {app: web}}\nspec: {containers: [{name: c, image: x}]}\n' };
  const plain = new Workspace();
  plain.apply([pod, { uri, text: SVC() }]);
  assert.ok(codes(plain, uri).some((c) => c.endsWith('service-selects-nothing')));

  const nextLine = new Workspace();
  nextLine.apply([pod, { uri, text: SVC('  # kubeglass-disable-next-line service-selects-nothing\n') }]);
  assert.deepEqual(codes(nextLine, uri).filter((c) => c.endsWith('service-selects-nothing')), []);

  const otherCode = new Workspace();
  otherCode.apply([pod, { uri, text: SVC('  # kubeglass-disable-next-line schema\n') }]);
  assert.ok(codes(otherCode, uri).some((c) => c.endsWith('service-selects-nothing')), 'a directive for another code suppresses nothing here');

  const annotated = new Workspace();
  annotated.apply([pod, { uri, text: SVC('', '\n  annotations:\n    kubeglass.io/ignore: schema, service-selects-nothing') }]);
  assert.deepEqual(codes(annotated, uri).filter((c) => c.endsWith('service-selects-nothing')), []);
});

test('severities are configurable per code, and off removes the code', () => {
  const uri = 'file:///s.yaml';
  const pod = { uri: 'file:///p.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop, labels: {app: web}}\nspec: {containers: [{name: c, image: x}]}\n' };
  const ws = new Workspace({ severities: { 'service-selects-nothing': 'error' } });
  ws.apply([pod, { uri, text: SVC() }]);
  assert.ok(codes(ws, uri).includes('error service-selects-nothing'));
  ws.setOptions({ severities: { 'service-selects-nothing': 'off' } });
  assert.deepEqual(codes(ws, uri).filter((c) => c.endsWith('service-selects-nothing')), []);
});
