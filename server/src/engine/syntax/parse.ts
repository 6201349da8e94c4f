// YAML text -> documents -> plain values, never failing: every problem becomes a `SyntaxProblem`
// with an exact offset range, and one broken document never hides the others.
//
// Values are read the way kubectl and the API server read YAML (go-yaml v2 under sigs.k8s.io/yaml):
// YAML 1.1 booleans and nulls (`on`, `yes`, `~`), base-prefixed and leading-zero octal integers
// (`0755`, `0x1F`, `0o17`), `1e3` as a number; but timestamps and sexagesimal numbers (`2024-01-01`,
// `1:20`) stay strings, as that reader leaves them. `plain-scalar.ts` states the rules.
// Most files are read by `direct-reader.ts` straight to values; it answers only for text whose
// reading it is sure of (the `yaml` library's values, no problems), and the library reads the rest.
// Work is bounded: file size, alias expansion and nesting depth are limits with visible messages.
// The parse trees are not kept here; `source-map.ts` re-derives positions on demand.
import { parseAllDocuments, visit, isCollection, isScalar, type Document, type Node, type Pair, type ScalarTag, type Tags, type YAMLError } from 'yaml';
import { goPlainScalar } from './plain-scalar';
import { readDirect } from './direct-reader';

export { goPlainScalar };

export type FieldPath = readonly (string | number)[];

export interface ParseLimits {
  /** Files larger than this many characters are not analysed (one information diagnostic). */
  readonly maxFileSize: number;
  /** Alias expansions allowed per document ("billion laughs" guard). */
  readonly maxAliasCount: number;
  /** Deepest flow/block nesting analysed (real manifests stay below 40; the parser recurses per level). */
  readonly maxDepth: number;
}

export const DEFAULT_LIMITS: ParseLimits = {
  maxFileSize: 5 * 1024 * 1024,
  maxAliasCount: 1000,
  maxDepth: 200,
};

export type SyntaxProblemCode =
  | 'yaml-syntax'
  | 'yaml-warning'
  | 'helm-template'
  | 'file-too-large'
  | 'not-text'
  | 'yaml-limit';

