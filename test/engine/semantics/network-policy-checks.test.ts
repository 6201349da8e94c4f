// Facts behind the NetworkPolicy checks: Service target ports no rule opens, and named ports no
// candidate Pod declares. Expectations derived by hand from spec g.1-g.3 and b.4.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { V1NetworkPolicy, V1Service } from '../../../server/src/engine/model/k8s-types';
import { buildNetworkPolicyModel, type NetpolPod } from '../../../server/src/engine/semantics/network-policy';
import { undeclaredNamedPorts, unreachableServicePorts } from '../../../server/src/engine/semantics/network-policy-checks';

const mkPod = (namespace: string, name: string, labels: Record<string, string>, ports: NetpolPod['ports'] = []): NetpolPod => ({ namespace, name, labels, ips: [], ports });
const policy = (namespace: string, name: string, spec: Record<string, unknown>) => ({ metadata: { namespace, name }, spec }) as V1NetworkPolicy;

test('unreachableServicePorts: isolated Service Pods whose target port no rule opens', () => {
  const model = buildNetworkPolicyModel({
    namespaces: [],
    pods: [
      mkPod('shop', 'web-1', { app: 'web' }, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]),
      mkPod('shop', 'web-2', { app: 'web' }, [{ name: 'http', containerPort: 8081, protocol: 'TCP' }]),
      mkPod('shop', 'other', { app: 'other' }, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]),
    ],
    policies: [
      // Opens 8080 to app=lb (no such Pod is known: still counts, peers need not be known Pods).
      policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'lb' } } }], ports: [{ port: 8080 }] }] }),
      // Opens 443 only to a peer whose selector is invalid (selects nothing).
      policy('shop', 'web-443', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'a', operator: 'Bogus' }] } }], ports: [{ port: 443 }] }],
      }),
    ],
  });
  const service = {
    metadata: { namespace: 'shop', name: 'web' },
    spec: {
      selector: { app: 'web' },
      ports: [
        { name: 'http', port: 80, targetPort: 'http' },
        { name: 'metrics', port: 9090, targetPort: 9090 },
        { name: 'https', port: 443 },
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 'missing' },
      ],
    },
  } as V1Service;
  const policies = ['shop/web', 'shop/web-443'];
  assert.deepEqual(unreachableServicePorts(model, service), [
    { pod: 'shop/web-1', servicePortIndex: 1, servicePortName: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP', policies },
    { pod: 'shop/web-1', servicePortIndex: 2, servicePortName: 'https', port: 443, targetPort: 443, protocol: 'TCP', policies },
    { pod: 'shop/web-2', servicePortIndex: 0, servicePortName: 'http', port: 80, targetPort: 8081, protocol: 'TCP', policies },
    { pod: 'shop/web-2', servicePortIndex: 1, servicePortName: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP', policies },
    { pod: 'shop/web-2', servicePortIndex: 2, servicePortName: 'https', port: 443, targetPort: 443, protocol: 'TCP', policies },
  ]);
  // An empty Service selector selects no Pods (a.5); Pods not isolated are never reported.
  assert.deepEqual(unreachableServicePorts(model, { metadata: { namespace: 'shop', name: 's' }, spec: { selector: {}, ports: [{ port: 1 }] } } as V1Service), []);
  assert.deepEqual(unreachableServicePorts(model, { metadata: { namespace: 'shop', name: 's' }, spec: { selector: { app: 'other' }, ports: [{ port: 1 }] } } as V1Service), []);
});

test('undeclaredNamedPorts: ingress against selected Pods, egress against the rule destinations, only rules in effect', () => {
  const model = buildNetworkPolicyModel({
    namespaces: [],
    pods: [
      mkPod('shop', 'web-1', { app: 'web' }, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]),
      mkPod('shop', 'web-2', { app: 'web' }, [{ name: 'http', containerPort: 8081, protocol: 'TCP' }]),
      mkPod('shop', 'db-0', { app: 'db' }, [{ name: 'pg', containerPort: 5432, protocol: 'TCP' }]),
    ],
    policies: [
      policy('shop', 'p', {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ ports: [{ port: 'http' }, { port: 'grpc' }, { port: 'http', protocol: 'UDP' }] }],
        egress: [
          { to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 'pg' }, { port: 'sql' }] },
          // Only ipBlock destinations: a name can never resolve, even though web Pods declare http.
          { to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 443 }, { port: 'http' }] },
        ],
      }),
      // Ingress rules ignored (policyTypes), so their named ports are not reported.
      policy('shop', 'ignored', { podSelector: {}, policyTypes: ['Egress'], ingress: [{ ports: [{ port: 'nope' }] }] }),
      // Selects no Pod: nothing to resolve against, not reported here.
      policy('shop', 'empty', { podSelector: { matchLabels: { app: 'ghost' } }, ingress: [{ ports: [{ port: 'nope' }] }] }),
    ],
  });
  assert.deepEqual(undeclaredNamedPorts(model), [
    { reason: 'undeclared', policy: 'shop/p', direction: 'Ingress', path: 'spec.ingress[0].ports[1].port', name: 'grpc', protocol: 'TCP', candidatePods: 2, declaredWithOtherProtocol: [] },
    { reason: 'undeclared', policy: 'shop/p', direction: 'Ingress', path: 'spec.ingress[0].ports[2].port', name: 'http', protocol: 'UDP', candidatePods: 2, declaredWithOtherProtocol: ['shop/web-1', 'shop/web-2'] },
    { reason: 'undeclared', policy: 'shop/p', direction: 'Egress', path: 'spec.egress[0].ports[1].port', name: 'sql', protocol: 'TCP', candidatePods: 1, declaredWithOtherProtocol: [] },
    { reason: 'ipBlockDestinations', policy: 'shop/p', direction: 'Egress', path: 'spec.egress[1].ports[1].port', name: 'http', protocol: 'TCP', candidatePods: 0, declaredWithOtherProtocol: [] },
  ]);
});
