// Completion from the workspace and the schema; expectations derived by hand from the fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkHover, completionLabels } from '../../support/ide';
import { widgetCrd } from '../../support/crd';

const PODS = `
#- /pods.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: frontend}}
    spec:
      containers:
        - name: web
          image: nginx
          ports: [{name: http, containerPort: 8080}, {name: admin, containerPort: 9000}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api, tier: backend}}
    spec: {containers: [{name: api, image: api}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{name: http, port: 80}]
`;

test('Service selector keys and values come from the namespace\'s pod templates', () => {
  const svc = (body: string) => `${PODS}#- /svc.yaml
apiVersion: v1
kind: Service
metadata: {name: s, namespace: shop}
spec:
  selector:
${body}
`;
  assert.deepEqual(completionLabels(svc('    $0')), ['app', 'tier']);
  assert.deepEqual(completionLabels(svc('    tier: $0')), ['backend', 'frontend']);
  assert.deepEqual(completionLabels(svc('    app: w$0')), ['web']);
});

test('targetPort offers the selected containers\' port names', () => {
  const src = `${PODS}#- /svc.yaml
apiVersion: v1
kind: Service
metadata: {name: s, namespace: shop}
spec:
  selector: {app: web}
  ports:
    - port: 80
      targetPort: $0
`;
  assert.deepEqual(completionLabels(src).sort(), ['admin', 'http']);
});

test('Ingress backends offer Services of the namespace and their ports', () => {
  const ing = (body: string) => `${PODS}#- /ing.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: i, namespace: shop}
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
${body}
`;
  assert.deepEqual(completionLabels(ing('                name: $0')), ['web']);
  assert.deepEqual(completionLabels(ing('                name: web\n                port:\n                  name: $0')), ['http']);
});

test('enum values and field names come from the Kubernetes schema', () => {
  const pod = (body: string) => `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
${body}
`;
  assert.deepEqual(completionLabels(pod('  dnsPolicy: $0')).sort(), ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']);
  const fields = completionLabels(pod('  hostNe$0'));
  assert.deepEqual(fields, ['hostNetwork']);
  const containerFields = completionLabels(pod('  containers:\n    - name: c\n      imagePull$0'));
  assert.deepEqual(containerFields, ['imagePullPolicy']);
  const svcType = completionLabels(`apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: $0\n`);
  assert.deepEqual(svcType.sort(), ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']);
});

test('serviceName offers headless Services first', () => {
  const src = `${PODS}#- /sts.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  serviceName: $0
`;
  assert.deepEqual(completionLabels(src), ['web']);
});

test('custom resources: field names, enums and hover text come from the CRD deployed with them', () => {
  // Two releases of one CRD in two sample folders: each resource is read against its own folder's.
  const crd = (version: string, ...extra: string[]) =>
    widgetCrd([`size: {type: integer, description: "How many widgets (release ${version})."}`, 'mode: {type: string, enum: [fast, safe]}', ...extra]);
  const widget = (body: string) => `apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec:
${body}`;
  const workspace = (body: string) => `
#- /samples/old/crd.yaml
${crd('1')}
#- /samples/new/crd.yaml
${crd('2', 'colour: {type: string}')}
#- /samples/new/widget.yaml
${widget(body)}
`;
  assert.deepEqual(completionLabels(workspace('  $0')).sort(), ['colour', 'mode', 'size']);
  assert.deepEqual(completionLabels(workspace('  mode: $0')).sort(), ['fast', 'safe']);
  checkHover(workspace('  si$0ze: 3'), 'How many widgets (release 2).');
  const oldFolder = `
#- /samples/new/crd.yaml
${crd('2', 'colour: {type: string}')}
#- /samples/old/crd.yaml
${crd('1')}
#- /samples/old/widget.yaml
${widget('  $0')}
`;
  assert.deepEqual(completionLabels(oldFolder).sort(), ['mode', 'size']);
});
