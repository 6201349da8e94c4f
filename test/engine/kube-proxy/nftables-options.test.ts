// nftables generator options that no upstream vector covers (masqueradeAll, other local-traffic
// detectors, NodePorts on all addresses, IPv6 dumps). Oracles: `nft -c` accepts every variant,
// and packet flows hand-derived from spec kube-proxy.md section 5.6 (masquerade summary) and
// section 7, traced over our output. Inputs are the upstream nft-overall objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateNftables } from '../../../server/src/engine/simulate/kube-proxy/nftables';
import { renderNftLoadable, renderNftTransaction } from '../../../server/src/engine/simulate/kube-proxy/nft-transaction';
import { traceNftPacket } from '../../../server/src/engine/simulate/kube-proxy/nft-trace';
import { buildKubeProxyModel, type KubeProxyOptions } from '../../../server/src/engine/simulate/kube-proxy/model';
import { loadNftCase, nftCheck, nftCheckCapability } from './nft-support';

const overall = loadNftCase('nft-overall');
const ipv6 = loadNftCase('nft-nodeports-ipv6-multiple-nodeport-addresses');
const localIPs = ['192.168.0.2', '192.168.1.2', '192.168.99.11', '2001:db8::1', '2001:db8:1::2'];

interface Variant {
  readonly name: string;
  readonly base: typeof overall;
  readonly options: Partial<KubeProxyOptions>;
  /** [src, dst, port, output, masq], hand-derived. */
  readonly flows: ReadonlyArray<readonly [string, string, number, string, boolean]>;
  /** Rule lines (after `add rule ip kube-proxy `) that must appear. */
  readonly rules?: readonly string[];
}

const variants: readonly Variant[] = [
  {
    name: 'masqueradeAll masquerades pod traffic to ClusterIPs',
    base: overall,
    options: { masqueradeAll: true },
    flows: [['10.0.0.2', '172.30.0.41', 80, '10.180.0.1:80', true]],
    rules: ['service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 jump mark-for-masquerade'],
  },
  {
    name: 'no detector: no ClusterIP masquerade, no pod short-circuit',
    base: overall,
    options: { localDetector: { mode: 'None' } },
    flows: [
      ['203.0.113.2', '172.30.0.41', 80, '10.180.0.1:80', false],
      // svc2 (eTP Local, no local endpoint): pod traffic is no longer recognised.
      ['10.0.0.2', '192.168.99.22', 80, 'DROP', false],
      // Node traffic is still short-circuited and masqueraded.
      ['192.168.0.2', '192.168.99.22', 80, '10.180.0.2:80', true],
    ],
  },
  {
    name: 'bridge interface detector',
    base: overall,
    options: { localDetector: { mode: 'BridgeInterface', bridgeInterface: 'cbr0' } },
    // A traced packet has no input interface, so it counts as not coming from a local pod.
    flows: [['10.0.0.2', '172.30.0.41', 80, '10.180.0.1:80', true]],
    rules: [
      'service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 iifname != cbr0 jump mark-for-masquerade',
      'external-42NFTM6N-ns2/svc2/tcp/p80 iifname cbr0 goto service-42NFTM6N-ns2/svc2/tcp/p80 comment "short-circuit pod traffic"',
    ],
  },
  {
    name: 'interface prefix detector',
    base: overall,
    options: { localDetector: { mode: 'InterfaceNamePrefix', interfaceNamePrefix: 'veth' } },
    flows: [['10.0.0.2', '172.30.0.41', 80, '10.180.0.1:80', true]],
    rules: ['service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 iifname != veth* jump mark-for-masquerade'],
  },
  {
    name: 'nodePortAddresses unset: NodePorts on every local address',
    base: overall,
    options: { nodePortAddresses: null },
    flows: [
      ['203.0.113.2', '192.168.1.2', 3003, '10.180.0.3:80', true],
      ['203.0.113.2', '192.168.0.2', 3003, '10.180.0.3:80', true],
      ['203.0.113.2', '10.1.2.3', 3003, '', false],
      ['203.0.113.2', '192.168.1.2', 3001, 'DROP', false],
    ],
    rules: [
      'services fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports',
      'nodeport-endpoints-check fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @no-endpoint-nodeports',
    ],
  },
  {
    name: 'IPv6, nodePortAddresses unset',
    base: ipv6,
    options: { nodePortAddresses: null },
    flows: [['2600:5200::1', '2001:db8:1::2', 3001, '[fd00:10:180::1]:80, [fd00:10:180::2:1]:80', true]],
    rules: ['services fib daddr type local ip6 daddr != ::1 meta l4proto . th dport vmap @service-nodeports'],
  },
];

for (const v of variants) {
  test(v.name, (t) => {
    const model = buildKubeProxyModel(v.base.services, v.base.endpointSlices, { ...v.base.options, ...v.options });
    const tx = generateNftables(model);
    const text = renderNftTransaction(tx);
    for (const r of v.rules ?? []) {
      const line = `add rule ${tx.family} kube-proxy ${r}`;
      assert.ok(text.split('\n').includes(line), `missing: ${line}`);
    }
    for (const [src, dst, port, output, masq] of v.flows) {
      const r = traceNftPacket(tx, { sourceIP: src, protocol: 'tcp', destIP: dst, destPort: port }, { localIPs });
      assert.deepEqual([r.output, r.masq, r.unsupported], [output, masq, []], `${src} -> ${dst}:${port}`);
    }
    const cap = nftCheckCapability();
    if (!cap.ok) {
      t.diagnostic(`nft load check skipped: ${cap.reason}`);
      return;
    }
    const check = nftCheck(renderNftLoadable(tx));
    assert.ok(check.ok, check.stderr);
  });
}

test('IPv6 dump shape', () => {
  const tx = generateNftables(buildKubeProxyModel(ipv6.services, ipv6.endpointSlices, ipv6.options));
  const text = renderNftTransaction(tx);
  // Hand-derived from spec section 7 (ip6 family, ipv6_addr keys, dotted endpoint names).
  for (const line of [
    'add table ip6 kube-proxy { comment "rules for kube-proxy" ; }',
    'add set ip6 kube-proxy cluster-ips { type ipv6_addr ; comment "Active ClusterIPs" ; }',
    'add element ip6 kube-proxy nodeport-ips { 2001:db8::1 }',
    'add element ip6 kube-proxy nodeport-ips { 2001:db8:1::2 }',
    'add rule ip6 kube-proxy cluster-ips-check ip6 daddr { fd00:10:96::/112 } drop comment "Drop traffic to unallocated ClusterIPs"',
    'add element ip6 kube-proxy service-nodeports { tcp . 3001 : goto external-ULMVA6XW-ns1/svc1/tcp/p80 }',
  ]) {
    assert.ok(text.split('\n').includes(line), `missing: ${line}\n${text}`);
  }
  assert.match(text, /add rule ip6 kube-proxy endpoint-\w{8}-ns1\/svc1\/tcp\/p80__fd00\.10\.180\.\.2\.1\/80 meta l4proto tcp dnat to \[fd00:10:180::2:1\]:80\n/);
});
