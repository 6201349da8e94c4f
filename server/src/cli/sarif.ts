// SARIF 2.1.0 output for code-scanning in CI (`kubeglass check --format sarif`).
import type { CliDiagnostic } from '../protocol/cli-json';

const LEVEL: Record<string, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
/** Rules link to the check pages shipped in the package's docs/checks folder. */

export function toSarif(list: readonly CliDiagnostic[], docsBase: string): unknown {
  const codes = [...new Set(list.map((d) => d.code))].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kubeglass',
            informationUri: 'https://github.com/kubeglass/kubeglass',
            rules: codes.map((id) => ({ id, name: id, helpUri: `${docsBase}/${id}.md` })),
          },
        },
        results: list.map((d) => ({
          ruleId: d.code,
          ruleIndex: codes.indexOf(d.code),
          level: LEVEL[d.severity],
          message: { text: d.message },
          locations: [location(d.file, d.range)],
          relatedLocations: d.related.map((r, i) => ({ id: i, ...location(r.file, r.range), message: { text: r.message } })),
        })),
      },
    ],
  };
}

function location(file: string, range: CliDiagnostic['range']) {
  return {
    physicalLocation: {
      artifactLocation: { uri: file.split('\\').join('/') },
      region: {
        startLine: range.start.line + 1,
        startColumn: range.start.character + 1,
        endLine: range.end.line + 1,
        endColumn: range.end.character + 1,
      },
    },
  };
}
