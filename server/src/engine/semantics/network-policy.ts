// NetworkPolicy reachability (spec (g) g.1-g.3, g.5, g.6).
//
// Owns: deciding whether a connection (source, destination, port, protocol) is allowed by the
// NetworkPolicies of a workspace, and which policies decided it, for Pods and external IPs.
// Model (g.1, g.5): a direction is checked at the Pod it isolates (destination for ingress,
// source for egress). An external endpoint is never isolated. A Pod selected by no policy of
// that direction is not isolated; otherwise the traffic must match at least one rule of at least
// one selecting policy (union, no deny rules). The connection needs both directions. A Pod
// talking to itself is always allowed (g.1 exception).
// Performance: `buildNetworkPolicyModel` evaluates every selector once: which Pods each policy
// selects, and which Pods each rule's peers cover (podSelector x namespaceSelector, and ipBlocks
// against Pod IPs). A query then only checks port matchers and bitmap membership.
// Deliberately absent: node-local traffic, Service VIP / NAT translation (g.3 leaves ipBlock vs
// NAT implementation-defined: ipBlocks are matched against Pod IPs and the given external IPs).
import { matches, type Selector } from '../labels/selector';
import { ipBlockContains, parseIp, type IpAddress } from './network-policy-cidr';
import { namedPort } from './ports';
import type { V1NetworkPolicy } from '../model/k8s-types';
import {
  compileNetworkPolicy,
  netpolNamespace,
  type CompiledPeer,
  type CompiledPolicy,
  type CompiledPorts,
  type CompiledRule,
  type NetpolNamespace,
  type NetpolPod,
  type NetworkPolicyInput,
  type PolicyDirection,
} from './network-policy-model';

export * from './network-policy-model';

/** Which Pods one rule's peers cover: every peer and address (`anyPeer`), or a Pod bitmap. */
export type RulePeerPods = { readonly kind: 'anyPeer' } | { readonly kind: 'pods'; readonly members: Uint8Array };

export type PreparedRule = { readonly rule: CompiledRule; readonly peerPods: RulePeerPods };

export type PreparedPolicy = {
  readonly policy: CompiledPolicy;
  /** Indexes into `NetworkPolicyModel.pods` of the Pods `spec.podSelector` selects, ascending. */
  readonly selects: readonly number[];
  /** Empty when the direction is not in `policyTypes` (its rules are then ignored, g.2). */
  readonly ingress: readonly PreparedRule[];
  readonly egress: readonly PreparedRule[];
};

export type NetworkPolicyModel = {
  /** Sorted by namespace, then name; Pods with a duplicate key are dropped (first kept). */
  readonly pods: readonly NetpolPod[];
  readonly podKeys: readonly string[];
  readonly podIndex: ReadonlyMap<string, number>;
  /** Known namespaces sorted by name: given ones plus any a Pod or policy lives in. */
  readonly namespaces: readonly NetpolNamespace[];
  /** Sorted by namespace, then name. */
  readonly policies: readonly PreparedPolicy[];
  /** Per Pod index: indexes of the policies isolating it for ingress / egress, ascending. */
  readonly ingressIsolatedBy: readonly (readonly number[])[];
  readonly egressIsolatedBy: readonly (readonly number[])[];
  /** Per Pod index: its isolation with shared verdict values; `undefined` = not isolated. */
  readonly ingressIsolation: readonly (Isolation | undefined)[];
  readonly egressIsolation: readonly (Isolation | undefined)[];
  readonly podIps: readonly (readonly IpAddress[])[];
  /** Namespace name -> Pod indexes in it, ascending. */
  readonly podsByNamespace: ReadonlyMap<string, readonly number[]>;
  /** Work counters of the build (label selector evaluations), for linearity assertions. */
  readonly work: { readonly selectorEvaluations: number };
};

/** A Pod's isolation in one direction, with the two verdicts that need no allocation per query. */
export type Isolation = {
  readonly policies: readonly number[];
  /** No isolating policy allows: `denied` naming all of them. */
  readonly denied: DirectionVerdict;
  /** Every isolating policy allows: `allowed` naming all of them. */
  readonly allowedByAll: DirectionVerdict;
};

export type TrafficEndpoint = { readonly kind: 'pod'; readonly namespace: string; readonly name: string } | { readonly kind: 'external'; readonly ip: string };

export type Traffic = {
  readonly from: TrafficEndpoint;
  readonly to: TrafficEndpoint;
  readonly port: number;
  readonly protocol: string;
};

