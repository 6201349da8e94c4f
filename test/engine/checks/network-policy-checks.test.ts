// networkpolicy-isolates-service and networkpolicy-port-not-found (spec g.1, g.3); expectations
// derived by hand from the fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDiagnostics } from '../../support/fixture';

const OTHER = ['schema', 'service-selects-nothing', 'networkpolicy-selects-nothing', 'networkpolicy-peer-selects-nothing', 'target-port-number-not-declared'];

const APP = `
#- /app.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: x, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports:
    - port: 80
      targetPort: http
`;

test('a policy that isolates the Service pods and opens another port is reported on the Service port', () => {
  const { diagnostics } = checkDiagnostics(
    APP.replace('      targetPort: http\n', '      targetPort: http\n      #           ^^^^ warning networkpolicy-isolates-service: No NetworkPolicy lets any pod or namespace reach port 80 (target 8080/TCP)\n') +
      `#- /policy.yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: only-metrics, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - ports: [{port: 9090}]
`,
    { ignore: OTHER },
  );
  const d = diagnostics.find((x) => x.code === 'networkpolicy-isolates-service')!;
  assert.equal(d.related.length, 1);
  assert.equal(d.related[0].uri, 'file:///policy.yaml');
});

test('a policy that opens the target port by name, or a policy that selects other pods, is fine', () => {
  checkDiagnostics(
    APP +
      `#- /policy.yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-http, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{podSelector: {}}]
      ports: [{port: http}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
`,
    { ignore: OTHER },
  );
});

test('a named port no selected pod declares is reported on the policy', () => {
  checkDiagnostics(
    APP +
      `#- /policy.yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-typo, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - ports:
        - port: htp
          #     ^^^ warning networkpolicy-port-not-found: Named port 'htp'/TCP is declared by none of the pods this policy selects
`,
    { ignore: [...OTHER, 'networkpolicy-isolates-service'] },
  );
});
