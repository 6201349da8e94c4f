// The topology builder (engine/ide/topology.ts) and its wire form (protocol/topology.ts).
// Expectations come from the Kubernetes rules in shared/spec (cited per case) and from a
// snapshot that was reviewed line by line against those rules (see the comment on SNAPSHOT).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../../server/src/engine/workspace';
import { buildTopology, simulateForTopology, topologyRules, topologyTrace, type TopologyGraph } from '../../../server/src/engine/ide/topology';
import { DEFAULT_PROFILE } from '../../../server/src/engine/simulate/profile';
import { parseHostMessage, parseTopologyModel, parseWebviewMessage } from '../../../server/src/protocol/topology';
import { toTopologyModel } from '../../../server/src/protocol/topology-convert';
import { SECRET_VALUE, TOPOLOGY_FIXTURE, XSS_LABEL } from './topology-fixture';

function workspace(files: Record<string, string> = TOPOLOGY_FIXTURE): Workspace {
  const ws = new Workspace();
  ws.apply(Object.entries(files).map(([uri, text]) => ({ uri, text })));
  return ws;
}

function graphOf(ws: Workspace): TopologyGraph {
  return buildTopology(ws, { profile: DEFAULT_PROFILE, includeConfig: true });
}

/** A compact text form; simulated pod name suffixes, pod IPs and ClusterIPs are masked (they belong to the simulator's own tests). */
function render(g: TopologyGraph): string {
  const mask = (s: string) =>
    s
      .replace(/\bweb-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5}\b/g, 'web-<hash>-<suffix>')
      .replace(/10\.244\.\d+\.\d+/g, '<podIP>')
      .replace(/10\.96\.\d+\.\d+/g, '<clusterIP>')
      .replace(/10-244-\d+-\d+/g, '<podIP-dashed>')
      .replace(/\bkind-worker2?\b/g, '<worker>');
  const blocks: string[] = [];
  for (const n of g.nodes) {
    const lines = [`${n.role} ${n.id}${n.parent ? ` in ${n.parent}` : ''}`];
    for (const d of n.details) lines.push(`  | ${d}`);
    if (n.pod) lines.push(`  pod ordinal=${n.pod.ordinal} dns=${n.pod.dnsNames.join(' ')}`);
    for (const p of n.problems) lines.push(`  ! ${p.severity} ${p.code}`);
    blocks.push(mask(lines.join('\n')));
  }
  for (const e of g.edges) blocks.push(mask(`edge ${e.id}${e.verdict ? ` (${e.verdict} by ${e.policies?.join(',')})` : ''}: ${e.label.replace(/\n/g, ' / ')}`));
  // Blocks equal after masking (the two web pods) appear once.
  return [...new Set(blocks)].join('\n');
}

/*
 * Reviewed against shared/spec/semantics.md:
 * - b.1: targetPort defaults to port (orphan 9000 → 9000); c.2: StatefulSet pods db-0, db-1 with
 *   per-pod names under the governing headless Service `db`; b.4: named targetPorts resolve in the
 *   template (http → 8080, pg → 5432); d.4: a selector matching nothing is reported on its Service;
 *   g.1/g.3: the policy isolates db for ingress and admits tier=frontend on 5432, so web → db is
 *   the only policy edge (nothing isolates web); Secret values never appear, only keys.
 * - Pod placement: the control-plane node is tainted NoSchedule, so pods land on the two workers.
 * Nodes that are equal after masking (the two web pods) appear once.
 */
const SNAPSHOT = `config ConfigMap/shop/web-config in Namespace/shop
  | 1 key
  | MODE
workload Deployment/shop/web in Namespace/shop
  | replicas 2
  | 2 pods simulated
ingress Ingress/shop/shop in Namespace/shop
  | class nginx
  | shop.example.com/ → web:80
namespace Namespace/shop
pod Pod/shop/db-0 in StatefulSet/shop/db
  | <podIP>
  | on <worker>
  pod ordinal=0 dns=<podIP-dashed>.shop.pod.cluster.local. db-0.db.shop.svc.cluster.local.
pod Pod/shop/db-1 in StatefulSet/shop/db
  | <podIP>
  | on <worker>
  pod ordinal=1 dns=<podIP-dashed>.shop.pod.cluster.local. db-1.db.shop.svc.cluster.local.
pod Pod/shop/web-<hash>-<suffix> in Deployment/shop/web
  | <podIP>
  | on <worker>
  pod ordinal=-1 dns=<podIP-dashed>.shop.pod.cluster.local.
config Secret/shop/db-creds in Namespace/shop
  | Opaque · values hidden
  | password: ••••
service Service/shop/db in Namespace/shop
  | Headless (clusterIP: None)
  | 5432/TCP (pg) → pg
service Service/shop/orphan in Namespace/shop
  | ClusterIP <clusterIP>
  | 9000/TCP → 9000
  ! warning service-selects-nothing
service Service/shop/web in Namespace/shop
  | NodePort <clusterIP>
  | 80/TCP (http) → http · NodePort 30080
workload StatefulSet/shop/db in Namespace/shop
  | replicas 2
  | serviceName db
  | 2 pods simulated
edge backend|Service/shop/db|StatefulSet/shop/db: 5432 → pg → 5432/TCP
edge backend|Service/shop/web|Deployment/shop/web: 80 → http → 8080/TCP
edge policy|Deployment/shop/web|StatefulSet/shop/db (allowed by shop/db-from-web): 5432/TCP ✓
edge route|Ingress/shop/shop|Service/shop/web: shop.example.com/ → 80
edge uses|Deployment/shop/web|ConfigMap/shop/web-config: envFrom
edge uses|StatefulSet/shop/db|Secret/shop/db-creds: env`;

