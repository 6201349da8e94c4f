// The rules pane of the topology view: the kube-proxy state of one node in one mode (iptables,
// nftables, IPVS), optionally narrowed to one Service, and packet traces through it.
//
// Owns: choosing the node and source address of a trace, narrowing rule text to a Service, and
// turning tracer output into hops with each endpoint's share of new connections. Rules and traces
// themselves come from simulate/kube-proxy (generators and tracers); nothing here decides what a
// rule matches, except the IPVS lookup, which has no rule text to walk: the packet goes to the
// virtual server with its protocol, address and port, and each real server gets weight / total.
// Invariants: pure; never throws on user input (unknown pods or nodes become notes).
import type { V1EndpointSlice, V1Service } from '../model/k8s-types';
import { buildKubeProxyModel, type KubeProxyModel } from '../simulate/kube-proxy/model';
import { generateIptablesRuleset, nodeIptablesRuleset, renderIptablesRestore } from '../simulate/kube-proxy/iptables';
import { parseIptablesRestore } from '../simulate/kube-proxy/restore-text';
import { traceIptablesPacket } from '../simulate/kube-proxy/iptables-trace';
import { generateNftables } from '../simulate/kube-proxy/nftables';
import { renderNftTransaction } from '../simulate/kube-proxy/nft-transaction';
import { traceNftPacket } from '../simulate/kube-proxy/nft-trace';
import { generateIpvs, renderIpsetRestore, renderIpvsadmSave, type IpvsRuleset } from '../simulate/kube-proxy/ipvs';
import { kubeProxyOptionsFor, type ClusterProfile, type KubeProxyMode, type ProfileNode } from '../simulate/profile';
import { ipFamilyOf } from '../simulate/sim-ip';
import { cidrContains, parseIPSloppy } from '../simulate/kube-proxy/ip-address';
import type { TopologySimulation } from './topology-cluster';

export type ProxyModeName = KubeProxyMode;

export interface GraphRulesResult {
  readonly mode: ProxyModeName;
  readonly node: string;
  readonly text: string;
  readonly notes: readonly string[];
}

export type GraphTraceSource =
  | { readonly kind: 'pod'; readonly pod: string }
  | { readonly kind: 'node'; readonly node: string }
  | { readonly kind: 'outside'; readonly ip: string; readonly node: string };

export interface GraphTraceRequest {
  readonly mode: ProxyModeName;
  readonly source: GraphTraceSource;
  readonly destination: { readonly ip: string; readonly port: number; readonly protocol: string };
}

export interface GraphTraceHop {
  readonly chain: string;
  readonly rule: string;
  readonly verdict: string;
  readonly probability: number;
}

export interface GraphTraceResult {
  readonly mode: ProxyModeName;
  readonly node: string;
  readonly sourceIP: string;
  readonly hops: readonly GraphTraceHop[];
  readonly outcome: 'dnat' | 'drop' | 'reject' | 'accept' | 'none';
  readonly masquerade: boolean;
  readonly endpoints: ReadonlyArray<{ readonly address: string; readonly probability: number; readonly pod: string }>;
  readonly notes: readonly string[];
}

/** An address outside the cluster (TEST-NET-3), used when the user names no source address. */
export const DEFAULT_OUTSIDE_IP = '203.0.113.10';

/**
 * The rules of `mode` on `nodeName` ('' = the profile's kube-proxy node). With `serviceId`
 * (`Service/ns/name`), only the lines about that Service and the chains they jump to.
 */
export function topologyRules(sim: TopologySimulation, mode: ProxyModeName, nodeName: string, serviceId: string): GraphRulesResult {
  const notes: string[] = [];
  const node = pickNode(sim.profile, nodeName, notes);
  const model = proxyModel(sim, mode, node);
  let text = renderMode(model, mode);
  if (serviceId !== '') {
    const svc = sim.services.find((s) => `Service/${s.ref.namespace}/${s.ref.name}` === serviceId);
    if (!svc) notes.push(`${serviceId} is not a Service of the workspace; showing every rule`);
    else text = narrowToService(text, mode, svc.ref.namespace, svc.ref.name, serviceAddresses(svc.service, sim.profile));
  }
  return { mode, node: node?.name ?? nodeName, text, notes };
}

