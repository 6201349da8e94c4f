// The EndpointSlice controller of the simulated cluster (spec semantics.md (d)): for each
// Service with a selector, the slices the controller would write for the pods it selects.
//
// Owns:
// - which Services get managed slices: a non-empty `spec.selector`, not ExternalName, and no
//   slice for it already in the input (a dump of a live cluster keeps its slices as they are);
// - which pods: same namespace, labels matching the selector (labels/selector.ts; candidates
//   from label posting lists, index/label-index.ts), not Succeeded/Failed, with an IP, on a node
//   the cluster knows (unknown nodes are skipped unless `publishNotReadyAddresses`, d.1);
// - one endpoint per pod (d.2): `serving` = Ready condition, `terminating` = deletionTimestamp,
//   `ready` = publishNotReadyAddresses OR (serving AND NOT terminating), the pod's addresses of
//   the slice's family, targetRef, nodeName, zone from the node's
//   `topology.kubernetes.io/zone` label, hostname only when `spec.hostname` is set and
//   `spec.subdomain` is the Service's name;
// - ports per pod: each Service port with `targetPort` resolved for that pod (b.4, through
//   semantics/ports.ts); a name the pod does not declare drops that port for that pod only;
// - grouping (d.3): one set per address family of `spec.ipFamilies` (else the ClusterIP's
//   family, both for headless), endpoints grouped by identical port lists, at most
//   `maxEndpointsPerSlice` per slice, one empty placeholder slice per family without
//   endpoints; names `<service>-<5 chars>` (deterministic), labels of the Service plus
//   `kubernetes.io/service-name`, `endpointslice.kubernetes.io/managed-by` and, for headless
//   Services, `service.kubernetes.io/headless`.
// Deliberately absent: topology hints / trafficDistribution, the trigger-time annotation
// (needs a clock), the controller's packing of slices across updates (we always build fresh).
// Invariants: pure; never throws on malformed objects; output sorted by (namespace, name).

import type { DiscoveryV1EndpointPort, V1Endpoint, V1EndpointSlice, V1Pod, V1PodCondition, V1Service } from '../model/k8s-types';
import { groupOf, type ObjectRef } from '../model/ref';
import { isServiceSelectorUnmanaged, matches, serviceSelector, type Selector } from '../labels/selector';
import { LabelIndex } from '../index/label-index';
import type { SimProblem } from './sim-problem';
import { compareProblems } from './sim-problem';
import { fakeUid, nameSuffix } from './sim-hash';
import { canonicalIP, ipFamilyOf, type IPFamily } from './sim-ip';
import { containerPortsOf } from '../model/pod-template';
import { portProtocol, targetPortOn } from '../semantics/ports';
import { isRecord } from '../model/object';
import { compareText } from '../text/compare';

