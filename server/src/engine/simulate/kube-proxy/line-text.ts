// `line`: a template tag for the lines a generator keeps until it renders (iptables rules, nft
// rule bodies), giving each line as one flat string.
//
// Why: V8 builds a template literal's result piece by piece and keeps it as a rope, one node per
// piece. A full sync holds hundreds of thousands of lines until rendering, and every
// young-generation collection copies those ropes node by node (10,000 Services in iptables mode:
// ~0.5 s of scavenges per sync with ropes, ~0.33 s with flat lines; `npm run bench -- --only
// simulate`). `Array.prototype.join` copies the pieces into one string instead. Call sites read
// as template literals with a `line` prefix; values are strings or numbers, converted as a
// template literal converts them, and the cooked text (escapes applied) is used. Values kept
// only briefly (a comment reused in a few lines) stay plain template literals.

/** The template's text with its values, as one flat string. */
export function line(strings: TemplateStringsArray, ...values: ReadonlyArray<string | number>): string {
  const parts = new Array<string | number>(strings.length + values.length);
  parts[0] = strings[0]!;
  for (let i = 0; i < values.length; i++) {
    parts[2 * i + 1] = values[i]!;
    parts[2 * i + 2] = strings[i + 1]!;
  }
  return parts.join('');
}
