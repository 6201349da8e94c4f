// Field errors exactly as the Kubernetes API server renders them (spec 0.2): one error is
// `<field path>: <type text>[: <bad value>][: <detail>]`, a list is printed alone when it has one
// entry and as `[e1, e2]` otherwise. Bad values print like Go: strings with `%q` quoting, numbers
// and booleans plain, anything else as JSON (`json.Marshal`, sorted keys, HTML-safe escapes).
//
// This module owns only rendering and the constructors; which rule produces which error lives
// with the rule. It is pure data in, text out. (It sits under labels/ because the selector module
// is the first user; any validation module may import it.)

export type FieldErrorType =
  | 'Required'
  | 'Forbidden'
  | 'Invalid'
  | 'NotSupported'
  | 'Duplicate'
  | 'NotFound'
  | 'TooMany'
  | 'TooLong';

/** How a bad value is printed: Go `%q` for strings, plain for numbers/booleans, JSON otherwise. */
export type BadValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'plain'; readonly value: number | boolean }
  | { readonly kind: 'json'; readonly value: unknown };

export interface FieldError {
  readonly type: FieldErrorType;
  /** Field path as the API server prints it, e.g. `spec.rules[0].http.paths[1].path`. */
  readonly field: string;
  /** Null when the error type never shows the value (Required, Forbidden, TooLong). */
  readonly badValue: BadValue | null;
  readonly detail: string;
}

const TYPE_TEXT: Readonly<Record<FieldErrorType, string>> = {
  Required: 'Required value',
  Forbidden: 'Forbidden',
  Invalid: 'Invalid value',
  NotSupported: 'Unsupported value',
  Duplicate: 'Duplicate value',
  NotFound: 'Not found',
  TooMany: 'Too many',
  TooLong: 'Too long',
};

/** One error as the API server prints it. */
export function fieldErrorText(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

/** The part after `<field>: `. */
export function fieldErrorBody(e: FieldError): string {
  let s = TYPE_TEXT[e.type];
  if (e.badValue !== null) s += `: ${badValueText(e.badValue)}`;
  if (e.detail.length > 0) s += `: ${e.detail}`;
  return s;
}

/** A list of messages the way the API server aggregates them: duplicates dropped, order kept. */
export function aggregateText(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  if (unique.length === 1) return unique[0]!;
  return `[${unique.join(', ')}]`;
}

export function badValue(value: unknown): BadValue {
  if (typeof value === 'string') return { kind: 'string', value };
  if (typeof value === 'number' || typeof value === 'boolean') return { kind: 'plain', value };
  return { kind: 'json', value };
}

export function badValueText(v: BadValue): string {
  switch (v.kind) {
    case 'string':
      return goQuote(v.value);
    case 'plain':
      return String(v.value);
    case 'json':
      return goJson(v.value);
  }
}

export function required(field: string, detail = ''): FieldError {
  return { type: 'Required', field, badValue: null, detail };
}

export function forbidden(field: string, detail = ''): FieldError {
  return { type: 'Forbidden', field, badValue: null, detail };
}

export function invalid(field: string, value: unknown, detail = ''): FieldError {
  return { type: 'Invalid', field, badValue: badValue(value), detail };
}

/** `supported values: "A", "B"` in the order given (the caller decides the order, as upstream does). */
export function notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const detail = supported.length > 0 ? `supported values: ${supported.map(goQuote).join(', ')}` : '';
  return { type: 'NotSupported', field, badValue: badValue(value), detail };
}

export function duplicate(field: string, value: unknown): FieldError {
  return { type: 'Duplicate', field, badValue: badValue(value), detail: '' };
}

/** Go `strconv.Quote`: double quotes, backslash escapes, non-printable runes escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (cp === 0x07) out += '\\a';
    else if (cp === 0x08) out += '\\b';
    else if (cp === 0x0c) out += '\\f';
    else if (cp === 0x0a) out += '\\n';
    else if (cp === 0x0d) out += '\\r';
    else if (cp === 0x09) out += '\\t';
    else if (cp === 0x0b) out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd'; // lone surrogate: Go sees invalid UTF-8
    else if (!isPrintable(cp)) out += cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
    else out += ch;
  }
  return out + '"';
}

/** Go `json.Marshal` for plain data: object keys sorted, `<`, `>`, `&`, U+2028, U+2029 escaped. */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goJsonString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort(compareCodePoints);
    return `{${keys.map((k) => `${goJsonString(k)}:${goJson(obj[k])}`).join(',')}}`;
  }
  return 'null';
}

/** Byte-wise (UTF-8) string order, which is Go's `sort.Strings` order. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (supplementary code points) sort after every BMP unit in UTF-8 order.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

// Close enough to Go's unicode.IsPrint for the values users put in manifests: C1 controls,
// format characters and separators other than the ASCII space are escaped.
function isPrintable(cp: number): boolean {
  if (cp >= 0x80 && cp <= 0x9f) return false;
  if (cp === 0xad || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff) return false;
  if (cp >= 0x200b && cp <= 0x200f) return false;
  if (cp >= 0x202a && cp <= 0x202e) return false;
  if (cp >= 0x2060 && cp <= 0x2064) return false;
  if (cp === 0xa0 || cp === 0x3000 || (cp >= 0x2000 && cp <= 0x200a)) return false;
  if (cp === 0xfffe || cp === 0xffff) return false;
  return true;
}