/** The rules of `mode` on `nodeName` narrowed to each of `serviceIds`, generating the rules once. */
export function topologyRulesByService(sim: TopologySimulation, mode: ProxyModeName, nodeName: string, serviceIds: readonly string[]): Record<string, string> {
  const node = pickNode(sim.profile, nodeName, []);
  const index = indexRuleText(renderMode(proxyModel(sim, mode, node), mode), mode);
  const byId = new Map(sim.services.map((s) => [`Service/${s.ref.namespace}/${s.ref.name}`, s]));
  const out: Record<string, string> = {};
  for (const id of serviceIds) {
    const svc = byId.get(id);
    if (svc) out[id] = narrowIndexed(index, svc.ref.namespace, svc.ref.name, serviceAddresses(svc.service, sim.profile));
  }
  return out;
}

/** Walks one packet through the rules of the node it arrives at. */
export function topologyTrace(sim: TopologySimulation, request: GraphTraceRequest): GraphTraceResult {
  const notes: string[] = [];
  const { mode, destination } = request;
  const origin = traceOrigin(sim, request.source, notes);
  const node = origin.node;
  const model = proxyModel(sim, mode, node);
  const localIPs = node ? localAddresses(node) : [];
  const podByIP = new Map<string, string>();
  for (const p of sim.pods) for (const ip of p.podIPs) if (!p.pod.spec?.hostNetwork) podByIP.set(ip, `Pod/${p.ref.namespace}/${p.ref.name}`);
  const base = { mode, node: node?.name ?? '', sourceIP: origin.sourceIP };
  if (origin.sourceIP === '') return { ...base, hops: [], outcome: 'none', masquerade: false, endpoints: [], notes };
  const protocol = destination.protocol.toLowerCase();
  let hops: GraphTraceHop[];
  let output: string;
  let masquerade: boolean;
  if (mode === 'iptables') {
    const parsed = parseIptablesRestore(renderIptablesRestore(nodeIptablesRuleset(generateIptablesRuleset(model))));
    const t = traceIptablesPacket(parsed, { sourceIP: origin.sourceIP, destIP: destination.ip, destPort: destination.port, protocol, localIPs });
    hops = withIptablesProbabilities(t.hops.map((h) => ({ chain: `${h.table} ${h.chain}`, rule: h.rule, verdict: h.verdict ?? '', probability: -1 })));
    output = t.output;
    masquerade = t.masq;
  } else if (mode === 'nftables') {
    const t = traceNftPacket(generateNftables(model), { sourceIP: origin.sourceIP, destIP: destination.ip, destPort: destination.port, protocol }, { localIPs });
    const dnats = t.hops.filter((h) => (h.verdict ?? '').startsWith('dnat to')).length;
    hops = t.hops.map((h) => ({
      chain: h.chain,
      rule: h.rule,
      verdict: h.verdict ?? '',
      probability: (h.verdict ?? '').startsWith('dnat to') && dnats > 0 ? 1 / dnats : -1,
    }));
    output = t.output;
    masquerade = t.masq;
    if (t.unsupported.length > 0) notes.push(`the tracer skipped ${t.unsupported.length} expression(s) it does not interpret`);
  } else {
    const r = traceIpvs(generateIpvs(model), model, origin.sourceIP, destination.ip, destination.port, destination.protocol);
    hops = r.hops;
    output = r.output;
    masquerade = r.masquerade;
    notes.push('IPVS: the packet goes to the virtual server with its address, port and protocol; real servers share connections by weight (scheduler rr)');
  }
  const outcome = outcomeOf(output);
  const destinations = outcome === 'dnat' ? output.split(', ') : [];
  const probabilities = hops.filter((h) => h.probability >= 0).map((h) => h.probability);
  const endpoints = destinations.map((address, i) => ({
    address,
    probability: probabilities[i] ?? 1 / destinations.length,
    pod: podByIP.get(hostOf(address)) ?? '',
  }));
  if (outcome === 'none') notes.push('no kube-proxy rule decided: the packet leaves kube-proxy\'s chains unchanged');
  return { ...base, hops, outcome, masquerade, endpoints, notes };
}