export interface SyntaxProblem {
  readonly code: SyntaxProblemCode;
  readonly severity: 'error' | 'warning' | 'info';
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export interface ParsedDocument {
  readonly index: number;
  readonly start: number;
  readonly end: number;
  /** The document's value as the API server would decode it; `undefined` when empty. */
  readonly value: unknown;
  readonly hasErrors: boolean;
}

export interface ParsedFile {
  readonly uri: string;
  readonly text: string;
  readonly documents: readonly ParsedDocument[];
  readonly problems: readonly SyntaxProblem[];
  /** True for Go/Helm templates, which are reported once and not analysed. */
  readonly isTemplate: boolean;
  /** True when the text shows any sign of Kubernetes content (decides whether syntax errors are reported). */
  readonly looksLikeKubernetes: boolean;
}

/**
 * Options the `yaml` library is given everywhere the engine parses, so positions and values agree.
 * `logLevel: 'error'` keeps the library from printing process warnings: problems are data here.
 * Duplicate keys are found by `keyProblems` in linear time: the library's own check compares every
 * pair of keys, which takes minutes on a mapping with tens of thousands of entries.
 */
export function yamlParseOptions(limits: ParseLimits) {
  return {
    version: '1.1' as const,
    customTags: kubernetesScalarTags,
    prettyErrors: false,
    uniqueKeys: false,
    maxAliasCount: limits.maxAliasCount,
    strict: false,
    logLevel: 'error' as const,
  };
}

const INT_TAG = 'tag:yaml.org,2002:int';
const FLOAT_TAG = 'tag:yaml.org,2002:float';
const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';

/**
 * The YAML 1.1 schema with its number and timestamp tags replaced by `goNumber`, which resolves plain
 * scalars like kubectl's reader. Null, booleans, `.inf`/`.nan` and merge keys keep the YAML 1.1 tags,
 * whose spellings are the same in both readers.
 */
function kubernetesScalarTags(tags: Tags): Tags {
  const kept = tags.filter((t) => {
    const tag = (t as ScalarTag).tag;
    if (tag === INT_TAG || tag === TIMESTAMP_TAG) return false;
    if (tag === FLOAT_TAG) return (t as ScalarTag).test?.test('.nan') === true;
    return true;
  });
  return [...kept, goNumber];
}

const goNumber: ScalarTag = {
  identify: (value) => typeof value === 'number',
  default: true,
  tag: FLOAT_TAG,
  // Only plain scalars starting with a digit, a sign or a dot can be numbers to kubectl's reader.
  test: /^[-+.0-9]/,
  resolve: (source) => goPlainScalar(source),
};

/** Parses one file. Never throws. */
export function parseFile(uri: string, text: string, limits: ParseLimits = DEFAULT_LIMITS): ParsedFile {
  const base = { uri, text, looksLikeKubernetes: looksLikeKubernetes(text) };
  if (text.length > limits.maxFileSize) {
    return {
      ...base,
      documents: [],
      isTemplate: false,
      problems: [info('file-too-large', 0, 0, `File not analysed: ${text.length} characters is more than the limit of ${limits.maxFileSize} (setting kubeglass.limits.maxFileSize).`)],
    };
  }
  if (isBinary(text)) {
    return { ...base, documents: [], isTemplate: false, problems: [info('not-text', 0, 0, 'File not analysed: it contains binary data, not YAML text.')] };
  }
  const template = findTemplateAction(text, uri);
  if (template !== undefined) {
    return {
      ...base,
      documents: [],
      isTemplate: true,
      problems: [info('helm-template', template.start, template.end, 'Helm/Go template: not analysed as a manifest until it is rendered (for example with `helm template`).')],
    };
  }
  const depth = maxNesting(text);
  if (depth > limits.maxDepth) {
    return {
      ...base,
      documents: [],
      isTemplate: false,
      problems: [info('yaml-limit', 0, 0, `File not analysed: nesting depth ${depth} exceeds the limit of ${limits.maxDepth} (setting kubeglass.limits.maxDepth).`)],
    };
  }
  try {
    const parsed = parseDocuments(text, limits);
    const replacement = text.indexOf('\uFFFD');
    if (replacement !== -1) {
      // Adapters decode files as UTF-8 and turn invalid bytes into U+FFFD; kubectl's reader refuses them.
      parsed.problems.push({
        code: 'yaml-warning',
        severity: 'warning',
        start: replacement,
        end: replacement + 1,
        message: 'U+FFFD replacement character: the file is probably not valid UTF-8 here, and kubectl rejects files that are not UTF-8.',
      });
    }
    return { ...base, isTemplate: false, ...parsed };
  } catch (err) {
    // The YAML library itself failed (for example on pathological input): report, do not crash.
    return { ...base, documents: [], isTemplate: false, problems: [info('yaml-limit', 0, 0, `File not analysed: ${(err as Error).message}`)] };
  }
}

/**
 * Whether the text shows signs of Kubernetes content: lines starting with `apiVersion:` and `kind:`.
 * Only the first megabyte is looked at, and the patterns cannot backtrack across lines.
 */
function looksLikeKubernetes(text: string): boolean {
  const head = text.length > 1 << 20 ? text.slice(0, 1 << 20) : text;
  return /^[ \t]*"?apiVersion"?[ \t]*:/m.test(head) && /^[ \t]*"?kind"?[ \t]*:/m.test(head);
}

function parseDocuments(text: string, limits: ParseLimits): { documents: ParsedDocument[]; problems: SyntaxProblem[] } {
  const direct = readDirect(text);
  if (direct) return { documents: direct, problems: [] };
  const { docs, repaired } = parseYamlDocuments(text, limits);
  const problems: SyntaxProblem[] = [];
  const documents: ParsedDocument[] = [];
  docs.forEach((doc, index) => {
    const errors = repaired.get(index) ?? doc.errors;
    for (const e of errors) problems.push(fromYamlError('yaml-syntax', 'error', e, text, openingQuoteOf(doc, e)));
    for (const w of doc.warnings) problems.push(fromYamlError('yaml-warning', 'warning', w, text));
    const keys = keyProblems(doc);
    problems.push(...keys);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (err) {
      // An unknown alias is already a key problem; other failures (alias expansion) are limits.
      if (!keys.some((k) => k.message.startsWith('Unknown alias'))) {
        const [start, end] = doc.range;
        problems.push({ code: 'yaml-limit', severity: 'error', start, end: Math.min(end, start + 1), message: `Document not analysed: ${(err as Error).message}` });
      }
      value = undefined;
    }
    if (doc.errors.length === 0) {
      const stray = strayDocumentProblem(doc, value);
      if (stray) problems.push(stray);
    }
    const [start, , end] = doc.range;
    documents.push({ index, start, end, value: value ?? undefined, hasErrors: errors.length > 0 || keys.length > 0 });
  });
  return { documents, problems };
}

/** Documents as parsed, and the parse errors of the documents `parseYamlDocuments` had to close. */
export interface YamlDocuments {
  readonly docs: readonly Document.Parsed[];
  /** Document index -> its errors in the text as written (up to where it was closed). */
  readonly repaired: ReadonlyMap<number, readonly YAMLError[]>;
}

/**
 * `parseAllDocuments` with two recoveries, used by every reader of positions so document indexes
 * agree:
 * - a multi-line quoted scalar whose continuation lines are indented less than YAML requires is
 *   read as kubectl's reader reads it (it does not check that indentation): those lines are padded
 *   for the parser, which leaves the value unchanged (a flow scalar drops leading spaces), and
 *   every range is mapped back to the text as written;
 * - a quoted scalar left open runs to the end of the text and swallows every document after it.
 *   Such a document is closed where the next `---` line starts: the character before that line
 *   break becomes the closing quote (offsets stay put) and the text is read again, so the
 *   documents after the marker are read as written. At most 10 documents are closed this way.
 */
export function parseYamlDocuments(text: string, limits: ParseLimits): YamlDocuments {
  const options = yamlParseOptions(limits);
  const repaired = new Map<number, YAMLError[]>();
  let current = text;
  for (let round = 0; ; round++) {
    const parsed = parseAllDocuments(current, options) as unknown as Document.Parsed[] | { errors: unknown[] };
    const docs = Array.isArray(parsed) ? parsed : [];
    if (round === 0) {
      const relaxed = underIndentedQuotes(text, docs, options);
      if (relaxed) return { docs: relaxed, repaired };
    }
    const open = round < 10 ? unclosedQuote(current, docs) : undefined;
    if (!open) return { docs, repaired };
    repaired.set(open.index, docs[open.index]!.errors.filter((e) => e === open.error || e.pos[0] < open.marker));
    current = current.slice(0, open.closeAt) + open.quote + current.slice(open.closeAt + 1);
  }
}

/**
 * The documents read with the under-indented continuation lines of quoted scalars padded, when
 * that removes every unclosed-quote error; undefined when there is nothing to pad or padding does
 * not help. Ranges, document ranges and error positions are mapped back to `text`.
 */
function underIndentedQuotes(text: string, docs: readonly Document.Parsed[], options: ReturnType<typeof yamlParseOptions>): Document.Parsed[] | undefined {
  const insertions: { at: number; count: number }[] = [];
  for (const doc of docs) {
    for (const e of doc.errors) {
      const opening = openingQuoteOf(doc, e);
      if (opening === undefined) continue;
      const closing = closingQuote(text, opening);
      if (closing === undefined) continue;
      const need = opening - (text.lastIndexOf('\n', opening) + 1) + 1;
      for (let nl = text.indexOf('\n', opening); nl !== -1 && nl < closing; nl = text.indexOf('\n', nl + 1)) {
        let indent = 0;
        while (text[nl + 1 + indent] === ' ') indent++;
        const next = text[nl + 1 + indent];
        if (next === '\n' || next === '\r' || next === undefined || indent >= need) continue;
        insertions.push({ at: nl + 1, count: need - indent });
      }
    }
  }
  if (insertions.length === 0) return undefined;
  insertions.sort((a, b) => a.at - b.at);
  let padded = '';
  let from = 0;
  for (const ins of insertions) {
    padded += text.slice(from, ins.at) + ' '.repeat(ins.count);
    from = ins.at;
  }
  padded += text.slice(from);
  const parsed = parseAllDocuments(padded, options) as unknown as Document.Parsed[] | { errors: unknown[] };
  const relaxed = Array.isArray(parsed) ? parsed : [];
  if (relaxed.some((d) => d.errors.some((e) => e.code === 'MISSING_CHAR' && /quote/.test(e.message)))) return undefined;
  // Padded offset -> offset in `text`: subtract the spaces inserted before it.
  const starts: number[] = [];
  let shift = 0;
  for (const ins of insertions) {
    starts.push(ins.at + shift);
    shift += ins.count;
  }
  const original = (offset: number): number => {
    let removed = 0;
    for (let i = 0; i < insertions.length && starts[i]! < offset; i++) removed += Math.min(insertions[i]!.count, offset - starts[i]!);
    return offset - removed;
  };
  const seen = new Set<unknown>();
  const remap = (range: number[] | undefined | null) => {
    if (!range || seen.has(range)) return;
    seen.add(range);
    for (let i = 0; i < range.length; i++) range[i] = original(range[i]!);
  };
  for (const doc of relaxed) {
    remap(doc.range as unknown as number[]);
    for (const e of [...doc.errors, ...doc.warnings]) remap(e.pos as unknown as number[]);
    visit(doc, {
      Node(_key, node) {
        remap(node.range as unknown as number[] | undefined);
      },
    });
  }
  return relaxed;
}

/** Where the quoted scalar opened at `opening` really closes (YAML escapes: `''`, `\"`); undefined past a document marker. */
function closingQuote(text: string, opening: number): number | undefined {
  const quote = text[opening];
  for (let i = opening + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' && /^(?:---|\.\.\.)(?:[ \t\r\n]|$)/.test(text.slice(i + 1, i + 5))) return undefined;
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return undefined;
}

/** The first document whose unclosed quote runs past a `---` line, and where to close it. */
function unclosedQuote(text: string, docs: readonly Document.Parsed[]): { index: number; error: YAMLError; quote: string; marker: number; closeAt: number } | undefined {
  for (let index = 0; index < docs.length; index++) {
    for (const e of docs[index]!.errors) {
      const quote = e.code === 'MISSING_CHAR' ? /Missing closing (["'])quote/.exec(e.message)?.[1] : undefined;
      const opening = quote ? openingQuoteOf(docs[index]!, e) : undefined;
      if (!quote || opening === undefined) continue;
      const marker = /\n---(?=[ \t\r\n]|$)/g;
      marker.lastIndex = opening;
      const m = marker.exec(text);
      if (!m) continue;
      let closeAt = m.index - 1;
      if (text[closeAt] === '\r') closeAt--;
      // Closing must really close: not the opening quote itself, not an escape (`\"`, `''`).
      if (closeAt <= opening || text[closeAt] === '\\' || text[closeAt] === "'" || text[closeAt] === '"') continue;
      return { index, error: e, quote, marker: m.index + 1, closeAt };
    }
  }
  return undefined;
}

/**
 * Key problems that make the document unusable, so it is not checked further:
 * - a key repeated in one mapping: kubectl apply converts YAML to JSON first and keeps only the
 *   last value (silently losing the others), kustomize refuses the file, and the API server's
 *   strict decoding refuses duplicate fields in the bodies it decodes itself;
 *   keys are compared by value, as YAML does (`1` and `"1"` differ), and `<<` merge keys are exempt;
 * - a mapping or sequence used as a key (often an unsubstituted `{{VAR}}` placeholder, which YAML
 *   reads as a flow mapping): kubectl cannot turn such a key into JSON;
 * - an alias whose anchor is not defined before it.
 * At most 20 are reported per document.
 */
function keyProblems(doc: Document.Parsed): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  visit(doc, {
    Alias(_key, alias) {
      if (out.length >= 20 || !alias.range || alias.resolve(doc) !== undefined) return;
      out.push(problemAt(alias.range, `Unknown alias: no anchor &${alias.source} is defined before this point in the document.`));
    },
    Map(_key, map) {
      if (out.length >= 20) return visit.SKIP;
      const seen = new Set<string>();
      for (const pair of map.items as Pair[]) {
        const key = pair.key as Node | null;
        if (!key?.range) continue;
        if (isCollection(key)) {
          out.push(problemAt(key.range, 'A mapping or sequence cannot be a mapping key: kubectl cannot convert it to JSON and rejects the document. An unsubstituted `{{VAR}}` placeholder reads this way; quote it or substitute it first.'));
          continue;
        }
        if (!isScalar(key) || key.value === '<<') continue;
        const id = `${typeof key.value}:${String(key.value)}`;
        if (!seen.has(id)) {
          seen.add(id);
          continue;
        }
        out.push(problemAt(key.range, `Map keys must be unique: "${String(key.value)}" is already set in this mapping. kubectl apply silently keeps only the last value; kustomize and the API server's strict decoding reject the file.`));
      }
      return undefined;
    },
  });
  return out.slice(0, 20);
}

function problemAt(range: readonly number[], message: string): SyntaxProblem {
  const [start = 0, end = start] = range;
  return { code: 'yaml-syntax', severity: 'error', start, end: Math.max(end, start + 1), message };
}

/**
 * A document that is a plain scalar or a sequence (for example text after a `...` end marker, or a
 * line that lost its indentation to a stray `---`). In a manifest file every document must be an
 * object: kubectl rejects anything else.
 */
function strayDocumentProblem(doc: Document.Parsed, value: unknown): SyntaxProblem | undefined {
  if (value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value))) return undefined;
  const node = doc.contents as Node | null;
  if (!node?.range) return undefined;
  const what = Array.isArray(value) ? 'a sequence' : 'a plain value';
  return {
    code: 'yaml-syntax',
    severity: 'error',
    start: node.range[0],
    end: Math.max(node.range[0] + 1, node.range[1]),
    message: `Stray document: ${what}, not an object with apiVersion and kind. kubectl rejects documents that are not objects.`,
  };
}

/**
 * Where the quoted scalar that an unclosed-quote error is about opens: the quoted scalar of the
 * document that spans the error position (the library reports the error where the text ran out).
 */
function openingQuoteOf(doc: Document.Parsed, e: YAMLError): number | undefined {
  if (e.code !== 'MISSING_CHAR' || !/Missing closing ["']quote/.test(e.message)) return undefined;
  const at = e.pos[0];
  let found: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range && node.range[0] < at && node.range[1] >= at) found = node.range[0];
    },
  });
  return found;
}

