// Workspace objects -> NetworkPolicy input, and robustness against malformed manifests (the
// engine never throws on user input). Expectations derived by hand from spec g.3, g.6.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseFile } from '../../../server/src/engine/syntax/parse';
import { extractObjects } from '../../../server/src/engine/model/object';
import { buildNetworkPolicyModel, evaluateTraffic } from '../../../server/src/engine/semantics/network-policy';
import { networkPolicyInputFromObjects } from '../../../server/src/engine/semantics/network-policy-workspace';
import { explainNetworkPolicy } from '../../../server/src/engine/semantics/network-policy-explain';
import { undeclaredNamedPorts } from '../../../server/src/engine/semantics/network-policy-checks';
import { defaultProbePorts, reachability } from '../../../server/src/engine/semantics/network-policy-reach';

function objectsOf(yaml: string) {
  return extractObjects(parseFile('file:///w/test.yaml', yaml), { defaultNamespace: 'default' });
}

const WORKSPACE = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: blue}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]
status: {podIP: 10.0.0.7, podIPs: [{ip: 10.0.0.7}, {ip: "fd00::7"}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web2}}
  template:
    metadata: {labels: {app: web2}}
    spec:
      initContainers: [{name: side, restartPolicy: Always, ports: [{name: proxy, containerPort: 15001}]}, {name: init, ports: [{name: x, containerPort: 1}]}]
      containers: [{name: c, ports: [{name: http, containerPort: 9090, protocol: TCP}]}]
---
apiVersion: v1
kind: PodTemplate
metadata: {name: tmpl, namespace: shop}
template: {metadata: {labels: {app: t}}, spec: {containers: [{name: c}]}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web2}}
  ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/24}}]}]
---
apiVersion: extensions/v1beta1
kind: NetworkPolicy
metadata: {name: legacy}
spec: {podSelector: {}}
`;

test('workspace input: namespaces, Pods and templates with ports in b.4 order, Pod IPs, both NetworkPolicy groups', () => {
  const input = networkPolicyInputFromObjects(objectsOf(WORKSPACE));
  assert.deepEqual(input.namespaces, [{ name: 'shop', labels: { team: 'blue' } }]);
  assert.deepEqual(input.pods, [
    { namespace: 'shop', name: 'web', labels: { app: 'web' }, ips: ['10.0.0.7', 'fd00::7'], ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] },
    {
      namespace: 'shop',
      name: 'web-deployment',
      labels: { app: 'web2' },
      ips: [],
      ports: [
        { name: 'http', containerPort: 9090, protocol: 'TCP' },
        { name: 'proxy', containerPort: 15001, protocol: 'TCP' },
      ],
    },
  ]);
  assert.deepEqual([...input.policySources.keys()].sort(), ['default/legacy', 'shop/web']);
  assert.deepEqual(input.podSources.get('shop/web-deployment')?.kind, 'Deployment');
  assert.deepEqual(input.podSources.get('shop/web')?.kind, 'Pod');
  const model = buildNetworkPolicyModel(input);
  // The Pod's IP is inside the ipBlock, so it may reach the Deployment's Pods; an outside address may not.
  const to = { kind: 'pod', namespace: 'shop', name: 'web-deployment' } as const;
  const fromPod = evaluateTraffic(model, { from: { kind: 'pod', namespace: 'shop', name: 'web' }, to, port: 9090, protocol: 'TCP' });
  assert.equal(fromPod.kind === 'verdict' && fromPod.allowed, true);
  const fromOutside = evaluateTraffic(model, { from: { kind: 'external', ip: '10.0.1.1' }, to, port: 9090, protocol: 'TCP' });
  assert.equal(fromOutside.kind === 'verdict' && fromOutside.allowed, false);
});

const MALFORMED = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: a, namespace: x}
spec: {podSelector: 3, ingress: {}, egress: "x", policyTypes: "Ingress"}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: b, namespace: x}
spec:
  podSelector: {matchLabels: [1], matchExpressions: {a: b}}
  policyTypes: [Ingress, Egress, 7, null]
  ingress:
  - {from: {}, ports: "x"}
  - {from: [{ipBlock: {cidr: 5, except: "x"}}, {ipBlock: "y"}, 3, null, {namespaceSelector: "z"}], ports: [{port: true, endPort: "9"}, 4, {protocol: 7}]}
  - 7
  - "s"
  - [1]
  egress: [{to: [{ipBlock: {cidr: "10.0.0.0/8", except: [5, null, "10.1.0.0/16"]}}], ports: [{port: {}}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: "x"
spec: null
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: x, labels: {a: b}}
spec: {containers: [{name: c, ports: "nope"}, 5]}
status: {podIPs: "x", podIP: 7}
`;

test('malformed manifests never throw: compile, evaluate, explain, checks and reach all return data', () => {
  const input = networkPolicyInputFromObjects(objectsOf(MALFORMED));
  const model = buildNetworkPolicyModel(input);
  assert.ok(model.policies.length >= 2);
  for (const p of model.policies) {
    const e = explainNetworkPolicy(model, p.policy.key);
    assert.ok(e && e.markdown.length > 0);
  }
  undeclaredNamedPorts(model);
  const { pairs } = reachability(model, { ports: [...defaultProbePorts(model), { port: 80, protocol: 'TCP' }], externalIps: ['10.2.0.1', 'garbage'] });
  assert.ok(pairs.length > 0);
  const b = model.policies.find((p) => p.policy.key === 'x/b');
  assert.ok(b && b.policy.problems.length > 0);
});
