// Positions read straight from block-style YAML text, without a parse tree: where a field path's key
// and value are in one document, scanning only the lines on the way (a document's first keys for
// `metadata.name`). A hover that links thirty objects needs thirty positions in thirty files; parsing
// thirty documents for them is what made it slow.
//
// Invariant: it never guesses. It answers only along constructs it reads as the `yaml` library does:
// block mappings with plain or simply quoted keys, block sequences (items that are scalars, compact
// mappings or nested blocks), one-line plain and quoted scalars, one-line flow collections (not
// entered), block scalar headers, comments and blank lines. At anything else on the way (tabs, CR,
// anchors, aliases, tags, `?` keys, a flow collection the path enters, a scalar on the line after
// its key, empty sequence items, `--- value` lines, directives) it returns undefined and the caller
// parses the document. An end it cannot be sure of is `undefined`: a block collection's (the library
// extends it over trailing comments), a block scalar's, a multi-line scalar's.
// test/perf/block-positions.test.ts holds every answer to `locatePath` over the library's tree.
import type { FieldPath } from './parse';
import { resolvePlainScalar } from './plain-scalar';

export interface BlockSpan {
  readonly start: number;
  /** Undefined where only the `yaml` tree knows (block collections, block and multi-line scalars). */
  readonly end: number | undefined;
}

/** As `PathLocation` in source-map.ts, with ends that may be unknown. */
export interface BlockLocation {
  readonly key: BlockSpan;
  readonly value: BlockSpan;
  readonly exact: boolean;
}

/**
 * Locates `path` in the document that starts at `start` and ends at `end` (its `---` line, if any,
 * included), as `locatePath` would; undefined when unsure.
 */
export function locateInBlockText(text: string, start: number, end: number, path: FieldPath): BlockLocation | undefined {
  return inSubset(text, start, end) ? new Scanner(text, end).locate(start, path) : undefined;
}

/** The path at `offset` in the document, as `pathAtOffset` gives it (`docIndex` aside); undefined when unsure. */
export function pathAtInBlockText(text: string, start: number, end: number, offset: number): BlockPathAt | undefined {
  return inSubset(text, start, end) ? new Scanner(text, end).pathAt(start, offset) : undefined;
}

/** As `PathAtOffset` in source-map.ts, without the document index. */
export interface BlockPathAt {
  readonly path: FieldPath;
  readonly onKey: boolean;
  readonly span: { readonly start: number; readonly end: number };
}

/**
 * Each answer scans the document from its start, while a tree, once built, answers in the depth of the
 * path: longer documents (a CRD's schema) are left to the tree.
 */
const MAX_DOCUMENT_LENGTH = 16_000;

/** Tabs may separate tokens and CR ends lines: outside the subset (the scan sees spaces and LF only). */
function inSubset(text: string, start: number, end: number): boolean {
  if (end - start > MAX_DOCUMENT_LENGTH) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x09 || c === 0x0d) return false;
  }
  return true;
}

type Node =
  | { readonly kind: 'map'; readonly indent: number; readonly first: number }
  | { readonly kind: 'seq'; readonly indent: number; readonly first: number }
  /** A scalar, a flow collection or a block scalar: the path cannot go further here. */
  | { readonly kind: 'leaf'; readonly entered: 'unsure' | 'scalar' };

interface Key {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** The offset just after the `:`. */
  readonly afterColon: number;
}

interface ContentLine {
  /** Offset of the first character that is not a space. */
  readonly at: number;
  readonly column: number;
}

/** Thrown to leave the subset; caught in `locate`. */
const UNSURE = new Error('outside the block subset');

function unsure(): never {
  throw UNSURE;
}

/** `read()`, or undefined when it left the subset. */
function unlessUnsure<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (err === UNSURE) return undefined;
    throw err;
  }
}

/** Indicators that start anchors, aliases, tags, directives, reserved characters, or close a flow: outside the subset. */
const UNSUPPORTED_VALUE_STARTS = new Set('&*!%@`,]}'.split('').map((c) => c.charCodeAt(0)));

