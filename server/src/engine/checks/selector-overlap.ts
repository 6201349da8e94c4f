// Diagnostic: selector-overlap
//
// Kubernetes rule: a controller (ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job with
// `manualSelector: true`, and a Deployment through its ReplicaSets) manages the Pods of its
// namespace that its selector selects; it adopts such Pods when they have no owner and counts
// them. The API server does not stop two controllers from selecting each other's Pods, and the
// Kubernetes documentation warns that controllers with overlapping selectors fight over the same
// Pods and misbehave (wrong counts, adoption, rollouts that never finish).
//
// Fires on a controller whose selector selects the pod template of another controller in the same
// namespace (each side reports its own selector). Jobs with generated selectors and CronJobs
// never overlap (their selectors hold a unique uid); bare Pods are not controllers. To keep
// repositories of independent samples and alternative variants quiet, the two controllers must
// belong to one deployment unit: the same file, or the same directory unless they are the same
// workload written twice (identical selector and template labels in two alternative files).
// Objects of the same name are variants of one object (a kustomize base and overlay, a
// Deployment and a DaemonSet flavour) and never overlap each other. Warning when both are in one
// file; `info` across files, which may be alternatives rather than parts of one deployment.
import type { Check } from './types';
import { getPath, isRecord, stringMap, type K8sObject } from '../model/object';
import { selectorFromLabelSelector, selectorFromMap, selectorToString, type Selector } from '../labels/selector';
import { directoryOf, labelsText, ownerText, templateLabelsPath } from './pod-selection';

export const selectorOverlap: Check = {
  codes: { 'selector-overlap': 'warning' },
  kinds: ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Job'],
  run(object, ctx, report) {
    const own = controllerSelector(object);
    if (!own) return;
    const ownLabels = stringMap(getPath(object.raw, ['spec', 'template', 'metadata', 'labels']));
    const others = ctx.index
      .selectPodTemplates(object.namespace, own.selector)
      .filter((t) => {
        const other = t.owner;
        if (other === object || other.name === object.name) return false;
        const theirs = controllerSelector(other);
        if (!theirs) return false;
        if (other.uri === object.uri) return true;
        if (directoryOf(object.uri) !== directoryOf(other.uri)) return false;
        // The same workload written twice in alternative files of one directory.
        const identical = selectorToString(theirs.selector) === selectorToString(own.selector) && labelsText(t.labels) === labelsText(ownLabels);
        return !identical;
      });
    if (others.length === 0) return;
    const names = [...new Set(others.map(ownerText))];
    // Several files of one directory may be alternatives rather than parts of one deployment.
    const certain = others.some((t) => t.owner.uri === object.uri);
    report({
      code: 'selector-overlap',
      severity: certain ? undefined : 'info',
      message:
        `selector ${selectorToString(own.selector)} also selects the pods of ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}` +
        ` (labels ${labelsText(others[0].labels)}); controllers whose selectors overlap fight over the same pods — add a label that tells them apart to each template and selector`,
      path: own.path,
      related: others.slice(0, 5).map((t) => ({ object: t.owner, path: templateLabelsPath(t), message: `pods of ${ownerText(t)}: ${labelsText(t.labels)}` })),
    });
  },
};

/**
 * The selector a controller manages Pods by, or undefined when the object is not such a controller
 * (or its selector is invalid, empty or missing: another check reports those).
 */
function controllerSelector(object: K8sObject): { selector: Selector; path: readonly (string | number)[] } | undefined {
  const spec = object.raw.spec;
  if (!isRecord(spec)) return undefined;
  switch (object.kind) {
    case 'ReplicationController': {
      const map = isRecord(spec.selector) ? stringMap(spec.selector) : {};
      if (Object.keys(map).length > 0) return { selector: selectorFromMap(map), path: ['spec', 'selector'] };
      const labels = stringMap(getPath(spec, ['template', 'metadata', 'labels']));
      return Object.keys(labels).length > 0 ? { selector: selectorFromMap(labels), path: ['spec', 'template', 'metadata', 'labels'] } : undefined;
    }
    case 'Job':
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet': {
      // Jobs select by a generated, unique uid unless `manualSelector` is true.
      if (object.kind === 'Job' && spec.manualSelector !== true) return undefined;
      if (!isRecord(spec.selector)) return undefined;
      const { selector, errors } = selectorFromLabelSelector(spec.selector);
      if (errors.length > 0 || selector.kind !== 'requirements') return undefined;
      return { selector, path: ['spec', 'selector'] };
    }
    default:
      return undefined;
  }
}
