// kube-proxy's nftables mode as a pure function: proxier model -> the nft transaction kube-proxy
// writes into its `ip kube-proxy` / `ip6 kube-proxy` table on a full sync (spec kube-proxy.md
// section 7; text format and expectations: testdata/kube-proxy `nft-*` vectors, which follow
// the kube-proxy revision described in spec section 9).
//
// Owns: the fixed table skeleton (base chains, dispatch maps, no-endpoint handling, masquerade
// chains; `BASE_CHAINS` and `JUMP_RULES` are the tables it is built from) and the per-service-
// port decisions and objects (service/local/external/firewall/endpoint chains, affinity sets,
// map and set elements).
//
// Invariants: the output depends only on the model (service ports are visited in the model's
// sorted order); every object is declared once (a repeated chain, set or element key keeps its
// first occurrence, as the kernel keeps one object per name/key); never throws.
// Deliberately absent: history (flushing and deleting stale chains and affinity sets), which a
// stateless simulation cannot know; rendering (nft-transaction.ts) and tracing (nft-trace.ts).
import {
  type KubeProxyModel,
  type KubeProxyServicePort,
  type LocalDetector,
  categorizeEndpoints,
  isExternallyAccessible,
  trafficEndpoints,
  usesClusterEndpoints,
  usesLocalEndpoints,
} from './model';
import { cidrContains, isLoopback, parseCIDRSloppy, parseIPSloppy } from './ip-address';
import {
  nftAffinitySetName,
  nftEndpointChainName,
  nftEndpointNameBase,
  nftExternalChainName,
  nftFirewallChainName,
  nftLocalChainName,
  nftServiceChainName,
  nftServicePortNameBase,
} from './nft-names';
import type { NftBaseChainSpec, NftCommand, NftFamily, NftTransaction } from './nft-transaction';
import { line } from './line-text';

export const NFT_TABLE = 'kube-proxy';

/** Builds the transaction for one proxier (one IP family). */
export function generateNftables(model: KubeProxyModel): NftTransaction {
  const family: NftFamily = model.options.ipFamily === 'IPv6' ? 'ip6' : 'ip';
  const out = new CommandList();
  writeSkeleton(out, model, family);
  for (const sp of model.servicePorts) writeServicePort(out, model, family, sp);
  return { family, table: NFT_TABLE, commands: out.commands };
}

// ---------------------------------------------------------------------------------------------
// Fixed structure

const CLUSTER_IPS_SET = 'cluster-ips';
const NODEPORT_IPS_SET = 'nodeport-ips';
const SERVICE_IPS_MAP = 'service-ips';
const SERVICE_NODEPORTS_MAP = 'service-nodeports';
const FIREWALL_IPS_MAP = 'firewall-ips';
const NO_ENDPOINT_SERVICES_MAP = 'no-endpoint-services';
const NO_ENDPOINT_NODEPORTS_MAP = 'no-endpoint-nodeports';
const SERVICES_CHAIN = 'services';
const SERVICE_ENDPOINTS_CHECK_CHAIN = 'service-endpoints-check';
const NODEPORT_ENDPOINTS_CHECK_CHAIN = 'nodeport-endpoints-check';
const CLUSTER_IPS_CHECK_CHAIN = 'cluster-ips-check';
const FIREWALL_CHECK_CHAIN = 'firewall-check';
const REJECT_CHAIN = 'reject-chain';
const MARK_MASQ_CHAIN = 'mark-for-masquerade';
const MASQUERADING_CHAIN = 'masquerading';

/**
 * Chains attached to netfilter hooks. The filter chains that need the pre-DNAT destination
 * (LoadBalancerSourceRanges) run just before DNAT (-110); the others at filter priority (0), so
 * they see the translated destination. NAT runs at the standard DNAT (-100) and SNAT (100).
 */
