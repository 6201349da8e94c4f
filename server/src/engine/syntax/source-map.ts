// Field path <-> source range, re-derived on demand from the text: the model keeps plain values only,
// and a parse tree exists just for the files whose positions are asked for (a small LRU cache).
//
// Paths are relative to a document's root value, e.g. ['spec', 'ports', 1, 'targetPort'].
import { isMap, isSeq, isScalar, isPair, isAlias, type Document, type Node, type Pair } from 'yaml';
import { parseYamlDocuments, maxNesting, DEFAULT_LIMITS, type FieldPath, type ParseLimits } from './parse';

export interface SourceSpan {
  readonly start: number;
  readonly end: number;
}

/** Where a path points: the value node, its key, and whether the whole path exists in the source. */
export interface PathLocation {
  /** The value's span (or the key's when the value is empty). */
  readonly value: SourceSpan;
  /** The key's span for a map entry; equals `value` for sequence items and the root. */
  readonly key: SourceSpan;
  /** False when only a prefix of the path exists: the spans then point at the deepest existing node. */
  readonly exact: boolean;
}

export interface PathAtOffset {
  readonly docIndex: number;
  readonly path: FieldPath;
  /** True when the offset is on a map key rather than its value. */
  readonly onKey: boolean;
  /** Span of the node the offset is in. */
  readonly span: SourceSpan;
}

/** A bounded cache of parse trees keyed by uri, valid while the text is the same string. */
export class TreeCache {
  private readonly entries = new Map<string, { text: string; docs: Document.Parsed[] }>();

  constructor(
    private readonly capacity = 32,
    private readonly limits: ParseLimits = DEFAULT_LIMITS,
  ) {}

  documents(uri: string, text: string): readonly Document.Parsed[] {
    const hit = this.entries.get(uri);
    if (hit && hit.text === text) {
      this.entries.delete(uri);
      this.entries.set(uri, hit);
      return hit.docs;
    }
    let docs: Document.Parsed[] = [];
    try {
      // Files the analysis refuses (too large or too deeply nested) get no tree either: a hover
      // there must not do the work the limits exist to avoid.
      if (text.length > this.limits.maxFileSize || maxNesting(text) > this.limits.maxDepth) throw new Error('over the limits');
      docs = [...parseYamlDocuments(text, this.limits).docs];
    } catch {
      docs = [];
    }
    this.entries.delete(uri);
    this.entries.set(uri, { text, docs });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return docs;
  }

  forget(uri: string): void {
    this.entries.delete(uri);
  }
}

/** Locates `path` in document `docIndex`. Undefined only when the document itself does not exist. */
export function locatePath(docs: readonly Document.Parsed[], docIndex: number, path: FieldPath): PathLocation | undefined {
  const doc = docs[docIndex];
  if (!doc) return undefined;
  const root = doc.contents as Node | null;
  const docSpan = spanOf(root) ?? { start: doc.range[0], end: Math.max(doc.range[0], doc.range[1]) };
  let node: Node | null = root;
  let key: SourceSpan = docSpan;
  let value: SourceSpan = docSpan;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (node && isAlias(node)) node = node.resolve(doc) ?? null;
    let next: Node | null | undefined;
    let nextKey: SourceSpan | undefined;
    if (node && isMap(node) && typeof seg === 'string') {
      const pair = node.items.find((p) => scalarKey(p) === seg);
      if (pair) {
        nextKey = spanOf(pair.key as Node) ?? value;
        next = (pair.value as Node | null) ?? null;
        if (!next) return { key: nextKey, value: nextKey, exact: i === path.length - 1 };
      }
    } else if (node && isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (item) {
        next = item;
        nextKey = spanOf(item) ?? value;
      }
    }
    if (!next || !nextKey) return { key, value, exact: false };
    node = next;
    key = nextKey;
    value = spanOf(next) ?? nextKey;
  }
  return { key, value, exact: true };
}

/** The field path at `offset` (deepest node containing it), or undefined outside every document. */
export function pathAtOffset(docs: readonly Document.Parsed[], offset: number): PathAtOffset | undefined {
  for (let d = 0; d < docs.length; d++) {
    const doc = docs[d];
    const [start, , end] = doc.range;
    if (offset < start || offset > end) continue;
    const root = doc.contents as Node | null;
    if (!root) return { docIndex: d, path: [], onKey: false, span: { start, end } };
    const path: (string | number)[] = [];
    let node: Node = root;
    let onKey = false;
    let span = spanOf(root) ?? { start, end };
    for (;;) {
      let descended = false;
      if (isMap(node)) {
        for (const pair of node.items as Pair<Node, Node | null>[]) {
          const k = spanOf(pair.key);
          const v = pair.value ? spanOf(pair.value) : undefined;
          const name = scalarKey(pair);
          if (name === undefined) continue;
          if (k && offset >= k.start && offset <= k.end) {
            path.push(name);
            return { docIndex: d, path, onKey: true, span: k };
          }
          if (v && offset >= v.start && offset <= v.end && pair.value) {
            path.push(name);
            node = pair.value;
            span = v;
            descended = true;
            break;
          }
        }
      } else if (isSeq(node)) {
        for (let i = 0; i < node.items.length; i++) {
          const item = node.items[i] as Node;
          const s = spanOf(item);
          if (s && offset >= s.start && offset <= s.end) {
            path.push(i);
            node = item;
            span = s;
            descended = true;
            break;
          }
        }
      }
      if (!descended) return { docIndex: d, path, onKey, span };
      onKey = false;
    }
  }
  return undefined;
}

function scalarKey(pair: Pair): string | undefined {
  const k = pair.key as Node | null;
  if (k && isScalar(k)) return String(k.value);
  if (isPair(k)) return undefined;
  return undefined;
}

function spanOf(node: Node | null | undefined): SourceSpan | undefined {
  if (!node || !node.range) return undefined;
  return { start: node.range[0], end: node.range[1] };
}
