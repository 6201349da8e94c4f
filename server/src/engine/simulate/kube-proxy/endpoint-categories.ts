// Which endpoints of a service port a node uses, shared by every proxier mode: the traffic
// policy predicates of spec kube-proxy.md section 2 and `categorizeEndpoints` (section 3,
// "Choosing endpoints"), including topology hints and the terminating-endpoint fallback.
// Pure; the reachable list is sorted by endpoint text.
import type { KubeProxyEndpoint, KubeProxyServicePort } from './model';
import type { KubeProxyOptions } from './options';
import { compareText } from '../../text/compare';

/** nodePort, an LB VIP or an externalIP exists. */
export function isExternallyAccessible(sp: KubeProxyServicePort): boolean {
  return sp.nodePort !== 0 || sp.loadBalancerVIPs.length > 0 || sp.externalIPs.length > 0;
}

/** Internal traffic uses Cluster policy, or external traffic exists (always short-circuits). */
export function usesClusterEndpoints(sp: KubeProxyServicePort): boolean {
  return !sp.internalPolicyLocal || isExternallyAccessible(sp);
}

/** Internal traffic uses Local policy, or external traffic exists with Local policy. */
export function usesLocalEndpoints(sp: KubeProxyServicePort): boolean {
  return sp.internalPolicyLocal || (sp.externalPolicyLocal && isExternallyAccessible(sp));
}

// ---------------------------------------------------------------------------------------------
// Endpoint categorisation (spec section 3, "Choosing endpoints")

export interface EndpointCategories {
  /** Usable Cluster-policy endpoints (topology-filtered); empty if Cluster policy is unused. */
  readonly clusterEndpoints: readonly KubeProxyEndpoint[];
  /** Usable Local-policy endpoints; empty if Local policy is unused. */
  readonly localEndpoints: readonly KubeProxyEndpoint[];
  /** Endpoints this node may send to (each gets a per-endpoint chain), sorted by `endpoint`. */
  readonly allReachableEndpoints: readonly KubeProxyEndpoint[];
  /** Some usable endpoint exists anywhere in the cluster. */
  readonly hasAnyEndpoints: boolean;
}

/**
 * Chooses the endpoints of one service port, the same way for every proxier mode:
 * - cluster list (if Cluster policy is used): ready endpoints, restricted to the node's zone
 *   (or node) when topology hints apply; else serving-and-terminating endpoints anywhere;
 * - local list (if Local policy is used): local ready endpoints; else local
 *   serving-and-terminating endpoints;
 * - `hasAnyEndpoints`: the cluster list is non-empty, or (Local policy used) any ready or
 *   serving-and-terminating endpoint exists;
 * - reachable: the cluster list, the local list, or their union when both are used and
 *   topology or the local terminating fallback made them diverge.
 */
