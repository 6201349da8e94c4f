// The workspace index: objects by (group, kind, namespace, name), by kind, and pod templates by
// namespace and label key/value (label-index.ts), so selector queries start from the smallest
// posting list and never scan the whole workspace. Updating one file removes and re-adds only that
// file's objects.
import { matches, type Selector } from '../labels/selector';
import { refKey, type ObjectRef } from '../model/ref';
import type { K8sObject } from '../model/object';
import { podTemplateOf, type PodTemplate } from '../model/pod-template';
import { LabelIndex } from './label-index';
import { compareText } from '../text/compare';

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
  /** Work counters, for benchmarks and linearity assertions. */
  readonly counters = { selectorQueries: 0, candidatesTested: 0 };

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
    return this.byFile.get(uri) ?? [];
  }

  files(): IterableIterator<string> {
    return this.byFile.keys();
  }

  get objectCount(): number {
    let n = 0;
    for (const list of this.byFile.values()) n += list.length;
    return n;
  }

  /** All objects with this identity (more than one means a duplicate). */
  lookup(ref: ObjectRef): readonly K8sObject[] {
    return this.byRef.get(refKey(ref)) ?? [];
  }

  /** Objects of a kind (any group), optionally in one namespace. */
  ofKind(kind: string, namespace?: string): K8sObject[] {
    const byNs = this.byKind.get(kind);
    if (!byNs) return [];
    if (namespace !== undefined) return [...(byNs.get(namespace) ?? [])];
    const out: K8sObject[] = [];
    for (const set of byNs.values()) out.push(...set);
    return out;
  }

  /** Objects of a kind and name in a namespace ('' for cluster-scoped), any API group. */
  named(kind: string, namespace: string, name: string): readonly K8sObject[] {
    return this.byName.get(`${kind}|${namespace}|${name}`) ?? [];
  }

  namespaces(): string[] {
    return [...this.namespaceCounts.keys()].filter((n) => n !== '').sort();
  }

  hasNamespace(namespace: string): boolean {
    return this.namespaceCounts.has(namespace);
  }

  podTemplate(obj: K8sObject): PodTemplate | undefined {
    return this.templateOf.get(obj.id);
  }

  podTemplatesIn(namespace: string): readonly PodTemplate[] {
    return this.templates.all(namespace);
  }

  /**
   * Pod templates in `namespace` whose labels `selector` matches. Starts from the smallest posting list
   * of the selector's exact requirements; only selectors without one scan the namespace.
   */
  selectPodTemplates(namespace: string, selector: Selector): PodTemplate[] {
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
      if (matches(selector, t.labels)) return true;
    }
    return false;
  }

  /** Namespaces other than `namespace` where `selector` would match a pod template (for "did you mean" hints). */
  namespacesWithMatches(selector: Selector, except: string): string[] {
    const out: string[] = [];
    for (const ns of this.templates.namespaces()) {
      if (ns === except) continue;
      if (this.selectsAnyPodTemplate(ns, selector)) out.push(ns);
    }
    return out.sort();
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
    this.namespaceCounts.set(obj.namespace, (this.namespaceCounts.get(obj.namespace) ?? 0) + 1);
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
    if (count <= 0) this.namespaceCounts.delete(obj.namespace);
    else this.namespaceCounts.set(obj.namespace, count);
    const template = this.templateOf.get(obj.id);
    if (!template) return;
    this.templateOf.delete(obj.id);
    this.sortKeys.delete(template);
    this.templates.remove(obj.namespace, template.labels, template);
  }
}
