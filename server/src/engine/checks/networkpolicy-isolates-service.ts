// networkpolicy-isolates-service (warning)
// Kubernetes rule (spec g.1, g.3): a pod selected by a NetworkPolicy with policyType Ingress is
// isolated for ingress; only connections some ingress rule of an isolating policy allows get in.
// Fires on a Service port when the Service's pods are isolated for ingress and no rule of any
// isolating policy opens the Service's target port to any peer: the port can never be reached.
import type { Check } from './types';
import type { V1Service } from '../model/k8s-types';
import { policyModelForPods } from './network-policy-model';
import { serviceSelector } from '../labels/selector';
import { unreachableServicePorts } from '../semantics/network-policy-checks';

export const networkpolicyIsolatesService: Check = {
  codes: { 'networkpolicy-isolates-service': 'warning' },
  kinds: ['Service'],
  run(object, ctx, report) {
    if (ctx.index.ofKind('NetworkPolicy', object.namespace).length === 0) return;
    const service = { ...object.raw, metadata: { ...(object.raw.metadata as object), namespace: object.namespace } } as V1Service;
    // The findings concern the pods the Service selects, and the policies isolating them.
    const model = policyModelForPods(ctx, object.namespace, object.uri, serviceSelector(service.spec?.selector));
    const findings = unreachableServicePorts(model, service, ctx.options.defaultNamespace);
    const byPort = new Map<number, typeof findings>();
    for (const f of findings) byPort.set(f.servicePortIndex, [...(byPort.get(f.servicePortIndex) ?? []), f]);
    for (const [index, list] of byPort) {
      const first = list[0];
      const policies = [...new Set(list.flatMap((f) => f.policies))].sort();
      const pods = [...new Set(list.map((f) => f.pod))].sort();
      const hasTarget = (object.raw.spec as { ports?: Array<{ targetPort?: unknown }> } | undefined)?.ports?.[index]?.targetPort !== undefined;
      report({
        code: 'networkpolicy-isolates-service',
        path: ['spec', 'ports', index, hasTarget ? 'targetPort' : 'port'],
        target: 'value',
        message: `No NetworkPolicy lets any pod or namespace reach port ${first.port} (target ${first.targetPort}/${first.protocol}) of this Service: its pods (${pods.slice(0, 3).join(', ')}${pods.length > 3 ? `, … ${pods.length} in all` : ''}) are isolated for ingress by ${policies.join(', ')}, and no ingress rule of those policies opens ${first.targetPort}/${first.protocol}.`,
        related: policies.flatMap((key) => {
          const [ns, name] = key.split('/');
          return ctx.index.named('NetworkPolicy', ns, name).map((p) => ({ object: p, path: ['spec', 'podSelector'], message: `${key} isolates the pods for ingress` }));
        }),
      });
    }
  },
};
