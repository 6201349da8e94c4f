// Every named reference one object makes to another, by kind: the single walker used by
// go-to-definition, find-references, hovers and lenses. (Selectors are not named references: a
// Service's selector is resolved through the index, see `selectorsOf`.)
//
// Pod specs (of a Pod or any workload's template) refer to ConfigMaps and Secrets (volumes, projected
// volume sources, env valueFrom, envFrom, imagePullSecrets), PVCs, a ServiceAccount and a PriorityClass;
// StatefulSets to their governing Service; Ingresses to backend Services, an IngressClass and TLS Secrets;
// HPAs to their scale target; RoleBindings to roles and ServiceAccounts.
import type { FieldPath } from '../syntax/parse';
import { getPath, isRecord, type K8sObject } from '../model/object';
import { POD_TEMPLATE_PATHS, isClusterScopedKind } from '../model/kinds';
import { selectorFromLabelSelector, serviceSelector, type Selector } from '../labels/selector';

export interface NamedReference {
  /** Path of the name value inside the referring object. */
  readonly path: FieldPath;
  readonly kind: string;
  /** '' for cluster-scoped targets. */
  readonly namespace: string;
  readonly name: string;
  /** `optional: true` references do not need to exist. */
  readonly optional: boolean;
  /** For ConfigMap/Secret key references: the key. */
  readonly key?: string;
}

export interface SelectorUse {
  readonly path: FieldPath;
  readonly selector: Selector;
  /** What the selector chooses. */
  readonly selects: 'pods' | 'namespaces';
  /** Namespace the selected pods live in (the object's own). */
  readonly namespace: string;
}

export function namedReferencesOf(obj: K8sObject): NamedReference[] {
  const out: NamedReference[] = [];
  const ns = obj.namespace;
  const add = (path: FieldPath, kind: string, name: unknown, optional = false, key?: unknown) => {
    if (typeof name !== 'string' || name === '') return;
    out.push({ path, kind, namespace: isClusterScopedKind(kind) ? '' : ns, name, optional, key: typeof key === 'string' ? key : undefined });
  };
  const raw = obj.raw;
  const podSpecPath: FieldPath | undefined = obj.kind === 'Pod' ? ['spec'] : POD_TEMPLATE_PATHS[obj.kind] ? [...POD_TEMPLATE_PATHS[obj.kind], 'spec'] : undefined;
  if (podSpecPath) podSpecReferences(getPath(raw, podSpecPath), podSpecPath, add);
  switch (obj.kind) {
    case 'StatefulSet':
      add(['spec', 'serviceName'], 'Service', getPath(raw, ['spec', 'serviceName']));
      break;
    case 'Ingress': {
      add(['spec', 'ingressClassName'], 'IngressClass', getPath(raw, ['spec', 'ingressClassName']));
      add(['spec', 'defaultBackend', 'service', 'name'], 'Service', getPath(raw, ['spec', 'defaultBackend', 'service', 'name']));
      add(['spec', 'backend', 'serviceName'], 'Service', getPath(raw, ['spec', 'backend', 'serviceName']));
      forEach(getPath(raw, ['spec', 'rules']), (rule, i) =>
        forEach(getPath(rule, ['http', 'paths']), (p, j) => {
          add(['spec', 'rules', i, 'http', 'paths', j, 'backend', 'service', 'name'], 'Service', getPath(p, ['backend', 'service', 'name']));
          add(['spec', 'rules', i, 'http', 'paths', j, 'backend', 'serviceName'], 'Service', getPath(p, ['backend', 'serviceName']));
        }),
      );
      forEach(getPath(raw, ['spec', 'tls']), (t, i) => add(['spec', 'tls', i, 'secretName'], 'Secret', getPath(t, ['secretName'])));
      break;
    }
    case 'HorizontalPodAutoscaler': {
      const kind = getPath(raw, ['spec', 'scaleTargetRef', 'kind']);
      if (typeof kind === 'string') add(['spec', 'scaleTargetRef', 'name'], kind, getPath(raw, ['spec', 'scaleTargetRef', 'name']));
      break;
    }
    case 'RoleBinding':
    case 'ClusterRoleBinding': {
      const roleKind = getPath(raw, ['roleRef', 'kind']);
      if (roleKind === 'Role' || roleKind === 'ClusterRole') add(['roleRef', 'name'], roleKind, getPath(raw, ['roleRef', 'name']));
      forEach(getPath(raw, ['subjects']), (s, i) => {
        if (!isRecord(s) || s.kind !== 'ServiceAccount' || typeof s.name !== 'string') return;
        const target = typeof s.namespace === 'string' ? s.namespace : ns;
        out.push({ path: ['subjects', i, 'name'], kind: 'ServiceAccount', namespace: target, name: s.name, optional: false });
      });
      break;
    }
    case 'PersistentVolumeClaim':
      add(['spec', 'storageClassName'], 'StorageClass', getPath(raw, ['spec', 'storageClassName']), true);
      break;
  }
  return out;
}

type Add = (path: FieldPath, kind: string, name: unknown, optional?: boolean, key?: unknown) => void;

