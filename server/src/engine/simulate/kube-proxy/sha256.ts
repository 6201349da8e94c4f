// SHA-256 (FIPS 180-4) and RFC 4648 Base32 for kube-proxy chain names, in plain TypeScript so
// the engine runs unchanged in a browser bundle (no node:crypto, no Web Crypto: that one is
// async). Inputs are short strings (one or two blocks), hashed by the hundred thousand per sync:
// words are loaded without intermediate byte arrays and constants live in Int32Arrays, so the
// hot path stays in int32 arithmetic. The test compares with node:crypto.

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const H0 = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** UTF-8 bytes of a string (lone surrogates become U+FFFD, like TextEncoder). */
export function utf8Bytes(text: string): Uint8Array {
  let ascii = true;
  for (let i = 0; i < text.length && ascii; i++) if (text.charCodeAt(i) >= 0x80) ascii = false;
  if (ascii) {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE32_CODES: readonly number[] = [...BASE32_ALPHABET].map((c) => c.charCodeAt(0));

// Scratch state reused across calls: chain names are hashed by the hundred thousand per
// sync, so the hot path allocates nothing but the result. Message words are loaded straight
// from the string's code units (ASCII) or bytes into W, padding included, and compressed
// into H. Single-threaded JS makes the shared state safe.
const W = new Int32Array(64);
const H = new Int32Array(8);

/** The 32-byte SHA-256 digest of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  hashBytes(data);
  return digestBytes();
}

/** SHA-256 of the UTF-8 bytes of `text`. */
export function sha256Text(text: string): Uint8Array {
  hashText(text);
  return digestBytes();
}

/**
 * The first `length` characters (at most 52) of Base32(SHA-256(UTF-8(text))), computed from
 * the hash state directly: chain names need 16 characters (iptables) or 8 (nftables), i.e.
 * the first 80 or 40 bits; those two lengths are built in one call each, without an array.
 */
export function sha256Base32Prefix(text: string, length: number): string {
  hashText(text);
  if (length === 16) {
    return String.fromCharCode(
      base32Code(0), base32Code(1), base32Code(2), base32Code(3), base32Code(4), base32Code(5), base32Code(6), base32Code(7),
      base32Code(8), base32Code(9), base32Code(10), base32Code(11), base32Code(12), base32Code(13), base32Code(14), base32Code(15),
    );
  }
  if (length === 8) {
    return String.fromCharCode(base32Code(0), base32Code(1), base32Code(2), base32Code(3), base32Code(4), base32Code(5), base32Code(6), base32Code(7));
  }
  const n = Math.min(length, 52);
  const codes: number[] = [];
  for (let i = 0; i < n; i++) codes.push(base32Code(i));
  return String.fromCharCode(...codes);
}

/** Character code of Base32 character `i` of the digest in `H`: digest bits [5i, 5i + 5). */
function base32Code(i: number): number {
  const bit = i * 5;
  const word = bit >>> 5;
  const shift = bit & 31;
  let v = (H[word]! << shift) >>> 27;
  if (shift > 27 && word + 1 < 8) v |= H[word + 1]! >>> (59 - shift);
  return BASE32_CODES[v & 31]!;
}

/**
 * Hashes `text` (UTF-8) into `H`. Code units are loaded as bytes while checking that they
 * are ASCII; text with any other character is hashed again from its UTF-8 bytes.
 */
function hashText(text: string): void {
  const n = text.length;
  H.set(H0);
  const blocks = blockCount(n);
  let units = 0;
  for (let b = 0, off = 0; b < blocks; b++, off += 64) {
    for (let t = 0, i = off; t < 16; t++, i += 4) {
      if (i + 3 < n) {
        const c0 = text.charCodeAt(i);
        const c1 = text.charCodeAt(i + 1);
        const c2 = text.charCodeAt(i + 2);
        const c3 = text.charCodeAt(i + 3);
        units |= c0 | c1 | c2 | c3;
        W[t] = (c0 << 24) | (c1 << 16) | (c2 << 8) | c3;
      } else {
        const c0 = paddedCode(text, n, i);
        const c1 = paddedCode(text, n, i + 1);
        const c2 = paddedCode(text, n, i + 2);
        const c3 = paddedCode(text, n, i + 3);
        units |= (i < n ? c0 : 0) | (i + 1 < n ? c1 : 0) | (i + 2 < n ? c2 : 0);
        W[t] = (c0 << 24) | (c1 << 16) | (c2 << 8) | c3;
      }
    }
    if (units >= 0x80) {
      hashBytes(utf8Bytes(text));
      return;
    }
    if (b === blocks - 1) setLengthWords(n);
    compress();
  }
}

/** Hashes `data` into `H`. */
function hashBytes(data: Uint8Array): void {
  const n = data.length;
  H.set(H0);
  const blocks = blockCount(n);
  for (let b = 0, off = 0; b < blocks; b++, off += 64) {
    for (let t = 0, i = off; t < 16; t++, i += 4) {
      W[t] =
        i + 3 < n
          ? (data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!
          : (paddedByte(data, n, i) << 24) | (paddedByte(data, n, i + 1) << 16) | (paddedByte(data, n, i + 2) << 8) | paddedByte(data, n, i + 3);
    }
    if (b === blocks - 1) setLengthWords(n);
    compress();
  }
}

/** 64-byte blocks of a padded message of `n` bytes: the data, 0x80, zeros, 8 length bytes. */
function blockCount(n: number): number {
  return Math.floor((n + 72) / 64);
}

function paddedCode(text: string, n: number, i: number): number {
  return i < n ? text.charCodeAt(i) : i === n ? 0x80 : 0;
}

function paddedByte(data: Uint8Array, n: number, i: number): number {
  return i < n ? data[i]! : i === n ? 0x80 : 0;
}

/** Message length in bits, 64-bit big-endian, into the last two words of the final block. */
function setLengthWords(n: number): void {
  W[14] = Math.floor(n / 0x20000000);
  W[15] = (n * 8) | 0;
}

function digestBytes(): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const v = H[i]!;
    out[i * 4] = v >>> 24;
    out[i * 4 + 1] = v >>> 16;
    out[i * 4 + 2] = v >>> 8;
    out[i * 4 + 3] = v;
  }
  return out;
}

/** One SHA-256 block: W[0..15] holds the message words; updates H. */
function compress(): void {
  for (let t = 16; t < 64; t++) {
    const a = W[t - 15]!;
    const b = W[t - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[t] = (W[t - 16]! + s0 + W[t - 7]! + s1) | 0;
  }
  let a = H[0]!, b = H[1]!, c = H[2]!, d = H[3]!, e = H[4]!, f = H[5]!, g = H[6]!, h = H[7]!;
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + K[t]! + W[t]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = (H[0]! + a) | 0;
  H[1] = (H[1]! + b) | 0;
  H[2] = (H[2]! + c) | 0;
  H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0;
  H[5] = (H[5]! + f) | 0;
  H[6] = (H[6]! + g) | 0;
  H[7] = (H[7]! + h) | 0;
}

/** RFC 4648 Base32, standard alphabet, with `=` padding. */
export function base32(data: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of data) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}