test('topology of the fixture equals the reviewed snapshot', () => {
  assert.equal(render(graphOf(workspace())), SNAPSHOT);
});

test('the graph does not depend on file order (deterministic ids and sorting)', () => {
  const reversed = Object.fromEntries(Object.entries(TOPOLOGY_FIXTURE).reverse());
  assert.deepEqual(JSON.stringify(graphOf(workspace(reversed))), JSON.stringify(graphOf(workspace())));
});

test('ClusterIPs lie in the service CIDR and pod IPs in their node pod CIDR (profile: kind defaults)', () => {
  const g = graphOf(workspace());
  for (const n of g.nodes) {
    for (const ip of n.service?.clusterIPs ?? []) assert.match(ip, /^10\.96\.\d+\.\d+$/, n.id);
    if (n.pod) {
      const node = DEFAULT_PROFILE.nodes.find((x) => x.name === n.pod!.node)!;
      const prefix = node.podCIDR.replace(/\.0\/24$/, '.');
      for (const ip of n.pod.ips) assert.ok(ip.startsWith(prefix), `${n.id} ${ip} in ${node.podCIDR}`);
    }
  }
});

test('source locations: nodes reveal their metadata.name, edges the field that makes them', () => {
  const ws = workspace();
  const model = toTopologyModel(graphOf(ws), (uri, offset) => ws.lineIndex(uri).position(offset));
  const textAt = (loc: { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }) => {
    const li = ws.lineIndex(loc.uri);
    return ws.text(loc.uri)!.slice(li.offset(loc.range.start), li.offset(loc.range.end));
  };
  const svc = model.nodes.find((n) => n.id === 'Service/shop/web')!;
  assert.equal(textAt(svc.source!), 'web');
  // web.yaml line 29 (0-based 28) is the Service's `  name: web`.
  assert.deepEqual(svc.source!.range.start, { line: 28, character: 8 });
  const route = model.edges.find((e) => e.kind === 'route')!;
  assert.equal(route.owner, 'Ingress/shop/shop');
  assert.ok(textAt(route.source!).startsWith('- path: /') || textAt(route.source!).startsWith('path: /'), textAt(route.source!));
  const backend = model.edges.find((e) => e.id === 'backend|Service/shop/web|Deployment/shop/web')!;
  assert.equal(textAt(backend.source!), 'ports');
  // A simulated pod reveals its workload's template.
  const pod = model.nodes.find((n) => n.id === 'Pod/shop/db-0')!;
  assert.equal(pod.source!.uri, 'file:///app/db.yaml');
  assert.equal(textAt(pod.source!), 'template');
  // The extent of an object covers its whole document, so a cursor anywhere in it maps to the node.
  const sts = model.nodes.find((n) => n.id === 'StatefulSet/shop/db')!;
  assert.ok(textAt(sts.extent!).startsWith('apiVersion: apps/v1') && textAt(sts.extent!).includes('secretKeyRef'));
});

test('problems are attached to the node whose object they concern, with their range', () => {
  const ws = workspace();
  const model = toTopologyModel(graphOf(ws), (uri, offset) => ws.lineIndex(uri).position(offset));
  const withProblems = model.nodes.filter((n) => n.problems.length > 0).map((n) => `${n.id}: ${n.problems.map((p) => p.code).join(',')}`);
  assert.deepEqual(withProblems, ['Service/shop/orphan: service-selects-nothing']);
  const p = model.nodes.find((n) => n.id === 'Service/shop/orphan')!.problems[0];
  assert.equal(p.location.uri, 'file:///app/db.yaml');
});

