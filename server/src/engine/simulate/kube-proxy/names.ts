// Every iptables chain name kube-proxy derives from a service port or endpoint (spec
// kube-proxy.md section 4): one function per prefix. The hash is the first 16 characters of
// Base32(SHA-256(servicePortName + protocol [+ endpoint])), protocol in lower case, pieces
// concatenated without separator. iptables chain names are limited to 28 characters; every
// name here is at most 25 (`KUBE-SVC-` + 16), so no truncation beyond the hash is needed.
// The four service-port chains share one hash: a generator computes `servicePortHash` once and
// passes it to each name function (omitted, it is computed from `sp`).
import { sha256Base32Prefix } from './sha256';

/** What a chain name is computed from: the service port's name text and lower-case protocol. */
export interface ServicePortNameInput {
  /** `NAMESPACE/NAME:PORTNAME` or `NAMESPACE/NAME`. */
  readonly servicePortName: string;
  /** `TCP`, `UDP` or `SCTP` (any case; lower-cased for hashing). */
  readonly protocol: string;
}

/** First `length` characters of Base32(SHA-256(UTF-8(text))); shared by iptables and nftables names. */
export function hashBase32(text: string, length: number): string {
  return sha256Base32Prefix(text, length);
}

/** The 16-character hash identifying a service port (upstream "portProtoHash"). */
export function servicePortHash(sp: ServicePortNameInput): string {
  return hashBase32(sp.servicePortName + sp.protocol.toLowerCase(), 16);
}

/** `KUBE-SVC-<hash16>` (25 chars): Cluster-policy dispatch chain, random choice among cluster endpoints. */
export function serviceClusterChainName(sp: ServicePortNameInput, hash = servicePortHash(sp)): string {
  return `KUBE-SVC-${hash}`;
}

/** `KUBE-SVL-<hash16>` (25 chars): Local-policy dispatch chain, random choice among local endpoints. */
export function serviceLocalChainName(sp: ServicePortNameInput, hash = servicePortHash(sp)): string {
  return `KUBE-SVL-${hash}`;
}

/** `KUBE-EXT-<hash16>` (25 chars): entry for NodePort, externalIP and LB traffic (masquerade, policy). */
export function serviceExternalChainName(sp: ServicePortNameInput, hash = servicePortHash(sp)): string {
  return `KUBE-EXT-${hash}`;
}

/** `KUBE-FW-<hash16>` (24 chars): loadBalancerSourceRanges filter in front of the EXT chain. */
export function serviceFirewallChainName(sp: ServicePortNameInput, hash = servicePortHash(sp)): string {
  return `KUBE-FW-${hash}`;
}

/**
 * `KUBE-SEP-<hash16>` (25 chars): per-endpoint chain (hairpin masquerade + DNAT); also the
 * `recent` list name for ClientIP affinity. `endpoint` is `IP:PORT` or `[IPv6]:PORT`.
 */
export function serviceEndpointChainName(sp: ServicePortNameInput, endpoint: string): string {
  return `KUBE-SEP-${hashBase32(sp.servicePortName + sp.protocol.toLowerCase() + endpoint, 16)}`;
}
