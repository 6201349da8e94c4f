// Renders a field's documentation as the Markdown card `kubectl explain` users recognise:
// GROUP/KIND/VERSION, `FIELD: name <type>`, the description, then the enum values.
//
// The description is upstream's text; only Markdown syntax characters are escaped and line
// breaks kept, so it reads as kubectl prints it. Its "Possible enum values" section is rendered
// from the extracted enum list (once) rather than as raw text.
import type { FieldDoc } from './schema';

const enumHeading = '\n\nPossible enum values:\n';

export function explainCard(apiVersion: string, kind: string, doc: FieldDoc): string {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const lines: string[] = [];
  lines.push(`**GROUP:** ${escapeMarkdown(group || '(core)')} · **KIND:** ${escapeMarkdown(kind)} · **VERSION:** ${escapeMarkdown(version)}`, '');
  if (doc.path === '') {
    lines.push(`**KIND:** ${escapeMarkdown(doc.field)}`);
  } else {
    lines.push(`**FIELD:** ${escapeMarkdown(doc.field)} ${escapeMarkdown(`<${doc.type}>`)}${doc.required ? ' (required)' : ''}`);
  }
  const description = withoutEnumSection(doc.description);
  if (description !== '') lines.push('', '**DESCRIPTION:**', '', paragraphs(description));
  if (doc.enum && doc.enum.length > 0) {
    lines.push('', '**ENUM:**', '');
    for (const e of doc.enum) lines.push(`- \`${JSON.stringify(e.value)}\`${e.meaning ? ' ' + escapeMarkdown(e.meaning) : ''}`);
  }
  return lines.join('\n');
}

function withoutEnumSection(text: string): string {
  const at = text.indexOf(enumHeading);
  return at < 0 ? text : text.slice(0, at);
}

/** Keeps upstream's line structure: blank lines separate paragraphs, single newlines break lines,
 *  leading indentation survives (instead of turning into a code block). */
function paragraphs(text: string): string {
  return text
    .split('\n\n')
    .map((para) =>
      para
        .split('\n')
        .map((line) => {
          const indent = /^ */.exec(line)![0].length;
          return '&nbsp;'.repeat(indent) + escapeMarkdown(line.slice(indent));
        })
        .join('  \n'),
    )
    .join('\n\n');
}

/** Escapes the characters Markdown would read as syntax or HTML; backtick code spans are kept. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\*_<>[\]#|~]/g, (c) => '\\' + c);
}
