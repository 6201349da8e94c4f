// Go to definition and find references between objects. Definitions follow a named reference
// (`serviceName`, `configMapRef`, Ingress backends, `scaleTargetRef`, ...) to its target, and a
// named `targetPort` or probe port to the container port declarations it resolves to. References of an
// object are everything that names it or selects its pods.
import type { FieldPath } from '../syntax/parse';
import type { Workspace } from '../workspace';
import type { K8sObject } from '../model/object';
import { getPath } from '../model/object';
import { namedReferencesOf, selectorsOf } from '../semantics/references';
import { matches } from '../labels/selector';
import type { Place } from '../checks/types';
import { containerPortByName, portProtocol, servicePortTarget, targetPortDeclarations } from '../semantics/ports';

export interface Target extends Place {
  /** Short description for lists: `Service/shop/web`. */
  readonly label: string;
}

/** Definition targets for the field at `path` of `object` (empty when it refers to nothing). */
export function definitionAt(ws: Workspace, object: K8sObject, path: FieldPath): Target[] {
  const index = ws.objectIndex;
  for (const ref of namedReferencesOf(object)) {
    if (!samePathOrParent(ref.path, path)) continue;
    return index.named(ref.kind, ref.namespace, ref.name).map((o) => ({ object: o, path: ['metadata', 'name'], target: 'value' as const, label: `${o.kind}/${o.namespace ? o.namespace + '/' : ''}${o.name}` }));
  }
  // A Service's targetPort (by name or number) -> the container port declarations it resolves to.
  if (object.kind === 'Service' && path[0] === 'spec' && path[1] === 'ports' && typeof path[2] === 'number' && (path[3] === 'targetPort' || path[3] === 'port')) {
    return containerPortTargets(ws, object, getPath(object.raw, ['spec', 'ports', path[2]]));
  }
  // An Ingress backend port name/number -> the Service port.
  if (object.kind === 'Ingress' && path.includes('backend') && path.includes('port')) {
    const backendPath = path.slice(0, path.indexOf('backend') + 1);
    const name = getPath(object.raw, [...backendPath, 'service', 'name']);
    const port = getPath(object.raw, [...backendPath, 'service', 'port']) as Record<string, unknown> | undefined;
    if (typeof name !== 'string' || !port) return [];
    const out: Target[] = [];
    for (const svc of index.named('Service', object.namespace, name)) {
      const ports = getPath(svc.raw, ['spec', 'ports']);
      if (!Array.isArray(ports)) continue;
      ports.forEach((p, i) => {
        if ((port.name !== undefined && p?.name === port.name) || (port.number !== undefined && p?.port === port.number)) {
          out.push({ object: svc, path: ['spec', 'ports', i], label: `Service/${svc.namespace}/${svc.name} port ${p.name ?? p.port}` });
        }
      });
    }
    return out;
  }
  // A probe or lifecycle port name -> the container port of the same container.
  const portIdx = path.lastIndexOf('port');
  const containersIdx = path.findIndex((s) => s === 'containers' || s === 'initContainers');
  if (portIdx > containersIdx && containersIdx >= 0) {
    const value = getPath(object.raw, path.slice(0, portIdx + 1));
    const container = getPath(object.raw, path.slice(0, containersIdx + 2));
    const declared = typeof value === 'string' ? containerPortByName(container, value) : undefined;
    if (declared) return [{ object, path: [...path.slice(0, containersIdx + 2), 'ports', declared.index], label: `port ${value}` }];
  }
  // A selector -> the workloads whose pod templates it selects.
  for (const use of selectorsOf(object)) {
    if (use.selects !== 'pods' || !samePathOrParent(use.path, path)) continue;
    return index.selectPodTemplates(use.namespace, use.selector).filter((t) => t.owner !== object).map((t) => ({ object: t.owner, path: [...t.path, 'metadata', 'labels'].slice(0, t.path.length ? undefined : 2), label: `${t.owner.kind}/${t.owner.namespace}/${t.owner.name}` }));
  }
  return [];
}

/** Container port declarations a Service port's targetPort resolves to (ports.ts), in every selected pod template. */
export function containerPortTargets(ws: Workspace, service: K8sObject, servicePort: unknown): Target[] {
  const sel = selectorsOf(service).find((u) => u.selects === 'pods');
  if (!sel) return [];
  const target = servicePortTarget(servicePort);
  const protocol = portProtocol(servicePort);
  const out: Target[] = [];
  for (const t of ws.objectIndex.selectPodTemplates(service.namespace, sel.selector)) {
    for (const p of targetPortDeclarations(t.ports, target, protocol)) {
      out.push({ object: t.owner, path: p.path, label: `${t.owner.kind}/${t.owner.namespace}/${t.owner.name} ${p.container}:${p.containerPort}${p.name ? ` (${p.name})` : ''}` });
    }
  }
  return out;
}

/** Everything that names `target` or selects its pods. */
export function referencesTo(ws: Workspace, target: K8sObject): Target[] {
  const out: Target[] = [];
  const index = ws.objectIndex;
  const template = index.podTemplate(target);
  const candidates = target.clusterScoped ? ws.objects() : [...namespaceObjects(ws, target.namespace), ...clusterObjects(ws)];
  for (const o of candidates) {
    if (o === target) continue;
    for (const ref of namedReferencesOf(o)) {
      if (ref.kind === target.kind && ref.name === target.name && ref.namespace === target.namespace) {
        out.push({ object: o, path: ref.path, target: 'value', label: `${o.kind}/${o.namespace}/${o.name}` });
      }
    }
    if (template) {
      for (const use of selectorsOf(o)) {
        if (use.selects === 'pods' && use.namespace === target.namespace && matches(use.selector, template.labels) && o !== target) {
          out.push({ object: o, path: use.path, label: `${o.kind}/${o.namespace}/${o.name} selects its pods` });
        }
      }
    }
  }
  return out;
}

function namespaceObjects(ws: Workspace, namespace: string): K8sObject[] {
  return ws.objects().filter((o) => o.namespace === namespace);
}

function clusterObjects(ws: Workspace): K8sObject[] {
  return ws.objects().filter((o) => o.kind === 'ClusterRoleBinding');
}

/** True when the cursor path `at` is the reference's path or lies inside it (a key of a selector map). */
function samePathOrParent(refPath: FieldPath, at: FieldPath): boolean {
  if (at.length < refPath.length) return false;
  for (let i = 0; i < refPath.length; i++) if (refPath[i] !== at[i]) return false;
  return true;
}
