// Plain-words explanation of one NetworkPolicy, for hovers (spec (g) g.1-g.3).
//
// Owns: turning a prepared policy into structured facts (which Pods it isolates per direction,
// which peers may reach them / be reached on which ports, surprises from `policyTypes`
// defaulting) and a markdown rendering of those facts. Pod lists name the model's Pods that
// match today; selectors are quoted in the string selector syntax (a.4) with keys sorted.
// Deliberately absent: any decision logic beyond what `network-policy.ts` exports; API
// validation messages (g.4).
import { selectorToString, type Selector } from '../labels/selector';
import {
  podsCoveredByPeer,
  type CompiledPeer,
  type CompiledPort,
  type NetworkPolicyModel,
  type PolicyDirection,
  type PreparedPolicy,
} from './network-policy';

/** `none` only arises from a selector the API would reject (it then selects nothing). */
export type SelectorDescription = { readonly kind: 'all' } | { readonly kind: 'none' } | { readonly kind: 'labels'; readonly text: string };

/** `pods`: the model's Pods the peer covers today, "namespace/name". */
export type PeerExplanation =
  /** Pods of the policy's namespace matching `podSelector`. */
  | { readonly kind: 'podsInPolicyNamespace'; readonly namespace: string; readonly podSelector: SelectorDescription; readonly pods: readonly string[] }
  /** Pods matching `podSelector` in namespaces matching `namespaceSelector`. */
  | { readonly kind: 'podsInNamespaces'; readonly namespaceSelector: SelectorDescription; readonly podSelector: SelectorDescription; readonly pods: readonly string[] }
  | { readonly kind: 'ipBlock'; readonly cidr: string; readonly except: readonly string[]; readonly pods: readonly string[] }
  | { readonly kind: 'invalid' };

export type PortExplanation =
  | { readonly kind: 'allPortsOf'; readonly protocol: string }
  | { readonly kind: 'port'; readonly protocol: string; readonly port: number; readonly endPort?: number }
  | { readonly kind: 'named'; readonly protocol: string; readonly name: string };

export type RuleExplanation = {
  readonly index: number;
  readonly peers: { readonly kind: 'anyone' } | { readonly kind: 'peers'; readonly items: readonly PeerExplanation[] };
  readonly ports: { readonly kind: 'allPorts' } | { readonly kind: 'ports'; readonly items: readonly PortExplanation[] };
  /** e.g. "from pods in namespace x with pod=b, on TCP 80". */
  readonly text: string;
};

export type DirectionExplanation = {
  readonly direction: PolicyDirection;
  /** The direction is in the (defaulted) `policyTypes`, so selected Pods are isolated for it. */
  readonly isolates: boolean;
  /** Rules in effect (empty when not isolating, or when isolating with no rule = deny all). */
  readonly rules: readonly RuleExplanation[];
  /** Rules written in the spec but ignored because the direction is not in `policyTypes`. */
  readonly ignoredRuleCount: number;
};

export type PolicyExplanation = {
  readonly policy: string;
  readonly namespace: string;
  readonly podSelector: SelectorDescription;
  readonly selectedPods: readonly string[];
  readonly policyTypes: readonly PolicyDirection[];
  readonly policyTypesDefaulted: boolean;
  readonly ingress: DirectionExplanation;
  readonly egress: DirectionExplanation;
  /** Surprising consequences of the spec (g.2), as sentences. */
  readonly warnings: readonly string[];
  readonly markdown: string;
};

/** Explains the policy with key "namespace/name"; `undefined` when the model has none. */
export function explainNetworkPolicy(model: NetworkPolicyModel, policyKey: string): PolicyExplanation | undefined {
  const prepared = model.policies.find((p) => p.policy.key === policyKey);
  return prepared ? explainPrepared(model, prepared) : undefined;
}

