// kube-proxy's IPVS mode as a pure function: proxier model -> IPVS virtual and real servers, the
// ipset members, the addresses bound to the `kube-ipvs0` dummy interface, and (ipvs-iptables.ts)
// the iptables rules that mode installs around them.
//
// Behaviour follows kube-proxy's `pkg/proxy/ipvs` (spec kube-proxy.md section 8 gives the
// summary; the per-service details below were read from upstream proxier.go, ipset.go and
// netlink_linux.go, recent revision with KUBE-IPVS-OUT-FILTER and KUBE-HEALTH-CHECK-NODE-PORT):
// - every service port gets a virtual server on its ClusterIP, each externalIP, each LB VIP, and
//   (with a nodePort) each NodePort address; scheduler `rr` by default; ClientIP affinity makes
//   the virtual server persistent with the affinity timeout;
// - real servers (masquerading forwarding, weight 1) are the cluster endpoints; with a Local
//   policy for that kind of traffic (internalTrafficPolicy for the ClusterIP, externalTraffic-
//   Policy for the others) the local endpoints, or the cluster endpoints when there are no
//   local ones (so pods on the node can still reach the service);
// - virtual servers exist even without endpoints (no real servers then: connections fail);
// - ipsets feed the iptables rules: KUBE-CLUSTER-IP, KUBE-EXTERNAL-IP(-LOCAL),
//   KUBE-LOAD-BALANCER(-LOCAL/-FW/-SOURCE-CIDR/-SOURCE-IP), KUBE-NODE-PORT-*, KUBE-LOOP-BACK
//   (local endpoints, for hairpin masquerade), KUBE-HEALTH-CHECK-NODE-PORT, KUBE-IPVS-IPS
//   (addresses on kube-ipvs0). An IPv6 proxier names them `KUBE-6-...` (at most 31 characters).
// Invariants: deterministic (virtual servers sorted by their `ipvsadm -S` line, members sorted),
// total, never throws. Deliberately absent: history (graceful deletion of real servers, removal
// of stale virtual servers and addresses), sysctls, and the kernel's own ordering.
import {
  type KubeProxyEndpoint,
  type KubeProxyModel,
  type KubeProxyServicePort,
  type ServiceProtocol,
  categorizeEndpoints,
  compareText,
} from './model';
import { cidrContains, isLoopback, parseCIDRSloppy, parseIPSloppy, type ParsedIP } from './ip-address';
import { ipvsIptablesRestore, type IpvsBuiltinJump, IPVS_BUILTIN_JUMPS } from './ipvs-iptables';

export interface IpvsOptions {
  /** IPVS scheduler (`--ipvs-scheduler`); kube-proxy's default is `rr`. */
  readonly scheduler?: string;
}

export const IPVS_DEFAULT_SCHEDULER = 'rr';
/** Dummy interface every ClusterIP, externalIP and LB VIP is bound to. */
export const IPVS_DUMMY_DEVICE = 'kube-ipvs0';

export type IpvsVirtualServerRole = 'clusterIP' | 'externalIP' | 'loadBalancer' | 'nodePort';

export interface IpvsRealServer {
  readonly address: string;
  readonly port: number;
  readonly weight: number;
}

export interface IpvsVirtualServer {
  readonly servicePortName: string;
  readonly role: IpvsVirtualServerRole;
  readonly protocol: ServiceProtocol;
  readonly address: string;
  readonly port: number;
  readonly scheduler: string;
  /** Persistence timeout (ClientIP affinity), seconds. */
  readonly persistenceSeconds?: number;
  /** The "mh" scheduler needs source-port hashing. */
  readonly sourcePortHash: boolean;
  /** Sorted by address text, then port. */
  readonly realServers: readonly IpvsRealServer[];
}

export type IpsetType = 'hash:ip' | 'hash:ip,port' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'bitmap:port';

export interface IpvsIpset {
  /** Name for this proxier's family (`KUBE-6-` prefix for IPv6). */
  readonly name: string;
  /** Family-independent name (`KUBE-...`), the key of `IPVS_IPSETS`. */
  readonly baseName: string;
  readonly type: IpsetType;
  readonly comment: string;
  /** Entries in ipset text form (`10.0.0.1,tcp:80`, `3001`, ...), sorted, unique. */
  readonly members: readonly string[];
}

export interface IpvsRuleset {
  readonly family: 'IPv4' | 'IPv6';
  readonly virtualServers: readonly IpvsVirtualServer[];
  /** Every ipset kube-proxy creates, in `IPVS_IPSETS` order (empty ones included). */
  readonly ipsets: readonly IpvsIpset[];
  /** Addresses bound to `kube-ipvs0`, sorted. */
  readonly boundAddresses: readonly string[];
  /** The `iptables-restore --noflush` input (nat then filter), newline-terminated lines. */
  readonly iptablesRestore: string;
  /** Jump rules kube-proxy ensures in built-in chains outside the restore data. */
  readonly builtinJumps: readonly IpvsBuiltinJump[];
}

