// Diagnostic: hpa-target-missing
//
// Kubernetes rule: a HorizontalPodAutoscaler scales the object named by `spec.scaleTargetRef`
// (kind and name, in the HPA's namespace); when it does not exist the HPA reports
// `FailedGetScale` and never scales anything.
// Fires when the workspace has no object of that kind and name in the HPA's namespace; severity per
// the shared policy of pod-references.ts (error where the workspace defines objects of that kind in
// that namespace, information otherwise, e.g. for custom resources installed elsewhere).
import type { Check } from './types';
import { isRecord } from '../model/object';
import { findTargets, missingReference } from './pod-references';

export const hpaTargetMissing: Check = {
  codes: { 'hpa-target-missing': 'error' },
  kinds: ['HorizontalPodAutoscaler'],
  run(object, ctx, report) {
    const spec = object.raw.spec;
    if (!isRecord(spec) || !isRecord(spec.scaleTargetRef)) return;
    const { kind, name } = spec.scaleTargetRef;
    if (typeof kind !== 'string' || kind === '' || typeof name !== 'string' || name === '') return;
    const targets = findTargets(ctx, object, kind, object.namespace, name);
    if (targets.objects.length > 0) return;
    const missing = missingReference(ctx, object, kind, object.namespace, name, ['spec', 'scaleTargetRef', 'name']);
    report({
      code: 'hpa-target-missing',
      severity: missing.severity,
      message: `spec.scaleTargetRef: ${missing.message}`,
      path: ['spec', 'scaleTargetRef', 'name'],
      target: 'value',
      related: missing.related,
      fixes: missing.fixes,
    });
  },
};
