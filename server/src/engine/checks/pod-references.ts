// References by name from one object to another, and the one policy every reference check uses to
// judge a reference that resolves to nothing. Owns:
// - the walk over a pod template's references: ConfigMaps and Secrets (volumes, projected volume
//   sources, env `valueFrom`, `envFrom`, each with its `optional` flag), the ServiceAccount, PVCs
//   and the PriorityClass (Kubernetes Pod API; the kubelet refuses to start a container whose
//   non-optional ConfigMap/Secret is missing, admission refuses a Pod whose ServiceAccount or
//   PriorityClass does not exist);
// - `findTargets`: the objects a reference names, counting objects other workspace objects create
//   (kustomize generators, cert-manager Certificates, ...), preferring the referrer's apply unit;
// - `missingReference`: the severity and message of a reference that finds nothing.
//
// The policy keeps real repositories free of false alarms: a missing reference is an error only
// when the workspace itself defines objects of that kind in that namespace (so it is the place
// they are managed), with the same namespace style as the referrer (both with an explicit
// `metadata.namespace`, or both without one; objects without one are applied to whatever namespace
// the user chooses), in the referrer's apply unit or folder, or in a sibling folder of a project
// that creates the namespace. In the namespaces the cluster and its add-ons populate (kube-system),
// only a plausible typo of a name defined there is an error. Otherwise the finding is information:
// the object may well be created outside the workspace. A plausible typo gets "did you mean" and a
// "Change to" fix.
import type { Check, CheckContext, Fix, RelatedPlace, Severity } from './types';
import { getPath, isRecord, type K8sObject } from '../model/object';
import type { PodTemplate } from '../model/pod-template';
import type { FieldPath } from '../syntax/parse';
import { applyUnits, dirName, isKustomizationFile, type ApplyUnits } from '../model/apply-unit';
import { isClusterScopedKind } from '../model/kinds';
import { closestName } from '../text/edit-distance';
import { scalarText } from './yaml-text';

export type ReferencedKind = 'ConfigMap' | 'Secret' | 'ServiceAccount' | 'PersistentVolumeClaim' | 'PriorityClass';

export interface PodReference {
  readonly kind: ReferencedKind;
  readonly name: string;
  /** Path of the name's value inside the referring object. */
  readonly path: FieldPath;
  /** `optional: true`: a missing object is tolerated. */
  readonly optional: boolean;
  /** Where the reference is, in words: `volume "config"`, `env FOO of container "app"`. */
  readonly via: string;
}

/** Priority classes every cluster has (created by the API server). */
export const BUILTIN_PRIORITY_CLASSES: ReadonlySet<string> = new Set(['system-cluster-critical', 'system-node-critical']);

