// Suppression comments, as other linters spell them:
//   # kubeglass-disable-next-line <code>[, <code>...]   (no code: every code)
//   # kubeglass-disable-line <code>                      (on the line itself)
//   # kubeglass-disable-file <code>                      (anywhere in the file)
// The `kubeglass.io/ignore: code,code` annotation on an object is handled by the analysis.

export interface Suppressions {
  readonly byLine: ReadonlyMap<number, readonly string[]>;
  readonly file: readonly string[];
}

const DIRECTIVE = /#\s*kubeglass-disable(-next-line|-line|-file)\b([^\n\r]*)/g;

export function suppressionsOf(text: string): Suppressions {
  const byLine = new Map<number, string[]>();
  const file: string[] = [];
  if (!text.includes('kubeglass-disable')) return { byLine, file };
  let line = 0;
  let lineStart = 0;
  DIRECTIVE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DIRECTIVE.exec(text)) !== null) {
    for (let i = lineStart; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    lineStart = m.index;
    const codes = m[2].split(/[\s,]+/).filter(Boolean);
    const list = codes.length ? codes : ['*'];
    if (m[1] === '-file') file.push(...list);
    else {
      const target = m[1] === '-next-line' ? line + 1 : line;
      byLine.set(target, [...(byLine.get(target) ?? []), ...list]);
    }
  }
  return { byLine, file };
}

export function isSuppressed(s: Suppressions, line: number, code: string): boolean {
  if (s.file.includes(code) || s.file.includes('*')) return true;
  const codes = s.byLine.get(line);
  return !!codes && (codes.includes(code) || codes.includes('*'));
}
