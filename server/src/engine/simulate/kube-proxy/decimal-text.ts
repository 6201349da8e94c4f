// Exact fixed-point formatting of binary floating-point values, rounding half to even.
//
// kube-proxy prints rule probabilities with Go's `%0.10f`, and `iptables-save` prints the
// kernel's stored probability with C's `%.11f`; both round the exact binary value of the
// double to nearest, ties to even. JavaScript's `toFixed` rounds ties away from zero, which
// differs for values such as 1/2048 (0.00048828125 at 10 decimals), so the rule text
// generators use this instead. Non-finite or negative input is formatted via its absolute
// finite value (callers only pass probabilities in [0, 1]).

/** `value` with exactly `decimals` digits after the point, rounded half to even. */
export function formatFixedHalfEven(value: number, decimals: number): string {
  const v = Number.isFinite(value) ? Math.abs(value) : 0;
  const [mantissa, exponent] = decompose(v);
  const scale = 10n ** BigInt(decimals);
  let q: bigint;
  if (exponent >= 0) {
    q = (mantissa << BigInt(exponent)) * scale;
  } else {
    const num = mantissa * scale;
    const den = 1n << BigInt(-exponent);
    q = num / den;
    const twiceRemainder = (num % den) * 2n;
    if (twiceRemainder > den || (twiceRemainder === den && q % 2n === 1n)) q += 1n;
  }
  const digits = q.toString().padStart(decimals + 1, '0');
  if (decimals === 0) return digits;
  return `${digits.slice(0, digits.length - decimals)}.${digits.slice(digits.length - decimals)}`;
}

/** `v` as mantissa * 2^exponent with an integer mantissa (exact for every finite double). */
function decompose(v: number): [bigint, number] {
  if (v === 0) return [0n, 0];
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return [mantissa, -1074];
  mantissa |= 1n << 52n;
  return [mantissa, biased - 1075];
}