const BASE_CHAINS: ReadonlyArray<{ readonly name: string; readonly base: NftBaseChainSpec }> = [
  { name: 'filter-prerouting-pre-dnat', base: { type: 'filter', hook: 'prerouting', priority: -110 } },
  { name: 'filter-output-pre-dnat', base: { type: 'filter', hook: 'output', priority: -110 } },
  { name: 'filter-forward', base: { type: 'filter', hook: 'forward', priority: 0 } },
  { name: 'filter-input', base: { type: 'filter', hook: 'input', priority: 0 } },
  { name: 'filter-output', base: { type: 'filter', hook: 'output', priority: 0 } },
  { name: 'nat-prerouting', base: { type: 'nat', hook: 'prerouting', priority: -100 } },
  { name: 'nat-output', base: { type: 'nat', hook: 'output', priority: -100 } },
  { name: 'nat-postrouting', base: { type: 'nat', hook: 'postrouting', priority: 100 } },
];

/**
 * Jumps from base chains into kube-proxy's top-level regular chains, in rule order per source
 * chain. `reject` is only allowed in input/forward/output hooks, which is why the endpoint and
 * ClusterIP checks hang off those and not off prerouting.
 */
const JUMP_RULES: ReadonlyArray<{ readonly from: string; readonly to: string; readonly match: string }> = [
  { from: 'filter-prerouting-pre-dnat', to: FIREWALL_CHECK_CHAIN, match: 'ct state new' },
  { from: 'filter-output-pre-dnat', to: FIREWALL_CHECK_CHAIN, match: 'ct state new' },
  { from: 'filter-forward', to: SERVICE_ENDPOINTS_CHECK_CHAIN, match: 'ct state new' },
  { from: 'filter-forward', to: CLUSTER_IPS_CHECK_CHAIN, match: 'ct state new' },
  { from: 'filter-input', to: NODEPORT_ENDPOINTS_CHECK_CHAIN, match: 'ct state new' },
  { from: 'filter-input', to: SERVICE_ENDPOINTS_CHECK_CHAIN, match: 'ct state new' },
  { from: 'filter-output', to: SERVICE_ENDPOINTS_CHECK_CHAIN, match: 'ct state new' },
  { from: 'filter-output', to: CLUSTER_IPS_CHECK_CHAIN, match: 'ct state new' },
  { from: 'nat-prerouting', to: SERVICES_CHAIN, match: '' },
  { from: 'nat-output', to: SERVICES_CHAIN, match: '' },
  { from: 'nat-postrouting', to: MASQUERADING_CHAIN, match: '' },
];

/** Regular chains of the skeleton (besides the jump targets above). */
const REGULAR_CHAINS: readonly string[] = [
  CLUSTER_IPS_CHECK_CHAIN,
  FIREWALL_CHECK_CHAIN,
  MARK_MASQ_CHAIN,
  MASQUERADING_CHAIN,
  NODEPORT_ENDPOINTS_CHECK_CHAIN,
  SERVICES_CHAIN,
  SERVICE_ENDPOINTS_CHECK_CHAIN,
];