test('Secret values never reach the model; label values are kept verbatim (the webview escapes them)', () => {
  const ws = workspace();
  const json = JSON.stringify(toTopologyModel(graphOf(ws), (uri, offset) => ws.lineIndex(uri).position(offset)));
  assert.ok(!json.includes(SECRET_VALUE), 'secret value leaked');
  const g = graphOf(ws);
  const pod = g.nodes.find((n) => n.role === 'pod' && n.parent === 'Deployment/shop/web')!;
  assert.equal(pod.labels.note, XSS_LABEL);
});

test('the wire model passes its own validator; invalid models are rejected with a path', () => {
  const ws = workspace();
  const model = toTopologyModel(graphOf(ws), (uri, offset) => ws.lineIndex(uri).position(offset));
  const ok = parseTopologyModel(JSON.parse(JSON.stringify(model)));
  assert.ok(ok.ok, ok.ok ? '' : ok.problems.join('\n'));
  const bad = parseTopologyModel({ ...model, schemaVersion: 2 });
  assert.ok(!bad.ok && bad.problems[0].startsWith('model.schemaVersion'));
  assert.ok(parseHostMessage({ type: 'model', model }).ok);
});

test('webview messages: valid intents pass, everything else is rejected (table)', () => {
  const loc = { uri: 'file:///app/web.yaml', range: { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } } };
  const good: unknown[] = [
    { type: 'ready' },
    { type: 'reveal', ref: 'Service/shop/web', location: loc },
    { type: 'rules', requestId: 3, params: { mode: 'nftables', node: 'kind-worker', service: 'Service/shop/web' } },
    { type: 'trace', requestId: 4, params: { mode: 'iptables', source: { kind: 'pod', pod: 'Pod/shop/db-0' }, destination: { ip: '10.96.0.1', port: 443, protocol: 'TCP' } } },
    { type: 'trace', requestId: 5, params: { mode: 'ipvs', source: { kind: 'outside', ip: '203.0.113.9', node: '' }, destination: { ip: '172.18.0.3', port: 30080, protocol: 'TCP' } } },
    { type: 'export', format: 'svg', data: '<svg/>' },
  ];
  for (const m of good) assert.ok(parseWebviewMessage(m).ok, JSON.stringify(m));
  const bad: { name: string; message: unknown }[] = [
    { name: 'not an object', message: 'reveal' },
    { name: 'null', message: null },
    { name: 'unknown type', message: { type: 'eval', code: 'x' } },
    { name: 'prototype key as type', message: { type: 'constructor' } },
    { name: 'extra field', message: { type: 'ready', extra: 1 } },
    { name: 'reveal without location', message: { type: 'reveal', ref: 'Service/shop/web' } },
    { name: 'reveal with a negative line', message: { type: 'reveal', ref: 'x', location: { ...loc, range: { start: { line: -1, character: 0 }, end: loc.range.end } } } },
    { name: 'ref with a newline', message: { type: 'reveal', ref: 'Service/a\nb', location: loc } },
    { name: 'unknown mode', message: { type: 'rules', requestId: 1, params: { mode: 'ebpf', node: '', service: '' } } },
    { name: 'fractional request id', message: { type: 'rules', requestId: 1.5, params: { mode: 'ipvs', node: '', service: '' } } },
    { name: 'port out of range', message: { type: 'trace', requestId: 1, params: { mode: 'iptables', source: { kind: 'node', node: 'a' }, destination: { ip: '10.0.0.1', port: 70000, protocol: 'TCP' } } } },
    { name: 'destination IP with letters', message: { type: 'trace', requestId: 1, params: { mode: 'iptables', source: { kind: 'node', node: 'a' }, destination: { ip: '10.0.0.1; rm', port: 80, protocol: 'TCP' } } } },
    { name: 'unknown source kind', message: { type: 'trace', requestId: 1, params: { mode: 'iptables', source: { kind: 'cluster' }, destination: { ip: '10.0.0.1', port: 80, protocol: 'TCP' } } } },
    { name: 'export of an unknown format', message: { type: 'export', format: 'html', data: '' } },
    { name: 'class instance', message: Object.assign(Object.create({ polluted: true }), { type: 'ready' }) },
  ];
  for (const { name, message } of bad) {
    const r = parseWebviewMessage(message);
    assert.ok(!r.ok, `${name} should be rejected`);
  }
});

