// Diagnostic: target-port-number-not-declared
//
// Kubernetes rule (spec b.1, b.4): a numeric `targetPort` (or, when `targetPort` is absent, `0` or
// `""`, the value of `port`) is used as it is: Pods need not declare it as a `containerPort`, and
// traffic goes to that port whether or not anything listens there. Declaring container ports is
// informational, so this is only a hint that the number may be a mistake (the classic: `port: 80`
// without `targetPort` in front of a container listening on 8080).
//
// Fires (info) when the selected pod templates declare container ports, but none of them — or
// only some — declares the target number with the Service port's protocol. Templates declaring no
// ports at all say nothing about where they listen and are left out. Quick fix: when the Pods
// declare exactly one port with that protocol, target it.
import type { Check, Fix, FixEdit } from './types';
import { isRecord, type K8sObject } from '../model/object';
import type { PodTemplate } from '../model/pod-template';
import { containerPortDeclaration, portProtocol, portsText, servicePortTarget } from '../semantics/ports';
import { ownerText, serviceBackends } from './pod-selection';
import { containersPath, ownersText } from './target-port-name-not-found';

const CODE = 'target-port-number-not-declared';

export const targetPortNumberNotDeclared: Check = {
  codes: { [CODE]: 'info' },
  kinds: ['Service'],
  run(object, ctx, report) {
    const ports = isRecord(object.raw.spec) ? object.raw.spec.ports : undefined;
    if (!Array.isArray(ports)) return;
    const templates = serviceBackends(ctx, object)
      .map((b) => b.template)
      .filter((t) => t.ports.length > 0);
    if (templates.length === 0) return;
    ports.forEach((servicePort, i) => {
      const target = servicePortTarget(servicePort);
      if (target.kind !== 'number' || target.port < 1 || target.port > 65535) return;
      const protocol = portProtocol(servicePort);
      const declaring: PodTemplate[] = [];
      const otherProtocol: PodTemplate[] = [];
      const undeclared: PodTemplate[] = [];
      for (const t of templates) {
        const d = containerPortDeclaration(t.ports, target.port, protocol);
        (d === 'declared' ? declaring : d === 'other-protocol' ? otherProtocol : undeclared).push(t);
      }
      const lacking = [...otherProtocol, ...undeclared];
      if (lacking.length === 0) return;
      const subject = target.defaulted ? `targetPort (not set, so the same as port ${target.port})` : `targetPort ${target.port}`;
      const parts = [
        declaring.length === 0
          ? `${subject} is not declared as a containerPort/${protocol} by the pods selected by this Service (${ownersText(lacking)}); they declare: ${portsText(lacking.flatMap((t) => t.ports))}`
          : `${subject} is not declared as a containerPort/${protocol} by ${ownersText(lacking)} (declared ports: ${portsText(lacking.flatMap((t) => t.ports))}), though ${ownersText(declaring)} declare${declaring.length === 1 ? 's' : ''} it`,
      ];
      if (otherProtocol.length > 0) parts.push(`${ownersText(otherProtocol)} declare${otherProtocol.length === 1 ? 's' : ''} ${target.port} only with another protocol`);
      parts.push(`traffic still goes to port ${target.port}; make sure the containers listen there`);
      report({
        code: CODE,
        message: parts.join('; '),
        path: ['spec', 'ports', i, target.defaulted ? 'port' : 'targetPort'],
        target: 'value',
        related: lacking.map((t) => ({ object: t.owner, path: containersPath(t), message: `${ownerText(t)} declares ${portsText(t.ports)}` })),
        fixes: declaring.length === 0 ? targetFixes(object, i, target.defaulted, lacking, protocol) : [],
      });
    });
  },
};

function targetFixes(service: K8sObject, portIndex: number, defaulted: boolean, templates: readonly PodTemplate[], protocol: string): Fix[] {
  const numbers = new Set<number>();
  for (const t of templates) for (const p of t.ports) if (p.protocol === protocol) numbers.add(p.containerPort);
  if (numbers.size !== 1) return [];
  const [port] = [...numbers];
  const servicePort = isRecord(service.raw.spec) && Array.isArray(service.raw.spec.ports) ? service.raw.spec.ports[portIndex] : undefined;
  const hasTarget = isRecord(servicePort) && servicePort.targetPort !== undefined && servicePort.targetPort !== null;
  const edit: FixEdit = defaulted && !hasTarget
    ? { kind: 'set-field', place: { object: service, path: ['spec', 'ports', portIndex] }, key: 'targetPort', text: String(port) }
    : { kind: 'replace-value', place: { object: service, path: ['spec', 'ports', portIndex, 'targetPort'] }, text: String(port) };
  return [{ title: `Use targetPort ${port}`, preferred: true, edits: [edit] }];
}