/** Every by-name reference of a pod template, in document order. */
export function podReferencesOf(template: PodTemplate): PodReference[] {
  const spec: unknown = template.spec;
  if (!isRecord(spec)) return [];
  const specPath: FieldPath = [...template.path, 'spec'];
  const out: PodReference[] = [];
  const claimTemplates = template.owner.kind === 'StatefulSet' ? volumeClaimTemplateNames(template.owner) : new Set<string>();

  const sa = typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '' ? 'serviceAccountName' : typeof spec.serviceAccount === 'string' && spec.serviceAccount !== '' ? 'serviceAccount' : undefined;
  if (sa !== undefined) out.push({ kind: 'ServiceAccount', name: spec[sa] as string, path: [...specPath, sa], optional: false, via: [...specPath, sa].join('.') });
  if (typeof spec.priorityClassName === 'string' && spec.priorityClassName !== '') {
    const path = [...specPath, 'priorityClassName'];
    out.push({ kind: 'PriorityClass', name: spec.priorityClassName, path, optional: false, via: path.join('.') });
  }

  forEachRecord(spec.volumes, (volume, vi) => {
    const vp = [...specPath, 'volumes', vi];
    const vname = typeof volume.name === 'string' ? volume.name : String(vi);
    const via = `volume "${vname}"`;
    if (isRecord(volume.configMap)) pushNamed(out, 'ConfigMap', volume.configMap, 'name', [...vp, 'configMap'], via);
    if (isRecord(volume.secret)) pushNamed(out, 'Secret', volume.secret, 'secretName', [...vp, 'secret'], via);
    if (isRecord(volume.persistentVolumeClaim) && !claimTemplates.has(vname)) {
      pushNamed(out, 'PersistentVolumeClaim', { ...volume.persistentVolumeClaim, optional: false }, 'claimName', [...vp, 'persistentVolumeClaim'], via);
    }
    if (isRecord(volume.projected)) {
      forEachRecord(volume.projected.sources, (source, si) => {
        const sp = [...vp, 'projected', 'sources', si];
        if (isRecord(source.configMap)) pushNamed(out, 'ConfigMap', source.configMap, 'name', [...sp, 'configMap'], `projected ${via}`);
        if (isRecord(source.secret)) pushNamed(out, 'Secret', source.secret, 'name', [...sp, 'secret'], `projected ${via}`);
      });
    }
  });

  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    forEachRecord(spec[field], (container, ci) => {
      const cp = [...specPath, field, ci];
      const cname = typeof container.name === 'string' ? container.name : String(ci);
      forEachRecord(container.envFrom, (source, ei) => {
        const ep = [...cp, 'envFrom', ei];
        const via = `envFrom of container "${cname}"`;
        if (isRecord(source.configMapRef)) pushNamed(out, 'ConfigMap', source.configMapRef, 'name', [...ep, 'configMapRef'], via);
        if (isRecord(source.secretRef)) pushNamed(out, 'Secret', source.secretRef, 'name', [...ep, 'secretRef'], via);
      });
      forEachRecord(container.env, (env, ei) => {
        if (!isRecord(env.valueFrom)) return;
        const ep = [...cp, 'env', ei, 'valueFrom'];
        const via = `env ${typeof env.name === 'string' ? env.name : ei} of container "${cname}"`;
        if (isRecord(env.valueFrom.configMapKeyRef)) pushNamed(out, 'ConfigMap', env.valueFrom.configMapKeyRef, 'name', [...ep, 'configMapKeyRef'], via);
        if (isRecord(env.valueFrom.secretKeyRef)) pushNamed(out, 'Secret', env.valueFrom.secretKeyRef, 'name', [...ep, 'secretKeyRef'], via);
      });
    });
  }
  return out;
}

function pushNamed(out: PodReference[], kind: ReferencedKind, ref: Record<string, unknown>, field: string, path: FieldPath, via: string): void {
  const name = ref[field];
  if (typeof name !== 'string' || name === '') return;
  out.push({ kind, name, path: [...path, field], optional: ref.optional === true || ref.optional === 'true', via });
}

function volumeClaimTemplateNames(sts: K8sObject): Set<string> {
  const out = new Set<string>();
  forEachRecord(getPath(sts.raw, ['spec', 'volumeClaimTemplates']), (t) => {
    const name = getPath(t, ['metadata', 'name']);
    if (typeof name === 'string') out.add(name);
  });
  return out;
}

function forEachRecord(list: unknown, f: (item: Record<string, unknown>, index: number) => void): void {
  if (!Array.isArray(list)) return;
  list.forEach((item, i) => {
    if (isRecord(item)) f(item, i);
  });
}

// ---------------------------------------------------------------------------------------------
// Resolving references.

/**
 * The apply units of the workspace, once per revision: the analysis' own when it provides them
 * (built from every kustomization file, with or without `apiVersion`/`kind`), else derived from the
 * index, which sees only kustomizations that declare `kind: Kustomization` / `kind: Component`.
 */
