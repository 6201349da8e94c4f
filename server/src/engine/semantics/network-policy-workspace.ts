// Workspace objects -> NetworkPolicy analysis input (spec g.6: a reachability matrix over
// workspace Pod templates, Namespaces and NetworkPolicies).
//
// Owns: choosing which objects take part and naming the "Pods" of the analysis:
//   - Namespace objects give namespace labels (the `kubernetes.io/metadata.name` label is added
//     by the model, as defaulting does).
//   - Every Pod, and every workload Pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet,
//     ReplicationController, Job, CronJob), stands for its Pods: labels of the template, ports
//     as `model/pod-template.ts` lists them (containers, then sidecar init containers, b.4). A
//     bare PodTemplate object creates no Pods and is skipped.
//   - A Pod keeps its name; a template is named after its workload. When two entries of one
//     namespace would share a name, the later one (ordered by kind, then object id) gets
//     `-<kind>` appended, so every name stays unique and stable.
//   - Pod IPs come from `status.podIPs` / `status.podIP` when a manifest carries them (objects
//     exported from a cluster); templates have none, so ipBlocks never match them.
//   - NetworkPolicies (networking.k8s.io, and the legacy extensions group), in the namespace the
//     workspace assumed for them; a duplicate "namespace/name" keeps the first object by id.
// `podSources` / `policySources` map analysis names back to objects, for hovers and CLI locations.
import type { V1NetworkPolicy } from '../model/k8s-types';
import { isRecord, type K8sObject } from '../model/object';
import { podTemplateOf } from '../model/pod-template';
import type { ObjectRef } from '../model/ref';
import { netpolContainerPorts, type NetpolNamespace, type NetpolPod, type NetworkPolicyInput } from './network-policy-model';

export type ObjectSource = ObjectRef & { readonly id: string };

export type NetworkPolicyWorkspaceInput = NetworkPolicyInput & {
  /** "namespace/name" of every analysis Pod -> the object it comes from. */
  readonly podSources: ReadonlyMap<string, ObjectSource>;
  /** "namespace/name" of every policy -> its object (the first one when duplicated). */
  readonly policySources: ReadonlyMap<string, ObjectSource>;
};

export function networkPolicyInputFromObjects(objects: readonly K8sObject[]): NetworkPolicyWorkspaceInput {
  const namespaces: NetpolNamespace[] = [];
  const pods: NetpolPod[] = [];
  const policies: V1NetworkPolicy[] = [];
  const podSources = new Map<string, ObjectSource>();
  const policySources = new Map<string, ObjectSource>();
  const source = (o: K8sObject): ObjectSource => ({ kind: o.kind, group: o.group, namespace: o.namespace, name: o.name, id: o.id });
  const ordered = [...objects].sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || cmp(a.kind, b.kind) || cmp(a.id, b.id));
  for (const o of ordered) {
    if (o.kind === 'Namespace' && o.group === '') {
      namespaces.push({ name: o.name, labels: o.labels });
      continue;
    }
    if (o.kind === 'NetworkPolicy' && NETWORK_POLICY_GROUPS.has(o.group)) {
      const key = `${o.namespace}/${o.name}`;
      if (policySources.has(key)) continue;
      const metadata = isRecord(o.raw.metadata) ? o.raw.metadata : {};
      policies.push({ ...o.raw, metadata: { ...metadata, namespace: o.namespace } } as V1NetworkPolicy);
      policySources.set(key, source(o));
      continue;
    }
    if (o.kind === 'PodTemplate' || o.clusterScoped) continue;
    const template = podTemplateOf(o);
    if (!template) continue;
    let name = o.name;
    if (podSources.has(`${o.namespace}/${name}`)) name = `${o.name}-${o.kind.toLowerCase()}`;
    if (podSources.has(`${o.namespace}/${name}`)) continue;
    podSources.set(`${o.namespace}/${name}`, source(o));
    pods.push({
      namespace: o.namespace,
      name,
      labels: template.labels,
      ips: o.kind === 'Pod' ? podIpsOf(o.raw.status) : [],
      ports: netpolContainerPorts(template.ports),
    });
  }
  return { namespaces, pods, policies, podSources, policySources };
}

/** `extensions/v1beta1` NetworkPolicy (removed in 1.16) has the same semantics as networking.k8s.io/v1. */
const NETWORK_POLICY_GROUPS = new Set(['networking.k8s.io', 'extensions']);

/** Pods first, so a bare Pod keeps its own name over a workload of the same name. */
function kindRank(kind: string): number {
  return kind === 'Pod' ? 0 : 1;
}

function podIpsOf(status: unknown): string[] {
  if (!isRecord(status)) return [];
  const ips = Array.isArray(status.podIPs) ? status.podIPs.map((p) => (isRecord(p) && typeof p.ip === 'string' ? p.ip : undefined)) : [];
  const all = [...ips, typeof status.podIP === 'string' ? status.podIP : undefined].filter((ip): ip is string => !!ip);
  return [...new Set(all)];
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