function writeSkeleton(out: CommandList, model: KubeProxyModel, family: NftFamily): void {
  const addrType = family === 'ip6' ? 'ipv6_addr' : 'ipv4_addr';
  const mark = model.options.masqueradeMark;
  const npa = model.nodePortAddresses;
  // With nodePortAddresses unset NodePorts answer on every local address except loopback.
  const nodePortMatch = npa.matchAll
    ? `fib daddr type local ${family} daddr != ${family === 'ip6' ? '::1' : '127.0.0.0/8'}`
    : `${family} daddr @${NODEPORT_IPS_SET}`;

  out.add({ kind: 'table', comment: 'rules for kube-proxy' });

  out.add({ kind: 'set', name: CLUSTER_IPS_SET, type: addrType, comment: 'Active ClusterIPs' });
  if (!npa.matchAll) {
    out.add({ kind: 'set', name: NODEPORT_IPS_SET, type: addrType, comment: 'IPs that accept NodePort traffic' });
  }
  const verdictMaps: ReadonlyArray<readonly [string, string, string]> = [
    [FIREWALL_IPS_MAP, `${addrType} . inet_proto . inet_service`, 'destinations that are subject to LoadBalancerSourceRanges'],
    [NO_ENDPOINT_NODEPORTS_MAP, 'inet_proto . inet_service', 'vmap to drop or reject packets to service nodeports with no endpoints'],
    [NO_ENDPOINT_SERVICES_MAP, `${addrType} . inet_proto . inet_service`, 'vmap to drop or reject packets to services with no endpoints'],
    [SERVICE_IPS_MAP, `${addrType} . inet_proto . inet_service`, 'ClusterIP, ExternalIP and LoadBalancer IP traffic'],
    [SERVICE_NODEPORTS_MAP, 'inet_proto . inet_service', 'NodePort traffic'],
  ];
  for (const [name, keyType, comment] of verdictMaps) out.add({ kind: 'map', name, type: `${keyType} : verdict`, comment });

  for (const { name, base } of BASE_CHAINS) out.add({ kind: 'chain', name, base });
  for (const name of REGULAR_CHAINS) out.add({ kind: 'chain', name });
  out.add({ kind: 'chain', name: REJECT_CHAIN, comment: 'helper for @no-endpoint-services / @no-endpoint-nodeports' });

  for (const j of JUMP_RULES) out.add({ kind: 'rule', chain: j.from, rule: j.match === '' ? `jump ${j.to}` : `${j.match} jump ${j.to}` });

  // ClusterIP sanity: a known ClusterIP on a port no service uses is rejected; an address in a
  // service CIDR that no service holds is dropped.
  out.add({
    kind: 'rule',
    chain: CLUSTER_IPS_CHECK_CHAIN,
    rule: `${family} daddr @${CLUSTER_IPS_SET} reject`,
    comment: 'Reject traffic to invalid ports of ClusterIPs',
  });
  const serviceCIDRs = serviceCIDRsOfFamily(model.options.serviceCIDRs, model.options.ipFamily);
  if (serviceCIDRs.length > 0) {
    out.add({
      kind: 'rule',
      chain: CLUSTER_IPS_CHECK_CHAIN,
      rule: `${family} daddr { ${serviceCIDRs.join(',')} } drop`,
      comment: 'Drop traffic to unallocated ClusterIPs',
    });
  }

  out.add({ kind: 'rule', chain: FIREWALL_CHECK_CHAIN, rule: `${family} daddr . meta l4proto . th dport vmap @${FIREWALL_IPS_MAP}` });

  out.add({ kind: 'rule', chain: MARK_MASQ_CHAIN, rule: `mark set mark or ${mark}` });
  out.add({ kind: 'rule', chain: MASQUERADING_CHAIN, rule: `mark and ${mark} == 0 return` });
  out.add({ kind: 'rule', chain: MASQUERADING_CHAIN, rule: `mark set mark xor ${mark}` });
  out.add({ kind: 'rule', chain: MASQUERADING_CHAIN, rule: 'masquerade fully-random' });

  out.add({ kind: 'rule', chain: REJECT_CHAIN, rule: 'reject' });

  out.add({ kind: 'rule', chain: SERVICES_CHAIN, rule: `${family} daddr . meta l4proto . th dport vmap @${SERVICE_IPS_MAP}` });
  out.add({ kind: 'rule', chain: SERVICES_CHAIN, rule: `${nodePortMatch} meta l4proto . th dport vmap @${SERVICE_NODEPORTS_MAP}` });

  out.add({
    kind: 'rule',
    chain: SERVICE_ENDPOINTS_CHECK_CHAIN,
    rule: `${family} daddr . meta l4proto . th dport vmap @${NO_ENDPOINT_SERVICES_MAP}`,
  });
  out.add({
    kind: 'rule',
    chain: NODEPORT_ENDPOINTS_CHECK_CHAIN,
    rule: `${nodePortMatch} meta l4proto . th dport vmap @${NO_ENDPOINT_NODEPORTS_MAP}`,
  });

  // Loopback addresses never accept NodePorts in this mode, even if a CIDR covers them.
  for (const ip of npa.nodeIPs) {
    if (!isLoopback(ip)) out.add({ kind: 'element', target: NODEPORT_IPS_SET, key: [ip.text] });
  }
}

