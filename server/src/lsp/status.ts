// The sending side of `kubeglass/status` (see protocol/status.ts). Keeps the error and warning
// counts of the last publication per file, so a pass that republishes a few files does not have
// to recompute diagnostics of the others; the totals are summed when sent.
// Deliberately absent: any decision about what a diagnostic is; this only counts what the server
// published.
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import type { Workspace } from '../engine/workspace';
import { STATUS_METHOD, type StatusParams } from '../protocol/status';

export interface StatusReporter {
  /** Records what was just published for `uri` (an empty list clears the file). */
  record(uri: string, diagnostics: readonly Diagnostic[]): void;
  /** Sends the current totals, unless they equal the last ones sent. */
  send(workspace: Workspace): void;
  /** Marks the start and the end of the workspace scan (statuses sent meanwhile say `scanning`). */
  setScanning(scanning: boolean): void;
}

export function createStatusReporter(connection: Connection): StatusReporter {
  const perFile = new Map<string, { errors: number; warnings: number }>();
  let last = '';
  let scanning = false;
  return {
    setScanning(value) {
      scanning = value;
    },
    record(uri, diagnostics) {
      let errors = 0;
      let warnings = 0;
      for (const d of diagnostics) {
        if (d.severity === DiagnosticSeverity.Error) errors++;
        else if (d.severity === DiagnosticSeverity.Warning) warnings++;
      }
      if (errors === 0 && warnings === 0) perFile.delete(uri);
      else perFile.set(uri, { errors, warnings });
    },
    send(workspace) {
      const status = statusOf(workspace, perFile, scanning);
      const key = JSON.stringify(status);
      if (key === last) return;
      last = key;
      void connection.sendNotification(STATUS_METHOD, status);
    },
  };
}

function statusOf(workspace: Workspace, perFile: ReadonlyMap<string, { errors: number; warnings: number }>, scanning: boolean): StatusParams {
  let errors = 0;
  let warnings = 0;
  for (const [uri, counts] of perFile) {
    if (!workspace.hasFile(uri)) continue;
    errors += counts.errors;
    warnings += counts.warnings;
  }
  return { objects: workspace.objectIndex.objectCount, files: workspace.fileUris().length, errors, warnings, scanning };
}
