// Diagnostic: networkpolicy-selects-nothing
//
// Kubernetes rule (spec a.5, g.1): a NetworkPolicy applies to the Pods of its own namespace that
// `spec.podSelector` selects. An absent or empty `podSelector` (`{}`) selects every Pod of the
// namespace, so it never selects "nothing". A policy whose selector matches no Pod isolates
// nothing and allows nothing: it has no effect.
//
// Fires when a non-empty `podSelector` matches no pod template of the policy's namespace (run-time
// labels counted, as for Services). At most `info` where Pods may come from outside the YAML
// (custom resources in the namespace, cluster-managed namespaces) or when the only matches are in
// another namespace and one side names no namespace.
import type { Check } from './types';
import { isRecord } from '../model/object';
import { selectorFromLabelSelector } from '../labels/selector';
import { explainNoMatch, selectsAnyPod } from './pod-selection';

export const networkpolicySelectsNothing: Check = {
  codes: { 'networkpolicy-selects-nothing': 'warning' },
  kinds: ['NetworkPolicy'],
  run(object, ctx, report) {
    const spec = object.raw.spec;
    if (!isRecord(spec) || !isRecord(spec.podSelector)) return;
    const { selector, errors } = selectorFromLabelSelector(spec.podSelector);
    if (errors.length > 0 || selector.kind !== 'requirements') return;
    if (selectsAnyPod(ctx, object.namespace, selector)) return;
    const finding = explainNoMatch(ctx, object, selector, 'podSelector', 'a NetworkPolicy applies only to Pods in its own namespace');
    report({
      code: 'networkpolicy-selects-nothing',
      message: `${finding.message}; the policy has no effect`,
      path: ['spec', 'podSelector'],
      severity: finding.severity,
      related: finding.related,
    });
  },
};