export function applyUnitsOf(ctx: CheckContext): ApplyUnits {
  const provided = (ctx as CheckContext & { readonly applyUnits?: ApplyUnits }).applyUnits;
  if (provided) return provided;
  return ctx.memo('apply-units', () => {
    const kustomizations = [...ctx.index.ofKind('Kustomization'), ...ctx.index.ofKind('Component')]
      .filter((o) => o.group === 'kustomize.config.k8s.io' && isKustomizationFile(o.uri))
      .map((o) => ({ uri: o.uri, value: o.raw }));
    return applyUnits({ kustomizations });
  });
}

/** True when the two files' folders have the same parent folder. */
function isSiblingFolder(a: string, b: string): boolean {
  const parent = (uri: string) => dirName(dirName(uri).slice(0, -1));
  return parent(a) === parent(b);
}

/** True when two files are applied together, or at least sit in the same folder. */
export function isNearby(units: ApplyUnits, a: string, b: string): boolean {
  return dirName(a) === dirName(b) || units.shareUnit(a, b);
}

export interface Targets {
  /** Objects of that kind and name in the namespace, those sharing the referrer's apply unit first. */
  readonly objects: readonly K8sObject[];
  /** True when another workspace object creates an object of that name (a generator). */
  readonly generated: boolean;
}

/**
 * The objects a reference from `from` names, in `namespace` ('' for cluster-scoped kinds). When
 * several variants define the object, those applied together with `from` come first, then by
 * folder distance, then by uri, so a check reads the variant the referrer is deployed with.
 */
export function findTargets(ctx: CheckContext, from: K8sObject, kind: string, namespace: string, name: string): Targets {
  const clusterScoped = isClusterScopedKind(kind);
  let all = ctx.index.named(kind, clusterScoped ? '' : namespace, name);
  if (all.length === 0 && !clusterScoped) all = movedByKustomize(ctx, from, kind, name);
  const generated = all.length === 0 && (isGenerated(ctx, kind, namespace, name) || inListObject(ctx, kind, namespace, name));
  if (all.length <= 1) return { objects: all, generated };
  const units = applyUnitsOf(ctx);
  const ranked = [...all].sort(
    (a, b) =>
      Number(units.shareUnit(from.uri, b.uri)) - Number(units.shareUnit(from.uri, a.uri)) ||
      commonPrefix(from.uri, b.uri) - commonPrefix(from.uri, a.uri) ||
      (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) ||
      a.docIndex - b.docIndex,
  );
  return { objects: ranked, generated };
}

/** The targets to judge a reference by: those applied with `from` when any are, else all. */
export function closestTargets(ctx: CheckContext, from: K8sObject, objects: readonly K8sObject[]): readonly K8sObject[] {
  if (objects.length <= 1) return objects;
  const units = applyUnitsOf(ctx);
  const same = objects.filter((o) => units.shareUnit(from.uri, o.uri));
  return same.length > 0 ? same : objects;
}

export interface MissingReference {
  readonly severity: Severity;
  /** Sentence for the message: what is missing and what the workspace has instead. */
  readonly message: string;
  readonly related: RelatedPlace[];
  /** "Change to" the name the reference plausibly misspells, when `namePath` was given. */
  readonly fixes: Fix[];
}

/**
 * Namespaces the cluster itself and its add-ons populate (DNS, the dashboard, metrics-server, the
 * API server's own ConfigMaps): a project that deploys something there does not describe all of
 * them, so only a plausible typo of a name it defines there is known to be wrong.
 */
const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

/**
 * How to report that `from` names a `kind` called `name` in `namespace` that the workspace lacks
 * (see the header for the policy). `namePath` is where `from` writes the name: given, a plausible
 * typo of a name defined there comes with a "Change to" fix.
 */
