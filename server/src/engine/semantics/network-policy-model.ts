// NetworkPolicy input model and compilation (spec (g) g.2, g.3).
//
// Owns: the plain-data inputs of reachability analysis (namespaces, pods with their container
// ports, policies) and the compiled form of one V1NetworkPolicy (defaulted `policyTypes`, rules
// with peers and port matchers).
// Invariants: compiling never throws. Anything the API server would reject is evaluated the
// most conservative way that keeps the rest of the policy meaningful, and recorded as a
// `problem` (full g.4 validation with exact messages is not done here).
// Deliberately absent: label selector matching (`labels/selector.ts`), named-port resolution
// (`ports.ts`, the same search as a Service's named `targetPort`) and the evaluation itself
// (`network-policy.ts`).
import type { V1LabelSelector, V1NetworkPolicy, V1NetworkPolicyPeer, V1NetworkPolicyPort } from '../model/k8s-types';
import { EVERYTHING, selectorFromLabelSelector, type Selector } from '../labels/selector';
import { parseCidr, type Cidr } from './network-policy-cidr';
import type { DeclaredPort } from './ports';
import type { ContainerPortInfo } from '../model/pod-template';

export type NetpolProtocol = 'TCP' | 'UDP' | 'SCTP';
export type PolicyDirection = 'Ingress' | 'Egress';

/** The label every Namespace carries after defaulting (g.3): its own name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export type NetpolNamespace = { readonly name: string; readonly labels: Readonly<Record<string, string>> };

/** One declared container port; `protocol` already defaulted to TCP. */
export type NetpolContainerPort = DeclaredPort;

/** The plain-data ports of a Pod or template (`containerPortsOf`, `PodTemplate.ports`), order kept. */
export function netpolContainerPorts(ports: readonly ContainerPortInfo[]): NetpolContainerPort[] {
  return ports.map((p) => ({ ...(p.name !== undefined ? { name: p.name } : {}), containerPort: p.containerPort, protocol: p.protocol }));
}

/**
 * A Pod (or a Pod template standing in for its Pods). `ports` keeps declaration order:
 * regular containers first, then sidecar init containers (b.4), because the first match wins.
 */
export type NetpolPod = {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ips: readonly string[];
  readonly ports: readonly NetpolContainerPort[];
};

export type NetworkPolicyInput = {
  readonly namespaces: readonly NetpolNamespace[];
  readonly pods: readonly NetpolPod[];
  readonly policies: readonly V1NetworkPolicy[];
  /** Namespace of a policy that declares none (default "default"). */
  readonly defaultNamespace?: string;
};

export type PolicyProblem = { readonly path: string; readonly message: string };

export type NamespaceMatch =
  /** No `namespaceSelector`: the policy's own namespace (g.3). */
  | { readonly kind: 'policyNamespace' }
  /** `namespaceSelector` given; `{}` is `everything` = all namespaces. */
  | { readonly kind: 'selector'; readonly selector: Selector };

export type CompiledPeer =
  /** Pods matching `podSelector` (absent or `{}` = all) inside the matched namespaces. */
  | { readonly kind: 'pods'; readonly index: number; readonly namespaces: NamespaceMatch; readonly podSelector: Selector }
  /** Addresses in `cidr` outside every `except`; applies to Pod IPs too (g.5). */
  | { readonly kind: 'ipBlock'; readonly index: number; readonly cidr: Cidr; readonly except: readonly Cidr[] }
  /** A peer the API would reject (no field, unparsable CIDR): matches nothing. */
  | { readonly kind: 'invalid'; readonly index: number };

export type CompiledPeers =
  /** `from`/`to` empty or absent: every source/destination, including external addresses. */
  | { readonly kind: 'anyPeer' }
  | { readonly kind: 'peers'; readonly items: readonly CompiledPeer[] };

export type CompiledPort =
  /** `port` absent: every port of `protocol`. */
  | { readonly kind: 'protocol'; readonly index: number; readonly protocol: string }
  /** Numeric `port`, widened to `port..endPort` (inclusive) when `endPort` is set. */
  | { readonly kind: 'number'; readonly index: number; readonly protocol: string; readonly port: number; readonly endPort: number }
  /** Named `port`: resolved against the destination Pod's container ports of `protocol`. */
  | { readonly kind: 'named'; readonly index: number; readonly protocol: string; readonly name: string };

