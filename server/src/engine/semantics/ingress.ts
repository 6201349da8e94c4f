// Ingress request routing (spec section f): given the Ingresses of one IngressClass and an HTTP
// request (Host header + URL path), which backend serves it; and which Ingress paths can never be
// chosen (for the `ingress-path-shadowed` check). Re-exports the matching primitives, the class
// resolution and the API validation, so callers import one module.
//
// The model, decided once and used by both functions:
// - All rules of all Ingresses in the class are merged and grouped by host. A request picks one
//   group: the rule host equal to its Host (port dropped, lower-cased), else the wildcard `*.x`
//   covering it (one label), else the rules without host. It never falls back to another group.
// - Within the group, every `Exact`/`Prefix` path matching the URL path (before `?`/`#`) competes:
//   the longest path string wins, then `Exact` over `Prefix` (spec f.2); YAML order is irrelevant.
//   Identical host+path across Ingresses is controller-defined (spec f.4 WARN); Kubeglass lets the
//   oldest Ingress win (creationTimestamp, then namespace/name), as ingress-nginx does, then rule
//   and path order.
// - No path matches: the request goes to `spec.defaultBackend`, first of an Ingress owning a rule
//   of the group, else of any Ingress of the class (same order); without one, 404 (the
//   conformance suite's answer for "no rule and no default backend").
// - `ImplementationSpecific` paths are controller-defined: they never win here, and the result
//   lists those of the selected group under `uncertain` so a hover can say so.

import type { V1Ingress, V1IngressBackend, V1IngressClass } from '../model/k8s-types';
import {
  comparePathPrecedence,
  isWildcardHost,
  matchesIngressHost,
  matchesIngressPath,
  normalizeRequestHost,
  pathElements,
  requestPathOf,
} from './ingress-paths';
import { resolveIngressClass, timestampOf } from './ingress-class';
import { compareText } from '../text/compare';

export * from './ingress-paths';
export * from './ingress-class';
export * from './ingress-validation';

export interface IngressRequest {
  /** The HTTP Host header (a `:port` suffix and letter case are ignored). */
  readonly host: string;
  /** The request target; anything from `?` or `#` on is ignored. */
  readonly path: string;
}

export interface IngressRouteOptions {
  /** Namespace of Ingresses whose metadata has none. Default "default". */
  readonly defaultNamespace?: string;
}

/** Where the answer came from; `rulePath` is relative to the Ingress (for hovers and reveal). */
export type IngressRouteMatch =
  | {
      readonly kind: 'path';
      readonly ruleIndex: number;
      readonly pathIndex: number;
      readonly host: string;
      readonly path: string;
      readonly pathType: string;
    }
  | { readonly kind: 'defaultBackend' }
  | { readonly kind: 'none' };

export interface IngressRouteResult {
  readonly status: 200 | 404;
  /** `namespace/name` of the Ingress that answered. */
  readonly ingress: string | null;
  readonly backend: { readonly service: string; readonly port: number | string } | null;
  /** e.g. `spec.rules[0].http.paths[1]` or `spec.defaultBackend`. */
  readonly rulePath: string | null;
  /** Set instead of `backend` when the chosen backend is a `resource` reference. */
  readonly resource: { readonly apiGroup: string | null; readonly kind: string; readonly name: string } | null;
  readonly match: IngressRouteMatch;
  /** How the rule host was chosen: equal, wildcard, host-less rules, or no rule for this host. */
  readonly hostMatch: 'exact' | 'wildcard' | 'any' | 'none';
  /** ImplementationSpecific paths of the chosen host that a controller might match instead. */
  readonly uncertain: ReadonlyArray<{ readonly ingress: string; readonly rulePath: string; readonly path: string }>;
}

/** Routes one request over the Ingresses of one class; see the header for the model. */
export function routeIngressRequest(
  ingresses: readonly V1Ingress[],
  request: IngressRequest,
  options: IngressRouteOptions = {},
): IngressRouteResult {
  const model = buildRoutingModel(ingresses, options);
  const host = normalizeRequestHost(request.host);
  const { group, hostMatch } = selectHostGroup(model, host);
  const requestPath = requestPathOf(request.path);
  const uncertain = group
    .flatMap((rule) => rule.paths.filter((p) => p.pathType === 'ImplementationSpecific'))
    .map((p) => ({ ingress: p.owner.ref, rulePath: p.rulePath, path: p.path }));

  const winner = bestPath(group.flatMap((rule) => rule.paths), requestPath);
  if (winner !== undefined) {
    return {
      status: 200,
      ingress: winner.owner.ref,
      ...backendFields(winner.backend),
      rulePath: winner.rulePath,
      match: {
        kind: 'path',
        ruleIndex: winner.ruleIndex,
        pathIndex: winner.pathIndex,
        host: winner.host,
        path: winner.path,
        pathType: winner.pathType,
      },
      hostMatch,
      uncertain,
    };
  }

  const owners = new Set(group.map((rule) => rule.owner));
  const fallback =
    model.ingresses.find((i) => owners.has(i) && i.defaultBackend !== null) ??
    model.ingresses.find((i) => i.defaultBackend !== null);
  if (fallback !== undefined) {
    return {
      status: 200,
      ingress: fallback.ref,
      ...backendFields(fallback.defaultBackend!),
      rulePath: 'spec.defaultBackend',
      match: { kind: 'defaultBackend' },
      hostMatch,
      uncertain,
    };
  }
  return {
    status: 404,
    ingress: null,
    backend: null,
    resource: null,
    rulePath: null,
    match: { kind: 'none' },
    hostMatch,
    uncertain,
  };
}

