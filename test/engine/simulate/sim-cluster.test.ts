// The simulated cluster end to end. Oracle: the worked example of spec kube-proxy.md section 6
// (a kind cluster's `kubernetes` and `kube-dns` Services; its chain names match a real kind
// cluster and the text passes `iptables-restore --test`). The default profile plus
// `builtinClusterObjects`, through Services-as-stored, pods, EndpointSlices and the kube-proxy
// iptables generator, must give exactly that text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { sharedDir } from '../../support/paths';
import { normalizeIptablesDump } from '../kube-proxy/support';
import { DEFAULT_PROFILE, kubeProxyOptionsFor } from '../../../server/src/engine/simulate/profile';
import { builtinClusterObjects, clusterDnsRecords, simulateCluster } from '../../../server/src/engine/simulate/sim-cluster';
import { buildKubeProxyModel } from '../../../server/src/engine/simulate/kube-proxy/model';
import { generateIptablesRuleset, renderIptablesRestore } from '../../../server/src/engine/simulate/kube-proxy/iptables';
import { lookupDns, recordText } from '../../../server/src/engine/semantics/dns';
import { shuffled } from './sim-fixtures';

function workedExample(): string {
  const spec = readFileSync(path.join(sharedDir, 'spec', 'kube-proxy.md'), 'utf8');
  const section = spec.slice(spec.indexOf('## 6. Worked example'), spec.indexOf('## 7.'));
  const block = /```\n(\*filter[\s\S]*?COMMIT\n\*nat[\s\S]*?COMMIT\n)```/.exec(section);
  assert.ok(block, 'the worked example block');
  return block[1];
}

test('fresh kind cluster: kube-proxy iptables rules equal the spec section 6 worked example', () => {
  const cluster = simulateCluster(builtinClusterObjects(DEFAULT_PROFILE), { profile: DEFAULT_PROFILE });
  assert.deepEqual(cluster.problems, []);
  const model = buildKubeProxyModel(
    cluster.services.map((s) => s.service),
    cluster.endpointSlices.map((s) => s.slice),
    kubeProxyOptionsFor(DEFAULT_PROFILE),
  );
  const text = renderIptablesRestore(generateIptablesRuleset(model));
  assert.equal(normalizeIptablesDump(text), normalizeIptablesDump(workedExample()));
});

test('fresh kind cluster: CoreDNS pods on the control plane with kind\'s first pod addresses, DNS answers', () => {
  const cluster = simulateCluster(builtinClusterObjects(DEFAULT_PROFILE), { profile: DEFAULT_PROFILE });
  assert.deepEqual(cluster.pods.map((p) => [p.nodeName, p.podIPs[0], p.ready]), [
    ['kind-control-plane', '10.244.0.2', true],
    ['kind-control-plane', '10.244.0.3', true],
  ]);
  assert.equal(cluster.replicaSets.length, 0, 'the Deployment\'s ReplicaSet is among the objects');
  const records = clusterDnsRecords(cluster);
  const a = (name: string) => lookupDns(records, name, 'A').answers.map(recordText);
  assert.deepEqual(a('kubernetes.default.svc.cluster.local'), ['kubernetes.default.svc.cluster.local. A 10.96.0.1']);
  assert.deepEqual(a('kube-dns.kube-system.svc.cluster.local'), ['kube-dns.kube-system.svc.cluster.local. A 10.96.0.10']);
  assert.deepEqual(lookupDns(records, '_dns._udp.kube-dns.kube-system.svc.cluster.local', 'SRV').answers.map(recordText), [
    '_dns._udp.kube-dns.kube-system.svc.cluster.local. SRV 0 100 53 kube-dns.kube-system.svc.cluster.local.',
  ]);
  assert.deepEqual(a('10-244-0-2.kube-system.pod.cluster.local'), ['10-244-0-2.kube-system.pod.cluster.local. A 10.244.0.2']);
});

test('the whole simulation is deterministic and independent of input order', () => {
  const objects = [
    ...builtinClusterObjects(DEFAULT_PROFILE),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] } } },
    },
  ];
  const a = simulateCluster(objects, { profile: DEFAULT_PROFILE });
  assert.deepEqual(simulateCluster(shuffled(objects), { profile: DEFAULT_PROFILE }), a);
  assert.deepEqual(clusterDnsRecords(simulateCluster(shuffled(objects), { profile: DEFAULT_PROFILE })), clusterDnsRecords(a));
  const web = a.endpointSlices.filter((s) => s.service?.name === 'web');
  assert.equal(web.length, 1);
  assert.equal(web[0].slice.endpoints.length, 3);
  assert.deepEqual(web[0].slice.ports, [{ name: '', port: 8080, protocol: 'TCP' }]);
});