/** The configured service CIDRs of this family, as written (trimmed). */
function serviceCIDRsOfFamily(text: string, ipFamily: 'IPv4' | 'IPv6'): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => parseCIDRSloppy(s)?.family === ipFamily);
}

// ---------------------------------------------------------------------------------------------
// Per service port

/** What kube-proxy decides for one service port before writing anything (spec 5.3 / 7). */
interface ServicePortPlan {
  readonly clusterChain: string;
  readonly localChain: string;
  readonly externalChain: string;
  readonly firewallChain: string;
  readonly clusterEndpoints: KubeProxyServicePort['endpoints'];
  readonly localEndpoints: KubeProxyServicePort['endpoints'];
  readonly reachableEndpoints: KubeProxyServicePort['endpoints'];
  /** Endpoint text -> its endpoint chain, for every reachable endpoint. */
  readonly endpointChains: ReadonlyMap<string, string>;
  /** Endpoint text -> its affinity set, for every reachable endpoint; empty without ClientIP affinity. */
  readonly affinitySets: ReadonlyMap<string, string>;
  /** Some usable endpoint exists anywhere. */
  readonly hasEndpoints: boolean;
  readonly usesClusterChain: boolean;
  readonly usesLocalChain: boolean;
  /** The chain ClusterIP traffic goes to (local chain with internalTrafficPolicy Local). */
  readonly internalChain: string;
  readonly hasInternalEndpoints: boolean;
  /** The chain external traffic finally goes to (local chain with externalTrafficPolicy Local). */
  readonly externalPolicyLocal: boolean;
  readonly externalPolicyChain: string;
  readonly hasExternalEndpoints: boolean;
  readonly usesExternalChain: boolean;
  readonly usesFirewallChain: boolean;
  /** Verdict for traffic that has no endpoint to go to: reject when none exist at all. */
  readonly internalFilterVerdict: string;
  readonly externalFilterVerdict: string;
  readonly usesAffinity: boolean;
}

function planServicePort(model: KubeProxyModel, sp: KubeProxyServicePort): ServicePortPlan {
  const cats = categorizeEndpoints(sp, model.options);
  const base = nftServicePortNameBase(sp);
  const clusterChain = nftServiceChainName(sp, base);
  const localChain = nftLocalChainName(sp, base);
  const usesAffinity = sp.sessionAffinity.kind === 'ClientIP';
  // Each endpoint's name base is hashed once; its chain and affinity set share it.
  const endpointChains = new Map<string, string>();
  const affinitySets = new Map<string, string>();
  for (const ep of cats.allReachableEndpoints) {
    const epBase = nftEndpointNameBase(sp, ep.endpoint);
    endpointChains.set(ep.endpoint, nftEndpointChainName(sp, ep.endpoint, epBase));
    if (usesAffinity) affinitySets.set(ep.endpoint, nftAffinitySetName(sp, ep.endpoint, epBase));
  }
  const hasEndpoints = cats.hasAnyEndpoints;
  const hasLocal = cats.localEndpoints.length > 0;
  const { hasInternalEndpoints, hasExternalEndpoints } = trafficEndpoints(sp, cats);
  const noEndpointVerdict = `goto ${REJECT_CHAIN}`;
  return {
    clusterChain,
    localChain,
    externalChain: nftExternalChainName(sp, base),
    firewallChain: nftFirewallChainName(sp, base),
    clusterEndpoints: cats.clusterEndpoints,
    localEndpoints: cats.localEndpoints,
    reachableEndpoints: cats.allReachableEndpoints,
    endpointChains,
    affinitySets,
    hasEndpoints,
    usesClusterChain: cats.clusterEndpoints.length > 0 && usesClusterEndpoints(sp),
    usesLocalChain: hasLocal && usesLocalEndpoints(sp),
    internalChain: sp.internalPolicyLocal ? localChain : clusterChain,
    hasInternalEndpoints,
    externalPolicyLocal: sp.externalPolicyLocal,
    externalPolicyChain: sp.externalPolicyLocal ? localChain : clusterChain,
    hasExternalEndpoints,
    // Needed even without external endpoints: the local short-circuit rules live there.
    usesExternalChain: hasEndpoints && isExternallyAccessible(sp),
    // Source ranges apply whether or not endpoints exist.
    usesFirewallChain: sp.loadBalancerVIPs.length > 0 && sp.loadBalancerSourceRanges.length > 0,
    internalFilterVerdict: hasEndpoints ? 'drop' : noEndpointVerdict,
    externalFilterVerdict: hasEndpoints ? 'drop' : noEndpointVerdict,
    usesAffinity,
  };
}

