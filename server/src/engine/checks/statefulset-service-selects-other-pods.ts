// Diagnostic: statefulset-service-selects-other-pods
//
// Kubernetes rule (spec c.2, d.2, e.3): a pod's DNS record `<hostname>.<service>...` exists only when
// the Service named by its `subdomain` (a StatefulSet sets it to `spec.serviceName`) selects the pod:
// the EndpointSlice controller writes the endpoint `hostname` for the pods the Service's selector
// matches. A governing Service whose selector misses the StatefulSet's pod labels, or that has no
// selector (user-managed endpoints), gives the pods no per-pod DNS names.
// Fires when the governing Service exists and none of its definitions applied with the StatefulSet
// selects the pod template's labels (full selector semantics, labels/selector.ts). Related: the
// Service's selector.
import type { Check } from './types';
import { getPath, stringMap } from '../model/object';
import { matches, selectorToString, serviceSelector, selectorFromMap } from '../labels/selector';
import { governingService } from './statefulset-governing-service';

export const statefulsetServiceSelectsOtherPods: Check = {
  codes: { 'statefulset-service-selects-other-pods': 'warning' },
  kinds: ['StatefulSet'],
  run(object, ctx, report) {
    const governing = governingService(ctx, object);
    const template = ctx.index.podTemplate(object);
    if (!governing || governing.services.length === 0 || !template) return;
    const selectors = governing.services.map((s) => stringMap(getPath(s.raw, ['spec', 'selector'])));
    if (selectors.some((sel) => matches(serviceSelector(sel), template.labels))) return;
    const service = governing.services[0];
    const selector = selectors[0];
    const labels = selectorToString(selectorFromMap(template.labels)) || 'none';
    const what = Object.keys(selector).length === 0 ? 'has no selector (its endpoints are managed by hand)' : `selects ${selectorToString(selectorFromMap(selector))}`;
    report({
      code: 'statefulset-service-selects-other-pods',
      message: `spec.serviceName: Service "${governing.name}" ${what}, which does not select the pods of StatefulSet "${object.name}" (labels: ${labels}); they get no per-pod DNS names (${object.name}-0.${governing.name})`,
      path: governing.path,
      target: 'value',
      related: governing.services.map((s) => ({
        object: s,
        path: getPath(s.raw, ['spec', 'selector']) !== undefined ? ['spec', 'selector'] : ['metadata', 'name'],
        message: `selector of Service "${s.name}"`,
      })),
    });
  },
};
