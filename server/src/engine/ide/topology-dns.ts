// The DNS pane of the topology view: the records the cluster DNS would serve for each Service and
// pod of the simulation, and each pod's resolv.conf. Records and resolver configuration come from
// semantics/dns.ts; this file only assigns them to graph nodes.
// Assignment: a Service gets the records whose source is that Service (its A/AAAA, SRV, PTR, or
// CNAME); a pod gets the address records naming one of its IPs (its `<ip>.<ns>.pod` record and,
// behind a headless Service, its per-pod name such as `web-0.web.shop.svc.cluster.local.`) except
// the headless Service's own name, which all its pods share, plus the PTR records pointing back.
// hostNetwork pods share the node's address and get no pod records (spec e.2).
// Invariants: pure; one resolv.conf computation per distinct (namespace, DNS settings).
import { dnsRecords, podDNS, recordText, resolvConfLines, type DnsRecord, type KubeletDNSConfig } from '../semantics/dns';
import type { TopologySimulation } from './topology-cluster';
import type { V1PodSpec } from '../model/k8s-types';

export interface NodeDns {
  readonly records: readonly string[];
  readonly resolvConf?: readonly string[];
}

export interface DnsAssignment {
  /** By node id. */
  readonly dns: Record<string, NodeDns>;
  /** Pod node id -> names that resolve to that pod alone (FQDN, trailing dot). */
  readonly podNames: ReadonlyMap<string, readonly string[]>;
}

/** DNS data for the Services and pods among `nodeIds`. */
export function dnsByNode(sim: TopologySimulation, nodeIds: ReadonlySet<string>): DnsAssignment {
  const records = dnsRecords({
    clusterDomain: sim.profile.clusterDomain,
    services: sim.services.map((s) => s.service),
    endpointSlices: sim.endpointSlices,
    pods: sim.pods.map((p) => p.pod),
  });
  const dns: Record<string, NodeDns> = {};
  const serviceNames = new Set<string>();
  const byService = new Map<string, DnsRecord[]>();
  const byAddress = new Map<string, DnsRecord[]>();
  const ptrByTarget = new Map<string, DnsRecord[]>();
  for (const r of records) {
    if (r.source.kind === 'Service') {
      const id = `Service/${r.source.namespace}/${r.source.name}`;
      const list = byService.get(id) ?? [];
      list.push(r);
      byService.set(id, list);
    }
    if ((r.type === 'A' || r.type === 'AAAA') && r.source.kind === 'Service' && isServiceName(r.name, r.source.namespace, r.source.name)) serviceNames.add(r.name);
    if (r.type === 'A' || r.type === 'AAAA') {
      const list = byAddress.get(r.address) ?? [];
      list.push(r);
      byAddress.set(r.address, list);
    }
    if (r.type === 'PTR') {
      const list = ptrByTarget.get(r.target) ?? [];
      list.push(r);
      ptrByTarget.set(r.target, list);
    }
  }
  for (const [id, list] of byService) if (nodeIds.has(id)) dns[id] = { records: list.map(recordText) };

  const kubelet: KubeletDNSConfig = {
    clusterDomain: sim.profile.clusterDomain,
    resolvConf: sim.profile.kubelet.resolvConf,
    clusterDNS: sim.profile.kubelet.clusterDNS,
    expandedDNSConfig: sim.profile.kubelet.expandedDNSConfig,
  };
  const resolvCache = new Map<string, string[]>();
  const podNames = new Map<string, string[]>();
  for (const p of sim.pods) {
    const id = `Pod/${p.ref.namespace}/${p.ref.name}`;
    if (!nodeIds.has(id)) continue;
    const spec: V1PodSpec = p.pod.spec ?? { containers: [] };
    const own: DnsRecord[] = [];
    if (spec.hostNetwork !== true) {
      for (const ip of p.podIPs) for (const r of byAddress.get(ip) ?? []) if (!serviceNames.has(r.name)) own.push(r);
    }
    const names = [...new Set(own.map((r) => r.name))];
    const ptrs = names.flatMap((n) => ptrByTarget.get(n) ?? []);
    podNames.set(id, names);
    const input = { namespace: p.ref.namespace, dnsPolicy: spec.dnsPolicy, hostNetwork: spec.hostNetwork === true, dnsConfig: spec.dnsConfig ?? null };
    const key = JSON.stringify(input);
    let resolv = resolvCache.get(key);
    if (!resolv) {
      const result = podDNS({ ...kubelet, nodeIPs: nodeIPsOf(sim, p.nodeName) }, input);
      resolv = result.kind === 'ok' ? resolvConfLines(result) : [`# the kubelet would not start this pod: ${result.message}`];
      resolvCache.set(key, resolv);
    }
    dns[id] = { records: [...own, ...ptrs].map(recordText), resolvConf: resolv };
  }
  return { dns, podNames };
}

function isServiceName(name: string, namespace: string, service: string): boolean {
  return name.startsWith(`${service}.${namespace}.svc.`);
}

function nodeIPsOf(sim: TopologySimulation, nodeName: string | undefined): string[] {
  return [...(sim.profile.nodes.find((n) => n.name === nodeName)?.internalIPs ?? [])];
}