export interface KnownNode {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface EndpointSliceOptions {
  /** Nodes the controller can look up (profile nodes plus Node objects of the input). */
  readonly nodes: readonly KnownNode[];
  /** kube-controller-manager `--max-endpoints-per-slice` (default 100). */
  readonly maxEndpointsPerSlice?: number;
  readonly defaultNamespace?: string;
}

export interface SimEndpointSlice {
  readonly ref: ObjectRef;
  readonly slice: V1EndpointSlice;
  readonly origin: 'workspace' | 'simulated';
  /** The Service the slice belongs to (its `kubernetes.io/service-name` label). */
  readonly service: ObjectRef | undefined;
}

export interface SimulatedEndpointSlices {
  /** Input slices (kept) and generated ones, sorted by (namespace, name). */
  readonly slices: readonly SimEndpointSlice[];
  readonly problems: readonly SimProblem[];
}

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;
/** Generated names keep at most 58 characters of their prefix, leaving room for the suffix. */
const MAX_GENERATE_NAME_PREFIX = 58;

/**
 * The EndpointSlices of the cluster: those among `objects` (kept as they are) plus the ones the
 * controller writes for `services` (as stored, see cluster-ip.ts) and `pods` (see pods.ts).
 */
export function simulateEndpointSlices(
  services: readonly V1Service[], pods: readonly V1Pod[], objects: readonly unknown[], options: EndpointSliceOptions,
): SimulatedEndpointSlices {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const max = options.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE;
  const problems: SimProblem[] = [];
  const existing = objects.flatMap((o) => readExistingSlice(o, defaultNamespace));
  const covered = new Set(existing.flatMap((s) => (s.service ? [`${s.service.namespace}/${s.service.name}`] : [])));
  const nodes = new Map(options.nodes.map((n) => [n.name, n]));
  const index = indexPods(pods, defaultNamespace);
  const generated: SimEndpointSlice[] = [];
  for (const svc of services) {
    const name = str(svc?.metadata?.name);
    if (name === '') continue;
    const namespace = namespaceOf(svc.metadata?.namespace, defaultNamespace);
    if (covered.has(`${namespace}/${name}`)) continue;
    const spec = svc.spec ?? {};
    if (spec.type === 'ExternalName' || isServiceSelectorUnmanaged(spec.selector)) continue;
    const ref: ObjectRef = { kind: 'Service', group: '', namespace, name };
    const selector = serviceSelector(stringMap(spec.selector));
    generated.push(...slicesForService(svc, ref, selector, index.candidates(namespace, selector), nodes, max, problems));
  }
  const slices = [...existing, ...generated].sort((a, b) => compareText(`${a.ref.namespace}/${a.ref.name}`, `${b.ref.namespace}/${b.ref.name}`));
  return { slices, problems: problems.sort(compareProblems) };
}

/** The controller's output for one Service. */
function slicesForService(
  svc: V1Service, ref: ObjectRef, selector: Selector, candidates: Iterable<IndexedPod>, nodes: ReadonlyMap<string, KnownNode>, max: number, problems: SimProblem[],
): SimEndpointSlice[] {
  const spec = svc.spec!;
  const publishNotReady = spec.publishNotReadyAddresses === true;
  const servicePorts: Record<string, unknown>[] = Array.isArray(spec.ports) ? (spec.ports as unknown[]).filter(isRecord) : [];
  const unresolved = new Map<number, string[]>();
  // Endpoints per family, grouped by the text of their port list.
  const groups = new Map<IPFamily, Map<string, { ports: DiscoveryV1EndpointPort[]; endpoints: V1Endpoint[] }>>();
  const families = addressFamilies(svc);
  for (const family of families) groups.set(family, new Map());

  for (const { pod, labels } of candidates) {
    if (!matches(selector, labels)) continue;
    if (!shouldBeInEndpoints(pod)) continue;
    const nodeName = str(pod.spec?.nodeName);
    const node = nodes.get(nodeName);
    if (node === undefined && !publishNotReady) {
      problems.push({ object: ref, message: `skipping Pod ${ref.namespace}/${str(pod.metadata?.name)}: Node ${nodeName === '' ? '(none)' : nodeName} Not Found` });
      continue;
    }
    const ports = endpointPorts(spec, servicePorts, pod, unresolved);
    const key = JSON.stringify(ports.map((p) => [p.name, p.port, p.protocol, p.appProtocol ?? null]));
    for (const family of families) {
      const addresses = podIPs(pod).filter((ip) => ipFamilyOf(ip) === family).map((ip) => (family === 'IPv6' ? canonicalIP(ip)! : ip));
      if (addresses.length === 0) continue;
      const group = groups.get(family)!;
      let entry = group.get(key);
      if (!entry) {
        entry = { ports, endpoints: [] };
        group.set(key, entry);
      }
      entry.endpoints.push(podToEndpoint(pod, svc, addresses, node, publishNotReady));
    }
  }
  for (const [index, pods] of [...unresolved].sort((a, b) => a[0] - b[0])) {
    const p = servicePorts[index];
    problems.push({
      object: ref,
      field: `spec.ports[${index}].targetPort`,
      message: `no container port named "${String(p.targetPort)}" with protocol ${portProtocol(p)} in ${pods.length === 1 ? 'pod' : 'pods'} ${pods.join(', ')}; their endpoints carry no port for it`,
    });
  }

  const out: SimEndpointSlice[] = [];
  for (const family of families) {
    const group = groups.get(family)!;
    const keys = [...group.keys()].sort(compareText);
    if (keys.length === 0) {
      out.push(makeSlice(svc, ref, family, [], [], `${family}/placeholder`));
      continue;
    }
    for (const key of keys) {
      const { ports, endpoints } = group.get(key)!;
      for (let i = 0; i < endpoints.length; i += max) {
        out.push(makeSlice(svc, ref, family, ports, endpoints.slice(i, i + max), `${family}/${key}/${i / max}`));
      }
    }
  }
  return out;
}

interface IndexedPod {
  readonly pod: V1Pod;
  readonly labels: Readonly<Record<string, string>>;
}

/** Pods per namespace with their label posting lists, added in name order (so candidates come in name order). */
function indexPods(pods: readonly V1Pod[], defaultNamespace: string): LabelIndex<IndexedPod> {
  const index = new LabelIndex<IndexedPod>();
  const sorted = [...pods].sort((a, b) => compareText(str(a?.metadata?.name), str(b?.metadata?.name)));
  for (const pod of sorted) {
    const indexed = { pod, labels: stringMap(pod?.metadata?.labels) };
    index.add(namespaceOf(pod?.metadata?.namespace, defaultNamespace), indexed.labels, indexed);
  }
  return index;
}

/**
 * The slice's families: `spec.ipFamilies` when written; else the family of the ClusterIP;
 * both for a headless Service without families.
 */
function addressFamilies(svc: V1Service): IPFamily[] {
  const spec = svc.spec ?? {};
  const declared = (Array.isArray(spec.ipFamilies) ? spec.ipFamilies : []).filter((f): f is IPFamily => f === 'IPv4' || f === 'IPv6');
  if (declared.length > 0) return [...new Set(declared)];
  const clusterIP = str(spec.clusterIP);
  if (clusterIP !== '' && clusterIP !== 'None') return [ipFamilyOf(clusterIP) === 'IPv6' ? 'IPv6' : 'IPv4'];
  return ['IPv4', 'IPv6'];
}

/** Not Succeeded/Failed and has an IP; terminating pods stay in. */
function shouldBeInEndpoints(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  return podIPs(pod).length > 0;
}

function podToEndpoint(pod: V1Pod, svc: V1Service, addresses: string[], node: KnownNode | undefined, publishNotReady: boolean): V1Endpoint {
  const serving = isPodReady(pod);
  const terminating = pod.metadata?.deletionTimestamp !== undefined && pod.metadata?.deletionTimestamp !== null;
  const ready = publishNotReady || (serving && !terminating);
  const name = str(pod.metadata?.name);
  const namespace = str(pod.metadata?.namespace);
  const endpoint: V1Endpoint = {
    addresses,
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace, name, uid: str(pod.metadata?.uid) || fakeUid(`Pod/${namespace}/${name}`) },
  };
  const nodeName = str(pod.spec?.nodeName);
  if (nodeName !== '') endpoint.nodeName = nodeName;
  const zone = node?.labels[LABEL_TOPOLOGY_ZONE];
  if (zone !== undefined && zone !== '') endpoint.zone = zone;
  const hostname = str(pod.spec?.hostname);
  if (hostname !== '' && str(pod.spec?.subdomain) === str(svc.metadata?.name)) endpoint.hostname = hostname;
  return endpoint;
}

