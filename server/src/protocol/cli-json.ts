// The CLI's JSON contract for `kubeglass check --format json`:
//   [{file, range:{start:{line,character},end:{line,character}}, severity, code, message,
//     related:[{file, range, message}]}]   (0-based positions, as in LSP)
// Extend, never rename: users' scripts depend on it.
import type { EngineDiagnostic } from '../engine/workspace';
import type { LineIndex, Range } from '../engine/text/line-index';

export interface CliDiagnostic {
  file: string;
  range: Range;
  severity: 'error' | 'warning' | 'info' | 'hint';
  code: string;
  message: string;
  related: { file: string; range: Range; message: string }[];
}

export function toCliDiagnostic(d: EngineDiagnostic, lines: (uri: string) => LineIndex, file: (uri: string) => string): CliDiagnostic {
  return {
    file: file(d.uri),
    range: lines(d.uri).range(d.start, d.end),
    severity: d.severity,
    code: d.code,
    message: d.message,
    related: d.related.map((r) => ({ file: file(r.uri), range: lines(r.uri).range(r.start, r.end), message: r.message })),
  };
}