// ---------------------------------------------------------------------------------------------
// Model and text per mode

function proxyModel(sim: TopologySimulation, mode: ProxyModeName, node: ProfileNode | undefined): KubeProxyModel {
  const options = { ...kubeProxyOptionsFor(sim.profile, node?.name), backend: mode };
  const services: V1Service[] = sim.services.map((s) => s.service);
  const slices: V1EndpointSlice[] = [...sim.endpointSlices];
  return buildKubeProxyModel(services, slices, options);
}

function renderMode(model: KubeProxyModel, mode: ProxyModeName): string {
  switch (mode) {
    case 'iptables':
      return renderIptablesRestore(nodeIptablesRuleset(generateIptablesRuleset(model)));
    case 'nftables':
      return renderNftTransaction(generateNftables(model));
    case 'ipvs': {
      const rs = generateIpvs(model);
      return [
        '# --- ipvsadm -S -n',
        renderIpvsadmSave(rs).trimEnd(),
        '# --- ipset save',
        renderIpsetRestore(rs).trimEnd(),
        '# --- iptables-restore',
        rs.iptablesRestore.trimEnd(),
        '',
      ].join('\n');
    }
  }
}

/** Addresses a Service answers on: ClusterIPs, external IPs and LB VIPs with their ports, and NodePorts. */
function serviceAddresses(svc: V1Service, profile: ClusterProfile): string[] {
  const out: string[] = [];
  const ips = [...(svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : [])), ...(svc.spec?.externalIPs ?? [])];
  for (const ing of svc.status?.loadBalancer?.ingress ?? []) if (ing?.ip) ips.push(ing.ip);
  for (const p of svc.spec?.ports ?? []) {
    for (const ip of ips) if (ip !== 'None') out.push(joinAddress(ip, p?.port ?? 0));
    if (p?.nodePort) for (const n of profile.nodes) for (const ip of n.internalIPs) out.push(joinAddress(ip, p.nodePort));
  }
  return out;
}

/**
 * The lines of `text` about one Service: lines naming it (comments, nft chain names) or, for IPVS,
 * one of its addresses, then every line of the chains those lines mention, plus table framing.
 */
export function narrowToService(text: string, mode: ProxyModeName, namespace: string, name: string, addresses: readonly string[]): string {
  return narrowIndexed(indexRuleText(text, mode), namespace, name, addresses);
}

interface RuleTextIndex {
  readonly lines: readonly string[];
  /** `namespace/name` -> lines naming it. */
  readonly byService: ReadonlyMap<string, number[]>;
  /** Service-specific chain name -> lines mentioning it. */
  readonly byChain: ReadonlyMap<string, number[]>;
  /** Per line, the chain names it mentions. */
  readonly chainsOf: readonly (readonly string[])[];
  /** `address:port` -> lines (IPVS). */
  readonly byAddress: ReadonlyMap<string, number[]>;
  readonly framing: readonly number[];
}

const SERVICE_KEY = /(?:^|[\s"-])([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\/([a-z0-9](?:[-a-z0-9.]*[a-z0-9])?)(?=[:"/\s]|$)/g;
const IPTABLES_CHAIN = /\bKUBE-(?:SVC|SEP|EXT|FW|SVL|XLB)-[A-Z0-9]+\b/g;
const NFT_CHAIN = /\b(?:service|endpoint|external|firewall|local)-[A-Z0-9]{8}-[^\s,;}]+/g;
/** ipset `hash:ip,port` members: `10.96.0.10,udp:53`. */
const IPSET_ENTRY = /([0-9a-fA-F:.]+),(?:tcp|udp|sctp):(\d+)/g;
const ADDRESS = /(?:\[[0-9a-fA-F:.]+\]|[0-9a-fA-F:.]+):\d+/g;

