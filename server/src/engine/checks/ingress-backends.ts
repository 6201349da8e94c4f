// The Service backends of an Ingress, for the `ingress-backend-*` checks: `spec.defaultBackend` and
// every `spec.rules[i].http.paths[j].backend` of networking.k8s.io/v1 (`service.name`,
// `service.port.number` or `service.port.name`), and the same places in the removed v1beta1 shape
// (`spec.backend`, `serviceName`, `servicePort` as a number or a port name), so old manifests are
// checked too. Resource backends (`backend.resource`) name no Service and are left out.
import type { FieldPath } from '../syntax/parse';
import { isRecord, type K8sObject } from '../model/object';

export type BackendPort =
  | { readonly kind: 'number'; readonly value: number; readonly path: FieldPath }
  | { readonly kind: 'name'; readonly value: string; readonly path: FieldPath };

export interface IngressServiceBackend {
  /** Service name and the path of its value. */
  readonly service: string;
  readonly servicePath: FieldPath;
  readonly port: BackendPort | undefined;
  /** `spec.rules[0].http.paths[1].backend`, for messages. */
  readonly where: string;
}

/** Every Service backend of an Ingress, default backend first, then rules in order. */
export function ingressServiceBackends(ingress: K8sObject): IngressServiceBackend[] {
  const spec = ingress.raw.spec;
  if (!isRecord(spec)) return [];
  const out: IngressServiceBackend[] = [];
  for (const field of ['defaultBackend', 'backend']) {
    const b = backendAt(spec[field], ['spec', field], `spec.${field}`);
    if (b) out.push(b);
  }
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  rules.forEach((rule, i) => {
    if (!isRecord(rule) || !isRecord(rule.http) || !Array.isArray(rule.http.paths)) return;
    rule.http.paths.forEach((p, j) => {
      if (!isRecord(p)) return;
      const b = backendAt(p.backend, ['spec', 'rules', i, 'http', 'paths', j, 'backend'], `spec.rules[${i}].http.paths[${j}].backend`);
      if (b) out.push(b);
    });
  });
  return out;
}

function backendAt(backend: unknown, path: FieldPath, where: string): IngressServiceBackend | undefined {
  if (!isRecord(backend)) return undefined;
  if (isRecord(backend.service)) {
    const s = backend.service;
    if (typeof s.name !== 'string' || s.name === '') return undefined;
    const port = isRecord(s.port) ? s.port : {};
    const number = typeof port.number === 'number' && port.number !== 0 ? port.number : undefined;
    const name = typeof port.name === 'string' && port.name !== '' ? port.name : undefined;
    const p: BackendPort | undefined =
      number !== undefined && name === undefined
        ? { kind: 'number', value: number, path: [...path, 'service', 'port', 'number'] }
        : name !== undefined && number === undefined
          ? { kind: 'name', value: name, path: [...path, 'service', 'port', 'name'] }
          : undefined;
    return { service: s.name, servicePath: [...path, 'service', 'name'], port: p, where };
  }
  if (typeof backend.serviceName === 'string' && backend.serviceName !== '') {
    const sp = backend.servicePort;
    const p: BackendPort | undefined =
      typeof sp === 'number'
        ? { kind: 'number', value: sp, path: [...path, 'servicePort'] }
        : typeof sp === 'string' && sp !== ''
          ? /^\d+$/.test(sp)
            ? { kind: 'number', value: Number(sp), path: [...path, 'servicePort'] }
            : { kind: 'name', value: sp, path: [...path, 'servicePort'] }
          : undefined;
    return { service: backend.serviceName, servicePath: [...path, 'serviceName'], port: p, where };
  }
  return undefined;
}