/**
 * Routes a request over the Ingresses that belong to `className` (spec f.3 resolution: field,
 * legacy annotation, default IngressClass among `classes`); other Ingresses are ignored.
 */
export function routeIngressRequestForClass(
  ingresses: readonly V1Ingress[],
  classes: readonly V1IngressClass[],
  className: string | null,
  request: IngressRequest,
  options: IngressRouteOptions = {},
): IngressRouteResult {
  const members = ingresses.filter((i) => resolveIngressClass(i, classes).className === className);
  return routeIngressRequest(members, request, options);
}

export interface ShadowedIngressPath {
  readonly ingress: string;
  readonly rulePath: string;
  readonly host: string;
  readonly path: string;
  readonly pathType: string;
  readonly shadowedBy: { readonly ingress: string; readonly rulePath: string; readonly path: string; readonly pathType: string };
  /** `same-path`: an identical path wins the tie; `longer-path`: a longer path matching the same requests wins. */
  readonly reason: 'same-path' | 'longer-path';
  readonly message: string;
}

/**
 * Paths of the given Ingresses (one class) that no request can ever reach, under the model in the
 * header. Only the rules of the same host compete, so only they can shadow:
 * - an `Exact` path loses its only request (its own path) to another path: an identical `Exact`
 *   that comes first, or a longer `Prefix` with the same elements (`Prefix /foo/` beats
 *   `Exact /foo` for `/foo`);
 * - a `Prefix` path loses every request it matches exactly when another `Prefix` has the same
 *   elements and either a longer string (`/foo/` vs `/foo`) or the same string and comes first;
 *   shorter prefixes never beat it, and longer prefixes or exact paths only take part of its
 *   requests.
 * `ImplementationSpecific` paths are never reported. Sorted by Ingress, then rule path.
 */
export function shadowedIngressPaths(
  ingresses: readonly V1Ingress[],
  options: IngressRouteOptions = {},
): ShadowedIngressPath[] {
  const model = buildRoutingModel(ingresses, options);
  const byHost = new Map<string, RoutedPath[]>();
  for (const rule of model.rules) {
    const list = byHost.get(rule.host) ?? [];
    list.push(...rule.paths);
    byHost.set(rule.host, list);
  }
  const out: ShadowedIngressPath[] = [];
  for (const paths of byHost.values()) {
    for (const p of paths) {
      const winner = p.pathType === 'Exact' ? bestPath(paths, p.path) : p.pathType === 'Prefix' ? prefixRival(paths, p) : undefined;
      if (winner === undefined || winner === p) continue;
      const reason = winner.path === p.path && winner.pathType === p.pathType ? 'same-path' : 'longer-path';
      out.push({
        ingress: p.owner.ref,
        rulePath: p.rulePath,
        host: p.host,
        path: p.path,
        pathType: p.pathType,
        shadowedBy: { ingress: winner.owner.ref, rulePath: winner.rulePath, path: winner.path, pathType: winner.pathType },
        reason,
        message: shadowMessage(p, winner, reason),
      });
    }
  }
  return out.sort((a, b) => compareText(a.ingress, b.ingress) || compareRulePaths(a.rulePath, b.rulePath));
}

// ---------------------------------------------------------------------------------------------
// The routing model: Ingresses in precedence order, their rules and paths with positions.

interface RoutedIngress {
  readonly ref: string;
  readonly order: number;
  readonly defaultBackend: V1IngressBackend | null;
}

interface RoutedRule {
  readonly owner: RoutedIngress;
  readonly host: string;
  readonly paths: readonly RoutedPath[];
}

interface RoutedPath {
  readonly owner: RoutedIngress;
  readonly host: string;
  readonly ruleIndex: number;
  readonly pathIndex: number;
  readonly rulePath: string;
  readonly pathType: string;
  readonly path: string;
  readonly backend: V1IngressBackend;
}

interface RoutingModel {
  readonly ingresses: readonly RoutedIngress[];
  readonly rules: readonly RoutedRule[];
}

