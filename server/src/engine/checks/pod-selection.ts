// Pod selection shared by every "selects nothing" and target-port check: which pod templates a
// selector selects counting the labels controllers and kustomize add at run time, preference for the
// selector's own apply unit, near misses for messages and fixes, and YAML scalar text for fixes.
import type { Check, CheckContext, Fix, RelatedPlace, Severity } from './types';
import type { WorkspaceIndex } from '../index/workspace-index';
import { getPath, isRecord, stringMap, type K8sObject, type Labels } from '../model/object';
import { isBuiltinGroup } from '../model/kinds';
import type { PodTemplate } from '../model/pod-template';
import type { FieldPath } from '../syntax/parse';
import { editDistance } from '../text/edit-distance';
import {
  requirementMatches,
  requirementToString,
  selectorFromRequirements,
  selectorToString,
  validatedSelectorFromMap,
  type Requirement,
  type Selector,
} from '../labels/selector';


/** A pod template a selector selects, and the selector keys satisfied only by run-time labels. */
export interface SelectedPod {
  readonly template: PodTemplate;
  readonly runtimeLabels: readonly string[];
}

/**
 * Pod templates of `namespace` whose Pods `selector` selects. Besides the template labels, Pods
 * carry labels their controller adds at run time, and a selector may use them:
 *   - StatefulSet: `statefulset.kubernetes.io/pod-name` = `<name>-<ordinal>` and
 *     `apps.kubernetes.io/pod-index` = `<ordinal>` for each ordinal (spec c.2),
 *     `controller-revision-hash`;
 *   - Deployment: `pod-template-hash`; DaemonSet: `controller-revision-hash`,
 *     `pod-template-generation`;
 *   - Job (generated selector): `job-name` and `batch.kubernetes.io/job-name` = the Job's name,
 *     `controller-uid` and `batch.kubernetes.io/controller-uid`, and for Indexed Jobs
 *     `batch.kubernetes.io/job-completion-index`; CronJob: the same with Job names `<name>-<time>`.
 * A template label of the same key wins. Hash and uid values are unknown, so any value fits.
 * Labels a kustomization adds at build time count too (see `selectWithKustomizeLabels`).
 * Queries the index first by the requirements on ordinary keys; sorted as the index sorts.
 */
export function selectPods(ctx: CheckContext, namespace: string, selector: Selector): SelectedPod[] {
  const direct = selectByTemplateLabels(ctx.index, namespace, selector);
  return direct.length > 0 || selector.kind !== 'requirements' ? direct : selectWithKustomizeLabels(ctx, namespace, selector);
}

/** Whether `selectPods(ctx, namespace, selector)` is non-empty, stopping at the first match. */
export function selectsAnyPod(ctx: CheckContext, namespace: string, selector: Selector): boolean {
  const runtime = selector.kind === 'requirements' ? selector.requirements.filter((r) => RUNTIME_KEYS.has(r.key)) : [];
  if (runtime.length === 0) {
    if (ctx.index.selectsAnyPodTemplate(namespace, selector)) return true;
  } else if (selectByTemplateLabels(ctx.index, namespace, selector).length > 0) {
    return true;
  }
  return selector.kind === 'requirements' && selectWithKustomizeLabels(ctx, namespace, selector).length > 0;
}

/**
 * When nothing matches: templates whose kustomization adds the missing labels (`commonLabels`,
 * `labels[]`) at build time. Only this path pays for reading the kustomizations.
 */
function selectWithKustomizeLabels(ctx: CheckContext, namespace: string, selector: Selector): SelectedPod[] {
  if (selector.kind !== 'requirements') return [];
  const out: SelectedPod[] = [];
  for (const { template, labels } of kustomizedTemplates(ctx).get(namespace) ?? []) {
    const augmented: PodTemplate = { ...template, labels };
    const runtimeLabels: string[] = [];
    const ok = selector.requirements.every((r) => {
      const verdict = requirementVerdict(augmented, r);
      if (verdict === 'runtime') runtimeLabels.push(r.key);
      return verdict !== 'fails';
    });
    if (ok) out.push({ template, runtimeLabels: [...new Set(runtimeLabels)].sort() });
  }
  return out;
}

