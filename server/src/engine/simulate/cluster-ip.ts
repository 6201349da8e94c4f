// Services as the cluster stores them: API defaults applied (spec semantics.md b.1) and
// ClusterIPs and NodePorts allocated.
//
// Owns:
// - defaults: `type` ClusterIP, `sessionAffinity` None (ClientIP gets a 10800 s timeout),
//   port `protocol` TCP, `targetPort` = `port`, `internalTrafficPolicy` Cluster (not for
//   ExternalName), `externalTrafficPolicy` Cluster for NodePort/LoadBalancer,
//   `allocateLoadBalancerNodePorts` true for LoadBalancer;
// - IP families: `ipFamilies` as written, else the family of an explicit ClusterIP, else the
//   cluster's primary family; both families for PreferDualStack/RequireDualStack on a
//   dual-stack profile, and for selector-less headless Services there (which upstream makes
//   RequireDualStack); `ipFamilyPolicy` SingleStack otherwise;
// - ClusterIPs: explicit ones are kept (reported when outside the service CIDRs or taken
//   twice); `default/kubernetes` gets the first address of the range and `kube-system/kube-dns`
//   the profile's DNS service IP; every other Service gets the address at hash(namespace/name)
//   in its family's range, probing upwards on collision, in (namespace, name) order, so an
//   address survives unrelated edits. Never allocated: the network address, the IPv4
//   broadcast address, the `kubernetes` address and the DNS service IP;
// - NodePorts (NodePort/LoadBalancer, unless `allocateLoadBalancerNodePorts: false`) and the
//   healthCheckNodePort (LoadBalancer with externalTrafficPolicy Local), hashed into the
//   profile's range the same way, explicit values kept.
// Invariants: pure; input objects are never mutated (each Service is copied); output sorted
// by (namespace, name). Deliberately absent: ServiceCIDR objects and IPAddress objects.

import type { V1Service, V1ServicePort } from '../model/k8s-types';
import { groupOf, type ObjectRef } from '../model/ref';
import type { ClusterProfile, IPFamily } from './profile';
import type { SimProblem } from './sim-problem';
import { compareProblems } from './sim-problem';
import { cidrAddress, cidrContains, cidrSize, formatCIDR, formatIP, parseCIDR, parseIP, type CIDR } from './sim-ip';
import { fnv32a } from './sim-hash';
import { isRecord } from '../model/object';

export interface AllocateServicesOptions {
  readonly profile: ClusterProfile;
  readonly defaultNamespace?: string;
}

export interface AllocatedService {
  readonly ref: ObjectRef;
  /** The stored Service: a defaulted copy with `clusterIP(s)`, `ipFamilies` and NodePorts set. */
  readonly service: V1Service;
  /** True when Kubeglass chose the ClusterIP(s) (false when written in the manifest). */
  readonly allocatedClusterIP: boolean;
}

export interface AllocatedServices {
  readonly services: readonly AllocatedService[];
  readonly problems: readonly SimProblem[];
}

export const DEFAULT_CLIENT_IP_TIMEOUT_SECONDS = 10800;

