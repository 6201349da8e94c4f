// Label selectors with exact Kubernetes semantics (spec section a): the `Selector` value, its
// constructors from every place Kubernetes writes a selector (string syntax, `metav1.LabelSelector`,
// plain maps), matching, canonical text, API validation, and the index hooks (exact-match
// requirements, keys read). Every other engine module asks this one "does this selector match".
//
// Invariants: a `requirements` selector holds at least one requirement, each built by
// `newRequirement`, sorted by key (stable, so several requirements on one key keep their source
// order, as upstream's sort does for selectors of normal size). "Everything" and "nothing" are
// distinct values: see `SELECTOR_MEANINGS` for which one a missing or empty selector means per kind.
// `selectorToString` is canonical and round-trips through `parseSelector`, except that NOTHING
// prints as "" (as upstream) and "" parses as EVERYTHING.
//
// Deliberately absent: mutation (`Add`), and the "matches nothing" analysis of contradictory
// requirements (upstream does not do it either; spec a.5 WARN).
//
// Leaf module: imports only its own directory and the Kubernetes types.

import type { V1LabelSelector } from '../model/k8s-types';
import { compareCodePoints, fieldErrorText, forbidden, goQuote, invalid, required, type FieldError } from './field-error';
import { isLabelKey, isLabelValue } from './formats';
import { newRequirement, requirementMatches, requirementToString, type Operator, type Requirement } from './requirement';
import { parseRequirements } from './selector-syntax';

export type { Operator, Requirement, NewRequirementResult } from './requirement';
export { newRequirement, requirementMatches, requirementToString, OPERATORS, BINARY_OPERATORS } from './requirement';
export { lexSelector, parseOperatorText, type Token, type TokenKind } from './selector-syntax';

/** 'everything' and 'nothing' are distinct values (see spec a.5). */
export type Selector =
  | { readonly kind: 'everything' }
  | { readonly kind: 'nothing' }
  | { readonly kind: 'requirements'; readonly requirements: readonly Requirement[] };

export type Labels = Readonly<Record<string, string>>;

export const EVERYTHING: Selector = Object.freeze({ kind: 'everything' });
export const NOTHING: Selector = Object.freeze({ kind: 'nothing' });

/**
 * What an absent or empty selector means, per kind and field (spec a.5). `nothing` / `everything`
 * are selector values; `rejected` means the API server refuses the object; `defaulted` means the
 * field is filled from the Pod template labels; `unmanaged` means no Pods are selected and the
 * user supplies the EndpointSlices; `own-namespace` limits a peer to the policy's namespace;
 * `other-fields` means the peer is defined by its other fields.
 */
export const SELECTOR_MEANINGS: ReadonlyArray<{
  readonly kind: string;
  readonly field: string;
  readonly absent: 'nothing' | 'everything' | 'rejected' | 'defaulted' | 'unmanaged' | 'own-namespace' | 'other-fields';
  readonly empty: 'nothing' | 'everything' | 'rejected' | 'defaulted' | 'unmanaged';
}> = [
  // Plain map; `{}` and absent are indistinguishable after serialization (kubernetes#25836).
  { kind: 'Service', field: 'spec.selector', absent: 'unmanaged', empty: 'unmanaged' },
  { kind: 'ReplicationController', field: 'spec.selector', absent: 'defaulted', empty: 'defaulted' },
  // `spec.selector: Required value` / `empty selector is invalid for deployment` (also for ReplicaSet).
  { kind: 'Deployment', field: 'spec.selector', absent: 'rejected', empty: 'rejected' },
  { kind: 'ReplicaSet', field: 'spec.selector', absent: 'rejected', empty: 'rejected' },
  { kind: 'StatefulSet', field: 'spec.selector', absent: 'rejected', empty: 'rejected' },
  // No Required check: a nil selector becomes NOTHING and then fails the template-label check.
  { kind: 'DaemonSet', field: 'spec.selector', absent: 'nothing', empty: 'rejected' },
  // Non-pointer field: absent is `{}`, which selects every Pod of the policy's namespace.
  { kind: 'NetworkPolicy', field: 'spec.podSelector', absent: 'everything', empty: 'everything' },
  // Peer podSelector unset: the peer is defined by its other fields (namespaceSelector, ipBlock).
  { kind: 'NetworkPolicy', field: 'peer.podSelector', absent: 'other-fields', empty: 'everything' },
  // Peer namespaceSelector unset: only the policy's own namespace; `{}`: all namespaces.
  { kind: 'NetworkPolicy', field: 'peer.namespaceSelector', absent: 'own-namespace', empty: 'everything' },
];

/** Builds a selector from requirements: none gives EVERYTHING; otherwise sorted by key (stable). */
export function selectorFromRequirements(requirements: readonly Requirement[]): Selector {
  if (requirements.length === 0) return EVERYTHING;
  const sorted = requirements
    .map((r, i) => ({ r, i }))
    .sort((a, b) => compareCodePoints(a.r.key, b.r.key) || a.i - b.i)
    .map((x) => x.r);
  return { kind: 'requirements', requirements: sorted };
}