function fromYamlError(code: SyntaxProblemCode, severity: 'error' | 'warning', e: { pos: [number, number]; message: string; code?: string }, text: string, opening?: number): SyntaxProblem {
  let [start, end] = e.pos;
  if (/call stack/i.test(e.message)) {
    // The parser recursed out of stack on deep nesting below the maxDepth limit.
    return { code: 'yaml-limit', severity: 'error', start, end: Math.max(end, start + 1), message: 'Document not analysed: nested too deeply for the parser (lower kubeglass.limits.maxDepth to refuse such files up front).' };
  }
  // An unclosed quote is reported where the text ends; point at the opening quote instead.
  const quote = e.code === 'MISSING_CHAR' ? /Missing closing (["'])quote/.exec(e.message)?.[1] : undefined;
  if (quote) {
    const open = opening ?? text.lastIndexOf(quote, Math.max(0, start - 1));
    if (open >= 0) {
      let lineEnd = text.indexOf('\n', open);
      if (lineEnd === -1) lineEnd = text.length;
      start = open;
      end = Math.max(open + 1, Math.min(end, lineEnd));
    }
  }
  // An unclosed flow collection is reported where the next line starts; point at its opening bracket.
  const closer = /end with an? ([\]}])/.exec(e.message)?.[1];
  if (closer) {
    const opener = findUnmatchedOpener(text, start, closer === ']' ? '[' : '{', closer);
    if (opener !== undefined) {
      let lineEnd = text.indexOf('\n', opener);
      if (lineEnd === -1) lineEnd = text.length;
      start = opener;
      end = Math.max(opener + 1, lineEnd);
    }
  }
  // Indentation errors point at the leading spaces; point at the token that follows them instead.
  if (/^[ \t]*$/.test(text.slice(start, end)) && e.code !== 'TAB_AS_INDENT') {
    let token = end;
    while (token < text.length && (text[token] === ' ' || text[token] === '\t')) token++;
    if (token < text.length && text[token] !== '\n' && text[token] !== '\r') {
      let tokenEnd = token;
      while (tokenEnd < text.length && !/[\s:,\]}]/.test(text[tokenEnd]!)) tokenEnd++;
      start = token;
      end = Math.max(token + 1, tokenEnd);
    }
  }
  if (end <= start) end = Math.min(text.length, start + 1);
  return { code, severity, start, end, message: e.message.split('\n')[0] };
}

