// DNS: the one place that decides DNS names, records and a pod's resolver configuration
// (spec semantics.md (e), plus c.3 for pod hostnames).
//
// This file owns pod hostname derivation (what the kubelet puts in the container's hostname and
// /etc/hosts) and is the façade for the rest:
// - dns-records.ts: records a cluster DNS serves, and query lookup;
// - dns-resolv-conf.ts: the kubelet's resolv.conf for a pod (dnsPolicy, dnsConfig, limits);
// - dns-validation.ts: the API server's checks of dnsPolicy / dnsConfig.
// Invariants: pure; user input never makes these functions throw.

export * from './dns-records';
export * from './dns-resolv-conf';
export * from './dns-validation';

const HOSTNAME_MAX_LENGTH = 63;
const FQDN_MAX_LENGTH = 64;

export interface PodHostnameInput {
  readonly name: string;
  readonly namespace: string;
  readonly hostname?: string;
  readonly subdomain?: string;
}

export type PodHostname =
  | {
      readonly kind: 'ok';
      /** The container's hostname. */
      readonly hostname: string;
      /** `<subdomain>.<ns>.svc.<domain>`, or '' without a subdomain. */
      readonly hostDomain: string;
      /** The pod's own /etc/hosts line, with `<podIP>` standing for the address. */
      readonly etcHostsLine: string;
    }
  | { readonly kind: 'error'; readonly message: string };

/**
 * The kubelet's hostname and domain for a pod (spec c.3): hostname = `spec.hostname` if set,
 * else the pod name; a name longer than 63 characters is cut to 63 and then loses trailing `-`
 * and `.` (nothing left is an error); the domain is `<subdomain>.<namespace>.svc.<domain>` when
 * `spec.subdomain` is set. /etc/hosts gets `<ip>\t<hostname>.<domain>\t<hostname>`, or
 * `<ip>\t<hostname>` without a domain.
 */
export function podHostname(pod: PodHostnameInput, clusterDomain: string): PodHostname {
  const raw = pod.hostname !== undefined && pod.hostname !== '' ? pod.hostname : pod.name;
  let hostname = raw;
  if (hostname.length > HOSTNAME_MAX_LENGTH) {
    hostname = hostname.slice(0, HOSTNAME_MAX_LENGTH).replace(/[-.]+$/, '');
    if (hostname === '') return { kind: 'error', message: `hostname for pod "${pod.name}" was invalid: "${raw}"` };
  }
  const hostDomain = pod.subdomain !== undefined && pod.subdomain !== ''
    ? `${pod.subdomain}.${pod.namespace}.svc.${clusterDomain}`
    : '';
  const etcHostsLine = hostDomain === ''
    ? `<podIP>\t${hostname}`
    : `<podIP>\t${hostname}.${hostDomain}\t${hostname}`;
  return { kind: 'ok', hostname, hostDomain, etcHostsLine };
}

/**
 * The kernel hostname with `setHostnameAsFQDN: true`: `<hostname>.<domain>`, which must not be
 * longer than 64 characters or the pod fails to start (spec c.3).
 */
export function podFQDNHostname(pod: PodHostnameInput, clusterDomain: string): { kind: 'ok'; fqdn: string } | { kind: 'error'; message: string } {
  const h = podHostname(pod, clusterDomain);
  if (h.kind === 'error') return h;
  const fqdn = h.hostDomain === '' ? h.hostname : `${h.hostname}.${h.hostDomain}`;
  if (fqdn.length > FQDN_MAX_LENGTH) {
    return {
      kind: 'error',
      message: `Failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (${FQDN_MAX_LENGTH} characters is the max, ${fqdn.length} characters requested)`,
    };
  }
  return { kind: 'ok', fqdn };
}