const SPACE = 0x20;
const NEWLINE = 0x0a;

class Scanner {
  constructor(
    private readonly text: string,
    private readonly limit: number,
  ) {}

  locate(start: number, path: FieldPath): BlockLocation | undefined {
    return unlessUnsure(() => this.walk(start, path));
  }

  pathAt(start: number, offset: number): BlockPathAt | undefined {
    return unlessUnsure(() => this.descend(start, offset));
  }

  /**
   * Answers only where the offset is on a key or on a scalar whose end is known: everywhere else
   * (indentation, dashes, comments, between entries) the answer is a collection's span, whose end
   * only the tree knows. The collection before a line may end on its first character (the library
   * extends a last scalar over trailing comments and indentation) and, spans being inclusive,
   * contain an offset there: unsure up to that character too.
   */
  private descend(start: number, offset: number): BlockPathAt {
    if (offset <= this.skipSpaces(this.lineStart(offset))) unsure();
    const first = this.firstContent(start);
    if (!first) unsure();
    let node = this.blockAt(first.at, first.column);
    const path: (string | number)[] = [];
    for (;;) {
      if (node.kind === 'leaf') unsure();
      let at: number | undefined = node.first;
      let index = 0;
      let found: { node: Node; span: BlockSpan } | undefined;
      while (at !== undefined && at <= offset) {
        let next = this.nextAtColumn(this.lineEnd(at) + 1, node.indent);
        // A mapping's entry runs to its next key: dashes at the mapping's column are its value's items.
        if (node.kind === 'map') while (next !== undefined && this.isDash(next)) next = this.nextAtColumn(this.lineEnd(next) + 1, node.indent);
        const inEntry = next === undefined || offset < next;
        if (node.kind === 'map' && !this.isDash(at)) {
          const k = this.key(at);
          this.checkOneLineValue(k.afterColon);
          if (inEntry) {
            if (offset < k.start) unsure();
            if (offset <= k.end) return { path: [...path, k.text], onKey: true, span: { start: k.start, end: k.end } };
            found = this.valueAfter(k.afterColon, node.indent, 'map');
            path.push(k.text);
            break;
          }
        } else if (node.kind === 'seq') {
          if (!this.isDash(at)) unsure();
          if (inEntry) {
            found = this.valueAfter(at + 1, node.indent, 'seq');
            path.push(index);
            break;
          }
          index++;
        }
        at = next;
      }
      if (!found || offset < found.span.start) unsure();
      if (found.node.kind !== 'leaf') {
        node = found.node;
        continue;
      }
      const end = found.span.end;
      if (end === undefined || found.node.entered === 'unsure' || offset > end) unsure();
      return { path, onKey: false, span: { start: found.span.start, end } };
    }
  }

  private walk(start: number, path: FieldPath): BlockLocation {
    const first = this.firstContent(start);
    if (!first) unsure();
    let node = this.blockAt(first.at, first.column);
    const root: BlockSpan = { start: first.at, end: undefined };
    let key = root;
    let value = root;
    for (const seg of path) {
      if (node.kind === 'map' && typeof seg === 'string') {
        const entry = this.findEntry(node, seg);
        if (!entry) return { key, value, exact: false };
        const found = this.valueAfter(entry.afterColon, node.indent, 'map');
        key = { start: entry.start, end: entry.end };
        value = found.span;
        node = found.node;
      } else if (node.kind === 'seq' && typeof seg === 'number') {
        const dash = this.findItem(node, seg);
        if (dash === undefined) return { key, value, exact: false };
        const found = this.valueAfter(dash + 1, node.indent, 'seq');
        key = found.span;
        value = found.span;
        node = found.node;
      } else {
        // The library would enter a flow collection; a block scalar or a type mismatch ends the path.
        if (node.kind === 'leaf' && node.entered === 'unsure') unsure();
        return { key, value, exact: false };
      }
    }
    return { key, value, exact: true };
  }

