// A direct reader for the YAML that manifests are almost always written in: block mappings and
// sequences, single-line plain and quoted scalars, one-line flow collections, literal and folded
// block scalars, comments, `---` separators. It builds the plain values straight from the text,
// with no parse tree, at a fraction of the cost of the full parser.
//
// Invariant: it never guesses. At the first construct outside that subset (anchors, aliases, tags,
// `?` keys, merge keys, directives, `...`, multi-line plain, quoted or flow scalars, uncommon
// escapes, tabs, CR line ends, control characters, duplicate keys, a document that is not a
// mapping, indentation the full parser would reject) it gives up on the whole file, and
// `parse.ts` reads that file with the `yaml` library instead. So whenever it answers, the answer
// (values, document ranges, and no problems) is the one the library would give; the equivalence
// test in test/perf holds it to that on generated, corpus and random input.
import type { ParsedDocument } from './parse';
import { resolvePlainScalar } from './plain-scalar';

/** The documents of `text`, or undefined when the text needs the full parser. Never throws. */
export function readDirect(text: string): ParsedDocument[] | undefined {
  if (UNSUPPORTED_CHARACTERS.test(text)) return undefined;
  try {
    return new Reader(text).documents();
  } catch {
    // Outside the subset (or an unexpected shape): the full parser reads the file.
    return undefined;
  }
}

/** Tabs, CR, other control characters, YAML 1.1 line breaks, BOM and non-characters. */
const UNSUPPORTED_CHARACTERS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;

const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/** Thrown to leave the subset; caught in `readDirect`. */
const OUTSIDE = new Error('outside the directly read subset');

function outside(): never {
  throw OUTSIDE;
}

class Reader {
  private readonly n: number;
  /** The current line: its start, end (the newline or the text end), indentation, first non-space. */
  private ls = 0;
  private le = 0;
  private ind = 0;
  private cs = 0;
  /**
   * For the library's document ranges: the end of the line of the last leaf when it is an empty
   * value (-1 otherwise), and whether a comment came after the last leaf. A document that ends in
   * an empty value without a comment after it ends right there, not at the next `---`.
   */
  private emptyLeafEnd = -1;
  private commentAfterLeaf = false;

  constructor(private readonly text: string) {
    this.n = text.length;
    this.load(0);
  }

  documents(): ParsedDocument[] {
    const docs: ParsedDocument[] = [];
    let marker = -1; // start of a `---` line not yet followed by content
    let markerEnd = -1;
    // An empty document ends with its marker line, or where the next one starts if it has comments.
    const emptyDocument = () => {
      const end = this.commentAfterLeaf ? (this.eof() ? this.n : this.ls) : markerEnd;
      docs.push({ index: docs.length, start: marker, end, value: undefined, hasErrors: false });
    };
    for (;;) {
      this.skipBlankAndComments();
      if (this.eof()) break;
      if (this.isMarker()) {
        if (marker !== -1) emptyDocument();
        if (this.skipSpaces(this.ls + 3) !== this.le) outside(); // content or a comment after `---`
        marker = this.ls;
        markerEnd = this.le;
        this.commentAfterLeaf = false;
        this.next();
        continue;
      }
      this.checkNotMarkerLike();
      const start = marker !== -1 ? marker : this.ls;
      marker = -1;
      this.emptyLeafEnd = -1;
      const value = this.blockNode(-1);
      if (!isMapping(value)) outside(); // a stray scalar or sequence document: the full parser reports it
      this.skipBlankAndComments();
      if (!this.eof() && !this.isMarker()) outside(); // content less indented than the document's root
      const end = this.emptyLeafEnd !== -1 && !this.commentAfterLeaf ? this.emptyLeafEnd : this.eof() ? this.n : this.ls;
      docs.push({ index: docs.length, start, end, value, hasErrors: false });
      this.commentAfterLeaf = false;
    }
    if (marker !== -1) emptyDocument();
    return docs;
  }

  // --- lines ------------------------------------------------------------------------------------

  private load(start: number): void {
    const text = this.text;
    this.ls = start;
    if (start >= this.n) {
      this.le = this.n;
      this.cs = this.n;
      this.ind = 0;
      return;
    }
    let end = text.indexOf('\n', start);
    if (end === -1) end = this.n;
    let i = start;
    while (i < end && text.charCodeAt(i) === SPACE) i++;
    this.le = end;
    this.cs = i;
    this.ind = i - start;
  }

