// The nftables packet tracer, run over upstream text (not over Kubeglass's generator), so a bug
// in the generator cannot hide a bug in the tracer. Expectations are derived by hand from the
// upstream `nft-overall/expected.nft` and the masquerade rules of spec kube-proxy.md 5.6 / 7.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseNftTransaction, renderNftTransaction } from '../../../server/src/engine/simulate/kube-proxy/nft-transaction';
import { traceNftPacket } from '../../../server/src/engine/simulate/kube-proxy/nft-trace';
import { kubeProxyDir, normaliseNft } from './nft-support';

const overallText = readFileSync(path.join(kubeProxyDir, 'nft-overall', 'expected.nft'), 'utf8');
const localIPs = ['192.168.0.2', '192.168.1.2', '192.168.99.11', '2001:db8::1', '2001:db8:1::2'];

interface Flow {
  readonly name: string;
  readonly src: string;
  readonly dst: string;
  readonly port: number;
  readonly protocol?: string;
  readonly output: string;
  readonly masq: boolean;
}

// Hand-derived from nft-overall/expected.nft (node 192.168.0.2, cluster CIDR 10.0.0.0/8).
const overallFlows: readonly Flow[] = [
  { name: 'pod to svc1 ClusterIP', src: '10.0.0.2', dst: '172.30.0.41', port: 80, output: '10.180.0.1:80', masq: false },
  { name: 'external to svc1 ClusterIP is masqueraded', src: '203.0.113.2', dst: '172.30.0.41', port: 80, output: '10.180.0.1:80', masq: true },
  { name: 'hairpin to svc1', src: '10.180.0.1', dst: '172.30.0.41', port: 80, output: '10.180.0.1:80', masq: true },
  { name: 'svc1 UDP is not served', src: '10.0.0.2', dst: '172.30.0.41', port: 80, protocol: 'udp', output: 'REJECT', masq: false },
  { name: 'svc1 wrong port', src: '10.0.0.2', dst: '172.30.0.41', port: 443, output: 'REJECT', masq: false },
  { name: 'unallocated ClusterIP', src: '10.0.0.2', dst: '172.30.0.99', port: 80, output: 'DROP', masq: false },
  { name: 'svc2 externalIP from outside (eTP Local, no local endpoint)', src: '203.0.113.2', dst: '192.168.99.22', port: 80, output: 'DROP', masq: false },
  { name: 'svc2 externalIP from a pod short-circuits', src: '10.0.0.2', dst: '192.168.99.22', port: 80, output: '10.180.0.2:80', masq: false },
  { name: 'svc2 LB IP from the node is masqueraded', src: '192.168.0.2', dst: '1.2.3.4', port: 80, output: '10.180.0.2:80', masq: true },
  { name: 'svc2 NodePort from outside is dropped', src: '203.0.113.2', dst: '192.168.0.2', port: 3001, output: 'DROP', masq: false },
  { name: 'svc3 NodePort from outside', src: '203.0.113.2', dst: '192.168.0.2', port: 3003, output: '10.180.0.3:80', masq: true },
  { name: 'svc3 NodePort on a non-NodePort address', src: '203.0.113.2', dst: '192.168.1.2', port: 3003, output: '', masq: false },
  { name: 'svc4 two endpoints', src: '10.0.0.2', dst: '172.30.0.44', port: 80, output: '10.180.0.4:80, 10.180.0.5:80', masq: false },
  { name: 'svc4 externalIP (eTP Cluster)', src: '10.0.0.2', dst: '192.168.99.33', port: 80, output: '10.180.0.4:80, 10.180.0.5:80', masq: true },
  { name: 'svc5 LB IP from an allowed source', src: '203.0.113.2', dst: '5.6.7.8', port: 80, output: '10.180.0.3:80', masq: true },
  { name: 'svc5 LB IP from a blocked source', src: '203.0.113.130', dst: '5.6.7.8', port: 80, output: 'DROP', masq: false },
  { name: 'svc5 NodePort ignores source ranges', src: '203.0.113.130', dst: '192.168.0.2', port: 3002, output: '10.180.0.3:80', masq: true },
  { name: 'svc6 has no endpoints', src: '10.0.0.2', dst: '172.30.0.46', port: 80, output: 'REJECT', masq: false },
];

