// The EndpointSlice controller of the simulated cluster. Expectations are hand-derived from spec
// semantics.md (d) (d.1 which pods, d.2 endpoint fields and conditions, d.3 grouping, family
// and placeholder, labels) and b.4 (named targetPort per pod, sidecars, protocol).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1EndpointSlice } from '../../../server/src/engine/model/k8s-types';
import { parseProfile, DEFAULT_PROFILE } from '../../../server/src/engine/simulate/profile';
import { simulateEndpointSlices } from '../../../server/src/engine/simulate/endpoint-slices';
import { targetPortOn } from '../../../server/src/engine/semantics/ports';
import { containerPortsOf } from '../../../server/src/engine/model/pod-template';
import { simulateCluster } from '../../../server/src/engine/simulate/sim-cluster';
import { docs, shuffled, sim, SUFFIX } from './sim-fixtures';

const slicesOf = (text: string, service = 'web', profile = DEFAULT_PROFILE): V1EndpointSlice[] =>
  sim(text, profile).endpointSlices.filter((s) => s.service?.name === service).map((s) => s.slice);

const pod = (name: string, labels: string, opts: { ports?: string; status?: string; spec?: string; meta?: string; ns?: string } = {}) => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${opts.ns ?? 'shop'}, labels: ${labels}${opts.meta ?? ''}}
spec:
  nodeName: kind-worker
  containers: [{name: main, image: x, ports: ${opts.ports ?? '[]'}}]
