// Diagnostic: schema
//
// Kubernetes rule: the API server decodes an object strictly against its kind's schema before it
// validates anything else (`kubectl apply`'s default field validation is strict): unknown fields,
// wrong JSON types, malformed quantities or base64 data, unsupported enum values and missing
// required fields make it refuse the object.
// Fires once per problem `validateObject` (schema/schema.ts) finds, with its severity and text, for
// built-in kinds of the Kubernetes version Kubeglass models and for custom resources whose
// CustomResourceDefinition is in the workspace. A missing required field is reported at its parent
// field. Not checked: kustomize patch files (partial objects by design), missing fields of an object
// that a patch file in the workspace targets (the patch may complete it in the build), a missing workload
// `spec.selector` that a kustomization's `commonLabels` (or `labels` with `includeSelectors`) writes,
// values holding a `${VAR}` placeholder (an envsubst-style template, rendered before it is applied),
// and removed API versions (the `deprecated-api` check reports those).
import type { Check, CheckContext } from './types';
import type { FieldPath } from '../syntax/parse';
import { getPath, isRecord, type K8sObject } from '../model/object';
import { knownKind, schemaFromCRD, validateObject, type KindSchema } from '../schema/schema';
import { applyUnitsOf } from './pod-references';

export const schema: Check = {
  codes: { schema: 'error' },
  run(object, ctx, report) {
    const crds = knownKind(object.apiVersion, object.kind) ? [] : crdSchemasFor(ctx, object);
    if (crds.length === 0 && !knownKind(object.apiVersion, object.kind)) return;
    const problems = validateObject(object.apiVersion, object.kind, object.raw, { crds });
    if (problems.length === 0) return;
    const units = applyUnitsOf(ctx);
    if (units.isPatch(object.uri)) return;
    for (const p of problems) {
      if (isPlaceholder(getPath(object.raw, p.path))) continue;
      if (p.message === 'spec.selector: Required value' && units.addsSelectorLabels(object.uri)) continue;
      // A kustomize patch of this very object may fill in what it lacks in the build (a partial resource
      // completed by an overlay's patch): a missing field is then not known to be missing.
      if (p.message.endsWith('Required value') && patchedElsewhere(ctx, object)) continue;
      const at = placeOf(object, p.path, p.message.startsWith('unknown field'));
      report({ code: 'schema', severity: p.severity, message: withoutSecretValue(object, p.path, p.message), ...at });
    }
  },
};

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

const crdCache = new WeakMap<K8sObject, readonly KindSchema[]>();

/** The schemas of the workspace CRDs that define this object's group and kind. */
function crdSchemasFor(ctx: CheckContext, object: K8sObject): KindSchema[] {
  const out: KindSchema[] = [];
  for (const crd of ctx.index.ofKind('CustomResourceDefinition')) {
    const spec = crd.raw.spec;
    if (!isRecord(spec) || spec.group !== object.group || !isRecord(spec.names) || spec.names.kind !== object.kind) continue;
    let schemas = crdCache.get(crd);
    if (!schemas) crdCache.set(crd, (schemas = schemaFromCRD(crd.raw)));
    out.push(...schemas.filter((s) => s.apiVersion === object.apiVersion));
  }
  return out;
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
