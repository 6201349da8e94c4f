// networkpolicy-port-not-found (warning)
// Kubernetes rule (spec g.3): a named port in a NetworkPolicy rule matches a pod only when one of
// the pod's containers declares a port of that name and protocol; it is resolved per pod. Fires when
// none of the pods the rule can apply to (ingress: the pods the policy selects; egress: the pods the
// rule's peers cover) declares the name, or when an egress rule's destinations are only ipBlocks,
// where a name can never resolve: the rule then allows nothing on that port.
import type { Check } from './types';
import { namespacePolicyModel, notePodsRead, pathFromText } from './network-policy-model';
import { undeclaredNamedPorts, type UndeclaredNamedPort } from '../semantics/network-policy-checks';
import type { NetworkPolicyModel } from '../semantics/network-policy';

export const networkpolicyPortNotFound: Check = {
  codes: { 'networkpolicy-port-not-found': 'warning' },
  kinds: ['NetworkPolicy'],
  run(object, ctx, report) {
    const key = `${object.namespace}/${object.name}`;
    const model = ctx.untracked(() => namespacePolicyModel(ctx, object.namespace, object.uri));
    // Ingress named ports resolve on the pods the policy selects: the findings concern those pods
    // only. Egress ones resolve on the pods its peers cover, wherever: then the whole model counts.
    const policy = model.policies.find((p) => p.policy.key === key);
    if (policy && !policy.egress.some((r) => r.rule.ports.kind === 'ports' && r.rule.ports.items.some((i) => i.kind === 'named'))) {
      notePodsRead(ctx, object.namespace, policy.policy.podSelector);
    } else {
      namespacePolicyModel(ctx, object.namespace, object.uri);
    }
    for (const f of findingsByPolicy(model).get(key) ?? []) {
      const where = f.direction === 'Ingress' ? 'the pods this policy selects' : 'the pods this rule sends to';
      const other = f.declaredWithOtherProtocol.length ? `; ${f.declaredWithOtherProtocol.join(', ')} declare it with another protocol` : '';
      report({
        code: 'networkpolicy-port-not-found',
        path: pathFromText(f.path),
        target: 'value',
        message: f.reason === 'ipBlockDestinations'
          ? `Named port '${f.name}' can never match: this egress rule's destinations are only ipBlocks, and a port name is resolved against pods.`
          : `Named port '${f.name}'/${f.protocol} is declared by none of ${where} (${f.candidatePods} pod template${f.candidatePods === 1 ? '' : 's'})${other}; the rule allows nothing on it.`,
      });
    }
  },
};

/**
 * The findings of a model grouped by policy, computed once per model: every policy of a namespace
 * asks, and a model is kept across revisions while its inputs are unchanged.
 */
const byModel = new WeakMap<NetworkPolicyModel, ReadonlyMap<string, readonly UndeclaredNamedPort[]>>();

function findingsByPolicy(model: NetworkPolicyModel): ReadonlyMap<string, readonly UndeclaredNamedPort[]> {
  let grouped = byModel.get(model);
  if (!grouped) {
    const map = new Map<string, UndeclaredNamedPort[]>();
    for (const f of undeclaredNamedPorts(model)) map.set(f.policy, [...(map.get(f.policy) ?? []), f]);
    byModel.set(model, (grouped = map));
  }
  return grouped;
}