/**
 * One direction of one connection:
 *   - notIsolated: the endpoint is external, or no policy of this direction selects the Pod;
 *   - allowed: isolated, and these policies ("ns/name") each have a rule allowing the traffic;
 *   - denied: isolated by these policies, none of which allows the traffic.
 */
export type DirectionVerdict =
  | { readonly kind: 'notIsolated' }
  | { readonly kind: 'allowed'; readonly policies: readonly string[] }
  | { readonly kind: 'denied'; readonly policies: readonly string[] };

export type TrafficVerdict =
  | {
      readonly kind: 'verdict';
      readonly allowed: boolean;
      /** Source and destination are the same Pod: allowed whatever the directions say (g.1). */
      readonly loopback: boolean;
      readonly ingress: DirectionVerdict;
      readonly egress: DirectionVerdict;
    }
  | { readonly kind: 'unknownPod'; readonly pod: string }
  | { readonly kind: 'invalidIp'; readonly ip: string };

/** Compiles the policies and precomputes every selector result. */
export function buildNetworkPolicyModel(input: NetworkPolicyInput): NetworkPolicyModel {
  const defaultNamespace = input.defaultNamespace ?? 'default';
  const podIndex = new Map<string, number>();
  const pods: NetpolPod[] = [];
  for (const pod of [...input.pods].sort(compareRefs)) {
    const key = podKey(pod);
    if (podIndex.has(key)) continue;
    podIndex.set(key, pods.length);
    pods.push(pod);
  }
  const podKeys = pods.map(podKey);
  const podIps = pods.map((p) => p.ips.map(parseIp).filter((ip): ip is IpAddress => ip !== undefined));
  const compiled = input.policies.map((p) => compiledPolicy(p, defaultNamespace)).sort(compareRefs);
  const namespaces = collectNamespaces(input.namespaces, pods, compiled);
  const podsByNamespace = new Map<string, number[]>();
  pods.forEach((p, i) => {
    const list = podsByNamespace.get(p.namespace) ?? [];
    list.push(i);
    podsByNamespace.set(p.namespace, list);
  });
  const work = { selectorEvaluations: 0 };
  const countedMatches = (selector: Selector, labels: Readonly<Record<string, string>>): boolean => {
    work.selectorEvaluations++;
    return matches(selector, labels);
  };
  const ctx: PrepareContext = { pods, podIps, namespaces, podsByNamespace, matches: countedMatches };
  const policies = compiled.map((policy) => preparePolicy(policy, ctx));
  const ingressIsolatedBy = pods.map((): number[] => []);
  const egressIsolatedBy = pods.map((): number[] => []);
  policies.forEach((p, pi) => {
    for (const podIdx of p.selects) {
      if (p.policy.policyTypes.includes('Ingress')) ingressIsolatedBy[podIdx].push(pi);
      if (p.policy.policyTypes.includes('Egress')) egressIsolatedBy[podIdx].push(pi);
    }
  });
  const isolation = (policyIndexes: readonly number[]): Isolation | undefined => {
    if (policyIndexes.length === 0) return undefined;
    const keys = policyIndexes.map((pi) => policies[pi].policy.key);
    return { policies: policyIndexes, denied: { kind: 'denied', policies: keys }, allowedByAll: { kind: 'allowed', policies: keys } };
  };
  const ingressIsolation = ingressIsolatedBy.map(isolation);
  const egressIsolation = egressIsolatedBy.map(isolation);
  return { pods, podKeys, podIndex, namespaces, policies, ingressIsolatedBy, egressIsolatedBy, ingressIsolation, egressIsolation, podIps, podsByNamespace, work };
}

/**
 * A policy compiles the same every time: models rebuilt while it stays (another pod's labels
 * changed) reuse its compiled form. Keyed by the policy object, which the caller keeps while the
 * policy is unchanged (checks/network-policy-model.ts).
 */
const compiledPolicies = new WeakMap<V1NetworkPolicy, { readonly defaultNamespace: string; readonly compiled: CompiledPolicy }>();

function compiledPolicy(policy: V1NetworkPolicy, defaultNamespace: string): CompiledPolicy {
  const hit = compiledPolicies.get(policy);
  if (hit?.defaultNamespace === defaultNamespace) return hit.compiled;
  const compiled = compileNetworkPolicy(policy, defaultNamespace);
  compiledPolicies.set(policy, { defaultNamespace, compiled });
  return compiled;
}