/** Defaults and allocates every Service among `objects` (other kinds are ignored). */
export function allocateServices(objects: readonly unknown[], options: AllocateServicesOptions): AllocatedServices {
  const { profile } = options;
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const problems: SimProblem[] = [];
  const entries = objects.flatMap((o) => readService(o, defaultNamespace)).sort((a, b) => compareRefs(a.ref, b.ref));
  const seen = new Set<string>();
  const unique = entries.filter((e) => {
    const key = `${e.ref.namespace}/${e.ref.name}`;
    if (seen.has(key)) {
      problems.push({ object: e.ref, message: `Service ${key} is defined more than once; the first definition is used` });
      return false;
    }
    seen.add(key);
    return true;
  });

  const ranges = new Map<IPFamily, CIDR>();
  for (const text of profile.serviceCIDRs) {
    const c = parseCIDR(text);
    if (c !== undefined && !ranges.has(c.family)) ranges.set(c.family, c);
  }
  const dualStack = ranges.size > 1;
  const primary: IPFamily = parseCIDR(profile.serviceCIDRs[0] ?? '')?.family ?? 'IPv4';
  const used = new Set<string>();
  const reserved = reservedAddresses(ranges, profile.dnsServiceIP);

  // Families and explicit addresses first, so hashed allocation never takes a written address.
  const plans = unique.map((e) => planFamilies(e, primary, dualStack, ranges, problems));
  for (const plan of plans) {
    for (const ip of plan.explicit) {
      if (used.has(ip)) {
        problems.push({ object: plan.entry.ref, field: 'spec.clusterIPs', message: `failed to allocate IP ${ip}: provided IP is already allocated` });
        continue;
      }
      used.add(ip);
      const family = parseIP(ip)!.family;
      const range = ranges.get(family);
      if (range === undefined || !cidrContains(range, parseIP(ip)!)) {
        const valid = range === undefined ? profile.serviceCIDRs.join(', ') : formatCIDR(range);
        problems.push({ object: plan.entry.ref, field: 'spec.clusterIPs', message: `failed to allocate IP ${ip}: provided IP is not in the valid range. The range of valid IPs is ${valid}` });
      }
    }
  }
  const out: AllocatedService[] = [];
  for (const plan of plans) {
    const { entry } = plan;
    const spec = entry.service.spec!;
    let clusterIPs: string[] = plan.explicit;
    let allocated = false;
    if (plan.mode === 'allocate') {
      allocated = true;
      clusterIPs = [];
      for (const family of plan.families) {
        const range = ranges.get(family);
        if (range === undefined) {
          problems.push({ object: entry.ref, field: 'spec.ipFamilies', message: `the cluster has no ${family} service CIDR; no ${family} ClusterIP is allocated` });
          continue;
        }
        const ip = allocateIP(range, entry.ref, profile.dnsServiceIP, used, reserved);
        if (ip === undefined) {
          problems.push({ object: entry.ref, field: 'spec.clusterIP', message: `no free ClusterIP left in ${formatCIDR(range)}` });
          continue;
        }
        used.add(ip);
        clusterIPs.push(ip);
      }
    }
    if (plan.mode === 'headless') clusterIPs = ['None'];
    if (plan.mode !== 'none') {
      spec.clusterIP = clusterIPs[0];
      spec.clusterIPs = clusterIPs;
      spec.ipFamilies = plan.families;
      spec.ipFamilyPolicy = plan.policy;
    }
    out.push({ ref: entry.ref, service: entry.service, allocatedClusterIP: allocated });
  }
  allocateNodePorts(out, profile, problems);
  return { services: out, problems: problems.sort(compareProblems) };
}

interface Entry {
  readonly ref: ObjectRef;
  /** Defaulted deep copy. */
  readonly service: V1Service;
}

interface Plan {
  readonly entry: Entry;
  readonly mode: 'none' | 'headless' | 'explicit' | 'allocate';
  readonly families: IPFamily[];
  readonly policy: string;
  readonly explicit: string[];
}

function readService(o: unknown, defaultNamespace: string): Entry[] {
  if (!isRecord(o) || o.kind !== 'Service') return [];
  const metadata = isRecord(o.metadata) ? o.metadata : {};
  if (typeof metadata.name !== 'string' || metadata.name === '') return [];
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : defaultNamespace;
  const copy = JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
  copy.metadata = { ...(isRecord(copy.metadata) ? copy.metadata : {}), name: metadata.name, namespace };
  copy.spec = applyServiceDefaults(isRecord(copy.spec) ? copy.spec : {});
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : 'v1';
  return [{ ref: { kind: 'Service', group: groupOf(apiVersion), namespace, name: metadata.name }, service: copy as V1Service }];
}