${opts.spec ?? ''}
${opts.status ? `status: ${opts.status}` : ''}
`;
const service = (spec: string, name = 'web', ns = 'shop') => `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}, labels: {team: a, kubernetes.io/service-name: spoofed}}
spec: ${spec}
`;
const endpointNames = (s: V1EndpointSlice) => s.endpoints.map((e) => e.targetRef!.name).sort();

test('one endpoint per selected pod, same namespace only, with the d.2 fields', () => {
  const slices = slicesOf([
    service('{selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}'),
    pod('a', '{app: web}'),
    pod('b', '{app: web, extra: x}'),
    pod('c', '{app: other}'),
    pod('d', '{app: web}', { ns: 'elsewhere' }),
  ].join('---'));
  assert.equal(slices.length, 1);
  const s = slices[0];
  assert.equal(s.addressType, 'IPv4');
  assert.deepEqual(endpointNames(s), ['a', 'b']);
  assert.deepEqual(s.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  assert.match(s.metadata!.name!, new RegExp(`^web-${SUFFIX}{5}$`));
  assert.equal(s.metadata!.generateName, 'web-');
  assert.deepEqual(s.metadata!.labels, {
    'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    'kubernetes.io/service-name': 'web',
    team: 'a',
  });
  assert.deepEqual(s.metadata!.ownerReferences!.map((o) => `${o.kind}/${o.name}/${o.controller}`), ['Service/web/true']);
  const e = s.endpoints[0];
  assert.deepEqual(e.conditions, { ready: true, serving: true, terminating: false });
  assert.equal(e.nodeName, 'kind-worker');
  assert.equal(e.zone, undefined, 'kind nodes have no zone label');
  assert.equal(e.targetRef!.kind, 'Pod');
  assert.equal(e.targetRef!.namespace, 'shop');
  assert.equal(e.addresses.length, 1);
});

test('conditions: not ready, terminating, publishNotReadyAddresses; Succeeded/Failed and IP-less pods are left out', () => {
  const text = (publish: boolean) => [
    service(`{selector: {app: web}, publishNotReadyAddresses: ${publish}, ports: [{port: 80}]}`),
    pod('ready', '{app: web}'),
    pod('unready', '{app: web}', { status: '{phase: Running, conditions: [{type: Ready, status: "False"}]}' }),
    pod('leaving', '{app: web}', { meta: ', deletionTimestamp: "2024-01-01T00:00:00Z"' }),
    pod('done', '{app: web}', { status: '{phase: Succeeded}' }),
    pod('failed', '{app: web}', { status: '{phase: Failed}' }),
  ].join('---');
  const conditions = (publish: boolean) => Object.fromEntries(slicesOf(text(publish))[0].endpoints.map((e) => [e.targetRef!.name, e.conditions]));
  assert.deepEqual(conditions(false), {
    ready: { ready: true, serving: true, terminating: false },
    unready: { ready: false, serving: false, terminating: false },
    leaving: { ready: false, serving: true, terminating: true },
  });
  assert.deepEqual(conditions(true), {
    ready: { ready: true, serving: true, terminating: false },
    unready: { ready: true, serving: false, terminating: false },
    leaving: { ready: true, serving: true, terminating: true },
  });
  const noIP = slicesOf([
    service('{selector: {app: web}, ports: [{port: 80}]}'),
    pod('pending', '{app: web}', { spec: '  nodeSelector: {nowhere: "true"}' }).replace('nodeName: kind-worker', ''),
  ].join('---'));
  assert.equal(noIP.length, 1);
  assert.deepEqual(noIP[0].endpoints, [], 'no IP: no endpoint, so the placeholder slice');
  assert.deepEqual(noIP[0].ports, []);
});

test('named targetPort resolves per pod: different numbers -> separate slices, missing name -> port left out for that pod', () => {
  const slices = slicesOf([
    service('{selector: {app: web}, ports: [{name: http, port: 80, targetPort: web}, {name: metrics, port: 9090}]}'),
    pod('p8080', '{app: web}', { ports: '[{name: web, containerPort: 8080}]' }),
    pod('p9000', '{app: web}', { ports: '[{name: web, containerPort: 9000}]' }),
    pod('p8080b', '{app: web}', { ports: '[{name: web, containerPort: 8080}]' }),
    pod('udp', '{app: web}', { ports: '[{name: web, containerPort: 8080, protocol: UDP}]' }),
  ].join('---'));
  const summary = slices.map((s) => [JSON.stringify((s.ports ?? []).map((p) => `${p.name}:${p.port}`)), endpointNames(s)]).sort();
  assert.deepEqual(summary, [
    ['["http:8080","metrics:9090"]', ['p8080', 'p8080b']],
    ['["http:9000","metrics:9090"]', ['p9000']],
    ['["metrics:9090"]', ['udp']],
  ]);
  const problems = sim([
    service('{selector: {app: web}, ports: [{name: http, port: 80, targetPort: web}]}'),
    pod('udp', '{app: web}', { ports: '[{name: web, containerPort: 8080, protocol: UDP}]' }),
  ].join('---')).problems;
  assert.deepEqual(problems.map((p) => `${p.field}: ${p.message}`), [
    'spec.ports[0].targetPort: no container port named "web" with protocol TCP in pod udp; their endpoints carry no port for it',
  ]);
});

test('findPort: regular containers first, then sidecar init containers; plain init containers never (spec b.4)', () => {
  // FindPort for one pod, as the EndpointSlice controller calls it.
  const findPort = (pod: { spec: unknown }, servicePort: unknown) => targetPortOn(servicePort, containerPortsOf(pod.spec));
  const p = (spec: unknown) => ({ spec });
  const sp = { port: 80, targetPort: 'web' };
  assert.equal(findPort(p({ containers: [{ ports: [{ name: 'web', containerPort: 1 }] }], initContainers: [{ restartPolicy: 'Always', ports: [{ name: 'web', containerPort: 2 }] }] }), sp), 1);
  assert.equal(findPort(p({ containers: [], initContainers: [{ restartPolicy: 'Always', ports: [{ name: 'web', containerPort: 2 }] }] }), sp), 2);
  assert.equal(findPort(p({ containers: [], initContainers: [{ ports: [{ name: 'web', containerPort: 3 }] }] }), sp), undefined);
  assert.equal(findPort(p({ containers: [{ ports: [{ name: 'web', containerPort: 4, protocol: 'UDP' }] }] }), { ...sp, protocol: 'UDP' }), 4);
  assert.equal(findPort(p({}), { port: 80 }), 80, 'absent targetPort = port');
  assert.equal(findPort(p({}), { port: 80, targetPort: 0 }), 80);
  assert.equal(findPort(p({}), { port: 80, targetPort: 8443 }), 8443, 'a number needs no declaration');
  assert.equal(findPort(p({ containers: [{ ports: [{ name: 'a', containerPort: 5 }, { name: 'web', containerPort: 6 }] }, { ports: [{ name: 'web', containerPort: 7 }] }] }), sp), 6);
});

test('no managed slices: no selector, empty selector, ExternalName; slices in the input are kept as they are', () => {
  for (const spec of ['{ports: [{port: 80}]}', '{selector: {}, ports: [{port: 80}]}', '{type: ExternalName, externalName: x.example, selector: {app: web}}']) {
    assert.deepEqual(slicesOf(`${service(spec)}---${pod('a', '{app: web}')}`), [], spec);
  }
  const dump = sim(`${service('{selector: {app: web}, ports: [{port: 80}]}')}---${pod('a', '{app: web}')}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-live1, namespace: shop, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