function findUnmatchedOpener(text: string, before: number, open: string, close: string): number | undefined {
  let depth = 0;
  for (let i = Math.min(before, text.length) - 1; i >= 0; i--) {
    const c = text[i];
    if (c === close) depth++;
    else if (c === open) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return undefined;
}

function info(code: SyntaxProblemCode, start: number, end: number, message: string): SyntaxProblem {
  return { code, severity: 'info', start, end, message };
}

/** NUL bytes or a high share of control characters mean the file is not text. */
function isBinary(text: string): boolean {
  const sample = text.length > 8192 ? text.slice(0, 8192) : text;
  if (sample.includes('\u0000')) return true;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++;
  }
  return sample.length > 0 && control / sample.length > 0.1;
}

/**
 * Finds a Go template action (`{{ .Values.x }}`, `{{- if }}`, `{{ include ... }}`, template comments) that
 * makes the file a template rather than YAML: one that starts a line or a value, outside YAML comments,
 * quoted strings and block scalars. Actions inside strings are text to Kubernetes (Prometheus and
 * Alertmanager rules carry `{{ $value }}` and `{{ .Labels }}` in their values) and mid-scalar ones are part of
 * a plain string, so such files are analysed. In a chart's `templates/` folder any action counts. Plain
 * `{{ VAR }}` placeholders of sed/envsubst pipelines are not template actions: YAML reads them as flow mappings.
 */
