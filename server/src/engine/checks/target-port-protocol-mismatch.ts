// Diagnostic: target-port-protocol-mismatch
//
// Kubernetes rule (spec b.4): a named `targetPort` resolves to a container port with that name
// *and* the Service port's `protocol` (TCP when absent, for both sides). A container port with the
// right name but another protocol (a UDP `dns` port behind a TCP Service port) does not count:
// the Pod gets no endpoint for that Service port.
//
// Fires when every selected pod template declares the name, but some only with another protocol
// (templates lacking the name entirely are `target-port-name-not-found`). Error level, capped at
// warning between an object that names its namespace and one that does not. Quick fix: when the
// mismatching ports agree on one protocol and no template resolves the name, set the Service
// port's `protocol` to it.
import type { Check, Fix, FixEdit } from './types';
import { isRecord, type K8sObject } from '../model/object';
import { portProtocol, portText, portsText } from '../semantics/ports';
import { capForImplicitNamespace, ownerText } from './pod-selection';
import { namedTargetPorts, ownersText } from './target-port-name-not-found';

const CODE = 'target-port-protocol-mismatch';

export const targetPortProtocolMismatch: Check = {
  codes: { [CODE]: 'error' },
  kinds: ['Service'],
  run(object, ctx, report) {
    for (const { index: i, servicePort, name, protocol, classes } of namedTargetPorts(object, ctx)) {
      if (classes.missing.length > 0 || classes.mismatch.length === 0) continue;
      const declared = portsText(classes.mismatch.flatMap((m) => m.ports));
      let message = `targetPort '${name}' uses protocol ${protocol}, but ${ownersText(classes.mismatch.map((m) => m.template))} declare${classes.mismatch.length === 1 ? 's' : ''} it only as ${declared}; a named target port must match name and protocol`;
      if (classes.found.length > 0) message += `; ${ownersText(classes.found.map((f) => f.template))} declare${classes.found.length === 1 ? 's' : ''} it with ${protocol}, the others get no endpoint for this port`;
      const hasProtocol = isRecord(servicePort) && servicePort.protocol !== undefined;
      const involved = [...classes.found.map((f) => f.template.owner), ...classes.mismatch.map((m) => m.template.owner)];
      report({
        code: CODE,
        message,
        path: ['spec', 'ports', i, hasProtocol ? 'protocol' : 'targetPort'],
        target: 'value',
        severity: capForImplicitNamespace(object, involved, 'error'),
        related: classes.mismatch.flatMap((m) => m.ports.map((p) => ({ object: m.template.owner, path: p.path, message: `${ownerText(m.template)} declares ${portText(p)}` }))),
        fixes: classes.found.length === 0 ? protocolFixes(object, i, hasProtocol, classes.mismatch.flatMap((m) => m.ports.map((p) => p.protocol))) : [],
      });
    }
  },
};

function protocolFixes(service: K8sObject, portIndex: number, hasProtocol: boolean, protocols: readonly string[]): Fix[] {
  const distinct = [...new Set(protocols)];
  if (distinct.length !== 1) return [];
  const protocol = distinct[0];
  // Changing the protocol must not duplicate another (port, protocol) pair of the Service.
  const ports = isRecord(service.raw.spec) && Array.isArray(service.raw.spec.ports) ? service.raw.spec.ports : [];
  const own = ports[portIndex];
  if (ports.some((p, j) => j !== portIndex && isRecord(p) && isRecord(own) && p.port === own.port && portProtocol(p) === protocol)) return [];
  const edit: FixEdit = hasProtocol
    ? { kind: 'replace-value', place: { object: service, path: ['spec', 'ports', portIndex, 'protocol'] }, text: protocol }
    : { kind: 'set-field', place: { object: service, path: ['spec', 'ports', portIndex] }, key: 'protocol', text: protocol };
  return [{ title: `Set protocol: ${protocol}`, preferred: true, edits: [edit] }];
}