function explainPrepared(model: NetworkPolicyModel, prepared: PreparedPolicy): PolicyExplanation {
  const { policy } = prepared;
  const podSelector = describeSelector(policy.podSelector);
  const selectedPods = prepared.selects.map((i) => model.podKeys[i]);
  const explainDirection = (direction: PolicyDirection): DirectionExplanation => {
    const written = direction === 'Ingress' ? policy.ingress : policy.egress;
    const isolates = policy.policyTypes.includes(direction);
    if (!isolates) return { direction, isolates, rules: [], ignoredRuleCount: written.length };
    const rules = written.map((rule) => {
      const peers =
        rule.peers.kind === 'anyPeer'
          ? ({ kind: 'anyone' } as const)
          : { kind: 'peers' as const, items: rule.peers.items.map((p) => explainPeer(model, p, policy.namespace)) };
      const ports = rule.ports.kind === 'allPorts' ? ({ kind: 'allPorts' } as const) : { kind: 'ports' as const, items: rule.ports.items.map(explainPort) };
      return { index: rule.index, peers, ports, text: ruleText(direction, peers, ports) };
    });
    return { direction, isolates, rules, ignoredRuleCount: 0 };
  };
  const ingress = explainDirection('Ingress');
  const egress = explainDirection('Egress');
  const warnings = policyWarnings(prepared, ingress, egress);
  const base = {
    policy: policy.key,
    namespace: policy.namespace,
    podSelector,
    selectedPods,
    policyTypes: policy.policyTypes,
    policyTypesDefaulted: policy.policyTypesDefaulted,
    ingress,
    egress,
    warnings,
  };
  return { ...base, markdown: renderMarkdown(base) };
}

/**
 * Warnings (g.2): defaulted `policyTypes` that also isolate ingress of an egress-only policy;
 * rules ignored because their direction is missing from an explicit `policyTypes`; a policy that
 * selects none of the known Pods.
 */
function policyWarnings(prepared: PreparedPolicy, ingress: DirectionExplanation, egress: DirectionExplanation): string[] {
  const { policy } = prepared;
  const warnings: string[] = [];
  if (policy.policyTypesDefaulted && policy.egress.length > 0 && policy.ingress.length === 0) {
    warnings.push('policyTypes is not set, so it defaults to [Ingress, Egress]: this egress policy also denies all ingress to the selected pods.');
  }
  for (const d of [ingress, egress]) {
    if (d.ignoredRuleCount > 0) {
      const field = d.direction === 'Ingress' ? 'spec.ingress' : 'spec.egress';
      warnings.push(`${field} has ${plural(d.ignoredRuleCount, 'rule')} that ${d.ignoredRuleCount === 1 ? 'is' : 'are'} ignored: policyTypes does not include ${d.direction}.`);
    }
  }
  if (prepared.selects.length === 0) warnings.push(`No known pod in namespace ${policy.namespace} matches spec.podSelector.`);
  return warnings;
}

function explainPeer(model: NetworkPolicyModel, peer: CompiledPeer, policyNamespace: string): PeerExplanation {
  const pods = () => podsCoveredByPeer(model, peer, policyNamespace).map((i) => model.podKeys[i]);
  switch (peer.kind) {
    case 'invalid':
      return { kind: 'invalid' };
    case 'ipBlock':
      return { kind: 'ipBlock', cidr: peer.cidr.text, except: peer.except.map((e) => e.text), pods: pods() };
    case 'pods': {
      const podSelector = describeSelector(peer.podSelector);
      if (peer.namespaces.kind === 'policyNamespace') return { kind: 'podsInPolicyNamespace', namespace: policyNamespace, podSelector, pods: pods() };
      return { kind: 'podsInNamespaces', namespaceSelector: describeSelector(peer.namespaces.selector), podSelector, pods: pods() };
    }
  }
}

function explainPort(port: CompiledPort): PortExplanation {
  switch (port.kind) {
    case 'protocol':
      return { kind: 'allPortsOf', protocol: port.protocol };
    case 'number':
      return port.endPort !== port.port
        ? { kind: 'port', protocol: port.protocol, port: port.port, endPort: port.endPort }
        : { kind: 'port', protocol: port.protocol, port: port.port };
    case 'named':
      return { kind: 'named', protocol: port.protocol, name: port.name };
  }
}