export type CompiledPorts =
  /** `ports` empty or absent: all ports and protocols. */
  | { readonly kind: 'allPorts' }
  | { readonly kind: 'ports'; readonly items: readonly CompiledPort[] };

export type CompiledRule = { readonly index: number; readonly peers: CompiledPeers; readonly ports: CompiledPorts };

export type CompiledPolicy = {
  /** "namespace/name". */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: Selector;
  /** After defaulting (g.2), sorted Ingress before Egress, no duplicates. */
  readonly policyTypes: readonly PolicyDirection[];
  readonly policyTypesDefaulted: boolean;
  /** Rules as written; they only take effect when `policyTypes` has the direction. */
  readonly ingress: readonly CompiledRule[];
  readonly egress: readonly CompiledRule[];
  readonly problems: readonly PolicyProblem[];
};

/** Compiles one policy; `defaultNamespace` applies when metadata.namespace is absent. */
export function compileNetworkPolicy(policy: V1NetworkPolicy, defaultNamespace: string): CompiledPolicy {
  const problems: PolicyProblem[] = [];
  // Decoded YAML may have any shape: read every field defensively.
  const raw: unknown = policy;
  const metadata = isObject(raw) && isObject(raw.metadata) ? raw.metadata : {};
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : defaultNamespace;
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const spec = isObject(raw) && isObject(raw.spec) ? raw.spec : {};
  // spec.podSelector is not a pointer: absent means `{}`, every Pod of the namespace (a.5).
  const podSelector = compileSelector((spec.podSelector ?? {}) as V1LabelSelector, 'spec.podSelector', problems);
  const ingressRules = listOf(spec.ingress).map((r) => (isObject(r) ? r : {}));
  const egressRules = listOf(spec.egress).map((r) => (isObject(r) ? r : {}));
  const { policyTypes, defaulted } = defaultPolicyTypes(listOf(spec.policyTypes), egressRules.length > 0, problems);
  // Manifests say `from`; the typed client model names the field `_from`: accept both.
  const ingress = ingressRules.map((rule, i) => compileRule(i, listOf(rule.from ?? rule._from), listOf(rule.ports), `spec.ingress[${i}]`, 'from', problems));
  const egress = egressRules.map((rule, i) => compileRule(i, listOf(rule.to), listOf(rule.ports), `spec.egress[${i}]`, 'to', problems));
  return { key: `${namespace}/${name}`, namespace, name, podSelector, policyTypes, policyTypesDefaulted: defaulted, ingress, egress, problems };
}

/**
 * `policyTypes` defaulting (g.2): when empty or absent the policy is an Ingress policy, and also
 * an Egress policy when it has at least one egress rule. Explicit values are kept (unknown
 * values are dropped as problems).
 */
function defaultPolicyTypes(
  written: readonly unknown[],
  hasEgressRules: boolean,
  problems: PolicyProblem[],
): { policyTypes: PolicyDirection[]; defaulted: boolean } {
  if (written.length === 0) {
    return { policyTypes: hasEgressRules ? ['Ingress', 'Egress'] : ['Ingress'], defaulted: true };
  }
  const seen = new Set<PolicyDirection>();
  written.forEach((t, i) => {
    if (t === 'Ingress' || t === 'Egress') seen.add(t);
    else problems.push({ path: `spec.policyTypes[${i}]`, message: `unsupported policy type ${JSON.stringify(t)}` });
  });
  return { policyTypes: (['Ingress', 'Egress'] as const).filter((t) => seen.has(t)), defaulted: false };
}

function compileRule(
  index: number,
  peers: readonly unknown[],
  ports: readonly unknown[],
  path: string,
  peerField: 'from' | 'to',
  problems: PolicyProblem[],
): CompiledRule {
  // A null list element decodes to the zero value of its type, as the API server's JSON decoder does.
  const compiledPeers: CompiledPeers =
    peers.length === 0
      ? { kind: 'anyPeer' }
      : { kind: 'peers', items: peers.map((p, j) => compilePeer(j, (isObject(p) ? p : {}) as V1NetworkPolicyPeer, `${path}.${peerField}[${j}]`, problems)) };
  const compiledPorts: CompiledPorts =
    ports.length === 0
      ? { kind: 'allPorts' }
      : { kind: 'ports', items: ports.map((p, k) => compilePort(k, (isObject(p) ? p : {}) as V1NetworkPolicyPort, `${path}.ports[${k}]`, problems)) };
  return { index, peers: compiledPeers, ports: compiledPorts };
}