  /** The first content line from `from`: skips blank and comment lines and a bare `---` line. */
  private firstContent(from: number): ContentLine | undefined {
    for (let ls = from; ls < this.limit; ls = this.lineEnd(ls) + 1) {
      const line = this.contentOf(ls);
      if (!line || this.text.charCodeAt(line.at) === 0x23) continue;
      if (this.text.charCodeAt(line.at) === 0x25 /* % */) unsure();
      if (line.column !== 0 || !this.text.startsWith('---', line.at)) return line;
      // A marker line: `--- value` or `--- !tag` would put content on it.
      const le = this.lineEnd(ls);
      if (!this.separates(line.at + 3, le)) unsure();
      const rest = this.skipSpaces(line.at + 3);
      if (rest < le && this.text.charCodeAt(rest) !== 0x23) unsure();
    }
    return undefined;
  }

  /** The block collection whose first entry is at `at`: a sequence when it is a dash, else a mapping with a key there. */
  private blockAt(at: number, column: number): Node {
    if (this.isDash(at)) return { kind: 'seq', indent: column, first: at };
    this.key(at);
    return { kind: 'map', indent: column, first: at };
  }

  /** The first entry of `map` whose key is `seg`, or undefined when the mapping has none. */
  private findEntry(map: Extract<Node, { kind: 'map' }>, seg: string): Key | undefined {
    let at = map.first;
    for (;;) {
      if (!this.isDash(at)) {
        // A dash at the mapping's own column is an item of the previous key's sequence.
        const k = this.key(at);
        this.checkOneLineValue(k.afterColon);
        if (k.text === seg) return k;
      }
      const next = this.nextAtColumn(this.lineEnd(at) + 1, map.indent);
      if (next === undefined) return undefined;
      at = next;
    }
  }

  /** The dash of item `index` of `seq`, or undefined when it has fewer items. */
  private findItem(seq: Extract<Node, { kind: 'seq' }>, index: number): number | undefined {
    let at = seq.first;
    for (let i = 0; ; i++) {
      if (!this.isDash(at)) return undefined; // the next key of a mapping at the same column
      if (i === index) return at;
      const next = this.nextAtColumn(this.lineEnd(at) + 1, seq.indent);
      if (next === undefined) return undefined;
      at = next;
    }
  }

  /**
   * The next content line at `column`, skipping lines indented deeper (inside the current entry);
   * undefined at a line indented less, or at the end.
   */
  private nextAtColumn(from: number, column: number): number | undefined {
    let ls = from;
    while (ls < this.limit) {
      const line = this.contentOf(ls);
      if (line && this.text.charCodeAt(line.at) !== 0x23) {
        if (line.column < column) return undefined;
        if (line.column === 0 && (this.text.startsWith('---', line.at) || this.text.startsWith('...', line.at))) return undefined;
        if (line.column === column) return line.at;
      }
      ls = this.lineEnd(ls) + 1;
    }
    return undefined;
  }

