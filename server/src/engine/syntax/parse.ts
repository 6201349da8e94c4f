// YAML text -> documents -> plain values, never failing: every problem becomes a `SyntaxProblem`
// with an exact offset range, and one broken document never hides the others.
//
// Values are read with YAML 1.1 rules because the Kubernetes API server's YAML decoder is a YAML 1.1
// reader: `on`, `yes`, `0755` mean what they mean to the cluster, not what a YAML 1.2 reader thinks.
// Work is bounded: file size, alias expansion and nesting depth are limits with visible messages.
// The parse trees are not kept here; `source-map.ts` re-derives positions on demand.
import { parseAllDocuments, type Document } from 'yaml';

export type FieldPath = readonly (string | number)[];

export interface ParseLimits {
  /** Files larger than this many characters are not analysed (one information diagnostic). */
  readonly maxFileSize: number;
  /** Alias expansions allowed per document ("billion laughs" guard). */
  readonly maxAliasCount: number;
  /** Deepest flow/block nesting analysed. */
  readonly maxDepth: number;
}

export const DEFAULT_LIMITS: ParseLimits = {
  maxFileSize: 5 * 1024 * 1024,
  maxAliasCount: 1000,
  maxDepth: 1000,
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

/** Options the `yaml` library is given everywhere the engine parses, so positions agree. */
export function yamlParseOptions(limits: ParseLimits) {
  return { version: '1.1' as const, prettyErrors: false, uniqueKeys: true, maxAliasCount: limits.maxAliasCount, strict: false };
}

/** Parses one file. Never throws. */
export function parseFile(uri: string, text: string, limits: ParseLimits = DEFAULT_LIMITS): ParsedFile {
  const looksLikeKubernetes = /^\s*"?apiVersion"?\s*:/m.test(text) && /^\s*"?kind"?\s*:/m.test(text);
  const base = { uri, text, looksLikeKubernetes };
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
  const template = findTemplateAction(text);
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
    return { ...base, isTemplate: false, ...parseDocuments(text, limits) };
  } catch (err) {
    // The YAML library itself failed (for example on pathological input): report, do not crash.
    return { ...base, documents: [], isTemplate: false, problems: [info('yaml-limit', 0, 0, `File not analysed: ${(err as Error).message}`)] };
  }
}

function parseDocuments(text: string, limits: ParseLimits): Pick<ParsedFile, 'documents' | 'problems'> {
  const options = yamlParseOptions(limits);
  const docs = parseAllDocuments(text, options) as unknown as Document.Parsed[] | { errors: unknown[] };
  const problems: SyntaxProblem[] = [];
  const documents: ParsedDocument[] = [];
  if (!Array.isArray(docs)) return { documents, problems };
  docs.forEach((doc, index) => {
    for (const e of doc.errors) problems.push(fromYamlError('yaml-syntax', 'error', e, text));
    for (const w of doc.warnings) problems.push(fromYamlError('yaml-warning', 'warning', w, text));
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (err) {
      const [start, end] = doc.range;
      problems.push({ code: 'yaml-limit', severity: 'error', start, end: Math.min(end, start + 1), message: `Document not analysed: ${(err as Error).message}` });
      value = undefined;
    }
    const [start, , end] = doc.range;
    documents.push({ index, start, end, value: value ?? undefined, hasErrors: doc.errors.length > 0 });
  });
  return { documents, problems };
}

function fromYamlError(code: SyntaxProblemCode, severity: 'error' | 'warning', e: { pos: [number, number]; message: string; code?: string }, text: string): SyntaxProblem {
  let [start, end] = e.pos;
  // An unclosed quote is reported where the text ends; point at the opening quote instead.
  const quote = e.code === 'MISSING_CHAR' ? /Missing closing (["'])quote/.exec(e.message)?.[1] : undefined;
  if (quote) {
    const open = text.lastIndexOf(quote, Math.max(0, start - 1));
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
 * Finds a Go template action (`{{ .Values.x }}`, `{{- if }}`, `{{ include ... }}`, template comments) outside YAML comments.
 * Plain `{{ VAR }}` placeholders of sed/envsubst pipelines are not template actions: YAML reads them as
 * flow mappings and the file is analysed like any other.
 */
function findTemplateAction(text: string): { start: number; end: number } | undefined {
  const re = /\{\{-?\s*(?:\.|\$|\/\*|-|(?:if|else|end|range|with|define|template|include|block|toYaml|tpl|printf|required|default|quote|nindent|indent|lookup)\b)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    const before = text.slice(lineStart, m.index);
    if (/^\s*#/.test(before)) continue; // inside a comment line
    const close = text.indexOf('}}', m.index);
    return { start: m.index, end: close === -1 ? m.index + 2 : close + 2 };
  }
  return undefined;
}

/** Upper bound of bracket/indent nesting, cheap to compute, to refuse pathological inputs before parsing. */
function maxNesting(text: string): number {
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
