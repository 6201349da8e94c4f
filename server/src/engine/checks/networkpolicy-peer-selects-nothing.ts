// Diagnostic: networkpolicy-peer-selects-nothing
//
// Kubernetes rule (spec a.5, g.3): a NetworkPolicy peer (`ingress[i].from[j]`, `egress[i].to[j]`)
// with only `podSelector` means the matching Pods of the policy's own namespace; with
// `namespaceSelector` it means Pods (all, or those `podSelector` matches) in the namespaces whose
// labels the selector matches. Every namespace carries `kubernetes.io/metadata.name=<name>`. An
// empty selector (`{}`) matches everything; `ipBlock` peers are addresses, not Pods.
//
// Fires only where the workspace knows the peer's whole world, to stay quiet about clusters:
//   - a `podSelector`-only peer matching no pod template of the policy's namespace;
//   - a `namespaceSelector` that pins namespaces by `kubernetes.io/metadata.name` (`=` or `In`),
//     all of them in the workspace: reported when the rest of the selector rejects those
//     namespaces (their Namespace objects lack the labels), or when its `podSelector` matches no
//     pod template there;
//   - a label-based `namespaceSelector` whose values name a Namespace object of the workspace
//     (e.g. `name: monitoring`) while no Namespace object carries those labels.
// Namespaces outside the workspace (kube-system, cluster add-ons) are never reported. At most
// `info` where Pods may come from outside the YAML (custom resources, cluster-managed namespaces).
import type { Check, CheckContext, FindingInput, RelatedPlace } from './types';
import type { WorkspaceIndex } from '../index/workspace-index';
import { isRecord, type K8sObject, type Labels } from '../model/object';
import type { FieldPath } from '../syntax/parse';
import { matches, selectorFromLabelSelector, selectorToString, type Selector } from '../labels/selector';
import { NAMESPACE_NAME_LABEL, netpolNamespace } from '../semantics/network-policy-model';
import { explainNoMatch, hasPodsOutsideWorkspace, labelsText, selectsAnyPod } from './pod-selection';

const CODE = 'networkpolicy-peer-selects-nothing';

export const networkpolicyPeerSelectsNothing: Check = {
  codes: { [CODE]: 'warning' },
  kinds: ['NetworkPolicy'],
  run(object, ctx, report) {
    const spec = object.raw.spec;
    if (!isRecord(spec)) return;
    for (const [direction, peersField] of [['ingress', 'from'], ['egress', 'to']] as const) {
      const rules = spec[direction];
      if (!Array.isArray(rules)) continue;
      rules.forEach((rule, i) => {
        if (!isRecord(rule) || !Array.isArray(rule[peersField])) return;
        (rule[peersField] as unknown[]).forEach((peer, j) => {
          if (!isRecord(peer) || peer.ipBlock !== undefined) return;
          const finding = checkPeer(ctx, object, peer, [direction, i, peersField, j]);
          if (finding) report(finding);
        });
      });
    }
  },
};

