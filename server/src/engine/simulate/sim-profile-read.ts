// Reader of Kubeglass's own cluster-profile format (docs/cluster-profile.md): a mapping
// found under `profile:` in `.kubeglass.yaml` or in a standalone file.
// Owns: field-by-field validation with messages that quote the field path; the small value
// readers the config.json mapping reuses. Never throws: an invalid value is reported and the
// default takes its place.

import type {
  ClusterProfile, IPFamily, KubeletDNSProfile, KubeProxyMode, KubeProxyProfile, LocalDetector,
  NodeTaint, ProfileNode, TaintEffect,
} from './profile';
import {
  DEFAULT_PROFILE, KUBE_PROXY_MODES, LABEL_ARCH, LABEL_HOSTNAME, LABEL_OS, TAINT_EFFECTS,
  defaultHostInterfaces, sortedRecord,
} from './sim-profile-defaults';
import { canonicalIP, cidrContains, formatCIDR, formatIP, ipFamilyOf, parseCIDR, parseIP } from './sim-ip';

const TOP_KEYS = [
  'clusterDomain', 'serviceCIDR', 'serviceCIDRs', 'podCIDR', 'podCIDRs', 'dnsServiceIP',
  'serviceNodePortRange', 'maxEndpointsPerSlice', 'nodes', 'kubelet', 'kubeProxy',
];
const NODE_KEYS = ['name', 'internalIP', 'internalIPs', 'podCIDR', 'podCIDRs', 'labels', 'taints', 'hostInterfaces'];
const KUBELET_KEYS = ['resolvConf', 'clusterDNS', 'expandedDNSConfig'];
const KUBE_PROXY_KEYS = [
  'mode', 'node', 'ipFamily', 'clusterCIDR', 'localDetector', 'masqueradeAll', 'masqueradeMark',
  'localhostNodePorts', 'nodePortAddresses', 'iptablesHasRandomFully', 'conntrackTCPLiberal',
  'nfacctCounters', 'featureGates',
];

export function readProfile(body: Record<string, unknown>, path: string, problems: string[]): ClusterProfile {
  const d = DEFAULT_PROFILE;
  unknownKeys(body, TOP_KEYS, path, problems);
  const clusterDomain = readClusterDomain(body.clusterDomain, `${path}.clusterDomain`, problems);
  const serviceCIDRs = readCIDRList(body, 'serviceCIDR', 'serviceCIDRs', path, problems) ?? d.serviceCIDRs;
  const podCIDRs = readCIDRList(body, 'podCIDR', 'podCIDRs', path, problems) ?? d.podCIDRs;
  const dnsServiceIP = readDnsServiceIP(body.dnsServiceIP, serviceCIDRs, `${path}.dnsServiceIP`, problems);
  const serviceNodePortRange = readPortRange(body.serviceNodePortRange, `${path}.serviceNodePortRange`, problems);
  const maxEndpointsPerSlice = readInt(body.maxEndpointsPerSlice, `${path}.maxEndpointsPerSlice`, 1, 1000, problems)
    ?? d.maxEndpointsPerSlice;
  const nodes = readNodes(body.nodes, podCIDRs, `${path}.nodes`, problems);
  const kubelet = readKubelet(body.kubelet, dnsServiceIP, `${path}.kubelet`, problems);
  const kubeProxy = readKubeProxy(body.kubeProxy, nodes, serviceCIDRs, podCIDRs, `${path}.kubeProxy`, problems);
  return { clusterDomain, serviceCIDRs, podCIDRs, dnsServiceIP, serviceNodePortRange, maxEndpointsPerSlice, nodes, kubelet, kubeProxy };
}

function readClusterDomain(v: unknown, path: string, problems: string[]): string {
  if (v === undefined || v === null) return DEFAULT_PROFILE.clusterDomain;
  if (typeof v !== 'string') {
    problems.push(`${path}: expected a string, got ${describe(v)}`);
    return DEFAULT_PROFILE.clusterDomain;
  }
  const domain = v.endsWith('.') ? v.slice(0, -1) : v;
  if (domain !== '' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(domain)) {
    problems.push(`${path}: "${v}" is not a valid DNS domain (lower-case labels separated by dots)`);
    return DEFAULT_PROFILE.clusterDomain;
  }
  return domain;
}