test('tracer over upstream nft-overall text', () => {
  const { transaction, problems } = parseNftTransaction(overallText);
  assert.deepEqual(problems, []);
  for (const f of overallFlows) {
    const r = traceNftPacket(
      transaction,
      { sourceIP: f.src, protocol: f.protocol ?? 'tcp', destIP: f.dst, destPort: f.port },
      { localIPs },
    );
    assert.deepEqual({ output: r.output, masq: r.masq }, { output: f.output, masq: f.masq }, `${f.name}\n${JSON.stringify(r.hops, null, 1)}`);
    assert.deepEqual(r.unsupported, [], f.name);
  }
});

test('tracer hops name the chain, the rule and the verdict', () => {
  const { transaction } = parseNftTransaction(overallText);
  const r = traceNftPacket(transaction, { sourceIP: '203.0.113.2', protocol: 'tcp', destIP: '172.30.0.41', destPort: 80 }, { localIPs });
  const svc = 'service-ULMVA6XW-ns1/svc1/tcp/p80';
  const ep = 'endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80';
  const hops: Array<[string, string, string]> = [
    ['filter-prerouting-pre-dnat', 'ct state new jump firewall-check', 'jump firewall-check'],
    ['nat-prerouting', 'jump services', 'jump services'],
    ['services', 'ip daddr . meta l4proto . th dport vmap @service-ips', `goto ${svc}`],
    [svc, 'ip daddr 172.30.0.41 ip saddr != 10.0.0.0/8 jump mark-for-masquerade', 'jump mark-for-masquerade'],
    [svc, `numgen random mod 1 vmap { 0 : goto ${ep} }`, `goto ${ep}`],
    [ep, 'meta l4proto tcp dnat to 10.180.0.1:80', 'dnat to 10.180.0.1:80'],
    // After DNAT the filter chains see the endpoint address and find nothing to reject.
    ['filter-forward', 'ct state new jump service-endpoints-check', 'jump service-endpoints-check'],
    ['filter-forward', 'ct state new jump cluster-ips-check', 'jump cluster-ips-check'],
    ['filter-input', 'ct state new jump nodeport-endpoints-check', 'jump nodeport-endpoints-check'],
    ['filter-input', 'ct state new jump service-endpoints-check', 'jump service-endpoints-check'],
  ];
  assert.deepEqual(
    r.hops,
    hops.map(([chain, rule, verdict]) => ({ chain, rule, verdict })),
  );
});

test('tracer reports rules it cannot interpret instead of failing', () => {
  const { transaction } = parseNftTransaction(
    [
      'add table ip kube-proxy',
      'add chain ip kube-proxy nat-prerouting { type nat hook prerouting priority -100 ; }',
      'add chain ip kube-proxy filter-prerouting-pre-dnat { type filter hook prerouting priority -110 ; }',
      'add chain ip kube-proxy filter-forward { type filter hook forward priority 0 ; }',
      'add chain ip kube-proxy filter-input { type filter hook input priority 0 ; }',
      'add rule ip kube-proxy nat-prerouting meta skuid 1000 counter',
      'add rule ip kube-proxy nat-prerouting jump nowhere',
    ].join('\n'),
  );
  const r = traceNftPacket(transaction, { sourceIP: '10.0.0.1', protocol: 'tcp', destIP: '10.0.0.2', destPort: 80 }, { localIPs });
  assert.equal(r.output, '');
  assert.equal(r.unsupported.length, 2, r.unsupported.join('\n'));
});

test('parse and render round-trip every upstream expected.nft (up to normalisation)', () => {
  for (const name of ['nft-overall', 'nft-sync-repeated-step1', 'nft-sync-repeated-step8']) {
    const text = readFileSync(path.join(kubeProxyDir, name, 'expected.nft'), 'utf8');
    const { transaction, problems } = parseNftTransaction(text);
    assert.deepEqual(problems, [], name);
    assert.equal(normaliseNft(renderNftTransaction(transaction)), normaliseNft(text), name);
    assert.deepEqual(parseNftTransaction(renderNftTransaction(transaction)).transaction, transaction, name);
  }
});