export function missingReference(ctx: CheckContext, from: K8sObject, kind: string, namespace: string, name: string, namePath?: FieldPath): MissingReference {
  const clusterScoped = isClusterScopedKind(kind);
  const ns = clusterScoped ? '' : namespace;
  const where = clusterScoped ? 'in the workspace' : `in namespace "${namespace}"${from.namespaceExplicit ? '' : ' (implicit: no metadata.namespace)'}`;
  const here = ctx.index.ofKind(kind, ns);
  // The namespace counts as described by the workspace only through objects of the same project: applied
  // with the referrer, or in its folder, or in a sibling folder (`deploy/manifests` beside
  // `deploy/autoscaling`) of a project that creates the namespace itself. An unrelated project's objects in
  // a shared namespace (kube-system, default), or sibling samples that deploy into a namespace some other
  // installation owns, say nothing about what this one's prerequisites are.
  const units = clusterScoped ? undefined : applyUnitsOf(ctx);
  const sameProject = clusterScoped
    ? here
    : here.filter(
        (o) =>
          o.namespaceExplicit === from.namespaceExplicit &&
          (units === undefined || isNearby(units, from.uri, o.uri) || (from.namespaceExplicit && isSiblingFolder(from.uri, o.uri) && createsNamespace(ctx, from, ns))),
      );
  const typo = closestName(name, new Set(sameProject.map((o) => o.name)));
  const managedHere = SYSTEM_NAMESPACES.has(ns) ? typo !== undefined : sameProject.length > 0;

  const related: RelatedPlace[] = [];
  let found: string;
  const elsewhere = clusterScoped ? [] : ctx.index.ofKind(kind).filter((o) => o.name === name && o.namespace !== ns);
  if (elsewhere.length > 0) {
    const namespaces = [...new Set(elsewhere.map((o) => o.namespace))].sort();
    found = `a ${kind} of that name exists in namespace${namespaces.length > 1 ? 's' : ''} ${namespaces.map((n) => `"${n}"`).join(', ')}`;
    for (const o of sortObjects(elsewhere).slice(0, 5)) related.push({ object: o, path: ['metadata', 'name'], message: `${kind} "${name}" in namespace "${o.namespace}"` });
  } else if (here.length > 0) {
    const names = [...new Set(here.map((o) => o.name))].sort();
    const shown = names.slice(0, 5).map((n) => `"${n}"`).join(', ');
    found = `${plural(kind)} ${clusterScoped ? 'in the workspace' : 'there'}: ${shown}${names.length > 5 ? ` and ${names.length - 5} more` : ''}`;
  } else {
    found = `the workspace defines no ${kind} ${clusterScoped ? 'at all' : `in namespace "${namespace}"`}`;
  }
  const fixes: Fix[] = [];
  if (typo !== undefined) {
    found += `; did you mean "${typo}"?`;
    const target = sortObjects(sameProject.filter((o) => o.name === typo))[0];
    if (target) related.push({ object: target, path: ['metadata', 'name'], message: `${kind} "${typo}"` });
    if (namePath) fixes.push({ title: `Change to "${typo}"`, preferred: true, edits: [{ kind: 'replace-value', place: { object: from, path: namePath }, text: scalarText(typo) }] });
  }
  // One side written without a namespace, the other with one, applied together: `kubectl apply -n`
  // may well put both in one namespace, so the reference is not known to be broken.
  const nearbyUnits = units ?? (elsewhere.length > 0 ? applyUnitsOf(ctx) : undefined);
  const mixed = elsewhere.some((o) => o.namespaceExplicit !== from.namespaceExplicit && nearbyUnits !== undefined && isNearby(nearbyUnits, from.uri, o.uri));
  if (mixed) {
    return { severity: 'info', message: `${kind} "${name}" not found ${where}; ${found} (one side has no metadata.namespace: applied together they may share a namespace)`, related, fixes };
  }
  const creator = managedHere ? runtimeCreator(ctx, from, kind, ns) : undefined;
  if (creator) {
    related.push({ object: creator.role, path: creator.path, message: `${creator.role.kind} "${creator.role.name}" may create ${plural(kind)}` });
    const message = `${kind} "${name}" not found ${where}; ${found} (${creator.role.kind} "${creator.role.name}" lets a workload create ${plural(kind)} there at run time)`;
    return { severity: 'info', message, related, fixes };
  }
  const severity: Severity = managedHere ? 'error' : 'info';
  const outside = SYSTEM_NAMESPACES.has(ns) ? ` (${ns} holds cluster add-ons installed outside the workspace)` : ' (it may be created outside the workspace)';
  const message = `${kind} "${name}" not found ${where}; ${found}${severity === 'info' ? outside : ''}`;
  return { severity, message, related, fixes };
}