/** Indexes rule text once, so narrowing to each of many Services is cheap. */
function indexRuleText(text: string, mode: ProxyModeName): RuleTextIndex {
  const lines = text.split('\n');
  const byService = new Map<string, number[]>();
  const byChain = new Map<string, number[]>();
  const byAddress = new Map<string, number[]>();
  const chainsOf: string[][] = [];
  const framing: number[] = [];
  const add = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key);
    if (!list) map.set(key, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  const chainToken = mode === 'nftables' ? NFT_CHAIN : IPTABLES_CHAIN;
  lines.forEach((line, i) => {
    if (/^\*\w+$/.test(line) || line === 'COMMIT' || line.startsWith('# ---') || line.startsWith('add table ')) framing.push(i);
    for (const m of line.matchAll(SERVICE_KEY)) add(byService, `${m[1]}/${m[2]}`, i);
    const chains = [...new Set([...line.matchAll(chainToken)].map((m) => m[0]))];
    chainsOf.push(chains);
    for (const c of chains) add(byChain, c, i);
    if (mode === 'ipvs') {
      for (const m of line.matchAll(ADDRESS)) add(byAddress, m[0], i);
      for (const m of line.matchAll(IPSET_ENTRY)) add(byAddress, `${m[1].includes(':') ? `[${m[1]}]` : m[1]}:${m[2]}`, i);
    }
  });
  return { lines, byService, byChain, chainsOf, byAddress, framing };
}