endpoints: [{addresses: [10.1.2.3]}]
ports: [{name: "", port: 80, protocol: TCP}]
`);
  assert.deepEqual(dump.endpointSlices.map((s) => [s.ref.name, s.origin, s.service?.name]), [['web-live1', 'workspace', 'web']]);
  assert.deepEqual(dump.endpointSlices[0].slice.endpoints, [{ addresses: ['10.1.2.3'] }]);
});

test('at most maxEndpointsPerSlice endpoints per slice; placeholder when nothing is selected', () => {
  const many = Array.from({ length: 250 }, (_, i) => pod(`p${String(i).padStart(3, '0')}`, '{app: web}')).join('---');
  const slices = slicesOf(`${service('{selector: {app: web}, ports: [{port: 80}]}')}---${many}`);
  assert.deepEqual(slices.map((s) => s.endpoints.length).sort((a, b) => b - a), [100, 100, 50]);
  assert.equal(new Set(slices.map((s) => s.metadata!.name)).size, 3);
  const { profile } = parseProfile({ profile: { maxEndpointsPerSlice: 60 } });
  assert.deepEqual(slicesOf(`${service('{selector: {app: web}, ports: [{port: 80}]}')}---${many}`, 'web', profile).map((s) => s.endpoints.length).sort((a, b) => b - a), [60, 60, 60, 60, 10]);
  const empty = slicesOf(service('{selector: {app: nothing}, ports: [{port: 80}]}'));
  assert.equal(empty.length, 1);
  assert.deepEqual([empty[0].endpoints, empty[0].ports, empty[0].addressType], [[], [], 'IPv4']);
});

test('headless: headless label, hostname only when subdomain is the Service name, no ports allowed', () => {
  const slices = slicesOf([
    service('{clusterIP: None, selector: {app: web}}'),
    pod('named', '{app: web}', { spec: '  hostname: h1\n  subdomain: web' }),
    pod('other-sub', '{app: web}', { spec: '  hostname: h2\n  subdomain: not-web' }),
    pod('sub-only', '{app: web}', { spec: '  subdomain: web' }),
  ].join('---'));
  assert.equal(slices.length, 1, 'defaulted ipFamilies [IPv4]: one family');
  assert.equal(slices[0].metadata!.labels!['service.kubernetes.io/headless'], '');
  assert.deepEqual(slices[0].ports, []);
  assert.deepEqual(Object.fromEntries(slices[0].endpoints.map((e) => [e.targetRef!.name, e.hostname])), {
    named: 'h1', 'other-sub': undefined, 'sub-only': undefined,
  });
});

test('families: one slice set per ipFamilies entry; IPv6 addresses canonical; headless without families gets both', () => {
  const services = [
    { metadata: { name: 'dual', namespace: 'n' }, spec: { selector: { app: 'x' }, ipFamilies: ['IPv4', 'IPv6'], clusterIP: '10.96.0.5', ports: [{ port: 80 }] } },
    { metadata: { name: 'raw-headless', namespace: 'n' }, spec: { selector: { app: 'x' }, clusterIP: 'None', ports: [{ port: 80 }] } },
  ];
  const pods = [{
    metadata: { name: 'p', namespace: 'n', labels: { app: 'x' } },
    spec: { nodeName: 'kind-worker' },
    status: { phase: 'Running', podIPs: [{ ip: '10.244.1.5' }, { ip: 'FD00:10:244:0001:0000:0000:0000:0005' }], conditions: [{ type: 'Ready', status: 'True' }] },
  }];
  const r = simulateEndpointSlices(services as never, pods as never, [], { nodes: [{ name: 'kind-worker', labels: { 'topology.kubernetes.io/zone': 'z1' } }] });
  const summary = r.slices.map((s) => [s.service!.name, s.slice.addressType, s.slice.endpoints.map((e) => `${e.addresses[0]}@${e.zone}`)]);
  assert.deepEqual(summary.sort(), [
    ['dual', 'IPv4', ['10.244.1.5@z1']],
    ['dual', 'IPv6', ['fd00:10:244:1::5@z1']],
    ['raw-headless', 'IPv4', ['10.244.1.5@z1']],
    ['raw-headless', 'IPv6', ['fd00:10:244:1::5@z1']],
  ]);
});

test('pods on nodes the cluster does not know are skipped unless publishNotReadyAddresses', () => {
  const pods = [{
    metadata: { name: 'lost', namespace: 'n', labels: { app: 'x' } },
    spec: { nodeName: 'gone' },
    status: { phase: 'Running', podIP: '10.9.9.9', conditions: [{ type: 'Ready', status: 'True' }] },
  }];
  const run = (publish: boolean) => simulateEndpointSlices(
    [{ metadata: { name: 's', namespace: 'n' }, spec: { selector: { app: 'x' }, clusterIP: '10.96.0.9', publishNotReadyAddresses: publish, ports: [{ port: 80 }] } }] as never,
    pods as never, [], { nodes: [{ name: 'kind-worker', labels: {} }] },
  );
  assert.deepEqual(run(false).slices[0].slice.endpoints, []);
  assert.deepEqual(run(false).problems.map((p) => p.message), ['skipping Pod n/lost: Node gone Not Found']);
  assert.deepEqual(run(true).slices[0].slice.endpoints.map((e) => e.addresses), [['10.9.9.9']]);
  // Node objects in the input make a node known.
  const known = sim(`${service('{selector: {app: x}, ports: [{port: 80}]}', 's', 'n')}
