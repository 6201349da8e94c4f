// Pod templates: every workload kind exposes the pod template(s) it creates pods from, with the
// template's labels, containers and ports, and the workload's own selector. A bare Pod is its own template.
import type { V1PodSpec, V1LabelSelector } from './k8s-types';
import { getPath, isRecord, stringMap, type K8sObject, type Labels } from './object';
import { POD_TEMPLATE_PATHS } from './kinds';
import type { FieldPath } from '../syntax/parse';

export interface ContainerPortInfo {
  readonly container: string;
  /** Index path of the port within the object, for ranges: e.g. ['spec','template','spec','containers',0,'ports',1]. */
  readonly path: FieldPath;
  readonly name: string | undefined;
  readonly containerPort: number;
  readonly protocol: string;
  readonly initContainer: boolean;
}

export interface PodTemplate {
  /** The workload (or Pod) owning the template. */
  readonly owner: K8sObject;
  /** Path of the template in the owner ([] for a Pod). */
  readonly path: FieldPath;
  readonly labels: Labels;
  readonly spec: V1PodSpec;
  readonly ports: readonly ContainerPortInfo[];
}

/** The pod template of a workload, or undefined for kinds that have none. */
export function podTemplateOf(obj: K8sObject): PodTemplate | undefined {
  if (obj.kind === 'Pod') {
    const spec = isRecord(obj.raw.spec) ? obj.raw.spec : {};
    return { owner: obj, path: [], labels: obj.labels, spec: spec as unknown as V1PodSpec, ports: containerPortsOf(spec, ['spec']) };
  }
  const path = POD_TEMPLATE_PATHS[obj.kind];
  if (!path) return undefined;
  const template = getPath(obj.raw, path);
  if (!isRecord(template)) return undefined;
  const metadata = isRecord(template.metadata) ? template.metadata : {};
  const spec = isRecord(template.spec) ? template.spec : {};
  return { owner: obj, path, labels: stringMap(metadata.labels), spec: spec as unknown as V1PodSpec, ports: containerPortsOf(spec, [...path, 'spec']) };
}

/** The workload's own `spec.selector` (label selector form), when the kind has one. */
export function workloadSelectorOf(obj: K8sObject): { path: FieldPath; value: V1LabelSelector | null | undefined } | undefined {
  switch (obj.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
      return { path: ['spec', 'selector'], value: getPath(obj.raw, ['spec', 'selector']) as V1LabelSelector | null | undefined };
    case 'CronJob':
      return { path: ['spec', 'jobTemplate', 'spec', 'selector'], value: getPath(obj.raw, ['spec', 'jobTemplate', 'spec', 'selector']) as V1LabelSelector | null | undefined };
    default:
      return undefined;
  }
}

/**
 * The declared container ports of a pod spec in the order a port name is searched (spec b.4):
 * regular containers, then sidecar init containers (`restartPolicy: Always`), each in declaration
 * order; plain init containers are left out. `protocol` is defaulted to TCP (absent or "", b.1),
 * an empty `name` is no name, and a port without an integer `containerPort` is skipped. `specPath`
 * is where the spec sits in its object (for the ports' paths). Resolving a name or a Service
 * port's target over this list is `semantics/ports.ts`.
 */
export function containerPortsOf(spec: unknown, specPath: FieldPath = ['spec']): ContainerPortInfo[] {
  const out: ContainerPortInfo[] = [];
  if (!isRecord(spec)) return out;
  for (const [field, initContainer] of [['containers', false], ['initContainers', true]] as const) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, ci) => {
      // Init containers' ports matter only for restartable (sidecar) init containers.
      if (initContainer && isRecord(c) && c.restartPolicy !== 'Always') return;
      out.push(...portsOfContainer(c, [...specPath, field, ci], initContainer));
    });
  }
  return out;
}

/**
 * The declared ports of one container, in declaration order, decoded as `containerPortsOf` does.
 * `containerPath` is where the container sits in its object; `initContainer` says which list.
 */
export function portsOfContainer(container: unknown, containerPath: FieldPath, initContainer: boolean): ContainerPortInfo[] {
  if (!isRecord(container) || !Array.isArray(container.ports)) return [];
  const out: ContainerPortInfo[] = [];
  container.ports.forEach((p, pi) => {
    if (!isRecord(p)) return;
    const num = typeof p.containerPort === 'number' ? p.containerPort : Number(p.containerPort);
    if (!Number.isInteger(num)) return;
    out.push({
      container: typeof container.name === 'string' ? container.name : '',
      path: [...containerPath, 'ports', pi],
      name: typeof p.name === 'string' && p.name !== '' ? p.name : undefined,
      containerPort: num,
      protocol: typeof p.protocol === 'string' && p.protocol !== '' ? p.protocol : 'TCP',
      initContainer,
    });
  });
  return out;
}
