// The cluster profile: everything the simulator needs to know about the cluster the
// manifests will run in and that the manifests themselves do not say. It is a user-facing
// contract, documented with a full example in docs/cluster-profile.md.
//
// Owns: the `ClusterProfile` type, its defaults (a fresh three-node kind cluster),
// `parseProfile` (our own format, as written under `profile:` in `.kubeglass.yaml` or as a
// standalone file, and the upstream kube-proxy vectors' `config.json` taken as is) and
// `kubeProxyOptionsFor` (the kube-proxy generators' input, with the config.json field names).
// Invariants: parsing never throws; every invalid value becomes a problem string that quotes
// its path (`profile.nodes[1].podCIDR`) and the default is used instead, so a profile is
// always complete and usable. Output is plain readonly data.
// Deliberately absent: reading files (adapters pass the parsed YAML/JSON value in).

import { ipFamilyOf, parseCIDR, type IPFamily } from './sim-ip';
import type { KubeProxyBackend, KubeProxyOptions, LocalDetectorConfig } from './kube-proxy/model';
import { DEFAULT_PROFILE } from './sim-profile-defaults';
import { describe, isObject, readProfile } from './sim-profile-read';
import { isKubeProxyConfig, profileFromKubeProxyConfig } from './sim-profile-config-json';

export type { IPFamily } from './sim-ip';
export type { KubeProxyOptions } from './kube-proxy/model';
export {
  CONTROL_PLANE_TAINT,
  DEFAULT_PROFILE,
  KUBE_PROXY_MODES,
  TAINT_EFFECTS,
  LABEL_ARCH,
  LABEL_HOSTNAME,
  LABEL_OS,
  LABEL_ZONE,
} from './sim-profile-defaults';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface NodeTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: TaintEffect;
}

export interface ProfileNode {
  readonly name: string;
  /** Primary InternalIP (the first of `internalIPs`). */
  readonly internalIP: string;
  /** InternalIPs, at most one per family, primary first. */
  readonly internalIPs: readonly string[];
  /** Primary pod CIDR (the first of `podCIDRs`). */
  readonly podCIDR: string;
  readonly podCIDRs: readonly string[];
  /** Node labels, including `kubernetes.io/hostname` and, when set, `topology.kubernetes.io/zone`. */
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly NodeTaint[];
  /** Addresses per network interface (kube-proxy expands `nodePortAddresses` CIDRs with them). */
  readonly hostInterfaces: Readonly<Record<string, readonly string[]>>;
}

/** The proxier mode: the kube-proxy backend of that name (kube-proxy/options.ts). */
export type KubeProxyMode = KubeProxyBackend;

/** How kube-proxy recognises traffic from local pods (spec kube-proxy.md section 1), as kube-proxy/options.ts defines it. */
export type LocalDetector = LocalDetectorConfig;

export interface KubeProxyProfile {
  readonly mode: KubeProxyMode;
  /** The node whose rules are printed. */
  readonly node: string;
  /** The family of the proxier (kube-proxy runs one per family). */
  readonly ipFamily: IPFamily;
  readonly localDetector: LocalDetector;
  readonly masqueradeAll: boolean;
  readonly masqueradeMark: string;
  readonly localhostNodePorts: boolean;
  /** null = NodePorts on every local address; otherwise a CIDR list. */
  readonly nodePortAddresses: readonly string[] | null;
  readonly iptablesHasRandomFully: boolean;
  readonly conntrackTCPLiberal: boolean;
  readonly nfacctCounters: Readonly<Record<string, boolean>>;
  readonly featureGates: Readonly<Record<string, boolean>>;
}

/** What the kubelet contributes to a pod's resolv.conf (spec semantics.md e.4). */
export interface KubeletDNSProfile {
  /** Content of the kubelet's `--resolv-conf` file; null when the flag is the empty string. */
  readonly resolvConf: string | null;
  readonly clusterDNS: readonly string[];
  /** ExpandedDNSConfig limits (32 search paths, 2048 characters) instead of 6 / 256. */
  readonly expandedDNSConfig: boolean;
}

