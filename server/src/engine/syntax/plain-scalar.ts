// What an untagged plain (unquoted) scalar means to kubectl's YAML reader (go-yaml v2 under
// sigs.k8s.io/yaml): null, a boolean, a number or the string itself. Both readers of the engine use
// these rules: `parse.ts` through the `yaml` library's schema (`goPlainScalar` is its number tag),
// `direct-reader.ts` through `resolvePlainScalar`, which applies the same tests in the same order.

/**
 * The value of a plain scalar, testing in the order the engine's YAML 1.1 schema does:
 * - null: empty, `~`, `null`, `Null`, `NULL`;
 * - true: `y`, `Y`, `yes`, `Yes`, `YES`, `true`, `True`, `TRUE`, `on`, `On`, `ON`;
 * - false: `n`, `N`, `no`, `No`, `NO`, `false`, `False`, `FALSE`, `off`, `Off`, `OFF`;
 * - infinity and not-a-number: `.inf`, `-.Inf`, `+.INF`, `.nan`, `.NaN`, `.NAN`;
 * - starting with a digit, a sign or a dot: `goPlainScalar`;
 * - anything else: the string.
 * Merge keys (`<<`) are not plain values; callers that meet one use the full parser.
 */
export function resolvePlainScalar(s: string): unknown {
  if (s.length === 0) return null;
  switch (s.charCodeAt(0)) {
    case 0x7e /* ~ */:
      return s === '~' ? null : s;
    case 0x6e /* n */:
    case 0x4e /* N */:
      if (s === 'null' || s === 'Null' || s === 'NULL') return null;
      return s === 'n' || s === 'N' || s === 'no' || s === 'No' || s === 'NO' ? false : s;
    case 0x79 /* y */:
    case 0x59 /* Y */:
      return s === 'y' || s === 'Y' || s === 'yes' || s === 'Yes' || s === 'YES' ? true : s;
    case 0x74 /* t */:
    case 0x54 /* T */:
      return s === 'true' || s === 'True' || s === 'TRUE' ? true : s;
    case 0x66 /* f */:
    case 0x46 /* F */:
      return s === 'false' || s === 'False' || s === 'FALSE' ? false : s;
    case 0x6f /* o */:
    case 0x4f /* O */:
      if (s === 'on' || s === 'On' || s === 'ON') return true;
      return s === 'off' || s === 'Off' || s === 'OFF' ? false : s;
    case 0x2e /* . */:
    case 0x2d /* - */:
    case 0x2b /* + */:
      if (INF_NAN.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
      return goPlainScalar(s);
    default: {
      const c = s.charCodeAt(0);
      return c >= 0x30 && c <= 0x39 ? goPlainScalar(s) : s;
    }
  }
}

const INF_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/**
 * The value kubectl's YAML reader gives a plain scalar that starts with a digit, a sign or a dot, in
 * the order that reader tries (go-yaml v2 `resolve`):
 * - starting with `.`: a decimal float (`.5`, `.5e3`), else the string;
 * - a date or date-time (`2024-01-01`): the string (it never becomes a time for untyped decoding);
 * - after removing every `_`: a Go integer literal with optional sign: decimal, `0x`/`0X` hex,
 *   `0b`/`0B` binary, `0o`/`0O` or leading-zero octal (`0755` is 493), within 64 bits;
 * - a decimal float with optional exponent (`1e3`, `1.`, `08` which is not octal) that does not
 *   overflow (`1e400` stays a string);
 * - anything else, such as `1:20`, `1.2.3` or `0x`: the string, unchanged.
 */
export function goPlainScalar(source: string): number | string {
  if (source.startsWith('.')) return /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/.test(source) ? Number(source) : source;
  const plain = source.includes('_') ? source.replace(/_/g, '') : source;
  const int = goInteger(plain);
  if (int !== undefined) return int;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(plain)) {
    const n = Number(plain.endsWith('.') ? plain.slice(0, -1) : plain);
    if (Number.isFinite(n)) return n === 0 ? 0 : n;
  }
  return source;
}

/** Go's `strconv.ParseInt(s, 0, 64)` (or `ParseUint` for large unsigned values); undefined when it fails. */
function goInteger(s: string): number | undefined {
  // Short decimal literals (ports, replicas) are exact doubles: no BigInt needed.
  if (SMALL_DECIMAL.test(s)) {
    const n = Number(s);
    return n === 0 ? 0 : n;
  }
  const m = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[bB]([01]+)|0[oO]([0-7]+)|(0[0-7]*)|([1-9][0-9]*))$/.exec(s);
  if (!m) return undefined;
  const [, sign, hex, bin, oct, leadingZero, dec] = m;
  const digits = hex !== undefined ? '0x' + hex : bin !== undefined ? '0b' + bin : oct !== undefined ? '0o' + oct : leadingZero !== undefined ? (leadingZero.length > 1 ? '0o' + leadingZero.slice(1) : '0') : dec!;
  const magnitude = BigInt(digits);
  const value = sign === '-' ? -magnitude : magnitude;
  const fits = sign === '' ? value <= 0xffffffffffffffffn : value >= -(2n ** 63n) && value < 2n ** 63n;
  if (!fits) return undefined;
  const n = Number(value);
  return n === 0 ? 0 : n;
}

/** An optionally signed decimal integer of at most 15 digits, not starting with 0 (octal) unless it is 0. */
const SMALL_DECIMAL = /^[-+]?(?:0|[1-9][0-9]{0,14})$/;
