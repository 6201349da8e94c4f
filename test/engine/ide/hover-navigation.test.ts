// Hovers that explain what a value resolves to, and navigation between objects. Expectations are
// derived by hand from the fixtures (Kubernetes semantics: a Service selects pod templates in its own
// namespace; a named targetPort resolves to the container port of that name and protocol).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkHover, definitions, references } from '../../support/ide';

const APP = `
#- /shop/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: frontend}}
    spec:
      containers:
        - name: web
          image: nginx
          ports:
            - {name: http, containerPort: 8080}
            - {name: metrics, containerPort: 9090}
          envFrom:
            - configMapRef: {name: web-config}
#- /shop/svc.yaml
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports:
    - name: http
      port: 80
      targetPort: TARGET
#- /shop/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data: {A: b}
`;

test('hover on a named targetPort shows the container port it resolves to', () => {
  const md = checkHover(APP.replace('TARGET', 'ht$0tp'), ':80/TCP → pod:http**', 'container `web` port `http` 8080/TCP', 'Deployment/shop/web');
  // The simulated cluster's ClusterIP, from the default service CIDR 10.96.0.0/16, with no raw HTML in it.
  assert.match(md, /\*\*10\.96\.\d+\.\d+:80\/TCP → pod:http\*\* \(ClusterIP as the simulated cluster allocates it\)/);
  assert.ok(!md.includes('<ClusterIP>'));
  // ... and the field documentation from the Kubernetes API.
  assert.match(md, /Number or name of the port to access on the pods targeted by the service/);
});

test('hover on a targetPort nobody declares says so', () => {
  checkHover(APP.replace('TARGET', 'met$0rics-typo'), 'no container port named `metrics-typo`/TCP');
});

test('hover on a Service selector counts the pods it selects', () => {
  checkHover(APP.replace('TARGET', 'http').replace('selector: {app: web}', 'selector: {app: w$0eb}'), 'Selects 3 pods in 1 workload', '`app=web`', 'Deployment/shop/web');
});

test('hover on pod template labels lists the selectors that select them', () => {
  checkHover(APP.replace('TARGET', 'http').replace('labels: {app: web, tier', 'labels: {app: w$0eb, tier'), 'selected by 2 selectors', 'Service/shop/web', 'Deployment/shop/web');
});

test('hover on a reference shows its target, or that it is not in the workspace', () => {
  checkHover(APP.replace('TARGET', 'http').replace('{name: web-config}', '{name: web-c$0onfig}'), '**ConfigMap**: [ConfigMap/shop/web-config](file:///shop/cm.yaml#L3)');
  checkHover(APP.replace('TARGET', 'http').replace('{name: web-config}', '{name: other$0}'), 'not in the workspace');
});

test('hover on serviceName lists the StatefulSet pods\' DNS names', () => {
  checkHover(
    `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: data}
spec:
  serviceName: d$0b
  replicas: 2
  selector: {matchLabels: {app: db}}
  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: pg}]}}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: data}
spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}
`,
    'db-0.db.data.svc.cluster.local',
    'db-1.db.data.svc.cluster.local',
    'governed by headless',
  );
});

test('hover on hostNetwork explains the DNS fallback and shows resolv.conf', () => {
  checkHover(
    `
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns}
spec:
  hostNet$0work: true
  containers: [{name: c, image: x}]
`,
    "the node's resolver (Default)",
    'ClusterFirstWithHostNet',
    "the node's own /etc/resolv.conf",
  );
  checkHover(
    `
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns}
spec:
  dnsPol$0icy: ClusterFirst
  containers: [{name: c, image: x}]
`,
    'nameserver 10.96.0.10',
    'search ns.svc.cluster.local svc.cluster.local cluster.local',
    'options ndots:5',
  );
});

test('Secret values are never shown', () => {
  const md = checkHover(`
apiVersion: v1
kind: Secret
metadata: {name: s}
stringData:
  password: hun$0ter2
`, 'hidden');
  assert.ok(!md.includes('hunter2'));
});

test('go to definition: Ingress backend -> Service, configMapRef -> ConfigMap, targetPort -> container port', () => {
  const ingress = `
#- /i.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: i, namespace: shop}
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: w$0eb, port: {number: 80}}}
#- /s.yaml
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
`;
  assert.deepEqual(definitions(ingress), ['file:///s.yaml:web']);
  assert.deepEqual(definitions(APP.replace('TARGET', 'http').replace('{name: web-config}', '{name: web-con$0fig}')), ['file:///shop/cm.yaml:web-config']);
  assert.deepEqual(definitions(APP.replace('TARGET', 'ht$0tp')), ['file:///shop/web.yaml:{name: http, containerPort: 8080}']);
});

test('find references: everything that names an object or selects its pods', () => {
  const refs = references(APP.replace('TARGET', 'http').replace('kind: Deployment\nmetadata: {name: web', 'kind: Deployment\nmetadata: {name: w$0eb'));
  // The Service's selector (svc.yaml line 5). The Deployment's own selector is not a reference to itself.
  assert.deepEqual(refs, ['file:///shop/svc.yaml:5']);
  const cmRefs = references(APP.replace('TARGET', 'http').replace('metadata: {name: web-config', 'metadata: {name: web-co$0nfig'));
  assert.deepEqual(cmRefs, ['file:///shop/web.yaml:17']);
});

test('hover on a NetworkPolicy explains who may reach whom', () => {
  const md = checkHover(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template: {metadata: {labels: {app: api}}, spec: {containers: [{name: api, image: x, ports: [{name: http, containerPort: 8080}]}]}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-fr$0om-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{podSelector: {matchLabels: {tier: frontend}}}]
      ports: [{port: http}]
`, 'shop/api');
  assert.match(md, /isolat/i);
  assert.match(md, /tier=frontend/);
});