/** The v1 Service defaults (spec b.1), applied to a copy of `spec`. */
function applyServiceDefaults(spec: Record<string, unknown>): NonNullable<V1Service['spec']> {
  const s = { ...spec } as Record<string, unknown>;
  if (typeof s.type !== 'string' || s.type === '') s.type = 'ClusterIP';
  if (typeof s.sessionAffinity !== 'string' || s.sessionAffinity === '') s.sessionAffinity = 'None';
  if (s.sessionAffinity === 'None') delete s.sessionAffinityConfig;
  if (s.sessionAffinity === 'ClientIP') {
    const cfg = isRecord(s.sessionAffinityConfig) ? s.sessionAffinityConfig : {};
    const clientIP = isRecord(cfg.clientIP) ? cfg.clientIP : {};
    if (typeof clientIP.timeoutSeconds !== 'number') {
      s.sessionAffinityConfig = { ...cfg, clientIP: { ...clientIP, timeoutSeconds: DEFAULT_CLIENT_IP_TIMEOUT_SECONDS } };
    }
  }
  if (Array.isArray(s.ports)) {
    s.ports = s.ports.map((p) => {
      if (!isRecord(p)) return p;
      const port = { ...p };
      if (typeof port.protocol !== 'string' || port.protocol === '') port.protocol = 'TCP';
      if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
      return port;
    });
  }
  const externallyAccessible = s.type === 'NodePort' || s.type === 'LoadBalancer';
  if (externallyAccessible && (typeof s.externalTrafficPolicy !== 'string' || s.externalTrafficPolicy === '')) s.externalTrafficPolicy = 'Cluster';
  if (s.type !== 'ExternalName' && (typeof s.internalTrafficPolicy !== 'string' || s.internalTrafficPolicy === '')) s.internalTrafficPolicy = 'Cluster';
  if (s.type === 'LoadBalancer' && typeof s.allocateLoadBalancerNodePorts !== 'boolean') s.allocateLoadBalancerNodePorts = true;
  return s as NonNullable<V1Service['spec']>;
}

function planFamilies(
  entry: Entry, primary: IPFamily, dualStack: boolean, ranges: ReadonlyMap<IPFamily, CIDR>, problems: SimProblem[],
): Plan {
  const spec = entry.service.spec!;
  if (spec.type === 'ExternalName') return { entry, mode: 'none', families: [], policy: '', explicit: [] };
  const written = writtenClusterIPs(spec);
  const declared = (Array.isArray(spec.ipFamilies) ? spec.ipFamilies : []).filter((f): f is IPFamily => f === 'IPv4' || f === 'IPv6');
  const policyWritten = typeof spec.ipFamilyPolicy === 'string' && spec.ipFamilyPolicy !== '' ? spec.ipFamilyPolicy : undefined;
  const wantsDual = policyWritten === 'PreferDualStack' || policyWritten === 'RequireDualStack';
  if (policyWritten === 'RequireDualStack' && !dualStack) {
    problems.push({ object: entry.ref, field: 'spec.ipFamilyPolicy', message: 'RequireDualStack needs a dual-stack cluster, but the profile has one service CIDR' });
  }
  const headless = written[0] === 'None';
  const hasSelector = isRecord(spec.selector) && Object.keys(spec.selector).length > 0;
  const bothFamilies = (first: IPFamily): IPFamily[] => [first, ...[...ranges.keys()].filter((f) => f !== first)];
  let families: IPFamily[];
  let policy = policyWritten ?? 'SingleStack';
  if (declared.length > 0) {
    families = declared;
  } else if (!headless && written.length > 0) {
    families = written.flatMap((ip) => {
      const f = parseIP(ip)?.family;
      return f === undefined ? [] : [f];
    });
  } else {
    families = [primary];
  }
  if (families.length === 0) families = [primary];
  if (dualStack && families.length === 1 && (wantsDual || (headless && !hasSelector && policyWritten === undefined))) {
    families = bothFamilies(families[0]);
    if (policyWritten === undefined) policy = 'RequireDualStack';
  }
  if (headless) return { entry, mode: 'headless', families, policy, explicit: [] };
  const explicit = written.filter((ip) => parseIP(ip) !== undefined).map((ip) => formatIP(parseIP(ip)!));
  for (const ip of written) {
    if (parseIP(ip) === undefined) problems.push({ object: entry.ref, field: 'spec.clusterIP', message: `"${ip}" is not an IP address; a ClusterIP is allocated instead` });
  }
  if (explicit.length > 0) return { entry, mode: 'explicit', families, policy, explicit };
  return { entry, mode: 'allocate', families, policy, explicit: [] };
}

