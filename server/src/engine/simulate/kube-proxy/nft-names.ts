// Every nftables object name kube-proxy's nftables mode derives from a service port or an
// endpoint (spec kube-proxy.md section 7, "Names"): one function per prefix.
//
// A name is `PREFIX` + base. The base is `HASH8-READABLE`, where READABLE is
// `NS/NAME/PROTO/PORTNAME` for a service port and `NS/NAME/PROTO/PORTNAME__IP/PORT` for an
// endpoint (IPv6 colons become dots, since nft names may not contain `:`), PROTO is lower case,
// and HASH8 is the first 8 characters of Base32(SHA-256(READABLE)); the hash is of the full
// READABLE text, so names stay unique after truncation.
// Length: nft object names are limited to 256 bytes and prefixes to 16 (including the dash),
// so a base longer than 240 characters is cut to 237 and `...` appended. A service base is at
// most 205 characters (three 63-character DNS labels, protocol, hash, punctuation) and never
// truncated; only endpoint bases with long IPv6 addresses can be.
// Names sharing a base (the four service-port chains; an endpoint's chain and affinity set)
// take it as an optional argument, so a generator hashes each base once.
import { sha256Base32Prefix } from './sha256';

/** The parts of a service port its names are made of (a `KubeProxyServicePort` fits). */
export interface NftServicePortNameInput {
  readonly namespace: string;
  readonly name: string;
  readonly portName: string;
  readonly protocol: string;
}

/** Longest base (hash, dash and readable text) before truncation. */
export const NFT_NAME_BASE_MAX = 240;

/** `service-BASE`: Cluster-traffic-policy chain, dispatching to all cluster endpoints. Max 248. */
export function nftServiceChainName(sp: NftServicePortNameInput, base = nftServicePortNameBase(sp)): string {
  return `service-${base}`;
}

/** `local-BASE`: Local-traffic-policy chain, dispatching to this node's endpoints. Max 246. */
export function nftLocalChainName(sp: NftServicePortNameInput, base = nftServicePortNameBase(sp)): string {
  return `local-${base}`;
}

/**
 * `external-BASE`: chain for NodePort, externalIP and LoadBalancer traffic (masquerading and
 * local short-circuits before the policy chain). Max 249.
 */
export function nftExternalChainName(sp: NftServicePortNameInput, base = nftServicePortNameBase(sp)): string {
  return `external-${base}`;
}

/** `firewall-BASE`: LoadBalancerSourceRanges chain for the service's LB VIPs. Max 249. */
export function nftFirewallChainName(sp: NftServicePortNameInput, base = nftServicePortNameBase(sp)): string {
  return `firewall-${base}`;
}

/** `endpoint-BASE`: per-endpoint chain (hairpin masquerade, affinity update, DNAT). Max 249. */
export function nftEndpointChainName(sp: NftServicePortNameInput, endpoint: string, base = nftEndpointNameBase(sp, endpoint)): string {
  return `endpoint-${base}`;
}

/**
 * `affinity-BASE`: per-endpoint dynamic set of client addresses for ClientIP session affinity;
 * same base as the endpoint chain. Max 249.
 */
export function nftAffinitySetName(sp: NftServicePortNameInput, endpoint: string, base = nftEndpointNameBase(sp, endpoint)): string {
  return `affinity-${base}`;
}

/** `HASH8-NS/NAME/PROTO/PORTNAME` (truncated as described in the file header). */
export function nftServicePortNameBase(sp: NftServicePortNameInput): string {
  return hashAndTruncate(`${sp.namespace}/${sp.name}/${sp.protocol.toLowerCase()}/${sp.portName}`);
}

/**
 * `HASH8-NS/NAME/PROTO/PORTNAME__IP/PORT` for an endpoint string `IP:PORT` or `[IPv6]:PORT`
 * (IPv6 colons become dots).
 */
export function nftEndpointNameBase(sp: NftServicePortNameInput, endpoint: string): string {
  const { host, port } = splitHostPort(endpoint);
  const ip = host.replaceAll(':', '.');
  return hashAndTruncate(`${sp.namespace}/${sp.name}/${sp.protocol.toLowerCase()}/${sp.portName}__${ip}/${port}`);
}

function hashAndTruncate(readable: string): string {
  const named = `${sha256Base32Prefix(readable, 8)}-${readable}`;
  return named.length > NFT_NAME_BASE_MAX ? `${named.slice(0, NFT_NAME_BASE_MAX - 3)}...` : named;
}

/** Splits at the last colon; brackets around an IPv6 host are removed. */
function splitHostPort(endpoint: string): { host: string; port: string } {
  const colon = endpoint.lastIndexOf(':');
  if (colon < 0) return { host: endpoint, port: '' };
  let host = endpoint.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host, port: endpoint.slice(colon + 1) };
}
