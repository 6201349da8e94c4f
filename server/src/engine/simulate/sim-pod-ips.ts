// Pod IP allocation for the cluster simulator: one address per pod CIDR of the pod's node,
// the way a node-local IPAM (kind's host-local ranges) hands them out, but deterministic.
//
// Owns: the choice of each pod's addresses. Addresses the input already carries
// (`status.podIP(s)`) are reserved first; every other pod gets the address at
// hash(namespace/name) inside its node's range, probing upwards on collision, processing pods
// in (namespace, name) order. A pod therefore keeps its address when unrelated objects are
// added or removed (only a collision can move it). hostNetwork pods use the node's addresses.
// Never allocated: the network address, the first host address (the node's bridge/gateway in
// kind) and, for IPv4, the broadcast address.

import type { ProfileNode } from './profile';
import { cidrAddress, cidrSize, formatIP, parseCIDR, parseIP, type CIDR } from './sim-ip';
import { fnv32a } from './sim-hash';

export interface PodIPRequest {
  /** `namespace/name`: the hash seed and the sort key. */
  readonly key: string;
  readonly node: ProfileNode | undefined;
  readonly hostNetwork: boolean;
  /** Addresses the object already has; kept as they are. */
  readonly existing: readonly string[];
}

export interface PodIPResult {
  readonly ips: ReadonlyMap<string, readonly string[]>;
  /** Per key, why a pod got no address. */
  readonly problems: ReadonlyMap<string, string>;
}

export function allocatePodIPs(requests: readonly PodIPRequest[]): PodIPResult {
  const sorted = [...requests].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const used = new Set<string>();
  for (const r of sorted) for (const ip of r.existing) used.add(canonical(ip));
  // Free addresses left per range, so a full range fails at once instead of probing it.
  const free = new Map<string, bigint>();
  const ips = new Map<string, string[]>();
  const problems = new Map<string, string>();
  for (const r of sorted) {
    if (r.existing.length > 0) {
      ips.set(r.key, [...r.existing]);
      continue;
    }
    if (r.node === undefined) continue;
    if (r.hostNetwork) {
      ips.set(r.key, [...r.node.internalIPs]);
      continue;
    }
    const out: string[] = [];
    for (const text of r.node.podCIDRs) {
      const cidr = parseCIDR(text);
      if (cidr === undefined) continue;
      const left = free.get(text) ?? usableCount(cidr, used);
      const ip = left > 0n ? pick(cidr, r.key, used) : undefined;
      if (ip !== undefined) free.set(text, left - 1n);
      if (ip === undefined) {
        problems.set(r.key, `no free address left in pod CIDR ${text} of node ${r.node.name}`);
        continue;
      }
      used.add(ip);
      out.push(ip);
    }
    if (out.length > 0) ips.set(r.key, out);
  }
  return { ips, problems };
}

/** Usable addresses of a range (offsets 2 .. last, see `pick`) not yet taken. */
function usableCount(cidr: CIDR, used: ReadonlySet<string>): bigint {
  const size = cidrSize(cidr);
  const last = cidr.family === 'IPv4' ? size - 2n : size - 1n;
  if (last < 2n) return 0n;
  let taken = 0n;
  for (const ip of used) {
    const parsed = parseIP(ip);
    if (parsed === undefined || parsed.family !== cidr.family) continue;
    const offset = parsed.value - cidr.base;
    if (offset >= 2n && offset <= last) taken++;
  }
  return last - 2n + 1n - taken;
}

/** Hash into the usable part of the range, then probe upwards (wrapping) for a free address. */
function pick(cidr: CIDR, key: string, used: ReadonlySet<string>): string | undefined {
  const size = cidrSize(cidr);
  const first = 2n;
  const last = cidr.family === 'IPv4' ? size - 2n : size - 1n;
  if (last < first) return undefined;
  const span = last - first + 1n;
  const start = BigInt(fnv32a(key)) % span;
  const limit = span < 1_000_000n ? span : 1_000_000n;
  for (let i = 0n; i < limit; i++) {
    const ip = formatIP(cidrAddress(cidr, first + ((start + i) % span)));
    if (!used.has(ip)) return ip;
  }
  return undefined;
}

function canonical(ip: string): string {
  const p = parseIP(ip);
  return p === undefined ? ip : formatIP(p);
}
