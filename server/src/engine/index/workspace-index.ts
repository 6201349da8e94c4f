// The workspace index: objects by (group, kind, namespace, name), by kind, and pod templates by
// namespace and label key/value (label-index.ts), so selector queries start from the smallest
// posting list and never scan the whole workspace. Updating one file removes and re-adds only that
// file's objects.
//
// Read tracking: while a log is set (`trackReads`), every query adds a key naming what it read
// (`readKeys`): one object (the template that makes "does the selector match any?" true), the
// objects of one name, of a kind in a namespace, the API groups of a namespace, the pod templates of a namespace (or only
// those with one label, for a selector query: every match has a value of its first exact
// requirement), one file's objects, the set of namespaces, or everything. The workspace keeps a
// check's findings until an edit changes something under one of the keys the check read.
import { exactMatchRequirements, matches, type Selector } from '../labels/selector';
import { refKey, type ObjectRef } from '../model/ref';
import type { K8sObject } from '../model/object';
import { podTemplateOf, type PodTemplate } from '../model/pod-template';
import { LabelIndex } from './label-index';
import { dirName } from '../model/apply-unit';
import { WORKLOAD_KINDS } from '../model/kinds';
import { compareText } from '../text/compare';

/** The keys `trackReads` records; the workspace marks the same keys changed when it applies an edit. */
export const readKeys = {
  /** One object, by id: a selector query answered "yes" by it stays answered while it is unchanged. */
  object: (id: string): string => `object:${id}`,
  /** Objects of `kind` named `name` in `namespace` (any API group). */
  named: (kind: string, namespace: string, name: string): string => `name:${kind}|${namespace}|${name}`,
  /** Objects of `kind` in `namespace`; every namespace when undefined. */
  kind: (kind: string, namespace: string | undefined): string => `kind:${namespace ?? '*'}:${kind}`,
  /** The API groups of the namespaced objects in `namespace`. */
  groups: (namespace: string): string => `groups:${namespace}`,
  /** Pod templates (and their labels) of `namespace`; every namespace when undefined. */
  pods: (namespace: string | undefined): string => `pods:${namespace ?? '*'}`,
  /**
   * Pod templates of `namespace` whose workloads are named `name`; marked for `name-<kind>` too,
   * how the NetworkPolicy model tells apart workloads of one name (see `podTemplatesNamed`).
   */
  podsNamed: (namespace: string, name: string): string => `pods:${namespace}#${name}`,
  /** Pod templates of `namespace` whose objects are in `folder` (see `podTemplatesInFolder`). */
  podsInFolder: (namespace: string, folder: string): string => `pods:${namespace}@${folder}`,
  /** Pod templates of `namespace` that have (or had) the label `key=value`. */
  podLabel: (namespace: string, key: string, value: string): string => `pods:${namespace}:${key}=${value}`,
  /** The objects of one file. */
  file: (uri: string): string => `file:${uri}`,
  /** Which namespaces hold objects. */
  namespaces: 'namespaces',
  /** Anything: changed by every edit. */
  everything: '*',
} as const;

export class WorkspaceIndex {
  private readonly byFile = new Map<string, readonly K8sObject[]>();
  private readonly byRef = new Map<string, K8sObject[]>();
  /** kind -> namespace -> objects (any API group). */
  private readonly byKind = new Map<string, Map<string, Set<K8sObject>>>();
  /** `kind|namespace|name` -> objects (any API group). */
  private readonly byName = new Map<string, K8sObject[]>();
  private readonly templates = new LabelIndex<PodTemplate>();
  private readonly templateOf = new Map<string, PodTemplate>();
  /** Each template's sort key (`kind/name/id` of its owner), computed once when it is indexed. */
  private readonly sortKeys = new Map<PodTemplate, string>();
  private readonly namespaceCounts = new Map<string, number>();
  /** namespace -> API group -> how many namespaced objects of that group it holds. */
  private readonly groupCounts = new Map<string, Map<string, number>>();
  /** Work counters, for benchmarks and linearity assertions. */
  readonly counters = { selectorQueries: 0, candidatesTested: 0 };
  /** Incremented whenever a namespace gains its first object or loses its last one. */
  private namespaceSetVersion = 0;
  private readLog: Set<string> | undefined;

  /** Records the keys of what queries read into `log` (none when undefined); returns the previous log. */
  trackReads(log: Set<string> | undefined): Set<string> | undefined {
    const previous = this.readLog;
    this.readLog = log;
    return previous;
  }

  /** Changes whenever the set of namespaces holding objects changes. */
  get namespacesVersion(): number {
    return this.namespaceSetVersion;
  }

