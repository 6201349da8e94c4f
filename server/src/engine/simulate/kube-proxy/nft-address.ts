// IP address and CIDR arithmetic used by the nftables generator and tracer: parse, compare,
// test containment and print canonically (IPv4 dotted quad, IPv6 RFC 5952 compressed form, the
// way kube-proxy prints addresses into nft rules).
//
// Parsing is lenient about IPv4 leading zeros (`010.0.0.1` reads as 10.0.0.1), which is how
// kube-proxy reads Service and EndpointSlice IPs (spec kube-proxy.md sections 2 and 3).
// Never throws: unreadable text gives `undefined`.

export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
}

export interface IpCidr {
  readonly family: 4 | 6;
  /** Network address (host bits cleared). */
  readonly base: bigint;
  readonly prefix: number;
}

/** Parses an IPv4 or IPv6 address (IPv4-mapped IPv6 such as `::ffff:1.2.3.4` stays IPv6). */
export function parseIp(text: string): IpAddress | undefined {
  const t = text.trim();
  if (t.includes(':')) return parseIpv6(t);
  const v4 = parseIpv4(t);
  return v4 === undefined ? undefined : { family: 4, value: v4 };
}

/** Parses `ADDR/PREFIX`; host bits are cleared. A bare address is a full-length prefix. */
export function parseCidr(text: string): IpCidr | undefined {
  const t = text.trim();
  const slash = t.indexOf('/');
  const ip = parseIp(slash < 0 ? t : t.slice(0, slash));
  if (!ip) return undefined;
  const bits = ip.family === 4 ? 32 : 128;
  let prefix = bits;
  if (slash >= 0) {
    const p = t.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return undefined;
    prefix = Number(p);
    if (prefix > bits) return undefined;
  }
  return { family: ip.family, base: ip.value & prefixMask(prefix, bits), prefix };
}

export function cidrContains(cidr: IpCidr, ip: IpAddress): boolean {
  if (cidr.family !== ip.family) return false;
  const bits = cidr.family === 4 ? 32 : 128;
  return (ip.value & prefixMask(cidr.prefix, bits)) === cidr.base;
}

export function sameIp(a: IpAddress, b: IpAddress): boolean {
  return a.family === b.family && a.value === b.value;
}

export function formatIp(ip: IpAddress): string {
  return ip.family === 4 ? formatIpv4(ip.value) : formatIpv6(ip.value);
}

export function formatCidr(cidr: IpCidr): string {
  return `${formatIp({ family: cidr.family, value: cidr.base })}/${cidr.prefix}`;
}

/** Canonical text of an address, or `undefined` when it does not parse. */
export function canonicalIp(text: string): string | undefined {
  const ip = parseIp(text);
  return ip ? formatIp(ip) : undefined;
}

/** Whether the address is a loopback address (127.0.0.0/8 or ::1). */
export function isLoopback(ip: IpAddress): boolean {
  return ip.family === 4 ? ip.value >> 24n === 127n : ip.value === 1n;
}

function prefixMask(prefix: number, bits: number): bigint {
  if (prefix === 0) return 0n;
  const all = (1n << BigInt(bits)) - 1n;
  return (all >> BigInt(bits - prefix)) << BigInt(bits - prefix);
}

function parseIpv4(t: string): bigint | undefined {
  const parts = t.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIpv6(t: string): IpAddress | undefined {
  let text = t;
  const zone = text.indexOf('%');
  if (zone >= 0) return undefined;
  // An embedded IPv4 tail (`::ffff:1.2.3.4`) becomes two groups.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const rest = halves.length === 2 ? (halves[1] === '' ? [] : halves[1].split(':')) : [];
  const groups = halves.length === 2 ? head.length + rest.length : head.length;
  if (halves.length === 1 && groups !== 8) return undefined;
  if (halves.length === 2 && groups > 7) return undefined;
  const all = halves.length === 2 ? [...head, ...Array<string>(8 - groups).fill('0'), ...rest] : head;
  let v = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return { family: 6, value: v };
}

function formatIpv4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => ((v >> s) & 0xffn).toString()).join('.');
}

/** RFC 5952: lower-case hex, longest run (length >= 2, first on ties) of zero groups as `::`. */
function formatIpv6(v: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  // IPv4-mapped addresses print with a dotted tail, as Go's net.IP does.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${formatIpv4(v & 0xffffffffn)}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
