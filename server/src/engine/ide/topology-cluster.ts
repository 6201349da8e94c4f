// The simulated cluster behind the topology view: pods (simulate/pods.ts), Services with their
// ClusterIPs and NodePorts (simulate/cluster-ip.ts) and the EndpointSlices that join them.
//
// SEAM: `simulateForTopology` is the one place the topology asks for a simulation. When the
// simulator façade `simulate/cluster.ts` (`simulateCluster`) exists, this function becomes a thin
// call to it and `endpointSlicesStandIn` below is deleted; nothing else in the topology changes.
// Until then the EndpointSlices come from the stand-in, which follows spec semantics.md (d):
// Services with a non-empty selector, same-namespace pods with an address, one endpoint per pod,
// ports resolved per pod (b.4 FindPort: containers first, then sidecar init containers, by name
// and protocol), endpoints grouped by their port list, at most `maxEndpointsPerSlice` per slice.
// Invariants: pure, never throws on malformed objects, output sorted by (namespace, name).
import type { V1EndpointSlice, V1Pod, V1Service } from '../model/k8s-types';
import type { K8sObject } from '../model/object';
import type { ClusterProfile } from '../simulate/profile';
import { simulatePods, type SimPod } from '../simulate/pods';
import { allocateServices, type AllocatedService } from '../simulate/cluster-ip';
import type { SimProblem } from '../simulate/sim-problem';
import { ipFamilyOf } from '../simulate/sim-ip';
import { matches, serviceSelector } from '../labels/selector';

export interface TopologySimulation {
  readonly profile: ClusterProfile;
  /** Sorted by (namespace, name). */
  readonly pods: readonly SimPod[];
  readonly services: readonly AllocatedService[];
  readonly endpointSlices: readonly V1EndpointSlice[];
  readonly problems: readonly SimProblem[];
}

export interface SimulateForTopologyOptions {
  readonly profile: ClusterProfile;
  readonly defaultNamespace: string;
}

/** Simulates the cluster the workspace objects would make (see the SEAM note above). */
export function simulateForTopology(objects: readonly K8sObject[], options: SimulateForTopologyOptions): TopologySimulation {
  const raws = objects.map((o) => o.raw);
  const pods = simulatePods(raws, { profile: options.profile, defaultNamespace: options.defaultNamespace });
  const services = allocateServices(raws, { profile: options.profile, defaultNamespace: options.defaultNamespace });
  const userSlices = objects.filter((o) => o.kind === 'EndpointSlice').map((o) => o.raw as unknown as V1EndpointSlice);
  return {
    profile: options.profile,
    pods: pods.pods,
    services: services.services,
    endpointSlices: [...endpointSlicesStandIn(services.services, pods.pods, options.profile.maxEndpointsPerSlice), ...userSlices],
    problems: [...pods.problems, ...services.problems],
  };
}

interface PortSpec {
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
}

