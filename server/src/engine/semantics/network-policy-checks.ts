// Facts behind two NetworkPolicy diagnostics the check registry can wrap (spec (g) g.3, g.4 WARN
// candidates):
//   - `unreachableServicePorts`: a Pod behind a Service is isolated for ingress, and no rule of
//     any policy isolating it opens the Service's target port to any peer, so the Service port
//     can never be reached on that Pod.
//   - `undeclaredNamedPorts`: a named port in a policy rule that none of the Pods it can apply to
//     declares (ingress: the Pods the policy selects; egress: the Pods the rule's `to` covers),
//     or that sits in an egress rule whose destinations are all ipBlocks (never resolvable).
// Owns only the facts (plain data with field paths); message wording, severity and ranges belong
// to the checks. Egress of the sources is deliberately not considered by the first check: it
// asks whether the destination side lets anyone in at all.
import type { V1Service } from '../model/k8s-types';
import { matches, serviceSelector } from '../labels/selector';
import {
  compareKeys,
  portsMatch,
  type NetworkPolicyModel,
  type PolicyDirection,
  type PreparedRule,
} from './network-policy';
import { namedPort, portProtocol, resolveNamedTargetPort, targetPortOn } from './ports';

export type UnreachableServicePort = {
  /** Pod "namespace/name". */
  readonly pod: string;
  /** Index into `spec.ports` of the Service. */
  readonly servicePortIndex: number;
  readonly servicePortName?: string;
  readonly port: number;
  readonly targetPort: number;
  readonly protocol: string;
  /** The policies isolating the Pod for ingress, "namespace/name". */
  readonly policies: readonly string[];
};

/**
 * Service Pods that no ingress rule lets anyone reach on the Service's target port. The Service
 * selects Pods of its namespace by equality on `spec.selector`; an absent or empty selector
 * selects none (a.5). The target port is `targetPort` (number as-is, name resolved per Pod by
 * name and protocol, b.4), or `port` when `targetPort` is absent, 0 or "" (b.1); a name the Pod
 * does not declare is skipped (another check reports it). Sorted by Pod, then Service port index.
 */
export function unreachableServicePorts(model: NetworkPolicyModel, service: V1Service, defaultNamespace = 'default'): UnreachableServicePort[] {
  const namespace = service.metadata?.namespace || defaultNamespace;
  const selector = serviceSelector(service.spec?.selector);
  if (selector.kind === 'nothing') return [];
  const out: UnreachableServicePort[] = [];
  for (const podIdx of model.podsByNamespace.get(namespace) ?? []) {
    const pod = model.pods[podIdx];
    const isolating = model.ingressIsolatedBy[podIdx];
    if (isolating.length === 0 || !matches(selector, pod.labels)) continue;
    (service.spec?.ports ?? []).forEach((sp, servicePortIndex) => {
      if (!sp || typeof sp.port !== 'number') return;
      const protocol = portProtocol(sp);
      const targetPort = targetPortOn(sp, pod.ports);
      if (targetPort === undefined) return;
      const to = { kind: 'pod', index: podIdx } as const;
      const reachable = isolating.some((pi) =>
        model.policies[pi].ingress.some((r) => portsMatch(model, r.rule.ports, to, targetPort, protocol) && admitsSomeone(r)),
      );
      if (reachable) return;
      out.push({
        pod: model.podKeys[podIdx],
        servicePortIndex,
        ...(sp.name ? { servicePortName: sp.name } : {}),
        port: sp.port,
        targetPort,
        protocol,
        policies: isolating.map((pi) => model.policies[pi].policy.key),
      });
    });
  }
  return out;
}

/**
 * A rule admits someone when it has no peer list or has a peer that can match at all: an ipBlock,
 * or Pod selectors that are valid. Peers are not required to match a *known* Pod: the workspace
 * rarely holds every client, and a peer matching nothing known is its own finding. So this
 * check is about ports: isolated, and no rule opens the target port.
 */