  private next(): void {
    this.load(this.le + 1);
  }

  private eof(): boolean {
    return this.ls >= this.n;
  }

  private skipBlankAndComments(): void {
    while (!this.eof() && (this.cs === this.le || this.text.charCodeAt(this.cs) === HASH)) {
      if (this.cs !== this.le) this.commentAfterLeaf = true;
      this.next();
    }
  }

  /** Records a leaf for document ranges: an empty value ends at its line's end. */
  private leaf(empty: boolean, hasComment: boolean): void {
    this.emptyLeafEnd = empty ? this.le : -1;
    this.commentAfterLeaf = hasComment;
  }

  /** `---` alone at the start of a line (a trailing comment is checked by the caller). */
  private isMarker(): boolean {
    const t = this.text;
    const s = this.ls;
    return this.ind === 0 && t.startsWith('---', s) && (s + 3 === this.le || t.charCodeAt(s + 3) === SPACE);
  }

  /** Lines starting with `---`/`...` that are not plain separators, and directives: full parser. */
  private checkNotMarkerLike(): void {
    if (this.ind !== 0) return;
    const t = this.text;
    const s = this.ls;
    if (t.startsWith('---', s) || t.startsWith('...', s) || t.charCodeAt(s) === 0x25 /* % */) outside();
  }

  /** After a node: the next significant line, which may not be more indented than `col`. */
  private endOfNode(col: number): void {
    this.next();
    this.skipBlankAndComments();
    if (!this.eof() && this.ind > col) outside(); // a continuation line or bad indentation
  }

  // --- block nodes ------------------------------------------------------------------------------

  /** The block node starting on the current (content) line, which is more indented than `parent`. */
  private blockNode(parent: number): unknown {
    if (this.ind <= parent) outside();
    this.checkNotMarkerLike();
    const p = this.cs;
    if (this.isSequenceIndicator(p)) return this.sequence(this.ind, p);
    const colon = this.keyColon(p);
    if (colon === -1) outside(); // a scalar on a line of its own
    return this.mapping(this.ind, p, colon);
  }

  private isSequenceIndicator(p: number): boolean {
    return this.text.charCodeAt(p) === DASH && (p + 1 === this.le || this.text.charCodeAt(p + 1) === SPACE);
  }

  /** A block mapping whose keys are at column `col`; the first key starts at `p`, its colon at `colon`. */
  private mapping(col: number, p: number, colon: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    for (;;) {
      const key = this.keyText(p, colon);
      const value = this.entryValue(col, colon + 1);
      if (key in obj) outside(); // a duplicate key (an error) or an Object.prototype name
      obj[key] = value;
      if (this.eof() || this.ind < col || this.isMarker()) return obj;
      if (this.ind > col) outside();
      p = this.cs;
      if (this.isSequenceIndicator(p)) outside(); // a sequence where a key is expected
      this.checkNotMarkerLike();
      colon = this.keyColon(p);
      if (colon === -1) outside();
    }
  }

  /** A block sequence whose `-` indicators are at column `col`; the first is at `p`. */
  private sequence(col: number, p: number): unknown[] {
    const arr: unknown[] = [];
    const t = this.text;
    for (;;) {
      let r = p + 1;
      while (r < this.le && t.charCodeAt(r) === SPACE) r++;
      if (r === this.le || (t.charCodeAt(r) === HASH && r > p + 1)) {
        this.leaf(true, r !== this.le);
        this.next();
        this.skipBlankAndComments();
        arr.push(!this.eof() && this.ind > col && !this.isMarker() ? this.blockNode(col) : null);
      } else if (this.isSequenceIndicator(r)) {
        outside(); // `- - x`
      } else {
        const colon = this.keyColon(r);
        arr.push(colon === -1 ? this.inlineValue(col, r) : this.mapping(r - this.ls, r, colon));
      }
      if (this.eof() || this.ind < col || this.isMarker()) return arr;
      if (this.ind > col) outside();
      p = this.cs;
      // A line at the same column that is not an item ends a sequence that is a mapping's value.
      if (!this.isSequenceIndicator(p)) return arr;
    }
  }