/** Decides one connection; unknown Pods and unparsable IPs are reported, not thrown. */
export function evaluateTraffic(model: NetworkPolicyModel, traffic: Traffic): TrafficVerdict {
  const from = resolveEndpoint(model, traffic.from);
  if (from.kind !== 'resolved') return from;
  const to = resolveEndpoint(model, traffic.to);
  if (to.kind !== 'resolved') return to;
  return evaluateResolved(model, from.peer, to.peer, traffic.port, traffic.protocol);
}

/** An endpoint after lookup: a Pod index or a parsed external address. */
export type Peer = { readonly kind: 'pod'; readonly index: number } | { readonly kind: 'external'; readonly ip: IpAddress; readonly text: string };

export function resolveEndpoint(
  model: NetworkPolicyModel,
  endpoint: TrafficEndpoint,
): { kind: 'resolved'; peer: Peer } | { kind: 'unknownPod'; pod: string } | { kind: 'invalidIp'; ip: string } {
  if (endpoint.kind === 'pod') {
    const key = `${endpoint.namespace}/${endpoint.name}`;
    const index = model.podIndex.get(key);
    return index === undefined ? { kind: 'unknownPod', pod: key } : { kind: 'resolved', peer: { kind: 'pod', index } };
  }
  const ip = parseIp(endpoint.ip);
  return ip ? { kind: 'resolved', peer: { kind: 'external', ip, text: endpoint.ip } } : { kind: 'invalidIp', ip: endpoint.ip };
}

/** Both directions for resolved endpoints (g.1: egress at the source AND ingress at the destination). */
export function evaluateResolved(model: NetworkPolicyModel, from: Peer, to: Peer, port: number, protocol: string): TrafficVerdict {
  const egress = from.kind === 'pod' ? evaluateDirection(model, 'Egress', from.index, to, to, port, protocol) : NOT_ISOLATED;
  const ingress = to.kind === 'pod' ? evaluateDirection(model, 'Ingress', to.index, from, to, port, protocol) : NOT_ISOLATED;
  const loopback = from.kind === 'pod' && to.kind === 'pod' && from.index === to.index;
  const allowed = loopback || (egress.kind !== 'denied' && ingress.kind !== 'denied');
  return { kind: 'verdict', allowed, loopback, ingress, egress };
}

const NOT_ISOLATED: DirectionVerdict = { kind: 'notIsolated' };

/**
 * One direction at the Pod `subject` (destination for Ingress, source for Egress) against the
 * other end `peer`. Ports are always resolved at the destination `to` (g.3: a named port is a
 * port of the destination Pod; an external destination has no named ports).
 */
export function evaluateDirection(
  model: NetworkPolicyModel,
  direction: PolicyDirection,
  subject: number,
  peer: Peer,
  to: Peer,
  port: number,
  protocol: string,
): DirectionVerdict {
  const isolation = direction === 'Ingress' ? model.ingressIsolation[subject] : model.egressIsolation[subject];
  if (isolation === undefined) return NOT_ISOLATED;
  const isolating = isolation.policies;
  let allowing: string[] | undefined;
  for (let k = 0; k < isolating.length; k++) {
    const prepared = model.policies[isolating[k]];
    const rules = direction === 'Ingress' ? prepared.ingress : prepared.egress;
    if (!rules.some((r) => peerMatches(r, peer) && portsMatch(model, r.rule.ports, to, port, protocol))) continue;
    (allowing ??= []).push(prepared.policy.key);
  }
  if (allowing === undefined) return isolation.denied;
  // Most Pods are isolated by one or two policies: share the verdict when all of them allow.
  return allowing.length === isolating.length ? isolation.allowedByAll : { kind: 'allowed', policies: allowing };
}

/**
 * Port matching (g.3, g.5), any item of the list:
 *   - protocol only: same protocol;
 *   - number: same protocol and port..endPort contains the port;
 *   - named: same protocol, the destination is a Pod, and the port the name resolves to on it
 *     (ports.ts, b.4) has this number.
 */
export function portsMatch(model: NetworkPolicyModel, ports: CompiledPorts, to: Peer, port: number, protocol: string): boolean {
  if (ports.kind === 'allPorts') return true;
  return ports.items.some((item) => {
    if (item.protocol !== protocol) return false;
    switch (item.kind) {
      case 'protocol':
        return true;
      case 'number':
        return item.port <= port && port <= item.endPort;
      case 'named':
        return to.kind === 'pod' && namedPort(model.pods[to.index].ports, item.name, protocol)?.containerPort === port;
    }
  });
}

