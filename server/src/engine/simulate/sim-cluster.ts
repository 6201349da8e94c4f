// The simulated cluster in one call: Services as stored (cluster-ip.ts), pods (pods.ts),
// EndpointSlices (endpoint-slices.ts), and the DNS view of them (semantics/dns.ts), for a
// list of plain objects and a cluster profile.
//
// Owns: the order of the steps and what each step sees (the EndpointSlice controller knows the
// profile's nodes plus any Node objects in the input), the kubelet DNS settings a profile
// implies, and `builtinClusterObjects`, the objects every fresh cluster already has (the
// `default/kubernetes` Service with its slice, and kube-dns with its CoreDNS Deployment) for
// callers that want them in the picture.
// Invariants: pure; deterministic for a given input set regardless of input order.

import type { V1EndpointSlice, V1Job, V1Pod, V1ReplicaSet, V1Service } from '../model/k8s-types';
import type { ClusterProfile, ProfileNode } from './profile';
import { allocateServices, type AllocatedService } from './cluster-ip';
import { canonicalJson } from './pods';
import { fakeUid, nameSuffix, templateHash } from './sim-hash';
import { cidrAddress, formatIP, parseCIDR } from './sim-ip';
import { simulatePods, type SimPod } from './pods';
import { simulateEndpointSlices, type KnownNode, type SimEndpointSlice } from './endpoint-slices';
import { compareProblems, type SimProblem } from './sim-problem';
import { dnsRecords, podDNS, type DnsRecord, type KubeletDNSConfig, type PodDNSResult } from '../semantics/dns';
import { isRecord } from '../model/object';

export interface SimulateClusterOptions {
  readonly profile: ClusterProfile;
  readonly defaultNamespace?: string;
}

export interface SimulatedCluster {
  readonly profile: ClusterProfile;
  readonly services: readonly AllocatedService[];
  readonly pods: readonly SimPod[];
  readonly replicaSets: readonly V1ReplicaSet[];
  readonly jobs: readonly V1Job[];
  readonly endpointSlices: readonly SimEndpointSlice[];
  readonly problems: readonly SimProblem[];
}

/** Runs the simulated control plane over `objects` (see the file header). */
export function simulateCluster(objects: readonly unknown[], options: SimulateClusterOptions): SimulatedCluster {
  const { profile } = options;
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const services = allocateServices(objects, { profile, defaultNamespace });
  const pods = simulatePods(objects, { profile, defaultNamespace });
  const slices = simulateEndpointSlices(
    services.services.map((s) => s.service),
    pods.pods.map((p) => p.pod),
    objects,
    { nodes: knownNodes(objects, profile), maxEndpointsPerSlice: profile.maxEndpointsPerSlice, defaultNamespace },
  );
  return {
    profile,
    services: services.services,
    pods: pods.pods,
    replicaSets: pods.replicaSets,
    jobs: pods.jobs,
    endpointSlices: slices.slices,
    problems: [...services.problems, ...pods.problems, ...slices.problems].sort(compareProblems),
  };
}

/** Every record the cluster DNS serves for the simulated cluster. */
export function clusterDnsRecords(cluster: SimulatedCluster): DnsRecord[] {
  return dnsRecords({
    clusterDomain: cluster.profile.clusterDomain,
    services: cluster.services.map((s): V1Service => s.service),
    endpointSlices: cluster.endpointSlices.map((s): V1EndpointSlice => s.slice),
    pods: cluster.pods.map((p): V1Pod => p.pod),
  });
}

/** The kubelet DNS settings of a profile node (default: the first node). */
export function kubeletDNSConfig(profile: ClusterProfile, nodeName?: string): KubeletDNSConfig {
  const node = profile.nodes.find((n) => n.name === nodeName) ?? profile.nodes[0];
  return {
    clusterDomain: profile.clusterDomain,
    resolvConf: profile.kubelet.resolvConf,
    clusterDNS: profile.kubelet.clusterDNS,
    expandedDNSConfig: profile.kubelet.expandedDNSConfig,
    nodeIPs: node?.internalIPs ?? [],
  };
}

/** A simulated pod's resolv.conf, from the kubelet of its node. */
export function podResolvConf(profile: ClusterProfile, pod: SimPod): PodDNSResult {
  const spec = pod.pod.spec;
  return podDNS(kubeletDNSConfig(profile, pod.nodeName), {
    namespace: pod.ref.namespace,
    dnsPolicy: typeof spec?.dnsPolicy === 'string' ? spec.dnsPolicy : undefined,
    hostNetwork: spec?.hostNetwork === true,
    dnsConfig: spec?.dnsConfig ?? undefined,
  });
}

