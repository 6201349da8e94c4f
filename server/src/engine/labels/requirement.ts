// One label-selector requirement: its constructor (the only way to get a valid one), its match
// rule and its canonical text (spec a.1, a.4). Operators use the apimachinery `selection.Operator`
// spellings. Invariants of a `Requirement` built here: the key is a valid label key; `in`/`notin`
// have at least one value; `=`/`==`/`!=` exactly one; `exists`/`!` none; `gt`/`lt` exactly one
// int64; every value is a valid label value; values are sorted (duplicates kept, as upstream keeps
// them for LabelSelector input; the string parser removes them before calling the constructor).

import {
  aggregateText,
  compareCodePoints,
  fieldErrorText,
  invalid,
  notSupported,
  type FieldError,
} from './field-error';
import { isLabelKey, isLabelValue } from './formats';

export type Operator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';

/** Binary operators in upstream order; the order appears verbatim in parser error messages. */
export const BINARY_OPERATORS: readonly Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
/** All operators in upstream order (binary, then `exists`, `!`), as listed by "supported values". */
export const OPERATORS: readonly Operator[] = [...BINARY_OPERATORS, 'exists', '!'];

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** Sorted (byte order). */
  readonly values: readonly string[];
}

export type NewRequirementResult =
  | { readonly ok: true; readonly requirement: Requirement }
  | {
      readonly ok: false;
      /** Rendered field errors, e.g. `values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty`. */
      readonly errors: string[];
      readonly fieldErrors: readonly FieldError[];
      /** The errors joined the way the API aggregates them (one alone, several as `[a, b]`). */
      readonly message: string;
    };

/**
 * Builds a requirement, checking in order: (1) the key is a label key; (2) the value count fits the
 * operator (`in`/`notin` non-empty, `=`/`==`/`!=` one, `exists`/`!` none, `gt`/`lt` one integer);
 * (3) the operator is known; (4) every value is a label value. All problems are reported, each as
 * a field error relative to the requirement (`key`, `values`, `values[i]`, `values[i][<key>]`,
 * `operator`).
 */
export function newRequirement(key: string, op: Operator, values: readonly string[]): NewRequirementResult {
  const errs: FieldError[] = [];
  const keyMessages = isLabelKey(key);
  if (keyMessages.length > 0) errs.push(invalid('key', key, keyMessages.join('; ')));

  switch (op) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(invalid('values', values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(invalid('values', values, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(invalid('values', values, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(invalid('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (parseInt64(v) === null) {
          errs.push(invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
    default:
      errs.push(notSupported('operator', op, OPERATORS));
  }

  values.forEach((v, i) => {
    const messages = isLabelValue(v);
    if (messages.length > 0) errs.push(invalid(`values[${i}][${key}]`, v, messages.join('; ')));
  });

  if (errs.length > 0) {
    const errors = errs.map(fieldErrorText);
    return { ok: false, errors, fieldErrors: errs, message: aggregateText(errors) };
  }
  return { ok: true, requirement: { key, operator: op, values: [...values].sort(compareCodePoints) } };
}

/**
 * Whether labels satisfy one requirement (spec a.1):
 * - `in`, `=`, `==`: the key is present and its value is one of the values;
 * - `notin`, `!=`: the key is absent, or its value is none of the values;
 * - `exists`: the key is present (any value, `""` included); `!`: the key is absent;
 * - `gt`, `lt`: the key is present, its value and the operand both parse as base-10 int64 and the
 *   comparison holds; a non-integer label value never matches.
 */
export function requirementMatches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value!);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const actual = parseInt64(value!);
      const bound = parseInt64(r.values[0]!);
      if (actual === null || bound === null) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

/** Canonical text: `!k`, `k`, `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k>1`, `k<1`. */
export function requirementToString(r: Requirement): string {
  const values = r.values.join(',');
  switch (r.operator) {
    case '!':
      return `!${r.key}`;
    case 'exists':
      return r.key;
    case '=':
    case '==':
    case '!=':
      return `${r.key}${r.operator}${values}`;
    case 'gt':
      return `${r.key}>${values}`;
    case 'lt':
      return `${r.key}<${values}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${values})`;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go `strconv.ParseInt(s, 10, 64)`: optional sign, decimal digits, within int64. */
export function parseInt64(s: string): bigint | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? null : n;
}
