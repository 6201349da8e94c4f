// API validation of a pod's DNS settings, with the API server's messages (spec semantics.md
// e.5): `dnsPolicy` must be one of the four policies, `None` needs a `dnsConfig` with at least
// one nameserver, `dnsConfig` holds at most 3 nameservers (each an IP address), at most 32
// search paths of at most 2048 characters joined (each a DNS-1123 subdomain, one trailing dot
// allowed), and options with non-empty names.
// Owns: these rules only; rendering lives in labels/field-error.ts, name formats in
// labels/formats.ts.
// Deliberately absent: the RelaxedDNSSearchValidation variant (underscores in search paths);
// Kubeglass applies the strict rule, which older clusters enforce.

import { invalid, notSupported, required, type FieldError } from '../labels/field-error';
import { isDNS1123Subdomain, isIPAddress } from '../labels/formats';

export const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'] as const;
export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
const INVALID_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/**
 * Validates `dnsPolicy` and `dnsConfig` of a pod spec. `specPath` is the path of the pod spec
 * (`spec` for a Pod, `spec.template.spec` for a workload). An absent or empty `dnsPolicy` is
 * the API default ClusterFirst.
 */
export function validatePodDNS(spec: unknown, specPath = 'spec'): FieldError[] {
  if (typeof spec !== 'object' || spec === null) return [];
  const s = spec as { dnsPolicy?: unknown; dnsConfig?: unknown };
  const errs: FieldError[] = [];
  const policy = s.dnsPolicy === undefined || s.dnsPolicy === null || s.dnsPolicy === '' ? 'ClusterFirst' : s.dnsPolicy;
  if (!(DNS_POLICIES as readonly unknown[]).includes(policy)) {
    errs.push(notSupported(`${specPath}.dnsPolicy`, policy, DNS_POLICIES));
  }
  errs.push(...validateDNSConfig(s.dnsConfig, policy, `${specPath}.dnsConfig`));
  return errs;
}

function validateDNSConfig(dnsConfig: unknown, policy: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const config = typeof dnsConfig === 'object' && dnsConfig !== null ? (dnsConfig as Record<string, unknown>) : undefined;
  const nameservers = config && Array.isArray(config.nameservers) ? (config.nameservers as unknown[]) : [];
  if (policy === 'None') {
    if (config === undefined) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (nameservers.length === 0) {
      return [required(`${path}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
    }
  }
  if (config === undefined) return errs;
  if (nameservers.length > MAX_DNS_NAMESERVERS) {
    errs.push(invalid(`${path}.nameservers`, nameservers, `must not have more than ${MAX_DNS_NAMESERVERS} nameservers`));
  }
  nameservers.forEach((ns, i) => {
    if (typeof ns !== 'string' || !isIPAddress(ns)) errs.push(invalid(`${path}.nameservers[${i}]`, ns, INVALID_IP));
  });
  const searches = Array.isArray(config.searches) ? (config.searches as unknown[]) : [];
  if (searches.length > MAX_DNS_SEARCH_PATHS) {
    errs.push(invalid(`${path}.searches`, searches, `must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`));
  }
  if (searches.map(String).join(' ').length > MAX_DNS_SEARCH_LIST_CHARS) {
    errs.push(invalid(`${path}.searches`, searches, `must not have more than ${MAX_DNS_SEARCH_LIST_CHARS} characters (including spaces) in the search list`));
  }
  searches.forEach((search, i) => {
    const text = typeof search === 'string' ? search : String(search);
    const trimmed = text.endsWith('.') ? text.slice(0, -1) : text;
    for (const msg of isDNS1123Subdomain(trimmed)) errs.push(invalid(`${path}.searches[${i}]`, trimmed, msg));
  });
  const options = Array.isArray(config.options) ? (config.options as unknown[]) : [];
  options.forEach((op, i) => {
    const name = typeof op === 'object' && op !== null ? (op as { name?: unknown }).name : undefined;
    if (typeof name !== 'string' || name.length === 0) errs.push(required(`${path}.options[${i}]`, 'must not be empty'));
  });
  return errs;
}