/** Reads `single` (one CIDR) or `plural` (a list, at most one per family); undefined = absent/invalid. */
function readCIDRList(
  body: Record<string, unknown>, single: string, plural: string, path: string, problems: string[],
): string[] | undefined {
  const hasSingle = body[single] !== undefined && body[single] !== null;
  const hasPlural = body[plural] !== undefined && body[plural] !== null;
  if (hasSingle && hasPlural) problems.push(`${path}: both ${single} and ${plural} are set; ${plural} is used`);
  if (!hasSingle && !hasPlural) return undefined;
  const raw = hasPlural ? body[plural] : [body[single]];
  const listPath = hasPlural ? `${path}.${plural}` : `${path}.${single}`;
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.push(`${listPath}: expected a non-empty list of CIDRs, got ${describe(raw)}`);
    return undefined;
  }
  const out: string[] = [];
  raw.forEach((item, i) => {
    const itemPath = hasPlural ? `${listPath}[${i}]` : listPath;
    const cidr = typeof item === 'string' ? parseCIDR(item) : undefined;
    if (cidr === undefined) {
      problems.push(`${itemPath}: invalid CIDR ${describe(item)}`);
      return;
    }
    if (out.some((c) => parseCIDR(c)!.family === cidr.family)) {
      problems.push(`${itemPath}: more than one ${cidr.family} CIDR; only the first is used`);
      return;
    }
    out.push(formatCIDR(cidr));
  });
  return out.length > 0 ? out : undefined;
}

function readDnsServiceIP(v: unknown, serviceCIDRs: readonly string[], path: string, problems: string[]): string {
  const fallback = defaultDnsServiceIP(serviceCIDRs);
  if (v === undefined || v === null) return fallback;
  const ip = typeof v === 'string' ? parseIP(v) : undefined;
  if (ip === undefined) {
    problems.push(`${path}: invalid IP address ${describe(v)}`);
    return fallback;
  }
  if (!serviceCIDRs.some((c) => cidrContains(parseCIDR(c)!, ip))) {
    problems.push(`${path}: ${v} is outside the service CIDRs (${serviceCIDRs.join(', ')})`);
  }
  return canonicalIP(v as string)!;
}

/** The tenth address of the primary service CIDR, as kubeadm chooses for the DNS Service. */
function defaultDnsServiceIP(serviceCIDRs: readonly string[]): string {
  const cidr = parseCIDR(serviceCIDRs[0] ?? '');
  if (cidr === undefined) return DEFAULT_PROFILE.dnsServiceIP;
  return formatIP({ family: cidr.family, value: cidr.base + 10n });
}

function readPortRange(v: unknown, path: string, problems: string[]): { min: number; max: number } {
  const d = DEFAULT_PROFILE.serviceNodePortRange;
  if (v === undefined || v === null) return d;
  const m = typeof v === 'string' ? /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(v) : null;
  if (m === null) {
    problems.push(`${path}: expected "MIN-MAX", got ${describe(v)}`);
    return d;
  }
  const min = Number(m[1]);
  const max = Number(m[2]);
  if (min < 1 || max > 65535 || min > max) {
    problems.push(`${path}: "${v}" is not a port range within 1-65535`);
    return d;
  }
  return { min, max };
}