function writeServicePort(out: CommandList, model: KubeProxyModel, family: NftFamily, sp: KubeProxyServicePort): void {
  const plan = planServicePort(model, sp);
  const proto = sp.protocol.toLowerCase();
  const port = String(sp.port);
  const name = sp.servicePortName;

  // Chains first, so every later reference has its target.
  for (const ep of plan.reachableEndpoints) out.add({ kind: 'chain', name: plan.endpointChains.get(ep.endpoint)! });
  if (plan.usesClusterChain) out.add({ kind: 'chain', name: plan.clusterChain });
  if (plan.usesLocalChain) out.add({ kind: 'chain', name: plan.localChain });
  if (plan.usesExternalChain) out.add({ kind: 'chain', name: plan.externalChain });

  // ClusterIP.
  out.add({ kind: 'element', target: CLUSTER_IPS_SET, key: [sp.clusterIP] });
  if (plan.hasInternalEndpoints) {
    out.add({ kind: 'element', target: SERVICE_IPS_MAP, key: [sp.clusterIP, proto, port], value: line`goto ${plan.internalChain}` });
  } else {
    out.add({ kind: 'element', target: NO_ENDPOINT_SERVICES_MAP, key: [sp.clusterIP, proto, port], value: plan.internalFilterVerdict, comment: name });
  }

  // externalIPs.
  for (const ip of sp.externalIPs) {
    if (plan.hasEndpoints) {
      out.add({ kind: 'element', target: SERVICE_IPS_MAP, key: [ip, proto, port], value: line`goto ${plan.externalChain}` });
    }
    if (!plan.hasExternalEndpoints) {
      out.add({ kind: 'element', target: NO_ENDPOINT_SERVICES_MAP, key: [ip, proto, port], value: plan.externalFilterVerdict, comment: name });
    }
  }

  // LoadBalancerSourceRanges: drop what no range allows. When a range holds the node IP, the
  // VIPs are allowed as sources too (VIP-style load balancers loop node traffic back with the
  // VIP as source).
  if (plan.usesFirewallChain) {
    out.add({ kind: 'chain', name: plan.firewallChain });
    const nodeIP = parseIPSloppy(model.options.nodeIP);
    const allowFromNode =
      nodeIP !== undefined &&
      sp.loadBalancerSourceRanges.some((r) => {
        const cidr = parseCIDRSloppy(r);
        return cidr !== undefined && cidrContains(cidr, nodeIP);
      });
    const sources = allowFromNode ? [...sp.loadBalancerSourceRanges, ...sp.loadBalancerVIPs] : sp.loadBalancerSourceRanges;
    out.add({ kind: 'rule', chain: plan.firewallChain, rule: line`${family} saddr != { ${sources.join(' , ')} } drop` });
  }

  // LoadBalancer VIPs.
  for (const ip of sp.loadBalancerVIPs) {
    if (plan.hasEndpoints) {
      out.add({ kind: 'element', target: SERVICE_IPS_MAP, key: [ip, proto, port], value: line`goto ${plan.externalChain}` });
    }
    if (plan.usesFirewallChain) {
      out.add({ kind: 'element', target: FIREWALL_IPS_MAP, key: [ip, proto, port], value: line`goto ${plan.firewallChain}` });
    }
  }
  if (!plan.hasExternalEndpoints) {
    for (const ip of sp.loadBalancerVIPs) {
      out.add({ kind: 'element', target: NO_ENDPOINT_SERVICES_MAP, key: [ip, proto, port], value: plan.externalFilterVerdict, comment: name });
    }
  }

  // NodePort (never subject to source ranges).
  if (sp.nodePort !== 0) {
    const key = [proto, String(sp.nodePort)];
    if (plan.hasEndpoints) out.add({ kind: 'element', target: SERVICE_NODEPORTS_MAP, key, value: line`goto ${plan.externalChain}` });
    if (!plan.hasExternalEndpoints) {
      out.add({ kind: 'element', target: NO_ENDPOINT_NODEPORTS_MAP, key, value: plan.externalFilterVerdict, comment: name });
    }
  }

  // Masquerade ClusterIP traffic that does not come from a local pod (or all of it).
  if (plan.hasInternalEndpoints) {
    const notLocal = notLocalMatch(model.localDetector, family);
    if (model.options.masqueradeAll) {
      out.add({ kind: 'rule', chain: plan.internalChain, rule: line`${family} daddr ${sp.clusterIP} jump ${MARK_MASQ_CHAIN}` });
    } else if (notLocal !== undefined) {
      out.add({ kind: 'rule', chain: plan.internalChain, rule: line`${family} daddr ${sp.clusterIP} ${notLocal} jump ${MARK_MASQ_CHAIN}` });
    }
  }

  if (plan.usesExternalChain) writeExternalChain(out, model, family, plan);

  if (plan.usesAffinity && sp.sessionAffinity.kind === 'ClientIP') {
    for (const ep of plan.reachableEndpoints) {
      out.add({
        kind: 'set',
        name: plan.affinitySets.get(ep.endpoint)!,
        type: family === 'ip6' ? 'ipv6_addr' : 'ipv4_addr',
        flags: ['dynamic', 'timeout'],
        timeoutSeconds: sp.sessionAffinity.timeoutSeconds,
      });
    }
  }

  if (plan.usesClusterChain) writeDispatch(out, family, plan, plan.clusterChain, plan.clusterEndpoints);
  if (plan.usesLocalChain) writeDispatch(out, family, plan, plan.localChain, plan.localEndpoints);

  for (const ep of plan.reachableEndpoints) {
    const chain = plan.endpointChains.get(ep.endpoint)!;
    // Hairpin: an endpoint reaching itself through the service must be masqueraded.
    out.add({ kind: 'rule', chain, rule: line`${family} saddr ${ep.ip} jump ${MARK_MASQ_CHAIN}` });
    if (plan.usesAffinity) {
      out.add({ kind: 'rule', chain, rule: line`update @${plan.affinitySets.get(ep.endpoint)!} { ${family} saddr }` });
    }
    out.add({ kind: 'rule', chain, rule: line`meta l4proto ${proto} dnat to ${ep.endpoint}` });
  }
}

