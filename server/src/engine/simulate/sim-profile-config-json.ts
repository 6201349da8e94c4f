// Reads the upstream kube-proxy vectors' `config.json` (shared testdata, kube-proxy/README.md
// "config.json fields") as a cluster profile, so a vector folder can be simulated with the
// same code path as a user's workspace.
// Owns: recognising that format and mapping it onto a one-node profile. The node's fields
// (name, address, interfaces, labels) and every kube-proxy setting are taken as is, so
// `kubeProxyOptionsFor(profileFromKubeProxyConfig(c))` gives back `c` (with the kube-proxy
// defaults of kube-proxy/model.ts for fields a backend's vectors leave out).
// What config.json does not say is filled in: the cluster pod CIDR comes from a ClusterCIDR
// detector (else kind's default for the family), the node's pod CIDR is the first /24
// (IPv4) or /64 (IPv6) of it, the service CIDRs come from `serviceCIDRs` (nftables vectors)
// or kind's default for the family.

import type { ClusterProfile, IPFamily, KubeProxyMode, LocalDetector, ParsedProfile, ProfileNode } from './profile';
import { DEFAULT_PROFILE, KUBE_PROXY_MODES } from './sim-profile-defaults';
import {
  describe, isObject, readBool, readBoolMap, readLocalDetector, readStringMap, unknownKeys,
} from './sim-profile-read';
import { canonicalIP, formatCIDR, formatIP, parseCIDR } from './sim-ip';

const CONFIG_KEYS = [
  'backend', 'conntrackTCPLiberal', 'featureGates', 'hostInterfaces', 'iptablesHasRandomFully', 'ipFamily',
  'localDetector', 'localhostNodePorts', 'masqueradeAll', 'masqueradeMark', 'nfacctCounters', 'nodeIP',
  'nodeLabels', 'nodeName', 'nodePortAddresses', 'serviceCIDRs',
];

