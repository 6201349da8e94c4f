// The shared proxier model (spec kube-proxy.md sections 1-3) on hand-made inputs: option
// parsing, kube-proxy's lenient address handling, which Services and slices count, endpoint
// merging and the CategorizeEndpoints cases. Expectations are derived by hand from the spec
// sections named in each case.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { V1EndpointSlice, V1Service } from '../../../server/src/engine/model/k8s-types';
import {
  type KubeProxyOptions,
  buildKubeProxyModel,
  categorizeEndpoints,
  defaultKubeProxyOptions,
  parseKubeProxyOptions,
} from '../../../server/src/engine/simulate/kube-proxy/model';
import { canonicalIP, parseCIDRSloppy } from '../../../server/src/engine/simulate/kube-proxy/ip-address';
import { listVectorCases, loadVectorCase } from './support';

const options: KubeProxyOptions = { ...defaultKubeProxyOptions, nodeName: 'node-a', nodeIP: '192.168.0.2' };

function svc(name: string, spec: Record<string, unknown>, status: Record<string, unknown> = {}): V1Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'ns' }, spec, status } as unknown as V1Service;
}

function slice(name: string, service: string, endpoints: unknown[], ports: unknown[], addressType = 'IPv4'): V1EndpointSlice {
  return {
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'ns', labels: { 'kubernetes.io/service-name': service } },
    addressType,
    endpoints,
    ports,
  } as unknown as V1EndpointSlice;
}

const p80 = [{ name: 'p80', port: 80, protocol: 'TCP' }];

test('every vector config parses without problems; {} gives the defaults', () => {
  for (const name of [...listVectorCases('ipt-'), ...listVectorCases('nft-')]) {
    assert.deepEqual(parseKubeProxyOptions(loadVectorCase(name).config).problems, [], name);
  }
  assert.deepEqual(parseKubeProxyOptions({}), { options: defaultKubeProxyOptions, problems: [] });
  const bad = parseKubeProxyOptions({ ipFamily: 'IPv5', masqueradeAll: 'yes', localDetector: { mode: 'ClusterCIDR' } });
  assert.equal(bad.options.ipFamily, 'IPv4');
  assert.equal(bad.problems.length, 3);
  assert.equal(parseKubeProxyOptions(42).problems.length, 1);
});