function ruleText(direction: PolicyDirection, peers: RuleExplanation['peers'], ports: RuleExplanation['ports']): string {
  const preposition = direction === 'Ingress' ? 'from' : 'to';
  const who = peers.kind === 'anyone' ? 'anyone (any pod or address)' : peers.items.map(peerText).join(', or ');
  const what = ports.kind === 'allPorts' ? 'on all ports' : `on ${ports.items.map(portText).join(', ')}`;
  return `${preposition} ${who}, ${what}`;
}

function peerText(peer: PeerExplanation): string {
  switch (peer.kind) {
    case 'invalid':
      return 'nothing (invalid peer)';
    case 'ipBlock':
      return peer.except.length > 0 ? `addresses in ${peer.cidr} except ${peer.except.join(', ')}` : `addresses in ${peer.cidr}`;
    case 'podsInPolicyNamespace':
      return `${podsPhrase(peer.podSelector)} in namespace ${peer.namespace}`;
    case 'podsInNamespaces':
      return `${podsPhrase(peer.podSelector)} in ${namespacesPhrase(peer.namespaceSelector)}`;
  }
}

function podsPhrase(s: SelectorDescription): string {
  return s.kind === 'all' ? 'all pods' : s.kind === 'none' ? 'no pods (invalid podSelector)' : `pods with ${s.text}`;
}

function namespacesPhrase(s: SelectorDescription): string {
  return s.kind === 'all' ? 'all namespaces' : s.kind === 'none' ? 'no namespace (invalid namespaceSelector)' : `namespaces with ${s.text}`;
}

function portText(port: PortExplanation): string {
  switch (port.kind) {
    case 'allPortsOf':
      return `all ${port.protocol} ports`;
    case 'port':
      return port.endPort !== undefined ? `${port.protocol} ${port.port}-${port.endPort}` : `${port.protocol} ${port.port}`;
    case 'named':
      return `${port.protocol} port named "${port.name}"`;
  }
}

function renderMarkdown(e: Omit<PolicyExplanation, 'markdown'>): string {
  const lines: string[] = [];
  lines.push(`**NetworkPolicy ${e.policy}**`, '');
  const selector =
    e.podSelector.kind === 'all'
      ? `all pods in namespace \`${e.namespace}\``
      : e.podSelector.kind === 'none'
        ? `no pods (invalid spec.podSelector)`
        : `pods in namespace \`${e.namespace}\` with \`${e.podSelector.text}\``;
  lines.push(`Selects ${selector}${podList(e.selectedPods)}.`, '');
  for (const d of [e.ingress, e.egress]) {
    const label = d.direction === 'Ingress' ? 'Ingress' : 'Egress';
    if (!d.isolates) {
      lines.push(`**${label}:** not isolated by this policy.`, '');
      continue;
    }
    if (d.rules.length === 0) {
      lines.push(`**${label}:** isolated; nothing allowed (deny all).`, '');
      continue;
    }
    lines.push(`**${label}:** isolated; allowed:`);
    for (const r of d.rules) lines.push(`- ${escapeMarkdown(r.text)}`);
    lines.push('');
  }
  const types = `policyTypes: ${e.policyTypes.join(', ')}${e.policyTypesDefaulted ? ' (defaulted)' : ''}`;
  lines.push(`_${types}_`);
  if (e.warnings.length > 0) {
    lines.push('');
    for (const w of e.warnings) lines.push(`⚠️ ${escapeMarkdown(w)}`);
  }
  return lines.join('\n');
}

function podList(pods: readonly string[]): string {
  if (pods.length === 0) return ' (no known pods)';
  const shown = pods.slice(0, 5).map((p) => `\`${p}\``).join(', ');
  return ` (${plural(pods.length, 'pod')}: ${shown}${pods.length > 5 ? ', …' : ''})`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\*_[\]<>])/g, '\\$1');
}

/** A compiled selector for people: `all`, `none` (invalid selector), or its canonical text. */
export function describeSelector(selector: Selector): SelectorDescription {
  if (selector.kind === 'everything') return { kind: 'all' };
  if (selector.kind === 'nothing') return { kind: 'none' };
  return { kind: 'labels', text: selectorToString(selector) };
}
