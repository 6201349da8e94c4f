// The simulated cluster of a workspace: its objects (with the namespaces the workspace assumed for
// them) plus, unless the profile is a bare kube-proxy test config, the objects every fresh cluster
// already runs (the `kubernetes` and `kube-dns` Services and CoreDNS), then the control plane
// (Services, pods, EndpointSlices) over them. Also the NetworkPolicy input built from the simulated
// pods, for reachability.
import type { K8sObject } from '../model/object';
import { isRecord } from '../model/object';
import { simulateCluster, builtinClusterObjects, type SimulatedCluster } from './sim-cluster';
import type { ClusterProfile } from './profile';
import { netpolContainerPorts, type NetworkPolicyInput } from '../semantics/network-policy-model';
import { containerPortsOf } from '../model/pod-template';
import type { V1NetworkPolicy, V1Service } from '../model/k8s-types';

export interface WorkspaceSimulationOptions {
  readonly profile: ClusterProfile;
  readonly defaultNamespace: string;
  /** Add the cluster's built-in Services (kubernetes, kube-dns) and CoreDNS when the workspace lacks them. */
  readonly includeBuiltins: boolean;
  /**
   * Take Services exactly as written, as a proxier's test fixture does (no API defaulting, no ClusterIP or
   * NodePort allocation: a port without `nodePort` has none). Used for kube-proxy test configs.
   */
  readonly servicesAsWritten?: boolean;
}

export function simulateWorkspace(objects: readonly K8sObject[], options: WorkspaceSimulationOptions): SimulatedCluster {
  const raw: unknown[] = objects.filter((o) => !o.hasSyntaxErrors).map(withNamespace);
  if (options.includeBuiltins) {
    const have = new Set(objects.map((o) => `${o.kind}/${o.namespace}/${o.name}`));
    for (const b of builtinClusterObjects(options.profile)) {
      if (!isRecord(b) || !isRecord(b.metadata)) continue;
      const key = `${String(b.kind)}/${String(b.metadata.namespace ?? '')}/${String(b.metadata.name)}`;
      if (!have.has(key)) raw.push(b);
    }
  }
  const cluster = simulateCluster(raw, { profile: options.profile, defaultNamespace: options.defaultNamespace });
  if (!options.servicesAsWritten) return cluster;
  const written = new Map(objects.filter((o) => o.kind === 'Service').map((o) => [`${o.namespace}/${o.name}`, withNamespace(o) as V1Service]));
  return {
    ...cluster,
    services: cluster.services.map((s) => ({ ...s, service: written.get(`${s.ref.namespace}/${s.ref.name}`) ?? s.service, allocatedClusterIP: false })),
  };
}

/** NetworkPolicy analysis input over the simulated pods (namespaces carry `kubernetes.io/metadata.name`). */
export function networkPolicyInputOf(cluster: SimulatedCluster, objects: readonly K8sObject[]): NetworkPolicyInput {
  const namespaceLabels = new Map<string, Readonly<Record<string, string>>>();
  for (const o of objects) if (o.kind === 'Namespace' && o.group === '') namespaceLabels.set(o.name, o.labels);
  for (const p of cluster.pods) if (!namespaceLabels.has(p.ref.namespace)) namespaceLabels.set(p.ref.namespace, {});
  const pods = cluster.pods.map((p) => ({
    namespace: p.ref.namespace,
    name: p.ref.name,
    labels: p.pod.metadata?.labels ?? {},
    ips: [...p.podIPs],
    ports: netpolContainerPorts(containerPortsOf(p.pod.spec)),
  }));
  const policies = objects
    .filter((o) => o.kind === 'NetworkPolicy' && !o.hasSyntaxErrors)
    .map((o) => ({ ...o.raw, metadata: { ...(isRecord(o.raw.metadata) ? o.raw.metadata : {}), namespace: o.namespace } }) as V1NetworkPolicy);
  return { namespaces: [...namespaceLabels.entries()].map(([name, labels]) => ({ name, labels })), pods, policies };
}

function withNamespace(o: K8sObject): unknown {
  if (o.clusterScoped || o.namespaceExplicit) return o.raw;
  const metadata = isRecord(o.raw.metadata) ? o.raw.metadata : {};
  return { ...o.raw, metadata: { ...metadata, namespace: o.namespace } };
}