/** One port per Service port the pod resolves; a headless Service without ports has none. */
function endpointPorts(
  spec: NonNullable<V1Service['spec']>, servicePorts: readonly Record<string, unknown>[], pod: V1Pod, unresolved: Map<number, string[]>,
): DiscoveryV1EndpointPort[] {
  const out: DiscoveryV1EndpointPort[] = [];
  if (servicePorts.length === 0 && spec.clusterIP === 'None') return out;
  const declared = containerPortsOf(pod.spec);
  servicePorts.forEach((sp, index) => {
    const port = targetPortOn(sp, declared);
    if (port === undefined) {
      const list = unresolved.get(index) ?? [];
      list.push(str(pod.metadata?.name));
      unresolved.set(index, list);
      return;
    }
    const ep: DiscoveryV1EndpointPort = { name: str(sp.name), port, protocol: portProtocol(sp) };
    if (typeof sp.appProtocol === 'string') ep.appProtocol = sp.appProtocol;
    out.push(ep);
  });
  return out;
}

function makeSlice(
  svc: V1Service, ref: ObjectRef, family: IPFamily, ports: DiscoveryV1EndpointPort[], endpoints: V1Endpoint[], seed: string,
): SimEndpointSlice {
  const prefix = `${ref.name}-`.slice(0, MAX_GENERATE_NAME_PREFIX);
  const name = `${prefix}${nameSuffix(`${ref.namespace}/${ref.name}/${seed}`)}`;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(stringMap(svc.metadata?.labels))) {
    if (k !== LABEL_SERVICE_NAME && k !== LABEL_MANAGED_BY && k !== LABEL_HEADLESS) labels[k] = v;
  }
  const clusterIP = str(svc.spec?.clusterIP);
  if (clusterIP === '' || clusterIP === 'None') labels[LABEL_HEADLESS] = '';
  labels[LABEL_SERVICE_NAME] = ref.name;
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  const slice: V1EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name,
      namespace: ref.namespace,
      generateName: prefix,
      uid: fakeUid(`EndpointSlice/${ref.namespace}/${name}`),
      labels: sortedRecord(labels),
      ownerReferences: [{
        apiVersion: 'v1',
        kind: 'Service',
        name: ref.name,
        uid: str(svc.metadata?.uid) || fakeUid(`Service/${ref.namespace}/${ref.name}`),
        controller: true,
        blockOwnerDeletion: true,
      }],
    },
    addressType: family,
    endpoints,
    ports,
  };
  return {
    ref: { kind: 'EndpointSlice', group: 'discovery.k8s.io', namespace: ref.namespace, name },
    slice,
    origin: 'simulated',
    service: ref,
  };
}