/**
 * Parses the string syntax (`kubectl -l`, spec a.4). The empty string gives EVERYTHING. Errors
 * carry the upstream text, e.g. `unable to parse requirement: found '(', expected: in, notin, ...`.
 */
export function parseSelector(text: string): { ok: true; selector: Selector } | { ok: false; error: string } {
  const parsed = parseRequirements(text);
  if (!parsed.ok) return parsed;
  return { ok: true, selector: selectorFromRequirements(parsed.requirements) };
}

/**
 * `metav1.LabelSelector` → selector (spec a.2): null/undefined → NOTHING; no matchLabels and no
 * matchExpressions → EVERYTHING; each matchLabels entry `k: v` → `k=v`; matchExpressions `In`,
 * `NotIn`, `Exists`, `DoesNotExist` → `in`, `notin`, `exists`, `!`. On any error (unknown operator,
 * invalid key or value) the selector is NOTHING, because upstream returns no selector and its
 * callers then select nothing; all errors are listed (matchLabels by key, then expressions).
 */
export function selectorFromLabelSelector(ls: V1LabelSelector | null | undefined): { selector: Selector; errors: string[] } {
  if (ls === null || ls === undefined || typeof ls !== 'object') return { selector: NOTHING, errors: [] };
  const matchLabels = entriesOf(ls.matchLabels);
  const expressions = Array.isArray(ls.matchExpressions) ? ls.matchExpressions : [];
  if (matchLabels.length + expressions.length === 0) return { selector: EVERYTHING, errors: [] };

  const requirements: Requirement[] = [];
  const errors: string[] = [];
  const add = (key: string, op: Operator, values: readonly string[]): void => {
    const r = newRequirement(key, op, values);
    if (r.ok) requirements.push(r.requirement);
    else errors.push(r.message);
  };
  for (const [key, value] of matchLabels) add(key, '=', [value]);
  for (const expr of expressions) {
    const rawOp: unknown = expr?.operator;
    const op = Object.hasOwn(LABEL_SELECTOR_OPERATORS, String(rawOp)) ? LABEL_SELECTOR_OPERATORS[String(rawOp)] : undefined;
    if (op === undefined) {
      errors.push(`${goQuote(String(rawOp ?? ''))} is not a valid label selector operator`);
      continue;
    }
    add(String(expr.key ?? ''), op, stringList(expr.values));
  }
  if (errors.length > 0) return { selector: NOTHING, errors };
  return { selector: selectorFromRequirements(requirements), errors };
}

/**
 * `metav1.LabelSelectorAsMap` (spec a.2): matchLabels plus every `In` with exactly one value.
 * Other expressions stop the conversion with an error; the map built so far is returned with it.
 * A null selector gives a null map.
 */
export function labelSelectorAsMap(
  ls: V1LabelSelector | null | undefined,
): { map: Record<string, string> | null; error: string | null } {
  if (ls === null || ls === undefined) return { map: null, error: null };
  const map: Record<string, string> = {};
  for (const [k, v] of entriesOf(ls.matchLabels)) map[k] = v;
  for (const expr of Array.isArray(ls.matchExpressions) ? ls.matchExpressions : []) {
    const op = String(expr?.operator ?? '');
    const values = stringList(expr?.values);
    switch (op) {
      case 'In':
        if (values.length !== 1) {
          return { map, error: `operator ${goQuote(op)} without a single value cannot be converted into the old label selector format` };
        }
        map[String(expr.key ?? '')] = values[0]!;
        break;
      case 'NotIn':
      case 'Exists':
      case 'DoesNotExist':
        return { map, error: `operator ${goQuote(op)} cannot be converted into the old label selector format` };
      default:
        return { map, error: `${goQuote(op)} is not a valid selector operator` };
    }
  }
  return { map, error: null };
}

/**
 * A plain label map as a selector (`labels.SelectorFromSet`): every key must be present with
 * exactly that value; null or `{}` → EVERYTHING. No validation (see `validatedSelectorFromMap`).
 * For Service `.spec.selector`, where an empty map selects no Pods, use `serviceSelector`.
 */
export function selectorFromMap(map: Readonly<Record<string, string>> | null | undefined): Selector {
  const entries = entriesOf(map);
  return selectorFromRequirements(entries.map(([key, value]) => ({ key, operator: '=', values: [value] })));
}

/** `labels.ValidatedSelectorFromSet`: like `selectorFromMap`, but invalid keys/values give errors and NOTHING. */
export function validatedSelectorFromMap(map: Readonly<Record<string, string>> | null | undefined): { selector: Selector; errors: string[] } {
  const requirements: Requirement[] = [];
  const errors: string[] = [];
  for (const [key, value] of entriesOf(map)) {
    const r = newRequirement(key, '=', [value]);
    if (r.ok) requirements.push(r.requirement);
    else errors.push(r.message);
  }
  if (errors.length > 0) return { selector: NOTHING, errors };
  return { selector: selectorFromRequirements(requirements), errors };
}