function admitsSomeone(rule: PreparedRule): boolean {
  const peers = rule.rule.peers;
  if (peers.kind === 'anyPeer') return true;
  return peers.items.some(
    (p) =>
      p.kind === 'ipBlock' ||
      (p.kind === 'pods' && p.podSelector.kind !== 'nothing' && !(p.namespaces.kind === 'selector' && p.namespaces.selector.kind === 'nothing')),
  );
}

export type UndeclaredNamedPort = {
  /**
   * undeclared: no candidate Pod declares the name with the protocol;
   * ipBlockDestinations: an egress rule whose `to` lists only ipBlocks, where no Pod exists to
   * resolve a name against (g.3), so the port can never match.
   */
  readonly reason: 'undeclared' | 'ipBlockDestinations';
  readonly policy: string;
  readonly direction: PolicyDirection;
  /** e.g. "spec.ingress[0].ports[1].port". */
  readonly path: string;
  readonly name: string;
  readonly protocol: string;
  /** How many known Pods the port could resolve on (all of them lack it). */
  readonly candidatePods: number;
  /** Candidate Pods declaring the name with another protocol, "namespace/name", sorted. */
  readonly declaredWithOtherProtocol: readonly string[];
};

/**
 * Named ports (g.3) that resolve on none of the Pods they could apply to. Only rules in effect
 * count (direction in `policyTypes`). Egress rules whose destinations are all ipBlocks are
 * reported as `ipBlockDestinations`; otherwise rules with no candidate Pod are not reported (a
 * policy or peer selecting nothing is a different finding). Ordered by policy, then spec order.
 */
export function undeclaredNamedPorts(model: NetworkPolicyModel): UndeclaredNamedPort[] {
  const out: UndeclaredNamedPort[] = [];
  for (const prepared of model.policies) {
    const directions: [PolicyDirection, readonly PreparedRule[], string][] = [
      ['Ingress', prepared.ingress, 'spec.ingress'],
      ['Egress', prepared.egress, 'spec.egress'],
    ];
    for (const [direction, rules, field] of directions) {
      for (const { rule, peerPods } of rules) {
        if (rule.ports.kind !== 'ports') continue;
        const ipBlocksOnly = direction === 'Egress' && rule.peers.kind === 'peers' && rule.peers.items.every((p) => p.kind === 'ipBlock');
        if (ipBlocksOnly) {
          for (const item of rule.ports.items) {
            if (item.kind !== 'named') continue;
            out.push({
              reason: 'ipBlockDestinations',
              policy: prepared.policy.key,
              direction,
              path: `${field}[${rule.index}].ports[${item.index}].port`,
              name: item.name,
              protocol: item.protocol,
              candidatePods: 0,
              declaredWithOtherProtocol: [],
            });
          }
          continue;
        }
        const candidates =
          direction === 'Ingress'
            ? prepared.selects
            : peerPods.kind === 'anyPeer'
              ? model.pods.map((_, i) => i)
              : model.pods.map((_, i) => i).filter((i) => peerPods.members[i] === 1);
        if (candidates.length === 0) continue;
        for (const item of rule.ports.items) {
          if (item.kind !== 'named') continue;
          if (candidates.some((i) => namedPort(model.pods[i].ports, item.name, item.protocol) !== undefined)) continue;
          const other = candidates
            .filter((i) => resolveNamedTargetPort(model.pods[i].ports, item.name, item.protocol).kind === 'protocol-mismatch')
            .map((i) => model.podKeys[i])
            .sort(compareKeys);
          out.push({
            reason: 'undeclared',
            policy: prepared.policy.key,
            direction,
            path: `${field}[${rule.index}].ports[${item.index}].port`,
            name: item.name,
            protocol: item.protocol,
            candidatePods: candidates.length,
            declaredWithOtherProtocol: other,
          });
        }
      }
    }
  }
  return out;
}