  /**
   * The value after a key's colon or an item's dash at `from`, in a collection at column `owner`.
   * A value on the same line is a scalar or flow collection (or, in an item, a compact mapping);
   * none means a nested block on the following lines, or an empty scalar right where the line's
   * content ends.
   */
  private valueAfter(from: number, owner: number, within: 'map' | 'seq'): { node: Node; span: BlockSpan } {
    const at = this.skipSpaces(from);
    const le = this.lineEnd(from);
    const c = at < le ? this.text.charCodeAt(at) : NEWLINE;
    if (c === NEWLINE || c === 0x23 /* # */) {
      const next = this.nextContent(le + 1);
      const nested = next !== undefined && (next.column > owner || (within === 'map' && next.column === owner && this.isDash(next.at)));
      if (nested) {
        if (this.isDash(next.at)) return { node: { kind: 'seq', indent: next.column, first: next.at }, span: { start: next.at, end: undefined } };
        if (!this.hasKey(next.at)) unsure(); // a scalar on the line after its key
        return { node: { kind: 'map', indent: next.column, first: next.at }, span: { start: next.at, end: undefined } };
      }
      if (within === 'seq') unsure(); // an empty item
      return { node: { kind: 'leaf', entered: 'scalar' }, span: { start: at, end: at } };
    }
    switch (c) {
      case 0x7c /* | */:
      case 0x3e /* > */:
        return { node: { kind: 'leaf', entered: 'scalar' }, span: { start: at, end: undefined } };
      case 0x7b /* { */:
      case 0x5b /* [ */:
        return { node: { kind: 'leaf', entered: 'unsure' }, span: { start: at, end: this.flowEnd(at, le) } };
      case 0x22 /* " */:
      case 0x27 /* ' */: {
        const close = this.quoteEnd(at, le);
        if (close !== undefined) this.expectLineEnd(close, le);
        return { node: { kind: 'leaf', entered: 'scalar' }, span: { start: at, end: close } };
      }
    }
    if (UNSUPPORTED_VALUE_STARTS.has(c)) unsure();
    if ((c === 0x2d /* - */ || c === 0x3f /* ? */ || c === 0x3a /* : */) && (at + 1 >= le || this.text.charCodeAt(at + 1) === SPACE)) unsure();
    if (within === 'seq' && this.hasKey(at)) {
      const column = at - this.lineStart(at);
      return { node: { kind: 'map', indent: column, first: at }, span: { start: at, end: undefined } };
    }
    const plainEnd = this.plainEnd(at, le);
    // A value on following lines indented deeper continues this one (a multi-line plain scalar).
    const next = this.nextNonBlank(le + 1);
    const continues = next !== undefined && next.column > owner && this.text.charCodeAt(next.at) !== 0x23;
    return { node: { kind: 'leaf', entered: 'scalar' }, span: { start: at, end: continues ? undefined : plainEnd } };
  }

  /** A mapping key at `at`: plain (resolved as the library resolves it) or quoted without escapes. */
  private key(at: number): Key {
    const le = this.lineEnd(at);
    const c = this.text.charCodeAt(at);
    let end: number;
    let text: string;
    if (c === 0x22 || c === 0x27) {
      const close = this.quoteEnd(at, le);
      if (close === undefined) unsure();
      const inner = this.text.slice(at + 1, close - 1);
      if (c === 0x22 && inner.includes('\\')) unsure();
      text = c === 0x27 ? inner.replaceAll("''", "'") : inner;
      end = close;
      const colon = this.skipSpaces(close);
      if (this.text.charCodeAt(colon) !== 0x3a || !this.separates(colon + 1, le)) unsure();
      return { start: at, end, text, afterColon: colon + 1 };
    }
    if ('-?:,[]{}#&*!|>%@`'.includes(this.text[at] ?? '')) unsure();
    for (let i = at; i < le; i++) {
      const ch = this.text.charCodeAt(i);
      if (ch === 0x23 && this.text.charCodeAt(i - 1) === SPACE) unsure(); // a comment before any colon
      if (ch === 0x3a && this.separates(i + 1, le)) {
        let last = i;
        while (last > at && this.text.charCodeAt(last - 1) === SPACE) last--;
        text = String(resolvePlainScalar(this.text.slice(at, last)));
        return { start: at, end: last, text, afterColon: i + 1 };
      }
    }
    return unsure();
  }

  /** Whether a mapping key starts at `at` (the line reads `key: ...` or `key:`). */
  private hasKey(at: number): boolean {
    return unlessUnsure(() => this.key(at)) !== undefined;
  }

  /**
   * Entries skipped on the way must not hide lines: a quoted scalar or flow collection that goes on
   * past its line could hold text that looks like a key at the mapping's column.
   */
  private checkOneLineValue(afterColon: number): void {
    const le = this.lineEnd(afterColon);
    const at = this.skipSpaces(afterColon);
    if (at >= le) return;
    const c = this.text.charCodeAt(at);
    if (c === 0x22 || c === 0x27) {
      if (this.quoteEnd(at, le) === undefined) unsure();
    } else if (c === 0x7b || c === 0x5b) {
      if (this.flowEnd(at, le) === undefined) unsure();
    }
  }

  /** After a closing quote only spaces and a comment may follow on the line. */
  private expectLineEnd(from: number, le: number): void {
    const at = this.skipSpaces(from);
    if (at < le && this.text.charCodeAt(at) !== 0x23) unsure();
  }