/** Per namespace, the pod templates a kustomization adds labels to, with their built labels (once per revision). */
function kustomizedTemplates(ctx: CheckContext): ReadonlyMap<string, ReadonlyArray<{ template: PodTemplate; labels: Labels }>> {
  return ctx.memo('pod-selection:kustomized-templates', () => {
    const resolve = kustomizeLabelResolver(ctx);
    const out = new Map<string, Array<{ template: PodTemplate; labels: Labels }>>();
    if (resolve === noKustomizeLabels) return out;
    for (const ns of ctx.index.namespaces()) {
      for (const template of ctx.index.podTemplatesIn(ns)) {
        const kz = resolve(template.owner.uri);
        if (Object.keys(kz.selectorsAndTemplates).length + Object.keys(kz.templatesOnly).length === 0) continue;
        const list = out.get(ns) ?? [];
        list.push({ template, labels: { ...template.labels, ...kz.templatesOnly, ...kz.selectorsAndTemplates } });
        out.set(ns, list);
      }
    }
    return out;
  });
}

function selectByTemplateLabels(index: WorkspaceIndex, namespace: string, selector: Selector): SelectedPod[] {
  if (selector.kind !== 'requirements') return index.selectPodTemplates(namespace, selector).map((template) => ({ template, runtimeLabels: [] }));
  const runtime = selector.requirements.filter((r) => RUNTIME_KEYS.has(r.key));
  if (runtime.length === 0) return index.selectPodTemplates(namespace, selector).map((template) => ({ template, runtimeLabels: [] }));
  const rest = selectorFromRequirements(selector.requirements.filter((r) => !RUNTIME_KEYS.has(r.key)));
  const out: SelectedPod[] = [];
  for (const template of index.selectPodTemplates(namespace, rest)) {
    const runtimeLabels: string[] = [];
    const ok = runtime.every((r) => {
      const verdict = requirementVerdict(template, r);
      if (verdict === 'runtime') runtimeLabels.push(r.key);
      return verdict !== 'fails';
    });
    if (ok) out.push({ template, runtimeLabels: [...new Set(runtimeLabels)].sort() });
  }
  return out;
}

/** Whether one requirement holds for a template's Pods: by template labels, by a run-time label, or not. */
function requirementVerdict(template: PodTemplate, r: Requirement): 'template' | 'runtime' | 'fails' {
  if (Object.hasOwn(template.labels, r.key) || !RUNTIME_KEYS.has(r.key)) return requirementMatches(r, template.labels) ? 'template' : 'fails';
  const domain = runtimeLabelDomain(template.owner, r.key);
  if (!domain) return requirementMatches(r, template.labels) ? 'template' : 'fails';
  const witnesses = domain.kind === 'values' ? domain.values : [...r.values.filter((v) => v.startsWith(domain.prefix)), `${domain.prefix}0kubeglass`];
  return witnesses.some((w) => requirementMatches(r, { ...template.labels, [r.key]: w })) ? 'runtime' : 'fails';
}

const RUNTIME_KEYS = new Set([
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-revision-hash',
  'pod-template-hash',
  'pod-template-generation',
  'job-name',
  'batch.kubernetes.io/job-name',
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-completion-index',
]);

type LabelDomain = { readonly kind: 'values'; readonly values: readonly string[] } | { readonly kind: 'any'; readonly prefix: string };

const ANY: LabelDomain = { kind: 'any', prefix: '' };
/** Above this many replicas, StatefulSet Pod names are not enumerated. */
const MAX_ENUMERATED_ORDINALS = 1000;

