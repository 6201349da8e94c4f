// Diagnostic: ingress-backend-port-missing
//
// Kubernetes rule: an Ingress backend names a port of its Service (spec f.1): `port.number` must be
// one of the Service's `spec.ports[].port` (not a targetPort or container port), `port.name` one of
// its `spec.ports[].name` (a Service port name, not a container port name). Otherwise the
// controller finds no matching Service port and serves 503; the API accepts the Ingress.
// Fires when the backend's Service exists but none of its definitions applied with the Ingress (or,
// failing that, anywhere in the namespace) has that port. `type: ExternalName` Services are skipped
// (their ports are optional and controllers use the backend port as given). The message lists the
// Service's ports; quick fixes offer each of them.
import type { Check, Fix, RelatedPlace } from './types';
import { getPath, isRecord, type K8sObject } from '../model/object';
import { ingressServiceBackends, type BackendPort } from './ingress-backends';
import { closestTargets, findTargets } from './pod-references';

export const ingressBackendPortMissing: Check = {
  codes: { 'ingress-backend-port-missing': 'error' },
  kinds: ['Ingress'],
  run(object, ctx, report) {
    for (const backend of ingressServiceBackends(object)) {
      const port = backend.port;
      if (port === undefined) continue;
      const all = findTargets(ctx, object, 'Service', object.namespace, backend.service).objects;
      const services = closestTargets(ctx, object, all).filter((s) => getPath(s.raw, ['spec', 'type']) !== 'ExternalName');
      if (services.length === 0 || services.some((s) => hasPort(s, port))) continue;
      const service = services[0];
      const ports = servicePorts(service);
      const wanted = port.kind === 'number' ? `port ${port.value}` : `port named "${port.value}"`;
      const listed = ports.length === 0 ? 'it defines no ports' : `its ports: ${ports.map(portText).join(', ')}`;
      const related: RelatedPlace[] = services.map((s) => ({
        object: s,
        path: Array.isArray(getPath(s.raw, ['spec', 'ports'])) ? ['spec', 'ports'] : ['metadata', 'name'],
        message: `ports of Service "${s.name}": ${servicePorts(s).map(portText).join(', ') || 'none'}`,
      }));
      report({
        code: 'ingress-backend-port-missing',
        message: `${backend.where}: Service "${backend.service}" has no ${wanted}; ${listed}`,
        path: port.path,
        target: 'value',
        related,
        fixes: fixesFor(object, port, ports),
      });
    }
  },
};

interface ServicePort {
  readonly port: number;
  readonly name: string | undefined;
}

function servicePorts(service: K8sObject): ServicePort[] {
  const list = getPath(service.raw, ['spec', 'ports']);
  if (!Array.isArray(list)) return [];
  const out: ServicePort[] = [];
  for (const p of list) {
    if (!isRecord(p)) continue;
    const port = typeof p.port === 'number' ? p.port : Number(p.port);
    if (!Number.isInteger(port)) continue;
    out.push({ port, name: typeof p.name === 'string' && p.name !== '' ? p.name : undefined });
  }
  return out;
}

function hasPort(service: K8sObject, wanted: BackendPort): boolean {
  return servicePorts(service).some((p) => (wanted.kind === 'number' ? p.port === wanted.value : p.name === wanted.value));
}

function portText(p: ServicePort): string {
  return p.name === undefined ? `${p.port} (unnamed)` : `${p.port} ("${p.name}")`;
}

/** One fix per Service port the backend could use instead (by number, or by name for named ports). */
function fixesFor(ingress: K8sObject, port: BackendPort, ports: readonly ServicePort[]): Fix[] {
  const choices = port.kind === 'number' ? [...new Set(ports.map((p) => String(p.port)))] : [...new Set(ports.flatMap((p) => (p.name === undefined ? [] : [p.name])))];
  return choices.slice(0, 5).map((choice) => ({
    title: port.kind === 'number' ? `Use Service port ${choice}` : `Use Service port "${choice}"`,
    preferred: choices.length === 1,
    edits: [{ kind: 'replace-value', place: { object: ingress, path: port.path }, text: yamlScalar(choice) }],
  }));
}

/** A port name as a YAML 1.1 plain scalar, quoted when it would read as a boolean or null. */
function yamlScalar(text: string): string {
  return /^(y|yes|n|no|true|false|on|off|null|~)$/i.test(text) ? `"${text}"` : text;
}
