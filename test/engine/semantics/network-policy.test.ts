// NetworkPolicy reachability: every upstream e2e truth table in shared/testdata, the policy-engine
// truth-table and CIDR cases quoted in spec g.5, and hand-derived cases (each names its source).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { testdataDir } from '../../support/paths';
import type { V1NetworkPolicy } from '../../../server/src/engine/model/k8s-types';
import {
  buildNetworkPolicyModel,
  evaluateTraffic,
  type NetpolNamespace,
  type NetpolPod,
  type TrafficEndpoint,
  type TrafficVerdict,
} from '../../../server/src/engine/semantics/network-policy';
import { reachability, type ReachPair } from '../../../server/src/engine/semantics/network-policy-reach';
import { cidrContains, parseCidr, parseIp } from '../../../server/src/engine/semantics/network-policy-cidr';

// ---------------------------------------------------------------------------------------------
// Upstream e2e truth tables (kubernetes test/e2e/network/netpol, transcribed in the vectors file).

type PeerFilter = { namespace?: string; pod?: string };
type TruthCase = {
  source: string;
  test: string;
  modelPorts: number[];
  policies: { name: string; namespace: string; spec: Record<string, unknown> }[];
  probe: { port: number; protocol: 'TCP' | 'UDP' | 'SCTP' };
  expected: { default: boolean; overrides: { from: PeerFilter; to: PeerFilter; allowed: boolean }[] };
  extraNamespaceLabels?: Record<string, Record<string, string>>;
};

const vectors = JSON.parse(fs.readFileSync(path.join(testdataDir, 'netpol-truthtables.json'), 'utf8')) as { cases: TruthCase[] };
const NAMESPACES = ['x', 'y', 'z'];
const PODS = ['a', 'b', 'c'];

function truthTableModel(c: TruthCase) {
  // The e2e model as the vectors file describes it (labels and ports spelled out here, not defaulted).
  const namespaces: NetpolNamespace[] = NAMESPACES.map((ns) => ({
    name: ns,
    labels: { 'kubernetes.io/metadata.name': ns, ...(c.extraNamespaceLabels?.[ns] ?? {}) },
  }));
  const pods: NetpolPod[] = NAMESPACES.flatMap((ns) =>
    PODS.map((name) => ({
      namespace: ns,
      name,
      labels: { pod: name },
      ips: [],
      ports: c.modelPorts.map((p) => ({ name: `serve-${p}-tcp`, containerPort: p, protocol: 'TCP' })),
    })),
  );
  const policies = c.policies.map((p) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: p.name, namespace: p.namespace }, spec: p.spec }) as V1NetworkPolicy);
  return buildNetworkPolicyModel({ namespaces, pods, policies });
}

function peerFilterMatches(f: PeerFilter, key: string): boolean {
  const [ns, pod] = key.split('/');
  return (f.namespace === undefined || f.namespace === ns) && (f.pod === undefined || f.pod === pod);
}

/** Expected value of one pair: the default, then the overrides in order (vectors file description). */
function expectedAllowed(c: TruthCase, from: string, to: string): boolean {
  let allowed = c.expected.default;
  for (const o of c.expected.overrides) if (peerFilterMatches(o.from, from) && peerFilterMatches(o.to, to)) allowed = o.allowed;
  return allowed;
}

let truthTablesPassed = 0;
for (const c of vectors.cases) {
  test(`e2e truth table: ${c.test}`, () => {
    const model = truthTableModel(c);
    const { pairs } = reachability(model, { ports: [c.probe] });
    const mismatches: string[] = [];
    let compared = 0;
    for (const p of pairs) {
      if (p.from === p.to) continue; // loopback is ignored upstream (vectors file description)
      compared++;
      const expected = expectedAllowed(c, p.from, p.to);
      if (p.allowed !== expected) mismatches.push(`${p.from} -> ${p.to}: got ${p.allowed}, expected ${expected}`);
    }
    assert.equal(compared, 72, 'every non-loopback pair of the 3x3 model is probed');
    assert.deepEqual(mismatches, []);
    truthTablesPassed++;
  });
}

