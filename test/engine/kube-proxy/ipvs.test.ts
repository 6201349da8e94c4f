// kube-proxy IPVS mode. No upstream vectors exist for it (testdata README; spec section 8), so
// every expectation here is derived by hand from the upstream IPVS proxier's rules (spec
// kube-proxy.md section 8 and pkg/proxy/ipvs proxier.go: one virtual server per ClusterIP,
// externalIP, LB VIP and NodePort address; real servers = cluster endpoints, or local ones for
// a Local policy with a fallback to cluster endpoints; ipset entries `IP,proto:port`), applied to
// the upstream nft vector inputs. Oracles our code did not produce: `ipset restore` and
// `iptables-restore --test` accept the output in a private network namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  generateIpvs,
  ipvsIpsetName,
  renderIpsetRestore,
  renderIpvsadmSave,
  type IpvsRuleset,
} from '../../../server/src/engine/simulate/kube-proxy/ipvs';
import { buildKubeProxyModel, type KubeProxyOptions } from '../../../server/src/engine/simulate/kube-proxy/model';
import type { V1EndpointSlice, V1Service } from '../../../server/src/engine/model/k8s-types';
import { caseModel, loadNftCase, nftCaseNames } from './nft-support';

function ipvsOf(name: string, options: Partial<KubeProxyOptions> = {}): IpvsRuleset {
  const c = loadNftCase(name);
  return generateIpvs(buildKubeProxyModel(c.services, c.endpointSlices, { ...c.options, backend: 'ipvs', ...options }));
}

