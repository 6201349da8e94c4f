// Outline, workspace symbols and code lenses, derived by hand from the fixture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workspaceOf } from '../../support/fixture';
import { documentSymbols, workspaceSymbols } from '../../../server/src/engine/ide/symbols';
import { codeLenses } from '../../../server/src/engine/ide/lenses';

const SRC = `
#- /app.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: data}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: pg}]}}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: data}
spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: db, namespace: data}
spec: {minAvailable: 1, selector: {matchLabels: {app: db}}}
`;

test('document symbols list Kind/name per object with the name as selection', () => {
  const { ws } = workspaceOf(SRC);
  const symbols = documentSymbols(ws, 'file:///app.yaml');
  assert.deepEqual(symbols.map((s) => s.name), ['StatefulSet/db', 'Service/db', 'PodDisruptionBudget/db']);
  const text = ws.text('file:///app.yaml')!;
  assert.equal(text.slice(symbols[1].selection.start, symbols[1].selection.end), 'db');
  assert.deepEqual(workspaceSymbols(ws, 'zz').map((s) => s.name), []);
  assert.deepEqual(workspaceSymbols(ws, 'Servicedb').map((s) => s.name), ['Service/db']);
});

test('code lenses count selected pods, selectors and StatefulSet DNS names', () => {
  const { ws } = workspaceOf(SRC);
  const titles = codeLenses(ws, 'file:///app.yaml').map((l) => l.title);
  assert.deepEqual(titles, [
    // Its own controller's selector is not listed: the lens counts the objects that select its pods.
    'selected by 1 PodDisruptionBudget, 1 Service',
    'db-0.db.data.svc.cluster.local, db-1.db.data.svc.cluster.local',
    'selects 2 pods in 1 workload',
  ]);
});
