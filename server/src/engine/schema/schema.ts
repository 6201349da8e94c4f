// Kubernetes API schema queries for editor features: field documentation (`kubectl explain`),
// completion candidates, validation, and kind facts (known, cluster-scoped). Built-in kinds come
// from the generated Kubernetes 1.34 schema; kinds of CustomResourceDefinitions found in the
// workspace are passed in explicitly (`options.crds`, built with `schemaFromCRD`).
//
// Paths are field paths from the object root, as the syntax layer reports them:
// `['spec', 'ports', 0, 'targetPort']`. A number selects a list item; a name under a list applies
// to its items (`spec.ports.targetPort`, as `kubectl explain` writes it); a name under a map is a
// key, documented by the map field.
//
// Pure and total: unknown kinds, paths and malformed values give `undefined`, `[]` or no problems.
import { builtinSchema, kindKey } from './builtin-schema';
import { explainCard } from './explain';
import type { EnumValue, FieldSchema, KindSchema, ObjectModel, SchemaType } from './schema-model';
import { objectModelOf, typeDisplay } from './schema-model';
import { validateAgainst, type SchemaProblem } from './validate';

export { schemaFromCRD } from './crd-schema';
export { pathText } from './validate';
export type { SchemaProblem, ProblemPath } from './validate';
export type { KindSchema, EnumValue } from './schema-model';

export interface SchemaOptions {
  /** Kinds defined by CustomResourceDefinitions in the workspace (see `schemaFromCRD`). */
  readonly crds?: readonly KindSchema[];
}

export interface FieldDoc {
  /** `spec.ports.targetPort` (no list indices, as `kubectl explain` takes it); '' for the kind. */
  readonly path: string;
  /** The field's name, or the kind for the root. */
  readonly field: string;
  /** `kubectl explain` type: `IntOrString`, `[]ServicePort`, `map[string]string`, `string`. */
  readonly type: string;
  /** Upstream description text, unchanged ('' when upstream has none). */
  readonly description: string;
  readonly required: boolean;
  readonly enum?: readonly EnumValue[];
}

export interface FieldCandidate {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly required: boolean;
  readonly enum?: readonly EnumValue[];
}

export interface KindFacts {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** The schema of (apiVersion, kind): a built-in kind first, else a workspace CRD's kind. */
export function resolveKind(apiVersion: string, kind: string, options?: SchemaOptions): KindSchema | undefined {
  const builtin = builtinSchema().kinds.get(kindKey(apiVersion, kind));
  if (builtin) return builtin;
  return options?.crds?.find((k) => k.apiVersion === apiVersion && k.kind === kind);
}

export function knownKind(apiVersion: string, kind: string, options?: SchemaOptions): boolean {
  return resolveKind(apiVersion, kind, options) !== undefined;
}

/** true for cluster-scoped kinds (Namespace, ClusterRole, ...); undefined for unknown kinds. */
export function isClusterScoped(apiVersion: string, kind: string, options?: SchemaOptions): boolean | undefined {
  const schema = resolveKind(apiVersion, kind, options);
  return schema === undefined ? undefined : !schema.namespaced;
}

/** Every built-in kind Kubernetes 1.34 serves, sorted by apiVersion then kind. */
export function builtinKinds(): readonly KindFacts[] {
  return [...builtinSchema().kinds.values()].map(({ apiVersion, kind, namespaced }) => ({ apiVersion, kind, namespaced }));
}

/** Documentation of the field at `path` (the kind itself for an empty path). */
export function fieldDoc(apiVersion: string, kind: string, path: readonly (string | number)[], options?: SchemaOptions): FieldDoc | undefined {
  const schema = resolveKind(apiVersion, kind, options);
  if (!schema) return undefined;
  const at = locate(schema.root, path);
  if (!at) return undefined;
  if (!at.field) {
    return { path: '', field: schema.kind, type: schema.root.displayName, description: schema.root.description ?? '', required: false };
  }
  const doc: FieldDoc = {
    path: at.names.join('.'),
    field: at.field.name,
    type: typeDisplay(at.type),
    description: at.field.description ?? '',
    required: at.field.required && !at.inMap,
  };
  return at.field.enum.length > 0 && !at.inMap ? { ...doc, enum: at.field.enum } : doc;
}

/** The `kubectl explain` card of the field at `path`, as Markdown. */
export function explainMarkdown(apiVersion: string, kind: string, path: readonly (string | number)[], options?: SchemaOptions): string | undefined {
  const doc = fieldDoc(apiVersion, kind, path, options);
  return doc === undefined ? undefined : explainCard(apiVersion, kind, doc);
}

/** Completion candidates: the fields of the object at `path`, sorted by name. */
export function fieldNames(apiVersion: string, kind: string, path: readonly (string | number)[], options?: SchemaOptions): readonly FieldCandidate[] {
  const schema = resolveKind(apiVersion, kind, options);
  if (!schema) return [];
  const at = path.length === 0 ? { type: { kind: 'object', model: schema.root } as SchemaType } : locate(schema.root, path);
  const model = at ? objectModelOf(at.type) : undefined;
  if (!model) return [];
  return [...model.fields.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => {
      const c: FieldCandidate = { name: f.name, type: typeDisplay(f.type), description: f.description ?? '', required: f.required };
      return f.enum.length > 0 ? { ...c, enum: f.enum } : c;
    });
}

/**
 * Schema problems of `value` as an object of (apiVersion, kind); none for unknown kinds (custom
 * resources without their CRD, removed API versions: see removed-apis.ts).
 */
export function validateObject(apiVersion: string, kind: string, value: unknown, options?: SchemaOptions): readonly SchemaProblem[] {
  const schema = resolveKind(apiVersion, kind, options);
  return schema ? validateAgainst(schema, value) : [];
}

interface Located {
  readonly field: FieldSchema | undefined;
  readonly type: SchemaType;
  /** Field names along the path (list indices and map keys left out). */
  readonly names: readonly string[];
  /** The path ends at a map key: the doc is the map field's, the type the value type. */
  readonly inMap: boolean;
}

/** Walks `path` through the schema; undefined when it leaves the schema. */
function locate(root: ObjectModel, path: readonly (string | number)[]): Located | undefined {
  let type: SchemaType = { kind: 'object', model: root };
  let field: FieldSchema | undefined;
  let inMap = false;
  const names: string[] = [];
  for (const step of path) {
    if (typeof step === 'number') {
      if (type.kind !== 'array') return undefined;
      type = type.items;
      continue;
    }
    while (type.kind === 'array') type = type.items;
    if (type.kind === 'map') {
      type = type.values;
      inMap = true;
      continue;
    }
    if (type.kind !== 'object') return undefined;
    const next = type.model.fields.get(step);
    if (!next) return undefined;
    field = next;
    type = next.type;
    inMap = false;
    names.push(step);
  }
  return { field, type, names, inMap };
}