/**
 * True when the project `from` belongs to creates `namespace` itself: a Namespace object of that name
 * in the folder above the referrer's folder or anywhere below it (`deploy/kubernetes/manifests/00-ns.yaml`
 * for `deploy/kubernetes/autoscaling/hpa.yaml`).
 */
function createsNamespace(ctx: CheckContext, from: K8sObject, namespace: string): boolean {
  const projectRoot = dirName(dirName(from.uri).slice(0, -1));
  return ctx.index.named('Namespace', '', namespace).some((o) => o.uri.startsWith(projectRoot));
}

/**
 * A Role in the namespace (or a ClusterRole applied with the referrer) granting `create` on the
 * kind's resource: a workload of the workspace may create the object at run time (a certificate
 * generator Job, an operator), so its absence from the manifests proves nothing. Rules limited by
 * `resourceNames` do not count: RBAC cannot authorize a create by name.
 */
function runtimeCreator(ctx: CheckContext, from: K8sObject, kind: string, namespace: string): { role: K8sObject; path: FieldPath } | undefined {
  const resource = RUNTIME_CREATED[kind];
  if (resource === undefined) return undefined;
  const units = applyUnitsOf(ctx);
  const roles = [
    ...ctx.index.ofKind('Role', namespace).filter((r) => r.namespaceExplicit === from.namespaceExplicit && (from.namespaceExplicit || isNearby(units, from.uri, r.uri))),
    ...ctx.index.ofKind('ClusterRole').filter((r) => isNearby(units, from.uri, r.uri)),
  ].filter((r) => r.group === 'rbac.authorization.k8s.io');
  for (const role of sortObjects(roles)) {
    const rules = role.raw.rules;
    if (!Array.isArray(rules)) continue;
    for (let i = 0; i < rules.length; i++) {
      const rule: unknown = rules[i];
      if (!isRecord(rule) || (Array.isArray(rule.resourceNames) && rule.resourceNames.length > 0)) continue;
      if (grants(rule.apiGroups, '') && grants(rule.resources, resource) && grants(rule.verbs, 'create')) return { role, path: ['rules', i] };
    }
  }
  return undefined;
}

/** Kinds a workload commonly creates at run time, with their resource names. */
const RUNTIME_CREATED: Readonly<Record<string, string>> = { Secret: 'secrets', ConfigMap: 'configmaps' };

function grants(list: unknown, wanted: string): boolean {
  return Array.isArray(list) && list.some((v) => v === wanted || v === '*');
}

/**
 * Objects of that kind and name in another namespace that a kustomization building both them and
 * `from` moves into one namespace (its `namespace` field overrides every object's namespace).
 */
function movedByKustomize(ctx: CheckContext, from: K8sObject, kind: string, name: string): K8sObject[] {
  const named = ctx.index.ofKind(kind).filter((o) => o.name === name);
  if (named.length === 0) return [];
  const units = applyUnitsOf(ctx);
  return named.filter((o) => units.sharedNamespace(from.uri, o.uri) !== undefined);
}

/**
 * An item of a `<Kind>List` document (`kind: ConfigMapList`), which kubectl applies like a `List`
 * but the workspace model keeps as one object.
 */
function inListObject(ctx: CheckContext, kind: string, namespace: string, name: string): boolean {
  for (const list of ctx.index.ofKind(`${kind}List`)) {
    const items = list.raw.items;
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      if (!isRecord(item) || item.kind !== kind || !isRecord(item.metadata) || item.metadata.name !== name) continue;
      const ns = typeof item.metadata.namespace === 'string' && item.metadata.namespace !== '' ? item.metadata.namespace : list.namespace;
      if (ns === namespace) return true;
    }
  }
  return false;
}

