// Path-addressed quick-fix edits become text edits that keep the file's YAML style.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/workspace';
import { resolveEdit } from '../../../server/src/engine/checks/fix-edits';

function apply(text: string, edit: { start: number; end: number; newText: string }): string {
  return text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
}

test('set-field adds a key to an existing block mapping, at its indentation', () => {
  const ws = new Workspace();
  const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: web\nspec: {}\n';
  ws.setFile('file:///p.yaml', text);
  const [pod] = ws.objectsIn('file:///p.yaml');
  const edit = resolveEdit(ws, { kind: 'set-field', place: { object: pod, path: ['metadata', 'labels'] }, key: 'tier', text: 'frontend' })!;
  assert.equal(apply(text, edit), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: web\n    tier: frontend\nspec: {}\n');
});

test('set-field adds to a flow mapping', () => {
  const ws = new Workspace();
  const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: web}}\n';
  ws.setFile('file:///p.yaml', text);
  const [pod] = ws.objectsIn('file:///p.yaml');
  const edit = resolveEdit(ws, { kind: 'set-field', place: { object: pod, path: ['metadata', 'labels'] }, key: 'tier', text: 'frontend' })!;
  assert.equal(apply(text, edit), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: web, tier: frontend}}\n');
});

test('set-field creates a missing mapping under its parent at the end of the file, keeping the final newline', () => {
  const ws = new Workspace();
  const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n';
  ws.setFile('file:///p.yaml', text);
  const [pod] = ws.objectsIn('file:///p.yaml');
  const edit = resolveEdit(ws, { kind: 'set-field', place: { object: pod, path: ['metadata', 'labels'] }, key: 'app', text: 'web' })!;
  assert.equal(apply(text, edit), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: web\n');
});

test('replace-value and append-document', () => {
  const ws = new Workspace();
  const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  clusterIP: 10.0.0.1\n';
  ws.setFile('file:///s.yaml', text);
  const [svc] = ws.objectsIn('file:///s.yaml');
  const r = resolveEdit(ws, { kind: 'replace-value', place: { object: svc, path: ['spec', 'clusterIP'] }, text: 'None' })!;
  assert.equal(apply(text, r), text.replace('10.0.0.1', 'None'));
  const a = resolveEdit(ws, { kind: 'append-document', object: svc, text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}' })!;
  assert.equal(apply(text, a), text + '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
});
