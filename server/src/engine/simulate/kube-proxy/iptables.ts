// The kube-proxy iptables generator: `KubeProxyModel -> IptablesRuleset`, the `filter` and
// `nat` data kube-proxy feeds to `iptables-restore --noflush` on a full sync (spec
// kube-proxy.md section 5), plus the fixed jump rules it installs outside that data
// (section 5.1) so a whole node ruleset can be rendered and loaded on its own.
//
// Shape: decide first, then emit. `planServicePort` turns one service port into named facts
// (which chains exist, which traffic has endpoints, which filter verdicts apply); the emit
// functions only write lines from those facts into four line arrays (filter chains, filter
// rules, nat chains, nat rules), joined once at render time.
//
// Invariants: pure and deterministic (service ports in model order, i.e. sorted by name;
// endpoints in endpoint-text order); total over any model. Within a chain the rule order is
// exactly kube-proxy's. Deliberately absent: history (stale-chain deletion, partial syncs),
// the iptables-save rendering (iptables-save.ts), packet tracing (iptables-trace.ts).
import { formatFixedHalfEven } from './decimal-text';
import { line } from './line-text';
import { type ParsedIP, cidrContains, parseCIDRSloppy, parseIPSloppy } from './ip-address';
import {
  type EndpointCategories,
  type IPFamily,
  type KubeProxyEndpoint,
  type KubeProxyModel,
  type KubeProxyServicePort,
  type LocalDetector,
  categorizeEndpoints,
  isExternallyAccessible,
  trafficEndpoints,
  usesClusterEndpoints,
  usesLocalEndpoints,
} from './model';
import {
  serviceClusterChainName,
  serviceEndpointChainName,
  serviceExternalChainName,
  serviceFirewallChainName,
  serviceLocalChainName,
  servicePortHash,
} from './names';

// ---------------------------------------------------------------------------------------------
// Output types

export type IptablesTableName = 'mangle' | 'filter' | 'nat';

/** A chain declaration: `policy` is `-` for user chains, `ACCEPT` for built-in chains. */
export interface IptablesChainDecl {
  readonly name: string;
  readonly policy: string;
}

export interface IptablesTable {
  readonly name: IptablesTableName;
  /** Declarations in write order. */
  readonly chains: readonly IptablesChainDecl[];
  /** `-A CHAIN ...` lines in write order (rules of one chain keep their relative order). */
  readonly rules: readonly string[];
}

export interface IptablesRuleset {
  readonly family: IPFamily;
  /** More than `largeClusterEndpointsThreshold` endpoints: endpoint rules carry no comments. */
  readonly largeClusterMode: boolean;
  /** `filter` then `nat` for kube-proxy's restore data; more tables for a node ruleset. */
  readonly tables: readonly IptablesTable[];
}

/** Endpoint count above which kube-proxy drops per-endpoint comments (spec 5.3). */
export const largeClusterEndpointsThreshold = 1000;

// Fixed chain names (spec 5.1, 5.2).
export const kubeServicesChain = 'KUBE-SERVICES';
export const kubeExternalServicesChain = 'KUBE-EXTERNAL-SERVICES';
export const kubeNodePortsChain = 'KUBE-NODEPORTS';
export const kubePostroutingChain = 'KUBE-POSTROUTING';
export const kubeMarkMasqChain = 'KUBE-MARK-MASQ';
export const kubeForwardChain = 'KUBE-FORWARD';
export const kubeProxyFirewallChain = 'KUBE-PROXY-FIREWALL';
export const kubeletFirewallChain = 'KUBE-FIREWALL';
export const kubeProxyCanaryChain = 'KUBE-PROXY-CANARY';

const nfacctInvalidDropped = 'ct_state_invalid_dropped_pkts';
const nfacctLocalhostNodePorts = 'localhost_nps_accepted_pkts';

// ---------------------------------------------------------------------------------------------
// Entry points