function readNodes(v: unknown, podCIDRs: readonly string[], path: string, problems: string[]): ProfileNode[] {
  if (v === undefined || v === null) return [...DEFAULT_PROFILE.nodes];
  if (!Array.isArray(v) || v.length === 0) {
    problems.push(`${path}: expected a non-empty list of nodes, got ${describe(v)}`);
    return [...DEFAULT_PROFILE.nodes];
  }
  const nodes: ProfileNode[] = [];
  v.forEach((item, i) => {
    const p = `${path}[${i}]`;
    const node = readNode(item, podCIDRs, p, problems);
    if (node === undefined) return;
    if (nodes.some((n) => n.name === node.name)) {
      problems.push(`${p}.name: duplicate node name "${node.name}"`);
      return;
    }
    for (const other of nodes) {
      for (const ip of node.internalIPs) {
        if (other.internalIPs.includes(ip)) problems.push(`${p}.internalIPs: ${ip} is also the address of node "${other.name}"`);
      }
    }
    nodes.push(node);
  });
  return nodes.length > 0 ? nodes : [...DEFAULT_PROFILE.nodes];
}

function readNode(v: unknown, podCIDRs: readonly string[], path: string, problems: string[]): ProfileNode | undefined {
  if (!isObject(v)) {
    problems.push(`${path}: expected a mapping, got ${describe(v)}`);
    return undefined;
  }
  unknownKeys(v, NODE_KEYS, path, problems);
  if (typeof v.name !== 'string' || v.name === '') {
    problems.push(`${path}.name: Required value: every node needs a name`);
    return undefined;
  }
  const name = v.name;
  const internalIPs = readIPList(v, 'internalIP', 'internalIPs', path, problems);
  if (internalIPs.length === 0) {
    problems.push(`${path}.internalIP: Required value: node "${name}" needs an address`);
    return undefined;
  }
  const nodePodCIDRs = readCIDRList(v, 'podCIDR', 'podCIDRs', path, problems) ?? [];
  if (nodePodCIDRs.length === 0) {
    problems.push(`${path}.podCIDR: Required value: node "${name}" needs a pod CIDR`);
    return undefined;
  }
  for (const c of nodePodCIDRs) {
    const cidr = parseCIDR(c)!;
    const inside = podCIDRs.some((cluster) => {
      const cc = parseCIDR(cluster)!;
      return cc.family === cidr.family && cc.prefix <= cidr.prefix && cidrContains(cc, { family: cidr.family, value: cidr.base });
    });
    if (!inside) problems.push(`${path}.podCIDR: ${c} is outside the cluster pod CIDRs (${podCIDRs.join(', ')})`);
  }
  const labels: Record<string, string> = {
    [LABEL_ARCH]: 'amd64',
    [LABEL_HOSTNAME]: name,
    [LABEL_OS]: 'linux',
    ...readStringMap(v.labels, `${path}.labels`, problems),
  };
  const taints = readTaints(v.taints, `${path}.taints`, problems);
  const hostInterfaces = v.hostInterfaces === undefined || v.hostInterfaces === null
    ? defaultHostInterfaces(internalIPs)
    : readInterfaces(v.hostInterfaces, `${path}.hostInterfaces`, problems) ?? defaultHostInterfaces(internalIPs);
  return {
    name,
    internalIP: internalIPs[0],
    internalIPs,
    podCIDR: nodePodCIDRs[0],
    podCIDRs: nodePodCIDRs,
    labels: sortedRecord(labels),
    taints,
    hostInterfaces,
  };
}

function readIPList(body: Record<string, unknown>, single: string, plural: string, path: string, problems: string[]): string[] {
  const raw = body[plural] ?? (body[single] === undefined || body[single] === null ? undefined : [body[single]]);
  if (raw === undefined || raw === null) return [];
  const listPath = body[plural] !== undefined ? `${path}.${plural}` : `${path}.${single}`;
  if (!Array.isArray(raw)) {
    problems.push(`${listPath}: expected a list of IP addresses, got ${describe(raw)}`);
    return [];
  }
  const out: string[] = [];
  raw.forEach((item, i) => {
    const ip = typeof item === 'string' ? canonicalIP(item) : undefined;
    if (ip === undefined) {
      problems.push(`${listPath}${body[plural] !== undefined ? `[${i}]` : ''}: invalid IP address ${describe(item)}`);
      return;
    }
    out.push(ip);
  });
  return out;
}

