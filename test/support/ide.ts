// One helper per IDE feature: the only code that calls the engine's IDE API in tests.
import assert from 'node:assert/strict';
import { workspaceOf } from './fixture';
import { hoverAt } from '../../server/src/engine/ide/hover';
import { definitionAt, referencesTo } from '../../server/src/engine/ide/navigation';
import type { Workspace } from '../../server/src/engine/workspace';
import { completionsAt } from '../../server/src/engine/ide/completion';

function atCursor(source: string): { ws: Workspace; uri: string; offset: number } {
  const { ws, fixture } = workspaceOf(source);
  assert.ok(fixture.cursor, 'fixture needs a $0 cursor');
  return { ws, uri: fixture.cursor.uri, offset: fixture.cursor.offset };
}

/** Asserts the hover at `$0` contains every expected fragment, and returns its markdown. */
export function checkHover(source: string, ...fragments: string[]): string {
  const { ws, uri, offset } = atCursor(source);
  const hover = hoverAt(ws, uri, offset);
  assert.ok(hover, 'expected a hover');
  for (const f of fragments) assert.ok(hover.markdown.includes(f), `hover lacks ${JSON.stringify(f)}:\n${hover.markdown}`);
  return hover.markdown;
}

/** Definition targets at `$0`, each as `uri:text-of-target-span`. */
export function definitions(source: string): string[] {
  const { ws, uri, offset } = atCursor(source);
  const at = ws.objectAt(uri, offset);
  if (!at) return [];
  return definitionAt(ws, at.object, at.path).map((t) => {
    const span = ws.locate(t);
    return `${span.uri}:${ws.text(span.uri)!.slice(span.start, span.end).split('\n')[0]}`;
  });
}

/** References to the object at `$0`, each as `uri:line` (1-based). */
export function references(source: string): string[] {
  const { ws, uri, offset } = atCursor(source);
  const at = ws.objectAt(uri, offset);
  if (!at) return [];
  return referencesTo(ws, at.object).map((t) => {
    const span = ws.locate(t);
    return `${span.uri}:${ws.lineIndex(span.uri).position(span.start).line + 1}`;
  }).sort();
}

/** Completion labels at `$0`. */
export function completionLabels(source: string): string[] {
  const { ws, uri, offset } = atCursor(source);
  return completionsAt(ws, uri, offset).map((i) => i.label);
}
