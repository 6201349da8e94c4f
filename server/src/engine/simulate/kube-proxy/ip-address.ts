// IP address and CIDR parsing for the kube-proxy simulator, with kube-proxy's lenient rules.
//
// kube-proxy parses every address it reads from the API with the "sloppy" parser (spec
// kube-proxy.md sections 2 and 3): IPv4 octets may carry leading zeros and are read as
// decimal (`172.30.0.041` is 172.30.0.41, `010` is 10), IPv6 groups are hex of any digit
// count up to 0xffff, an IPv6 text may end in a dotted IPv4 part, zones (`%eth0`) are not
// accepted. An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) counts as IPv4, exactly as
// kube-proxy's family test does, and prints as dotted IPv4.
//
// Output text is canonical: dotted decimal without leading zeros, IPv6 in lower-case with
// the longest run (two or more) of zero groups compressed, the first run on a tie.
// Invariant: nothing here throws; unparseable text gives `undefined`.

export type IPFamily = 'IPv4' | 'IPv6';

/** A parsed address: 4 bytes for IPv4 (including IPv4-mapped IPv6), 16 bytes for IPv6. */
export interface ParsedIP {
  readonly family: IPFamily;
  readonly bytes: readonly number[];
  /** Canonical text. */
  readonly text: string;
}

/** A parsed CIDR: `bytes` is the masked network number, `prefix` counts bits of `bytes`. */
export interface ParsedCIDR {
  readonly family: IPFamily;
  readonly bytes: readonly number[];
  readonly prefix: number;
  /** Canonical text (network address / prefix length as written). */
  readonly text: string;
}

/** Parses an address leniently; `undefined` when it is not an IP address. */
export function parseIPSloppy(text: string): ParsedIP | undefined {
  const raw = parseRawIP(text);
  return raw === undefined ? undefined : toParsedIP(raw);
}

/**
 * The canonical text of an address, or `undefined` when `text` is not an IP address. Its
 * family follows from the text: canonical IPv6 always contains `:`, canonical IPv4 never.
 */
export function canonicalIP(text: string): string | undefined {
  return isCanonicalIPv4(text) ? text : parseIPSloppy(text)?.text;
}

/** Fast path for the common case: dotted decimal without leading zeros. */
function isCanonicalIPv4(s: string): boolean {
  let parts = 0;
  let i = 0;
  while (i < s.length) {
    const start = i;
    let n = 0;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57 && i - start < 4) n = n * 10 + (s.charCodeAt(i++) - 48);
    const len = i - start;
    if (len === 0 || len > 3 || n > 255 || (len > 1 && s.charCodeAt(start) === 48)) return false;
    parts++;
    if (i === s.length) break;
    if (s.charCodeAt(i) !== 46 || parts === 4) return false;
    i++;
    if (i === s.length) return false;
  }
  return parts === 4;
}

/**
 * Parses `ADDRESS/PREFIX` leniently. The prefix is decimal and must fit the notation of the
 * address part (32 for dotted IPv4, 128 for IPv6 notation). The network number is masked,
 * so `10.1.2.3/8` reads as `10.0.0.0/8`.
 */
export function parseCIDRSloppy(text: string): ParsedCIDR | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addrText = text.slice(0, slash);
  const maskText = text.slice(slash + 1);
  let bits = 32;
  let raw: number[] | undefined = parseIPv4(addrText);
  if (raw === undefined) {
    bits = 128;
    raw = parseIPv6(addrText);
  }
  if (raw === undefined || !/^[0-9]+$/.test(maskText) || maskText.length > 7) return undefined;
  const written = Number(maskText);
  if (written > bits) return undefined;
  const masked = maskBytes(raw, written);
  const ip = toParsedIP(masked);
  // An IPv4-mapped IPv6 network behaves as the IPv4 network under its last 32 bits.
  const prefix = ip.family === 'IPv4' && bits === 128 ? Math.max(0, written - 96) : written;
  return { family: ip.family, bytes: ip.bytes, prefix, text: `${ip.text}/${written}` };
}

/** True when `ip` lies inside `cidr` (different families never match). */
export function cidrContains(cidr: ParsedCIDR, ip: ParsedIP): boolean {
  if (cidr.family !== ip.family) return false;
  let bitsLeft = cidr.prefix;
  for (let i = 0; i < cidr.bytes.length && bitsLeft > 0; i++) {
    const take = Math.min(8, bitsLeft);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((cidr.bytes[i]! & mask) !== (ip.bytes[i]! & mask)) return false;
    bitsLeft -= take;
  }
  return true;
}

/** True for 127.0.0.0/8 and ::1. */
export function isLoopback(ip: ParsedIP): boolean {
  if (ip.family === 'IPv4') return ip.bytes[0] === 127;
  return ip.bytes.every((b, i) => (i === 15 ? b === 1 : b === 0));
}