  /** The value of a mapping entry whose key is at column `col`; `p` is just after the colon. */
  private entryValue(col: number, p: number): unknown {
    const t = this.text;
    while (p < this.le && t.charCodeAt(p) === SPACE) p++;
    if (p < this.le && t.charCodeAt(p) !== HASH) return this.inlineValue(col, p);
    // Nothing after the colon: a nested block, a sequence at the key's own column, or null.
    this.leaf(true, p < this.le);
    this.next();
    this.skipBlankAndComments();
    if (this.eof() || this.isMarker()) return null;
    if (this.ind > col) return this.blockNode(col);
    if (this.ind === col && this.isSequenceIndicator(this.cs)) return this.sequence(col, this.cs);
    return null;
  }

  /**
   * The scalar or flow collection starting at `p` on the current line, in a node whose column is
   * `col`; moves to the next significant line, which may not be more indented than `col`.
   */
  private inlineValue(col: number, p: number): unknown {
    const t = this.text;
    const c = t.charCodeAt(p);
    let value: unknown;
    let end: number;
    this.leaf(false, false);
    switch (c) {
      case DQUOTE:
        [value, end] = this.doubleQuoted(p);
        break;
      case SQUOTE:
        [value, end] = this.singleQuoted(p);
        break;
      case 0x5b /* [ */:
      case 0x7b /* { */:
        [value, end] = this.flow(p);
        break;
      case 0x7c /* | */:
      case 0x3e /* > */:
        return this.blockScalar(col, p);
      case 0x26 /* & */:
      case 0x2a /* * */:
      case 0x21 /* ! */:
      case 0x25 /* % */:
      case 0x40 /* @ */:
      case 0x60 /* ` */:
      case 0x3f /* ? */:
      case 0x2c /* , */:
      case 0x5d /* ] */:
      case 0x7d /* } */:
      case HASH:
        outside();
      // falls through (never reached)
      default: {
        if ((c === DASH || c === COLON) && (p + 1 === this.le || t.charCodeAt(p + 1) === SPACE)) outside();
        const raw = this.plainText(p);
        if (raw === '<<') outside();
        this.endOfNode(col);
        return resolvePlainScalar(raw);
      }
    }
    this.expectLineEnd(end);
    this.endOfNode(col);
    return value;
  }

  /** After a quoted scalar or flow collection: only spaces and a comment may follow on the line. */
  private expectLineEnd(p: number): void {
    const t = this.text;
    let q = p;
    while (q < this.le && t.charCodeAt(q) === SPACE) q++;
    if (q === this.le) return;
    if (t.charCodeAt(q) !== HASH || q === p) outside();
  }

  /** A single-line plain scalar in block context starting at `p`, up to a comment or the line end. */
  private plainText(p: number): string {
    const t = this.text;
    const le = this.le;
    let end = le;
    for (let i = p + 1; i < le; i++) {
      const c = t.charCodeAt(i);
      if (c === HASH && t.charCodeAt(i - 1) === SPACE) {
        end = i;
        break;
      }
      if (c === COLON && (i + 1 === le || t.charCodeAt(i + 1) === SPACE)) outside(); // `a: b: c`
    }
    while (end > p && t.charCodeAt(end - 1) === SPACE) end--;
    return t.slice(p, end);
  }

  // --- keys -------------------------------------------------------------------------------------

  /** The colon ending a simple key that starts at `p` on the current line, or -1 when there is none. */
  private keyColon(p: number): number {
    const t = this.text;
    const le = this.le;
    const c = t.charCodeAt(p);
    if (c === DQUOTE || c === SQUOTE) {
      let q = p + 1;
      for (;;) {
        q = t.indexOf(c === DQUOTE ? '"' : "'", q);
        if (q === -1 || q >= le) return -1;
        if (c === SQUOTE && t.charCodeAt(q + 1) === SQUOTE) {
          q += 2;
          continue;
        }
        break;
      }
      q++;
      while (q < le && t.charCodeAt(q) === SPACE) q++;
      return q < le && t.charCodeAt(q) === COLON && (q + 1 === le || t.charCodeAt(q + 1) === SPACE) ? q : -1;
    }
    if (INDICATOR_START[c] === 1) return -1;
    for (let i = p + 1; i < le; i++) {
      const ch = t.charCodeAt(i);
      if (ch === COLON) {
        if (i + 1 === le || t.charCodeAt(i + 1) === SPACE) return i;
      } else if (ch === HASH && t.charCodeAt(i - 1) === SPACE) return -1;
    }
    return -1;
  }

