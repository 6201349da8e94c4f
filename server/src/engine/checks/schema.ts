// Diagnostic: schema
//
// Kubernetes rule: the API server decodes an object strictly against its kind's schema before it
// validates anything else (`kubectl apply`'s default field validation is strict): unknown fields,
// wrong JSON types, malformed quantities or base64 data, unsupported enum values and missing
// required fields make it refuse the object.
// Fires once per problem `validateObject` (schema/schema.ts) finds, with its severity and text, for
// built-in kinds of the Kubernetes version Kubeglass models and for custom resources whose
// CustomResourceDefinition is in the workspace: the one deployed with the object (crd-scope.ts) when
// there is one; otherwise only what every CRD of that kind in the workspace finds, and an unknown field
// is then a warning (another project's CRD may be older than the cluster's). A missing required field is reported at its parent
// field. Not checked: kustomize patch files (partial objects by design), missing fields of an object
// that a patch file in the workspace targets (the patch may complete it in the build), a missing workload
// `spec.selector` that a kustomization's `commonLabels` (or `labels` with `includeSelectors`) writes,
// values holding a `${VAR}` placeholder (an envsubst-style template, rendered before it is applied),
// and removed API versions (the `deprecated-api` check reports those).
import type { Check, CheckContext } from './types';
import type { FieldPath } from '../syntax/parse';
import { getPath, type K8sObject } from '../model/object';
import { knownKind, validateObject, type SchemaProblem } from '../schema/schema';
import { crdCandidates, type CrdCandidate } from './crd-scope';
import { applyUnitsOf } from './pod-references';

export const schema: Check = {
  codes: { schema: 'error' },
  run(object, ctx, report) {
    const builtin = knownKind(object.apiVersion, object.kind);
    const crds = builtin ? [] : crdCandidates(ctx, object);
    if (!builtin && crds.length === 0) return;
    const { problems, far } = builtin || crds[0].near ? { problems: validate(object, crds.slice(0, 1)), far: undefined } : farProblems(object, crds);
    if (problems.length === 0) return;
    const units = applyUnitsOf(ctx);
    if (units.isPatch(object.uri)) return;
    for (const p of problems) {
      if (isPlaceholder(getPath(object.raw, p.path))) continue;
      if (p.message === 'spec.selector: Required value' && units.addsSelectorLabels(object.uri)) continue;
      // A kustomize patch of this very object may fill in what it lacks in the build (a partial resource
      // completed by an overlay's patch): a missing field is then not known to be missing.
      if (p.message.endsWith('Required value') && patchedElsewhere(ctx, object)) continue;
      const unknownField = p.message.startsWith('unknown field');
      const at = placeOf(object, p.path, unknownField);
      const message = withoutSecretValue(object, p.path, p.message);
      if (far && unknownField) {
        // CRDs gain fields from release to release: a field the CRD of another project lacks may well be
        // one the cluster's (newer) version has.
        const related = [{ object: far, path: ['metadata', 'name'], message: `CustomResourceDefinition "${far.name}" (not deployed with this object)` }];
        report({ code: 'schema', severity: 'warning', message: `${message} in the CustomResourceDefinition from another folder (not deployed with this object; the version the cluster runs may define it)`, related, ...at });
      } else {
        report({ code: 'schema', severity: p.severity, message, ...at });
      }
    }
  },
};

function validate(object: K8sObject, crds: readonly CrdCandidate[]): readonly SchemaProblem[] {
  return validateObject(object.apiVersion, object.kind, object.raw, { crds: crds.map((c) => c.schema) });
}

/**
 * Only CRDs from elsewhere in the workspace define the kind: the problems every one of them finds
 * (a field one version knows is not known to be wrong), with the nearest CRD for reference.
 */
function farProblems(object: K8sObject, crds: readonly CrdCandidate[]): { problems: readonly SchemaProblem[]; far: K8sObject } {
  let problems = validate(object, crds.slice(0, 1));
  for (const other of crds.slice(1)) {
    if (problems.length === 0) break;
    const seen = new Set(validate(object, [other]).map((p) => p.message));
    problems = problems.filter((p) => seen.has(p.message));
  }
  return { problems, far: crds[0].crd };
}

/**
 * Where to show a problem: an unknown field's key, a bad value's value, or for an absent field the key
 * of its nearest written parent (a list item's whole value).
 */
function placeOf(object: K8sObject, path: FieldPath, atKey: boolean): { path?: FieldPath; target?: 'key' | 'value' } {
  if (path.length === 0) return { path: ['kind'], target: 'value' };
  if (getPath(object.raw, path) !== undefined) return { path, target: atKey ? 'key' : 'value' };
  let parent = path.slice(0, -1);
  while (parent.length > 0 && getPath(object.raw, parent) === undefined) parent = parent.slice(0, -1);
  if (parent.length === 0) return { path: ['kind'], target: 'value' };
  return { path: parent, target: typeof parent[parent.length - 1] === 'number' ? 'value' : 'key' };
}

/** True when a kustomize patch file in the workspace targets the same kind and name. */
function patchedElsewhere(ctx: CheckContext, object: K8sObject): boolean {
  const units = applyUnitsOf(ctx);
  return ctx.index.named(object.kind, object.namespace, object.name).some((o) => o !== object && o.uri !== object.uri && units.isPatch(o.uri));
}

/** A string holding an envsubst-style `${VAR}` reference. */
function isPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && /\$\{[A-Za-z_][A-Za-z0-9_]*([:?=+-][^}]*)?\}/.test(value);
}

/**
 * The message without the offending value when that value belongs to a Secret's `data` or
 * `stringData`: diagnostics are shown, logged and exported, and must never carry secret material.
 */
function withoutSecretValue(object: K8sObject, path: FieldPath, message: string): string {
  if (object.kind !== 'Secret' || (path[0] !== 'data' && path[0] !== 'stringData')) return message;
  const value = getPath(object.raw, path);
  if (value === null || value === undefined || typeof value === 'object') return message;
  // The field path comes first (`data.key: ...`); only the text after it can hold the value.
  const cut = message.indexOf(': ');
  let rest = cut === -1 ? message : message.slice(cut);
  for (const s of [JSON.stringify(value), String(value)]) if (s.length > 0) rest = rest.split(s).join('(value hidden)');
  return cut === -1 ? rest : message.slice(0, cut) + rest;
}
