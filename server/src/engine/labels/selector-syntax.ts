// The string selector syntax (`kubectl -l`, `?labelSelector=`), spec a.4: a lexer and a
// recursive-descent parser producing requirements (unsorted; the caller sorts by key) or the
// exact error text the API server prints.
//
// Lexing: whitespace is space, tab, CR, LF. The special characters `= ! ( ) , > <` form operator
// tokens, taking `!=` and `==` as one token. Any other run of characters is one identifier; `in` and
// `notin` lex as keywords but the parser reads them as identifiers in key and value position. A NUL
// character ends the input when a token would start, and ends (and is swallowed by) a token it
// interrupts, which is how the upstream byte reader treats it.

import { fieldErrorText, invalid } from './field-error';
import { isLabelKey } from './formats';
import { BINARY_OPERATORS, newRequirement, type Operator, type Requirement } from './requirement';

export type TokenKind =
  | 'EndOfString'
  | 'ClosedPar'
  | 'Comma'
  | 'DoesNotExist'
  | 'DoubleEquals'
  | 'Equals'
  | 'GreaterThan'
  | 'Identifier'
  | 'In'
  | 'LessThan'
  | 'NotEquals'
  | 'NotIn'
  | 'OpenPar';

export interface Token {
  readonly kind: TokenKind;
  /** The literal text; empty for EndOfString. */
  readonly text: string;
}

export type ParseRequirementsResult =
  | { readonly ok: true; readonly requirements: readonly Requirement[] }
  | { readonly ok: false; readonly error: string };

/** Tokens of `text`, always ending with one EndOfString token. */
export function lexSelector(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && WHITESPACE.has(text[pos]!)) pos++;
    if (pos >= text.length || text[pos] === '\0') {
      tokens.push({ kind: 'EndOfString', text: '' });
      return tokens;
    }
    const ch = text[pos]!;
    if (SPECIAL.has(ch)) {
      const two = text.slice(pos, pos + 2);
      const symbol = SYMBOLS[two] !== undefined ? two : ch;
      pos += symbol.length;
      if (text[pos] === '\0') pos++;
      tokens.push({ kind: SYMBOLS[symbol]!, text: symbol });
      continue;
    }
    let end = pos;
    while (end < text.length && text[end] !== '\0' && !SPECIAL.has(text[end]!) && !WHITESPACE.has(text[end]!)) end++;
    const word = text.slice(pos, end);
    pos = text[end] === '\0' ? end + 1 : end;
    tokens.push({ kind: word === 'in' ? 'In' : word === 'notin' ? 'NotIn' : 'Identifier', text: word });
  }
}

/** Parses a selector string into requirements in source order, or the upstream error text. */
export function parseRequirements(text: string): ParseRequirementsResult {
  const p = new TokenStream(lexSelector(text));
  const requirements: Requirement[] = [];
  for (;;) {
    const head = p.peek('values');
    if (head.kind === 'EndOfString') return { ok: true, requirements };
    if (head.kind !== 'Identifier' && head.kind !== 'DoesNotExist') {
      return fail(`found '${head.text}', expected: !, identifier, or 'end of string'`);
    }
    const r = parseRequirement(p);
    if (!r.ok) return fail(`unable to parse requirement: ${r.error}`);
    requirements.push(r.requirement);
    const after = p.next('values');
    if (after.kind === 'EndOfString') return { ok: true, requirements };
    if (after.kind !== 'Comma') return fail(`found '${after.text}', expected: ',' or 'end of string'`);
    const following = p.peek('values');
    if (following.kind !== 'Identifier' && following.kind !== 'DoesNotExist') {
      return fail(`found '${following.text}', expected: identifier after ','`);
    }
  }
}

/**
 * Reads the first token of `text` as a binary operator, the way the parser does after a key
 * (spec a.4: `found '<tok>', expected: in, notin, =, ==, !=, gt, lt`).
 */
export function parseOperatorText(text: string): { ok: true; operator: Operator } | { ok: false; error: string } {
  return parseOperator(new TokenStream(lexSelector(text)));
}

// ---------------------------------------------------------------------------------------------

const WHITESPACE: ReadonlySet<string> = new Set([' ', '\t', '\r', '\n']);
const SPECIAL: ReadonlySet<string> = new Set(['=', '!', '(', ')', ',', '>', '<']);
const SYMBOLS: Readonly<Record<string, TokenKind>> = {
  ')': 'ClosedPar',
  ',': 'Comma',
  '!': 'DoesNotExist',
  '==': 'DoubleEquals',
  '=': 'Equals',
  '>': 'GreaterThan',
  '<': 'LessThan',
  '!=': 'NotEquals',
  '(': 'OpenPar',
};

const OPERATOR_OF_TOKEN: Partial<Record<TokenKind, Operator>> = {
  In: 'in',
  NotIn: 'notin',
  Equals: '=',
  DoubleEquals: '==',
  NotEquals: '!=',
  GreaterThan: 'gt',
  LessThan: 'lt',
};

