// Ingress host and path matching primitives (spec f.1, f.2): which rule host a request Host
// header selects, which `Exact`/`Prefix` paths match a request path, and which of several matching
// paths wins. Pure functions on strings; routing over whole Ingress objects lives in ingress.ts.
//
// Deliberately absent: any meaning for `ImplementationSpecific` paths. Their matching is defined
// by the controller (regex, prefix, exact...), so `matchesIngressPath` answers `null` ("unknown")
// for them and callers report the uncertainty instead of guessing.

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

export const PATH_TYPES: readonly PathType[] = ['Exact', 'ImplementationSpecific', 'Prefix'];

/**
 * Whether a rule `host` applies to a request host (spec f.1):
 * - empty rule host: every request;
 * - `*.foo.com`: the request host minus its first, non-empty label equals `foo.com` (one label
 *   exactly: `bar.foo.com` yes, `baz.bar.foo.com` and `foo.com` no);
 * - otherwise: equality.
 * The request host is compared as given; `normalizeRequestHost` prepares a raw Host header.
 */
export function matchesIngressHost(ruleHost: string, requestHost: string): boolean {
  if (ruleHost === '') return true;
  if (ruleHost.startsWith('*.')) {
    const dot = requestHost.indexOf('.');
    return dot > 0 && requestHost.slice(dot + 1) === ruleHost.slice(2);
  }
  return ruleHost === requestHost;
}

/** Whether a rule host is a wildcard (`*.` form). */
export function isWildcardHost(ruleHost: string): boolean {
  return ruleHost.startsWith('*.');
}

/**
 * A Host header as controllers compare it: without a `:port` suffix (IPv6 literals in brackets
 * keep their colons) and lower-cased, since DNS names are case-insensitive and rule hosts are
 * validated lower-case.
 */
export function normalizeRequestHost(host: string): string {
  let h = host.trim();
  if (h.startsWith('[')) {
    const close = h.indexOf(']');
    if (close > 0) h = h.slice(0, close + 1);
  } else {
    const colon = h.lastIndexOf(':');
    if (colon >= 0 && h.indexOf(':') === colon && /^[0-9]*$/.test(h.slice(colon + 1))) h = h.slice(0, colon);
  }
  return h.toLowerCase();
}

/** The URL path a rule is matched against: everything before `?` or `#` (spec f.2). */
export function requestPathOf(url: string): string {
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : url.slice(0, cut);
}

/**
 * Whether a path of the given type matches a request path (spec f.2):
 * - `Exact`: string equality, case-sensitive (`/foo` ≠ `/foo/`, `/foo` ≠ `/FOO`);
 * - `Prefix`: both split on `/` with empty elements dropped (so trailing slashes do not matter);
 *   the rule's elements must be a leading run of the request's, compared whole (`/aaa/bb` does not
 *   match `/aaa/bbb`); `/` matches everything;
 * - `ImplementationSpecific`: `null`, the controller decides.
 * An unknown path type never matches.
 */
export function matchesIngressPath(pathType: string, path: string, requestPath: string): boolean | null {
  switch (pathType) {
    case 'Exact':
      return path === requestPath;
    case 'Prefix': {
      const rule = pathElements(path);
      const request = pathElements(requestPath);
      if (rule.length > request.length) return false;
      return rule.every((element, i) => element === request[i]);
    }
    case 'ImplementationSpecific':
      return null;
    default:
      return false;
  }
}

/** The non-empty `/`-separated elements of a path. */
export function pathElements(path: string): string[] {
  return path.split('/').filter((e) => e.length > 0);
}

/**
 * Precedence between two paths that both match a request (spec f.2): the longer path string
 * first, then `Exact` before `Prefix`. Negative when `a` wins. Equal paths of equal type compare
 * as 0; the caller breaks that tie (order of Ingresses, rules, paths).
 */
export function comparePathPrecedence(
  a: { readonly pathType: string; readonly path: string },
  b: { readonly pathType: string; readonly path: string },
): number {
  if (a.path.length !== b.path.length) return b.path.length - a.path.length;
  return typeRank(a.pathType) - typeRank(b.pathType);
}

function typeRank(pathType: string): number {
  return pathType === 'Exact' ? 0 : pathType === 'Prefix' ? 1 : 2;
}