function findTemplateAction(text: string, uri = ''): { start: number; end: number } | undefined {
  const re = /\{\{-?\s*(?:\.|\$|\/\*|-|(?:if|else|end|range|with|define|template|include|block|toYaml|tpl|printf|required|default|quote|nindent|indent|lookup)\b)/g;
  const inChart = uri.includes('/templates/');
  let m: RegExpExecArray | null;
  let blockIndent = -1; // indentation of the line that opened the current block scalar, -1 outside one
  let scannedTo = 0;
  while ((m = re.exec(text)) !== null) {
    // Track block scalars over the lines between the previous action and this one.
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    while (scannedTo < lineStart) {
      let end = text.indexOf('\n', scannedTo);
      if (end === -1 || end >= lineStart) end = lineStart - 1;
      blockIndent = nextBlockState(text.slice(scannedTo, end), blockIndent);
      scannedTo = end + 1;
    }
    const lineEnd = text.indexOf('\n', m.index);
    const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
    const before = text.slice(lineStart, m.index);
    const close = text.indexOf('}}', m.index);
    const span = { start: m.index, end: close === -1 ? m.index + 2 : close + 2 };
    if (/^\s*#/.test(before)) continue; // inside a comment line
    if (inChart) return span;
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0 && (line.trim() === '' || indent > blockIndent)) continue; // inside a block scalar
    if (((before.match(/"/g)?.length ?? 0) % 2 === 1) || ((before.match(/'/g)?.length ?? 0) % 2 === 1)) continue; // inside quotes
    // Only an action that starts a line, a value or a sequence item makes the text a template.
    if (/^\s*(?:-\s+)*(?:[^\s#'"{][^#]*?:\s+)?$/.test(before)) return span;
  }
  return undefined;
}

/** Block scalar bookkeeping for one line: returns the indentation of an open block scalar, or -1. */
function nextBlockState(line: string, blockIndent: number): number {
  const indent = line.length - line.trimStart().length;
  if (blockIndent >= 0 && (line.trim() === '' || indent > blockIndent)) return blockIndent;
  return /(?:^|[:\s-])[|>][-+0-9]*\s*(?:#.*)?$/.test(line) && /:\s*[|>]|^\s*-\s*[|>]/.test(line) ? indent : -1;
}

/** Upper bound of bracket/indent nesting, cheap to compute, to refuse pathological inputs before parsing. */
export function maxNesting(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) {
      depth++;
      if (depth > max) max = depth;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
    else if (c === 10) {
      // Count block nesting roughly by indentation of the next line (two spaces a level).
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) === 32) j++;
      const indentDepth = (j - i - 1) >> 1;
      if (depth === 0 && indentDepth > max) max = indentDepth;
    }
  }
  return max;
}