function podSpecReferences(spec: unknown, base: FieldPath, add: Add): void {
  if (!isRecord(spec)) return;
  add([...base, 'serviceAccountName'], 'ServiceAccount', spec.serviceAccountName);
  add([...base, 'priorityClassName'], 'PriorityClass', spec.priorityClassName);
  forEach(spec.imagePullSecrets, (s, i) => add([...base, 'imagePullSecrets', i, 'name'], 'Secret', getPath(s, ['name']), true));
  forEach(spec.volumes, (v, i) => {
    if (!isRecord(v)) return;
    const vp = [...base, 'volumes', i];
    if (isRecord(v.configMap)) add([...vp, 'configMap', 'name'], 'ConfigMap', v.configMap.name, v.configMap.optional === true);
    if (isRecord(v.secret)) add([...vp, 'secret', 'secretName'], 'Secret', v.secret.secretName, v.secret.optional === true);
    if (isRecord(v.persistentVolumeClaim)) add([...vp, 'persistentVolumeClaim', 'claimName'], 'PersistentVolumeClaim', v.persistentVolumeClaim.claimName);
    forEach(getPath(v, ['projected', 'sources']), (src, j) => {
      if (!isRecord(src)) return;
      if (isRecord(src.configMap)) add([...vp, 'projected', 'sources', j, 'configMap', 'name'], 'ConfigMap', src.configMap.name, src.configMap.optional === true);
      if (isRecord(src.secret)) add([...vp, 'projected', 'sources', j, 'secret', 'name'], 'Secret', src.secret.name, src.secret.optional === true);
    });
  });
  for (const field of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
    forEach(spec[field], (c, ci) => {
      if (!isRecord(c)) return;
      const cp = [...base, field, ci];
      forEach(c.env, (e, ei) => {
        const vf = getPath(e, ['valueFrom']);
        if (!isRecord(vf)) return;
        if (isRecord(vf.configMapKeyRef)) add([...cp, 'env', ei, 'valueFrom', 'configMapKeyRef', 'name'], 'ConfigMap', vf.configMapKeyRef.name, vf.configMapKeyRef.optional === true, vf.configMapKeyRef.key);
        if (isRecord(vf.secretKeyRef)) add([...cp, 'env', ei, 'valueFrom', 'secretKeyRef', 'name'], 'Secret', vf.secretKeyRef.name, vf.secretKeyRef.optional === true, vf.secretKeyRef.key);
      });
      forEach(c.envFrom, (e, ei) => {
        if (!isRecord(e)) return;
        if (isRecord(e.configMapRef)) add([...cp, 'envFrom', ei, 'configMapRef', 'name'], 'ConfigMap', e.configMapRef.name, e.configMapRef.optional === true);
        if (isRecord(e.secretRef)) add([...cp, 'envFrom', ei, 'secretRef', 'name'], 'Secret', e.secretRef.name, e.secretRef.optional === true);
      });
    });
  }
}

/**
 * The label selectors an object uses to choose pods (or namespaces), with their paths. Computed once
 * per object (objects are immutable: a re-read file gives new ones); a hover on pod labels asks it of
 * every selecting object of the namespace.
 */
export function selectorsOf(obj: K8sObject): readonly SelectorUse[] {
  let uses = selectorUses.get(obj);
  if (!uses) selectorUses.set(obj, (uses = readSelectors(obj)));
  return uses;
}

const selectorUses = new WeakMap<K8sObject, readonly SelectorUse[]>();

function readSelectors(obj: K8sObject): SelectorUse[] {
  const raw = obj.raw;
  const ns = obj.namespace;
  const out: SelectorUse[] = [];
  const labelSelector = (path: FieldPath, selects: 'pods' | 'namespaces') => {
    const value = getPath(raw, path);
    if (value === undefined) return;
    const { selector } = selectorFromLabelSelector(value as never);
    out.push({ path, selector, selects, namespace: ns });
  };
  switch (obj.kind) {
    case 'Service': {
      const sel = getPath(raw, ['spec', 'selector']);
      if (isRecord(sel) && Object.keys(sel).length > 0) out.push({ path: ['spec', 'selector'], selector: serviceSelector(sel as Record<string, string>), selects: 'pods', namespace: ns });
      break;
    }
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
    case 'PodDisruptionBudget':
      labelSelector(['spec', 'selector'], 'pods');
      break;
    case 'ReplicationController': {
      const sel = getPath(raw, ['spec', 'selector']);
      if (isRecord(sel)) out.push({ path: ['spec', 'selector'], selector: serviceSelector(sel as Record<string, string>), selects: 'pods', namespace: ns });
      break;
    }
    case 'NetworkPolicy': {
      labelSelector(['spec', 'podSelector'], 'pods');
      for (const dir of ['ingress', 'egress'] as const) {
        const peersKey = dir === 'ingress' ? 'from' : 'to';
        forEach(getPath(raw, ['spec', dir]), (rule, i) =>
          forEach(getPath(rule, [peersKey]), (peer, j) => {
            if (!isRecord(peer)) return;
            if (peer.podSelector !== undefined && peer.namespaceSelector === undefined) labelSelector(['spec', dir, i, peersKey, j, 'podSelector'], 'pods');
            if (peer.namespaceSelector !== undefined) labelSelector(['spec', dir, i, peersKey, j, 'namespaceSelector'], 'namespaces');
          }),
        );
      }
      break;
    }
  }
  return out;
}

function forEach(list: unknown, fn: (item: unknown, index: number) => void): void {
  if (Array.isArray(list)) list.forEach(fn);
}
