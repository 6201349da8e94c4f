// The iptables rules kube-proxy's IPVS mode writes around its ipsets (spec kube-proxy.md section
// 8; upstream `pkg/proxy/ipvs` proxier.go `writeIptablesRules`, recent revision): one
// `iptables-restore --noflush` input, nat table first, then filter.
//
// Owns the fixed tables of this mode: chains (`IPVS_CHAINS`), the jumps from built-in chains
// (`IPVS_BUILTIN_JUMPS`, installed outside the restore data) and the ipset -> chain matches
// (`IPSET_MATCH_RULES`, written only for non-empty sets, in table order).
// Invariants: text depends only on the model and the ipset contents; never throws.
import type { KubeProxyModel, LocalDetector } from './model';
import type { IpvsIpset } from './ipvs';

type Table = 'nat' | 'filter';

/** Chains declared in the restore data, per table, in declaration order. */
export const IPVS_CHAINS: Readonly<Record<Table, readonly string[]>> = {
  nat: ['KUBE-SERVICES', 'KUBE-POSTROUTING', 'KUBE-NODE-PORT', 'KUBE-LOAD-BALANCER', 'KUBE-MARK-MASQ'],
  filter: [
    'KUBE-FORWARD',
    'KUBE-NODE-PORT',
    'KUBE-PROXY-FIREWALL',
    'KUBE-SOURCE-RANGES-FIREWALL',
    'KUBE-IPVS-FILTER',
    'KUBE-IPVS-OUT-FILTER',
  ],
};

export interface IpvsBuiltinJump {
  readonly table: Table;
  /** Built-in chain the rule is inserted at the top of. */
  readonly from: string;
  readonly to: string;
  readonly comment: string;
}