function checkPeer(ctx: CheckContext, policy: K8sObject, peer: Record<string, unknown>, at: FieldPath): FindingInput | undefined {
  const { index } = ctx;
  const podSelector = labelSelector(peer.podSelector);
  if (podSelector === 'invalid') return undefined;
  if (peer.namespaceSelector === undefined || peer.namespaceSelector === null) {
    if (!podSelector || podSelector.kind !== 'requirements') return undefined;
    if (selectsAnyPod(ctx, policy.namespace, podSelector)) return undefined;
    const finding = explainNoMatch(ctx, policy, podSelector, 'peer podSelector', 'a peer without namespaceSelector means Pods of the policy\'s own namespace only');
    return { code: CODE, message: `${finding.message}; this peer admits no pod`, path: ['spec', ...at, 'podSelector'], severity: finding.severity, related: finding.related };
  }
  const nsSelector = labelSelector(peer.namespaceSelector);
  if (!nsSelector || nsSelector === 'invalid' || nsSelector.kind !== 'requirements') return undefined;

  const pinned = pinnedNamespaces(nsSelector);
  if (pinned) {
    if (pinned.length === 0 || !pinned.every((ns) => isKnownNamespace(index, ns))) return undefined;
    const rejected: string[] = [];
    const accepted: string[] = [];
    const onlyByName = nsSelector.requirements.every((r) => r.key === NAMESPACE_NAME_LABEL);
    for (const ns of pinned) {
      const labels = namespaceLabels(index, ns) ?? (onlyByName ? { [NAMESPACE_NAME_LABEL]: ns } : undefined);
      if (!labels) return undefined; // only the name label is known: the rest cannot be judged
      (matches(nsSelector, labels) ? accepted : rejected).push(ns);
    }
    if (accepted.length === 0) {
      return {
        code: CODE,
        message: `namespaceSelector ${selectorToString(nsSelector)} matches none of the namespaces it names: ${rejected.map((ns) => `Namespace ${ns} has labels ${labelsText(namespaceLabels(index, ns) ?? {})}`).join('; ')}; this peer admits no pod`,
        path: ['spec', ...at, 'namespaceSelector'],
        related: rejected.flatMap((ns) => namespaceRelated(index, ns)),
      };
    }
    if (!podSelector || podSelector.kind !== 'requirements') return undefined;
    if (accepted.some((ns) => selectsAnyPod(ctx, ns, podSelector))) return undefined;
    const outside = accepted.some((ns) => hasPodsOutsideWorkspace(ctx, ns));
    return {
      code: CODE,
      message: `podSelector ${selectorToString(podSelector)} matches no pod in namespace${accepted.length > 1 ? 's' : ''} ${accepted.map((ns) => `"${ns}"`).join(', ')} (chosen by the namespaceSelector of this peer); this peer admits no pod`,
      path: ['spec', ...at, 'podSelector'],
      severity: outside ? 'info' : undefined,
    };
  }

  // Label-based: report only when the selector's values name a Namespace object no label matches.
  const namespaceObjects = index.ofKind('Namespace').filter((n) => n.clusterScoped || n.namespace === '');
  const matched = namespaceObjects.filter((n) => matches(nsSelector, withNameLabel(n)));
  if (matched.length > 0) return undefined;
  const values = new Set(nsSelector.requirements.flatMap((r) => r.values));
  const intended = namespaceObjects.filter((n) => values.has(n.name));
  if (intended.length === 0) return undefined;
  return {
    code: CODE,
    message: `namespaceSelector ${selectorToString(nsSelector)} matches no Namespace of the workspace; ${intended.map((n) => `Namespace ${n.name} has labels ${labelsText(withNameLabel(n))}`).join('; ')}; select a namespace by name with ${NAMESPACE_NAME_LABEL}`,
    path: ['spec', ...at, 'namespaceSelector'],
    related: intended.map((n) => ({ object: n, path: ['metadata', 'name'], message: `Namespace ${n.name}: labels ${labelsText(withNameLabel(n))}` })),
  };
}

/** A LabelSelector field: undefined when absent or null, 'invalid' on errors (reported elsewhere). */
function labelSelector(raw: unknown): Selector | 'invalid' | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) return 'invalid';
  const { selector, errors } = selectorFromLabelSelector(raw);
  return errors.length > 0 ? 'invalid' : selector;
}

/**
 * The namespace names a selector is limited to by its `kubernetes.io/metadata.name` requirements
 * (`=`, `==`, `in`): the intersection of their value sets; undefined when none restricts the name.
 */
function pinnedNamespaces(selector: Selector): string[] | undefined {
  if (selector.kind !== 'requirements') return undefined;
  let names: Set<string> | undefined;
  for (const r of selector.requirements) {
    if (r.key !== NAMESPACE_NAME_LABEL || !(r.operator === '=' || r.operator === '==' || r.operator === 'in')) continue;
    const values = new Set(r.values);
    names = names ? new Set([...names].filter((n) => values.has(n))) : values;
  }
  return names ? [...names].sort() : undefined;
}

/** A namespace the workspace defines: a Namespace object, or objects placed in it by name. */
function isKnownNamespace(index: WorkspaceIndex, ns: string): boolean {
  return index.named('Namespace', '', ns).length > 0 || index.hasNamespace(ns);
}

/** The labels of a namespace when a Namespace object defines them (plus the automatic name label). */
function namespaceLabels(index: WorkspaceIndex, ns: string): Labels | undefined {
  const obj = index.named('Namespace', '', ns)[0];
  if (obj) return withNameLabel(obj);
  // Without a Namespace object only the automatic label is certain.
  return undefined;
}

function withNameLabel(ns: K8sObject): Labels {
  return netpolNamespace(ns.name, ns.labels).labels;
}

function namespaceRelated(index: WorkspaceIndex, ns: string): RelatedPlace[] {
  const obj = index.named('Namespace', '', ns)[0];
  return obj ? [{ object: obj, path: ['metadata', 'name'], message: `Namespace ${ns}: labels ${labelsText(withNameLabel(obj))}` }] : [];
}
