// Turns a check's path-addressed fix edits into text edits, matching the surrounding YAML style
// (block or flow mapping, indentation of sibling keys).
import type { FixEdit } from './types';
import type { K8sObject } from '../model/object';
import type { FieldPath } from '../syntax/parse';
import type { ResolvedEdit, Workspace } from '../workspace';

export function resolveEdit(ws: Workspace, edit: FixEdit): ResolvedEdit | undefined {
  switch (edit.kind) {
    case 'replace-value': {
      const span = ws.locate({ ...edit.place, target: 'value' });
      return { ...span, newText: edit.text };
    }
    case 'append-document': {
      const text = ws.text(edit.object.uri) ?? '';
      const end = text.length;
      const sep = text.endsWith('\n') || text === '' ? '' : '\n';
      return { uri: edit.object.uri, start: end, end, newText: `${sep}---\n${edit.text.endsWith('\n') ? edit.text : edit.text + '\n'}` };
    }
    case 'set-field':
      return setField(ws, edit);
  }
}

function setField(ws: Workspace, edit: Extract<FixEdit, { kind: 'set-field' }>): ResolvedEdit | undefined {
  const { place, key, text: valueText } = edit;
  const text = ws.text(place.object.uri) ?? '';
  const target = ws.locate({ ...place, target: 'value' });
  const exists = place.path.length === 0 || pathExists(ws, place);
  if (exists) return insertInto(text, target.uri, target.start, target.end, `${key}: ${valueText}`);
  // The mapping itself is missing: create it under its parent.
  const parentPlace = { ...place, path: place.path.slice(0, -1) };
  const last = place.path[place.path.length - 1];
  if (!pathExists(ws, parentPlace) || typeof last !== 'string') return undefined;
  const parent = ws.locate({ ...parentPlace, target: 'value' });
  const indent = columnOf(text, parent.start);
  const inner = ' '.repeat(indent + 2);
  if (text[parent.start] === '{') return insertInto(text, parent.uri, parent.start, parent.end, `${last}: {${key}: ${valueText}}`);
  // Insert after the parent's last value, before its trailing line break, so the file keeps its final newline.
  let at = parent.end;
  while (at > parent.start && /\s/.test(text[at - 1])) at--;
  return { uri: parent.uri, start: at, end: at, newText: `\n${' '.repeat(indent)}${last}:\n${inner}${key}: ${valueText}` };
}

/** Inserts `entry` into the mapping spanning [start, end). */
function insertInto(text: string, uri: string, start: number, end: number, entry: string): ResolvedEdit {
  if (text[start] === '{') {
    const close = text.lastIndexOf('}', end - 1);
    const empty = text.slice(start + 1, close).trim() === '';
    return { uri, start: close, end: close, newText: empty ? entry : `, ${entry}` };
  }
  const indent = columnOf(text, start);
  // Insert after the mapping's last value (trailing spaces excluded).
  let at = end;
  while (at > start && /\s/.test(text[at - 1])) at--;
  return { uri, start: at, end: at, newText: `\n${' '.repeat(indent)}${entry}` };
}

function columnOf(text: string, offset: number): number {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return offset - lineStart;
}

function pathExists(_ws: Workspace, place: { object: K8sObject; path: FieldPath }): boolean {
  let cur: unknown = place.object.raw;
  for (const seg of place.path) {
    if (cur === null || typeof cur !== 'object') return false;
    cur = (cur as Record<string | number, unknown>)[seg];
    if (cur === undefined) return false;
  }

  return cur !== null && typeof cur === 'object';
}
