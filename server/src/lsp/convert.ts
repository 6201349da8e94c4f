// Engine results -> LSP types. The only file that knows both.
import { DiagnosticSeverity, type Diagnostic, type CodeAction, type WorkspaceEdit, type TextEdit } from 'vscode-languageserver/node';
import type { EngineDiagnostic, ResolvedFix, Workspace } from '../engine/workspace';

const SEVERITY: Record<string, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspDiagnostic(ws: Workspace, d: EngineDiagnostic, docsBase: string | undefined): Diagnostic {
  const lines = ws.lineIndex(d.uri);
  const diagnostic: Diagnostic = {
    range: lines.range(d.start, d.end),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'kubeglass',
    message: d.message,
  };
  if (docsBase) diagnostic.codeDescription = { href: `${docsBase}/${d.code}.md` };
  if (d.related.length) {
    diagnostic.relatedInformation = d.related.map((r) => ({
      location: { uri: r.uri, range: ws.lineIndex(r.uri).range(r.start, r.end) },
      message: r.message,
    }));
  }
  if (d.fixes.length) diagnostic.data = { fixes: d.fixes.length };
  return diagnostic;
}

export function toCodeAction(ws: Workspace, fix: ResolvedFix, diagnostic: Diagnostic): CodeAction {
  const changes: Record<string, TextEdit[]> = {};
  for (const e of fix.edits) {
    (changes[e.uri] ??= []).push({ range: ws.lineIndex(e.uri).range(e.start, e.end), newText: e.newText });
  }
  const edit: WorkspaceEdit = { changes };
  return { title: fix.title, kind: 'quickfix', diagnostics: [diagnostic], isPreferred: fix.preferred, edit };
}
