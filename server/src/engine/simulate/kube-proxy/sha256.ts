// SHA-256 (FIPS 180-4) and RFC 4648 Base32 for kube-proxy chain names, in plain TypeScript so
// the engine runs unchanged in a browser bundle (no node:crypto, no Web Crypto: that one is
// async). Inputs are short strings, so clarity beats speed; the test compares with node:crypto.

const K: readonly number[] = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

const H0: readonly number[] = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

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
// sync, so the hot path allocates only the 32-byte result. Single-threaded JS makes this safe.
const W = new Int32Array(64);
const H = new Int32Array(8);
let scratch = new Uint8Array(256);

/** The 32-byte SHA-256 digest of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  ensureScratch(data.length);
  scratch.set(data);
  hashScratch(data.length);
  return digestBytes();
}

/** SHA-256 of the UTF-8 bytes of `text`. */
export function sha256Text(text: string): Uint8Array {
  hashText(text);
  return digestBytes();
}

/**
 * The first `length` characters (at most 52) of Base32(SHA-256(UTF-8(text))), computed from
 * the hash state directly: chain names need 16 characters, i.e. the first 80 bits.
 */
export function sha256Base32Prefix(text: string, length: number): string {
  hashText(text);
  const n = Math.min(length, 52);
  const codes = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    // Character i covers digest bits [5i, 5i + 5); read them across word boundaries.
    const bit = i * 5;
    const word = bit >>> 5;
    const shift = bit & 31;
    let v = (H[word]! << shift) >>> 27;
    if (shift > 27 && word + 1 < 8) v |= H[word + 1]! >>> (59 - shift);
    codes[i] = BASE32_CODES[v & 31]!;
  }
  return String.fromCharCode(...codes);
}

/** Hashes `text` (UTF-8) into the state `H`; no allocation for ASCII text. */
function hashText(text: string): void {
  ensureScratch(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) {
      const bytes = utf8Bytes(text);
      ensureScratch(bytes.length);
      scratch.set(bytes);
      hashScratch(bytes.length);
      return;
    }
    scratch[i] = c;
  }
  hashScratch(text.length);
}

function ensureScratch(length: number): void {
  const size = Math.ceil((length + 9) / 64) * 64;
  if (scratch.length < size) scratch = new Uint8Array(size * 2);
}

/** Pads and hashes the first `length` bytes of the scratch buffer into `H`. */
function hashScratch(length: number): void {
  const size = Math.ceil((length + 9) / 64) * 64;
  const buf = scratch;
  buf[length] = 0x80;
  buf.fill(0, length + 1, size);
  // Message length in bits, 64-bit big-endian (inputs here stay far below 2^32 bits).
  const bits = length * 8;
  const hiBits = Math.floor(bits / 0x100000000);
  buf[size - 8] = hiBits >>> 24;
  buf[size - 7] = hiBits >>> 16;
  buf[size - 6] = hiBits >>> 8;
  buf[size - 5] = hiBits;
  buf[size - 4] = bits >>> 24;
  buf[size - 3] = bits >>> 16;
  buf[size - 2] = bits >>> 8;
  buf[size - 1] = bits;
  for (let i = 0; i < 8; i++) H[i] = H0[i]!;
  for (let off = 0; off < size; off += 64) compress(buf, off);
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

function compress(buf: Uint8Array, off: number): void {
  for (let t = 0; t < 16; t++) {
    const j = off + t * 4;
    W[t] = (buf[j]! << 24) | (buf[j + 1]! << 16) | (buf[j + 2]! << 8) | buf[j + 3]!;
  }
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
