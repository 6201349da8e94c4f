// The one ordering of text the engine sorts by: UTF-16 code units, as Go's string comparison and
// JavaScript's `<` order them, independent of the locale (output must be byte-for-byte stable).

/** -1, 0 or 1 as `a` sorts before, with or after `b` by code units. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