function readTaints(v: unknown, path: string, problems: string[]): NodeTaint[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    problems.push(`${path}: expected a list of taints, got ${describe(v)}`);
    return [];
  }
  const out: NodeTaint[] = [];
  v.forEach((t, i) => {
    const p = `${path}[${i}]`;
    if (typeof t === 'string') {
      // kubectl's `key[=value]:Effect` shorthand.
      const m = /^([^=:]+)(?:=([^:]*))?:(\w+)$/.exec(t);
      if (m === null || !TAINT_EFFECTS.includes(m[3] as TaintEffect)) {
        problems.push(`${p}: expected "key[=value]:Effect" with Effect one of ${TAINT_EFFECTS.join(', ')}, got "${t}"`);
        return;
      }
      out.push({ key: m[1], value: m[2] ?? '', effect: m[3] as TaintEffect });
      return;
    }
    if (!isObject(t) || typeof t.key !== 'string' || t.key === '') {
      problems.push(`${p}: expected {key, value?, effect}, got ${describe(t)}`);
      return;
    }
    if (!TAINT_EFFECTS.includes(t.effect as TaintEffect)) {
      problems.push(`${p}.effect: Unsupported value: ${describe(t.effect)}: supported values: ${TAINT_EFFECTS.map((e) => `"${e}"`).join(', ')}`);
      return;
    }
    out.push({ key: t.key, value: typeof t.value === 'string' ? t.value : '', effect: t.effect as TaintEffect });
  });
  return out;
}

function readInterfaces(v: unknown, path: string, problems: string[]): Record<string, string[]> | undefined {
  if (!isObject(v)) {
    problems.push(`${path}: expected a mapping of interface name to address list, got ${describe(v)}`);
    return undefined;
  }
  const out: Record<string, string[]> = {};
  for (const [name, list] of Object.entries(v)) {
    if (!Array.isArray(list) || list.some((a) => typeof a !== 'string' || parseCIDR(a) === undefined)) {
      problems.push(`${path}.${name}: expected a list of addresses with prefix length (e.g. 172.18.0.2/16)`);
      continue;
    }
    out[name] = list as string[];
  }
  return out;
}

function readKubelet(v: unknown, dnsServiceIP: string, path: string, problems: string[]): KubeletDNSProfile {
  const d = DEFAULT_PROFILE.kubelet;
  const base: KubeletDNSProfile = { ...d, clusterDNS: [dnsServiceIP] };
  if (v === undefined || v === null) return base;
  if (!isObject(v)) {
    problems.push(`${path}: expected a mapping, got ${describe(v)}`);
    return base;
  }
  unknownKeys(v, KUBELET_KEYS, path, problems);
  let resolvConf = base.resolvConf;
  if ('resolvConf' in v) {
    if (v.resolvConf === null || typeof v.resolvConf === 'string') resolvConf = v.resolvConf;
    else problems.push(`${path}.resolvConf: expected the resolv.conf text or null, got ${describe(v.resolvConf)}`);
  }
  let clusterDNS = base.clusterDNS;
  if (v.clusterDNS !== undefined && v.clusterDNS !== null) {
    if (!Array.isArray(v.clusterDNS)) {
      problems.push(`${path}.clusterDNS: expected a list of IP addresses, got ${describe(v.clusterDNS)}`);
    } else {
      clusterDNS = v.clusterDNS.flatMap((ip, i) => {
        const c = typeof ip === 'string' ? canonicalIP(ip) : undefined;
        if (c === undefined) problems.push(`${path}.clusterDNS[${i}]: invalid IP address ${describe(ip)}`);
        return c === undefined ? [] : [c];
      });
    }
  }
  const expandedDNSConfig = readBool(v.expandedDNSConfig, `${path}.expandedDNSConfig`, problems) ?? base.expandedDNSConfig;
  return { resolvConf, clusterDNS, expandedDNSConfig };
}