  /** One past the closing quote of the scalar opening at `at`, or undefined when it goes on past the line. */
  private quoteEnd(at: number, le: number): number | undefined {
    const q = this.text.charCodeAt(at);
    for (let i = at + 1; i < le; i++) {
      const ch = this.text.charCodeAt(i);
      if (q === 0x22 && ch === 0x5c /* \ */) {
        i++;
        continue;
      }
      if (ch !== q) continue;
      if (q === 0x27 && this.text.charCodeAt(i + 1) === 0x27) {
        i++;
        continue;
      }
      return i + 1;
    }
    return undefined;
  }

  /** One past the bracket closing the flow collection at `at` on its line (quotes respected), or undefined. */
  private flowEnd(at: number, le: number): number | undefined {
    let depth = 0;
    for (let i = at; i < le; i++) {
      const ch = this.text.charCodeAt(i);
      if (ch === 0x22 || ch === 0x27) {
        const close = this.quoteEnd(i, le);
        if (close === undefined) return undefined;
        i = close - 1;
      } else if (ch === 0x7b || ch === 0x5b) {
        depth++;
      } else if (ch === 0x7d || ch === 0x5d) {
        depth--;
        if (depth === 0) {
          this.expectLineEnd(i + 1, le);
          return i + 1;
        }
      } else if (ch === 0x23 && this.text.charCodeAt(i - 1) === SPACE) {
        return undefined;
      }
    }
    return undefined;
  }

  /** The end of a plain scalar: before a comment (` #`) or the line end, trailing spaces dropped. */
  private plainEnd(at: number, le: number): number {
    let end = le;
    for (let i = at; i < le; i++) {
      const ch = this.text.charCodeAt(i);
      if (ch === 0x23 && this.text.charCodeAt(i - 1) === SPACE) {
        end = i;
        break;
      }
      // `key: a: b` is an error in a block mapping; the library's recovery is not ours to guess.
      if (ch === 0x3a && this.separates(i + 1, le)) unsure();
    }
    while (end > at && this.text.charCodeAt(end - 1) === SPACE) end--;
    return end;
  }

  /** The next line with content (comments count as content), or undefined at the end. */
  private nextNonBlank(from: number): ContentLine | undefined {
    for (let ls = from; ls < this.limit; ls = this.lineEnd(ls) + 1) {
      const line = this.contentOf(ls);
      if (line) return line;
    }
    return undefined;
  }

  /** The next line with content that is not a comment, or undefined at the end or at a document marker. */
  private nextContent(from: number): ContentLine | undefined {
    for (let ls = from; ls < this.limit; ls = this.lineEnd(ls) + 1) {
      const line = this.contentOf(ls);
      if (!line || this.text.charCodeAt(line.at) === 0x23) continue;
      if (line.column === 0 && (this.text.startsWith('---', line.at) || this.text.startsWith('...', line.at))) return undefined;
      return line;
    }
    return undefined;
  }

  /** The first non-space character of the line starting at `ls`, or undefined for a blank line. */
  private contentOf(ls: number): ContentLine | undefined {
    const le = this.lineEnd(ls);
    for (let i = ls; i < le; i++) if (this.text.charCodeAt(i) !== SPACE) return { at: i, column: i - ls };
    return undefined;
  }

  private isDash(at: number): boolean {
    return this.text.charCodeAt(at) === 0x2d && this.separates(at + 1, this.lineEnd(at));
  }

  /** Whether `at` is a space or the line end (what must follow a `:` or `-` indicator). */
  private separates(at: number, le: number): boolean {
    return at >= le || this.text.charCodeAt(at) === SPACE;
  }

  private skipSpaces(at: number): number {
    while (this.text.charCodeAt(at) === SPACE) at++;
    return at;
  }

  private lineEnd(at: number): number {
    const nl = this.text.indexOf('\n', at);
    return nl < 0 ? this.text.length : nl;
  }

  private lineStart(at: number): number {
    return this.text.lastIndexOf('\n', at - 1) + 1;
  }
}
