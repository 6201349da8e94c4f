// Services as stored: v1 defaults (spec semantics.md b.1), ClusterIP allocation (kind's
// address plan: `kubernetes` = first address, kube-dns = 10.96.0.10), NodePorts, families.
// Expectations are hand-derived from those rules and the default profile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PROFILE, parseProfile } from '../../../server/src/engine/simulate/profile';
import { allocateServices } from '../../../server/src/engine/simulate/cluster-ip';
import { cidrContains, parseCIDR, parseIP } from '../../../server/src/engine/simulate/sim-ip';
import { docs, shuffled } from './sim-fixtures';

function services(yaml: string, profile = DEFAULT_PROFILE) {
  return allocateServices(docs(yaml), { profile });
}
const svc = (ns: string, name: string, spec = '{ports: [{port: 80}]}') => `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec: ${spec}
`;
const byName = (r: ReturnType<typeof services>) => Object.fromEntries(r.services.map((s) => [`${s.ref.namespace}/${s.ref.name}`, s.service.spec!]));

test('kubernetes gets the first address, kube-dns the DNS service IP, others neither', () => {
  const many = Array.from({ length: 40 }, (_, i) => svc('apps', `s${i}`)).join('---');
  const r = services(`${svc('default', 'kubernetes')}---${svc('kube-system', 'kube-dns')}---${many}`);
  const s = byName(r);
  assert.equal(s['default/kubernetes'].clusterIP, '10.96.0.1');
  assert.equal(s['kube-system/kube-dns'].clusterIP, '10.96.0.10');
  const range = parseCIDR('10.96.0.0/16')!;
  const seen = new Set<string>();
  for (const [key, spec] of Object.entries(s)) {
    const ip = spec.clusterIP!;
    assert.ok(cidrContains(range, parseIP(ip)!), `${key} ${ip} in range`);
    assert.ok(!seen.has(ip), `${ip} unique`);
    seen.add(ip);
    if (key.startsWith('apps/')) assert.ok(!['10.96.0.0', '10.96.0.1', '10.96.0.10', '10.96.255.255'].includes(ip), ip);
    assert.deepEqual(spec.clusterIPs, [ip]);
    assert.deepEqual(spec.ipFamilies, ['IPv4']);
    assert.equal(spec.ipFamilyPolicy, 'SingleStack');
  }
  assert.deepEqual(r.problems, []);
  assert.ok(r.services.every((x) => x.allocatedClusterIP));
});