/** `spec.clusterIPs`, else `spec.clusterIP`, without empty strings. */
function writtenClusterIPs(spec: NonNullable<V1Service['spec']>): string[] {
  const list = Array.isArray(spec.clusterIPs) ? spec.clusterIPs.filter((ip) => typeof ip === 'string' && ip !== '') : [];
  if (list.length > 0) return list;
  return typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? [spec.clusterIP] : [];
}

/** The first host address of each range (the `kubernetes` Service's) and the DNS service IP. */
function reservedAddresses(ranges: ReadonlyMap<IPFamily, CIDR>, dnsServiceIP: string): Set<string> {
  const out = new Set<string>();
  for (const range of ranges.values()) out.add(formatIP(cidrAddress(range, 1n)));
  const dns = parseIP(dnsServiceIP);
  if (dns !== undefined) out.add(formatIP(dns));
  return out;
}

function allocateIP(
  range: CIDR, ref: ObjectRef, dnsServiceIP: string, used: ReadonlySet<string>, reserved: ReadonlySet<string>,
): string | undefined {
  const first = formatIP(cidrAddress(range, 1n));
  if (ref.namespace === 'default' && ref.name === 'kubernetes' && !used.has(first)) return first;
  const dns = parseIP(dnsServiceIP);
  if (ref.namespace === 'kube-system' && ref.name === 'kube-dns' && dns !== undefined && dns.family === range.family) {
    const text = formatIP(dns);
    if (!used.has(text) && cidrContains(range, dns)) return text;
  }
  const size = cidrSize(range);
  const lo = 1n;
  const hi = range.family === 'IPv4' ? size - 2n : size - 1n;
  if (hi < lo) return undefined;
  const span = hi - lo + 1n;
  const start = BigInt(fnv32a(`${ref.namespace}/${ref.name}`)) % span;
  const limit = span < 1_000_000n ? span : 1_000_000n;
  for (let i = 0n; i < limit; i++) {
    const ip = formatIP(cidrAddress(range, lo + ((start + i) % span)));
    if (!used.has(ip) && !reserved.has(ip)) return ip;
  }
  return undefined;
}

function allocateNodePorts(services: readonly AllocatedService[], profile: ClusterProfile, problems: SimProblem[]): void {
  const { min, max } = profile.serviceNodePortRange;
  const used = new Set<number>();
  const wanted: { svc: AllocatedService; port?: V1ServicePort; field: string }[] = [];
  for (const svc of services) {
    const spec = svc.service.spec!;
    const external = spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
    const ports = Array.isArray(spec.ports) ? spec.ports : [];
    ports.forEach((p, i) => {
      if (!isRecord(p)) return;
      if (typeof p.nodePort === 'number' && p.nodePort > 0) {
        if (used.has(p.nodePort)) problems.push({ object: svc.ref, field: `spec.ports[${i}].nodePort`, message: `provided port ${p.nodePort} is already allocated` });
        used.add(p.nodePort);
      } else if (external) {
        wanted.push({ svc, port: p, field: `spec.ports[${i}].nodePort` });
      }
    });
    const needsHealthCheck = spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
    if (needsHealthCheck) {
      if (typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort > 0) used.add(spec.healthCheckNodePort);
      else wanted.push({ svc, field: 'spec.healthCheckNodePort' });
    }
  }
  const span = max - min + 1;
  for (const w of wanted) {
    const start = fnv32a(`${w.svc.ref.namespace}/${w.svc.ref.name}/${w.field}`) % span;
    let chosen: number | undefined;
    for (let i = 0; i < span; i++) {
      const candidate = min + ((start + i) % span);
      if (!used.has(candidate)) {
        chosen = candidate;
        break;
      }
    }
    if (chosen === undefined) {
      problems.push({ object: w.svc.ref, field: w.field, message: `no free NodePort left in ${min}-${max}` });
      continue;
    }
    used.add(chosen);
    if (w.port !== undefined) w.port.nodePort = chosen;
    else w.svc.service.spec!.healthCheckNodePort = chosen;
  }
}

function compareRefs(a: ObjectRef, b: ObjectRef): number {
  const ka = `${a.namespace}\u0000${a.name}`;
  const kb = `${b.namespace}\u0000${b.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