function peerMatches(rule: PreparedRule, peer: Peer): boolean {
  if (rule.peerPods.kind === 'anyPeer') return true;
  if (peer.kind === 'pod') return rule.peerPods.members[peer.index] === 1;
  // Only ipBlocks can match an external address; Pod selectors never do (g.5).
  const peers = rule.rule.peers;
  return peers.kind === 'peers' && peers.items.some((p) => p.kind === 'ipBlock' && ipBlockContains(p.cidr, p.except, peer.ip));
}

type PrepareContext = Pick<NetworkPolicyModel, 'pods' | 'podIps' | 'namespaces' | 'podsByNamespace'> & {
  readonly matches: (selector: Selector, labels: Readonly<Record<string, string>>) => boolean;
};

function preparePolicy(policy: CompiledPolicy, ctx: PrepareContext): PreparedPolicy {
  const selects = (ctx.podsByNamespace.get(policy.namespace) ?? []).filter((i) => ctx.matches(policy.podSelector, ctx.pods[i].labels));
  const prepareRules = (direction: PolicyDirection, rules: readonly CompiledRule[]): PreparedRule[] =>
    policy.policyTypes.includes(direction) ? rules.map((rule) => ({ rule, peerPods: rulePeerPods(rule, policy.namespace, ctx) })) : [];
  return { policy, selects, ingress: prepareRules('Ingress', policy.ingress), egress: prepareRules('Egress', policy.egress) };
}

function rulePeerPods(rule: CompiledRule, policyNamespace: string, ctx: PrepareContext): RulePeerPods {
  if (rule.peers.kind === 'anyPeer') return { kind: 'anyPeer' };
  const members = new Uint8Array(ctx.pods.length);
  for (const peer of rule.peers.items) markPeerPods(peer, policyNamespace, ctx, members);
  return { kind: 'pods', members };
}

/** Indexes of the model's Pods one peer of a policy in `policyNamespace` covers, ascending. */
export function podsCoveredByPeer(model: NetworkPolicyModel, peer: CompiledPeer, policyNamespace: string): number[] {
  const members = new Uint8Array(model.pods.length);
  markPeerPods(peer, policyNamespace, { ...model, matches }, members);
  const out: number[] = [];
  members.forEach((m, i) => {
    if (m === 1) out.push(i);
  });
  return out;
}

/** Sets `members[i] = 1` for every Pod the peer covers. */
function markPeerPods(peer: CompiledPeer, policyNamespace: string, ctx: PrepareContext, members: Uint8Array): void {
  switch (peer.kind) {
    case 'invalid':
      return;
    case 'ipBlock':
      ctx.podIps.forEach((ips, i) => {
        if (ips.some((ip) => ipBlockContains(peer.cidr, peer.except, ip))) members[i] = 1;
      });
      return;
    case 'pods': {
      const namespaceNames =
        peer.namespaces.kind === 'policyNamespace'
          ? [policyNamespace]
          : ctx.namespaces.filter((ns) => peer.namespaces.kind === 'selector' && ctx.matches(peer.namespaces.selector, ns.labels)).map((ns) => ns.name);
      for (const ns of namespaceNames) {
        for (const i of ctx.podsByNamespace.get(ns) ?? []) {
          if (members[i] === 0 && ctx.matches(peer.podSelector, ctx.pods[i].labels)) members[i] = 1;
        }
      }
      return;
    }
  }
}

/** Given namespaces (defaulted label added) plus implicit ones for Pods and policies, by name. */
function collectNamespaces(given: readonly NetpolNamespace[], pods: readonly NetpolPod[], policies: readonly CompiledPolicy[]): NetpolNamespace[] {
  const byName = new Map<string, NetpolNamespace>();
  for (const ns of given) if (!byName.has(ns.name)) byName.set(ns.name, netpolNamespace(ns.name, ns.labels));
  for (const name of [...pods.map((p) => p.namespace), ...policies.map((p) => p.namespace)]) {
    if (!byName.has(name)) byName.set(name, netpolNamespace(name, {}));
  }
  return [...byName.values()].sort((a, b) => compareKeys(a.name, b.name));
}

export function podKey(pod: { readonly namespace: string; readonly name: string }): string {
  return `${pod.namespace}/${pod.name}`;
}

/** By namespace, then name, in code-unit order (never locale-dependent). */
export function compareRefs(a: { readonly namespace: string; readonly name: string }, b: { readonly namespace: string; readonly name: string }): number {
  return compareKeys(a.namespace, b.namespace) || compareKeys(a.name, b.name);
}

/** Code-unit order, so output never depends on the host locale. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