function members(rs: IpvsRuleset, baseName: string): readonly string[] {
  return rs.ipsets.find((s) => s.baseName === baseName)!.members;
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

test('nft-overall objects: ipvsadm -Sn', () => {
  // Node 192.168.0.2 (the only NodePort address); svc2 eTP Local without a local endpoint falls
  // back to the cluster endpoints; svc5 ClientIP affinity -> persistent (-p 10800); svc6 has no
  // endpoints but keeps its virtual server. Sorted by the -A line.
  assert.equal(
    renderIpvsadmSave(ipvsOf('nft-overall')),
    [
      '-A -t 1.2.3.4:80 -s rr',
      '-a -t 1.2.3.4:80 -r 10.180.0.2:80 -m -w 1',
      '-A -t 172.30.0.41:80 -s rr',
      '-a -t 172.30.0.41:80 -r 10.180.0.1:80 -m -w 1',
      '-A -t 172.30.0.42:80 -s rr',
      '-a -t 172.30.0.42:80 -r 10.180.0.2:80 -m -w 1',
      '-A -t 172.30.0.43:80 -s rr',
      '-a -t 172.30.0.43:80 -r 10.180.0.3:80 -m -w 1',
      '-A -t 172.30.0.44:80 -s rr',
      '-a -t 172.30.0.44:80 -r 10.180.0.4:80 -m -w 1',
      '-a -t 172.30.0.44:80 -r 10.180.0.5:80 -m -w 1',
      '-A -t 172.30.0.45:80 -s rr -p 10800',
      '-a -t 172.30.0.45:80 -r 10.180.0.3:80 -m -w 1',
      '-A -t 172.30.0.46:80 -s rr',
      '-A -t 192.168.0.2:3001 -s rr',
      '-a -t 192.168.0.2:3001 -r 10.180.0.2:80 -m -w 1',
      '-A -t 192.168.0.2:3002 -s rr -p 10800',
      '-a -t 192.168.0.2:3002 -r 10.180.0.3:80 -m -w 1',
      '-A -t 192.168.0.2:3003 -s rr',
      '-a -t 192.168.0.2:3003 -r 10.180.0.3:80 -m -w 1',
      '-A -t 192.168.99.22:80 -s rr',
      '-a -t 192.168.99.22:80 -r 10.180.0.2:80 -m -w 1',
      '-A -t 192.168.99.33:80 -s rr',
      '-a -t 192.168.99.33:80 -r 10.180.0.4:80 -m -w 1',
      '-a -t 192.168.99.33:80 -r 10.180.0.5:80 -m -w 1',
      '-A -t 5.6.7.8:80 -s rr -p 10800',
      '-a -t 5.6.7.8:80 -r 10.180.0.3:80 -m -w 1',
      '',
    ].join('\n'),
  );
});

test('nft-overall objects: ipset members and kube-ipvs0 addresses', () => {
  const rs = ipvsOf('nft-overall');
  const expected: Record<string, readonly string[]> = {
    // Local endpoint of svc4 (10.180.0.5 on test-node), for hairpin masquerade.
    'KUBE-LOOP-BACK': ['10.180.0.5,tcp:80,10.180.0.5'],
    'KUBE-CLUSTER-IP': ['172.30.0.41,tcp:80', '172.30.0.42,tcp:80', '172.30.0.43,tcp:80', '172.30.0.44,tcp:80', '172.30.0.45,tcp:80', '172.30.0.46,tcp:80'],
    'KUBE-EXTERNAL-IP': ['192.168.99.33,tcp:80'],
    'KUBE-EXTERNAL-IP-LOCAL': ['192.168.99.22,tcp:80'],
    'KUBE-LOAD-BALANCER': ['1.2.3.4,tcp:80', '5.6.7.8,tcp:80'],
    'KUBE-LOAD-BALANCER-FW': ['5.6.7.8,tcp:80'],
    'KUBE-LOAD-BALANCER-LOCAL': ['1.2.3.4,tcp:80'],
    // The node IP is not inside 203.0.113.0/25, so no source-IP entry.
    'KUBE-LOAD-BALANCER-SOURCE-IP': [],
    'KUBE-LOAD-BALANCER-SOURCE-CIDR': ['5.6.7.8,tcp:80,203.0.113.0/25'],
    'KUBE-NODE-PORT-TCP': ['3001', '3002', '3003'],
    'KUBE-NODE-PORT-LOCAL-TCP': ['3001'],
    'KUBE-NODE-PORT-UDP': [],
    'KUBE-NODE-PORT-LOCAL-UDP': [],
    'KUBE-NODE-PORT-SCTP-HASH': [],
    'KUBE-NODE-PORT-LOCAL-SCTP-HASH': [],
    // svc5 also sets healthCheckNodePort, but only eTP Local services use it.
    'KUBE-HEALTH-CHECK-NODE-PORT': ['30000'],
    'KUBE-IPVS-IPS': ['1.2.3.4', '172.30.0.41', '172.30.0.42', '172.30.0.43', '172.30.0.44', '172.30.0.45', '172.30.0.46', '192.168.99.22', '192.168.99.33', '5.6.7.8'],
  };
  assert.deepEqual(Object.fromEntries(rs.ipsets.map((s) => [s.name, s.members])), expected);
  assert.deepEqual(rs.boundAddresses, expected['KUBE-IPVS-IPS']);
});

test('nft-overall objects: iptables rules', () => {
  const text = ipvsOf('nft-overall').iptablesRestore;
  const all = lines(text);
  const must = [
    '*nat',
    ':KUBE-SERVICES - [0:0]',
    '-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN',
    '-A KUBE-POSTROUTING -m comment --comment "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose" -m set --match-set KUBE-LOOP-BACK dst,dst,src -j MASQUERADE',
    '-A KUBE-SERVICES -m comment --comment "Kubernetes service lb portal" -m set --match-set KUBE-LOAD-BALANCER dst,dst -j KUBE-LOAD-BALANCER',
    '-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port with externalTrafficPolicy=local" -m set --match-set KUBE-NODE-PORT-LOCAL-TCP dst -j RETURN',
    '-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port for masquerade purpose" -m set --match-set KUBE-NODE-PORT-TCP dst -j KUBE-MARK-MASQ',
    '-A KUBE-SERVICES -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
    '-A KUBE-SERVICES -m comment --comment "Kubernetes service external ip + port for masquerade and filter purpose" -m set --match-set KUBE-EXTERNAL-IP dst,dst -j KUBE-MARK-MASQ',
    '-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT',
    '-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ',
    '-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT',
    '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
    '*filter',
    '-A KUBE-SOURCE-RANGES-FIREWALL -j DROP',
    '-A KUBE-IPVS-OUT-FILTER -s 5.6.7.8 -m ipvs --vaddr 5.6.7.8 --vproto tcp --vport 80 -j DROP',
    '-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT',
  ];
  for (const l of must) assert.ok(all.includes(l), `missing: ${l}\n${text}`);
  // nat before filter; the localhost RETURN first and the ACCEPTs after the NodePort jump.
  assert.ok(all.indexOf('*nat') < all.indexOf('*filter'));
  const svc = all.filter((l) => l.startsWith('-A KUBE-SERVICES '));
  assert.equal(svc[0], '-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN');
  assert.deepEqual(svc.slice(-3), [
    '-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT',
    '-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT',
    '-A KUBE-SERVICES -m set --match-set KUBE-LOAD-BALANCER dst,dst -j ACCEPT',
  ]);
  // The vectors' config leaves iptablesHasRandomFully at the model default (true).
  assert.ok(all.includes('-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully'));
});

test('traffic policies pick real servers per virtual server', () => {
  // TestInternalExternalMasquerade objects: svc2 eTP Local with local 10.180.0.2, svc3 iTP Local
  // with local 10.180.0.3; remote endpoints 10.180.1.x.
  const text = renderIpvsadmSave(ipvsOf('nft-internal-external-masquerade-base'));
  const expected = [
    // svc1: Cluster everywhere.
    '-A -t 172.30.0.41:80 -s rr',
    '-a -t 172.30.0.41:80 -r 10.180.0.1:80 -m -w 1',
    '-a -t 172.30.0.41:80 -r 10.180.1.1:80 -m -w 1',
    // svc2: ClusterIP uses all endpoints, LB and NodePort only the local one.
    '-A -t 172.30.0.42:80 -s rr',
    '-a -t 172.30.0.42:80 -r 10.180.0.2:80 -m -w 1',
    '-a -t 172.30.0.42:80 -r 10.180.1.2:80 -m -w 1',
    '-A -t 5.6.7.8:80 -s rr',
    '-a -t 5.6.7.8:80 -r 10.180.0.2:80 -m -w 1',
    '-A -t 192.168.0.2:3002 -s rr',
    '-a -t 192.168.0.2:3002 -r 10.180.0.2:80 -m -w 1',
    // svc3: ClusterIP only the local endpoint, LB and NodePort all.
    '-A -t 172.30.0.43:80 -s rr',
    '-a -t 172.30.0.43:80 -r 10.180.0.3:80 -m -w 1',
    '-A -t 9.10.11.12:80 -s rr',
    '-a -t 9.10.11.12:80 -r 10.180.0.3:80 -m -w 1',
    '-a -t 9.10.11.12:80 -r 10.180.1.3:80 -m -w 1',
    '-A -t 192.168.0.2:3003 -s rr',
    '-a -t 192.168.0.2:3003 -r 10.180.0.3:80 -m -w 1',
    '-a -t 192.168.0.2:3003 -r 10.180.1.3:80 -m -w 1',
  ];
  const got = lines(text);
  for (const l of expected) assert.ok(got.includes(l), `missing: ${l}\n${text}`);
  // Each VS block holds exactly the real servers listed above.
  assert.equal(got.filter((l) => l.startsWith('-a -t 5.6.7.8:80 ')).length, 1);
  assert.equal(got.filter((l) => l.startsWith('-a -t 172.30.0.43:80 ')).length, 1);
  const rs = ipvsOf('nft-internal-external-masquerade-base');
  assert.deepEqual(members(rs, 'KUBE-LOOP-BACK'), ['10.180.0.1,tcp:80,10.180.0.1', '10.180.0.2,tcp:80,10.180.0.2', '10.180.0.3,tcp:80,10.180.0.3']);
  assert.deepEqual(members(rs, 'KUBE-HEALTH-CHECK-NODE-PORT'), ['30002']);
  assert.deepEqual(members(rs, 'KUBE-NODE-PORT-LOCAL-TCP'), ['3002']);
});

test('iTP Local without local endpoints: virtual server without real servers', () => {
  assert.equal(renderIpvsadmSave(ipvsOf('nft-itp-local-no-local')), '-A -t 172.30.1.1:80 -s rr\n');
});

test('protocols: UDP and SCTP flags', () => {
  const got = lines(renderIpvsadmSave(ipvsOf('nft-clusterip-general')));
  for (const l of [
    '-A -u 172.30.0.42:53 -s rr',
    '-a -u 172.30.0.42:53 -r 10.180.0.1:53 -m -w 1',
    '-A --sctp-service 172.30.0.42:53 -s rr',
    '-a --sctp-service 172.30.0.42:53 -r 10.180.2.1:53 -m -w 1',
    '-A -t 172.30.0.42:53 -s rr',
    '-a -t 172.30.0.42:53 -r 10.180.0.1:5353 -m -w 1',
  ]) {
    assert.ok(got.includes(l), `missing: ${l}`);
  }
});

test('LoadBalancerSourceRanges containing the node IP allow the VIP as source', () => {
  // TestLoadBalancer objects: 192.168.0.0/24 holds the node IP 192.168.0.2.
  const rs = ipvsOf('nft-loadbalancer-source-ranges');
  assert.deepEqual(members(rs, 'KUBE-LOAD-BALANCER-SOURCE-IP'), ['1.2.3.4,tcp:80,1.2.3.4', '5.6.7.8,tcp:80,5.6.7.8']);
  assert.deepEqual(members(rs, 'KUBE-LOAD-BALANCER-SOURCE-CIDR'), [
    '1.2.3.4,tcp:80,192.168.0.0/24',
    '1.2.3.4,tcp:80,203.0.113.0/25',
    '5.6.7.8,tcp:80,192.168.0.0/24',
    '5.6.7.8,tcp:80,203.0.113.0/25',
  ]);
  assert.ok(!rs.iptablesRestore.includes('KUBE-IPVS-OUT-FILTER -s'));
});

test('IPv6: KUBE-6- set names, bracketed addresses, NodePorts on every matching address', () => {
  const rs = ipvsOf('nft-nodeports-ipv6-multiple-nodeport-addresses');
  assert.equal(ipvsIpsetName('KUBE-LOAD-BALANCER-SOURCE-CIDR', 'IPv6'), 'KUBE-6-LOAD-BALANCER-SOURCE-CID');
  assert.deepEqual(
    rs.ipsets.map((s) => s.name).filter((n) => !n.startsWith('KUBE-6-')),
    [],
  );
  const got = lines(renderIpvsadmSave(rs));
  for (const l of [
    '-A -t [fd00:172:30::41]:80 -s rr',
    '-a -t [fd00:172:30::41]:80 -r [fd00:10:180::1]:80 -m -w 1',
    '-a -t [fd00:172:30::41]:80 -r [fd00:10:180::2:1]:80 -m -w 1',
    '-A -t [2001:db8::1]:3001 -s rr',
    '-A -t [2001:db8:1::2]:3001 -s rr',
  ]) {
    assert.ok(got.includes(l), `missing: ${l}`);
  }
  assert.equal(got.filter((l) => l.startsWith('-A ')).length, 3);
  assert.ok(rs.iptablesRestore.includes('-A KUBE-SERVICES -s ::1/128 -j RETURN\n'));
  assert.ok(rs.iptablesRestore.includes('--match-set KUBE-6-CLUSTER-IP dst,dst ! -s fd00:10::/64 -j KUBE-MARK-MASQ\n'));
});

test('NodePorts on all addresses, SCTP NodePort set, detector variants', () => {
  const services = [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', namespace: 'ns' },
      spec: { type: 'NodePort', clusterIP: '172.30.0.9', ports: [{ name: 'p', port: 9, protocol: 'SCTP', nodePort: 30009 }] },
    },
  ] as unknown as V1Service[];
  const slices = [] as V1EndpointSlice[];
  const base = loadNftCase('nft-overall').options;
  const rs = generateIpvs(buildKubeProxyModel(services, slices, { ...base, nodePortAddresses: null, masqueradeAll: true }));
  // eth0 holds 192.168.0.2, 192.168.1.2, 192.168.99.11; loopback is never a NodePort address.
  assert.deepEqual(members(rs, 'KUBE-NODE-PORT-SCTP-HASH'), ['192.168.0.2,sctp:30009', '192.168.1.2,sctp:30009', '192.168.99.11,sctp:30009']);
  assert.deepEqual(
    lines(renderIpvsadmSave(rs)),
    [
      '-A --sctp-service 172.30.0.9:9 -s rr',
      '-A --sctp-service 192.168.0.2:30009 -s rr',
      '-A --sctp-service 192.168.1.2:30009 -s rr',
      '-A --sctp-service 192.168.99.11:30009 -s rr',
    ],
  );
  assert.ok(rs.iptablesRestore.includes('-A KUBE-NODE-PORT -p sctp -m comment --comment "Kubernetes nodeport SCTP port for masquerade purpose with type \'hash ip:port\'" -m set --match-set KUBE-NODE-PORT-SCTP-HASH dst,dst -j KUBE-MARK-MASQ\n'));
  // masqueradeAll: no source test on the ClusterIP masquerade rule.
  assert.ok(rs.iptablesRestore.includes('--match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ\n'));
  // No detector: masquerade node traffic sourced from a VIP instead.
  const none = generateIpvs(buildKubeProxyModel(services, slices, { ...base, localDetector: { mode: 'None' } }));
  assert.ok(none.iptablesRestore.includes('--match-set KUBE-CLUSTER-IP src,dst -j KUBE-MARK-MASQ\n'));
  const mh = generateIpvs(buildKubeProxyModel(services, slices, base), { scheduler: 'mh' });
  assert.equal(lines(renderIpvsadmSave(mh))[0], '-A --sctp-service 172.30.0.9:9 -s mh -b mh-port');
});