  /** Replaces the objects of one file. */
  setFile(uri: string, objects: readonly K8sObject[]): void {
    this.removeFile(uri);
    if (objects.length === 0) return;
    this.byFile.set(uri, objects);
    for (const obj of objects) this.add(obj);
  }

  removeFile(uri: string): void {
    const old = this.byFile.get(uri);
    if (!old) return;
    for (const obj of old) this.remove(obj);
    this.byFile.delete(uri);
  }

  objectsInFile(uri: string): readonly K8sObject[] {
    this.readLog?.add(readKeys.file(uri));
    return this.byFile.get(uri) ?? [];
  }

  files(): IterableIterator<string> {
    this.readLog?.add(readKeys.everything);
    return this.byFile.keys();
  }

  get objectCount(): number {
    this.readLog?.add(readKeys.everything);
    let n = 0;
    for (const list of this.byFile.values()) n += list.length;
    return n;
  }

  /** All objects with this identity (more than one means a duplicate). */
  lookup(ref: ObjectRef): readonly K8sObject[] {
    this.readLog?.add(readKeys.named(ref.kind, ref.namespace, ref.name));
    return this.byRef.get(refKey(ref)) ?? [];
  }

  /** Objects of a kind (any group), optionally in one namespace. */
  ofKind(kind: string, namespace?: string): K8sObject[] {
    this.readLog?.add(readKeys.kind(kind, namespace));
    const byNs = this.byKind.get(kind);
    if (!byNs) return [];
    if (namespace !== undefined) return [...(byNs.get(namespace) ?? [])];
    const out: K8sObject[] = [];
    for (const set of byNs.values()) out.push(...set);
    return out;
  }

  /** Objects of a kind and name in a namespace ('' for cluster-scoped), any API group. */
  named(kind: string, namespace: string, name: string): readonly K8sObject[] {
    this.readLog?.add(readKeys.named(kind, namespace, name));
    return this.byName.get(`${kind}|${namespace}|${name}`) ?? [];
  }

  namespaces(): string[] {
    this.readLog?.add(readKeys.namespaces);
    return [...this.namespaceCounts.keys()].filter((n) => n !== '').sort();
  }

  hasNamespace(namespace: string): boolean {
    this.readLog?.add(readKeys.namespaces);
    return this.namespaceCounts.has(namespace);
  }

  /** The template of an object the caller already has (no read is recorded: finding `obj` was one). */
  podTemplate(obj: K8sObject): PodTemplate | undefined {
    return this.templateOf.get(obj.id);
  }

  /** The API groups of the namespaced objects in `namespace`, sorted ('' for the core group). */
  apiGroupsIn(namespace: string): string[] {
    this.readLog?.add(readKeys.groups(namespace));
    return [...(this.groupCounts.get(namespace)?.keys() ?? [])].sort();
  }

  podTemplatesIn(namespace: string): readonly PodTemplate[] {
    this.readLog?.add(readKeys.pods(namespace));
    return this.templates.all(namespace);
  }

  /** The pod templates of `namespace` whose workloads (of any kind) are named `name`. */
  podTemplatesNamed(namespace: string, name: string): PodTemplate[] {
    this.readLog?.add(readKeys.podsNamed(namespace, name));
    const out: PodTemplate[] = [];
    for (const kind of WORKLOAD_KINDS) {
      for (const o of this.byName.get(`${kind}|${namespace}|${name}`) ?? []) {
        const t = this.templateOf.get(o.id);
        if (t) out.push(t);
      }
    }
    return out;
  }

  /**
   * The pod templates of `namespace` whose objects are in files directly in `folder` (a uri ending
   * in `/`, as `dirName` gives): what a folder's NetworkPolicy model reads, so that an edit in
   * another folder leaves it alone.
   */
  podTemplatesInFolder(namespace: string, folder: string): PodTemplate[] {
    this.readLog?.add(readKeys.podsInFolder(namespace, folder));
    return this.templates.all(namespace).filter((t) => dirName(t.owner.uri) === folder);
  }

  /**
   * Pod templates in `namespace` whose labels `selector` matches. Starts from the smallest posting list
   * of the selector's exact requirements; only selectors without one scan the namespace.
   */
  selectPodTemplates(namespace: string, selector: Selector): PodTemplate[] {
    if (this.readLog) this.noteSelection(this.readLog, namespace, selector);
    this.counters.selectorQueries++;
    const out: PodTemplate[] = [];
    for (const t of this.templates.candidates(namespace, selector)) {
      this.counters.candidatesTested++;
      if (matches(selector, t.labels)) out.push(t);
    }
    if (out.length < 2) return out;
    const keys = this.sortKeys;
    return out.sort((a, b) => compareText(keys.get(a)!, keys.get(b)!));
  }