test('lenient addresses (spec 2, 3): leading zeros, spaces, IPv6 canonical text, IPv4-mapped', () => {
  const cases: Array<[string, string | undefined]> = [
    ['172.30.0.041', '172.30.0.41'],
    ['10.180.00.001', '10.180.0.1'],
    ['010.0.0.1', '10.0.0.1'],
    ['256.0.0.1', undefined],
    ['1.2.3', undefined],
    ['FD00:0:0::0001', 'fd00::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['::', '::'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['fe80::1%eth0', undefined],
    ['1:2:3:4:5:6:7:8:9', undefined],
    [' 10.0.0.1', undefined],
  ];
  for (const [input, expected] of cases) assert.equal(canonicalIP(input), expected, input);
  assert.equal(parseCIDRSloppy('203.0.113.000/025')?.text, '203.0.113.0/25');
  assert.equal(parseCIDRSloppy('10.1.2.3/8')?.text, '10.0.0.0/8');
  assert.equal(parseCIDRSloppy('2001:db8::1/64')?.text, '2001:db8::/64');
  assert.equal(parseCIDRSloppy('10.0.0.0/33'), undefined);
});

test('service port facts (spec 2)', () => {
  const model = buildKubeProxyModel(
    [
      svc(
        'lb',
        {
          type: 'LoadBalancer',
          clusterIP: '172.30.0.041',
          externalIPs: ['192.168.99.022', '2001:db8::5', 'junk'],
          loadBalancerSourceRanges: [' 203.0.113.000/025 ', '2001:db8::/64', 'nope'],
          externalTrafficPolicy: 'Local',
          healthCheckNodePort: 30000,
          sessionAffinity: 'ClientIP',
          ports: [
            { name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 },
            { name: 'dns', port: 53, protocol: 'UDP' },
          ],
        },
        { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { ip: '5.6.7.8', ipMode: 'Proxy' }, { hostname: 'lb.example' }, { ip: '2001:db8::9' }] } },
      ),
      svc('np-cluster', { type: 'NodePort', clusterIP: '172.30.0.42', externalTrafficPolicy: 'Cluster', healthCheckNodePort: 30001, ports: p80 }),
      svc('ext-ip-local', { clusterIP: '172.30.0.43', externalIPs: ['192.168.99.1'], externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Local', ports: p80 }),
      svc('clusterip-etp-local', { clusterIP: '172.30.0.44', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] }),
    ],
    [],
    options,
  );
  const byName = new Map(model.servicePorts.map((sp) => [`${sp.servicePortName}/${sp.protocol}`, sp]));
  assert.deepEqual([...byName.keys()], ['ns/clusterip-etp-local/TCP', 'ns/ext-ip-local:p80/TCP', 'ns/lb:dns/UDP', 'ns/lb:p80/TCP', 'ns/np-cluster:p80/TCP']);
  const lb = byName.get('ns/lb:p80/TCP')!;
  assert.equal(lb.clusterIP, '172.30.0.41');
  assert.deepEqual(lb.externalIPs, ['192.168.99.22']);
  assert.deepEqual(lb.loadBalancerSourceRanges, ['203.0.113.0/25']);
  assert.deepEqual(lb.loadBalancerVIPs, ['1.2.3.4']);
  assert.equal(lb.nodePort, 3001);
  assert.equal(lb.healthCheckNodePort, 30000);
  assert.equal(lb.externalPolicyLocal, true);
  assert.deepEqual(lb.sessionAffinity, { kind: 'ClientIP', timeoutSeconds: 10800 });
  assert.equal(byName.get('ns/np-cluster:p80/TCP')!.healthCheckNodePort, 0);
  const ext = byName.get('ns/ext-ip-local:p80/TCP')!;
  assert.equal(ext.externalPolicyLocal, true, 'ClusterIP with externalIPs is externally accessible');
  assert.equal(ext.internalPolicyLocal, true);
  assert.equal(byName.get('ns/clusterip-etp-local/TCP')!.externalPolicyLocal, false, 'plain ClusterIP ignores eTP');
});

test('which Services count (spec 2)', () => {
  const model = buildKubeProxyModel(
    [
      svc('headless', { clusterIP: 'None', ports: p80 }),
      svc('no-ip', { ports: p80 }),
      svc('extname', { type: 'ExternalName', clusterIP: '172.30.0.9', ports: p80 }),
      svc('v6only', { clusterIP: 'fd00::1', ports: p80 }),
      svc('dual', { clusterIP: 'fd00::2', clusterIPs: ['fd00::2', '172.30.0.2'], ipFamilies: ['IPv6', 'IPv4'], ports: p80 }),
      svc('bad-proto', { clusterIP: '172.30.0.3', ports: [{ name: 'x', port: 1, protocol: 'ICMP' }] }),
      { kind: 'Service', spec: { clusterIP: '172.30.0.4' } } as unknown as V1Service,
      null as unknown as V1Service,
    ],
    [],
    options,
  );
  assert.deepEqual(
    model.servicePorts.map((sp) => [sp.servicePortName, sp.clusterIP]),
    [['ns/dual:p80', '172.30.0.2']],
  );
});

