// How far apart two names are, for "did you mean" hints: Levenshtein distance (insertions,
// deletions and substitutions of UTF-16 code units, each costing one), and the rule that decides
// whether a miss is plausibly a typo of a name that exists.

/** The Levenshtein distance between `a` and `b`. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * True when `wanted` plausibly misspells `actual`: they differ by one or two edits, and by at most
 * a third of the longer one's characters (`web-confg` for `web-config`, `cart` for `carts`; not
 * `db` for `web`, nor `app-certs` for `app-csrf`).
 */
export function isPlausibleTypo(wanted: string, actual: string): boolean {
  if (wanted === '' || actual === '' || wanted === actual || Math.abs(wanted.length - actual.length) > 2) return false;
  return editDistance(wanted, actual) <= Math.min(2, Math.floor(Math.max(wanted.length, actual.length) / 3));
}

/** The name of `names` that `wanted` most plausibly misspells (closest first, then alphabetical). */
export function closestName(wanted: string, names: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    if (!isPlausibleTypo(wanted, name)) continue;
    const d = editDistance(wanted, name);
    if (d < bestDistance || (d === bestDistance && best !== undefined && name < best)) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}
