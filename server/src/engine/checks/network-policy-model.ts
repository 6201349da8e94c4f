// The NetworkPolicy model of one namespace for checks: the namespace's pod templates and Pods,
// every Namespace object (for namespaceSelector peers) and the namespace's policies. The objects
// taking part are listed once per workspace revision; the model itself is rebuilt only when what
// those objects contribute to it changed (`memoByInputs`), so an edit elsewhere (another folder,
// another namespace, a container image) keeps it.
import type { CheckContext } from './types';
import { dirName } from '../model/apply-unit';
import type { K8sObject } from '../model/object';
import { compareText } from '../text/compare';
import type { Selector } from '../labels/selector';
import { buildNetworkPolicyModel, type NetworkPolicyModel } from '../semantics/network-policy';
import { networkPolicyEntryKey, networkPolicyEntryOf, networkPolicyInputFromEntries, type NetworkPolicyEntry } from '../semantics/network-policy-workspace';

/**
 * The model for the objects applied together with `uri`: its folder (`kubectl apply -f <folder>`) and
 * the kustomizations including it, so that policies of an unrelated example elsewhere in the same
 * namespace never isolate this file's pods.
 */
export function namespacePolicyModel(ctx: CheckContext, namespace: string, uri: string): NetworkPolicyModel {
  const units = ctx.applyUnits;
  // A plain file's own unit adds nothing to its folder: files of one folder share one model.
  const kustomizeUnits = units.unitsOf(uri).filter((u) => !u.startsWith('file:'));
  const key = `netpol-model:${namespace}:${kustomizeUnits.join(',')}|${dirName(uri)}`;
  return ctx.memo(key, () => {
    const folder = dirName(uri);
    const inFolder = (other: string) => other.startsWith(folder) && other.indexOf('/', folder.length) < 0;
    const together = (o: K8sObject) => o.uri === uri || inFolder(o.uri) || (kustomizeUnits.length > 0 && units.shareUnit(o.uri, uri));
    const policies = ctx.index.ofKind('NetworkPolicy', namespace).filter(together);
    // Without kustomizations the objects applied together are the folder's: read only its templates.
    const templates = kustomizeUnits.length > 0 ? ctx.index.podTemplatesIn(namespace) : ctx.index.podTemplatesInFolder(namespace, folder);
    const objects: K8sObject[] = [...ctx.index.ofKind('Namespace'), ...policies, ...templates.map((t) => t.owner).filter(together)];
    // Peers may select pods of other namespaces: include those namespaces' templates when a policy says so.
    const crossNamespace = policies.some((p) => entryOf(p).selectsNamespaces);
    if (crossNamespace) for (const ns of ctx.index.namespaces()) if (ns !== namespace) objects.push(...ctx.index.podTemplatesIn(ns).map((t) => t.owner).filter(together));
    // Index order changes when a file is re-read; the ids give an order that does not.
    objects.sort((a, b) => compareText(a.id, b.id));
    const entries = objects.map(entryOf);
    return ctx.memoByInputs(key, entries.map((e) => e.key), () => buildNetworkPolicyModel(networkPolicyInputFromEntries(entries.map((e) => e.entry))));
  });
}

/**
 * The model, for a check whose result takes from it only the pods `selector` selects in `namespace`
 * (their labels, ports and names) and the namespace's policies: those are what the check reads, not
 * every template of the folder the model is built from. A label edit elsewhere in the folder rebuilds
 * the model but leaves such a check's findings alone. Reads: the templates `selector` selects (by
 * their labels), the templates of their names (a name two workloads share is told apart by kind in
 * the model, `network-policy-workspace.ts`) and the namespace's NetworkPolicies.
 */
export function policyModelForPods(ctx: CheckContext, namespace: string, uri: string, selector: Selector): NetworkPolicyModel {
  const model = ctx.untracked(() => namespacePolicyModel(ctx, namespace, uri));
  notePodsRead(ctx, namespace, selector);
  return model;
}

/** The reads `policyModelForPods` stands for, for a check that decides after building the model. */
export function notePodsRead(ctx: CheckContext, namespace: string, selector: Selector): void {
  ctx.index.ofKind('NetworkPolicy', namespace);
  for (const t of ctx.index.selectPodTemplates(namespace, selector)) {
    // The name the model gives the template's pods, and the one it falls back to when that is taken.
    ctx.index.podTemplatesNamed(namespace, t.owner.name);
    ctx.index.podTemplatesNamed(namespace, `${t.owner.name}-${t.owner.kind.toLowerCase()}`);
  }
}

interface ModelEntry {
  readonly entry: NetworkPolicyEntry | undefined;
  readonly key: string;
  /** A policy whose spec mentions `namespaceSelector`: its peers may be pods of other namespaces. */
  readonly selectsNamespaces: boolean;
}

/** Each object's entry, computed once per object (objects are immutable: a re-read file gives new ones). */
const entries = new WeakMap<K8sObject, ModelEntry>();

function entryOf(o: K8sObject): ModelEntry {
  let e = entries.get(o);
  if (!e) {
    const entry = networkPolicyEntryOf(o);
    const selectsNamespaces = o.kind === 'NetworkPolicy' && JSON.stringify(o.raw.spec ?? {}).includes('namespaceSelector');
    entries.set(o, (e = { entry, key: networkPolicyEntryKey(entry), selectsNamespaces }));
  }
  return e;
}

/** "spec.ingress[0].ports[1].port" -> ['spec', 'ingress', 0, 'ports', 1, 'port']. */
export function pathFromText(text: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of text.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}