test('e2e truth tables: all cases ran and passed', (t) => {
  // node:test runs top-level tests in order, so this one sees every earlier result.
  t.diagnostic(`netpol truth tables passed: ${truthTablesPassed}/${vectors.cases.length}`);
  assert.equal(vectors.cases.length, 29);
  assert.equal(truthTablesPassed, vectors.cases.length);
});

// ---------------------------------------------------------------------------------------------
// Helpers for hand-written cases.

const pod = (namespace: string, name: string): TrafficEndpoint => ({ kind: 'pod', namespace, name });
const ext = (ip: string): TrafficEndpoint => ({ kind: 'external', ip });

function policy(namespace: string, name: string, spec: Record<string, unknown>): V1NetworkPolicy {
  return { metadata: { namespace, name }, spec } as V1NetworkPolicy;
}

function mkPod(namespace: string, name: string, labels: Record<string, string>, ips: string[] = [], ports: NetpolPod['ports'] = []): NetpolPod {
  return { namespace, name, labels, ips, ports };
}

function verdict(v: TrafficVerdict) {
  assert.equal(v.kind, 'verdict');
  if (v.kind !== 'verdict') throw new Error('unreachable');
  return v;
}

type Probe = { name: string; from: TrafficEndpoint; to: TrafficEndpoint; port: number; protocol: string; allowed: boolean };

function checkProbes(model: ReturnType<typeof buildNetworkPolicyModel>, probes: Probe[]) {
  const wrong = probes
    .map((p) => ({ p, got: verdict(evaluateTraffic(model, p)).allowed }))
    .filter(({ p, got }) => got !== p.allowed)
    .map(({ p, got }) => `${p.name}: got ${got}, expected ${p.allowed}`);
  assert.deepEqual(wrong, []);
}

// ---------------------------------------------------------------------------------------------
// Policy-engine truth tables quoted in spec g.5 (cyclonus / policy-assistant pkg/matcher/policy_tests.go).

test('g.5 case 1: ingress rule with only an SCTP protocol allows SCTP and denies TCP, also from external IPs', () => {
  const model = buildNetworkPolicyModel({
    namespaces: [],
    pods: [mkPod('x', 'a', { pod: 'a' }), mkPod('y', 'b', { pod: 'b' })],
    policies: [policy('x', 'sctp-only', { podSelector: {}, ingress: [{ ports: [{ protocol: 'SCTP' }] }] })],
  });
  checkProbes(model, [
    { name: 'TCP from y', from: pod('y', 'b'), to: pod('x', 'a'), port: 103, protocol: 'TCP', allowed: false },
    { name: 'SCTP from y', from: pod('y', 'b'), to: pod('x', 'a'), port: 103, protocol: 'SCTP', allowed: true },
    { name: 'TCP from 1.2.3.4', from: ext('1.2.3.4'), to: pod('x', 'a'), port: 103, protocol: 'TCP', allowed: false },
    { name: 'SCTP from 1.2.3.4', from: ext('1.2.3.4'), to: pod('x', 'a'), port: 103, protocol: 'SCTP', allowed: true },
  ]);
});

test('g.5 case 2: egress ipBlock with host bits set matches a Pod IP in another namespace', () => {
  const model = buildNetworkPolicyModel({
    namespaces: [],
    pods: [mkPod('x', 'a', { pod: 'a' }, ['192.168.1.10']), mkPod('y', 'b', { pod: 'b' }, ['192.168.242.249'])],
    policies: [
      policy('x', 'egress', {
        podSelector: { matchLabels: { pod: 'a' } },
        policyTypes: ['Egress'],
        egress: [
          { ports: [{ port: 80, protocol: 'TCP' }], to: [{ podSelector: {} }, { ipBlock: { cidr: '192.168.242.213/24' } }] },
          { ports: [{ port: 53, protocol: 'UDP' }] },
        ],
      }),
    ],
  });
  checkProbes(model, [
    { name: 'TCP 80 to y/b via ipBlock', from: pod('x', 'a'), to: pod('y', 'b'), port: 80, protocol: 'TCP', allowed: true },
    // Hand-derived from the same policy: port 81 matches no rule; UDP 53 goes anywhere.
    { name: 'TCP 81 to y/b', from: pod('x', 'a'), to: pod('y', 'b'), port: 81, protocol: 'TCP', allowed: false },
    { name: 'UDP 53 to y/b', from: pod('x', 'a'), to: pod('y', 'b'), port: 53, protocol: 'UDP', allowed: true },
  ]);
  const v = verdict(evaluateTraffic(model, { from: pod('x', 'a'), to: pod('y', 'b'), port: 80, protocol: 'TCP' }));
  assert.deepEqual(v.egress, { kind: 'allowed', policies: ['x/egress'] });
  assert.deepEqual(v.ingress, { kind: 'notIsolated' });
});

