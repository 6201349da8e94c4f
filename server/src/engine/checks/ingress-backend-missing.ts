// Diagnostic: ingress-backend-missing
//
// Kubernetes rule: an Ingress backend `service.name` names a Service in the Ingress' own namespace
// (spec f.1); there is no way to point at another namespace. When it does not exist the controller
// has no endpoints for the path and answers 503 (or 404), though the API accepts the Ingress.
// Fires for every Service backend (default backend and rule paths, v1 and the old v1beta1 shape)
// whose Service is not in the workspace's copy of the namespace. Related: a Service of that name in
// another namespace. Severity per the shared reference policy (pod-references.ts): an error where the
// workspace defines Services in that namespace with the same namespace style, information otherwise.
import type { Check } from './types';
import { ingressServiceBackends } from './ingress-backends';
import { findTargets, missingReference } from './pod-references';

export const ingressBackendMissing: Check = {
  codes: { 'ingress-backend-missing': 'error' },
  kinds: ['Ingress'],
  run(object, ctx, report) {
    for (const backend of ingressServiceBackends(object)) {
      if (findTargets(ctx, object, 'Service', object.namespace, backend.service).objects.length > 0) continue;
      const missing = missingReference(ctx, object, 'Service', object.namespace, backend.service, backend.servicePath);
      report({
        code: 'ingress-backend-missing',
        severity: missing.severity,
        message: `${backend.where}: ${missing.message}`,
        path: backend.servicePath,
        target: 'value',
        related: missing.related,
        fixes: missing.fixes,
      });
    }
  },
};