export interface ClusterProfile {
  readonly clusterDomain: string;
  /** Service CIDRs, primary family first (at most one per family). */
  readonly serviceCIDRs: readonly string[];
  /** Cluster pod CIDRs, primary family first. */
  readonly podCIDRs: readonly string[];
  readonly dnsServiceIP: string;
  readonly serviceNodePortRange: { readonly min: number; readonly max: number };
  readonly maxEndpointsPerSlice: number;
  readonly nodes: readonly ProfileNode[];
  readonly kubelet: KubeletDNSProfile;
  readonly kubeProxy: KubeProxyProfile;
}

export interface ParsedProfile {
  readonly profile: ClusterProfile;
  readonly problems: readonly string[];
}


/**
 * Reads a profile from a parsed YAML/JSON value. Accepted shapes:
 * - `{profile: {...}}` (the `.kubeglass.yaml` form) or the profile object itself;
 * - an upstream kube-proxy vector `config.json` (recognised by `backend`, `nodeName`,
 *   `nodeIP`, `hostInterfaces`, `localDetector`), mapped onto a one-node profile;
 * - undefined / null: the default profile.
 * Unknown keys and invalid values are reported; the defaults fill every gap.
 */
export function parseProfile(value: unknown): ParsedProfile {
  const problems: string[] = [];
  if (value === undefined || value === null) return { profile: DEFAULT_PROFILE, problems };
  if (!isObject(value)) {
    return { profile: DEFAULT_PROFILE, problems: [`profile: expected a mapping, got ${describe(value)}`] };
  }
  if (isKubeProxyConfig(value)) return profileFromKubeProxyConfig(value);
  let body: Record<string, unknown> = value;
  if ('profile' in value) {
    if (value.profile === null || value.profile === undefined) return { profile: DEFAULT_PROFILE, problems };
    if (!isObject(value.profile)) {
      return { profile: DEFAULT_PROFILE, problems: [`profile: expected a mapping, got ${describe(value.profile)}`] };
    }
    body = value.profile;
  }
  const profile = readProfile(body, 'profile', problems);
  return { profile, problems };
}

/**
 * The kube-proxy generators' input for one node (default: `profile.kubeProxy.node`), with
 * the field names of the upstream vectors' config.json. The node IP is the node's address of
 * the proxier's family (its primary address when it has none of that family).
 */
export function kubeProxyOptionsFor(profile: ClusterProfile, nodeName?: string): KubeProxyOptions {
  const kp = profile.kubeProxy;
  const name = nodeName ?? kp.node;
  const node = profile.nodes.find((n) => n.name === name);
  const nodeIP = node === undefined
    ? ''
    : node.internalIPs.find((ip) => ipFamilyOf(ip) === kp.ipFamily) ?? node.internalIP;
  return {
    backend: kp.mode,
    ipFamily: kp.ipFamily,
    nodeName: name,
    nodeIP,
    hostInterfaces: node?.hostInterfaces ?? {},
    localDetector: kp.localDetector,
    masqueradeAll: kp.masqueradeAll,
    masqueradeMark: kp.masqueradeMark,
    localhostNodePorts: kp.localhostNodePorts,
    nodePortAddresses: kp.nodePortAddresses,
    iptablesHasRandomFully: kp.iptablesHasRandomFully,
    conntrackTCPLiberal: kp.conntrackTCPLiberal,
    nfacctCounters: kp.nfacctCounters,
    serviceCIDRs: profile.serviceCIDRs.join(','),
    nodeLabels: node?.labels ?? {},
    featureGates: kp.featureGates,
  };
}

/** The profile node called `name`, if any. */
export function findNode(profile: ClusterProfile, name: string): ProfileNode | undefined {
  return profile.nodes.find((n) => n.name === name);
}

/** The service CIDR of a family, if the cluster has one. */
export function serviceCIDRFor(profile: ClusterProfile, family: IPFamily): string | undefined {
  return profile.serviceCIDRs.find((c) => parseCIDR(c)?.family === family);
}

/** The families the cluster's services use, primary first. */
export function serviceFamilies(profile: ClusterProfile): IPFamily[] {
  const out: IPFamily[] = [];
  for (const c of profile.serviceCIDRs) {
    const f = parseCIDR(c)?.family;
    if (f !== undefined && !out.includes(f)) out.push(f);
  }
  return out;
}
