// `kubeglass check [paths...] [--format text|json|sarif]`: every diagnostic of every file, like a compiler.
// Exit 0 without error-level findings, 1 with them, 2 on usage or IO errors.
import type { Workspace, EngineDiagnostic } from '../engine/workspace';
import { displayPath } from '../host/files';
import { toCliDiagnostic, type CliDiagnostic } from '../protocol/cli-json';
import { toSarif } from './sarif';
import { checkDocsBase } from '../host/package-root';

export type CheckFormat = 'text' | 'json' | 'sarif';

export function runCheck(workspace: Workspace, format: CheckFormat): { output: string; hasErrors: boolean } {
  const all: { uri: string; d: EngineDiagnostic }[] = [];
  for (const uri of workspace.fileUris()) for (const d of workspace.diagnostics(uri)) all.push({ uri, d });
  const hasErrors = all.some(({ d }) => d.severity === 'error');
  const cli: CliDiagnostic[] = all.map(({ d }) => toCliDiagnostic(d, (u) => workspace.lineIndex(u), displayPath));
  if (format === 'json') return { output: JSON.stringify(cli, null, 2) + '\n', hasErrors };
  if (format === 'sarif') return { output: JSON.stringify(toSarif(cli, checkDocsBase()), null, 2) + '\n', hasErrors };
  const lines = cli.map((c) => `${c.file}:${c.range.start.line + 1}:${c.range.start.character + 1}: ${c.severity} ${c.code}: ${c.message}`);
  const counts = countBySeverity(cli);
  lines.push(`${workspace.fileUris().length} files, ${workspace.objectIndex.objectCount} objects: ${counts}`);
  return { output: lines.join('\n') + '\n', hasErrors };
}

function countBySeverity(list: readonly CliDiagnostic[]): string {
  const n = (s: string) => list.filter((d) => d.severity === s).length;
  return `${n('error')} errors, ${n('warning')} warnings, ${n('info') + n('hint')} notes`;
}
