// Diagnostic: statefulset-service-missing
//
// Kubernetes rule (spec c.2, e.3): a StatefulSet's pods get the stable DNS names
// `<statefulset>-<ordinal>.<serviceName>.<namespace>.svc.<zone>` only through the headless Service
// named by `spec.serviceName`, which must exist in the StatefulSet's namespace. The API does not
// validate the name, so a missing Service goes unnoticed until the names do not resolve.
// Fires when `spec.serviceName` is set and the workspace has no Service of that name in the
// namespace; severity per the shared reference policy (pod-references.ts). Quick fix: append a stub
// headless Service selecting the StatefulSet's pods to the StatefulSet's file.
import type { Check, Fix } from './types';
import { getPath, isRecord, stringMap, type K8sObject } from '../model/object';
import { missingReference } from './pod-references';
import { governingService } from './statefulset-governing-service';
import { scalarText } from './yaml-text';

export const statefulsetServiceMissing: Check = {
  codes: { 'statefulset-service-missing': 'error' },
  kinds: ['StatefulSet'],
  run(object, ctx, report) {
    const governing = governingService(ctx, object);
    if (!governing || governing.services.length > 0) return;
    const missing = missingReference(ctx, object, 'Service', object.namespace, governing.name, governing.path);
    report({
      code: 'statefulset-service-missing',
      severity: missing.severity,
      message: `spec.serviceName: ${missing.message}; the pods get no per-pod DNS names (${object.name}-0.${governing.name})`,
      path: governing.path,
      target: 'value',
      related: missing.related,
      fixes: [...missing.fixes, stubServiceFix(object, governing.name, missing.fixes.length === 0)],
    });
  },
};

function stubServiceFix(sts: K8sObject, name: string, preferred: boolean): Fix {
  const lines = ['apiVersion: v1', 'kind: Service', 'metadata:', `  name: ${scalarText(name)}`];
  if (sts.namespaceExplicit) lines.push(`  namespace: ${scalarText(sts.namespace)}`);
  lines.push('spec:', '  clusterIP: None');
  const selector = podLabelsOf(sts);
  if (selector.length > 0) {
    lines.push('  selector:');
    for (const [k, v] of selector) lines.push(`    ${scalarText(k)}: ${scalarText(v)}`);
  }
  return { title: `Create headless Service "${name}"`, preferred, edits: [{ kind: 'append-document', object: sts, text: lines.join('\n') + '\n' }] };
}

/** `spec.selector.matchLabels` when it is the whole selector, else the template's labels. */
function podLabelsOf(sts: K8sObject): Array<[string, string]> {
  const selector = getPath(sts.raw, ['spec', 'selector']);
  if (isRecord(selector) && isRecord(selector.matchLabels) && selector.matchExpressions === undefined) {
    const m = stringMap(selector.matchLabels);
    if (Object.keys(m).length > 0) return Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  return Object.entries(stringMap(getPath(sts.raw, ['spec', 'template', 'metadata', 'labels']))).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

