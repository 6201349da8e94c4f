// Document symbols (the outline: one `Kind/name` per object) and workspace symbols (any object by name).
import type { Workspace, Span } from '../workspace';
import type { K8sObject } from '../model/object';

export interface ObjectSymbol {
  readonly name: string;
  readonly kind: string;
  readonly namespace: string;
  /** The whole object. */
  readonly range: Span;
  /** Its `metadata.name`. */
  readonly selection: Span;
}

export function documentSymbols(ws: Workspace, uri: string): ObjectSymbol[] {
  return ws.objectsIn(uri).map((o) => symbolOf(ws, o));
}

/** Objects whose name contains every character of `query` in order (as editors fuzzy-match), at most `limit`. */
export function workspaceSymbols(ws: Workspace, query: string, limit = 200): ObjectSymbol[] {
  const q = query.toLowerCase();
  const out: ObjectSymbol[] = [];
  for (const o of ws.objects()) {
    if (!fuzzy(`${o.kind}/${o.name}`.toLowerCase(), q)) continue;
    out.push(symbolOf(ws, o));
    if (out.length >= limit) break;
  }
  return out;
}

function symbolOf(ws: Workspace, o: K8sObject): ObjectSymbol {
  const whole = ws.locate({ object: o, path: [], target: 'value' });
  const name = ws.locate({ object: o, path: ['metadata', 'name'], target: 'value' });
  return { name: `${o.kind}/${o.name}`, kind: o.kind, namespace: o.namespace, range: whole, selection: name.start >= whole.start && name.end <= whole.end ? name : whole };
}

function fuzzy(text: string, query: string): boolean {
  let i = 0;
  for (const c of text) if (c === query[i]) i++;
  return i === query.length;
}
