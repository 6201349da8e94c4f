// Diagnostic: statefulset-service-not-headless
//
// Kubernetes rule (spec c.2, e.3): cluster DNS serves the per-pod records
// `<pod>.<service>.<namespace>.svc.<zone>` only for headless Services (`clusterIP: None`); a
// StatefulSet whose `spec.serviceName` names a Service with a cluster IP has pods without stable
// DNS names, which peers of a clustered app (databases, brokers) rely on.
// Fires when the governing Service exists but none of its definitions applied with the StatefulSet
// is headless. Quick fix (ClusterIP Services only; NodePort and LoadBalancer Services cannot be
// headless): set `clusterIP: None` on the Service. `clusterIP` is immutable, so an existing Service
// must be re-created.
import type { Check, Fix } from './types';
import { getPath, isRecord, type K8sObject } from '../model/object';
import { governingService, isHeadless } from './statefulset-governing-service';

export const statefulsetServiceNotHeadless: Check = {
  codes: { 'statefulset-service-not-headless': 'warning' },
  kinds: ['StatefulSet'],
  run(object, ctx, report) {
    const governing = governingService(ctx, object);
    if (!governing || governing.services.length === 0 || governing.services.some(isHeadless)) return;
    const service = governing.services[0];
    const type = getPath(service.raw, ['spec', 'type']);
    const clusterIP = getPath(service.raw, ['spec', 'clusterIP']);
    const found = typeof clusterIP === 'string' && clusterIP !== '' ? `clusterIP: ${clusterIP}` : `no clusterIP (a cluster IP is allocated)`;
    report({
      code: 'statefulset-service-not-headless',
      message: `spec.serviceName: Service "${governing.name}" is not headless (${found}${typeof type === 'string' ? `, type: ${type}` : ''}); the pods get no per-pod DNS names (${object.name}-0.${governing.name}). Use a Service with clusterIP: None`,
      path: governing.path,
      target: 'value',
      related: governing.services.map((s) => ({
        object: s,
        path: getPath(s.raw, ['spec', 'clusterIP']) !== undefined ? ['spec', 'clusterIP'] : ['metadata', 'name'],
        message: `Service "${s.name}" has a cluster IP`,
      })),
      fixes: type === undefined || type === 'ClusterIP' ? [headlessFix(service)] : [],
    });
  },
};

function headlessFix(service: K8sObject): Fix {
  const title = `Make Service "${service.name}" headless (clusterIP: None)`;
  if (getPath(service.raw, ['spec', 'clusterIP']) !== undefined && getPath(service.raw, ['spec', 'clusterIP']) !== null) {
    return { title, preferred: true, edits: [{ kind: 'replace-value', place: { object: service, path: ['spec', 'clusterIP'] }, text: 'None' }] };
  }
  if (!isRecord(service.raw.spec) && service.raw.spec !== undefined) return { title, edits: [] };
  return { title, preferred: true, edits: [{ kind: 'set-field', place: { object: service, path: ['spec'] }, key: 'clusterIP', text: 'None' }] };
}