test('rules of a Service are narrowed to its chains; all three modes name its ClusterIP', () => {
  const ws = workspace();
  const sim = simulateForTopology(ws, DEFAULT_PROFILE);
  const ip = graphOf(ws).nodes.find((n) => n.id === 'Service/shop/web')!.service!.clusterIPs[0];
  for (const mode of ['iptables', 'nftables', 'ipvs'] as const) {
    const r = topologyRules(sim, mode, '', 'Service/shop/web');
    assert.ok(r.text.includes(ip), `${mode}: ClusterIP ${ip} missing`);
    assert.ok(!r.text.includes('shop/orphan'), `${mode}: another Service's rules leaked in`);
  }
  const ipt = topologyRules(sim, 'iptables', '', 'Service/shop/web').text;
  // spec kube-proxy.md: a service chain per port, an endpoint chain per endpoint (2 web pods).
  assert.equal(ipt.split('\n').filter((l) => /^:KUBE-SEP-/.test(l)).length, 2);
  assert.ok(/^-A KUBE-NODEPORTS .*--dport 30080/m.test(ipt), 'NodePort rule missing');
});

test('packet traces: ClusterIP from a pod is DNATed to each endpoint with probability 1/2 (iptables, nftables, ipvs)', () => {
  const ws = workspace();
  const sim = simulateForTopology(ws, DEFAULT_PROFILE);
  const g = graphOf(ws);
  const ip = g.nodes.find((n) => n.id === 'Service/shop/web')!.service!.clusterIPs[0];
  const webPods = g.nodes.filter((n) => n.parent === 'Deployment/shop/web');
  const expected = webPods.map((p) => `${p.pod!.ips[0]}:8080`).sort();
  for (const mode of ['iptables', 'nftables', 'ipvs'] as const) {
    const t = topologyTrace(sim, { mode, source: { kind: 'pod', pod: 'Pod/shop/db-0' }, destination: { ip, port: 80, protocol: 'TCP' } });
    assert.equal(t.outcome, 'dnat', mode);
    assert.deepEqual(t.endpoints.map((e) => e.address).sort(), expected, mode);
    for (const e of t.endpoints) assert.ok(Math.abs(e.probability - 0.5) < 1e-9, `${mode} ${e.address} p=${e.probability}`);
    assert.deepEqual(t.endpoints.map((e) => e.pod).sort(), webPods.map((p) => p.id).sort(), mode);
    // From a pod inside the cluster CIDR (ClusterCIDR detector), ClusterIP traffic is not masqueraded.
    assert.equal(t.masquerade, false, mode);
    assert.ok(t.hops.length > 0, mode);
  }
  // From outside to the NodePort: masqueraded (externalTrafficPolicy Cluster), same endpoints.
  const node = DEFAULT_PROFILE.nodes[1];
  const t = topologyTrace(sim, { mode: 'iptables', source: { kind: 'outside', ip: '203.0.113.7', node: node.name }, destination: { ip: node.internalIP, port: 30080, protocol: 'TCP' } });
  assert.equal(t.outcome, 'dnat');
  assert.equal(t.masquerade, true);
  assert.deepEqual(t.endpoints.map((e) => e.address).sort(), expected);
  assert.ok(t.hops.some((h) => h.chain.endsWith('KUBE-NODEPORTS')), 'walks KUBE-NODEPORTS');
});

test('unknown sources and malformed addresses give notes, never throws', () => {
  const sim = simulateForTopology(workspace(), DEFAULT_PROFILE);
  const t1 = topologyTrace(sim, { mode: 'iptables', source: { kind: 'pod', pod: 'Pod/x/y' }, destination: { ip: '10.96.0.1', port: 443, protocol: 'TCP' } });
  assert.equal(t1.outcome, 'none');
  assert.ok(t1.notes.some((n) => n.includes('Pod/x/y')));
  const t2 = topologyTrace(sim, { mode: 'nftables', source: { kind: 'outside', ip: 'not-an-ip', node: 'nope' }, destination: { ip: '10.96.0.1', port: 443, protocol: 'TCP' } });
  assert.equal(t2.outcome, 'none');
  const r = topologyRules(sim, 'ipvs', 'no-such-node', 'Service/none/none');
  assert.ok(r.notes.length >= 2);
});

test('broken and partial manifests still give a graph (no throw)', () => {
  const ws = workspace({
    'file:///x.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {app: [1, 2]}, ports: "no"}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: "three", template: 7}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec: {rules: [{http: {paths: [{backend: {service: {name: s, port: {}}}}]}}]}\n---\n: : :\n',
  });
  const g = graphOf(ws);
  assert.ok(g.nodes.some((n) => n.id === 'Service/default/s'));
  assert.ok(g.edges.some((e) => e.kind === 'route' && e.label.endsWith('→ ?')));
});
