// The simulated cluster behind the topology view: the workspace's objects plus the objects every
// fresh cluster runs (the `kubernetes` and `kube-dns` Services, CoreDNS), through the simulator's
// control plane (simulate/workspace-simulation.ts): Services with ClusterIPs and NodePorts, pods
// placed and addressed, EndpointSlices. The view draws only workspace objects; the built-ins still
// shape kube-proxy rules and DNS, as they would in a real cluster.
// This is the one place the topology asks for a simulation, so the rules pane, the trace and the
// graph always agree on addresses and names.
import type { V1EndpointSlice, V1Service } from '../model/k8s-types';
import type { Workspace } from '../workspace';
import type { ClusterProfile } from '../simulate/profile';
import type { SimPod } from '../simulate/pods';
import type { AllocatedService } from '../simulate/cluster-ip';
import type { SimProblem } from '../simulate/sim-problem';
import { simulateWorkspace } from '../simulate/workspace-simulation';
import type { SimulatedCluster } from '../simulate/sim-cluster';

export interface TopologySimulation {
  readonly profile: ClusterProfile;
  /** Sorted by (namespace, name). */
  readonly pods: readonly SimPod[];
  readonly services: readonly AllocatedService[];
  readonly endpointSlices: readonly V1EndpointSlice[];
  readonly problems: readonly SimProblem[];
}

/** The simulated cluster of the workspace (with the built-in objects), as the topology sees it. */
export function simulateForTopology(workspace: Workspace, profile: ClusterProfile): TopologySimulation {
  const cluster = simulateWorkspace(workspace.objects(), { profile, defaultNamespace: workspace.getOptions().defaultNamespace, includeBuiltins: true });
  return topologySimulationOf(cluster);
}

/** The topology's view of a simulation an adapter already ran. */
export function topologySimulationOf(cluster: SimulatedCluster): TopologySimulation {
  return {
    profile: cluster.profile,
    pods: cluster.pods,
    services: cluster.services,
    endpointSlices: cluster.endpointSlices.map((s) => s.slice),
    problems: cluster.problems,
  };
}

export function isHeadlessService(service: V1Service): boolean {
  return service.spec?.clusterIP === 'None';
}
