// Diagnostic: target-port-name-not-found
//
// Kubernetes rule (spec b.4, d.2): a string `targetPort` of a Service port names a container port.
// It is resolved per Pod: the first port of the Pod's containers (then sidecar init containers)
// with that `name` and the Service port's `protocol`. A Pod without such a port gets no endpoint
// for that Service port, so traffic to it is never delivered to that Pod.
//
// Fires when a selected pod template does not declare the name at all: for all of them ("is not a
// port name of any container") or for some ("declared by A but not by B"). Templates declaring the
// name only with another protocol are `target-port-protocol-mismatch`. Names that are not valid
// IANA service names are rejected by the API server (`service-port-invalid`) and skipped here.
// Error level, capped at warning between an object that names its namespace and one that does not.
// Quick fix: when the selected Pods declare exactly one port with the Service port's protocol,
// use its name (or number).
import type { Check, CheckContext, Fix, RelatedPlace } from './types';
import { isRecord, type K8sObject } from '../model/object';
import type { PodTemplate } from '../model/pod-template';
import type { FieldPath } from '../syntax/parse';
import { isValidPortName } from '../labels/formats';
import { portProtocol, portsText, resolveNamedTargetPort, servicePortTarget, type NamedPortResolution } from '../semantics/ports';
import { capForImplicitNamespace, ownerText, serviceBackends } from './pod-selection';

const CODE = 'target-port-name-not-found';

export const targetPortNameNotFound: Check = {
  codes: { [CODE]: 'error' },
  kinds: ['Service'],
  run(object, ctx, report) {
    for (const { index: i, name, protocol, classes } of namedTargetPorts(object, ctx)) {
      if (classes.missing.length === 0) continue;
      const parts: string[] = [];
      if (classes.found.length === 0 && classes.mismatch.length === 0) {
        parts.push(`targetPort '${name}' is not a port name of any container in the pods selected by this Service (${ownersText(classes.missing)}); they declare: ${portsText(classes.missing.flatMap((t) => t.ports))}`);
      } else {
        parts.push(`targetPort '${name}' is not declared by ${ownersText(classes.missing)} (declared ports: ${portsText(classes.missing.flatMap((t) => t.ports))})`);
        if (classes.found.length > 0) parts.push(`it is declared by ${ownersText(classes.found.map((f) => f.template))}`);
        if (classes.mismatch.length > 0) {
          parts.push(`${ownersText(classes.mismatch.map((m) => m.template))} declare${classes.mismatch.length === 1 ? 's' : ''} it only as ${portsText(classes.mismatch.flatMap((m) => m.ports))}, not ${protocol}`);
        }
        parts.push(`pods without it get no endpoint for this port`);
      }
      const related: RelatedPlace[] = [
        ...classes.found.map((f) => ({ object: f.template.owner, path: f.port.path, message: `'${name}' is port ${f.port.containerPort}/${f.port.protocol} of container '${f.port.container}' in ${ownerText(f.template)}` })),
        ...classes.missing.map((t) => ({ object: t.owner, path: containersPath(t), message: `${ownerText(t)} declares ${portsText(t.ports)}` })),
      ];
      const involved = [...classes.missing, ...classes.found.map((f) => f.template), ...classes.mismatch.map((m) => m.template)].map((t) => t.owner);
      report({
        code: CODE,
        message: parts.join('; '),
        path: ['spec', 'ports', i, 'targetPort'],
        target: 'value',
        severity: capForImplicitNamespace(object, involved, 'error'),
        related,
        fixes: classes.found.length === 0 ? replacementFixes(object, i, [...classes.missing, ...classes.mismatch.map((m) => m.template)], protocol) : [],
      });
    }
  },
};

/** One `spec.ports[index]` of a Service whose `targetPort` is a valid port name, and how the selected templates resolve it. */
export interface NamedTargetPort {
  readonly index: number;
  readonly servicePort: unknown;
  readonly name: string;
  readonly protocol: string;
  readonly classes: BackendClasses;
}

/**
 * The named target ports of a Service with a usable selector (the two named-port checks share
 * it): names that are not IANA service names are left to `service-port-invalid`; none when the
 * Service selects no pod template.
 */
export function namedTargetPorts(service: K8sObject, ctx: CheckContext): NamedTargetPort[] {
  const ports = isRecord(service.raw.spec) ? service.raw.spec.ports : undefined;
  if (!Array.isArray(ports)) return [];
  const backends = serviceBackends(ctx, service);
  if (backends.length === 0) return [];
  const out: NamedTargetPort[] = [];
  ports.forEach((servicePort, index) => {
    const target = servicePortTarget(servicePort);
    if (target.kind !== 'name' || isValidPortName(target.name).length > 0) return;
    const protocol = portProtocol(servicePort);
    out.push({ index, servicePort, name: target.name, protocol, classes: classifyBackends(backends.map((b) => b.template), target.name, protocol) });
  });
  return out;
}

export interface BackendClasses {
  readonly found: ReadonlyArray<{ readonly template: PodTemplate; readonly port: Extract<NamedPortResolution, { kind: 'found' }>['port'] }>;
  readonly mismatch: ReadonlyArray<{ readonly template: PodTemplate; readonly ports: Extract<NamedPortResolution, { kind: 'protocol-mismatch' }>['ports'] }>;
  readonly missing: readonly PodTemplate[];
}

/** Splits the selected templates by how they resolve a named target port (spec b.4). */
export function classifyBackends(templates: readonly PodTemplate[], name: string, protocol: string): BackendClasses {
  const found: Array<BackendClasses['found'][number]> = [];
  const mismatch: Array<BackendClasses['mismatch'][number]> = [];
  const missing: PodTemplate[] = [];
  for (const template of templates) {
    const r = resolveNamedTargetPort(template.ports, name, protocol);
    if (r.kind === 'found') found.push({ template, port: r.port });
    else if (r.kind === 'protocol-mismatch') mismatch.push({ template, ports: r.ports });
    else missing.push(template);
  }
  return { found, mismatch, missing };
}

/** `Deployment shop/web, StatefulSet shop/db` (at most three, then "and N more"). */
export function ownersText(templates: readonly PodTemplate[]): string {
  const names = [...new Set(templates.map(ownerText))].sort();
  return names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
}

/** The containers list of a template, for related places. */
export function containersPath(template: PodTemplate): FieldPath {
  return template.path.length === 0 ? ['spec', 'containers'] : [...template.path, 'spec', 'containers'];
}

/** Replace the target port by the one port the Pods declare with this protocol, when there is exactly one. */
function replacementFixes(service: K8sObject, portIndex: number, templates: readonly PodTemplate[], protocol: string): Fix[] {
  const candidates = new Set<string>();
  for (const t of templates) for (const p of t.ports) if (p.protocol === protocol) candidates.add(p.name ?? String(p.containerPort));
  if (candidates.size !== 1) return [];
  const [value] = [...candidates];
  return [
    {
      title: `Use targetPort ${value}`,
      preferred: true,
      edits: [{ kind: 'replace-value', place: { object: service, path: ['spec', 'ports', portIndex, 'targetPort'] }, text: value }],
    },
  ];
}