test('endpoints: slices merged, first address, canonical, text order, dedup (spec 3)', () => {
  const model = buildKubeProxyModel(
    [svc('web', { clusterIP: '172.30.0.1', ports: [{ name: 'p80', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }] })],
    [
      slice('web-b', 'web', [{ addresses: ['10.0.1.10', '10.9.9.9'], nodeName: 'node-a' }, { addresses: ['10.0.1.5'], conditions: { terminating: true, ready: false } }], [{ name: 'p80', port: 8080, protocol: 'TCP' }]),
      slice('web-a', 'web', [{ addresses: ['10.0.1.2'] }, { addresses: ['10.0.01.005'] }], [{ name: 'p80', port: 8080, protocol: 'TCP' }, { name: 'dns', port: 5353, protocol: 'UDP' }, { port: 1 }]),
      slice('web-c', 'web', [{ addresses: ['10.0.1.2'], conditions: { ready: false, terminating: true } }], [{ name: 'p80', port: 8080, protocol: 'TCP' }]),
      slice('web-v6', 'web', [{ addresses: ['fd00::1'] }], [{ name: 'p80', port: 8080, protocol: 'TCP' }], 'IPv6'),
      slice('web-zero', 'web', [{ addresses: ['10.0.1.99'] }], [{ name: 'p80', port: 0, protocol: 'TCP' }]),
      { kind: 'EndpointSlice', metadata: { name: 'nolabel', namespace: 'ns' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.7.7.7'] }], ports: [{ name: 'p80', port: 80 }] } as unknown as V1EndpointSlice,
    ],
    options,
  );
  const http = model.servicePorts.find((sp) => sp.portName === 'p80')!;
  assert.deepEqual(
    http.endpoints.map((e) => [e.endpoint, e.ready, e.terminating, e.isLocal]),
    [
      // web-a is read before web-b; 10.0.1.5 from web-b is terminating and does not replace.
      ['10.0.1.10:8080', true, false, true],
      ['10.0.1.2:8080', true, false, false],
      ['10.0.1.5:8080', true, false, false],
    ],
  );
  const dns = model.servicePorts.find((sp) => sp.portName === 'dns')!;
  assert.deepEqual(dns.endpoints.map((e) => e.endpoint), ['10.0.1.2:5353', '10.0.1.5:5353']);
  assert.equal(model.totalEndpoints, 5);
});

test('endpoints: a later duplicate replaces an earlier one unless it is terminating (spec 3)', () => {
  // Slices are read in name order (s-1, s-2, s-3); within a slice, in endpoint order.
  const model = buildKubeProxyModel(
    [svc('web', { clusterIP: '172.30.0.1', ports: p80 })],
    [
      slice('s-3', 'web', [{ addresses: ['10.0.0.1'], nodeName: 'node-3' }, { addresses: ['10.0.0.2'], nodeName: 'node-3', conditions: { terminating: true } }], p80),
      slice('s-1', 'web', [{ addresses: ['10.0.0.1'], nodeName: 'node-1' }, { addresses: ['10.0.0.2'], nodeName: 'node-1' }, { addresses: ['10.0.0.3'], nodeName: 'node-1', conditions: { terminating: true } }], p80),
      slice('s-2', 'web', [{ addresses: ['10.0.0.1'], nodeName: 'node-2', conditions: { terminating: true } }, { addresses: ['10.0.0.3'], nodeName: 'node-2' }, { addresses: ['10.0.0.3'], nodeName: 'node-2b' }], p80),
    ],
    options,
  );
  assert.deepEqual(
    model.servicePorts[0]!.endpoints.map((e) => [e.endpoint, e.nodeName]),
    [
      ['10.0.0.1:80', 'node-3'],
      ['10.0.0.2:80', 'node-1'],
      ['10.0.0.3:80', 'node-2b'],
    ],
  );
});

test('input order does not matter', () => {
  const services = [svc('a', { clusterIP: '172.30.0.1', ports: p80 }), svc('b', { clusterIP: '172.30.0.2', ports: p80 })];
  const slices = [slice('a-1', 'a', [{ addresses: ['10.0.0.1'] }], p80), slice('b-1', 'b', [{ addresses: ['10.0.0.2'] }], p80)];
  assert.deepEqual(buildKubeProxyModel(services, slices, options), buildKubeProxyModel([...services].reverse(), [...slices].reverse(), options));
});

test('garbage input never throws', () => {
  const junk: unknown[] = [1, 'x', [], {}, { spec: 5 }, { spec: { ports: 'no', clusterIP: 7 } }, { metadata: { name: {} }, spec: { clusterIP: '1.2.3.4', ports: [null, 5, { port: 'x' }] } }];
  const junkSlices: unknown[] = [{ metadata: { labels: 5 } }, { metadata: { name: 'a', namespace: 'ns', labels: { 'kubernetes.io/service-name': 'svc' } }, addressType: 'IPv4', endpoints: [null, { addresses: [5] }, { addresses: 'x' }], ports: [{ name: 'p', port: 1 }] }];
  assert.doesNotThrow(() => buildKubeProxyModel(junk as V1Service[], junkSlices as V1EndpointSlice[], options));
});

// ---------------------------------------------------------------------------------------------
// CategorizeEndpoints (spec 3, "Choosing endpoints")

type Ep = { ip: string; local?: boolean; ready?: boolean; serving?: boolean; terminating?: boolean; zones?: string[]; nodes?: string[] };

function categorize(policy: { internalLocal?: boolean; externalLocal?: boolean; nodePort?: boolean }, eps: Ep[], opts: Partial<KubeProxyOptions> = {}) {
  const spec: Record<string, unknown> = { clusterIP: '172.30.0.1', ports: [{ name: 'p80', port: 80, protocol: 'TCP', ...(policy.nodePort ? { nodePort: 30080 } : {}) }] };
  if (policy.nodePort) spec.type = 'NodePort';
  if (policy.internalLocal) spec.internalTrafficPolicy = 'Local';
  if (policy.externalLocal) spec.externalTrafficPolicy = 'Local';
  const endpoints = eps.map((e) => ({
    addresses: [e.ip],
    nodeName: e.local ? 'node-a' : 'node-b',
    conditions: { ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false },
    ...(e.zones || e.nodes ? { hints: { forZones: (e.zones ?? []).map((name) => ({ name })), forNodes: (e.nodes ?? []).map((name) => ({ name })) } } : {}),
  }));
  const o = { ...options, ...opts };
  const model = buildKubeProxyModel([svc('s', spec)], [slice('s-1', 's', endpoints, p80)], o);
  const c = categorizeEndpoints(model.servicePorts[0]!, o);
  const ips = (l: readonly { ip: string }[]) => l.map((e) => e.ip);
  return { cluster: ips(c.clusterEndpoints), local: ips(c.localEndpoints), reachable: ips(c.allReachableEndpoints), any: c.hasAnyEndpoints };
}

const zoneA = { ...options, nodeLabels: { 'topology.kubernetes.io/zone': 'zone-a' } };

test('categorizeEndpoints cases', () => {
  const cases: Array<{ name: string; got: ReturnType<typeof categorize>; expected: ReturnType<typeof categorize> }> = [
    {
      name: 'cluster policy: ready endpoints only',
      got: categorize({}, [{ ip: '10.0.0.1' }, { ip: '10.0.0.2', ready: false, serving: true, terminating: true }]),
      expected: { cluster: ['10.0.0.1'], local: [], reachable: ['10.0.0.1'], any: true },
    },
    {
      name: 'cluster policy: terminating fallback needs serving',
      got: categorize({}, [{ ip: '10.0.0.1', ready: false, serving: true, terminating: true }, { ip: '10.0.0.2', ready: false, serving: false, terminating: true }]),
      expected: { cluster: ['10.0.0.1'], local: [], reachable: ['10.0.0.1'], any: true },
    },
    {
      name: 'nothing usable',
      got: categorize({}, [{ ip: '10.0.0.1', ready: false, serving: false }]),
      expected: { cluster: [], local: [], reachable: [], any: false },
    },
    {
      name: 'iTP Local without local endpoints still has endpoints somewhere',
      got: categorize({ internalLocal: true }, [{ ip: '10.0.0.1' }]),
      expected: { cluster: [], local: [], reachable: [], any: true },
    },
    {
      name: 'iTP Local: local ready endpoints',
      got: categorize({ internalLocal: true }, [{ ip: '10.0.0.1', local: true }, { ip: '10.0.0.2' }]),
      expected: { cluster: [], local: ['10.0.0.1'], reachable: ['10.0.0.1'], any: true },
    },
    {
      name: 'eTP Local NodePort: both lists, local ready is a subset of cluster',
      got: categorize({ externalLocal: true, nodePort: true }, [{ ip: '10.0.0.1', local: true }, { ip: '10.0.0.2' }]),
      expected: { cluster: ['10.0.0.1', '10.0.0.2'], local: ['10.0.0.1'], reachable: ['10.0.0.1', '10.0.0.2'], any: true },
    },
    {
      name: 'eTP Local: local terminating fallback forces the union',
      got: categorize({ externalLocal: true, nodePort: true }, [{ ip: '10.0.0.1', local: true, ready: false, serving: true, terminating: true }, { ip: '10.0.0.2' }]),
      expected: { cluster: ['10.0.0.2'], local: ['10.0.0.1'], reachable: ['10.0.0.1', '10.0.0.2'], any: true },
    },
    {
      name: 'zone hints for this zone restrict the cluster list',
      got: categorize({}, [{ ip: '10.0.0.1', zones: ['zone-a'] }, { ip: '10.0.0.2', zones: ['zone-b'] }], zoneA),
      expected: { cluster: ['10.0.0.1'], local: [], reachable: ['10.0.0.1'], any: true },
    },
    {
      name: 'zone hints ignored when one ready endpoint has none',
      got: categorize({}, [{ ip: '10.0.0.1', zones: ['zone-a'] }, { ip: '10.0.0.2' }], zoneA),
      expected: { cluster: ['10.0.0.1', '10.0.0.2'], local: [], reachable: ['10.0.0.1', '10.0.0.2'], any: true },
    },
    {
      name: 'zone hints ignored when none names the node zone',
      got: categorize({}, [{ ip: '10.0.0.1', zones: ['zone-b'] }, { ip: '10.0.0.2', zones: ['zone-c'] }], zoneA),
      expected: { cluster: ['10.0.0.1', '10.0.0.2'], local: [], reachable: ['10.0.0.1', '10.0.0.2'], any: true },
    },
    {
      name: 'zone hints ignored without a node zone label',
      got: categorize({}, [{ ip: '10.0.0.1', zones: ['zone-a'] }, { ip: '10.0.0.2', zones: ['zone-b'] }]),
      expected: { cluster: ['10.0.0.1', '10.0.0.2'], local: [], reachable: ['10.0.0.1', '10.0.0.2'], any: true },
    },
    {
      name: 'topology with eTP Local: union of zone-filtered cluster list and local list',
      got: categorize({ externalLocal: true, nodePort: true }, [{ ip: '10.0.0.1', zones: ['zone-b'], local: true }, { ip: '10.0.0.2', zones: ['zone-a'] }], zoneA),
      expected: { cluster: ['10.0.0.2'], local: ['10.0.0.1'], reachable: ['10.0.0.1', '10.0.0.2'], any: true },
    },
    {
      name: 'node hints only with the PreferSameTrafficDistribution gate',
      got: categorize({}, [{ ip: '10.0.0.1', nodes: ['node-a'], zones: ['zone-a'] }, { ip: '10.0.0.2', nodes: ['node-b'], zones: ['zone-a'] }], { ...zoneA, featureGates: { PreferSameTrafficDistribution: true } }),
      expected: { cluster: ['10.0.0.1'], local: [], reachable: ['10.0.0.1'], any: true },
    },
    {
      name: 'node hints without the gate fall back to zone hints',
      got: categorize({}, [{ ip: '10.0.0.1', nodes: ['node-a'], zones: ['zone-a'] }, { ip: '10.0.0.2', nodes: ['node-b'], zones: ['zone-a'] }], zoneA),
      expected: { cluster: ['10.0.0.1', '10.0.0.2'], local: [], reachable: ['10.0.0.1', '10.0.0.2'], any: true },
    },
  ];
  for (const c of cases) assert.deepEqual(c.got, c.expected, c.name);
});

test('canonicalIP fast path agrees with the full parser', () => {
  const inputs = ['0.0.0.0', '255.255.255.255', '1.2.3.4', '01.2.3.4', '1.2.3.04', '1.2.3', '1.2.3.4.', '1.2.3.4.5', '256.1.1.1', '1..2.3', '.1.2.3', '1.2.3.4 ', '1234.1.1.1', '10.0.0.1'];
  for (const s of inputs) assert.equal(canonicalIP(s), parseIPSloppyText(s), s);
});

function parseIPSloppyText(s: string): string | undefined {
  // Independent reference: strict dotted quad with decimal octets (leading zeros allowed).
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (m === null) return undefined;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts.join('.') : undefined;
}
