// Incremental analysis: a change invalidates its own file and the files that can see it, nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../server/src/engine/workspace';

const deploy = (ns: string, label: string, image = 'nginx') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: ${ns}}\nspec:\n  selector: {matchLabels: {app: ${label}}}\n  template:\n    metadata: {labels: {app: ${label}}}\n    spec: {containers: [{name: web, image: ${image}}]}\n`;
const service = (ns: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: ${ns}}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n`;

test('editing an image re-checks only the edited file; editing a label re-checks its namespace', () => {
  const ws = new Workspace();
  ws.apply([
    { uri: 'file:///a/deploy.yaml', text: deploy('a', 'web') },
    { uri: 'file:///a/svc.yaml', text: service('a') },
    { uri: 'file:///b/deploy.yaml', text: deploy('b', 'web') },
    { uri: 'file:///b/svc.yaml', text: service('b') },
  ]);
  for (const uri of ws.fileUris()) ws.diagnostics(uri);
  assert.deepEqual(ws.setFile('file:///a/deploy.yaml', deploy('a', 'web', 'nginx:1.27')), ['file:///a/deploy.yaml']);
  assert.deepEqual(ws.setFile('file:///a/deploy.yaml', deploy('a', 'webapp')), ['file:///a/deploy.yaml', 'file:///a/svc.yaml']);
  assert.ok(ws.diagnostics('file:///a/svc.yaml').some((d) => d.code === 'service-selects-nothing'));
  assert.ok(!ws.diagnostics('file:///b/svc.yaml').some((d) => d.code === 'service-selects-nothing'));
});
