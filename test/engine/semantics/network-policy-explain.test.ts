// Plain-words explanation of a NetworkPolicy (hover). Expected facts and text derived by hand
// from spec g.1-g.3.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { V1NetworkPolicy } from '../../../server/src/engine/model/k8s-types';
import { buildNetworkPolicyModel, type NetpolPod } from '../../../server/src/engine/semantics/network-policy';
import { explainNetworkPolicy } from '../../../server/src/engine/semantics/network-policy-explain';

const mkPod = (namespace: string, name: string, labels: Record<string, string>): NetpolPod => ({ namespace, name, labels, ips: [], ports: [] });
const policy = (namespace: string, name: string, spec: Record<string, unknown>) => ({ metadata: { namespace, name }, spec }) as V1NetworkPolicy;

test('explain: selected pods, OR of peers, AND inside one peer, ipBlock, ports, defaulted policyTypes', () => {
  const model = buildNetworkPolicyModel({
    namespaces: [{ name: 'ops', labels: { team: 'ops' } }],
    pods: [mkPod('shop', 'db-0', { app: 'db' }), mkPod('shop', 'api', { app: 'api' }), mkPod('ops', 'tool', { any: 'x' }), mkPod('dev', 'api', { app: 'api' })],
    policies: [
      policy('shop', 'db', {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [
          {
            from: [{ podSelector: { matchLabels: { app: 'api' } } }, { namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: {} }],
            ports: [{ port: 5432 }, { port: 'metrics', protocol: 'TCP' }],
          },
          { from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] },
        ],
        egress: [{ ports: [{ port: 53, protocol: 'UDP' }, { protocol: 'TCP', port: 8000, endPort: 8010 }] }],
      }),
    ],
  });
  const e = explainNetworkPolicy(model, 'shop/db');
  assert.ok(e);
  assert.deepEqual(e.podSelector, { kind: 'labels', text: 'app=db' });
  assert.deepEqual(e.selectedPods, ['shop/db-0']);
  assert.deepEqual(e.policyTypes, ['Ingress', 'Egress']);
  assert.equal(e.policyTypesDefaulted, true);
  assert.deepEqual(e.ingress.rules[0].peers, {
    kind: 'peers',
    items: [
      { kind: 'podsInPolicyNamespace', namespace: 'shop', podSelector: { kind: 'labels', text: 'app=api' }, pods: ['shop/api'] },
      { kind: 'podsInNamespaces', namespaceSelector: { kind: 'labels', text: 'team=ops' }, podSelector: { kind: 'all' }, pods: ['ops/tool'] },
    ],
  });
  assert.deepEqual(e.ingress.rules[0].ports, {
    kind: 'ports',
    items: [
      { kind: 'port', protocol: 'TCP', port: 5432 },
      { kind: 'named', protocol: 'TCP', name: 'metrics' },
    ],
  });
  assert.deepEqual(e.warnings, []);
  const expected = [
    '**NetworkPolicy shop/db**',
    '',
    'Selects pods in namespace `shop` with `app=db` (1 pod: `shop/db-0`).',
    '',
    '**Ingress:** isolated; allowed:',
    '- from pods with app=api in namespace shop, or all pods in namespaces with team=ops, on TCP 5432, TCP port named "metrics"',
    '- from addresses in 10.0.0.0/8 except 10.1.0.0/16, on all ports',
    '',
    '**Egress:** isolated; allowed:',
    '- to anyone (any pod or address), on UDP 53, TCP 8000-8010',
    '',
    '_policyTypes: Ingress, Egress (defaulted)_',
  ].join('\n');
  assert.equal(e.markdown, expected);
  assert.equal(explainNetworkPolicy(model, 'shop/nope'), undefined);
});

test('explain: warnings for defaulted policyTypes on an egress-only policy, ignored rules, deny all, no pods (g.2)', () => {
  const model = buildNetworkPolicyModel({
    namespaces: [],
    pods: [mkPod('x', 'a', {})],
    policies: [
      policy('x', 'egress-only', { podSelector: {}, egress: [{}] }),
      policy('x', 'explicit', { podSelector: { matchLabels: { app: 'none' } }, policyTypes: ['Egress'], ingress: [{}, {}] }),
    ],
  });
  const eo = explainNetworkPolicy(model, 'x/egress-only');
  assert.ok(eo);
  assert.deepEqual(eo.warnings, ['policyTypes is not set, so it defaults to [Ingress, Egress]: this egress policy also denies all ingress to the selected pods.']);
  assert.deepEqual({ isolates: eo.ingress.isolates, rules: eo.ingress.rules.length }, { isolates: true, rules: 0 });
  assert.equal(
    eo.markdown,
    [
      '**NetworkPolicy x/egress-only**',
      '',
      'Selects all pods in namespace `x` (1 pod: `x/a`).',
      '',
      '**Ingress:** isolated; nothing allowed (deny all).',
      '',
      '**Egress:** isolated; allowed:',
      '- to anyone (any pod or address), on all ports',
      '',
      '_policyTypes: Ingress, Egress (defaulted)_',
      '',
      '⚠️ policyTypes is not set, so it defaults to \\[Ingress, Egress\\]: this egress policy also denies all ingress to the selected pods.',
    ].join('\n'),
  );
  const ex = explainNetworkPolicy(model, 'x/explicit');
  assert.ok(ex);
  assert.deepEqual(ex.ingress, { direction: 'Ingress', isolates: false, rules: [], ignoredRuleCount: 2 });
  assert.deepEqual(ex.warnings, [
    'spec.ingress has 2 rules that are ignored: policyTypes does not include Ingress.',
    'No known pod in namespace x matches spec.podSelector.',
  ]);
  assert.match(ex.markdown, /\*\*Ingress:\*\* not isolated by this policy\./);
  assert.match(ex.markdown, /\*\*Egress:\*\* isolated; nothing allowed \(deny all\)\./);
  assert.match(ex.markdown, /\(no known pods\)/);
});