  /**
   * Whether `selector` matches some pod template in `namespace`: `selectPodTemplates(...).length > 0`
   * without collecting and sorting the matches (a broad selector matches half a namespace).
   */
  selectsAnyPodTemplate(namespace: string, selector: Selector): boolean {
    this.counters.selectorQueries++;
    for (const t of this.templates.candidates(namespace, selector)) {
      this.counters.candidatesTested++;
      if (!matches(selector, t.labels)) continue;
      // "Yes" holds while this template does: no other template can change the answer.
      this.readLog?.add(readKeys.object(t.owner.id));
      return true;
    }
    if (this.readLog) this.noteSelection(this.readLog, namespace, selector);
    return false;
  }

  /** Namespaces other than `namespace` where `selector` would match a pod template (for "did you mean" hints). */
  namespacesWithMatches(selector: Selector, except: string): string[] {
    this.readLog?.add(readKeys.pods(undefined));
    const out: string[] = [];
    for (const ns of this.templates.namespaces()) {
      if (ns === except) continue;
      if (this.selectsAnyPodTemplate(ns, selector)) out.push(ns);
    }
    return out.sort();
  }

  /**
   * What a selector query reads: nothing for `nothing`; with an exact requirement, the templates
   * carrying one of its values (every match does); else the whole namespace.
   */
  private noteSelection(log: Set<string>, namespace: string, selector: Selector): void {
    if (selector.kind === 'nothing') return;
    const first = exactMatchRequirements(selector)[0];
    if (!first) {
      log.add(readKeys.pods(namespace));
      return;
    }
    for (const value of first.values) log.add(readKeys.podLabel(namespace, first.key, value));
  }

  private add(obj: K8sObject): void {
    const key = refKey(obj);
    const list = this.byRef.get(key);
    if (list) list.push(obj);
    else this.byRef.set(key, [obj]);
    let byNs = this.byKind.get(obj.kind);
    if (!byNs) this.byKind.set(obj.kind, (byNs = new Map()));
    let kindSet = byNs.get(obj.namespace);
    if (!kindSet) byNs.set(obj.namespace, (kindSet = new Set()));
    kindSet.add(obj);
    const nameKey = `${obj.kind}|${obj.namespace}|${obj.name}`;
    const named = this.byName.get(nameKey);
    if (named) named.push(obj);
    else this.byName.set(nameKey, [obj]);
    const before = this.namespaceCounts.get(obj.namespace) ?? 0;
    if (before === 0) this.namespaceSetVersion++;
    this.namespaceCounts.set(obj.namespace, before + 1);
    if (!obj.clusterScoped) {
      let groups = this.groupCounts.get(obj.namespace);
      if (!groups) this.groupCounts.set(obj.namespace, (groups = new Map()));
      groups.set(obj.group, (groups.get(obj.group) ?? 0) + 1);
    }
    const template = podTemplateOf(obj);
    if (!template) return;
    this.templateOf.set(obj.id, template);
    this.sortKeys.set(template, `${obj.kind}/${obj.name}/${obj.id}`);
    this.templates.add(obj.namespace, template.labels, template);
  }

  private remove(obj: K8sObject): void {
    const key = refKey(obj);
    const list = this.byRef.get(key);
    if (list) {
      const i = list.indexOf(obj);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.byRef.delete(key);
    }
    const byNs = this.byKind.get(obj.kind);
    const kindSet = byNs?.get(obj.namespace);
    kindSet?.delete(obj);
    if (kindSet && kindSet.size === 0) byNs!.delete(obj.namespace);
    const nameKey = `${obj.kind}|${obj.namespace}|${obj.name}`;
    const named = this.byName.get(nameKey);
    if (named) {
      const j = named.indexOf(obj);
      if (j >= 0) named.splice(j, 1);
      if (named.length === 0) this.byName.delete(nameKey);
    }
    const count = (this.namespaceCounts.get(obj.namespace) ?? 1) - 1;
    if (count <= 0) {
      this.namespaceCounts.delete(obj.namespace);
      this.namespaceSetVersion++;
    } else this.namespaceCounts.set(obj.namespace, count);
    const groups = obj.clusterScoped ? undefined : this.groupCounts.get(obj.namespace);
    if (groups) {
      const n = (groups.get(obj.group) ?? 1) - 1;
      if (n > 0) groups.set(obj.group, n);
      else groups.delete(obj.group);
      if (groups.size === 0) this.groupCounts.delete(obj.namespace);
    }
    const template = this.templateOf.get(obj.id);
    if (!template) return;
    this.templateOf.delete(obj.id);
    this.sortKeys.delete(template);
    this.templates.remove(obj.namespace, template.labels, template);
  }
}