function narrowIndexed(index: RuleTextIndex, namespace: string, name: string, addresses: readonly string[]): string {
  const picked = new Set<number>(index.byService.get(`${namespace}/${name}`) ?? []);
  for (const a of addresses) for (const i of index.byAddress.get(a) ?? []) picked.add(i);
  const chains = new Set<string>();
  for (const i of picked) for (const c of index.chainsOf[i]) chains.add(c);
  for (const c of chains) for (const i of index.byChain.get(c) ?? []) picked.add(i);
  for (const i of index.framing) picked.add(i);
  const lines = [...picked].sort((a, b) => a - b).map((i) => index.lines[i]);
  // Tables with nothing about this Service (`*mangle` straight followed by `COMMIT`) are left out.
  const out = lines.filter((line, i) => !(/^\*\w+$/.test(line) && lines[i + 1] === 'COMMIT') && !(line === 'COMMIT' && /^\*\w+$/.test(lines[i - 1] ?? '')));
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Trace helpers

function pickNode(profile: ClusterProfile, name: string, notes: string[]): ProfileNode | undefined {
  const wanted = name === '' ? profile.kubeProxy.node : name;
  const node = profile.nodes.find((n) => n.name === wanted);
  if (node) return node;
  notes.push(`node "${wanted}" is not in the cluster profile; using ${profile.nodes[0]?.name ?? 'no node'}`);
  return profile.nodes[0];
}

function traceOrigin(sim: TopologySimulation, source: GraphTraceSource, notes: string[]): { node: ProfileNode | undefined; sourceIP: string } {
  const family = sim.profile.kubeProxy.ipFamily;
  switch (source.kind) {
    case 'pod': {
      const pod = sim.pods.find((p) => `Pod/${p.ref.namespace}/${p.ref.name}` === source.pod);
      if (!pod) {
        notes.push(`${source.pod} is not a pod of the simulation`);
        return { node: undefined, sourceIP: '' };
      }
      const ip = pod.podIPs.find((a) => ipFamilyOf(a) === family) ?? '';
      if (ip === '') notes.push(`${source.pod} has no ${family} address (it is not scheduled)`);
      const node = pod.nodeName ? sim.profile.nodes.find((n) => n.name === pod.nodeName) : undefined;
      notes.push(`rules of node ${node?.name ?? '-'}, where ${source.pod} runs`);
      return { node, sourceIP: ip };
    }
    case 'node': {
      const node = pickNode(sim.profile, source.node, notes);
      return { node, sourceIP: node?.internalIPs.find((a) => ipFamilyOf(a) === family) ?? '' };
    }
    case 'outside': {
      const node = pickNode(sim.profile, source.node, notes);
      const ip = source.ip === '' ? DEFAULT_OUTSIDE_IP : source.ip;
      if (ipFamilyOf(ip) === undefined) {
        notes.push(`"${ip}" is not an IP address`);
        return { node, sourceIP: '' };
      }
      notes.push(`the packet arrives from outside at node ${node?.name ?? '-'}`);
      return { node, sourceIP: ip };
    }
  }
}

function localAddresses(node: ProfileNode): string[] {
  const out = new Set<string>(node.internalIPs);
  for (const list of Object.values(node.hostInterfaces)) for (const a of list) out.add(a.split('/')[0]);
  return [...out];
}

/**
 * iptables splits new connections with `-m statistic --mode random --probability p` on all but
 * the last endpoint jump of a service chain: the i-th endpoint gets p_i times what the earlier
 * jumps left over, the last one the remainder.
 */
function withIptablesProbabilities(hops: GraphTraceHop[]): GraphTraceHop[] {
  const remaining = new Map<string, number>();
  return hops.map((h) => {
    if (!/-j KUBE-SEP-[A-Z0-9]+/.test(h.rule)) return h;
    const left = remaining.get(h.chain) ?? 1;
    const m = /--probability\s+([0-9.]+)/.exec(h.rule);
    const share = m ? left * Number(m[1]) : left;
    remaining.set(h.chain, left - share);
    return { ...h, probability: share };
  });
}

function traceIpvs(rs: IpvsRuleset, model: KubeProxyModel, sourceIP: string, destIP: string, port: number, protocol: string): { hops: GraphTraceHop[]; output: string; masquerade: boolean } {
  const vs = rs.virtualServers.find((v) => v.address === destIP && v.port === port && v.protocol === protocol);
  if (!vs) return { hops: [], output: '', masquerade: false };
  const flag = protocol === 'UDP' ? '-u' : protocol === 'SCTP' ? '--sctp-service' : '-t';
  const service = `${flag} ${joinAddress(vs.address, vs.port)}`;
  const hops: GraphTraceHop[] = [{ chain: `IPVS ${vs.role}`, rule: `-A ${service} -s ${vs.scheduler}`, verdict: vs.servicePortName, probability: -1 }];
  const total = vs.realServers.reduce((n, r) => n + r.weight, 0);
  for (const r of vs.realServers) {
    const to = joinAddress(r.address, r.port);
    hops.push({ chain: `IPVS ${vs.role}`, rule: `-a ${service} -r ${to} -m -w ${r.weight}`, verdict: `masq to ${to}`, probability: total > 0 ? r.weight / total : 0 });
  }
  const sp = model.servicePorts.find((s) => s.servicePortName === vs.servicePortName && s.protocol === vs.protocol);
  const source = parseIPSloppy(sourceIP);
  const fromLocalPod = model.localDetector.kind === 'cidr' && source !== undefined && cidrContains(model.localDetector.cidr, source);
  const masquerade =
    model.options.masqueradeAll || (vs.role === 'clusterIP' ? !fromLocalPod : !(sp?.externalPolicyLocal ?? false));
  const output = vs.realServers.length === 0 ? 'REJECT' : vs.realServers.map((r) => joinAddress(r.address, r.port)).join(', ');
  return { hops, output, masquerade };
}

function outcomeOf(output: string): GraphTraceResult['outcome'] {
  if (output === '') return 'none';
  if (output === 'DROP') return 'drop';
  if (output === 'REJECT') return 'reject';
  if (output === 'ACCEPT') return 'accept';
  return 'dnat';
}

function joinAddress(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function hostOf(address: string): string {
  if (address.startsWith('[')) return address.slice(1, address.indexOf(']'));
  const i = address.lastIndexOf(':');
  return i === -1 ? address : address.slice(0, i);
}