test('g.5 case 3: ingress on a named port allows an external source when the destination declares it', () => {
  const model = buildNetworkPolicyModel({
    namespaces: [],
    pods: [mkPod('x', 'a', { pod: 'a' }, [], [{ name: 'port-hello', containerPort: 8080, protocol: 'TCP' }])],
    policies: [policy('x', 'named', { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'port-hello' }] }] })],
  });
  checkProbes(model, [
    { name: 'TCP 8080 from 1.2.3.4', from: ext('1.2.3.4'), to: pod('x', 'a'), port: 8080, protocol: 'TCP', allowed: true },
    { name: 'TCP 8081 from 1.2.3.4', from: ext('1.2.3.4'), to: pod('x', 'a'), port: 8081, protocol: 'TCP', allowed: false },
  ]);
});

test('g.5 CIDR membership (pkg/kube/ipaddress_tests.go)', () => {
  const cases: [string, string, boolean][] = [
    ['1.2.3.3', '1.2.3.0/24', true],
    ['1.2.3.3', '1.2.3.0/28', true],
    ['1.2.3.3', '1.2.3.0/30', true],
    ['1.2.3.3', '1.2.3.0/31', false],
    ['fd00:10:244:a8:96fd:be93:52d8:6b85', 'fd00:10:244:a8:96fd:be93:52d8:6b00/120', true],
    ['fd00:10:244:a8:96fd:be93:52d8:6b85', 'fd00:10:244:a8:96fd:be93:52d8:6b80/124', true],
    ['fd00:10:244:a8:96fd:be93:52d8:6b90', 'fd00:10:244:a8:96fd:be93:52d8:6b80/124', false],
    ['2001:0db8::1.2.3.4', '2001:db8::/32', true],
    ['2001:0db9::', '2001:db8::/32', false],
  ];
  const wrong = cases.filter(([ip, cidr, expected]) => {
    const c = parseCidr(cidr);
    const a = parseIp(ip);
    assert.ok(c && a, `${ip} in ${cidr} parses`);
    return cidrContains(c, a) !== expected;
  });
  assert.deepEqual(wrong, []);
});

test('CIDR parsing: legacy IPv4 leading zeros, IPv4-mapped IPv6, bad input (hand-derived from Go net semantics)', () => {
  const contains = (cidr: string, ip: string) => {
    const c = parseCidr(cidr);
    const a = parseIp(ip);
    return c !== undefined && a !== undefined && cidrContains(c, a);
  };
  assert.equal(contains('010.001.0.0/16', '10.1.2.3'), true);
  assert.equal(contains('10.0.0.0/8', '::ffff:10.1.2.3'), true);
  assert.equal(contains('::ffff:10.0.0.0/104', '10.1.2.3'), true);
  assert.equal(contains('10.0.0.0/8', 'fd00::1'), false);
  assert.equal(contains('::/0', '1.2.3.4'), false);
  assert.equal(contains('0.0.0.0/0', '1.2.3.4'), true);
  for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0/8', '1.2.3.256/32', 'fd00::1::2/64', '1:2:3:4:5:6:7:8::/64', 'fe80::1%eth0/64', '/8', '10.0.0.0/-1', '']) {
    assert.equal(parseCidr(bad), undefined, bad);
  }
  assert.ok(parseCidr('1:2:3:4:5:6:7::/128'));
  assert.equal(parseIp('1.2.3'), undefined);
});

