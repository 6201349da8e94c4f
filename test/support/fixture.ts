// Inline multi-file fixtures for engine tests.
//
//   #- /shop/web.yaml          (at column 0) starts a file named file:///shop/web.yaml
//   $0                          marks the cursor (removed from the text); `$0...$0` marks a range
//   #   ^^^^ severity code: message-prefix
//                               a comment line of carets annotates the columns of the line above it
//                               (the nearest line above that is not itself an annotation). The message
//                               part is optional; when present the actual message must start with it.
//
// `checkDiagnostics` asserts that the full set of diagnostics of all files equals the annotations, so a
// missing or an extra one fails. It returns the diagnostics for further assertions (related, fixes).
import assert from 'node:assert/strict';
import { Workspace, type AnalysisOptions, type EngineDiagnostic } from '../../server/src/engine/workspace';

export interface FixtureFile {
  uri: string;
  text: string;
}

export interface Fixture {
  files: FixtureFile[];
  /** Cursor: file uri and offset, when `$0` was present. */
  cursor?: { uri: string; offset: number; end?: number };
}

const FILE_MARKER = /^#- (\S+)\s*$/;
const ANNOTATION = /^(\s*)#(\s*)(\^+)\s*(?:(error|warning|info|hint)\s+([a-z0-9-]+)(?::\s?(.*))?)?\s*$/;

export function parseFixture(source: string): Fixture {
  const lines = source.replace(/^\n/, '').split('\n');
  const files: FixtureFile[] = [];
  let current: { uri: string; lines: string[] } | undefined;
  const flush = () => {
    if (current) files.push({ uri: current.uri, text: current.lines.join('\n') });
  };
  for (const line of lines) {
    const m = FILE_MARKER.exec(line);
    if (m) {
      flush();
      current = { uri: `file://${m[1].startsWith('/') ? '' : '/'}${m[1]}`, lines: [] };
      continue;
    }
    if (!current) current = { uri: 'file:///main.yaml', lines: [] };
    current.lines.push(line);
  }
  flush();
  let cursor: Fixture['cursor'];
  for (const f of files) {
    const first = f.text.indexOf('$0');
    if (first === -1) continue;
    const second = f.text.indexOf('$0', first + 2);
    if (second !== -1) {
      f.text = f.text.slice(0, first) + f.text.slice(first + 2, second) + f.text.slice(second + 2);
      cursor = { uri: f.uri, offset: first, end: second - 2 };
    } else {
      f.text = f.text.slice(0, first) + f.text.slice(first + 2);
      cursor = { uri: f.uri, offset: first };
    }
  }
  for (const f of files) if (!f.text.endsWith('\n')) f.text += '\n';
  return { files, cursor };
}

export function workspaceOf(source: string | Fixture, options: Partial<AnalysisOptions> = {}): { ws: Workspace; fixture: Fixture } {
  const fixture = typeof source === 'string' ? parseFixture(source) : source;
  const ws = new Workspace(options);
  ws.apply(fixture.files.map((f) => ({ uri: f.uri, text: f.text })));
  return { ws, fixture };
}

interface Expected {
  uri: string;
  line: number;
  startChar: number;
  endChar: number;
  severity?: string;
  code?: string;
  message?: string;
}

function annotationsOf(file: FixtureFile): Expected[] {
  const out: Expected[] = [];
  const lines = file.text.split('\n');
  let target = -1;
  lines.forEach((line, i) => {
    const m = ANNOTATION.exec(line);
    if (m && target >= 0 && line.trimStart().startsWith('#')) {
      const hash = line.indexOf('#');
      const caretStart = line.indexOf('^', hash);
      out.push({ uri: file.uri, line: target, startChar: caretStart, endChar: caretStart + m[3].length, severity: m[4], code: m[5], message: m[6] });
      return;
    }
    target = i;
  });
  return out;
}

/**
 * Asserts that the diagnostics of every fixture file are exactly the annotated ones. Diagnostics with the
 * given `ignore` codes are left out of the comparison (e.g. schema findings in a test about references).
 */
export function checkDiagnostics(source: string, options: Partial<AnalysisOptions> & { ignore?: string[] } = {}): { ws: Workspace; diagnostics: EngineDiagnostic[] } {
  const { ignore = [], ...analysis } = options;
  const { ws, fixture } = workspaceOf(source, analysis);
  const expected = fixture.files.flatMap(annotationsOf);
  const actual = fixture.files.flatMap((f) => ws.diagnostics(f.uri).filter((d) => !ignore.includes(d.code)));
  const describe = (d: EngineDiagnostic) => {
    const li = ws.lineIndex(d.uri);
    const s = li.position(d.start);
    const e = li.position(d.end);
    const endChar = e.line === s.line ? e.character : li.lineText(s.line).length;
    return { uri: d.uri, line: s.line, startChar: s.character, endChar, severity: d.severity, code: d.code, message: d.message };
  };
  const got = actual.map(describe);
  const unmatched = [...got];
  const missing: Expected[] = [];
  for (const exp of expected) {
    const i = unmatched.findIndex(
      (g) =>
        g.uri === exp.uri &&
        g.line === exp.line &&
        g.startChar === exp.startChar &&
        g.endChar === exp.endChar &&
        (exp.severity === undefined || g.severity === exp.severity) &&
        (exp.code === undefined || g.code === exp.code) &&
        (exp.message === undefined || g.message.startsWith(exp.message)),
    );
    if (i === -1) missing.push(exp);
    else unmatched.splice(i, 1);
  }
  if (missing.length || unmatched.length) {
    const fmt = (x: { uri: string; line: number; startChar: number; endChar: number; severity?: string; code?: string; message?: string }) =>
      `  ${x.uri}:${x.line + 1}:${x.startChar + 1}-${x.endChar + 1} ${x.severity ?? '?'} ${x.code ?? '?'}: ${x.message ?? ''}`;
    assert.fail(`diagnostics differ from the annotations\nmissing (annotated, not reported):\n${missing.map(fmt).join('\n') || '  none'}\nunexpected (reported, not annotated):\n${unmatched.map(fmt).join('\n') || '  none'}`);
  }
  return { ws, diagnostics: actual };
}

/** Applies a quick fix's edits to the workspace's texts and returns every file's new text. */
export function applyFix(ws: Workspace, fix: { readonly edits: ReadonlyArray<{ uri: string; start: number; end: number; newText: string }> }): { uri: string; text: string }[] {
  return ws.fileUris().map((uri) => {
    let text = ws.text(uri)!;
    const edits = fix.edits.filter((e) => e.uri === uri).sort((a, b) => b.start - a.start);
    for (const e of edits) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
    return { uri, text };
  });
}

/** The text a span covers. */
export function spanText(ws: Workspace, span: { uri: string; start: number; end: number }): string {
  return ws.text(span.uri)!.slice(span.start, span.end);
}
