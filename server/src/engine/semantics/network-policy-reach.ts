// All-pairs NetworkPolicy reachability, in the shape of `kubeglass reach --format json` (spec g.6).
//
// Owns: enumerating (source, destination, port, protocol) over every Pod of a model plus given
// external IPs, and the flat pair records the CLI prints. Decisions come from
// `network-policy.ts`; this file only enumerates and formats.
// Order (deterministic): probe ports by port then protocol; endpoints are the model's Pods
// (namespace, name), then external IPs in code-unit order. External-to-external pairs are
// skipped: no NetworkPolicy governs them. Loopback pairs are included and always allowed (g.1).
import { compareKeys, evaluateResolved, type NetworkPolicyModel, type NetpolProtocol, type Peer } from './network-policy';
import { parseIp } from './network-policy-cidr';

export type ProbePort = { readonly port: number; readonly protocol: NetpolProtocol };

export type ReachOptions = {
  readonly ports: readonly ProbePort[];
  /** Addresses outside the model's Pods to probe from and to (matched only by ipBlock peers). */
  readonly externalIps?: readonly string[];
};

/** One probe. Endpoints are "namespace/pod" or a bare IP; policies are "namespace/name". */
export type ReachPair = {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: NetpolProtocol;
  readonly allowed: boolean;
  /** Destination isolated for ingress: the policies allowing it, or (denied) all isolating ones. */
  readonly ingressPolicies: readonly string[];
  /** Source isolated for egress: the policies allowing it, or (denied) all isolating ones. */
  readonly egressPolicies: readonly string[];
};

export type ReachResult = {
  readonly pairs: readonly ReachPair[];
  /** Endpoint names in output order (rows and columns of a matrix). */
  readonly endpoints: readonly string[];
  /** External IPs that do not parse; they are left out of `pairs`. */
  readonly invalidIps: readonly string[];
};

export function reachability(model: NetworkPolicyModel, options: ReachOptions): ReachResult {
  const invalidIps: string[] = [];
  const externals: { name: string; peer: Peer }[] = [];
  for (const text of [...new Set(options.externalIps ?? [])].sort(compareKeys)) {
    const ip = parseIp(text);
    if (ip) externals.push({ name: text, peer: { kind: 'external', ip, text } });
    else invalidIps.push(text);
  }
  const endpoints = [...model.podKeys.map((name, index) => ({ name, peer: { kind: 'pod', index } as Peer })), ...externals];
  const pairs: ReachPair[] = [];
  for (const { port, protocol } of sortProbePorts(options.ports)) {
    for (const from of endpoints) {
      for (const to of endpoints) {
        if (from.peer.kind === 'external' && to.peer.kind === 'external') continue;
        const verdict = evaluateResolved(model, from.peer, to.peer, port, protocol);
        if (verdict.kind !== 'verdict') continue;
        pairs.push({
          from: from.name,
          to: to.name,
          port,
          protocol,
          allowed: verdict.allowed,
          ingressPolicies: verdict.ingress.kind === 'notIsolated' ? [] : verdict.ingress.policies,
          egressPolicies: verdict.egress.kind === 'notIsolated' ? [] : verdict.egress.policies,
        });
      }
    }
  }
  return { pairs, endpoints: endpoints.map((e) => e.name), invalidIps };
}

/**
 * Ports worth probing when the user names none: every declared container port, and every
 * numeric policy port (both ends of an `endPort` range), deduplicated and sorted.
 */
export function defaultProbePorts(model: NetworkPolicyModel): ProbePort[] {
  const found: ProbePort[] = [];
  const add = (port: number, protocol: string) => {
    if (isProtocol(protocol) && Number.isInteger(port) && port >= 1 && port <= 65535) found.push({ port, protocol });
  };
  for (const pod of model.pods) for (const p of pod.ports) add(p.containerPort, p.protocol);
  for (const { policy } of model.policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      if (rule.ports.kind !== 'ports') continue;
      for (const item of rule.ports.items) {
        if (item.kind !== 'number') continue;
        add(item.port, item.protocol);
        add(item.endPort, item.protocol);
      }
    }
  }
  return sortProbePorts(found);
}

function sortProbePorts(ports: readonly ProbePort[]): ProbePort[] {
  const byKey = new Map<string, ProbePort>();
  for (const p of ports) byKey.set(`${p.port}/${p.protocol}`, { port: p.port, protocol: p.protocol });
  return [...byKey.values()].sort((a, b) => a.port - b.port || compareKeys(a.protocol, b.protocol));
}

function isProtocol(p: string): p is NetpolProtocol {
  return p === 'TCP' || p === 'UDP' || p === 'SCTP';
}