// ---------------------------------------------------------------------------------------------
// Hand-derived cases (spec g.1-g.3).

test('ipBlock with except: external and Pod addresses (g.3, g.5: ipBlocks match Pod IPs too)', () => {
  const model = buildNetworkPolicyModel({
    namespaces: [],
    pods: [mkPod('x', 'web', { app: 'web' }, ['10.244.0.5']), mkPod('y', 'in-block', {}, ['10.0.2.2']), mkPod('y', 'in-except', {}, ['10.0.5.9'])],
    policies: [
      policy('x', 'from-block', {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.5.0/24', '10.0.6.128/25'] } }] }],
      }),
    ],
  });
  const to = pod('x', 'web');
  checkProbes(model, [
    { name: 'inside cidr', from: ext('10.0.1.1'), to, port: 80, protocol: 'TCP', allowed: true },
    { name: 'first address of cidr', from: ext('10.0.0.0'), to, port: 80, protocol: 'TCP', allowed: true },
    { name: 'last address of cidr', from: ext('10.0.255.255'), to, port: 80, protocol: 'TCP', allowed: true },
    { name: 'inside except /24', from: ext('10.0.5.7'), to, port: 80, protocol: 'TCP', allowed: false },
    { name: 'just below except /25', from: ext('10.0.6.127'), to, port: 80, protocol: 'TCP', allowed: true },
    { name: 'inside except /25', from: ext('10.0.6.128'), to, port: 80, protocol: 'TCP', allowed: false },
    { name: 'outside cidr', from: ext('10.1.0.1'), to, port: 80, protocol: 'TCP', allowed: false },
    { name: 'IPv6 source', from: ext('fd00::1'), to, port: 80, protocol: 'TCP', allowed: false },
    { name: 'Pod with IP in block', from: pod('y', 'in-block'), to, port: 80, protocol: 'TCP', allowed: true },
    { name: 'Pod with IP in except', from: pod('y', 'in-except'), to, port: 80, protocol: 'TCP', allowed: false },
  ]);
});

test('endPort widens a numeric port to an inclusive range, per protocol (g.3)', () => {
  const model = buildNetworkPolicyModel({
    namespaces: [],
    pods: [mkPod('x', 'client', { role: 'client' })],
    policies: [
      policy('x', 'range', {
        podSelector: { matchLabels: { role: 'client' } },
        policyTypes: ['Egress'],
        egress: [{ ports: [{ protocol: 'TCP', port: 8000, endPort: 8080 }, { protocol: 'UDP', port: 53 }] }],
      }),
    ],
  });
  const from = pod('x', 'client');
  const to = ext('203.0.113.7');
  checkProbes(model, [
    { name: '7999', from, to, port: 7999, protocol: 'TCP', allowed: false },
    { name: '8000', from, to, port: 8000, protocol: 'TCP', allowed: true },
    { name: '8042', from, to, port: 8042, protocol: 'TCP', allowed: true },
    { name: '8080', from, to, port: 8080, protocol: 'TCP', allowed: true },
    { name: '8081', from, to, port: 8081, protocol: 'TCP', allowed: false },
    { name: 'UDP 8000', from, to, port: 8000, protocol: 'UDP', allowed: false },
    { name: 'UDP 53', from, to, port: 53, protocol: 'UDP', allowed: true },
    { name: 'TCP 53', from, to, port: 53, protocol: 'TCP', allowed: false },
  ]);
});

