// IP addresses and CIDRs for the cluster simulator: parsing, canonical printing and
// arithmetic over address ranges (ClusterIP and Pod IP allocation, family checks).
//
// Owns: the `IPAddress` / `CIDR` value types (a family plus a bigint), lenient parsing the
// way Kubernetes' legacy fields accept it (IPv4 parts may carry leading zeros and are read
// as decimal, spec kube-proxy.md section 2: `172.30.0.041` is `172.30.0.41`), and canonical
// text (dotted quad; RFC 5952 for IPv6).
// Invariants: parsing never throws; it returns undefined for anything that is not an address.
// Deliberately absent: IPv4-mapped IPv6 special printing, zones (`%eth0`).

export type IPFamily = 'IPv4' | 'IPv6';

export interface IPAddress {
  readonly family: IPFamily;
  readonly value: bigint;
}

export interface CIDR {
  readonly family: IPFamily;
  /** Network address (host bits cleared). */
  readonly base: bigint;
  readonly prefix: number;
}

export function familyBits(family: IPFamily): number {
  return family === 'IPv4' ? 32 : 128;
}

/** Parses an IPv4 or IPv6 address; leading zeros in IPv4 parts are accepted as decimal. */
export function parseIP(text: string): IPAddress | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  if (text.includes(':')) {
    const v = parseIPv6(text);
    return v === undefined ? undefined : { family: 'IPv6', value: v };
  }
  const v = parseIPv4(text);
  return v === undefined ? undefined : { family: 'IPv4', value: v };
}

/** The family of an address text, or undefined when it is not an address. */
export function ipFamilyOf(text: string): IPFamily | undefined {
  return parseIP(text)?.family;
}

/** Canonical text of an address (dotted quad, or RFC 5952 compressed lower-case IPv6). */
export function formatIP(ip: IPAddress): string {
  if (ip.family === 'IPv4') {
    const v = ip.value;
    return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn));
  // Longest run (length >= 2) of zero groups, first one on ties, becomes "::".
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Canonical text of an address text, or undefined when it does not parse. */
export function canonicalIP(text: string): string | undefined {
  const ip = parseIP(text);
  return ip === undefined ? undefined : formatIP(ip);
}

/** Parses `addr/prefix`; host bits are cleared in `base`. */
export function parseCIDR(text: string): CIDR | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIP(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (ip === undefined || !/^[0-9]{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const bits = familyBits(ip.family);
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  return { family: ip.family, base: (ip.value >> hostBits) << hostBits, prefix };
}

export function formatCIDR(cidr: CIDR): string {
  return `${formatIP({ family: cidr.family, value: cidr.base })}/${cidr.prefix}`;
}

/** Number of addresses in the range (2^(bits-prefix)). */
export function cidrSize(cidr: CIDR): bigint {
  return 1n << BigInt(familyBits(cidr.family) - cidr.prefix);
}

export function cidrContains(cidr: CIDR, ip: IPAddress): boolean {
  if (cidr.family !== ip.family) return false;
  return ip.value >= cidr.base && ip.value < cidr.base + cidrSize(cidr);
}

/** The address `offset` positions after the network address. */
export function cidrAddress(cidr: CIDR, offset: bigint): IPAddress {
  return { family: cidr.family, value: cidr.base + offset };
}

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIPv6(text: string): bigint | undefined {
  let s = text;
  // An embedded dotted quad at the end stands for the last two groups.
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0]);
  if (head === undefined) return undefined;
  let groups = head;
  if (halves.length === 2) {
    const rest = parseGroups(halves[1]);
    if (rest === undefined) return undefined;
    const missing = 8 - head.length - rest.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<number>(missing).fill(0), ...rest];
  }
  if (groups.length !== 8) return undefined;
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  return v;
}

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const out: number[] = [];
  for (const g of text.split(':')) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    out.push(parseInt(g, 16));
  }
  return out;
}