/**
 * Peer cases (g.3):
 *   - ipBlock: addresses in cidr minus except (a selector beside it is rejected by the API; it is
 *     reported and the ipBlock alone is used);
 *   - podSelector only: matching Pods in the policy namespace;
 *   - namespaceSelector only: every Pod in matching namespaces;
 *   - both: matching Pods in matching namespaces (AND);
 *   - none: rejected by the API; matches nothing.
 */
function compilePeer(index: number, peer: V1NetworkPolicyPeer, path: string, problems: PolicyProblem[]): CompiledPeer {
  const hasSelector = peer.podSelector != null || peer.namespaceSelector != null;
  if (peer.ipBlock != null) {
    if (hasSelector) problems.push({ path, message: 'may not specify both ipBlock and another peer' });
    const ipBlock: { cidr?: unknown; except?: unknown } = isObject(peer.ipBlock) ? peer.ipBlock : {};
    const cidr = typeof ipBlock.cidr === 'string' ? parseCidr(ipBlock.cidr) : undefined;
    if (!cidr) {
      problems.push({ path: `${path}.ipBlock.cidr`, message: `invalid CIDR ${JSON.stringify(ipBlock.cidr ?? '')}` });
      return { kind: 'invalid', index };
    }
    const except: Cidr[] = [];
    listOf(ipBlock.except).forEach((text, k) => {
      const e = typeof text === 'string' ? parseCidr(text) : undefined;
      if (e) except.push(e);
      else problems.push({ path: `${path}.ipBlock.except[${k}]`, message: `invalid CIDR ${JSON.stringify(text)}` });
    });
    return { kind: 'ipBlock', index, cidr, except };
  }
  if (!hasSelector) {
    problems.push({ path, message: 'must specify a peer' });
    return { kind: 'invalid', index };
  }
  // A peer podSelector that is absent means all Pods of the selected namespaces (a.5).
  const podSelector = peer.podSelector != null ? compileSelector(peer.podSelector, `${path}.podSelector`, problems) : EVERYTHING;
  const namespaces: NamespaceMatch =
    peer.namespaceSelector == null
      ? { kind: 'policyNamespace' }
      : { kind: 'selector', selector: compileSelector(peer.namespaceSelector, `${path}.namespaceSelector`, problems) };
  return { kind: 'pods', index, namespaces, podSelector };
}

/**
 * Port cases (g.3): protocol defaults to TCP; no `port` = every port of the protocol; a number,
 * optionally widened by `endPort`; a string = a named port. `endPort` beside a named or absent
 * port is rejected by the API and ignored here.
 */
function compilePort(index: number, port: V1NetworkPolicyPort, path: string, problems: PolicyProblem[]): CompiledPort {
  const protocol = typeof port.protocol === 'string' ? port.protocol : 'TCP';
  if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') {
    problems.push({ path: `${path}.protocol`, message: `unsupported protocol ${JSON.stringify(protocol)}` });
  }
  const value: unknown = port.port;
  if (value == null) {
    if (port.endPort != null) problems.push({ path: `${path}.endPort`, message: 'may not be specified when `port` is not specified' });
    return { kind: 'protocol', index, protocol };
  }
  if (typeof value === 'string') {
    if (port.endPort != null) problems.push({ path: `${path}.endPort`, message: 'may not be specified when `port` is non-numeric' });
    return { kind: 'named', index, protocol, name: value };
  }
  if (typeof value !== 'number') {
    problems.push({ path: `${path}.port`, message: `invalid port ${JSON.stringify(value)}` });
    return { kind: 'number', index, protocol, port: 1, endPort: 0 };
  }
  const endPort = typeof port.endPort === 'number' ? port.endPort : value;
  if (endPort < value) problems.push({ path: `${path}.endPort`, message: 'must be greater than or equal to `port`' });
  return { kind: 'number', index, protocol, port: value, endPort };
}

/** A list field, or no items when the value is absent or not a list (malformed input). */
function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compileSelector(ls: V1LabelSelector, path: string, problems: PolicyProblem[]): Selector {
  const { selector, errors } = selectorFromLabelSelector(ls);
  for (const message of errors) problems.push({ path, message });
  return selector;
}

/** A namespace with its defaulted `kubernetes.io/metadata.name` label (which always wins). */
export function netpolNamespace(name: string, labels: Readonly<Record<string, string>> | undefined): NetpolNamespace {
  return { name, labels: { ...(labels ?? {}), [NAMESPACE_NAME_LABEL]: name } };
}
