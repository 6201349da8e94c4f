// The NetworkPolicy overlay of the topology view: for pairs of pod groups (a workload's pods, or
// a bare Pod), whether the first may open connections to the second's declared ports.
//
// Pods of one workload share labels, namespace and ports, so one representative pod decides for
// its group (ipBlock peers match addresses, and pod addresses are never in the ipBlock ranges a
// policy uses for the outside world; a policy that lists pod addresses gets the representative's
// answer). Only pairs where a policy applies are drawn: the destination is isolated for ingress or
// the source for egress (spec g.1); every other pair is allowed and would only add noise.
// Verdicts come from semantics/network-policy.ts; a pair is `allowed` when at least one probed
// port is, and its label lists each port with ✓ or ✗. A destination declaring no ports is
// probed on 80/TCP (the label says so).
// Invariants: pure; bounded by `max` edges (a note says how many were left out).
import type { V1NetworkPolicy } from '../model/k8s-types';
import type { K8sObject } from '../model/object';
import { refText } from '../model/ref';
import { containerPortsOf } from '../model/pod-template';
import { buildNetworkPolicyModel, evaluateTraffic, netpolContainerPorts, netpolNamespace, type NetpolPod } from '../semantics/network-policy';
import type { TopologySimulation } from './topology-cluster';

export interface PolicyEdge {
  readonly id: string;
  readonly kind: 'policy';
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly owner: string;
  readonly verdict: 'allowed' | 'denied';
  readonly policies: readonly string[];
}

/** Policy edges between the groups in `groupIds` (pods of other groups still count as policy peers). */
export function policyEdges(sim: TopologySimulation, objects: readonly K8sObject[], groupIds: ReadonlySet<string>, max: number): { edges: PolicyEdge[]; notes: string[] } {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  if (policies.length === 0) return { edges: [], notes: [] };
  const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => netpolNamespace(o.name, o.labels));
  const groups = new Map<string, NetpolPod>();
  const pods: NetpolPod[] = sim.pods.map((p) => {
    const pod: NetpolPod = {
      namespace: p.ref.namespace,
      name: p.ref.name,
      labels: p.pod.metadata?.labels ?? {},
      ips: [...p.podIPs],
      ports: netpolContainerPorts(containerPortsOf(p.pod.spec)),
    };
    const group = p.origin === 'simulated' ? refText(p.owner.workload) : refText(p.ref);
    if (groupIds.has(group) && !groups.has(group)) groups.set(group, pod);
    return pod;
  });
  const model = buildNetworkPolicyModel({
    namespaces,
    pods,
    policies: policies.map((o) => o.raw as V1NetworkPolicy),
    defaultNamespace: policies[0]?.namespace,
  });
  const isolatedIn = (pod: NetpolPod) => (model.ingressIsolatedBy[model.podIndex.get(`${pod.namespace}/${pod.name}`) ?? -1] ?? []).length > 0;
  const isolatedOut = (pod: NetpolPod) => (model.egressIsolatedBy[model.podIndex.get(`${pod.namespace}/${pod.name}`) ?? -1] ?? []).length > 0;
  const entries = [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const edges: PolicyEdge[] = [];
  let skipped = 0;
  for (const [fromId, src] of entries) {
    for (const [toId, dst] of entries) {
      if (fromId === toId || !(isolatedIn(dst) || isolatedOut(src))) continue;
      if (edges.length >= max) {
        skipped++;
        continue;
      }
      const declared = uniquePorts(dst);
      const probes = declared.length > 0 ? declared : [{ port: 80, protocol: 'TCP' }];
      const parts: string[] = [];
      const deciding = new Set<string>();
      let anyAllowed = false;
      for (const { port, protocol } of probes) {
        const v = evaluateTraffic(model, {
          from: { kind: 'pod', namespace: src.namespace, name: src.name },
          to: { kind: 'pod', namespace: dst.namespace, name: dst.name },
          port,
          protocol,
        });
        if (v.kind !== 'verdict') continue;
        anyAllowed ||= v.allowed;
        parts.push(`${port}/${protocol} ${v.allowed ? '✓' : '✗'}`);
        for (const d of [v.ingress, v.egress]) if (d.kind !== 'notIsolated') for (const p of d.policies) deciding.add(p);
      }
      const policiesList = [...deciding].sort();
      const [ns, name] = (policiesList[0] ?? '/').split('/');
      edges.push({
        id: `policy|${fromId}|${toId}`,
        kind: 'policy',
        from: fromId,
        to: toId,
        label: declared.length > 0 ? parts.join(', ') : `no declared port; probe ${parts.join(', ')}`,
        owner: policiesList.length ? `NetworkPolicy/${ns}/${name}` : fromId,
        verdict: anyAllowed ? 'allowed' : 'denied',
        policies: policiesList,
      });
    }
  }
  const notes = skipped > 0 ? [`NetworkPolicy overlay: showing ${max} pod-group pairs, ${skipped} more left out`] : [];
  return { edges, notes };
}

function uniquePorts(pod: NetpolPod): { port: number; protocol: string }[] {
  const seen = new Set<string>();
  const out: { port: number; protocol: string }[] = [];
  for (const p of pod.ports) {
    const key = `${p.containerPort}/${p.protocol}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ port: p.containerPort, protocol: p.protocol });
  }
  return out.slice(0, 6);
}
