// Defaults of the cluster profile: a fresh kind cluster (one control-plane node, two
// workers), with kind's address plan (service CIDR 10.96.0.0/16, pod CIDR 10.244.0.0/16, one
// /24 per node, nodes on the 172.18.0.0/16 Docker network) and the labels and taint the
// kubelet and kubeadm put on such nodes.
// Owns: `DEFAULT_PROFILE` and the well-known node label keys. Data only.

import type { ClusterProfile, KubeProxyMode, NodeTaint, ProfileNode, TaintEffect } from './profile';
import { ipFamilyOf } from './sim-ip';

export const TAINT_EFFECTS: readonly TaintEffect[] = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];
export const KUBE_PROXY_MODES: readonly KubeProxyMode[] = ['iptables', 'ipvs', 'nftables'];

export const CONTROL_PLANE_TAINT: NodeTaint = {
  key: 'node-role.kubernetes.io/control-plane',
  value: '',
  effect: 'NoSchedule',
};

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';
export const LABEL_OS = 'kubernetes.io/os';
export const LABEL_ARCH = 'kubernetes.io/arch';

/** The default profile: a fresh kind cluster with one control-plane node and two workers. */
export const DEFAULT_PROFILE: ClusterProfile = Object.freeze<ClusterProfile>({
  clusterDomain: 'cluster.local',
  serviceCIDRs: ['10.96.0.0/16'],
  podCIDRs: ['10.244.0.0/16'],
  dnsServiceIP: '10.96.0.10',
  serviceNodePortRange: { min: 30000, max: 32767 },
  maxEndpointsPerSlice: 100,
  nodes: [
    kindNode('kind-control-plane', '172.18.0.2', '10.244.0.0/24', true),
    kindNode('kind-worker', '172.18.0.3', '10.244.1.0/24', false),
    kindNode('kind-worker2', '172.18.0.4', '10.244.2.0/24', false),
  ],
  kubelet: { resolvConf: 'nameserver 172.18.0.1\n', clusterDNS: ['10.96.0.10'], expandedDNSConfig: true },
  kubeProxy: {
    mode: 'iptables',
    node: 'kind-control-plane',
    ipFamily: 'IPv4',
    localDetector: { mode: 'ClusterCIDR', clusterCIDR: '10.244.0.0/16' },
    masqueradeAll: false,
    masqueradeMark: '0x4000',
    localhostNodePorts: true,
    nodePortAddresses: null,
    iptablesHasRandomFully: true,
    conntrackTCPLiberal: false,
    nfacctCounters: {},
    featureGates: {},
  },
});

function kindNode(name: string, ip: string, podCIDR: string, controlPlane: boolean): ProfileNode {
  const labels: Record<string, string> = {
    [LABEL_ARCH]: 'amd64',
    [LABEL_HOSTNAME]: name,
    [LABEL_OS]: 'linux',
  };
  if (controlPlane) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  return {
    name,
    internalIP: ip,
    internalIPs: [ip],
    podCIDR,
    podCIDRs: [podCIDR],
    labels: sortedRecord(labels),
    taints: controlPlane ? [CONTROL_PLANE_TAINT] : [],
    hostInterfaces: defaultHostInterfaces([ip]),
  };
}

/** `lo` with both loopbacks, `eth0` with the node addresses on a /16 (IPv4) or /64 (IPv6). */
export function defaultHostInterfaces(internalIPs: readonly string[]): Record<string, string[]> {
  return {
    eth0: internalIPs.map((ip) => `${ip}/${ipFamilyOf(ip) === 'IPv6' ? 64 : 16}`),
    lo: ['127.0.0.1/8', '::1/128'],
  };
}

export function sortedRecord<T>(r: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k];
  return out;
}
