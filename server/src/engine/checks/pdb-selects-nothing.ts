// Diagnostic: pdb-selects-nothing
//
// Kubernetes rule (policy/v1 PodDisruptionBudgetSpec): `spec.selector` picks the Pods of the
// PodDisruptionBudget's namespace it protects. In policy/v1 a null (absent) selector selects no
// Pods and an empty one (`{}`) selects every Pod of the namespace; in policy/v1beta1 an empty
// selector selected no Pods either. A budget that selects nothing protects nothing: evictions
// during node drains and upgrades are not limited.
//
// Fires when the selector is absent (or empty in policy/v1beta1), or matches no pod template of
// the namespace (run-time labels counted, as for Services). At most `info` where Pods may come
// from outside the YAML (custom resources in the namespace, cluster-managed namespaces).
import type { Check } from './types';
import { isRecord } from '../model/object';
import { selectorFromLabelSelector } from '../labels/selector';
import { explainNoMatch, selectsAnyPod } from './pod-selection';

export const pdbSelectsNothing: Check = {
  codes: { 'pdb-selects-nothing': 'warning' },
  kinds: ['PodDisruptionBudget'],
  run(object, ctx, report) {
    const spec = object.raw.spec;
    if (!isRecord(spec)) return;
    const raw = spec.selector;
    if (raw === undefined || raw === null) {
      report({
        code: 'pdb-selects-nothing',
        message: 'spec.selector is not set: a PodDisruptionBudget without a selector selects no pods and protects nothing',
        path: ['spec'],
      });
      return;
    }
    if (!isRecord(raw)) return;
    const { selector, errors } = selectorFromLabelSelector(raw);
    if (errors.length > 0) return;
    if (selector.kind === 'everything') {
      if (object.apiVersion !== 'policy/v1beta1') return;
      report({
        code: 'pdb-selects-nothing',
        message: 'spec.selector is empty: in policy/v1beta1 an empty selector selects no pods (policy/v1 selects every pod of the namespace)',
        path: ['spec', 'selector'],
      });
      return;
    }
    if (selector.kind !== 'requirements' || selectsAnyPod(ctx, object.namespace, selector)) return;
    const finding = explainNoMatch(ctx, object, selector, 'selector', 'a PodDisruptionBudget protects only Pods in its own namespace');
    report({
      code: 'pdb-selects-nothing',
      message: `${finding.message}; the budget protects nothing`,
      path: ['spec', 'selector'],
      severity: finding.severity,
      related: finding.related,
    });
  },
};