/** Other workspace objects that create ConfigMaps or Secrets of a known name. */
function isGenerated(ctx: CheckContext, kind: string, namespace: string, name: string): boolean {
  if (kind !== 'ConfigMap' && kind !== 'Secret') return false;
  if (applyUnitsOf(ctx).isGenerated(kind, name)) return true;
  if (kind === 'ConfigMap') return false;
  for (const producer of SECRET_PRODUCERS) {
    for (const o of ctx.index.ofKind(producer.kind, namespace)) {
      if (producer.groups.includes(o.group) && producer.names(o).includes(name)) return true;
    }
  }
  return false;
}

/**
 * Custom resources whose controllers create Secrets: the names those Secrets get.
 * - cert-manager Certificate: `spec.secretName`;
 * - Bitnami SealedSecret: the Secret takes the SealedSecret's name;
 * - External Secrets ExternalSecret: `spec.target.name`, default the ExternalSecret's name;
 * - Strimzi KafkaUser: the Secret takes the user's name; Strimzi Kafka: the cluster and clients CA
 *   certificate Secrets `<cluster>-cluster-ca-cert` and `<cluster>-clients-ca-cert`.
 */
const SECRET_PRODUCERS: ReadonlyArray<{ kind: string; groups: readonly string[]; names: (o: K8sObject) => string[] }> = [
  { kind: 'Certificate', groups: ['cert-manager.io'], names: (o) => strings(getPath(o.raw, ['spec', 'secretName'])) },
  { kind: 'SealedSecret', groups: ['bitnami.com'], names: (o) => [o.name, ...strings(getPath(o.raw, ['spec', 'template', 'metadata', 'name']))] },
  { kind: 'ExternalSecret', groups: ['external-secrets.io'], names: (o) => strings(getPath(o.raw, ['spec', 'target', 'name'])).concat(o.name) },
  { kind: 'KafkaUser', groups: ['kafka.strimzi.io'], names: (o) => [o.name] },
  { kind: 'Kafka', groups: ['kafka.strimzi.io'], names: (o) => [`${o.name}-cluster-ca-cert`, `${o.name}-clients-ca-cert`] },
];

function strings(v: unknown): string[] {
  return typeof v === 'string' && v !== '' ? [v] : [];
}

function plural(kind: string): string {
  return /(s|ss|x)$/.test(kind) ? `${kind}es` : `${kind}s`;
}

function sortObjects(list: readonly K8sObject[]): K8sObject[] {
  return [...list].sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.docIndex - b.docIndex));
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return a.slice(0, i).lastIndexOf('/');
}

// ---------------------------------------------------------------------------------------------
// The checks over pod template references share one shape: walk, resolve, judge.

/** Kinds whose pod template is run (a `PodTemplate` object is only a template for others). */
export const POD_CARRIER_KINDS: readonly string[] = ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController'];

const referencesCache = new WeakMap<PodTemplate, readonly PodReference[]>();

/** A check reporting the non-optional references of `kind` that resolve to nothing. */
export function podReferenceCheck(code: string, kind: ReferencedKind, isExempt: (ref: PodReference) => boolean = () => false): Check {
  return {
    codes: { [code]: 'error' },
    kinds: POD_CARRIER_KINDS,
    run(object, ctx, report) {
      const template = ctx.index.podTemplate(object);
      if (!template) return;
      let refs = referencesCache.get(template);
      if (!refs) referencesCache.set(template, (refs = podReferencesOf(template)));
      for (const ref of refs) {
        if (ref.kind !== kind || ref.optional || isExempt(ref)) continue;
        const targets = findTargets(ctx, object, kind, object.namespace, ref.name);
        if (targets.objects.length > 0 || targets.generated) continue;
        const missing = missingReference(ctx, object, kind, object.namespace, ref.name, ref.path);
        report({ code, severity: missing.severity, message: `${ref.via}: ${missing.message}`, path: ref.path, target: 'value', related: missing.related, fixes: missing.fixes });
      }
    },
  };
}