/** The values a run-time label can take on the Pods of `owner`, or undefined when that owner never sets it. */
function runtimeLabelDomain(owner: K8sObject, key: string): LabelDomain | undefined {
  const spec = isRecord(owner.raw.spec) ? owner.raw.spec : {};
  switch (owner.kind) {
    case 'StatefulSet': {
      if (key === 'controller-revision-hash') return ANY;
      if (key !== 'statefulset.kubernetes.io/pod-name' && key !== 'apps.kubernetes.io/pod-index') return undefined;
      const replicas = spec.replicas === undefined ? 1 : spec.replicas;
      const start = getPath(spec, ['ordinals', 'start']) ?? 0;
      const podName = key === 'statefulset.kubernetes.io/pod-name';
      if (typeof replicas !== 'number' || typeof start !== 'number' || replicas > MAX_ENUMERATED_ORDINALS) {
        return { kind: 'any', prefix: podName ? `${owner.name}-` : '' };
      }
      const values: string[] = [];
      for (let i = start; i < start + replicas; i++) values.push(podName ? `${owner.name}-${i}` : String(i));
      return { kind: 'values', values };
    }
    case 'Deployment':
      return key === 'pod-template-hash' ? ANY : undefined;
    case 'DaemonSet':
      return key === 'controller-revision-hash' || key === 'pod-template-generation' ? ANY : undefined;
    case 'Job': {
      if (spec.manualSelector === true) return undefined;
      if (key === 'job-name' || key === 'batch.kubernetes.io/job-name') return { kind: 'values', values: [owner.name] };
      if (key === 'controller-uid' || key === 'batch.kubernetes.io/controller-uid') return ANY;
      if (key === 'batch.kubernetes.io/job-completion-index') return spec.completionMode === 'Indexed' ? ANY : undefined;
      return undefined;
    }
    case 'CronJob': {
      if (key === 'job-name' || key === 'batch.kubernetes.io/job-name') return { kind: 'any', prefix: `${owner.name}-` };
      if (key === 'controller-uid' || key === 'batch.kubernetes.io/controller-uid') return ANY;
      if (key === 'batch.kubernetes.io/job-completion-index') return getPath(spec, ['jobTemplate', 'spec', 'completionMode']) === 'Indexed' ? ANY : undefined;
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The selected templates of the selecting object's own deployment unit: those in its file, else
 * those in its directory, else all. Repositories keep unrelated samples and alternative variants
 * side by side in one namespace, and a Service's port expectations concern the Pods shipped with
 * it. The same workload written in several files counts once (the nearest copy).
 */
export function preferSameUnit(object: K8sObject, pods: readonly SelectedPod[]): readonly SelectedPod[] {
  const dir = directoryOf(object.uri);
  const sameFile = pods.filter((p) => p.template.owner.uri === object.uri);
  const sameDir = pods.filter((p) => directoryOf(p.template.owner.uri) === dir);
  const tier = sameFile.length > 0 ? sameFile : sameDir.length > 0 ? sameDir : pods;
  const seen = new Set<string>();
  return tier.filter((p) => {
    const key = ownerText(p.template);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function directoryOf(uri: string): string {
  const slash = uri.lastIndexOf('/');
  return slash < 0 ? '' : uri.slice(0, slash);
}

/** Namespaces whose Pods the cluster itself creates (static control-plane Pods, add-ons). */
const CLUSTER_MANAGED_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

/**
 * True when Pods of `namespace` may exist that no YAML in the workspace describes: the namespace
 * holds custom resources (operators create Pods from them) or is cluster-managed.
 */
export function hasPodsOutsideWorkspace(ctx: CheckContext, namespace: string): boolean {
  if (CLUSTER_MANAGED_NAMESPACES.has(namespace)) return true;
  // Kustomizations are build files, not objects an operator turns into pods.
  return ctx.index.apiGroupsIn(namespace).some((group) => !isBuiltinGroup(group) && group !== 'kustomize.config.k8s.io');
}

/** `Deployment shop/web` (a bare Pod: `Pod shop/web`). */
export function ownerText(template: PodTemplate): string {
  const o = template.owner;
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/** Field path of a template's labels within its owner. */
export function templateLabelsPath(template: PodTemplate): FieldPath {
  return template.path.length === 0 ? ['metadata', 'labels'] : [...template.path, 'metadata', 'labels'];
}

/** Labels as `k=v,k2=v2` (sorted), or `no labels`. */
export function labelsText(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? 'no labels' : keys.map((k) => `${k}=${labels[k]}`).join(',');
}

/** A near miss: a template of the namespace that fails exactly one requirement of the selector. */
export interface NearMiss {
  readonly template: PodTemplate;
  readonly requirement: Requirement;
}

export interface NoMatchFinding {
  readonly message: string;
  readonly severity: Severity | undefined;
  readonly related: RelatedPlace[];
  /** Set when exactly one template of the namespace misses by exactly one requirement. */
  readonly nearMiss: NearMiss | undefined;
}

/**
 * Message, severity and related places for a selector that selects no Pod in `object`'s namespace:
 * the closest templates there (fewest failed requirements), and other namespaces where it would
 * select Pods. `what` starts the message ("Service selector"), `crossNamespaceRule` explains why
 * other namespaces do not count.
 */
export function explainNoMatch(ctx: CheckContext, object: K8sObject, selector: Selector, what: string, crossNamespaceRule: string): NoMatchFinding {
  const { index } = ctx;
  const namespace = object.namespace;
  const related: RelatedPlace[] = [];
  const parts: string[] = [`${what} ${selectorToString(selector)} matches no pod in namespace "${namespace}"`];

  const inNamespace = index.podTemplatesIn(namespace);
  // One entry per workload: the same object written in several files (variants) counts once,
  // represented by the copy nearest to the selecting object.
  const dir = directoryOf(object.uri);
  const byOwner = new Map<string, PodTemplate>();
  for (const t of inNamespace) {
    const key = ownerText(t);
    const seen = byOwner.get(key);
    if (!seen || (directoryOf(seen.owner.uri) !== dir && directoryOf(t.owner.uri) === dir)) byOwner.set(key, t);
  }
  const misses = [...byOwner]
    .map(([owner, template]) => ({ owner, template, failed: failedRequirements(template, selector) }))
    .filter((m) => m.failed.length > 0)
    .map((m) => ({ ...m, distance: missDistance(m.template.labels, m.failed) }))
    .sort((a, b) => a.failed.length - b.failed.length || a.distance - b.distance || (a.owner < b.owner ? -1 : 1));
  // A workload failing every requirement is "close" only when each differing value looks like a typo.
  const total = selector.kind === 'requirements' ? selector.requirements.length : 0;
  const candidates = misses.filter((m) => m.failed.length < total || m.failed.every((r) => isPlausibleTypo(m.template.labels, r)));
  const closest = candidates.length > 0 ? candidates.filter((m) => m.failed.length === candidates[0].failed.length).slice(0, 3) : [];
  if (inNamespace.length === 0) {
    parts.push(`the workspace describes no pods in that namespace`);
  } else if (closest.length > 0) {
    const described = closest.map((m) => `${ownerText(m.template)} ${m.failed.map((r) => missText(m.template.labels, r)).join(' and ')}`);
    parts.push(`closest: ${described.join('; ')}`);
    for (const m of closest) {
      related.push({ object: m.template.owner, path: templateLabelsPath(m.template), message: `${ownerText(m.template)} pod labels: ${labelsText(m.template.labels)}` });
    }
  }
  const nearMiss = pickNearMiss(misses);

  let implicitOnly = !object.namespaceExplicit;
  const elsewhere: SelectedPod[] = [];
  for (const ns of index.namespaces()) {
    if (ns === namespace) continue;
    elsewhere.push(...selectPods(ctx, ns, selector));
  }
  if (elsewhere.length > 0) {
    const names = [...new Set(elsewhere.map((p) => ownerText(p.template)))].sort();
    parts.push(`it would select the pods of ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''} in another namespace, but ${crossNamespaceRule}`);
    for (const p of elsewhere.slice(0, 3)) {
      related.push({ object: p.template.owner, path: templateLabelsPath(p.template), message: `matching pods of ${ownerText(p.template)} (namespace "${p.template.owner.namespace}")` });
    }
    if (elsewhere.some((p) => !p.template.owner.namespaceExplicit)) implicitOnly = true;
  } else {
    implicitOnly = false;
  }

  const outside = hasPodsOutsideWorkspace(ctx, namespace);
  if (outside) parts.push(`namespace "${namespace}" may have Pods that are not described in the workspace (custom resources or cluster-managed Pods)`);
  // A namespace without any pod template is served by workloads deployed from elsewhere.
  // Unless the selector matches Pods in another namespace: then the namespace is the mistake.
  const severity: Severity | undefined = outside || implicitOnly || (inNamespace.length === 0 && elsewhere.length === 0) ? 'info' : undefined;
  return { message: parts.join('; '), severity, related, nearMiss };
}

/**
 * The one template a selector most plausibly meant: it fails exactly one requirement, and either
 * it is the only such template, or its differing value is uniquely the closest to the selector's
 * and plausibly a typo (one contains the other, or at most a third of the characters differ).
 */
function pickNearMiss(misses: ReadonlyArray<{ template: PodTemplate; failed: Requirement[]; distance: number }>): NearMiss | undefined {
  const ones = misses.filter((m) => m.failed.length === 1);
  if (ones.length === 0) return undefined;
  const best = ones[0];
  if (ones.length > 1) {
    if (!Number.isFinite(best.distance) || ones[1].distance <= best.distance) return undefined;
    if (!isPlausibleTypo(best.template.labels, best.failed[0])) return undefined;
  }
  return { template: best.template, requirement: best.failed[0] };
}

/** An equality requirement a label value misses plausibly by a typo: one contains the other, or at most a third of the characters differ. */
function isPlausibleTypo(labels: Labels, r: Requirement): boolean {
  if ((r.operator !== '=' && r.operator !== '==') || !Object.hasOwn(labels, r.key)) return false;
  const actual = labels[r.key];
  const wanted = r.values[0] ?? '';
  if (actual === '' || wanted === '') return false;
  return actual.includes(wanted) || wanted.includes(actual) || editDistance(actual, wanted) <= Math.floor(Math.max(actual.length, wanted.length) / 3);
}

/** How far a template's labels are from satisfying failed equality requirements (edit distance of values; Infinity for missing keys or other operators). */
function missDistance(labels: Labels, failed: readonly Requirement[]): number {
  let total = 0;
  for (const r of failed) {
    if (!Object.hasOwn(labels, r.key) || (r.operator !== '=' && r.operator !== '==')) return Infinity;
    total += editDistance(labels[r.key], r.values[0] ?? '');
  }
  return total;
}

/** The selector's requirements a template's Pods fail (run-time labels counted). */
export function failedRequirements(template: PodTemplate, selector: Selector): Requirement[] {
  if (selector.kind !== 'requirements') return [];
  return selector.requirements.filter((r) => requirementVerdict(template, r) === 'fails');
}

/** `has app=web` / `has no label app` / `has app=web (needs app notin (web))`. */
function missText(labels: Labels, r: Requirement): string {
  if (!Object.hasOwn(labels, r.key)) return `has no label ${r.key}`;
  if (r.operator === '=' || r.operator === '==') return `has ${r.key}=${labels[r.key]}`;
  return `has ${r.key}=${labels[r.key]} (needs ${requirementToString(r)})`;
}

/**
 * Fixes for a Service selector one label away from a template: change the selector value to the
 * template's (preferred), or put the selector's label on the template.
 */
export function serviceSelectorFixes(service: K8sObject, miss: NearMiss): Fix[] {
  const { template, requirement: r } = miss;
  if (r.operator !== '=' && r.operator !== '==') return [];
  const wanted = r.values[0] ?? '';
  const labelsPath = templateLabelsPath(template);
  const fixes: Fix[] = [];
  if (Object.hasOwn(template.labels, r.key)) {
    const actual = template.labels[r.key];
    fixes.push({
      title: `Change the selector to ${r.key}=${actual} (the labels of ${ownerText(template)})`,
      preferred: true,
      edits: [{ kind: 'replace-value', place: { object: service, path: ['spec', 'selector', r.key] }, text: yamlScalarText(actual) }],
    });
    fixes.push({
      title: `Change the pod label of ${ownerText(template)} to ${r.key}=${wanted}`,
      edits: [{ kind: 'replace-value', place: { object: template.owner, path: [...labelsPath, r.key] }, text: yamlScalarText(wanted) }],
    });
  } else {
    fixes.push({
      title: `Add the label ${r.key}=${wanted} to the pods of ${ownerText(template)}`,
      preferred: true,
      edits: [setLabelEdit(template, r.key, wanted)],
    });
  }
  return fixes;
}

/** A fix edit adding `key: value` to a template's labels, creating `labels` (or `metadata`) as needed. */
export function setLabelEdit(template: PodTemplate, key: string, value: string): Fix['edits'][number] {
  const labelsPath = templateLabelsPath(template);
  const metadataPath = labelsPath.slice(0, -1);
  if (getPath(template.owner.raw, metadataPath) === undefined && metadataPath.length > 1) {
    return {
      kind: 'set-field',
      place: { object: template.owner, path: metadataPath.slice(0, -1) },
      key: 'metadata',
      text: `{labels: {${yamlScalarText(key)}: ${yamlScalarText(value)}}}`,
    };
  }
  return { kind: 'set-field', place: { object: template.owner, path: labelsPath }, key: yamlScalarText(key), text: yamlScalarText(value) };
}

/**
 * A string as a YAML scalar that reads back as that string: plain when safe, double-quoted when
 * YAML would read it as another type (numbers, booleans of YAML 1.1 and 1.2, null) or it holds
 * indicator characters.
 */
export function yamlScalarText(value: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9._/-]*$/.test(value) && !/^(y|n|yes|no|on|off|true|false|null)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

/**
 * The pod templates behind a Service, for port checks: none for ExternalName Services, Services
 * without a selector and invalid selectors; otherwise the selected templates, preferring the
 * Service's own deployment unit (`preferSameUnit`).
 */
export function serviceBackends(ctx: CheckContext, service: K8sObject): readonly SelectedPod[] {
  const spec = service.raw.spec;
  if (!isRecord(spec) || spec.type === 'ExternalName' || !isRecord(spec.selector)) return [];
  const { selector, errors } = validatedSelectorFromMap(stringMap(spec.selector));
  if (errors.length > 0 || selector.kind !== 'requirements') return [];
  return preferSameUnit(service, selectPods(ctx, service.namespace, selector));
}

/**
 * Error-level findings between an object that names its namespace and one that does not are
 * capped at warning: the implicit one may be applied to another namespace.
 */
export function capForImplicitNamespace(object: K8sObject, others: readonly K8sObject[], severity: Severity): Severity {
  if (severity !== 'error') return severity;
  return others.some((o) => o.namespaceExplicit !== object.namespaceExplicit) ? 'warning' : severity;
}

// ---------------------------------------------------------------------------------------------
// Kustomize: patches and the labels a kustomization adds.

/** Kustomization and Component objects (kustomize.config.k8s.io), the only build files the index sees. */
function kustomizations(index: WorkspaceIndex): K8sObject[] {
  return [...index.ofKind('Kustomization'), ...index.ofKind('Component')].filter((k) => k.group === 'kustomize.config.k8s.io');
}

/**
 * True for a manifest that is a patch rather than a whole object: a kustomization lists its file
 * as a patch, or another object of the same kind and name (any namespace, another file) has a
 * value at `field` (the base this file patches; kustomization files without `kind` are invisible
 * to the index, so this catches their patches too).
 */
export function looksLikePatch(index: WorkspaceIndex, object: K8sObject, field: FieldPath): boolean {
  for (const other of index.ofKind(object.kind)) {
    if (other.uri === object.uri || other.name !== object.name) continue;
    const value = getPath(other.raw, field);
    if (value !== undefined && value !== null) return true;
  }
  for (const k of kustomizations(index)) {
    const dir = directoryOf(k.uri);
    for (const rel of listedPaths(k.raw, ['patchesStrategicMerge', 'patches', 'patchesJson6902'])) {
      if (resolveRelative(dir, rel) === object.uri) return true;
    }
  }
  return false;
}

/** Labels kustomize adds to a resource file: to selectors and templates, and to templates only. */
export interface KustomizeLabels {
  readonly selectorsAndTemplates: Labels;
  readonly templatesOnly: Labels;
}

const NO_KUSTOMIZE_LABELS: KustomizeLabels = { selectorsAndTemplates: {}, templatesOnly: {} };
/** The resolver of a workspace whose kustomizations include nothing: no file gets labels. */
const noKustomizeLabels = (): KustomizeLabels => NO_KUSTOMIZE_LABELS;

/**
 * The labels the kustomizations building `uri` add: `commonLabels`, and `labels[]` entries with
 * `includeSelectors: true` go into selectors and pod templates; `includeTemplates: true` into pod
 * templates only. Kustomizations including the file's directory (overlays) add theirs too.
 */
export function kustomizeLabels(ctx: CheckContext, uri: string): KustomizeLabels {
  return kustomizeLabelResolver(ctx)(uri);
}

/**
 * A resolver of `kustomizeLabels` for many files: the kustomizations are read once per revision
 * (resource path -> including kustomizations), then each file costs its chain of includes.
 */
export function kustomizeLabelResolver(ctx: CheckContext): (uri: string) => KustomizeLabels {
  return ctx.memo('pod-selection:kustomize-labels', () => buildKustomizeLabelResolver(ctx.index));
}

function buildKustomizeLabelResolver(index: WorkspaceIndex): (uri: string) => KustomizeLabels {
  const includedBy = new Map<string, K8sObject[]>();
  for (const k of kustomizations(index)) {
    const dir = directoryOf(k.uri);
    for (const rel of listedPaths(k.raw, ['resources', 'components', 'bases'])) {
      const target = resolveRelative(dir, rel);
      const list = includedBy.get(target);
      if (list) list.push(k);
      else includedBy.set(target, [k]);
    }
  }
  if (includedBy.size === 0) return noKustomizeLabels;
  return (uri) => {
    const selectorsAndTemplates: Record<string, string> = {};
    const templatesOnly: Record<string, string> = {};
    const visited = new Set<string>();
    const visit = (target: string): void => {
      for (const k of includedBy.get(target) ?? []) {
        if (visited.has(k.id)) continue;
        visited.add(k.id);
        // Outer kustomizations apply last, so theirs win: visit them first, then assign what is unset.
        visit(directoryOf(k.uri));
        for (const [key, v] of Object.entries(stringMap(k.raw.commonLabels))) if (!Object.hasOwn(selectorsAndTemplates, key)) selectorsAndTemplates[key] = v;
        for (const entry of Array.isArray(k.raw.labels) ? k.raw.labels : []) {
          if (!isRecord(entry)) continue;
          const target = entry.includeSelectors === true ? selectorsAndTemplates : entry.includeTemplates === true ? templatesOnly : undefined;
          if (!target) continue;
          for (const [key, v] of Object.entries(stringMap(entry.pairs))) if (!Object.hasOwn(target, key)) target[key] = v;
        }
      }
    };
    visit(uri);
    return { selectorsAndTemplates, templatesOnly };
  };
}

function listedPaths(raw: Readonly<Record<string, unknown>>, fields: readonly string[]): string[] {
  const out: string[] = [];
  for (const field of fields) {
    const list = raw[field];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      if (typeof item === 'string' && !item.includes('\n')) out.push(item);
      else if (isRecord(item) && typeof item.path === 'string') out.push(item.path);
    }
  }
  return out;
}

function resolveRelative(dir: string, rel: string): string {
  const parts = dir.split('/');
  for (const seg of rel.replace(/\/+$/, '').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

/** True for a shell-template placeholder (`${VAR}`, `${VAR:-default}`): the value is not known yet. */
export function isPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}