/**
 * The Pods a Service `.spec.selector` selects (spec a.5): absent or `{}` selects no Pods (the
 * Service's EndpointSlices are then user-managed), otherwise the map's equality requirements.
 */
export function serviceSelector(map: Readonly<Record<string, string>> | null | undefined): Selector {
  return entriesOf(map).length === 0 ? NOTHING : selectorFromMap(map);
}

/** True when a Service `.spec.selector` leaves its EndpointSlices to the user (absent or `{}`). */
export function isServiceSelectorUnmanaged(map: Readonly<Record<string, string>> | null | undefined): boolean {
  return entriesOf(map).length === 0;
}

/** EVERYTHING matches all labels, NOTHING none, otherwise every requirement must match. */
export function matches(selector: Selector, labels: Labels): boolean {
  switch (selector.kind) {
    case 'everything':
      return true;
    case 'nothing':
      return false;
    case 'requirements':
      return selector.requirements.every((r) => requirementMatches(r, labels));
  }
}

/** Canonical text: requirements joined by `,` in key order; EVERYTHING and NOTHING print as "". */
export function selectorToString(selector: Selector): string {
  if (selector.kind !== 'requirements') return '';
  return selector.requirements.map(requirementToString).join(',');
}

/**
 * API validation of a `metav1.LabelSelector` at `fieldPath` (spec a.3): per matchLabels entry the
 * key and value formats (reported on the map's own path), per expression the operator and value
 * count, the key format and each value's format. `message` is the full rendered error
 * (`<field>: <type>: ...`). A null or non-object selector yields nothing.
 */
export function validateLabelSelector(ls: unknown, fieldPath: string): Array<{ field: string; message: string }> {
  return labelSelectorFieldErrors(ls, fieldPath).map((e) => ({ field: e.field, message: fieldErrorText(e) }));
}

/** `validateLabelSelector` as structured field errors. */
export function labelSelectorFieldErrors(ls: unknown, fieldPath: string): FieldError[] {
  if (ls === null || typeof ls !== 'object') return [];
  const sel = ls as { matchLabels?: unknown; matchExpressions?: unknown };
  const errs: FieldError[] = [];
  const labelsPath = `${fieldPath}.matchLabels`;
  for (const [key, value] of entriesOf(sel.matchLabels)) {
    for (const m of isLabelKey(key)) errs.push(invalid(labelsPath, key, m));
    for (const m of isLabelValue(value)) errs.push(invalid(labelsPath, value, m));
  }
  const expressions = Array.isArray(sel.matchExpressions) ? (sel.matchExpressions as unknown[]) : [];
  expressions.forEach((raw, i) => {
    const expr = (raw ?? {}) as { key?: unknown; operator?: unknown; values?: unknown };
    const path = `${fieldPath}.matchExpressions[${i}]`;
    const values = stringList(expr.values);
    const op = typeof expr.operator === 'string' ? expr.operator : '';
    switch (op) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalid(`${path}.operator`, op, 'not a valid selector operator'));
    }
    const key = typeof expr.key === 'string' ? expr.key : '';
    for (const m of isLabelKey(key)) errs.push(invalid(`${path}.key`, key, m));
    values.forEach((v, j) => {
      for (const m of isLabelValue(v)) errs.push(invalid(`${path}.values[${j}]`, v, m));
    });
  });
  return errs;
}

/**
 * For index lookups: requirements that restrict a key to a finite set of values (`=`, `==`, `in`),
 * so a caller can start from the smallest posting list. Empty when the selector has none (and for
 * EVERYTHING and NOTHING: callers must test `kind === 'nothing'` first).
 */
export function exactMatchRequirements(selector: Selector): ReadonlyArray<{ key: string; values: readonly string[] }> {
  if (selector.kind !== 'requirements') return [];
  return selector.requirements
    .filter((r) => r.operator === '=' || r.operator === '==' || r.operator === 'in')
    .map((r) => ({ key: r.key, values: [...new Set(r.values)] }));
}

/** Label keys a selector reads (for invalidation), sorted and unique. */
export function selectorKeys(selector: Selector): readonly string[] {
  if (selector.kind !== 'requirements') return [];
  return [...new Set(selector.requirements.map((r) => r.key))].sort(compareCodePoints);
}

// ---------------------------------------------------------------------------------------------

const LABEL_SELECTOR_OPERATORS: Readonly<Record<string, Operator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/** Entries of a user-written string map, sorted by key; non-string scalars become their text. */
function entriesOf(map: unknown): Array<[string, string]> {
  if (map === null || typeof map !== 'object' || Array.isArray(map)) return [];
  return Object.keys(map)
    .sort(compareCodePoints)
    .map((k) => [k, scalarText((map as Record<string, unknown>)[k])]);
}

function stringList(values: unknown): string[] {
  return Array.isArray(values) ? values.map(scalarText) : [];
}

function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