---
apiVersion: v1
kind: Node
metadata: {name: gone, labels: {topology.kubernetes.io/zone: far}}
---
apiVersion: v1
kind: Pod
metadata: {name: lost, namespace: n, labels: {app: x}}
spec: {nodeName: gone, containers: [{name: c, image: x}]}
status: {phase: Running, podIP: 10.9.9.9, conditions: [{type: Ready, status: "True"}]}
`);
  const endpoint = known.endpointSlices.find((s) => s.service?.name === 's')!.slice.endpoints[0];
  assert.deepEqual([endpoint.addresses, endpoint.zone], [['10.9.9.9'], 'far']);
});

test('slice names: long Service names keep 58 characters of the prefix', () => {
  const long = `s${'x'.repeat(62)}`;
  const s = slicesOf(service('{selector: {app: web}, ports: [{port: 80}]}', long), long)[0];
  assert.equal(s.metadata!.generateName, `${long}-`.slice(0, 58));
  assert.equal(s.metadata!.name!.length, 63);
  assert.equal(s.metadata!.labels!['kubernetes.io/service-name'], long);
});

test('deterministic and independent of input order', () => {
  const text = [
    service('{selector: {app: web}, ports: [{name: http, port: 80, targetPort: web}]}'),
    ...Array.from({ length: 8 }, (_, i) => pod(`p${i}`, '{app: web}', { ports: `[{name: web, containerPort: ${8000 + (i % 2)}}]` })),
  ].join('---');
  const a = sim(text).endpointSlices;
  const objects = docs(text);
  assert.deepEqual(simulateCluster(shuffled(objects), { profile: DEFAULT_PROFILE }).endpointSlices, a);
});