/**
 * The ipsets of IPVS mode: name, type and the comment kube-proxy uses for it (the comment also
 * appears in the iptables rules that match the set).
 */
export const IPVS_IPSETS: ReadonlyArray<{ readonly name: string; readonly type: IpsetType; readonly comment: string }> = [
  { name: 'KUBE-LOOP-BACK', type: 'hash:ip,port,ip', comment: 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose' },
  { name: 'KUBE-CLUSTER-IP', type: 'hash:ip,port', comment: 'Kubernetes service cluster ip + port for masquerade purpose' },
  { name: 'KUBE-EXTERNAL-IP', type: 'hash:ip,port', comment: 'Kubernetes service external ip + port for masquerade and filter purpose' },
  { name: 'KUBE-EXTERNAL-IP-LOCAL', type: 'hash:ip,port', comment: 'Kubernetes service external ip + port with externalTrafficPolicy=local' },
  { name: 'KUBE-LOAD-BALANCER', type: 'hash:ip,port', comment: 'Kubernetes service lb portal' },
  { name: 'KUBE-LOAD-BALANCER-FW', type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port for load balancer with sourceRange' },
  { name: 'KUBE-LOAD-BALANCER-LOCAL', type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local' },
  { name: 'KUBE-LOAD-BALANCER-SOURCE-IP', type: 'hash:ip,port,ip', comment: 'Kubernetes service load balancer ip + port + source IP for packet filter purpose' },
  { name: 'KUBE-LOAD-BALANCER-SOURCE-CIDR', type: 'hash:ip,port,net', comment: 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose' },
  { name: 'KUBE-NODE-PORT-TCP', type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port for masquerade purpose' },
  { name: 'KUBE-NODE-PORT-LOCAL-TCP', type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port with externalTrafficPolicy=local' },
  { name: 'KUBE-NODE-PORT-UDP', type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port for masquerade purpose' },
  { name: 'KUBE-NODE-PORT-LOCAL-UDP', type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port with externalTrafficPolicy=local' },
  { name: 'KUBE-NODE-PORT-SCTP-HASH', type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'" },
  { name: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH', type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'" },
  { name: 'KUBE-HEALTH-CHECK-NODE-PORT', type: 'bitmap:port', comment: 'Kubernetes health check node port' },
  { name: 'KUBE-IPVS-IPS', type: 'hash:ip', comment: 'Addresses on the ipvs interface' },
];

/** ipset name for a family: IPv6 sets are `KUBE-6-...`, cut to ipset's 31-character limit. */
export function ipvsIpsetName(baseName: string, family: 'IPv4' | 'IPv6'): string {
  if (family === 'IPv4' || !baseName.startsWith('KUBE-')) return baseName;
  return `KUBE-6-${baseName.slice('KUBE-'.length)}`.slice(0, 31);
}

/** Builds the IPVS-mode state for one proxier (one IP family). */
export function generateIpvs(model: KubeProxyModel, options: IpvsOptions = {}): IpvsRuleset {
  const family = model.options.ipFamily;
  const scheduler = options.scheduler || IPVS_DEFAULT_SCHEDULER;
  const members = new Map<string, Set<string>>(IPVS_IPSETS.map((s) => [s.name, new Set<string>()]));
  const add = (set: string, entry: string): void => {
    members.get(set)!.add(entry);
  };
  const servers = new Map<string, IpvsVirtualServer>();
  const bound = new Set<string>();
  const lbNoNodeAccess: Array<{ readonly ip: string; readonly protocol: string; readonly port: number }> = [];
  const nodeAddresses = nodeAddressSet(model);
  const nodePortIPs = model.servicePorts.some((sp) => sp.nodePort !== 0) ? nodePortAddresses(model, nodeAddresses) : [];
  const nodeIP = parseIPSloppy(model.options.nodeIP);

  for (const sp of model.servicePorts) {
    const proto = sp.protocol.toLowerCase();
    const cats = categorizeEndpoints(sp, model.options);
    const realServersFor = (onlyLocal: boolean): readonly KubeProxyEndpoint[] =>
      onlyLocal && cats.localEndpoints.length > 0 ? cats.localEndpoints : cats.clusterEndpoints;
    const addServer = (role: IpvsVirtualServerRole, address: string, port: number, onlyLocal: boolean): void => {
      const vs: IpvsVirtualServer = {
        servicePortName: sp.servicePortName,
        role,
        protocol: sp.protocol,
        address,
        port,
        scheduler,
        ...(sp.sessionAffinity.kind === 'ClientIP' ? { persistenceSeconds: sp.sessionAffinity.timeoutSeconds } : {}),
        sourcePortHash: scheduler === 'mh',
        realServers: realServersOf(realServersFor(onlyLocal)),
      };
      const key = `${vs.protocol} ${joinAddress(address, port)}`;
      // One virtual server per address:port:protocol: the first service to claim it wins.
      if (!servers.has(key)) servers.set(key, vs);
    };

    // Hairpin: a local endpoint talking to its own service is masqueraded (any readiness).
    for (const ep of sp.endpoints) {
      if (ep.isLocal) add('KUBE-LOOP-BACK', `${ep.ip},${proto}:${ep.port},${ep.ip}`);
    }

    add('KUBE-CLUSTER-IP', `${sp.clusterIP},${proto}:${sp.port}`);
    addServer('clusterIP', sp.clusterIP, sp.port, sp.internalPolicyLocal);
    bound.add(sp.clusterIP);

    for (const ip of sp.externalIPs) {
      add(sp.externalPolicyLocal ? 'KUBE-EXTERNAL-IP-LOCAL' : 'KUBE-EXTERNAL-IP', `${ip},${proto}:${sp.port}`);
      addServer('externalIP', ip, sp.port, sp.externalPolicyLocal);
      // An address that already lives on a node interface is not bound again.
      if (!nodeAddresses.has(ip)) bound.add(ip);
    }

    for (const ip of sp.loadBalancerVIPs) {
      const entry = `${ip},${proto}:${sp.port}`;
      add('KUBE-LOAD-BALANCER', entry);
      if (sp.externalPolicyLocal) add('KUBE-LOAD-BALANCER-LOCAL', entry);
      if (sp.loadBalancerSourceRanges.length > 0) {
        add('KUBE-LOAD-BALANCER-FW', entry);
        let allowFromNode = false;
        for (const range of sp.loadBalancerSourceRanges) {
          add('KUBE-LOAD-BALANCER-SOURCE-CIDR', `${entry},${range}`);
          const cidr = parseCIDRSloppy(range);
          if (nodeIP !== undefined && cidr !== undefined && cidrContains(cidr, nodeIP)) allowFromNode = true;
        }
        // VIP-style load balancers loop node traffic back with the VIP as source: allow it when
        // the node itself is allowed, else block the node's own access to the VIP explicitly.
        if (allowFromNode) add('KUBE-LOAD-BALANCER-SOURCE-IP', `${entry},${ip}`);
        else lbNoNodeAccess.push({ ip, protocol: proto, port: sp.port });
      }
      addServer('loadBalancer', ip, sp.port, sp.externalPolicyLocal);
      if (!nodeAddresses.has(ip)) bound.add(ip);
    }

    // Without any NodePort address kube-proxy skips the rest of this service port (its health
    // check port included).
    if (sp.nodePort !== 0 && nodePortIPs.length === 0) continue;
    if (sp.nodePort !== 0) {
      const entries =
        sp.protocol === 'SCTP' ? nodePortIPs.map((ip) => `${ip.text},${proto}:${sp.nodePort}`) : [String(sp.nodePort)];
      const set = `KUBE-NODE-PORT-${sp.protocol === 'SCTP' ? 'SCTP-HASH' : sp.protocol}`;
      const localSet = `KUBE-NODE-PORT-LOCAL-${sp.protocol === 'SCTP' ? 'SCTP-HASH' : sp.protocol}`;
      for (const e of entries) {
        add(set, e);
        if (sp.externalPolicyLocal) add(localSet, e);
      }
      for (const ip of nodePortIPs) addServer('nodePort', ip.text, sp.nodePort, sp.externalPolicyLocal);
    }

    if (sp.healthCheckNodePort !== 0) add('KUBE-HEALTH-CHECK-NODE-PORT', String(sp.healthCheckNodePort));
  }
  for (const ip of bound) add('KUBE-IPVS-IPS', ip);

  const ipsets: IpvsIpset[] = IPVS_IPSETS.map((s) => ({
    name: ipvsIpsetName(s.name, family),
    baseName: s.name,
    type: s.type,
    comment: s.comment,
    members: [...members.get(s.name)!].sort(compareMembers),
  }));
  const virtualServers = [...servers.values()].sort((a, b) => compareText(virtualServerLine(a), virtualServerLine(b)));
  return {
    family,
    virtualServers,
    ipsets,
    boundAddresses: [...bound].sort(compareMembers),
    iptablesRestore: ipvsIptablesRestore(model, ipsets, lbNoNodeAccess),
    builtinJumps: IPVS_BUILTIN_JUMPS,
  };
}

// ---------------------------------------------------------------------------------------------
// Rendering

/**
 * `ipvsadm -S -n` text: per virtual server its `-A` line, then its real servers' `-a` lines
 * (masquerading, weight 1), e.g. `-A -t 10.0.0.1:80 -s rr` / `-a -t 10.0.0.1:80 -r 10.180.0.1:8080 -m -w 1`.
 */
export function renderIpvsadmSave(rs: IpvsRuleset): string {
  const lines: string[] = [];
  for (const vs of rs.virtualServers) {
    lines.push(virtualServerLine(vs));
    const service = `${protocolFlag(vs.protocol)} ${joinAddress(vs.address, vs.port)}`;
    for (const r of vs.realServers) lines.push(`-a ${service} -r ${joinAddress(r.address, r.port)} -m -w ${r.weight}`);
  }
  return lines.map((l) => `${l}\n`).join('');
}

/**
 * `ipset restore` input creating every set the way kube-proxy does (hash sets with family,
 * hashsize 1024 and maxelem 65536; port bitmaps over 0-65535) and adding the members.
 */
export function renderIpsetRestore(rs: IpvsRuleset): string {
  const lines: string[] = [];
  const inet = rs.family === 'IPv6' ? 'inet6' : 'inet';
  for (const s of rs.ipsets) {
    lines.push(
      s.type === 'bitmap:port'
        ? `create ${s.name} bitmap:port range 0-65535`
        : `create ${s.name} ${s.type} family ${inet} hashsize 1024 maxelem 65536`,
    );
  }
  for (const s of rs.ipsets) for (const m of s.members) lines.push(`add ${s.name} ${m}`);
  return lines.map((l) => `${l}\n`).join('');
}

function virtualServerLine(vs: IpvsVirtualServer): string {
  let line = `-A ${protocolFlag(vs.protocol)} ${joinAddress(vs.address, vs.port)} -s ${vs.scheduler}`;
  if (vs.sourcePortHash) line += ` -b ${vs.scheduler}-port`;
  if (vs.persistenceSeconds !== undefined) line += ` -p ${vs.persistenceSeconds}`;
  return line;
}

function protocolFlag(p: ServiceProtocol): string {
  switch (p) {
    case 'TCP':
      return '-t';
    case 'UDP':
      return '-u';
    case 'SCTP':
      return '--sctp-service';
  }
}

function joinAddress(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function realServersOf(endpoints: readonly KubeProxyEndpoint[]): IpvsRealServer[] {
  const seen = new Map<string, IpvsRealServer>();
  for (const ep of endpoints) seen.set(ep.endpoint, { address: ep.ip, port: ep.port, weight: 1 });
  return [...seen.values()].sort((a, b) => compareText(a.address, b.address) || a.port - b.port);
}

/**
 * Addresses of the node's own interfaces for this family, as kube-proxy's netlink helper lists
 * them: loopback and IPv6 link-local addresses excluded (the dummy interface is never among
 * `hostInterfaces`).
 */
function nodeAddressSet(model: KubeProxyModel): Set<string> {
  const out = new Set<string>();
  for (const iface of Object.keys(model.options.hostInterfaces).sort(compareText)) {
    if (iface === IPVS_DUMMY_DEVICE) continue;
    for (const addr of model.options.hostInterfaces[iface] ?? []) {
      const ip = parseIPSloppy(addr.includes('/') ? addr.slice(0, addr.indexOf('/')) : addr);
      if (ip === undefined || ip.family !== model.options.ipFamily || isLoopback(ip) || isIPv6LinkLocal(ip)) continue;
      out.add(ip.text);
    }
  }
  return out;
}

/** NodePort addresses: every node address when unrestricted, else those in the CIDRs (no loopback). */
function nodePortAddresses(model: KubeProxyModel, nodeAddresses: ReadonlySet<string>): ParsedIP[] {
  if (model.nodePortAddresses.matchAll) {
    return [...nodeAddresses].sort(compareMembers).flatMap((t) => parseIPSloppy(t) ?? []);
  }
  return model.nodePortAddresses.nodeIPs.filter((ip) => !isLoopback(ip));
}

function isIPv6LinkLocal(ip: ParsedIP): boolean {
  return ip.family === 'IPv6' && ip.bytes[0] === 0xfe && (ip.bytes[1]! & 0xc0) === 0x80;
}

function compareMembers(a: string, b: string): number {
  return compareText(a, b);
}

export type { IpvsBuiltinJump } from './ipvs-iptables';