/** Rules `-m comment --comment COMMENT -j TO` kube-proxy keeps first in built-in chains. */
export const IPVS_BUILTIN_JUMPS: readonly IpvsBuiltinJump[] = [
  { table: 'nat', from: 'OUTPUT', to: 'KUBE-SERVICES', comment: 'kubernetes service portals' },
  { table: 'nat', from: 'PREROUTING', to: 'KUBE-SERVICES', comment: 'kubernetes service portals' },
  { table: 'nat', from: 'POSTROUTING', to: 'KUBE-POSTROUTING', comment: 'kubernetes postrouting rules' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-FORWARD', comment: 'kubernetes forwarding rules' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-NODE-PORT', comment: 'kubernetes health check rules' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-PROXY-FIREWALL', comment: 'kube-proxy firewall rules' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-PROXY-FIREWALL', comment: 'kube-proxy firewall rules' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-IPVS-FILTER', comment: 'kubernetes ipvs access filter' },
  { table: 'filter', from: 'OUTPUT', to: 'KUBE-IPVS-OUT-FILTER', comment: 'kubernetes ipvs access filter' },
];

/**
 * Set-match rules `-A FROM [-p PROTO] -m comment --comment "SET COMMENT" -m set --match-set SET
 * MATCH -j TO`, written in this order for every non-empty set. The local NodePort sets come
 * before the general ones so that Local-policy NodePorts RETURN before being masqueraded.
 */
const IPSET_MATCH_RULES: ReadonlyArray<{
  readonly set: string;
  readonly table: Table;
  readonly from: string;
  readonly to: string;
  readonly match: string;
  readonly protocol?: string;
}> = [
  { set: 'KUBE-LOOP-BACK', table: 'nat', from: 'KUBE-POSTROUTING', to: 'MASQUERADE', match: 'dst,dst,src' },
  { set: 'KUBE-LOAD-BALANCER', table: 'nat', from: 'KUBE-SERVICES', to: 'KUBE-LOAD-BALANCER', match: 'dst,dst' },
  { set: 'KUBE-LOAD-BALANCER-LOCAL', table: 'nat', from: 'KUBE-LOAD-BALANCER', to: 'RETURN', match: 'dst,dst' },
  { set: 'KUBE-NODE-PORT-LOCAL-TCP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', match: 'dst', protocol: 'tcp' },
  { set: 'KUBE-NODE-PORT-TCP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', match: 'dst', protocol: 'tcp' },
  { set: 'KUBE-NODE-PORT-LOCAL-UDP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', match: 'dst', protocol: 'udp' },
  { set: 'KUBE-NODE-PORT-UDP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', match: 'dst', protocol: 'udp' },
  { set: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', match: 'dst,dst', protocol: 'sctp' },
  { set: 'KUBE-NODE-PORT-SCTP-HASH', table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', match: 'dst,dst', protocol: 'sctp' },
  { set: 'KUBE-LOAD-BALANCER-FW', table: 'filter', from: 'KUBE-PROXY-FIREWALL', to: 'KUBE-SOURCE-RANGES-FIREWALL', match: 'dst,dst' },
  { set: 'KUBE-LOAD-BALANCER-SOURCE-CIDR', table: 'filter', from: 'KUBE-SOURCE-RANGES-FIREWALL', to: 'RETURN', match: 'dst,dst,src' },
  { set: 'KUBE-LOAD-BALANCER-SOURCE-IP', table: 'filter', from: 'KUBE-SOURCE-RANGES-FIREWALL', to: 'RETURN', match: 'dst,dst,src' },
];

/** Returns the restore text (nat then filter, each ending in COMMIT). */
export function ipvsIptablesRestore(
  model: KubeProxyModel,
  ipsets: readonly IpvsIpset[],
  lbNoNodeAccess: ReadonlyArray<{ readonly ip: string; readonly protocol: string; readonly port: number }>,
): string {
  const byBase = new Map(ipsets.map((s) => [s.baseName, s]));
  const setOf = (base: string): IpvsIpset => byBase.get(base)!;
  const nonEmpty = (base: string): boolean => setOf(base).members.length > 0;
  const setMatch = (base: string): string => `-m comment --comment "${setOf(base).comment}" -m set --match-set ${setOf(base).name}`;
  const mark = model.options.masqueradeMark;
  const nat: string[] = [];
  const filter: string[] = [];

  // Connections from localhost never go through IPVS service handling.
  nat.push(`-A KUBE-SERVICES -s ${model.options.ipFamily === 'IPv6' ? '::1/128' : '127.0.0.0/8'} -j RETURN`);

  for (const r of IPSET_MATCH_RULES) {
    if (!nonEmpty(r.set)) continue;
    const proto = r.protocol === undefined ? '' : ` -p ${r.protocol}`;
    (r.table === 'nat' ? nat : filter).push(`-A ${r.from}${proto} ${setMatch(r.set)} ${r.match} -j ${r.to}`);
  }

  // ClusterIP traffic: masquerade everything (masqueradeAll), or what does not come from a
  // local pod; without a detector, masquerade node traffic whose source is a service VIP.
  if (nonEmpty('KUBE-CLUSTER-IP')) {
    const base = `-A KUBE-SERVICES ${setMatch('KUBE-CLUSTER-IP')}`;
    const notLocal = notLocalArgs(model.localDetector);
    if (model.options.masqueradeAll) nat.push(`${base} dst,dst -j KUBE-MARK-MASQ`);
    else if (notLocal !== undefined) nat.push(`${base} dst,dst ${notLocal} -j KUBE-MARK-MASQ`);
    else nat.push(`${base} src,dst -j KUBE-MARK-MASQ`);
  }

  // externalIPs: masquerade (Cluster policy only), and accept traffic from off the machine and
  // traffic to externalIPs that are local addresses.
  const externalIPRules = (base: string): void => {
    nat.push(`${base} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT`);
    nat.push(`${base} -m addrtype --dst-type LOCAL -j ACCEPT`);
  };
  if (nonEmpty('KUBE-EXTERNAL-IP')) {
    const base = `-A KUBE-SERVICES ${setMatch('KUBE-EXTERNAL-IP')} dst,dst`;
    nat.push(`${base} -j KUBE-MARK-MASQ`);
    externalIPRules(base);
  }
  if (nonEmpty('KUBE-EXTERNAL-IP-LOCAL')) externalIPRules(`-A KUBE-SERVICES ${setMatch('KUBE-EXTERNAL-IP-LOCAL')} dst,dst`);

  nat.push('-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT');
  nat.push('-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ');

  filter.push('-A KUBE-SOURCE-RANGES-FIREWALL -j DROP');
  // The node's own connections to a VIP whose source ranges exclude it (source and destination
  // are both the VIP under IPVS).
  for (const e of lbNoNodeAccess) {
    filter.push(`-A KUBE-IPVS-OUT-FILTER -s ${e.ip} -m ipvs --vaddr ${e.ip} --vproto ${e.protocol} --vport ${e.port} -j DROP`);
  }

  // Accept traffic to IPVS services so that other rules cannot break them (end of KUBE-SERVICES).
  for (const base of ['KUBE-CLUSTER-IP', 'KUBE-LOAD-BALANCER']) {
    if (nonEmpty(base)) nat.push(`-A KUBE-SERVICES -m set --match-set ${setOf(base).name} dst,dst -j ACCEPT`);
  }

  filter.push(`-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${mark}/${mark} -j ACCEPT`);
  filter.push('-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
  filter.push(`-A KUBE-NODE-PORT ${setMatch('KUBE-HEALTH-CHECK-NODE-PORT')} dst -j ACCEPT`);

  // Addresses on kube-ipvs0 accept only their service ports (upstream issue 72236).
  for (const [base, match] of [
    ['KUBE-LOAD-BALANCER', 'dst,dst'],
    ['KUBE-CLUSTER-IP', 'dst,dst'],
    ['KUBE-EXTERNAL-IP', 'dst,dst'],
    ['KUBE-EXTERNAL-IP-LOCAL', 'dst,dst'],
    ['KUBE-HEALTH-CHECK-NODE-PORT', 'dst'],
  ] as const) {
    filter.push(`-A KUBE-IPVS-FILTER -m set --match-set ${setOf(base).name} ${match} -j RETURN`);
  }
  filter.push(`-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set ${setOf('KUBE-IPVS-IPS').name} dst -j REJECT`);

  nat.push(`-A KUBE-POSTROUTING -m mark ! --mark ${mark}/${mark} -j RETURN`);
  nat.push(`-A KUBE-POSTROUTING -j MARK --xor-mark ${mark}`);
  nat.push(
    `-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${
      model.options.iptablesHasRandomFully ? ' --random-fully' : ''
    }`,
  );
  nat.push(`-A KUBE-MARK-MASQ -j MARK --or-mark ${mark}`);

  const lines = [
    '*nat',
    ...IPVS_CHAINS.nat.map((c) => `:${c} - [0:0]`),
    ...nat,
    'COMMIT',
    '*filter',
    ...IPVS_CHAINS.filter.map((c) => `:${c} - [0:0]`),
    ...filter,
    'COMMIT',
  ];
  return lines.map((l) => `${l}\n`).join('');
}

/** iptables arguments for "not from a local pod" (spec section 1), undefined without detector. */
function notLocalArgs(detector: LocalDetector): string | undefined {
  switch (detector.kind) {
    case 'cidr':
      return `! -s ${detector.cidr.text}`;
    case 'interface':
      return `! -i ${detector.name}`;
    case 'interfacePrefix':
      return `! -i ${detector.prefix}+`;
    case 'none':
      return undefined;
  }
}
