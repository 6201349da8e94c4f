// The NetworkPolicy model of one namespace for checks: the namespace's pod templates and Pods,
// every Namespace object (for namespaceSelector peers) and the namespace's policies, built once
// per workspace revision.
import type { CheckContext } from './types';
import type { K8sObject } from '../model/object';
import { buildNetworkPolicyModel, type NetworkPolicyModel } from '../semantics/network-policy';
import { networkPolicyInputFromObjects } from '../semantics/network-policy-workspace';

export function namespacePolicyModel(ctx: CheckContext, namespace: string): NetworkPolicyModel {
  return ctx.memo(`netpol-model:${namespace}`, () => {
    const objects: K8sObject[] = [...ctx.index.ofKind('Namespace'), ...ctx.index.ofKind('NetworkPolicy', namespace), ...ctx.index.podTemplatesIn(namespace).map((t) => t.owner)];
    // Peers may select pods of other namespaces: include every namespace's templates when a policy says so.
    const crossNamespace = ctx.index.ofKind('NetworkPolicy', namespace).some((p) => JSON.stringify(p.raw.spec ?? {}).includes('namespaceSelector'));
    if (crossNamespace) for (const ns of ctx.index.namespaces()) if (ns !== namespace) objects.push(...ctx.index.podTemplatesIn(ns).map((t) => t.owner));
    return buildNetworkPolicyModel(networkPolicyInputFromObjects(objects));
  });
}

/** "spec.ingress[0].ports[1].port" -> ['spec', 'ingress', 0, 'ports', 1, 'port']. */
export function pathFromText(text: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of text.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}