type Step<T> = { ok: true } & T;
type Failure = { ok: false; error: string };

function fail(error: string): Failure {
  return { ok: false, error };
}

/** In value context the keywords `in`/`notin` are plain identifiers. */
type Context = 'values' | 'keyAndOperator';

class TokenStream {
  private pos = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  peek(ctx: Context): Token {
    return this.view(this.tokens[Math.min(this.pos, this.tokens.length - 1)]!, ctx);
  }

  next(ctx: Context): Token {
    const t = this.peek(ctx);
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private view(t: Token, ctx: Context): Token {
    if (ctx === 'values' && (t.kind === 'In' || t.kind === 'NotIn')) return { kind: 'Identifier', text: t.text };
    return t;
  }
}

function parseRequirement(p: TokenStream): Step<{ requirement: Requirement }> | Failure {
  let t = p.next('values');
  const negated = t.kind === 'DoesNotExist';
  if (negated) t = p.next('values');
  if (t.kind !== 'Identifier') return fail(`found '${t.text}', expected: identifier`);
  const key = t.text;
  const keyMessages = isLabelKey(key);
  // The key is checked before any operator is read; upstream reports it with an unset field path.
  if (keyMessages.length > 0) return fail(fieldErrorText(invalid('<nil>', key, keyMessages.join('; '))));

  const lookahead = p.peek('values');
  if (negated || lookahead.kind === 'EndOfString' || lookahead.kind === 'Comma') {
    // `!key` is complete by itself; whatever follows is the caller's problem (`!x=a` fails there).
    return build(key, negated ? '!' : 'exists', []);
  }
  const op = parseOperator(p);
  if (!op.ok) return op;
  const values = op.operator === 'in' || op.operator === 'notin' ? parseValueSet(p) : parseExactValue(p);
  if (!values.ok) return values;
  return build(key, op.operator, [...values.values]);
}

function build(key: string, op: Operator, values: string[]): Step<{ requirement: Requirement }> | Failure {
  const r = newRequirement(key, op, values);
  return r.ok ? { ok: true, requirement: r.requirement } : fail(r.message);
}

function parseOperator(p: TokenStream): Step<{ operator: Operator }> | Failure {
  const t = p.next('keyAndOperator');
  const operator = OPERATOR_OF_TOKEN[t.kind];
  if (operator === undefined) return fail(`found '${t.text}', expected: ${BINARY_OPERATORS.join(', ')}`);
  return { ok: true, operator };
}

/** `( v1, v2, ... )`; empty entries stand for the empty value, duplicates collapse. */
function parseValueSet(p: TokenStream): Step<{ values: ReadonlySet<string> }> | Failure {
  const open = p.next('values');
  if (open.kind !== 'OpenPar') return fail(`found '${open.text}' expected: '('`);
  const first = p.peek('values');
  if (first.kind === 'ClosedPar') {
    p.next('values');
    return { ok: true, values: new Set(['']) };
  }
  if (first.kind !== 'Identifier' && first.kind !== 'Comma') {
    return fail(`found '${first.text}', expected: ',', ')' or identifier`);
  }
  const list = parseValueList(p);
  if (!list.ok) return list;
  const close = p.next('values');
  if (close.kind !== 'ClosedPar') return fail(`found '${first.text}', expected: ')'`);
  return list;
}

/** The entries of a value list up to (not including) its `)`. */
function parseValueList(p: TokenStream): Step<{ values: ReadonlySet<string> }> | Failure {
  const values = new Set<string>();
  for (;;) {
    const t = p.next('values');
    if (t.kind === 'Identifier') {
      values.add(t.text);
      const la = p.peek('values');
      if (la.kind === 'Comma') continue;
      if (la.kind === 'ClosedPar') return { ok: true, values };
      return fail(`found '${la.text}', expected: ',' or ')'`);
    }
    if (t.kind !== 'Comma') return fail(`found '${t.text}', expected: ',', or identifier`);
    // A comma with nothing before it, before `)` or before another comma stands for "".
    if (values.size === 0) values.add('');
    const la = p.peek('values');
    if (la.kind === 'ClosedPar') {
      values.add('');
      return { ok: true, values };
    }
    if (la.kind === 'Comma') values.add('');
  }
}

/** The single value after `=`, `==`, `!=`, `>`, `<`; end of input or `,` means "". */
function parseExactValue(p: TokenStream): Step<{ values: ReadonlySet<string> }> | Failure {
  const la = p.peek('values');
  if (la.kind === 'EndOfString' || la.kind === 'Comma') return { ok: true, values: new Set(['']) };
  const t = p.next('values');
  if (t.kind !== 'Identifier') return fail(`found '${t.text}', expected: identifier`);
  return { ok: true, values: new Set([t.text]) };
}
