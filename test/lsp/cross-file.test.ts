// Editing one file re-checks its dependents in other files, over the real LSP: renaming a pod label in
// the workload's file makes the Service in another file select nothing, and renaming it back clears it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient } from '../support/lsp-client';

const DEPLOY = (label: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: ${label}}}
  template:
    metadata: {labels: {app: ${label}}}
    spec: {containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]}
`;
const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
`;

test('a label edit in one file updates the Service diagnostic in another file', async () => {
  const client = new LspClient();
  try {
    await client.initialize(null);
    const svc = 'file:///ws/service.yaml';
    const dep = 'file:///ws/deployment.yaml';
    client.open(dep, DEPLOY('web'));
    client.open(svc, SERVICE);
    // Both open and consistent: no findings in either file.
    await client.waitForDiagnostics(svc, (d) => d.diagnostics.length === 0);
    client.change(dep, DEPLOY('webapp'), 2);
    const broken = await client.waitForDiagnostics(svc, (d) => d.diagnostics.some((x) => x.code === 'service-selects-nothing'));
    const finding = broken.diagnostics.find((x) => x.code === 'service-selects-nothing')!;
    assert.equal(finding.range.start.line, 4);
    assert.match(finding.message, /app=web/);
    client.change(dep, DEPLOY('web'), 3);
    const fixed = await client.waitForDiagnostics(svc, (d) => !d.diagnostics.some((x) => x.code === 'service-selects-nothing'));
    assert.deepEqual(fixed.diagnostics.filter((x) => x.code === 'service-selects-nothing'), []);
  } finally {
    await client.shutdown();
  }
});