/** Profile nodes plus the Node objects of the input (name and labels). */
export function knownNodes(objects: readonly unknown[], profile: ClusterProfile): KnownNode[] {
  const out = new Map<string, KnownNode>(profile.nodes.map((n) => [n.name, { name: n.name, labels: n.labels }]));
  for (const o of objects) {
    if (!isRecord(o) || o.kind !== 'Node' || !isRecord(o.metadata) || typeof o.metadata.name !== 'string') continue;
    if (out.has(o.metadata.name)) continue;
    const labels: Record<string, string> = {};
    if (isRecord(o.metadata.labels)) for (const [k, v] of Object.entries(o.metadata.labels)) if (typeof v === 'string') labels[k] = v;
    out.set(o.metadata.name, { name: o.metadata.name, labels });
  }
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * What a fresh cluster of this profile already runs, as plain objects (a kubeadm/kind cluster
 * right after creation):
 * - Service `default/kubernetes` (https 443 -> 6443) and its EndpointSlice with the
 *   control-plane nodes' addresses, as the API server maintains it;
 * - Service `kube-system/kube-dns` (dns 53/UDP, dns-tcp 53/TCP, metrics 9153/TCP) on the DNS
 *   service IP;
 * - the `coredns` Deployment behind it with its ReplicaSet and two Ready pods on the first
 *   control-plane node. They are the first pods on the pod network there, so they hold the
 *   node range's first two pod addresses (10.244.0.2 and 10.244.0.3 in kind), written as
 *   `status.podIP` so that the Deployment's simulated children are these.
 */
export function builtinClusterObjects(profile: ClusterProfile): unknown[] {
  const controlPlane = profile.nodes.filter((n) => 'node-role.kubernetes.io/control-plane' in n.labels);
  const apiServers = controlPlane.length > 0 ? controlPlane : profile.nodes.slice(0, 1);
  const familyOf = (ip: string) => (ip.includes(':') ? 'IPv6' : 'IPv4');
  const families = [...new Set(apiServers.flatMap((n) => n.internalIPs.map(familyOf)))];
  const kubernetesSlices = families.map((family) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: families.length > 1 ? `kubernetes-${family.toLowerCase()}` : 'kubernetes',
      namespace: 'default',
      labels: { 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io', 'kubernetes.io/service-name': 'kubernetes' },
    },
    addressType: family,
    endpoints: apiServers.flatMap((n) => n.internalIPs.filter((ip) => familyOf(ip) === family).map((ip) => ({
      addresses: [ip],
      conditions: { ready: true },
    }))),
    ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
  }));
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { type: 'ClusterIP', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
    },
    ...kubernetesSlices,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' } },
      spec: {
        clusterIP: profile.dnsServiceIP,
        selector: { 'k8s-app': 'kube-dns' },
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
      },
    },
    ...coreDNSObjects(apiServers[0]),
  ];
}

const COREDNS_TEMPLATE = {
  metadata: { labels: { 'k8s-app': 'kube-dns' } },
  spec: {
    dnsPolicy: 'Default',
    priorityClassName: 'system-cluster-critical',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    ],
    containers: [{
      name: 'coredns',
      image: 'registry.k8s.io/coredns/coredns',
      args: ['-conf', '/etc/coredns/Corefile'],
      ports: [
        { name: 'dns', containerPort: 53, protocol: 'UDP' },
        { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
        { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
      ],
    }],
  },
};

/** The coredns Deployment, its ReplicaSet and two pods with the node range's first addresses. */
function coreDNSObjects(node: ProfileNode | undefined): unknown[] {
  const hash = templateHash(canonicalJson(COREDNS_TEMPLATE));
  const rsName = `coredns-${hash}`;
  const deploymentUid = fakeUid('Deployment/kube-system/coredns');
  const rsUid = fakeUid(`ReplicaSet/kube-system/${rsName}`);
  const labels = { 'k8s-app': 'kube-dns', 'pod-template-hash': hash };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', uid: deploymentUid, labels: { 'k8s-app': 'kube-dns' } },
    spec: { replicas: 2, selector: { matchLabels: { 'k8s-app': 'kube-dns' } }, template: COREDNS_TEMPLATE },
  };
  const replicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: rsName,
      namespace: 'kube-system',
      uid: rsUid,
      labels,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'coredns', uid: deploymentUid, controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas: 2, selector: { matchLabels: labels }, template: { ...COREDNS_TEMPLATE, metadata: { labels } } },
  };
  if (node === undefined) return [deployment];
  const pods = [2n, 3n].map((offset, i) => {
    const podIPs = node.podCIDRs.flatMap((c) => {
      const cidr = parseCIDR(c);
      return cidr === undefined ? [] : [formatIP(cidrAddress(cidr, offset))];
    });
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${rsName}-${nameSuffix(`kube-system/${rsName}/${i}`)}`,
        namespace: 'kube-system',
        labels,
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: rsUid, controller: true, blockOwnerDeletion: true }],
      },
      spec: { ...COREDNS_TEMPLATE.spec, nodeName: node.name },
      status: {
        phase: 'Running',
        podIP: podIPs[0],
        podIPs: podIPs.map((ip) => ({ ip })),
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    };
  });
  return [deployment, replicaSet, ...pods];
}