function readExistingSlice(o: unknown, defaultNamespace: string): SimEndpointSlice[] {
  if (!isRecord(o) || o.kind !== 'EndpointSlice') return [];
  const metadata = isRecord(o.metadata) ? o.metadata : {};
  if (typeof metadata.name !== 'string' || metadata.name === '') return [];
  const namespace = namespaceOf(metadata.namespace, defaultNamespace);
  const serviceName = stringMap(metadata.labels)[LABEL_SERVICE_NAME];
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : 'discovery.k8s.io/v1';
  return [{
    ref: { kind: 'EndpointSlice', group: groupOf(apiVersion), namespace, name: metadata.name },
    slice: { ...(o as unknown as V1EndpointSlice), metadata: { ...metadata, name: metadata.name, namespace } },
    origin: 'workspace',
    service: serviceName === undefined || serviceName === '' ? undefined : { kind: 'Service', group: '', namespace, name: serviceName },
  }];
}

function isPodReady(pod: V1Pod): boolean {
  const conditions = Array.isArray(pod.status?.conditions) ? pod.status!.conditions : [];
  return conditions.some((c: V1PodCondition) => isRecord(c) && c.type === 'Ready' && c.status === 'True');
}

function podIPs(pod: V1Pod): string[] {
  const list = Array.isArray(pod?.status?.podIPs) ? pod.status!.podIPs.map((p) => str(p?.ip)).filter((ip) => ip !== '') : [];
  if (list.length > 0) return list;
  const single = str(pod?.status?.podIP);
  return single === '' ? [] : [single];
}

function namespaceOf(ns: unknown, fallback: string): string {
  return typeof ns === 'string' && ns !== '' ? ns : fallback;
}

function stringMap(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k];
  return out;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