/** `IP:PORT`, or `[IP]:PORT` for IPv6 (host-port joining). */
export function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

// ---------------------------------------------------------------------------------------------

/** Dispatches on the first `.` or `:`; returns 4 bytes for dotted text, 16 for IPv6 text. */
function parseRawIP(text: string): number[] | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '.') return parseIPv4(text);
    if (c === ':') return parseIPv6(text);
  }
  return undefined;
}

function toParsedIP(raw: readonly number[]): ParsedIP {
  if (raw.length === 4) return { family: 'IPv4', bytes: raw, text: raw.join('.') };
  if (isV4Mapped(raw)) {
    const v4 = raw.slice(12);
    return { family: 'IPv4', bytes: v4, text: v4.join('.') };
  }
  return { family: 'IPv6', bytes: raw, text: formatIPv6(raw) };
}

function isV4Mapped(raw: readonly number[]): boolean {
  for (let i = 0; i < 10; i++) if (raw[i] !== 0) return false;
  return raw[10] === 0xff && raw[11] === 0xff;
}

/** Reads leading decimal digits: [value, digits consumed]; value capped to stay finite. */
function readDecimal(s: string, from: number): [number, number] {
  let n = 0;
  let i = from;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
    n = Math.min(n * 10 + (s.charCodeAt(i) - 48), 0xffffff);
    i++;
  }
  return [n, i - from];
}

function readHex(s: string, from: number): [number, number] {
  let n = 0;
  let i = from;
  for (; i < s.length; i++) {
    const d = parseInt(s[i]!, 16);
    if (Number.isNaN(d)) break;
    n = Math.min(n * 16 + d, 0xffffff);
  }
  return [n, i - from];
}

function parseIPv4(s: string): number[] | undefined {
  const out: number[] = [];
  let pos = 0;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (s[pos] !== '.') return undefined;
      pos++;
    }
    const [n, used] = readDecimal(s, pos);
    if (used === 0 || n > 0xff) return undefined;
    out.push(n);
    pos += used;
  }
  return pos === s.length ? out : undefined;
}

function parseIPv6(s: string): number[] | undefined {
  const ip: number[] = new Array(16).fill(0);
  let ellipsis = -1;
  let pos = 0;
  if (s.startsWith('::')) {
    ellipsis = 0;
    pos = 2;
    if (pos === s.length) return ip;
  }
  let j = 0;
  while (j < 16) {
    const [n, used] = readHex(s, pos);
    if (used === 0 || n > 0xffffff) return undefined;
    // A dotted tail is an embedded IPv4 address filling the last 32 bits.
    if (pos + used < s.length && s[pos + used] === '.') {
      if (ellipsis < 0 && j !== 12) return undefined;
      if (j + 4 > 16) return undefined;
      const v4 = parseIPv4(s.slice(pos));
      if (v4 === undefined) return undefined;
      for (let k = 0; k < 4; k++) ip[j + k] = v4[k]!;
      j += 4;
      pos = s.length;
      break;
    }
    if (n > 0xffff) return undefined;
    ip[j] = n >> 8;
    ip[j + 1] = n & 0xff;
    j += 2;
    pos += used;
    if (pos === s.length) break;
    if (s[pos] !== ':' || pos + 1 === s.length) return undefined;
    pos++;
    if (s[pos] === ':') {
      if (ellipsis >= 0) return undefined;
      ellipsis = j;
      pos++;
      if (pos === s.length) break;
    }
  }
  if (pos !== s.length) return undefined;
  if (j < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - j;
    for (let k = j - 1; k >= ellipsis; k--) ip[k + n] = ip[k]!;
    for (let k = ellipsis + n - 1; k >= ellipsis; k--) ip[k] = 0;
  } else if (ellipsis >= 0) {
    return undefined;
  }
  return ip;
}

function formatIPv6(raw: readonly number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((raw[i]! << 8) | raw[i + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let k = i;
    while (k < 8 && groups[k] === 0) k++;
    if (k - i >= 2 && k - i > bestLen) {
      bestStart = i;
      bestLen = k - i;
    }
    i = k;
  }
  const hex = (g: number) => g.toString(16);
  if (bestStart < 0) return groups.map(hex).join(':');
  const head = groups.slice(0, bestStart).map(hex).join(':');
  const tail = groups.slice(bestStart + bestLen).map(hex).join(':');
  return `${head}::${tail}`;
}

function maskBytes(raw: readonly number[], prefix: number): number[] {
  return raw.map((b, i) => {
    const take = Math.max(0, Math.min(8, prefix - i * 8));
    return b & ((0xff << (8 - take)) & 0xff);
  });
}