/**
 * External chain (NodePort, externalIP, LB VIP traffic):
 * - Cluster policy: masquerade everything, then the cluster chain;
 * - Local policy: pod traffic short-circuits to the cluster chain unmasqueraded (it behaves as
 *   if it went out to the load balancer and came back); traffic from the node itself is
 *   masqueraded and short-circuited too; anything else goes to the local chain, if there are
 *   local endpoints (else it falls through to the no-endpoint drop).
 */
function writeExternalChain(out: CommandList, model: KubeProxyModel, family: NftFamily, plan: ServicePortPlan): void {
  const chain = plan.externalChain;
  if (!plan.externalPolicyLocal) {
    out.add({ kind: 'rule', chain, rule: line`jump ${MARK_MASQ_CHAIN}` });
  } else {
    const local = localMatch(model.localDetector, family);
    if (local !== undefined) {
      out.add({ kind: 'rule', chain, rule: line`${local} goto ${plan.clusterChain}`, comment: 'short-circuit pod traffic' });
    }
    out.add({ kind: 'rule', chain, rule: line`fib saddr type local jump ${MARK_MASQ_CHAIN}`, comment: 'masquerade local traffic' });
    out.add({ kind: 'rule', chain, rule: line`fib saddr type local goto ${plan.clusterChain}`, comment: 'short-circuit local traffic' });
  }
  if (plan.hasExternalEndpoints) out.add({ kind: 'rule', chain, rule: line`goto ${plan.externalPolicyChain}` });
}