function readKubeProxy(
  v: unknown, nodes: readonly ProfileNode[], serviceCIDRs: readonly string[], podCIDRs: readonly string[],
  path: string, problems: string[],
): KubeProxyProfile {
  const d = DEFAULT_PROFILE.kubeProxy;
  const primaryFamily = parseCIDR(serviceCIDRs[0])?.family ?? 'IPv4';
  const clusterCIDRFor = (family: IPFamily) => podCIDRs.find((c) => parseCIDR(c)?.family === family) ?? podCIDRs[0];
  const base: KubeProxyProfile = {
    ...d,
    node: nodes.some((n) => n.name === d.node) ? d.node : nodes[0].name,
    ipFamily: primaryFamily,
    localDetector: { mode: 'ClusterCIDR', clusterCIDR: clusterCIDRFor(primaryFamily) },
  };
  if (v === undefined || v === null) return base;
  if (!isObject(v)) {
    problems.push(`${path}: expected a mapping, got ${describe(v)}`);
    return base;
  }
  unknownKeys(v, KUBE_PROXY_KEYS, path, problems);
  let mode = base.mode;
  if (v.mode !== undefined && v.mode !== null) {
    if (KUBE_PROXY_MODES.includes(v.mode as KubeProxyMode)) mode = v.mode as KubeProxyMode;
    else problems.push(`${path}.mode: Unsupported value: ${describe(v.mode)}: supported values: ${KUBE_PROXY_MODES.map((m) => `"${m}"`).join(', ')}`);
  }
  let node = base.node;
  if (v.node !== undefined && v.node !== null) {
    if (typeof v.node === 'string' && nodes.some((n) => n.name === v.node)) node = v.node;
    else problems.push(`${path}.node: ${describe(v.node)} is not one of the profile's nodes (${nodes.map((n) => n.name).join(', ')})`);
  }
  let ipFamily = base.ipFamily;
  if (v.ipFamily !== undefined && v.ipFamily !== null) {
    if (v.ipFamily === 'IPv4' || v.ipFamily === 'IPv6') ipFamily = v.ipFamily;
    else problems.push(`${path}.ipFamily: Unsupported value: ${describe(v.ipFamily)}: supported values: "IPv4", "IPv6"`);
  }
  let localDetector: LocalDetector = { mode: 'ClusterCIDR', clusterCIDR: clusterCIDRFor(ipFamily) };
  if (v.localDetector !== undefined && v.localDetector !== null) {
    localDetector = readLocalDetector(v.localDetector, `${path}.localDetector`, problems) ?? localDetector;
  } else if (v.clusterCIDR !== undefined && v.clusterCIDR !== null) {
    const c = typeof v.clusterCIDR === 'string' ? parseCIDR(v.clusterCIDR) : undefined;
    if (c === undefined) problems.push(`${path}.clusterCIDR: invalid CIDR ${describe(v.clusterCIDR)}`);
    else localDetector = { mode: 'ClusterCIDR', clusterCIDR: formatCIDR(c) };
  }
  let nodePortAddresses = base.nodePortAddresses;
  if (v.nodePortAddresses !== undefined) {
    if (v.nodePortAddresses === null) nodePortAddresses = null;
    else if (Array.isArray(v.nodePortAddresses) && v.nodePortAddresses.every((c) => typeof c === 'string' && parseCIDR(c) !== undefined)) {
      nodePortAddresses = v.nodePortAddresses as string[];
    } else problems.push(`${path}.nodePortAddresses: expected null or a list of CIDRs, got ${describe(v.nodePortAddresses)}`);
  }
  let masqueradeMark = base.masqueradeMark;
  if (v.masqueradeMark !== undefined && v.masqueradeMark !== null) {
    if (typeof v.masqueradeMark === 'string' && /^0x[0-9a-fA-F]+$/.test(v.masqueradeMark)) masqueradeMark = v.masqueradeMark;
    else problems.push(`${path}.masqueradeMark: expected a hexadecimal mark like "0x4000", got ${describe(v.masqueradeMark)}`);
  }
  return {
    mode,
    node,
    ipFamily,
    localDetector,
    masqueradeAll: readBool(v.masqueradeAll, `${path}.masqueradeAll`, problems) ?? base.masqueradeAll,
    masqueradeMark,
    localhostNodePorts: readBool(v.localhostNodePorts, `${path}.localhostNodePorts`, problems) ?? base.localhostNodePorts,
    nodePortAddresses,
    iptablesHasRandomFully: readBool(v.iptablesHasRandomFully, `${path}.iptablesHasRandomFully`, problems) ?? base.iptablesHasRandomFully,
    conntrackTCPLiberal: readBool(v.conntrackTCPLiberal, `${path}.conntrackTCPLiberal`, problems) ?? base.conntrackTCPLiberal,
    nfacctCounters: readBoolMap(v.nfacctCounters, `${path}.nfacctCounters`, problems) ?? base.nfacctCounters,
    featureGates: readBoolMap(v.featureGates, `${path}.featureGates`, problems) ?? base.featureGates,
  };
}