test('named ports resolve per destination Pod, by name and protocol (g.3, b.4)', () => {
  const model = buildNetworkPolicyModel({
    namespaces: [],
    pods: [
      mkPod('x', 'p8080', { app: 'api' }, ['10.1.0.1'], [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]),
      mkPod('x', 'p9090', { app: 'api' }, ['10.1.0.2'], [
        { name: 'metrics', containerPort: 8080, protocol: 'TCP' },
        { name: 'http', containerPort: 9090, protocol: 'TCP' },
        // A second container declaring the same name: the first declaration wins (b.4).
        { name: 'http', containerPort: 9999, protocol: 'TCP' },
      ]),
      mkPod('x', 'udp-only', { app: 'api' }, ['10.1.0.3'], [{ name: 'http', containerPort: 8080, protocol: 'UDP' }]),
      mkPod('y', 'client', { app: 'client' }, ['10.2.0.1'], [{ name: 'http', containerPort: 7070, protocol: 'TCP' }]),
    ],
    policies: [
      policy('x', 'api-http', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'http' }] }] }),
      // Egress named ports resolve at the destination; an external destination has none.
      policy('y', 'client-http', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'http', protocol: 'TCP' }] }] }),
    ],
  });
  const from = pod('y', 'client');
  checkProbes(model, [
    { name: 'p8080:8080', from, to: pod('x', 'p8080'), port: 8080, protocol: 'TCP', allowed: true },
    { name: 'p8080:9090', from, to: pod('x', 'p8080'), port: 9090, protocol: 'TCP', allowed: false },
    { name: 'p9090:9090', from, to: pod('x', 'p9090'), port: 9090, protocol: 'TCP', allowed: true },
    { name: 'p9090:8080 (other name)', from, to: pod('x', 'p9090'), port: 8080, protocol: 'TCP', allowed: false },
    { name: 'p9090:9999 (shadowed)', from, to: pod('x', 'p9090'), port: 9999, protocol: 'TCP', allowed: false },
    { name: 'udp-only TCP 8080', from, to: pod('x', 'udp-only'), port: 8080, protocol: 'TCP', allowed: false },
    { name: 'egress to external 7070 (source declares http=7070, irrelevant)', from, to: ext('10.9.9.9'), port: 7070, protocol: 'TCP', allowed: false },
    { name: 'external to p8080:8080 (no egress check for external)', from: ext('10.9.9.9'), to: pod('x', 'p8080'), port: 8080, protocol: 'TCP', allowed: true },
  ]);
});

test('policyTypes defaulting: egress-only policy without policyTypes also isolates ingress (g.2)', () => {
  const model = buildNetworkPolicyModel({
    namespaces: [],
    pods: [mkPod('x', 'a', { app: 'a' }), mkPod('x', 'b', { app: 'b' })],
    policies: [policy('x', 'egress-dns', { podSelector: { matchLabels: { app: 'a' } }, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })],
  });
  assert.deepEqual(model.policies[0].policy.policyTypes, ['Ingress', 'Egress']);
  const v = verdict(evaluateTraffic(model, { from: pod('x', 'b'), to: pod('x', 'a'), port: 80, protocol: 'TCP' }));
  assert.equal(v.allowed, false);
  assert.deepEqual(v.ingress, { kind: 'denied', policies: ['x/egress-dns'] });
  assert.equal(verdict(evaluateTraffic(model, { from: pod('x', 'a'), to: pod('x', 'b'), port: 53, protocol: 'UDP' })).allowed, true);
  // Explicit [Egress] with ingress rules: the ingress rules are ignored and ingress is not isolated.
  const explicit = buildNetworkPolicyModel({
    namespaces: [],
    pods: [mkPod('x', 'a', { app: 'a' }), mkPod('x', 'b', { app: 'b' })],
    policies: [policy('x', 'p', { podSelector: {}, policyTypes: ['Egress'], ingress: [], egress: [{}] })],
  });
  assert.equal(verdict(evaluateTraffic(explicit, { from: pod('x', 'b'), to: pod('x', 'a'), port: 80, protocol: 'TCP' })).allowed, true);
});