export function categorizeEndpoints(sp: KubeProxyServicePort, options: KubeProxyOptions): EndpointCategories {
  const endpoints = sp.endpoints;
  let clusterEndpoints: readonly KubeProxyEndpoint[] = [];
  let localEndpoints: readonly KubeProxyEndpoint[] = [];
  let hasAnyEndpoints = false;
  let topologyMode: TopologyMode = 'none';
  let usesLocalTerminating = false;
  if (endpoints.length === 0) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: [], hasAnyEndpoints };
  }
  const zone = options.nodeLabels['topology.kubernetes.io/zone'] ?? '';
  const useCluster = usesClusterEndpoints(sp);
  if (useCluster) {
    topologyMode = topologyModeFromHints(endpoints, options, zone);
    clusterEndpoints = endpoints.filter((ep) => ep.ready && availableForTopology(ep, topologyMode, options.nodeName, zone));
    if (clusterEndpoints.length === 0) clusterEndpoints = endpoints.filter((ep) => ep.serving && ep.terminating);
    if (clusterEndpoints.length > 0) hasAnyEndpoints = true;
  }
  if (!usesLocalEndpoints(sp)) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: clusterEndpoints, hasAnyEndpoints };
  }
  let hasLocalReady = false;
  let hasLocalServingTerminating = false;
  for (const ep of endpoints) {
    if (ep.ready) {
      hasAnyEndpoints = true;
      if (ep.isLocal) hasLocalReady = true;
    } else if (ep.serving && ep.terminating) {
      hasAnyEndpoints = true;
      if (ep.isLocal) hasLocalServingTerminating = true;
    }
  }
  if (hasLocalReady) {
    localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.ready);
  } else if (hasLocalServingTerminating) {
    usesLocalTerminating = true;
    localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.serving && ep.terminating);
  }
  if (!useCluster) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: localEndpoints, hasAnyEndpoints };
  }
  if (topologyMode === 'none' && !usesLocalTerminating) {
    // Local ready endpoints are then a subset of the (unfiltered) cluster list.
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: clusterEndpoints, hasAnyEndpoints };
  }
  const union = new Map<string, KubeProxyEndpoint>();
  for (const ep of clusterEndpoints) union.set(ep.endpoint, ep);
  for (const ep of localEndpoints) union.set(ep.endpoint, ep);
  const allReachableEndpoints = [...union.values()].sort((a, b) => compareText(a.endpoint, b.endpoint));
  return { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints };
}

/** Where internal and external traffic of a service port can go, after traffic policy. */
export interface TrafficEndpoints {
  readonly hasInternalEndpoints: boolean;
  readonly hasExternalEndpoints: boolean;
}

/**
 * Whether each kind of traffic of a service port has an endpoint to go to (spec section 5.3
 * "Decisions", the same in every mode):
 * - internal (ClusterIP) traffic: some usable endpoint exists, and with internalTrafficPolicy
 *   Local one of them is local;
 * - external traffic (externalIPs, LoadBalancer VIPs, NodePorts): the same with
 *   externalTrafficPolicy.
 * Each mode decides itself what happens to traffic without endpoints (reject or drop).
 */
export function trafficEndpoints(sp: KubeProxyServicePort, categories: EndpointCategories): TrafficEndpoints {
  const hasLocal = categories.localEndpoints.length > 0;
  return {
    hasInternalEndpoints: categories.hasAnyEndpoints && !(sp.internalPolicyLocal && !hasLocal),
    hasExternalEndpoints: categories.hasAnyEndpoints && !(sp.externalPolicyLocal && !hasLocal),
  };
}

type TopologyMode = 'none' | 'PreferSameZone' | 'PreferSameNode';

/**
 * Topology hints apply only when every ready endpoint carries them and one names this node
 * (PreferSameNode, behind the PreferSameTrafficDistribution gate) or this node's zone.
 */
function topologyModeFromHints(endpoints: readonly KubeProxyEndpoint[], options: KubeProxyOptions, zone: string): TopologyMode {
  let hasReady = false;
  let allNodeHints = true;
  let hasForNode = false;
  let allZoneHints = true;
  let hasForZone = false;
  for (const ep of endpoints) {
    if (!ep.ready) continue;
    hasReady = true;
    if (ep.nodeHints.length === 0) allNodeHints = false;
    else if (ep.nodeHints.includes(options.nodeName)) hasForNode = true;
    if (ep.zoneHints.length === 0) allZoneHints = false;
    else if (ep.zoneHints.includes(zone)) hasForZone = true;
  }
  if (!hasReady) return 'none';
  if (options.featureGates.PreferSameTrafficDistribution === true && allNodeHints && hasForNode) return 'PreferSameNode';
  if (allZoneHints && hasForZone) return 'PreferSameZone';
  return 'none';
}

function availableForTopology(ep: KubeProxyEndpoint, mode: TopologyMode, nodeName: string, zone: string): boolean {
  switch (mode) {
    case 'none':
      return true;
    case 'PreferSameNode':
      return ep.nodeHints.includes(nodeName);
    case 'PreferSameZone':
      return ep.zoneHints.includes(zone);
  }
}