/** kind's defaults per family for what config.json leaves out. */
const FAMILY_DEFAULTS: Readonly<Record<IPFamily, { podCIDR: string; serviceCIDR: string }>> = {
  IPv4: { podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/16' },
  IPv6: { podCIDR: 'fd00:10:244::/56', serviceCIDR: 'fd00:10:96::/112' },
};

/** True when `v` looks like a vector config.json: `backend` plus the node fields. */
export function isKubeProxyConfig(v: Record<string, unknown>): boolean {
  return 'backend' in v && ('nodeName' in v || 'nodeIP' in v || 'hostInterfaces' in v || 'localDetector' in v);
}

export function profileFromKubeProxyConfig(v: Record<string, unknown>): ParsedProfile {
  const problems: string[] = [];
  const path = 'config';
  unknownKeys(v, CONFIG_KEYS, path, problems);
  const d = DEFAULT_PROFILE.kubeProxy;

  let mode: KubeProxyMode = d.mode;
  if (KUBE_PROXY_MODES.includes(v.backend as KubeProxyMode)) mode = v.backend as KubeProxyMode;
  else problems.push(`${path}.backend: Unsupported value: ${describe(v.backend)}: supported values: "iptables", "nftables"`);

  let ipFamily: IPFamily = 'IPv4';
  if (v.ipFamily === 'IPv4' || v.ipFamily === 'IPv6') ipFamily = v.ipFamily;
  else if (v.ipFamily !== undefined) problems.push(`${path}.ipFamily: Unsupported value: ${describe(v.ipFamily)}: supported values: "IPv4", "IPv6"`);

  const nodeName = typeof v.nodeName === 'string' && v.nodeName !== '' ? v.nodeName : 'test-node';
  if (v.nodeName !== undefined && nodeName !== v.nodeName) problems.push(`${path}.nodeName: expected a node name, got ${describe(v.nodeName)}`);
  const nodeIP = typeof v.nodeIP === 'string' ? canonicalIP(v.nodeIP) : undefined;
  if (nodeIP === undefined) problems.push(`${path}.nodeIP: invalid IP address ${describe(v.nodeIP)}`);

  let localDetector: LocalDetector = { mode: 'None' };
  if (v.localDetector !== undefined) localDetector = readLocalDetector(v.localDetector, `${path}.localDetector`, problems) ?? localDetector;

  const clusterPodCIDR = localDetector.mode === 'ClusterCIDR'
    ? formatCIDR(parseCIDR(localDetector.clusterCIDR)!)
    : FAMILY_DEFAULTS[ipFamily].podCIDR;
  const serviceCIDRs = readServiceCIDRs(v.serviceCIDRs, ipFamily, `${path}.serviceCIDRs`, problems);

  let nodePortAddresses: readonly string[] | null = null;
  if (Array.isArray(v.nodePortAddresses) && v.nodePortAddresses.every((c) => typeof c === 'string')) {
    nodePortAddresses = v.nodePortAddresses as string[];
  } else if (v.nodePortAddresses !== null && v.nodePortAddresses !== undefined) {
    problems.push(`${path}.nodePortAddresses: expected null or a list of CIDRs, got ${describe(v.nodePortAddresses)}`);
  }

  const hostInterfaces: Record<string, readonly string[]> = {};
  if (isObject(v.hostInterfaces)) {
    for (const [name, list] of Object.entries(v.hostInterfaces)) {
      if (Array.isArray(list) && list.every((a) => typeof a === 'string')) hostInterfaces[name] = list as string[];
      else problems.push(`${path}.hostInterfaces.${name}: expected a list of addresses`);
    }
  } else if (v.hostInterfaces !== undefined) {
    problems.push(`${path}.hostInterfaces: expected a mapping, got ${describe(v.hostInterfaces)}`);
  }

  const node: ProfileNode = {
    name: nodeName,
    internalIP: nodeIP ?? '',
    internalIPs: nodeIP === undefined ? [] : [nodeIP],
    podCIDR: nodeSubnet(clusterPodCIDR),
    podCIDRs: [nodeSubnet(clusterPodCIDR)],
    labels: readStringMap(v.nodeLabels, `${path}.nodeLabels`, problems),
    taints: [],
    hostInterfaces,
  };
  const masqueradeMark = typeof v.masqueradeMark === 'string' ? v.masqueradeMark : d.masqueradeMark;
  const profile: ClusterProfile = {
    ...DEFAULT_PROFILE,
    serviceCIDRs,
    podCIDRs: [clusterPodCIDR],
    dnsServiceIP: tenthAddress(serviceCIDRs[0]),
    nodes: [node],
    kubelet: { ...DEFAULT_PROFILE.kubelet, clusterDNS: [tenthAddress(serviceCIDRs[0])] },
    kubeProxy: {
      mode,
      node: nodeName,
      ipFamily,
      localDetector,
      masqueradeAll: readBool(v.masqueradeAll, `${path}.masqueradeAll`, problems) ?? false,
      masqueradeMark,
      localhostNodePorts: readBool(v.localhostNodePorts, `${path}.localhostNodePorts`, problems) ?? d.localhostNodePorts,
      nodePortAddresses,
      iptablesHasRandomFully: readBool(v.iptablesHasRandomFully, `${path}.iptablesHasRandomFully`, problems) ?? d.iptablesHasRandomFully,
      conntrackTCPLiberal: readBool(v.conntrackTCPLiberal, `${path}.conntrackTCPLiberal`, problems) ?? false,
      nfacctCounters: readBoolMap(v.nfacctCounters, `${path}.nfacctCounters`, problems) ?? {},
      featureGates: readBoolMap(v.featureGates, `${path}.featureGates`, problems) ?? {},
    },
  };
  return { profile, problems };
}

function readServiceCIDRs(v: unknown, family: IPFamily, path: string, problems: string[]): string[] {
  if (v === undefined || v === null) return [FAMILY_DEFAULTS[family].serviceCIDR];
  if (typeof v !== 'string') {
    problems.push(`${path}: expected comma-separated CIDRs, got ${describe(v)}`);
    return [FAMILY_DEFAULTS[family].serviceCIDR];
  }
  const out: string[] = [];
  for (const part of v.split(',')) {
    const c = parseCIDR(part.trim());
    if (c === undefined) problems.push(`${path}: invalid CIDR "${part.trim()}"`);
    else out.push(formatCIDR(c));
  }
  return out.length > 0 ? out : [FAMILY_DEFAULTS[family].serviceCIDR];
}

/** The first /24 (IPv4) or /64 (IPv6) of a cluster pod CIDR, or the CIDR itself when smaller. */
function nodeSubnet(cluster: string): string {
  const c = parseCIDR(cluster)!;
  const prefix = c.family === 'IPv4' ? 24 : 64;
  return formatCIDR({ ...c, prefix: Math.max(prefix, c.prefix) });
}

function tenthAddress(cidr: string): string {
  const c = parseCIDR(cidr)!;
  return formatIP({ family: c.family, value: c.base + 10n });
}