/** Reads `{mode, clusterCIDR | nodeCIDR | bridgeInterface | interfaceNamePrefix}`. */
export function readLocalDetector(v: unknown, path: string, problems: string[]): LocalDetector | undefined {
  if (!isObject(v)) {
    problems.push(`${path}: expected a mapping, got ${describe(v)}`);
    return undefined;
  }
  const str = (key: string): string | undefined => {
    const s = v[key];
    if (typeof s === 'string' && s !== '') return s;
    problems.push(`${path}.${key}: Required value: needed for mode ${String(v.mode)}`);
    return undefined;
  };
  const cidr = (key: string): string | undefined => {
    const s = str(key);
    if (s === undefined) return undefined;
    if (parseCIDR(s) === undefined) {
      problems.push(`${path}.${key}: invalid CIDR "${s}"`);
      return undefined;
    }
    return s;
  };
  switch (v.mode) {
    case 'ClusterCIDR': { const c = cidr('clusterCIDR'); return c === undefined ? undefined : { mode: 'ClusterCIDR', clusterCIDR: c }; }
    case 'NodeCIDR': { const c = cidr('nodeCIDR'); return c === undefined ? undefined : { mode: 'NodeCIDR', nodeCIDR: c }; }
    case 'BridgeInterface': { const c = str('bridgeInterface'); return c === undefined ? undefined : { mode: 'BridgeInterface', bridgeInterface: c }; }
    case 'InterfaceNamePrefix': { const c = str('interfaceNamePrefix'); return c === undefined ? undefined : { mode: 'InterfaceNamePrefix', interfaceNamePrefix: c }; }
    case 'None': return { mode: 'None' };
    default:
      problems.push(`${path}.mode: Unsupported value: ${describe(v.mode)}: supported values: "BridgeInterface", "ClusterCIDR", "InterfaceNamePrefix", "NodeCIDR", "None"`);
      return undefined;
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

export function readBool(v: unknown, path: string, problems: string[]): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  problems.push(`${path}: expected true or false, got ${describe(v)}`);
  return undefined;
}

export function readInt(v: unknown, path: string, min: number, max: number, problems: string[]): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
  problems.push(`${path}: expected an integer from ${min} to ${max}, got ${describe(v)}`);
  return undefined;
}

export function readStringMap(v: unknown, path: string, problems: string[]): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) {
    problems.push(`${path}: expected a mapping of strings, got ${describe(v)}`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string') out[k] = val;
    else if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
    else problems.push(`${path}.${k}: expected a string, got ${describe(val)}`);
  }
  return out;
}

export function readBoolMap(v: unknown, path: string, problems: string[]): Record<string, boolean> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) {
    problems.push(`${path}: expected a mapping of booleans, got ${describe(v)}`);
    return undefined;
  }
  const out: Record<string, boolean> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'boolean') out[k] = val;
    else problems.push(`${path}.${k}: expected true or false, got ${describe(val)}`);
  }
  return out;
}

export function unknownKeys(v: Record<string, unknown>, known: readonly string[], path: string, problems: string[]): void {
  for (const k of Object.keys(v).sort()) {
    if (!known.includes(k)) problems.push(`${path}.${k}: unknown field (known: ${known.join(', ')})`);
  }
}