test('output does not depend on input order', () => {
  const c = loadNftCase('nft-overall');
  const a = generateIpvs(caseModel(c));
  const b = generateIpvs(buildKubeProxyModel([...c.services].reverse(), [...c.endpointSlices].reverse(), c.options));
  assert.deepEqual(b, a);
});

// ---------------------------------------------------------------------------------------------
// Load checks: the kernel (ipset) and iptables-restore accept our output.

function loadCapability(): string | undefined {
  for (const tool of ['ipset', 'iptables-restore', 'ip6tables-restore', 'unshare']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    if (r.status !== 0) return `${tool} is not installed (Debian packages "ipset", "iptables", "util-linux")`;
  }
  const probe = spawnSync('unshare', ['-n', 'sh', '-c', 'ipset create KG-PROBE hash:ip && ipset destroy KG-PROBE'], { encoding: 'utf8' });
  if (probe.status !== 0) return `ipset does not work in a private network namespace: ${probe.stderr.trim()}`;
  return undefined;
}

test('ipset restore + iptables-restore --test accept every case', (t) => {
  const reason = loadCapability();
  if (reason !== undefined) {
    console.log(`# ipvs load check skipped: ${reason}`);
    t.skip(reason);
    return;
  }
  const failures: string[] = [];
  let checked = 0;
  const check = (label: string, rs: IpvsRuleset): void => {
    const restore = rs.family === 'IPv6' ? 'ip6tables-restore' : 'iptables-restore';
    // Sets first (the rules refer to them), then the rules, in one namespace.
    const script = `ipset restore <<'KG_SETS'\n${renderIpsetRestore(rs)}KG_SETS\n${restore} --test --noflush <<'KG_RULES'\n${rs.iptablesRestore}KG_RULES\n`;
    const r = spawnSync('unshare', ['-n', 'sh', '-e', '-c', script], { encoding: 'utf8' });
    checked++;
    const stderr = r.stderr.split('\n').filter((l) => l !== '' && !/Extension ipvs revision 0 not supported/.test(l));
    if (r.status !== 0 || stderr.length > 0) failures.push(`${label}: exit ${r.status}\n${stderr.join('\n')}`);
  };
  for (const name of nftCaseNames()) check(name, ipvsOf(name));
  check('nft-overall masqueradeAll', ipvsOf('nft-overall', { masqueradeAll: true }));
  check('nft-overall no detector', ipvsOf('nft-overall', { localDetector: { mode: 'None' } }));
  check('nft-overall bridge detector', ipvsOf('nft-overall', { localDetector: { mode: 'BridgeInterface', bridgeInterface: 'cbr0' } }));
  assert.deepEqual(failures, []);
  assert.equal(checked, 16);
});

test('the load check can fail', (t) => {
  const reason = loadCapability();
  if (reason !== undefined) {
    t.skip(reason);
    return;
  }
  const rs = ipvsOf('nft-overall');
  // Rules referring to a set that was never created must be refused.
  const script = `iptables-restore --test --noflush <<'KG_RULES'\n${rs.iptablesRestore}KG_RULES\n`;
  const r = spawnSync('unshare', ['-n', 'sh', '-e', '-c', script], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
});
