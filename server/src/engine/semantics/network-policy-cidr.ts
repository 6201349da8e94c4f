// IP addresses and CIDR blocks as NetworkPolicy `ipBlock` peers use them (spec (g) g.3, g.5).
//
// Owns: parsing an IP literal or a CIDR the way the API server's legacy ("sloppy") parser does,
// and CIDR membership with Go `net.IPNet.Contains` semantics, which the reference policy engines
// use (spec g.5, their CIDR membership tests):
//   - IPv4 octets may carry leading zeros and are read as decimal (legacy parsing).
//   - A CIDR may have host bits set (`192.168.242.213/24`): the address is masked, not rejected.
//   - An IPv4 address and an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) are the same address;
//     an IPv4-mapped network compares its last 32 bits only.
// Deliberately absent: zones (`fe80::1%eth0`), which the API rejects, and any notion of which
// addresses are "in the cluster" (g.3 leaves pre-/post-NAT addresses implementation-defined).
// Invariant: parsing never throws; bad input gives `undefined`.

/** 4 bytes for an IPv4 literal, 16 bytes for an IPv6 literal (which may be IPv4-mapped). */
export type IpAddress = { readonly bytes: Uint8Array };

/** A parsed CIDR: `network` already masked, `mask` the same length as `network`. */
export type Cidr = { readonly text: string; readonly network: Uint8Array; readonly mask: Uint8Array; readonly prefix: number };

/** Parses an IPv4 or IPv6 literal; `undefined` when it is not one. */
export function parseIp(text: string): IpAddress | undefined {
  if (typeof text !== 'string') return undefined;
  const v4 = parseIpv4(text);
  if (v4) return { bytes: v4 };
  const v6 = parseIpv6(text);
  return v6 ? { bytes: v6 } : undefined;
}

/**
 * Parses `address/prefix`. The prefix is decimal, at most 32 for an IPv4 literal and 128 for an
 * IPv6 literal (an IPv4-mapped IPv6 literal counts as IPv6). Host bits are cleared.
 */
export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const address = parseIpv4(addressText) ?? parseIpv6(addressText);
  if (!address || prefix > address.length * 8) return undefined;
  const mask = prefixMask(prefix, address.length);
  const network = address.map((b, i) => b & mask[i]);
  return { text, network, mask, prefix };
}

/**
 * Whether `ip` lies inside `cidr`. Cases, as Go's `IPNet.Contains`:
 *   - both sides reduce to IPv4 (plain or IPv4-mapped): compare 32 bits under the last 4 mask bytes;
 *   - both are true IPv6: compare 128 bits;
 *   - otherwise (one family each): not contained.
 */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  const network = toIpv4(cidr.network) ?? cidr.network;
  const mask = network.length === 4 && cidr.mask.length === 16 ? cidr.mask.subarray(12) : cidr.mask;
  const address = toIpv4(ip.bytes) ?? ip.bytes;
  if (address.length !== network.length || mask.length !== network.length) return false;
  for (let i = 0; i < address.length; i++) {
    if ((address[i] & mask[i]) !== network[i]) return false;
  }
  return true;
}

/** `ip` is in `cidr` and in none of `except` (an ipBlock peer, g.3). */
export function ipBlockContains(cidr: Cidr, except: readonly Cidr[], ip: IpAddress): boolean {
  return cidrContains(cidr, ip) && !except.some((e) => cidrContains(e, ip));
}

function prefixMask(prefix: number, length: number): Uint8Array {
  const mask = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    mask[i] = bits === 0 ? 0 : (0xff << (8 - bits)) & 0xff;
  }
  return mask;
}

const V4_IN_V6_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function toIpv4(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length === 4) return bytes;
  if (bytes.length === 16 && V4_IN_V6_PREFIX.every((b, i) => bytes[i] === b)) return bytes.subarray(12);
  return undefined;
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    // Legacy parsing: any number of decimal digits, leading zeros allowed, value at most 255.
    if (!/^[0-9]{1,10}$/.test(parts[i])) return undefined;
    const n = Number(parts[i]);
    if (n > 255) return undefined;
    bytes[i] = n;
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.includes('%')) return undefined;
  const doubleColon = text.indexOf('::');
  if (doubleColon >= 0 && text.indexOf('::', doubleColon + 1) >= 0) return undefined;
  const head = doubleColon >= 0 ? text.slice(0, doubleColon) : text;
  const tail = doubleColon >= 0 ? text.slice(doubleColon + 2) : '';
  const headWords = parseWords(head, doubleColon < 0);
  const tailWords = parseWords(tail, true);
  if (!headWords || !tailWords) return undefined;
  const total = headWords.length + tailWords.length;
  if (doubleColon >= 0 ? total > 7 : total !== 8) return undefined;
  const words = [...headWords, ...new Array<number>(8 - total).fill(0), ...tailWords];
  const bytes = new Uint8Array(16);
  words.forEach((w, i) => {
    bytes[2 * i] = w >> 8;
    bytes[2 * i + 1] = w & 0xff;
  });
  return bytes;
}

/** Colon-separated 16-bit groups; the last group may be a dotted IPv4 address (two groups). */
function parseWords(text: string, mayEndWithIpv4: boolean): number[] | undefined {
  if (text === '') return [];
  const groups = text.split(':');
  const words: number[] = [];
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i];
    if (i === groups.length - 1 && mayEndWithIpv4 && group.includes('.')) {
      const v4 = parseIpv4(group);
      if (!v4) return undefined;
      words.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    words.push(parseInt(group, 16));
  }
  return words;
}

