// Diagnostic: service-selects-nothing
//
// Kubernetes rule (spec a.5, d.1, d.4): a Service with a `spec.selector` gets its endpoints from the
// Pods of its own namespace whose labels carry every `key: value` of the selector. When no Pod
// matches, the Service has no backends: its ClusterIP refuses connections and a headless name
// answers NXDOMAIN. Services without a selector (absent or `{}`: manual EndpointSlices) and
// `type: ExternalName` Services select nothing on purpose and are never reported.
//
// Fires when the selector matches no pod template in the Service's namespace, counting the labels
// controllers add at run time (see `selectPods`). The message names the closest templates; when
// the selector would match Pods of another namespace it says so (a Service never selects across
// namespaces). At most `info` where Pods plausibly come from outside the YAML: namespaces holding
// custom resources (operators create Pods from them), cluster-managed namespaces (`kube-system`,
// static Pods), namespaces where the workspace describes no Pods at all, and matches that differ
// only by an implicit namespace. Quick fix when one workload misses by one label (the only such
// workload, or uniquely the closest by a plausible typo): change the selector value to the
// workload's, or add the label to its pod template.

import type { Check } from './types';
import { isRecord, stringMap } from '../model/object';
import { validatedSelectorFromMap } from '../labels/selector';
import { explainNoMatch, selectsAnyPod, serviceSelectorFixes } from './pod-selection';

export const serviceSelectsNothing: Check = {
  codes: { 'service-selects-nothing': 'warning' },
  kinds: ['Service'],
  run(object, ctx, report) {
    const spec = object.raw.spec;
    if (!isRecord(spec) || spec.type === 'ExternalName') return;
    const map = spec.selector;
    if (!isRecord(map) || Object.keys(map).length === 0) return;
    const { selector, errors } = validatedSelectorFromMap(stringMap(map));
    if (errors.length > 0 || selector.kind !== 'requirements') return;
    if (selectsAnyPod(ctx, object.namespace, selector)) return;

    const finding = explainNoMatch(ctx, object, selector, 'Service selector', 'Services select Pods only in their own namespace');
    const fixes = finding.nearMiss ? serviceSelectorFixes(object, finding.nearMiss) : [];
    report({
      code: 'service-selects-nothing',
      message: finding.message,
      path: ['spec', 'selector'],
      severity: finding.severity,
      related: finding.related,
      fixes,
    });
  },
};