test('peers: podSelector only stays in the policy namespace; {} namespaceSelector is all namespaces but no external IPs (g.3)', () => {
  const pods = [mkPod('x', 'db', { app: 'db' }), mkPod('x', 'web', { app: 'web' }), mkPod('y', 'web', { app: 'web' })];
  const local = buildNetworkPolicyModel({
    namespaces: [],
    pods,
    policies: [policy('x', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ _from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] })],
  });
  checkProbes(local, [
    { name: 'x/web (typed-client `_from` spelling)', from: pod('x', 'web'), to: pod('x', 'db'), port: 5432, protocol: 'TCP', allowed: true },
    { name: 'y/web', from: pod('y', 'web'), to: pod('x', 'db'), port: 5432, protocol: 'TCP', allowed: false },
  ]);
  const allNs = buildNetworkPolicyModel({
    namespaces: [],
    pods,
    policies: [policy('x', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: {} }] }] })],
  });
  checkProbes(allNs, [
    { name: 'y/web', from: pod('y', 'web'), to: pod('x', 'db'), port: 5432, protocol: 'TCP', allowed: true },
    { name: 'external', from: ext('8.8.8.8'), to: pod('x', 'db'), port: 5432, protocol: 'TCP', allowed: false },
  ]);
});

test('namespaceSelector by kubernetes.io/metadata.name works for namespaces the input omits (g.3 defaulting)', () => {
  const model = buildNetworkPolicyModel({
    namespaces: [{ name: 'y', labels: { team: 'blue' } }],
    pods: [mkPod('x', 'db', {}), mkPod('y', 'c', {}), mkPod('z', 'c', {})],
    policies: [policy('x', 'db', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['y', 'z'] }] } }] }] })],
  });
  assert.deepEqual(model.namespaces.map((n) => [n.name, n.labels]), [
    ['x', { 'kubernetes.io/metadata.name': 'x' }],
    ['y', { team: 'blue', 'kubernetes.io/metadata.name': 'y' }],
    ['z', { 'kubernetes.io/metadata.name': 'z' }],
  ]);
  checkProbes(model, [
    { name: 'y', from: pod('y', 'c'), to: pod('x', 'db'), port: 1, protocol: 'TCP', allowed: true },
    { name: 'z', from: pod('z', 'c'), to: pod('x', 'db'), port: 1, protocol: 'TCP', allowed: true },
  ]);
});

test('attribution: allowed lists the allowing policies, denied lists every isolating policy (union, g.1)', () => {
  const model = buildNetworkPolicyModel({
    namespaces: [],
    pods: [mkPod('x', 'a', { app: 'a' }), mkPod('x', 'b', { app: 'b' }), mkPod('y', 'c', { app: 'c' })],
    policies: [
      policy('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
      policy('x', 'a-from-b', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'b' } } }] }] }),
      policy('x', 'b-to-a', { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'a' } } }] }] }),
      // A policy elsewhere never selects Pods of x.
      policy('y', 'allow-all', { podSelector: {}, ingress: [{}] }),
    ],
  });
  const ba = verdict(evaluateTraffic(model, { from: pod('x', 'b'), to: pod('x', 'a'), port: 80, protocol: 'TCP' }));
  assert.deepEqual(ba, { kind: 'verdict', allowed: true, loopback: false, ingress: { kind: 'allowed', policies: ['x/a-from-b'] }, egress: { kind: 'allowed', policies: ['x/b-to-a'] } });
  const ca = verdict(evaluateTraffic(model, { from: pod('y', 'c'), to: pod('x', 'a'), port: 80, protocol: 'TCP' }));
  assert.deepEqual(ca, { kind: 'verdict', allowed: false, loopback: false, ingress: { kind: 'denied', policies: ['x/a-from-b', 'x/deny-all'] }, egress: { kind: 'notIsolated' } });
  const ac = verdict(evaluateTraffic(model, { from: pod('x', 'a'), to: pod('y', 'c'), port: 80, protocol: 'TCP' }));
  assert.deepEqual(ac, { kind: 'verdict', allowed: false, loopback: false, ingress: { kind: 'allowed', policies: ['y/allow-all'] }, egress: { kind: 'denied', policies: ['x/deny-all'] } });
  const aa = verdict(evaluateTraffic(model, { from: pod('x', 'a'), to: pod('x', 'a'), port: 80, protocol: 'TCP' }));
  assert.equal(aa.allowed, true, 'a Pod cannot block access to itself (g.1)');
  assert.equal(aa.loopback, true);
});