test('the DNS service IP and the first address stay free even without those Services', () => {
  const { profile } = parseProfile({ profile: { serviceCIDR: '10.0.0.0/29' } });
  // 10.0.0.0/29: .0 network, .7 broadcast, .1 kubernetes, .10 is outside; so .2-.6 are free.
  const r = services(Array.from({ length: 6 }, (_, i) => svc('a', `s${i}`)).join('---'), profile);
  const ips = r.services.map((s) => s.service.spec!.clusterIP).filter((ip) => ip !== undefined).sort();
  assert.deepEqual(ips, ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
  assert.deepEqual(r.problems.map((p) => p.message), ['no free ClusterIP left in 10.0.0.0/29']);
});

test('explicit ClusterIPs are kept; taken twice or outside the range is reported', () => {
  const r = services([
    svc('a', 'one', '{clusterIP: 10.96.5.5, ports: [{port: 80}]}'),
    svc('a', 'two', '{clusterIP: 10.96.5.5, ports: [{port: 80}]}'),
    svc('a', 'far', '{clusterIP: 10.3.0.1, ports: [{port: 80}]}'),
    svc('a', 'auto'),
  ].join('---'));
  const s = byName(r);
  assert.equal(s['a/one'].clusterIP, '10.96.5.5');
  assert.equal(s['a/far'].clusterIP, '10.3.0.1');
  assert.notEqual(s['a/auto'].clusterIP, '10.96.5.5');
  assert.deepEqual(r.problems.map((p) => `${p.object.name} ${p.field}: ${p.message}`), [
    'far spec.clusterIPs: failed to allocate IP 10.3.0.1: provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/16',
    'two spec.clusterIPs: failed to allocate IP 10.96.5.5: provided IP is already allocated',
  ]);
  assert.deepEqual(r.services.map((x) => [x.ref.name, x.allocatedClusterIP]), [['auto', true], ['far', false], ['one', false], ['two', false]]);
});

test('headless keeps None, ExternalName gets no address', () => {
  const s = byName(services([
    svc('a', 'hl', '{clusterIP: None, selector: {app: x}}'),
    svc('a', 'ext', '{type: ExternalName, externalName: example.com}'),
  ].join('---')));
  assert.equal(s['a/hl'].clusterIP, 'None');
  assert.deepEqual(s['a/hl'].clusterIPs, ['None']);
  assert.deepEqual(s['a/hl'].ipFamilies, ['IPv4']);
  assert.equal(s['a/ext'].clusterIP, undefined);
  assert.equal(s['a/ext'].internalTrafficPolicy, undefined, 'no internalTrafficPolicy default for ExternalName');
});

test('v1 defaults (spec b.1)', () => {
  const s = byName(services([
    svc('a', 'plain', '{ports: [{name: web, port: 80}, {name: alt, port: 81, targetPort: 0}, {name: named, port: 82, targetPort: http, protocol: UDP}]}'),
    svc('a', 'sticky', '{sessionAffinity: ClientIP, ports: [{port: 80}]}'),
    svc('a', 'lb', '{type: LoadBalancer, ports: [{port: 80}]}'),
  ].join('---')));
  assert.equal(s['a/plain'].type, 'ClusterIP');
  assert.equal(s['a/plain'].sessionAffinity, 'None');
  assert.equal(s['a/plain'].internalTrafficPolicy, 'Cluster');
  assert.equal(s['a/plain'].externalTrafficPolicy, undefined);
  assert.deepEqual(s['a/plain'].ports!.map((p) => [p.protocol, p.targetPort]), [['TCP', 80], ['TCP', 81], ['UDP', 'http']]);
  assert.equal(s['a/sticky'].sessionAffinityConfig?.clientIP?.timeoutSeconds, 10800);
  assert.equal(s['a/lb'].externalTrafficPolicy, 'Cluster');
  assert.equal(s['a/lb'].allocateLoadBalancerNodePorts, true);
});

test('NodePorts: allocated in range for NodePort/LoadBalancer, explicit kept, health check for LB + Local', () => {
  const r = services([
    svc('a', 'np', '{type: NodePort, ports: [{port: 80}, {port: 81, nodePort: 30080}]}'),
    svc('a', 'lb', '{type: LoadBalancer, externalTrafficPolicy: Local, ports: [{port: 443}]}'),
    svc('a', 'lb-no-np', '{type: LoadBalancer, allocateLoadBalancerNodePorts: false, ports: [{port: 443}]}'),
    svc('a', 'cip', '{ports: [{port: 80}]}'),
  ].join('---'));
  const s = byName(r);
  const np = s['a/np'].ports!.map((p) => p.nodePort!);
  assert.equal(np[1], 30080);
  assert.ok(np[0] >= 30000 && np[0] <= 32767 && np[0] !== 30080);
  const lbPort = s['a/lb'].ports![0].nodePort!;
  const hc = s['a/lb'].healthCheckNodePort!;
  assert.ok(lbPort >= 30000 && lbPort <= 32767);
  assert.ok(hc >= 30000 && hc <= 32767 && hc !== lbPort);
  assert.equal(s['a/lb-no-np'].ports![0].nodePort, undefined);
  assert.equal(s['a/cip'].ports![0].nodePort, undefined);
});

test('dual stack: PreferDualStack gets both families on a dual-stack profile', () => {
  const { profile } = parseProfile({ profile: {
    serviceCIDRs: ['10.96.0.0/16', 'fd00:10:96::/112'],
    podCIDRs: ['10.244.0.0/16', 'fd00:10:244::/56'],
    nodes: [{ name: 'n', internalIPs: ['172.18.0.2', 'fc00::2'], podCIDRs: ['10.244.0.0/24', 'fd00:10:244::/64'] }],
  } });
  const s = byName(services([
    svc('a', 'dual', '{ipFamilyPolicy: PreferDualStack, ports: [{port: 80}]}'),
    svc('a', 'six', '{ipFamilies: [IPv6], ports: [{port: 80}]}'),
    svc('a', 'single', '{ports: [{port: 80}]}'),
    svc('a', 'hl-no-selector', '{clusterIP: None}'),
  ].join('---'), profile));
  assert.deepEqual(s['a/dual'].ipFamilies, ['IPv4', 'IPv6']);
  assert.equal(s['a/dual'].clusterIPs!.length, 2);
  assert.ok(s['a/dual'].clusterIPs![1].startsWith('fd00:10:96::'));
  assert.deepEqual(s['a/six'].ipFamilies, ['IPv6']);
  assert.ok(s['a/six'].clusterIP!.startsWith('fd00:10:96::'));
  assert.deepEqual(s['a/single'].ipFamilies, ['IPv4']);
  assert.deepEqual(s['a/hl-no-selector'].ipFamilies, ['IPv4', 'IPv6']);
  assert.equal(s['a/hl-no-selector'].ipFamilyPolicy, 'RequireDualStack');
});

test('stable under unrelated edits, independent of input order, input not mutated', () => {
  const text = ['a', 'b', 'c', 'd'].map((n) => svc('apps', n)).join('---');
  const objects = docs(text);
  const before = JSON.stringify(objects);
  const a = allocateServices(objects, { profile: DEFAULT_PROFILE });
  assert.equal(JSON.stringify(objects), before);
  assert.deepEqual(allocateServices(shuffled(objects), { profile: DEFAULT_PROFILE }), a);
  const more = services(`${text}---${svc('apps', 'zz')}---${svc('other', 'a')}`);
  for (const s of a.services) {
    const same = more.services.find((x) => x.ref.namespace === s.ref.namespace && x.ref.name === s.ref.name)!;
    assert.equal(same.service.spec!.clusterIP, s.service.spec!.clusterIP, s.ref.name);
  }
});

test('duplicates and malformed objects', () => {
  const r = allocateServices(
    [null, { kind: 'Service' }, { kind: 'Service', metadata: { name: 'x' }, spec: 'nope' },
      { kind: 'Service', metadata: { name: 'x' } }, { kind: 'Service', metadata: { name: 'y' }, spec: { clusterIP: 'abc', ports: 'p' } }],
    { profile: DEFAULT_PROFILE },
  );
  assert.deepEqual(r.services.map((s) => s.ref.name), ['x', 'y']);
  assert.deepEqual(r.problems.map((p) => p.message), [
    'Service default/x is defined more than once; the first definition is used',
    '"abc" is not an IP address; a ClusterIP is allocated instead',
  ]);
  assert.match(r.services[1].service.spec!.clusterIP!, /^10\.96\./);
});