/**
 * Service or local chain: affinity lookups first (a client seen recently goes back to its
 * endpoint), then a random choice among the endpoints, in endpoint order.
 */
function writeDispatch(out: CommandList, family: NftFamily, plan: ServicePortPlan, chain: string, endpoints: KubeProxyServicePort['endpoints']): void {
  if (plan.usesAffinity) {
    for (const ep of endpoints) {
      out.add({
        kind: 'rule',
        chain,
        rule: line`${family} saddr @${plan.affinitySets.get(ep.endpoint)!} goto ${plan.endpointChains.get(ep.endpoint)!}`,
      });
    }
  }
  const entries = endpoints.map((ep, i) => `${i} : goto ${plan.endpointChains.get(ep.endpoint)!}`);
  out.add({ kind: 'rule', chain, rule: line`numgen random mod ${endpoints.length} vmap { ${entries.join(' , ')} }` });
}

/** nft expression for "comes from a local pod" (spec section 1), or undefined without a detector. */
function localMatch(detector: LocalDetector, family: NftFamily): string | undefined {
  switch (detector.kind) {
    case 'cidr':
      return `${family} saddr ${detector.cidr.text}`;
    case 'interface':
      return `iifname ${detector.name}`;
    case 'interfacePrefix':
      return `iifname ${detector.prefix}*`;
    case 'none':
      return undefined;
  }
}

/** nft expression for "does not come from a local pod", or undefined without a detector. */
function notLocalMatch(detector: LocalDetector, family: NftFamily): string | undefined {
  switch (detector.kind) {
    case 'cidr':
      return `${family} saddr != ${detector.cidr.text}`;
    case 'interface':
      return `iifname != ${detector.name}`;
    case 'interfacePrefix':
      return `iifname != ${detector.prefix}*`;
    case 'none':
      return undefined;
  }
}

/**
 * Collects commands, keeping the first declaration of each chain, set, map and element key
 * (nft holds one object per name and one element per key). Chains, sets and maps are looked up
 * by name (sets and maps share one namespace), elements by key within their set or map.
 */
class CommandList {
  readonly commands: NftCommand[] = [];
  private readonly chains = new Set<string>();
  private readonly setsAndMaps = new Set<string>();
  private readonly elements = new Map<string, Set<string>>();
  private hasTable = false;

  add(c: NftCommand): void {
    if (this.isFirstDeclaration(c)) this.commands.push(c);
  }

  /** Whether `c` declares nothing declared before (rules always pass); records what it declares. */
  private isFirstDeclaration(c: NftCommand): boolean {
    switch (c.kind) {
      case 'table':
        if (this.hasTable) return false;
        this.hasTable = true;
        return true;
      case 'chain':
        return addIfAbsent(this.chains, c.name);
      case 'set':
      case 'map':
        return addIfAbsent(this.setsAndMaps, c.name);
      case 'element': {
        let keys = this.elements.get(c.target);
        if (keys === undefined) this.elements.set(c.target, (keys = new Set()));
        return addIfAbsent(keys, c.key.length === 1 ? c.key[0]! : c.key.join('\u0000'));
      }
      case 'rule':
        return true;
    }
  }
}

/** Adds `value` to `set`; false when it was already there (one lookup: `add` keeps the size then). */
function addIfAbsent(set: Set<string>, value: string): boolean {
  const size = set.size;
  set.add(value);
  return set.size !== size;
}
