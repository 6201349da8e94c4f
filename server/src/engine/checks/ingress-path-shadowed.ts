// Diagnostic: ingress-path-shadowed
//
// Kubernetes rule (spec f.2): an Ingress controller merges the rules of all Ingresses of its class;
// for a request it picks the rule host, then among the matching `Exact`/`Prefix` paths the longest
// one, `Exact` over `Prefix` at equal length (`Prefix` compares whole path elements and ignores a
// trailing slash). A path that loses every request it could match is never used: an identical path
// elsewhere (the oldest Ingress wins the tie), or `Prefix /foo/` next to `Prefix /foo` or
// `Exact /foo`.
// Fires on each such path (semantics/ingress.ts `shadowedIngressPaths`), comparing only Ingresses of
// the same resolved IngressClass that are applied together with this one (model/apply-unit.ts), so
// the variants of one app in a repository never shadow each other. `ImplementationSpecific` paths
// are controller-defined and never reported. Related: the path that wins.
import type { Check, CheckContext } from './types';
import type { K8sObject } from '../model/object';
import type { V1Ingress, V1IngressClass } from '../model/k8s-types';
import { resolveIngressClass, shadowedIngressPaths } from '../semantics/ingress';
import { applyUnitsOf } from './pod-references';

export const ingressPathShadowed: Check = {
  codes: { 'ingress-path-shadowed': 'warning' },
  kinds: ['Ingress'],
  run(object, ctx, report) {
    if (object.group !== 'networking.k8s.io') return;
    const classes = ctx.index.ofKind('IngressClass').map((c) => c.raw as unknown as V1IngressClass);
    const own = resolveIngressClass(object.raw as unknown as V1Ingress, classes).className;
    const peers = appliedWith(object, ctx).filter((o) => resolveIngressClass(o.raw as unknown as V1Ingress, classes).className === own);
    const byRef = new Map<string, K8sObject>();
    for (const p of peers) if (!byRef.has(refOf(p))) byRef.set(refOf(p), p);
    if (byRef.get(refOf(object)) !== object) return; // a duplicate definition: duplicate-object reports it
    const inputs = [...byRef.values()].map((o) => withNamespace(o));
    for (const s of shadowedIngressPaths(inputs, { defaultNamespace: ctx.options.defaultNamespace })) {
      if (s.ingress !== refOf(object)) continue;
      const [rule, path] = indexesOf(s.rulePath);
      const winner = byRef.get(s.shadowedBy.ingress);
      const [wRule, wPath] = indexesOf(s.shadowedBy.rulePath);
      report({
        code: 'ingress-path-shadowed',
        message: s.message,
        path: ['spec', 'rules', rule, 'http', 'paths', path, 'path'],
        target: 'value',
        related: winner
          ? [{ object: winner, path: ['spec', 'rules', wRule, 'http', 'paths', wPath, 'path'], target: 'value', message: `${s.shadowedBy.pathType} path "${s.shadowedBy.path}" takes precedence` }]
          : [],
      });
    }
  },
};

/**
 * The networking.k8s.io Ingresses applied together with `object` (itself included), in index order:
 * the union of the Ingresses of its apply units, grouped once per revision so that no check run
 * walks every Ingress of the workspace.
 */
function appliedWith(object: K8sObject, ctx: CheckContext): K8sObject[] {
  const units = applyUnitsOf(ctx);
  const own = units.unitsOf(object.uri);
  // A plain file is a unit of its own: its Ingresses, without grouping the workspace's. (Their order
  // differs from the index's across namespaces, which only the Ingresses of one name could notice.)
  if (own.length === 1 && own[0] === `file:${object.uri}`) {
    return ctx.index.objectsInFile(object.uri).filter((o) => o.kind === 'Ingress' && o.group === 'networking.k8s.io');
  }
  const byUnit = ctx.memo('ingress-path-shadowed:ingresses-by-unit', () => {
    const map = new Map<string, K8sObject[]>();
    const order = new Map<K8sObject, number>();
    for (const o of ctx.index.ofKind('Ingress')) {
      if (o.group !== 'networking.k8s.io') continue;
      order.set(o, order.size);
      for (const unit of units.unitsOf(o.uri)) {
        const list = map.get(unit);
        if (list) list.push(o);
        else map.set(unit, [o]);
      }
    }
    return { map, order };
  });
  const lists = own.map((u) => byUnit.map.get(u) ?? []);
  if (lists.length === 0) return [object];
  if (lists.length === 1 && lists[0]!.includes(object)) return lists[0]!;
  const all = new Set<K8sObject>([object]);
  for (const list of lists) for (const o of list) all.add(o);
  return [...all].sort((a, b) => (byUnit.order.get(a) ?? -1) - (byUnit.order.get(b) ?? -1));
}

/** `namespace/name` as the routing model names an Ingress. */
function refOf(o: K8sObject): string {
  return `${o.namespace}/${o.name}`;
}

/** The Ingress with its effective namespace written in, so routing names it as the workspace does. */
function withNamespace(o: K8sObject): V1Ingress {
  const raw = o.raw as unknown as V1Ingress;
  return { ...raw, metadata: { ...(raw.metadata ?? {}), namespace: o.namespace, name: o.name } };
}

function indexesOf(rulePath: string): [number, number] {
  const n = (rulePath.match(/\d+/g) ?? []).map(Number);
  return [n[0] ?? 0, n[1] ?? 0];
}