/** The restore data kube-proxy writes for `model` (tables `filter` and `nat`). */
export function generateIptablesRuleset(model: KubeProxyModel): IptablesRuleset {
  const out: Buffers = { filterChains: [], filterRules: [], natChains: [], natRules: [] };
  const ctx = makeContext(model);
  emitFixedRules(ctx, out);
  for (const sp of model.servicePorts) emitServicePort(ctx, planServicePort(ctx, sp), out);
  emitTrailingRules(ctx, out);
  return {
    family: model.options.ipFamily,
    largeClusterMode: ctx.largeClusterMode,
    tables: [
      { name: 'filter', chains: out.filterChains.map(userChain), rules: out.filterRules },
      { name: 'nat', chains: out.natChains.map(userChain), rules: out.natRules },
    ],
  };
}

/**
 * `iptables-restore` input text: `*TABLE`, declarations, rules, `COMMIT` per table. Lines are
 * appended as their pieces to one array joined once (no per-line string).
 */
export function renderIptablesRestore(ruleset: IptablesRuleset): string {
  const parts: string[] = [];
  for (const table of ruleset.tables) {
    parts.push('*', table.name, '\n');
    for (const c of table.chains) parts.push(':', c.name, ' ', c.policy, ' [0:0]\n');
    for (const r of table.rules) parts.push(r, '\n');
    parts.push('COMMIT\n');
  }
  return parts.join('');
}

/**
 * One jump kube-proxy keeps at the top of a built-in chain (spec 5.1). The table is read by
 * `nodeIptablesRuleset` and is the single place that knows this wiring.
 */
export interface IptablesJump {
  readonly table: IptablesTableName;
  readonly from: string;
  readonly to: string;
  readonly extraArgs: readonly string[];
  /** Empty for the KUBE-FIREWALL jumps, which carry no comment. */
  readonly comment: string;
}

const ctstateNew = ['-m', 'conntrack', '--ctstate', 'NEW'];

/** In kube-proxy's processing order; each one is prepended, so the last ends up first. */
export const iptablesJumps: readonly IptablesJump[] = [
  { table: 'filter', from: 'INPUT', to: kubeExternalServicesChain, extraArgs: ctstateNew, comment: 'kubernetes externally-visible service portals' },
  { table: 'filter', from: 'FORWARD', to: kubeExternalServicesChain, extraArgs: ctstateNew, comment: 'kubernetes externally-visible service portals' },
  { table: 'filter', from: 'INPUT', to: kubeNodePortsChain, extraArgs: [], comment: 'kubernetes health check service ports' },
  { table: 'filter', from: 'FORWARD', to: kubeServicesChain, extraArgs: ctstateNew, comment: 'kubernetes service portals' },
  { table: 'filter', from: 'OUTPUT', to: kubeServicesChain, extraArgs: ctstateNew, comment: 'kubernetes service portals' },
  { table: 'filter', from: 'FORWARD', to: kubeForwardChain, extraArgs: [], comment: 'kubernetes forwarding rules' },
  { table: 'filter', from: 'INPUT', to: kubeProxyFirewallChain, extraArgs: ctstateNew, comment: 'kubernetes load balancer firewall' },
  { table: 'filter', from: 'OUTPUT', to: kubeProxyFirewallChain, extraArgs: ctstateNew, comment: 'kubernetes load balancer firewall' },
  { table: 'filter', from: 'FORWARD', to: kubeProxyFirewallChain, extraArgs: ctstateNew, comment: 'kubernetes load balancer firewall' },
  { table: 'nat', from: 'OUTPUT', to: kubeServicesChain, extraArgs: [], comment: 'kubernetes service portals' },
  { table: 'nat', from: 'PREROUTING', to: kubeServicesChain, extraArgs: [], comment: 'kubernetes service portals' },
  { table: 'nat', from: 'POSTROUTING', to: kubePostroutingChain, extraArgs: [], comment: 'kubernetes postrouting rules' },
  { table: 'filter', from: 'INPUT', to: kubeletFirewallChain, extraArgs: [], comment: '' },
  { table: 'filter', from: 'OUTPUT', to: kubeletFirewallChain, extraArgs: [], comment: '' },
];

