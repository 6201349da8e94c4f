// Deterministic hashes and generated-name suffixes for the cluster simulator.
//
// Owns: FNV-1a 32-bit (the hash family the Kubernetes controllers use for
// `pod-template-hash` and `controller-revision-hash`), the "safe encoding" of a hash into
// the consonant-and-digit alphabet Kubernetes uses for generated names (no vowels, so no
// accidental words; spec semantics.md (c), generated names), random-looking but
// deterministic 5-character name suffixes, and stable fake UIDs.
// Invariants: every function is a pure function of its text input; nothing reads a clock
// or a random source, so the same workspace always yields the same names.
// Deliberately absent: the exact upstream template hash, which hashes Go's debug printing
// of the defaulted struct; Kubeglass hashes canonical JSON instead (see pods.ts).

/** The alphabet of Kubernetes generated names: 27 characters, no vowels, no 0/1/3. */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text`. */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of utf8(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Maps every character of `text` (an ASCII decimal string in practice) to one character of
 * the generated-name alphabet, by character code modulo 27, the way Kubernetes turns a
 * numeric hash into a `pod-template-hash` label value.
 */
export function safeEncode(text: string): string {
  let out = '';
  for (const byte of utf8(text)) out += NAME_ALPHABET[byte % NAME_ALPHABET.length];
  return out;
}

/** `pod-template-hash`-style value: the decimal FNV-1a hash of `text`, safe-encoded. */
export function templateHash(text: string): string {
  return safeEncode(String(fnv32a(text)));
}

/**
 * A 5-character suffix like the ones `metadata.generateName` produces, derived from `seed`
 * instead of a random source.
 */
export function nameSuffix(seed: string, length = 5): string {
  let out = '';
  let h = fnv32a(seed);
  let round = 0;
  while (out.length < length) {
    if (h === 0) h = fnv32a(`${seed}#${++round}`);
    out += NAME_ALPHABET[h % NAME_ALPHABET.length];
    h = Math.floor(h / NAME_ALPHABET.length);
  }
  return out;
}

/** A UUID-shaped identifier derived from `seed` (version nibble 4, variant 10xx). */
export function fakeUid(seed: string): string {
  let hex = '';
  for (let i = 0; hex.length < 32; i++) hex += fnv32a(`${i}:${seed}`).toString(16).padStart(8, '0');
  const v = hex.split('');
  v[12] = '4';
  v[16] = ((parseInt(v[16], 16) & 0x3) | 0x8).toString(16);
  const s = v.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
