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
import { compareText } from '../text/compare';
import { netpolContainerPorts, type NetpolNamespace, type NetpolPod, type NetworkPolicyInput } from './network-policy-model';

export type ObjectSource = ObjectRef & { readonly id: string };

export type NetworkPolicyWorkspaceInput = NetworkPolicyInput & {
  /** "namespace/name" of every analysis Pod -> the object it comes from. */
  readonly podSources: ReadonlyMap<string, ObjectSource>;
  /** "namespace/name" of every policy -> its object (the first one when duplicated). */
  readonly policySources: ReadonlyMap<string, ObjectSource>;
};

export function networkPolicyInputFromObjects(objects: readonly K8sObject[]): NetworkPolicyWorkspaceInput {
  return networkPolicyInputFromEntries(objects.map(networkPolicyEntryOf));
}

/**
 * Everything the analysis input takes from one object (undefined: the object takes no part). The
 * input is a function of the entries alone, so equal entries (see `networkPolicyEntryKey`) give an
 * equal input: a model built from them can be kept while an edit leaves them unchanged.
 */
export type NetworkPolicyEntry =
  | { readonly kind: 'namespace'; readonly source: ObjectSource; readonly namespace: NetpolNamespace }
  | { readonly kind: 'policy'; readonly source: ObjectSource; readonly policy: V1NetworkPolicy }
  | { readonly kind: 'pod'; readonly source: ObjectSource; readonly pod: NetpolPod };

export function networkPolicyEntryOf(o: K8sObject): NetworkPolicyEntry | undefined {
  const source: ObjectSource = { kind: o.kind, group: o.group, namespace: o.namespace, name: o.name, id: o.id };
  if (o.kind === 'Namespace' && o.group === '') return { kind: 'namespace', source, namespace: { name: o.name, labels: o.labels } };
  if (o.kind === 'NetworkPolicy' && NETWORK_POLICY_GROUPS.has(o.group)) {
    const metadata = isRecord(o.raw.metadata) ? o.raw.metadata : {};
    return { kind: 'policy', source, policy: { ...o.raw, metadata: { ...metadata, namespace: o.namespace } } as V1NetworkPolicy };
  }
  if (o.kind === 'PodTemplate' || o.clusterScoped) return undefined;
  const template = podTemplateOf(o);
  if (!template) return undefined;
  const ips = o.kind === 'Pod' ? podIpsOf(o.raw.status) : [];
  return { kind: 'pod', source, pod: { namespace: o.namespace, name: o.name, labels: template.labels, ips, ports: netpolContainerPorts(template.ports) } };
}

/** The entry as text: two objects with the same key contribute the same to the analysis input. */
export function networkPolicyEntryKey(entry: NetworkPolicyEntry | undefined): string {
  // JSON writes NaN and the infinities (`.nan`, `.inf` in YAML) as null: keep them apart.
  return entry === undefined ? '' : JSON.stringify(entry, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? { '\u0000number': String(value) } : value));
}

export function networkPolicyInputFromEntries(entries: readonly (NetworkPolicyEntry | undefined)[]): NetworkPolicyWorkspaceInput {
  const namespaces: NetpolNamespace[] = [];
  const pods: NetpolPod[] = [];
  const policies: V1NetworkPolicy[] = [];
  const podSources = new Map<string, ObjectSource>();
  const policySources = new Map<string, ObjectSource>();
  const present = entries.filter((e): e is NetworkPolicyEntry => e !== undefined);
  const ordered = present.sort((a, b) => kindRank(a.source.kind) - kindRank(b.source.kind) || compareText(a.source.kind, b.source.kind) || compareText(a.source.id, b.source.id));
  for (const e of ordered) {
    const { source } = e;
    if (e.kind === 'namespace') {
      namespaces.push(e.namespace);
      continue;
    }
    if (e.kind === 'policy') {
      const key = `${source.namespace}/${source.name}`;
      if (policySources.has(key)) continue;
      policies.push(e.policy);
      policySources.set(key, source);
      continue;
    }
    let name = source.name;
    if (podSources.has(`${source.namespace}/${name}`)) name = `${source.name}-${source.kind.toLowerCase()}`;
    if (podSources.has(`${source.namespace}/${name}`)) continue;
    podSources.set(`${source.namespace}/${name}`, source);
    pods.push(name === e.pod.name ? e.pod : { ...e.pod, name });
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