/** Controller-managed EndpointSlices for the Services with a selector (spec d.1-d.3). */
export function endpointSlicesStandIn(services: readonly AllocatedService[], pods: readonly SimPod[], maxPerSlice: number): V1EndpointSlice[] {
  const byNamespace = new Map<string, SimPod[]>();
  for (const p of pods) {
    const list = byNamespace.get(p.ref.namespace) ?? [];
    list.push(p);
    byNamespace.set(p.ref.namespace, list);
  }
  const labelIndex = new Map<string, Map<string, SimPod[]>>();
  const postings = (namespace: string, key: string, value: string): SimPod[] => {
    let ns = labelIndex.get(namespace);
    if (!ns) {
      ns = new Map();
      for (const p of byNamespace.get(namespace) ?? []) {
        for (const [k, v] of Object.entries(p.pod.metadata?.labels ?? {})) {
          const entry = `${k}=${v}`;
          const list = ns.get(entry) ?? [];
          list.push(p);
          ns.set(entry, list);
        }
      }
      labelIndex.set(namespace, ns);
    }
    return ns.get(`${key}=${value}`) ?? [];
  };
  const out: V1EndpointSlice[] = [];
  const limit = Math.max(1, maxPerSlice);
  for (const { ref, service } of services) {
    const selectorMap = service.spec?.selector;
    const selector = serviceSelector(selectorMap);
    if (selector.kind === 'nothing' || !selectorMap) continue;
    // Start from the smallest posting list of the selector's pairs, then test the rest.
    let candidates: SimPod[] | undefined;
    for (const [k, v] of Object.entries(selectorMap)) {
      const list = postings(ref.namespace, k, String(v));
      if (!candidates || list.length < candidates.length) candidates = list;
    }
    const selected = (candidates ?? []).filter((p) => p.podIPs.length > 0 && matches(selector, p.pod.metadata?.labels ?? {}));
    const families = serviceFamilies(service);
    const servicePorts: PortSpec[] = (service.spec?.ports ?? []).map((p) => ({
      name: p?.name ?? '',
      port: typeof p?.port === 'number' ? p.port : 0,
      protocol: p?.protocol ?? 'TCP',
    }));
    for (const family of families) {
      const groups = new Map<string, { ports: { name: string; port: number; protocol: string }[]; endpoints: NonNullable<V1EndpointSlice['endpoints']> }>();
      for (const p of selected) {
        const address = p.podIPs.find((ip) => ipFamilyOf(ip) === family);
        if (address === undefined) continue;
        const ports: { name: string; port: number; protocol: string }[] = [];
        (service.spec?.ports ?? []).forEach((sp, i) => {
          const resolved = findPort(p.pod, sp?.targetPort ?? servicePorts[i].port, servicePorts[i].protocol);
          if (resolved !== undefined) ports.push({ name: servicePorts[i].name, port: resolved, protocol: servicePorts[i].protocol });
        });
        const key = JSON.stringify(ports);
        const group = groups.get(key) ?? { ports, endpoints: [] };
        const serving = p.ready;
        const hostname = p.pod.spec?.hostname && p.pod.spec?.subdomain === ref.name ? p.pod.spec.hostname : undefined;
        group.endpoints.push({
          addresses: [address],
          conditions: { ready: serving && !p.terminating, serving, terminating: p.terminating },
          ...(hostname ? { hostname } : {}),
          ...(p.nodeName ? { nodeName: p.nodeName } : {}),
          targetRef: { kind: 'Pod', namespace: p.ref.namespace, name: p.ref.name },
        });
        groups.set(key, group);
      }
      const labels: Record<string, string> = {
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
        'kubernetes.io/service-name': ref.name,
      };
      if (isHeadlessService(service)) labels['service.kubernetes.io/headless'] = '';
      let n = 0;
      const slice = (ports: PortSpec[], endpoints: NonNullable<V1EndpointSlice['endpoints']>): V1EndpointSlice => ({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: `${ref.name}-${family === 'IPv6' ? 'v6-' : ''}${n++}`, namespace: ref.namespace, labels },
        addressType: family,
        ports,
        endpoints,
      });
      if (groups.size === 0) out.push(slice([], []));
      for (const g of [...groups.values()]) {
        for (let i = 0; i < g.endpoints.length; i += limit) out.push(slice(g.ports, g.endpoints.slice(i, i + limit)));
      }
    }
  }
  return out;
}

/** Families of a stored Service: `ipFamilies`, else the ClusterIP's, else IPv4. */
function serviceFamilies(service: V1Service): ('IPv4' | 'IPv6')[] {
  const written = (service.spec?.ipFamilies ?? []).filter((f): f is 'IPv4' | 'IPv6' => f === 'IPv4' || f === 'IPv6');
  if (written.length > 0) return written;
  const ip = service.spec?.clusterIP;
  const family = ip && ip !== 'None' ? ipFamilyOf(ip) : undefined;
  return [family ?? 'IPv4'];
}

export function isHeadlessService(service: V1Service): boolean {
  return service.spec?.clusterIP === 'None';
}

/**
 * FindPort (spec b.4): a number is used as is; a name is looked up in the containers' ports,
 * then the sidecar init containers' ports, by name and protocol. Undefined when unresolved.
 */
export function findPort(pod: V1Pod, targetPort: number | string, protocol: string): number | undefined {
  if (typeof targetPort === 'number') return targetPort > 0 ? targetPort : undefined;
  if (/^\d+$/.test(targetPort)) return undefined;
  const spec = pod.spec;
  const sidecars = (spec?.initContainers ?? []).filter((c) => c?.restartPolicy === 'Always');
  for (const c of [...(spec?.containers ?? []), ...sidecars]) {
    for (const p of c?.ports ?? []) {
      if (p?.name === targetPort && (p.protocol ?? 'TCP') === protocol && typeof p.containerPort === 'number') return p.containerPort;
    }
  }
  return undefined;
}