test('unknown Pods and bad IPs are reported, not thrown', () => {
  const model = buildNetworkPolicyModel({ namespaces: [], pods: [mkPod('x', 'a', {})], policies: [] });
  assert.deepEqual(evaluateTraffic(model, { from: pod('x', 'nope'), to: pod('x', 'a'), port: 1, protocol: 'TCP' }), { kind: 'unknownPod', pod: 'x/nope' });
  assert.deepEqual(evaluateTraffic(model, { from: ext('999.1.1.1'), to: pod('x', 'a'), port: 1, protocol: 'TCP' }), { kind: 'invalidIp', ip: '999.1.1.1' });
});

test('invalid policy input is evaluated conservatively with problems recorded (never throws)', () => {
  const model = buildNetworkPolicyModel({
    namespaces: [],
    pods: [mkPod('x', 'a', { app: 'a' }, ['10.0.0.1'])],
    policies: [
      policy('x', 'bad', {
        podSelector: {},
        policyTypes: ['Ingress', 'Sideways'],
        ingress: [
          { from: [{}, { ipBlock: { cidr: 'not-a-cidr' } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['bogus'] }, podSelector: {} }], ports: [{ port: 80, endPort: 79 }] },
          null,
        ],
      }),
      { metadata: { name: 'no-spec' } } as V1NetworkPolicy,
    ],
  });
  const bad = model.policies.find((p) => p.policy.key === 'x/bad');
  assert.ok(bad);
  assert.deepEqual(bad.policy.problems.map((p) => p.path), [
    'spec.policyTypes[1]',
    'spec.ingress[0].from[0]',
    'spec.ingress[0].from[1].ipBlock.cidr',
    'spec.ingress[0].from[2]',
    'spec.ingress[0].from[2].ipBlock.except[0]',
    'spec.ingress[0].ports[0].endPort',
  ]);
  // The null rule decodes to `{}` (allow everything), so every source is allowed.
  assert.equal(verdict(evaluateTraffic(model, { from: ext('1.1.1.1'), to: pod('x', 'a'), port: 22, protocol: 'TCP' })).allowed, true);
  // A policy without metadata.namespace lives in the default namespace and selects all its Pods.
  assert.ok(model.policies.some((p) => p.policy.key === 'default/no-spec'));
});

test('reachability output is independent of input order (determinism)', () => {
  const pods = [mkPod('b', 'p', { k: 'v' }, ['10.0.0.2']), mkPod('a', 'q', {}, ['10.0.0.1']), mkPod('a-b', 'r', { k: 'v' })];
  const policies = [
    policy('a', 'one', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { k: 'v' } } }] }] }),
    policy('b', 'two', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/31' } }] }] }),
  ];
  const run = (p: NetpolPod[], q: V1NetworkPolicy[]) =>
    reachability(buildNetworkPolicyModel({ namespaces: [], pods: p, policies: q }), { ports: [{ port: 80, protocol: 'TCP' }], externalIps: ['10.0.0.9', '10.0.0.1'] });
  const forward = run(pods, policies);
  const backward = run([...pods].reverse(), [...policies].reverse());
  assert.deepEqual(forward, backward);
  assert.deepEqual(forward.endpoints, ['a/q', 'a-b/r', 'b/p', '10.0.0.1', '10.0.0.9']);
  const find = (from: string, to: string): ReachPair | undefined => forward.pairs.find((p) => p.from === from && p.to === to);
  assert.deepEqual(find('b/p', 'a/q'), { from: 'b/p', to: 'a/q', port: 80, protocol: 'TCP', allowed: true, ingressPolicies: ['a/one'], egressPolicies: ['b/two'] });
  assert.equal(find('a-b/r', 'a/q')?.allowed, true);
  assert.equal(find('10.0.0.1', 'a/q')?.allowed, false);
  assert.equal(find('10.0.0.1', '10.0.0.9'), undefined, 'external to external is not probed');
  assert.equal(forward.pairs.length, 5 * 5 - 2 * 2);
});