function buildRoutingModel(ingresses: readonly V1Ingress[], options: IngressRouteOptions): RoutingModel {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const ordered = ingresses
    .map((ingress) => ({
      ingress,
      ref: `${ingress?.metadata?.namespace ?? defaultNamespace}/${ingress?.metadata?.name ?? ''}`,
      created: timestampOf(ingress?.metadata?.creationTimestamp as Date | string | undefined),
    }))
    // Oldest first; objects without a timestamp (plain manifests) after those with one.
    .sort((a, b) => compareCreated(a.created, b.created) || compareText(a.ref, b.ref));

  const routed: RoutedIngress[] = [];
  const rules: RoutedRule[] = [];
  ordered.forEach(({ ingress, ref }, order) => {
    const spec = ingress?.spec ?? {};
    const owner: RoutedIngress = { ref, order, defaultBackend: isBackend(spec.defaultBackend) ? spec.defaultBackend : null };
    routed.push(owner);
    (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule, ruleIndex) => {
      const host = typeof rule?.host === 'string' ? rule.host : '';
      const entries = Array.isArray(rule?.http?.paths) ? rule.http!.paths : [];
      const paths: RoutedPath[] = entries.map((p, pathIndex) => ({
        owner,
        host,
        ruleIndex,
        pathIndex,
        rulePath: `spec.rules[${ruleIndex}].http.paths[${pathIndex}]`,
        pathType: typeof p?.pathType === 'string' ? p.pathType : '',
        path: typeof p?.path === 'string' ? p.path : '',
        backend: (p?.backend ?? {}) as V1IngressBackend,
      }));
      rules.push({ owner, host, paths });
    });
  });
  return { ingresses: routed, rules };
}

function selectHostGroup(model: RoutingModel, host: string): { group: RoutedRule[]; hostMatch: IngressRouteResult['hostMatch'] } {
  const exact = model.rules.filter((r) => r.host !== '' && !isWildcardHost(r.host) && r.host === host);
  if (exact.length > 0) return { group: exact, hostMatch: 'exact' };
  const wildcard = model.rules.filter((r) => isWildcardHost(r.host) && matchesIngressHost(r.host, host));
  if (wildcard.length > 0) return { group: wildcard, hostMatch: 'wildcard' };
  const any = model.rules.filter((r) => r.host === '');
  if (any.length > 0) return { group: any, hostMatch: 'any' };
  return { group: [], hostMatch: 'none' };
}

/** The winning `Exact`/`Prefix` path for a request path, by precedence then position. */
function bestPath(paths: readonly RoutedPath[], requestPath: string): RoutedPath | undefined {
  let best: RoutedPath | undefined;
  for (const p of paths) {
    if (matchesIngressPath(p.pathType, p.path, requestPath) !== true) continue;
    if (best === undefined || comparePaths(p, best) < 0) best = p;
  }
  return best;
}

/** The `Prefix` path that takes every request `p` matches, if any (see `shadowedIngressPaths`). */
function prefixRival(paths: readonly RoutedPath[], p: RoutedPath): RoutedPath | undefined {
  const elements = pathElements(p.path).join('/');
  let best: RoutedPath | undefined;
  for (const q of paths) {
    if (q.pathType !== 'Prefix' || pathElements(q.path).join('/') !== elements) continue;
    if (best === undefined || comparePaths(q, best) < 0) best = q;
  }
  return best;
}

function comparePaths(a: RoutedPath, b: RoutedPath): number {
  return (
    comparePathPrecedence(a, b) || a.owner.order - b.owner.order || a.ruleIndex - b.ruleIndex || a.pathIndex - b.pathIndex
  );
}

function backendFields(b: V1IngressBackend): Pick<IngressRouteResult, 'backend' | 'resource'> {
  if (b.service !== undefined && b.service !== null) {
    const port = b.service.port;
    const number = typeof port?.number === 'number' && port.number !== 0 ? port.number : undefined;
    const name = typeof port?.name === 'string' && port.name !== '' ? port.name : undefined;
    return { backend: { service: String(b.service.name ?? ''), port: number ?? name ?? 0 }, resource: null };
  }
  if (b.resource !== undefined && b.resource !== null) {
    const r = b.resource;
    return {
      backend: null,
      resource: { apiGroup: typeof r.apiGroup === 'string' ? r.apiGroup : null, kind: String(r.kind ?? ''), name: String(r.name ?? '') },
    };
  }
  return { backend: null, resource: null };
}

function isBackend(b: V1IngressBackend | undefined | null): b is V1IngressBackend {
  return b !== undefined && b !== null && typeof b === 'object';
}

function shadowMessage(p: RoutedPath, winner: RoutedPath, reason: 'same-path' | 'longer-path'): string {
  const where = winner.owner === p.owner ? winner.rulePath : `${winner.rulePath} of Ingress ${winner.owner.ref}`;
  const host = p.host === '' ? 'any host' : `host "${p.host}"`;
  if (reason === 'same-path') {
    return `${p.pathType} path "${p.path}" for ${host} is never used: the identical path at ${where} takes precedence`;
  }
  return `${p.pathType} path "${p.path}" for ${host} is never used: ${winner.pathType} path "${winner.path}" at ${where} matches the same requests and takes precedence (longer path)`;
}

function compareCreated(a: number, b: number): number {
  if (a === b) return 0;
  if (a === Number.NEGATIVE_INFINITY) return 1;
  if (b === Number.NEGATIVE_INFINITY) return -1;
  return a - b;
}

/** Orders `spec.rules[i].http.paths[j]` numerically. */
function compareRulePaths(a: string, b: string): number {
  const na = (a.match(/\d+/g) ?? []).map(Number);
  const nb = (b.match(/\d+/g) ?? []).map(Number);
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? -1) - (nb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}
