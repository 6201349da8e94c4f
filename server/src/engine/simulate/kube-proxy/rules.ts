// The kube-proxy façade for the CLI, the LSP and the webview: the rules one node programs in one
// mode for a simulated cluster, and packet traces through them. Generators and tracers live in their
// own files; this module decides which node, which Services and which rendering.
import type { V1EndpointSlice, V1Service } from '../../model/k8s-types';
import type { SimulatedCluster } from '../sim-cluster';
import { kubeProxyOptionsFor, type KubeProxyMode } from '../profile';
import { buildKubeProxyModel, type KubeProxyModel } from './model';
import { generateIptablesRuleset, renderIptablesRestore } from './iptables';
import { renderIptablesSave } from './iptables-save';
import { parseIptablesRestore } from './restore-text';
import { traceIptablesPacket } from './iptables-trace';
import { generateNftables } from './nftables';
import { renderNftTransaction } from './nft-transaction';
import { traceNftPacket } from './nft-trace';
import { generateIpvs, renderIpsetRestore, renderIpvsadmSave } from './ipvs';

export type RulesFormat = 'restore' | 'save';

export interface RulesRequest {
  readonly mode: KubeProxyMode;
  readonly format: RulesFormat;
  /** The node whose rules to print; default: the profile's kube-proxy node. */
  readonly node?: string;
  /** Only this Service's rules (plus the fixed chains every ruleset has). */
  readonly service?: { readonly namespace: string; readonly name: string };
}

export interface RulesResult {
  readonly text: string;
  readonly problems: readonly string[];
}

export function kubeProxyRules(cluster: SimulatedCluster, request: RulesRequest): RulesResult {
  const problems: string[] = [];
  const model = modelFor(cluster, request.mode, request.node, request.service, problems);
  if (!model) return { text: '', problems };
  switch (request.mode) {
    case 'iptables': {
      const ruleset = generateIptablesRuleset(model);
      return { text: request.format === 'save' ? renderIptablesSave(ruleset) : renderIptablesRestore(ruleset), problems };
    }
    case 'nftables':
      if (request.format === 'save') problems.push('nftables has one rendering (the nft transaction); --format save is ignored');
      return { text: renderNftTransaction(generateNftables(model)), problems };
    case 'ipvs': {
      const ipvs = generateIpvs(model);
      const text = [
        '# ipvsadm -Sn',
        renderIpvsadmSave(ipvs).trimEnd(),
        '',
        '# ipset save',
        renderIpsetRestore(ipvs).trimEnd(),
        '',
        '# iptables-restore',
        ipvs.iptablesRestore.trimEnd(),
        '',
      ].join('\n');
      return { text, problems };
    }
  }
}

export interface TraceRequest {
  readonly mode: KubeProxyMode;
  readonly node?: string;
  readonly sourceIP: string;
  readonly destIP: string;
  readonly destPort: number;
  readonly protocol: string;
}

export interface TraceHop {
  readonly chain: string;
  readonly rule: string;
  readonly verdict?: string;
  readonly table?: string;
}

/** `output` is spelled as the upstream packet-flow vectors spell it. */
export interface TraceResult {
  readonly output: string;
  readonly masq: boolean;
  readonly hops: readonly TraceHop[];
  readonly problems: readonly string[];
}

export function tracePacket(cluster: SimulatedCluster, request: TraceRequest): TraceResult {
  const problems: string[] = [];
  const model = modelFor(cluster, request.mode, request.node, undefined, problems);
  if (!model) return { output: '', masq: false, hops: [], problems };
  const nodeIPs = nodeAddresses(cluster, model.options.nodeName);
  const protocol = request.protocol.toLowerCase();
  if (request.mode === 'nftables') {
    const r = traceNftPacket(generateNftables(model), { sourceIP: request.sourceIP, destIP: request.destIP, destPort: request.destPort, protocol }, { localIPs: nodeIPs });
    return { output: r.output, masq: r.masq, hops: r.hops.map((h) => ({ chain: h.chain, rule: h.rule, verdict: h.verdict })), problems: [...problems, ...r.unsupported.map((u) => `not traced: ${u}`)] };
  }
  if (request.mode === 'ipvs') problems.push('ipvs mode is traced through its iptables rules only (IPVS virtual servers are listed by `kubeglass rules --mode ipvs`)');
  const text = request.mode === 'ipvs' ? generateIpvs(model).iptablesRestore : renderIptablesRestore(generateIptablesRuleset(model));
  const r = traceIptablesPacket(parseIptablesRestore(text), {
    sourceIP: request.sourceIP,
    destIP: request.destIP,
    destPort: request.destPort,
    protocol,
    localIPs: ['127.0.0.1', '::1', ...nodeIPs],
  });
  return { output: r.output, masq: r.masq, hops: r.hops.map((h) => ({ ...(h as unknown as TraceHop) })), problems };
}

function modelFor(cluster: SimulatedCluster, mode: KubeProxyMode, node: string | undefined, service: RulesRequest['service'], problems: string[]): KubeProxyModel | undefined {
  const profile = cluster.profile;
  const nodeName = node ?? profile.kubeProxy.node;
  if (!profile.nodes.some((n) => n.name === nodeName)) {
    problems.push(`node "${nodeName}" is not in the cluster profile; nodes: ${profile.nodes.map((n) => n.name).join(', ')}`);
    return undefined;
  }
  const options = { ...kubeProxyOptionsFor(profile, nodeName), backend: mode };
  let services: V1Service[] = cluster.services.map((s) => s.service);
  let slices: V1EndpointSlice[] = cluster.endpointSlices.map((s) => s.slice);
  if (service) {
    services = services.filter((s) => s.metadata?.namespace === service.namespace && s.metadata?.name === service.name);
    if (services.length === 0) problems.push(`Service ${service.namespace}/${service.name} is not in the workspace`);
    slices = slices.filter((s) => s.metadata?.namespace === service.namespace && s.metadata?.labels?.['kubernetes.io/service-name'] === service.name);
  }
  return buildKubeProxyModel(services, slices, options);
}

/** The node's own addresses (InternalIPs and every interface address but loopback), for "type local" matches. */
function nodeAddresses(cluster: SimulatedCluster, nodeName: string): string[] {
  const node = cluster.profile.nodes.find((n) => n.name === nodeName);
  if (!node) return [];
  const out = new Set<string>(node.internalIPs);
  for (const addrs of Object.values(node.hostInterfaces)) {
    for (const a of addrs) {
      const ip = a.split('/')[0];
      if (ip !== '127.0.0.1' && ip !== '::1') out.add(ip);
    }
  }
  return [...out];
}
