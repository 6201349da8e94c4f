// Field path <-> source range, re-derived on demand from the text: the model keeps plain values only,
// and a parse tree exists just for the files whose positions are asked for (a small LRU cache).
// In a file the direct reader reads (no directives, no errors), one document is parsed alone, its
// ranges then moved by its offset: a position in a 25-document file costs a twenty-fifth of a
// whole-file parse.
//
// Paths are relative to a document's root value, e.g. ['spec', 'ports', 1, 'targetPort'].
import { isMap, isSeq, isScalar, isPair, isAlias, isNode, visit, type Document, type Node, type Pair } from 'yaml';
import { parseYamlDocuments, maxNesting, DEFAULT_LIMITS, type FieldPath, type ParseLimits } from './parse';
import { readDirect } from './direct-reader';

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

  /**
   * The tree of document `docIndex` alone. For files the direct reader reads, that document's text
   * is parsed with everything before it blanked (offsets kept); for others it comes from the whole
   * file's trees.
   */
  document(uri: string, text: string, docIndex: number): Document.Parsed | undefined {
    const whole = this.entries.get(uri);
    if (whole && whole.text === text) return whole.docs[docIndex];
    const ranges = this.documentRanges(uri, text);
    const range = ranges?.[docIndex];
    if (!range) return ranges ? undefined : this.documents(uri, text)[docIndex];
    const key = `${docIndex}#${uri}`;
    const hit = this.single.get(key);
    if (hit && hit.text === text) {
      this.single.delete(key);
      this.single.set(key, hit);
      return hit.doc;
    }
    let doc: Document.Parsed | undefined;
    try {
      // The document's text alone (it starts at a line start, so columns are unchanged), then every
      // range moved by its offset: blanking the text before it instead made a late document cost
      // a scan of the whole file.
      const docs = parseYamlDocuments(text.slice(range.start, range.end), this.limits).docs;
      doc = docs.length === 1 ? shiftRanges(docs[0], range.start) : undefined;
    } catch {
      doc = undefined;
    }
    if (!doc) return this.documents(uri, text)[docIndex];
    this.single.set(key, { text, doc });
    while (this.single.size > this.capacity * 8) this.single.delete(this.single.keys().next().value as string);
    return doc;
  }

  /** Document offsets of a file the direct reader reads; undefined for the others. */
  private documentRanges(uri: string, text: string): ReadonlyArray<{ start: number; end: number }> | undefined {
    const hit = this.layouts.get(uri);
    if (hit && hit.text === text) return hit.ranges;
    const ranges = text.length > this.limits.maxFileSize ? undefined : readDirect(text)?.map((d) => ({ start: d.start, end: d.end }));
    this.layouts.delete(uri);
    this.layouts.set(uri, { text, ranges });
    while (this.layouts.size > this.capacity * 32) this.layouts.delete(this.layouts.keys().next().value as string);
    return ranges;
  }

  private readonly single = new Map<string, { text: string; doc: Document.Parsed }>();
  private readonly layouts = new Map<string, { text: string; ranges: ReadonlyArray<{ start: number; end: number }> | undefined }>();

  forget(uri: string): void {
    this.entries.delete(uri);
    this.layouts.delete(uri);
    for (const key of this.single.keys()) if (key.endsWith(`#${uri}`)) this.single.delete(key);
  }
}

/** Moves every range of a document parsed from a slice of the text by the slice's offset. */
function shiftRanges(doc: Document.Parsed, offset: number): Document.Parsed {
  if (offset === 0) return doc;
  const shift = (range: [number, number, number] | null | undefined) => {
    if (range) for (let i = 0; i < range.length; i++) range[i] += offset;
  };
  shift(doc.range);
  visit(doc, (_key, node) => {
    if (isNode(node)) shift(node.range);
  });
  return doc;
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