/** Built-in chains per table, in the kernel's order. */
export const builtinChains: Readonly<Record<IptablesTableName, readonly string[]>> = {
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

/**
 * The whole kube-proxy part of a node's iptables state: the restore data of `ruleset` plus
 * built-in chains, the jump rules of `iptablesJumps` (top of each built-in chain, in the
 * order repeated prepending leaves them), every jump target (KUBE-FIREWALL may be empty)
 * and the empty KUBE-PROXY-CANARY chains. Loadable into an empty network namespace.
 */
export function nodeIptablesRuleset(ruleset: IptablesRuleset): IptablesRuleset {
  const tables: IptablesTable[] = [{ name: 'mangle', chains: [...builtinDecls('mangle'), userChain(kubeProxyCanaryChain)], rules: [] }];
  for (const table of ruleset.tables) {
    const jumps = iptablesJumps.filter((j) => j.table === table.name).reverse();
    const jumpRules: string[] = [];
    for (const from of builtinChains[table.name]) {
      for (const j of jumps) if (j.from === from) jumpRules.push(jumpRule(j));
    }
    const declared = new Set(table.chains.map((c) => c.name));
    const extra = [...new Set(jumps.map((j) => j.to))].filter((c) => !declared.has(c)).map(userChain);
    tables.push({
      name: table.name,
      chains: [...builtinDecls(table.name), ...table.chains, ...extra, userChain(kubeProxyCanaryChain)],
      rules: [...jumpRules, ...table.rules],
    });
  }
  return { family: ruleset.family, largeClusterMode: ruleset.largeClusterMode, tables };
}

function jumpRule(j: IptablesJump): string {
  const parts = ['-A', j.from, ...j.extraArgs];
  if (j.comment !== '') parts.push('-m', 'comment', '--comment', `"${j.comment}"`);
  parts.push('-j', j.to);
  return parts.join(' ');
}

function builtinDecls(table: IptablesTableName): IptablesChainDecl[] {
  return builtinChains[table].map((name) => ({ name, policy: 'ACCEPT' }));
}

function userChain(name: string): IptablesChainDecl {
  return { name, policy: '-' };
}

// ---------------------------------------------------------------------------------------------
// Context: per-sync facts shared by all service ports

interface Buffers {
  readonly filterChains: string[];
  readonly filterRules: string[];
  readonly natChains: string[];
  readonly natRules: string[];
}

interface Context {
  readonly model: KubeProxyModel;
  readonly isIPv6: boolean;
  readonly mark: string;
  readonly largeClusterMode: boolean;
  readonly detector: LocalDetector;
  readonly nodeIP: ParsedIP | undefined;
  /** Whether each nfacct counter exists. */
  readonly hasInvalidDropCounter: boolean;
  readonly hasLocalhostNodePortCounter: boolean;
  /** `1/n` texts by n, computed once per sync. */
  readonly probabilities: Map<number, string>;
}

function makeContext(model: KubeProxyModel): Context {
  const o = model.options;
  const nodeIP = parseIPSloppy(o.nodeIP);
  return {
    model,
    isIPv6: o.ipFamily === 'IPv6',
    mark: o.masqueradeMark,
    largeClusterMode: model.totalEndpoints > largeClusterEndpointsThreshold,
    detector: model.localDetector,
    nodeIP: nodeIP !== undefined && nodeIP.family === o.ipFamily ? nodeIP : undefined,
    hasInvalidDropCounter: o.nfacctCounters[nfacctInvalidDropped] === true,
    hasLocalhostNodePortCounter: o.nfacctCounters[nfacctLocalhostNodePorts] === true,
    probabilities: new Map(),
  };
}

/** Rule arguments that match traffic from local pods, or `undefined` without a detector. */
function ifLocal(d: LocalDetector): string | undefined {
  switch (d.kind) {
    case 'cidr':
      return `-s ${d.text}`;
    case 'interface':
      return `-i ${d.name}`;
    case 'interfacePrefix':
      return `-i ${d.prefix}+`;
    case 'none':
      return undefined;
  }
}

/** Rule arguments that match traffic not from local pods, or `undefined` without a detector. */
function ifNotLocal(d: LocalDetector): string | undefined {
  const local = ifLocal(d);
  return local === undefined ? undefined : `! ${local}`;
}

/** `1/n` with ten decimals, as kube-proxy prints it (Go `%0.10f`). */
function probability(ctx: Context, n: number): string {
  let text = ctx.probabilities.get(n);
  if (text === undefined) {
    text = formatFixedHalfEven(1 / n, 10);
    ctx.probabilities.set(n, text);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Fixed rules (spec 5.2, 5.4)

function emitFixedRules(ctx: Context, out: Buffers): void {
  out.filterChains.push(kubeServicesChain, kubeExternalServicesChain, kubeForwardChain, kubeNodePortsChain, kubeProxyFirewallChain);
  out.natChains.push(kubeServicesChain, kubeNodePortsChain, kubePostroutingChain, kubeMarkMasqChain);
  const m = ctx.mark;
  out.natRules.push(
    `-A ${kubePostroutingChain} -m mark ! --mark ${m}/${m} -j RETURN`,
    `-A ${kubePostroutingChain} -j MARK --xor-mark ${m}`,
    `-A ${kubePostroutingChain} -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE` +
      (ctx.model.options.iptablesHasRandomFully ? ' --random-fully' : ''),
    `-A ${kubeMarkMasqChain} -j MARK --or-mark ${m}`,
  );
  // Localhost NodePorts need route_localnet; this rule keeps martian packets to 127/8 out.
  if (!ctx.isIPv6 && ctx.model.localhostNodePorts) {
    out.filterChains.push(kubeletFirewallChain);
    out.filterRules.push(
      `-A ${kubeletFirewallChain} -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`,
    );
  }
}

function emitTrailingRules(ctx: Context, out: Buffers): void {
  const comment = '-m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain"';
  const npa = ctx.model.nodePortAddresses;
  if (npa.matchAll) {
    // Loopback NodePorts never work for IPv6 and need route_localnet for IPv4.
    let extra = '';
    if (ctx.isIPv6) extra = ' ! -d ::1/128';
    else if (!ctx.model.localhostNodePorts) extra = ' ! -d 127.0.0.0/8';
    out.natRules.push(`-A ${kubeServicesChain} ${comment} -m addrtype --dst-type LOCAL${extra} -j ${kubeNodePortsChain}`);
  } else {
    for (const ip of npa.nodeIPs) {
      if (isLoopbackIP(ip) && (ctx.isIPv6 || !ctx.model.localhostNodePorts)) continue;
      out.natRules.push(`-A ${kubeServicesChain} ${comment} -d ${ip.text} -j ${kubeNodePortsChain}`);
    }
  }
  // Without nf_conntrack_tcp_be_liberal, INVALID packets could reset connections (spec 5.4).
  if (!ctx.model.options.conntrackTCPLiberal) {
    const counter = ctx.hasInvalidDropCounter ? ` -m nfacct --nfacct-name ${nfacctInvalidDropped}` : '';
    out.filterRules.push(`-A ${kubeForwardChain} -m conntrack --ctstate INVALID${counter} -j DROP`);
  }
  const m = ctx.mark;
  out.filterRules.push(
    `-A ${kubeForwardChain} -m comment --comment "kubernetes forwarding rules" -m mark --mark ${m}/${m} -j ACCEPT`,
    `-A ${kubeForwardChain} -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
  );
}

function isLoopbackIP(ip: ParsedIP): boolean {
  const loop = parseCIDRSloppy(ip.family === 'IPv4' ? '127.0.0.0/8' : '::1/128')!;
  return cidrContains(loop, ip);
}

// ---------------------------------------------------------------------------------------------
// Decide: one service port

/** A filter verdict for traffic that has nowhere to go (spec 5.3, "Filter verdicts"). */
interface FilterVerdict {
  readonly target: 'REJECT' | 'DROP';
  /** Quoted comment text. */
  readonly comment: string;
}

interface ServicePortPlan {
  readonly sp: KubeProxyServicePort;
  readonly name: string;
  readonly proto: string;
  readonly categories: EndpointCategories;
  readonly hasEndpoints: boolean;
  /** ClusterIP traffic has a chain to go to (else `internalVerdict` applies). */
  readonly hasInternalEndpoints: boolean;
  /** External traffic not short-circuited has a chain to go to (else `externalVerdict`). */
  readonly hasExternalEndpoints: boolean;
  readonly internalVerdict: FilterVerdict | undefined;
  readonly externalVerdict: FilterVerdict | undefined;
  readonly usesExternalChain: boolean;
  readonly usesFirewallChain: boolean;
  readonly usesClusterChain: boolean;
  readonly usesLocalChain: boolean;
  /** Chain names; empty strings when the service port has no endpoints (never hashed). */
  readonly clusterChain: string;
  readonly localChain: string;
  readonly externalChain: string;
  readonly firewallChain: string;
  readonly internalChain: string;
  readonly externalPolicyChain: string;
  /** Endpoint text -> KUBE-SEP chain, for every locally reachable endpoint. */
  readonly endpointChains: ReadonlyMap<string, string>;
}

function planServicePort(ctx: Context, sp: KubeProxyServicePort): ServicePortPlan {
  const categories = categorizeEndpoints(sp, ctx.model.options);
  const { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints: hasEndpoints } = categories;
  const { hasInternalEndpoints, hasExternalEndpoints } = trafficEndpoints(sp, categories);
  const name = sp.servicePortName;
  const noEndpoints: FilterVerdict = { target: 'REJECT', comment: `"${name} has no endpoints"` };
  const noLocalEndpoints: FilterVerdict = { target: 'DROP', comment: `"${name} has no local endpoints"` };
  const internalVerdict = !hasEndpoints ? noEndpoints : !hasInternalEndpoints ? noLocalEndpoints : undefined;
  const externalVerdict = !hasEndpoints ? noEndpoints : !hasExternalEndpoints ? noLocalEndpoints : undefined;

  const hash = hasEndpoints ? servicePortHash(sp) : '';
  const clusterChain = hasEndpoints ? serviceClusterChainName(sp, hash) : '';
  const localChain = hasEndpoints ? serviceLocalChainName(sp, hash) : '';
  const endpointChains = new Map<string, string>();
  for (const ep of allReachableEndpoints) endpointChains.set(ep.endpoint, serviceEndpointChainName(sp, ep.endpoint));
  return {
    sp,
    name,
    proto: sp.protocol.toLowerCase(),
    categories,
    hasEndpoints,
    hasInternalEndpoints,
    hasExternalEndpoints,
    internalVerdict,
    externalVerdict,
    usesExternalChain: hasEndpoints && isExternallyAccessible(sp),
    usesFirewallChain: hasEndpoints && sp.loadBalancerVIPs.length > 0 && sp.loadBalancerSourceRanges.length > 0,
    usesClusterChain: clusterEndpoints.length > 0 && usesClusterEndpoints(sp),
    usesLocalChain: localEndpoints.length > 0 && usesLocalEndpoints(sp),
    clusterChain,
    localChain,
    externalChain: hasEndpoints ? serviceExternalChainName(sp, hash) : '',
    firewallChain: hasEndpoints ? serviceFirewallChainName(sp, hash) : '',
    internalChain: sp.internalPolicyLocal ? localChain : clusterChain,
    externalPolicyChain: sp.externalPolicyLocal ? localChain : clusterChain,
    endpointChains,
  };
}

// ---------------------------------------------------------------------------------------------
// Emit: one service port (spec 5.3, steps 1-10, in kube-proxy's order)

function emitServicePort(ctx: Context, p: ServicePortPlan, out: Buffers): void {
  const { sp, name, proto } = p;
  const pp = `-m ${proto} -p ${proto}`;
  const dport = `--dport ${sp.port}`;

  // 1. ClusterIP.
  if (p.hasInternalEndpoints) {
    out.natRules.push(line`-A ${kubeServicesChain} -m comment --comment "${name} cluster IP" ${pp} -d ${sp.clusterIP} ${dport} -j ${p.internalChain}`);
  } else if (p.internalVerdict !== undefined) {
    out.filterRules.push(line`-A ${kubeServicesChain} -m comment --comment ${p.internalVerdict.comment} ${pp} -d ${sp.clusterIP} ${dport} -j ${p.internalVerdict.target}`);
  }

  // 2. externalIPs.
  for (const ip of sp.externalIPs) {
    if (p.hasEndpoints) {
      out.natRules.push(line`-A ${kubeServicesChain} -m comment --comment "${name} external IP" ${pp} -d ${ip} ${dport} -j ${p.externalChain}`);
    }
    if (p.externalVerdict !== undefined) {
      out.filterRules.push(line`-A ${kubeExternalServicesChain} -m comment --comment ${p.externalVerdict.comment} ${pp} -d ${ip} ${dport} -j ${p.externalVerdict.target}`);
    }
  }

  // 3. LoadBalancer VIPs; with source ranges the FW chain filters first and the filter
  // table drops whatever the FW chain let fall through.
  const lbTarget = p.usesFirewallChain ? p.firewallChain : p.externalChain;
  for (const ip of sp.loadBalancerVIPs) {
    if (p.hasEndpoints) {
      out.natRules.push(line`-A ${kubeServicesChain} -m comment --comment "${name} loadbalancer IP" ${pp} -d ${ip} ${dport} -j ${lbTarget}`);
    }
    if (p.usesFirewallChain) {
      out.filterRules.push(
        line`-A ${kubeProxyFirewallChain} -m comment --comment "${name} traffic not accepted by ${p.firewallChain}" ${pp} -d ${ip} ${dport} -j DROP`,
      );
    }
  }
  if (p.externalVerdict !== undefined) {
    for (const ip of sp.loadBalancerVIPs) {
      out.filterRules.push(line`-A ${kubeExternalServicesChain} -m comment --comment ${p.externalVerdict.comment} ${pp} -d ${ip} ${dport} -j ${p.externalVerdict.target}`);
    }
  }

  // 4. NodePort (not subject to loadBalancerSourceRanges).
  if (sp.nodePort !== 0) {
    if (p.hasEndpoints) {
      if (ctx.model.localhostNodePorts && !ctx.isIPv6 && ctx.hasLocalhostNodePortCounter) {
        out.natRules.push(
          line`-A ${kubeNodePortsChain} -m comment --comment ${name} ${pp} -d 127.0.0.0/8 --dport ${sp.nodePort} -m nfacct --nfacct-name ${nfacctLocalhostNodePorts} -j ${p.externalChain}`,
        );
      }
      out.natRules.push(line`-A ${kubeNodePortsChain} -m comment --comment ${name} ${pp} --dport ${sp.nodePort} -j ${p.externalChain}`);
    }
    if (p.externalVerdict !== undefined) {
      out.filterRules.push(
        line`-A ${kubeExternalServicesChain} -m comment --comment ${p.externalVerdict.comment} -m addrtype --dst-type LOCAL ${pp} --dport ${sp.nodePort} -j ${p.externalVerdict.target}`,
      );
    }
  }

  // 5. Health check NodePort: accepted whether or not there are local endpoints.
  if (sp.healthCheckNodePort !== 0) {
    out.filterRules.push(line`-A ${kubeNodePortsChain} -m comment --comment "${name} health check node port" -m tcp -p tcp --dport ${sp.healthCheckNodePort} -j ACCEPT`);
  }

  // 6. Masquerade ClusterIP traffic that does not come from a local pod.
  if (p.hasInternalEndpoints) {
    const match = `-m comment --comment "${name} cluster IP" ${pp} -d ${sp.clusterIP} ${dport}`;
    const notLocal = ifNotLocal(ctx.detector);
    if (ctx.model.options.masqueradeAll) {
      out.natRules.push(line`-A ${p.internalChain} ${match} -j ${kubeMarkMasqChain}`);
    } else if (notLocal !== undefined) {
      out.natRules.push(line`-A ${p.internalChain} ${match} ${notLocal} -j ${kubeMarkMasqChain}`);
    }
  }

  // 7. EXT chain.
  if (p.usesExternalChain) emitExternalChain(ctx, p, out);
  // 8. FW chain.
  if (p.usesFirewallChain) emitFirewallChain(ctx, p, out);
  // 9. SVC and SVL chains.
  if (p.usesClusterChain) {
    out.natChains.push(p.clusterChain);
    emitServiceToEndpointRules(ctx, p, p.clusterChain, p.categories.clusterEndpoints, out);
  }
  if (p.usesLocalChain) {
    out.natChains.push(p.localChain);
    emitServiceToEndpointRules(ctx, p, p.localChain, p.categories.localEndpoints, out);
  }
  // 10. One SEP chain per locally reachable endpoint.
  for (const ep of p.categories.allReachableEndpoints) emitEndpointChain(ctx, p, ep, out);
}

function emitExternalChain(ctx: Context, p: ServicePortPlan, out: Buffers): void {
  const { name, externalChain: ext } = p;
  out.natChains.push(ext);
  if (!p.sp.externalPolicyLocal) {
    // Endpoints may be on other nodes: masquerade so replies come back through this node.
    out.natRules.push(line`-A ${ext} -m comment --comment "masquerade traffic for ${name} external destinations" -j ${kubeMarkMasqChain}`);
  } else {
    // Local policy keeps the client IP, except for pod and node traffic, which is
    // short-circuited to all endpoints as if it had gone out to the LB and back.
    const local = ifLocal(ctx.detector);
    if (local !== undefined) {
      out.natRules.push(line`-A ${ext} -m comment --comment "pod traffic for ${name} external destinations" ${local} -j ${p.clusterChain}`);
    }
    out.natRules.push(
      line`-A ${ext} -m comment --comment "masquerade LOCAL traffic for ${name} external destinations" -m addrtype --src-type LOCAL -j ${kubeMarkMasqChain}`,
      line`-A ${ext} -m comment --comment "route LOCAL traffic for ${name} external destinations" -m addrtype --src-type LOCAL -j ${p.clusterChain}`,
    );
  }
  if (p.hasExternalEndpoints) out.natRules.push(line`-A ${ext} -j ${p.externalPolicyChain}`);
}

function emitFirewallChain(ctx: Context, p: ServicePortPlan, out: Buffers): void {
  const { name, sp, firewallChain: fw } = p;
  out.natChains.push(fw);
  const head = `-A ${fw} -m comment --comment "${name} loadbalancer IP"`;
  let allowFromNode = false;
  for (const text of sp.loadBalancerSourceRanges) {
    out.natRules.push(line`${head} -s ${text} -j ${p.externalChain}`);
    const cidr = parseCIDRSloppy(text);
    if (cidr !== undefined && ctx.nodeIP !== undefined && cidrContains(cidr, ctx.nodeIP)) allowFromNode = true;
  }
  // A VIP bound locally makes node-to-VIP traffic arrive with the VIP as source.
  if (allowFromNode) {
    for (const ip of sp.loadBalancerVIPs) out.natRules.push(line`${head} -s ${ip} -j ${p.externalChain}`);
  }
  out.natRules.push(line`-A ${fw} -m comment --comment "other traffic to ${name} will be dropped by ${kubeProxyFirewallChain}"`);
}

function emitServiceToEndpointRules(
  ctx: Context,
  p: ServicePortPlan,
  chain: string,
  endpoints: readonly KubeProxyEndpoint[],
  out: Buffers,
): void {
  const affinity = p.sp.sessionAffinity;
  const comment = (ep: KubeProxyEndpoint) => (ctx.largeClusterMode ? '' : ` -m comment --comment "${p.name} -> ${ep.endpoint}"`);
  if (affinity.kind === 'ClientIP') {
    for (const ep of endpoints) {
      const sep = p.endpointChains.get(ep.endpoint)!;
      out.natRules.push(line`-A ${chain}${comment(ep)} -m recent --name ${sep} --rcheck --seconds ${affinity.timeoutSeconds} --reap -j ${sep}`);
    }
  }
  const n = endpoints.length;
  endpoints.forEach((ep, i) => {
    const sep = p.endpointChains.get(ep.endpoint)!;
    const statistic = i < n - 1 ? ` -m statistic --mode random --probability ${probability(ctx, n - i)}` : '';
    out.natRules.push(line`-A ${chain}${comment(ep)}${statistic} -j ${sep}`);
  });
}

function emitEndpointChain(ctx: Context, p: ServicePortPlan, ep: KubeProxyEndpoint, out: Buffers): void {
  const sep = p.endpointChains.get(ep.endpoint)!;
  out.natChains.push(sep);
  const head = ctx.largeClusterMode ? `-A ${sep}` : `-A ${sep} -m comment --comment ${p.name}`;
  // Hairpin: an endpoint reaching itself through the service must be masqueraded.
  out.natRules.push(line`${head} -s ${ep.ip} -j ${kubeMarkMasqChain}`);
  const recent = p.sp.sessionAffinity.kind === 'ClientIP' ? ` -m recent --name ${sep} --set` : '';
  out.natRules.push(line`${head}${recent} -m ${p.proto} -p ${p.proto} -j DNAT --to-destination ${ep.endpoint}`);
}
