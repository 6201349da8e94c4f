// Where the simulator puts a pod: which profile nodes are eligible for a pod spec, and a
// deterministic spread over them.
//
// Owns the scheduler's hard filters that manifests can express simply:
// - `nodeSelector`: every entry must be a node label with that value;
// - required node affinity (`requiredDuringSchedulingIgnoredDuringExecution`): the terms are
//   ORed, the requirements of a term ANDed; `matchExpressions` In/NotIn/Exists/DoesNotExist/
//   Gt/Lt on node labels (evaluated by the label-selector module, as upstream converts them to
//   a label selector), `matchFields` on `metadata.name`; an empty term list or a term without
//   requirements matches no node;
// - taints: NoSchedule and NoExecute taints must be tolerated; PreferNoSchedule taints only
//   make a node less preferred (nodes without such an untolerated taint are used first).
// Deliberately absent: resources, ports, pod (anti-)affinity, topology spread constraints,
// preferred affinity weights. Spread is round-robin over the eligible nodes in profile order,
// starting at an offset derived from the workload's name, so placement never depends on other
// workloads.

import type { V1PodSpec, V1Toleration, V1NodeSelectorTerm } from '../model/k8s-types';
import type { NodeTaint, ProfileNode } from './profile';
import { matches, newRequirement, selectorFromMap, selectorFromRequirements, type Operator, type Requirement } from '../labels/selector';
import { fnv32a } from './sim-hash';
import { isRecord } from '../model/object';

export type Eligibility =
  | {
      readonly kind: 'eligible';
      /** Every node that passes the hard filters, in profile order. */
      readonly nodes: readonly ProfileNode[];
      /** The ones free of untolerated PreferNoSchedule taints, or all of them when none is. */
      readonly preferred: readonly ProfileNode[];
    }
  | { readonly kind: 'none'; readonly message: string };

/** Tolerations the DaemonSet controller adds to every daemon pod (plus one for hostNetwork). */
const DAEMON_TOLERATIONS: readonly V1Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];
const HOST_NETWORK_DAEMON_TOLERATION: V1Toleration = {
  key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule',
};

const OPERATORS: Readonly<Record<string, Operator>> = {
  In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!', Gt: 'gt', Lt: 'lt',
};

/**
 * The nodes a pod with this spec may run on, in profile order. When none qualifies, a message
 * in the style of the scheduler's "0/3 nodes are available: ..." explains why. `daemon` adds
 * the tolerations the DaemonSet controller gives its pods.
 */
export function eligibleNodes(spec: V1PodSpec | undefined, nodes: readonly ProfileNode[], daemon = false): Eligibility {
  const tolerations = podTolerations(spec, daemon);
  const ok: ProfileNode[] = [];
  let selectorRejects = 0;
  const untoleratedTaints = new Map<string, number>();
  // Like the scheduler, each node reports its first failing filter: taints, then node affinity.
  for (const node of nodes) {
    const blocking = node.taints.find((t) => t.effect !== 'PreferNoSchedule' && !tolerations.some((tol) => tolerates(tol, t)));
    if (blocking !== undefined) {
      const text = `{${blocking.key}: ${blocking.value}}`;
      untoleratedTaints.set(text, (untoleratedTaints.get(text) ?? 0) + 1);
      continue;
    }
    if (!matchesNodeSelector(spec, node)) {
      selectorRejects++;
      continue;
    }
    ok.push(node);
  }
  if (ok.length === 0) {
    const reasons: string[] = [];
    for (const [taint, n] of untoleratedTaints) reasons.push(`${n} node(s) had untolerated taint ${taint}`);
    if (selectorRejects > 0) reasons.push(`${selectorRejects} node(s) didn't match Pod's node affinity/selector`);
    reasons.sort();
    return { kind: 'none', message: `0/${nodes.length} nodes are available: ${reasons.join(', ')}.` };
  }
  const preferred = ok.filter((n) => !n.taints.some((t) => t.effect === 'PreferNoSchedule' && !tolerations.some((tol) => tolerates(tol, t))));
  return { kind: 'eligible', nodes: ok, preferred: preferred.length > 0 ? preferred : ok };
}

/** Node for the `index`-th pod of a workload: round-robin from an offset derived from `workloadKey`. */
export function spreadNode(pool: readonly ProfileNode[], workloadKey: string, index: number): ProfileNode {
  const offset = fnv32a(workloadKey) % pool.length;
  return pool[(offset + index) % pool.length];
}

/** The taint/toleration rule: effect empty or equal; key empty (with Exists) or equal; Exists ignores the value, Equal compares it. */
export function tolerates(tol: V1Toleration, taint: NodeTaint): boolean {
  if (tol.effect !== undefined && tol.effect !== '' && tol.effect !== taint.effect) return false;
  const operator = tol.operator === undefined || tol.operator === '' ? 'Equal' : tol.operator;
  if (tol.key === undefined || tol.key === '') return operator === 'Exists';
  if (tol.key !== taint.key) return false;
  if (operator === 'Exists') return true;
  if (operator === 'Equal') return (tol.value ?? '') === taint.value;
  return false;
}

/** nodeSelector AND required node affinity. */
export function matchesNodeSelector(spec: V1PodSpec | undefined, node: ProfileNode): boolean {
  const nodeSelector = spec?.nodeSelector;
  if (isRecord(nodeSelector)) {
    const map: Record<string, string> = {};
    for (const [k, v] of Object.entries(nodeSelector)) map[k] = String(v);
    if (!matches(selectorFromMap(map), node.labels)) return false;
  }
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required === undefined || required === null) return true;
  const terms = Array.isArray(required.nodeSelectorTerms) ? required.nodeSelectorTerms : [];
  return terms.some((term) => termMatches(term, node));
}

function termMatches(term: V1NodeSelectorTerm, node: ProfileNode): boolean {
  const expressions = Array.isArray(term?.matchExpressions) ? term.matchExpressions : [];
  const fields = Array.isArray(term?.matchFields) ? term.matchFields : [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const requirements: Requirement[] = [];
  for (const e of expressions) {
    const op = OPERATORS[String(e?.operator)];
    if (op === undefined) return false;
    const r = newRequirement(String(e.key), op, Array.isArray(e.values) ? e.values.map(String) : []);
    if (!r.ok) return false;
    requirements.push(r.requirement);
  }
  if (requirements.length > 0 && !matches(selectorFromRequirements(requirements), node.labels)) return false;
  for (const f of fields) {
    const values = Array.isArray(f?.values) ? f.values.map(String) : [];
    if (f?.key !== 'metadata.name') return false;
    if (f.operator === 'In' && !values.includes(node.name)) return false;
    if (f.operator === 'NotIn' && values.includes(node.name)) return false;
    if (f.operator !== 'In' && f.operator !== 'NotIn') return false;
  }
  return true;
}

function podTolerations(spec: V1PodSpec | undefined, daemon: boolean): V1Toleration[] {
  const own = Array.isArray(spec?.tolerations) ? spec.tolerations.filter(isRecord) as V1Toleration[] : [];
  if (!daemon) return own;
  return [...own, ...DAEMON_TOLERATIONS, ...(spec?.hostNetwork === true ? [HOST_NETWORK_DAEMON_TOLERATION] : [])];
}

