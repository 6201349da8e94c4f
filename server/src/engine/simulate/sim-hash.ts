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
const encoder = new TextEncoder();

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text`. */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      h = Math.imul(h ^ c, 0x01000193);
      continue;
    }
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    for (const byte of encoder.encode(String.fromCodePoint(cp))) h = Math.imul(h ^ byte, 0x01000193);
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
  const hex = [0, 1, 2, 3].map((i) => fnv32a(`${i}:${seed}`).toString(16).padStart(8, '0')).join('');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