  /** The key's text as the library's plain-object conversion names it (`on` is "true", `~` is ""). */
  private keyText(p: number, colon: number): string {
    const t = this.text;
    const c = t.charCodeAt(p);
    let end = colon;
    while (t.charCodeAt(end - 1) === SPACE) end--;
    if (end - p > 1000) outside(); // implicit keys are limited to 1024 characters
    if (c === DQUOTE) return this.doubleQuotedContent(p + 1, end - 1);
    if (c === SQUOTE) return t.slice(p + 1, end - 1).replace(/''/g, "'");
    const raw = t.slice(p, end);
    if (raw === '<<') outside();
    const value = resolvePlainScalar(raw);
    return value === null ? '' : String(value);
  }

  // --- quoted scalars ---------------------------------------------------------------------------

  private doubleQuoted(p: number): [string, number] {
    const t = this.text;
    let q = p + 1;
    for (;;) {
      q = t.indexOf('"', q);
      if (q === -1 || q >= this.le) outside(); // continues on the next line
      let backslashes = 0;
      while (t.charCodeAt(q - 1 - backslashes) === 0x5c) backslashes++;
      if (backslashes % 2 === 0) break;
      q++;
    }
    return [this.doubleQuotedContent(p + 1, q), q + 1];
  }

  /** The content between double quotes at [from, to), with the common escapes decoded. */
  private doubleQuotedContent(from: number, to: number): string {
    const t = this.text;
    const slash = t.indexOf('\\', from);
    if (slash === -1 || slash >= to) return t.slice(from, to);
    let out = '';
    let i = from;
    while (i < to) {
      const s = t.indexOf('\\', i);
      if (s === -1 || s >= to) {
        out += t.slice(i, to);
        break;
      }
      out += t.slice(i, s);
      const e = t[s + 1];
      const simple = e === undefined ? undefined : SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        i = s + 2;
        continue;
      }
      const digits = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      const hex = t.slice(s + 2, s + 2 + digits);
      if (digits === 0 || s + 2 + digits > to || !/^[0-9a-fA-F]+$/.test(hex)) outside();
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) outside();
      out += String.fromCodePoint(code);
      i = s + 2 + digits;
    }
    return out;
  }

  private singleQuoted(p: number): [string, number] {
    const t = this.text;
    let q = p + 1;
    for (;;) {
      q = t.indexOf("'", q);
      if (q === -1 || q >= this.le) outside(); // continues on the next line
      if (t.charCodeAt(q + 1) === SQUOTE) {
        q += 2;
        continue;
      }
      break;
    }
    const raw = t.slice(p + 1, q);
    return [raw.includes("''") ? raw.replace(/''/g, "'") : raw, q + 1];
  }

  // --- flow collections (one line) ----------------------------------------------------------------

  private flow(p: number): [unknown, number] {
    const t = this.text;
    const c = t.charCodeAt(p);
    if (c === 0x5b /* [ */) {
      const arr: unknown[] = [];
      let q = this.skipSpaces(p + 1);
      if (t.charCodeAt(q) === 0x5d /* ] */) return [arr, q + 1];
      for (;;) {
        const [v, e] = this.flowItem(q, false);
        arr.push(v);
        q = this.skipSpaces(e);
        const d = t.charCodeAt(q);
        if (d === 0x5d) return [arr, q + 1];
        if (d !== 0x2c /* , */) outside();
        q = this.skipSpaces(q + 1);
        if (t.charCodeAt(q) === 0x5d) return [arr, q + 1];
      }
    }
    const obj: Record<string, unknown> = {};
    let q = this.skipSpaces(p + 1);
    if (t.charCodeAt(q) === 0x7d /* } */) return [obj, q + 1];
    for (;;) {
      const [k, ke] = this.flowItem(q, true);
      if (typeof k === 'object' && k !== null) outside();
      q = this.skipSpaces(ke);
      if (t.charCodeAt(q) !== COLON) outside();
      q = this.skipSpaces(q + 1);
      const [v, ve] = this.flowItem(q, false);
      const key = k === null ? '' : String(k);
      if (key in obj) outside();
      obj[key] = v;
      q = this.skipSpaces(ve);
      const d = t.charCodeAt(q);
      if (d === 0x7d) return [obj, q + 1];
      if (d !== 0x2c) outside();
      q = this.skipSpaces(q + 1);
      if (t.charCodeAt(q) === 0x7d) return [obj, q + 1];
    }
  }

  /** A flow collection or scalar at `p`; keys stop at `: `, values at `,` and closing brackets. */
  private flowItem(p: number, isKey: boolean): [unknown, number] {
    const t = this.text;
    if (p >= this.le) outside();
    const c = t.charCodeAt(p);
    if (c === 0x5b || c === 0x7b) {
      if (isKey) outside();
      return this.flow(p);
    }
    if (c === DQUOTE) return this.doubleQuoted(p);
    if (c === SQUOTE) return this.singleQuoted(p);
    if (INDICATOR_START[c] === 1) outside();
    let i = p;
    for (; i < this.le; i++) {
      const ch = t.charCodeAt(i);
      if (ch === 0x2c || ch === 0x5b || ch === 0x5d || ch === 0x7b || ch === 0x7d || ch === HASH) break;
      if (ch === COLON) {
        const after = t.charCodeAt(i + 1);
        if (isKey && (i + 1 === this.le || after === SPACE)) break;
        outside(); // a colon inside a flow scalar, or a `key: value` pair in a sequence
      }
    }
    if (i >= this.le || t.charCodeAt(i) === HASH) outside(); // the collection continues on the next line
    let end = i;
    while (end > p && t.charCodeAt(end - 1) === SPACE) end--;
    const raw = t.slice(p, end);
    if (raw === '' || raw === '<<') outside();
    return [resolvePlainScalar(raw), i];
  }

  private skipSpaces(p: number): number {
    const t = this.text;
    while (p < this.le && t.charCodeAt(p) === SPACE) p++;
    return p;
  }

  // --- block scalars ----------------------------------------------------------------------------

  /** A literal (`|`) or folded (`>`) scalar whose header is at `p`, in a node at column `col`. */
  private blockScalar(col: number, p: number): string {
    const t = this.text;
    const folded = t.charCodeAt(p) === 0x3e;
    let q = p + 1;
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    const ch = t.charCodeAt(q);
    if (ch === DASH) (chomp = 'strip'), q++;
    else if (ch === 0x2b /* + */) (chomp = 'keep'), q++;
    const afterIndicators = q;
    q = this.skipSpaces(q);
    if (q < this.le && (t.charCodeAt(q) !== HASH || q === afterIndicators)) outside(); // an indentation indicator or text
    this.next();
    const lines: string[] = [];
    let indent = -1;
    let blanks = 0;
    let lastContentEnd = -1;
    while (!this.eof()) {
      if (this.cs === this.le) {
        // An empty line; one with more spaces than the content's indentation holds text (spaces).
        if (indent === -1 ? this.ind > 0 : this.ind > indent) outside();
        blanks++;
        this.next();
        continue;
      }
      if (indent === -1) {
        if (this.ind <= col) break;
        indent = this.ind;
      }
      if (this.ind < indent) break;
      for (; blanks > 0; blanks--) lines.push('');
      const line = t.slice(this.ls + indent, this.le);
      if (folded && line.charCodeAt(0) === SPACE) outside(); // more-indented lines keep their breaks
      lines.push(line);
      lastContentEnd = this.le;
      this.next();
    }
    if (indent === -1 || lastContentEnd === this.n) outside(); // empty, or no line break after the text
    let value = folded ? fold(lines) : lines.join('\n');
    if (chomp !== 'strip') value += '\n';
    if (chomp === 'keep') value += '\n'.repeat(blanks);
    this.skipBlankAndComments();
    if (!this.eof() && this.ind > col) outside();
    return value;
  }
}

/** Folded scalar content: lines joined by a space, each run of empty lines kept as line breaks. */
function fold(lines: readonly string[]): string {
  let out = '';
  let empty = 0;
  let started = false;
  for (const line of lines) {
    if (line === '') {
      empty++;
      continue;
    }
    if (started) out += empty > 0 ? '\n'.repeat(empty) : ' ';
    else out += '\n'.repeat(empty);
    out += line;
    started = true;
    empty = 0;
  }
  return out;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Characters that cannot start a plain scalar or simple key here (indicators, quotes, comments). */
const INDICATOR_START: Uint8Array = (() => {
  const table = new Uint8Array(65536);
  for (const ch of '-?:,[]{}#&*!|>\'"%@`') table[ch.charCodeAt(0)] = 1;
  return table;
})();

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
