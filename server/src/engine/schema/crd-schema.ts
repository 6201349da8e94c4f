// Schemas of custom resources, read from a CustomResourceDefinition in the workspace, so that its
// kind gets the same documentation, completion and validation as a built-in kind.
//
// Follows the API server's handling of structural schemas (apiextensions.k8s.io/v1): every served
// version's `schema.openAPIV3Schema` describes `spec`, `status`, ...; `apiVersion`, `kind` and
// `metadata` are always there, `metadata` being a standard ObjectMeta; fields the schema does not
// list are pruned, hence unknown, unless `x-kubernetes-preserve-unknown-fields` keeps them;
// `x-kubernetes-int-or-string` admits an integer or a string; `x-kubernetes-embedded-resource`
// objects carry their own apiVersion/kind/metadata. The removed apiextensions.k8s.io/v1beta1 shape
// (`spec.validation.openAPIV3Schema`, `spec.version`) is read too: old workspaces still hold it.
//
// Never throws: anything malformed yields fewer kinds or `any` types. Absent on purpose: CEL
// rules (`x-kubernetes-validations`), `format`, numeric and length bounds, `oneOf`/`anyOf`.
import { builtinSchema } from './builtin-schema';
import type { EnumValue, FieldSchema, KindSchema, ObjectModel, SchemaType } from './schema-model';
import { isRecord } from '../model/object';

/** Deepest schema nesting converted; deeper parts become `any` (bounded work on hostile input). */
const maxDepth = 64;

/** One KindSchema per served version of the CRD; empty when `crd` is not a usable CRD. */
export function schemaFromCRD(crd: unknown): readonly KindSchema[] {
  if (!isRecord(crd) || crd['kind'] !== 'CustomResourceDefinition') return [];
  if (typeof crd['apiVersion'] !== 'string' || !crd['apiVersion'].startsWith('apiextensions.k8s.io/')) return [];
  const spec = crd['spec'];
  if (!isRecord(spec)) return [];
  const group = spec['group'];
  const names = spec['names'];
  const kind = isRecord(names) ? names['kind'] : undefined;
  if (typeof group !== 'string' || group === '' || typeof kind !== 'string' || kind === '') return [];
  const namespaced = spec['scope'] !== 'Cluster';
  const validation = isRecord(spec['validation']) ? spec['validation']['openAPIV3Schema'] : undefined;
  const versions: { name: string; schema: unknown }[] = [];
  if (Array.isArray(spec['versions'])) {
    for (const v of spec['versions']) {
      if (!isRecord(v) || typeof v['name'] !== 'string' || v['served'] === false) continue;
      const own = isRecord(v['schema']) ? v['schema']['openAPIV3Schema'] : undefined;
      versions.push({ name: v['name'], schema: own ?? validation });
    }
  } else if (typeof spec['version'] === 'string') {
    versions.push({ name: spec['version'], schema: validation });
  }
  return versions
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ name, schema }) => ({
      apiVersion: `${group}/${name}`,
      kind,
      namespaced,
      root: rootModel(schema),
      source: 'crd' as const,
    }));
}

/** The object root: the schema's properties plus the fields every object has. */
function rootModel(schema: unknown): ObjectModel {
  if (!isRecord(schema)) return { displayName: 'Object', description: undefined, fields: withObjectFields(new Map()), preserveUnknownFields: true };
  const converted = objectModel(schema, 0);
  return { ...converted, fields: withObjectFields(new Map(converted.fields)) };
}

/** apiVersion, kind and metadata as the API server defines them for every object. */
function withObjectFields(fields: Map<string, FieldSchema>): ReadonlyMap<string, FieldSchema> {
  const builtin = builtinSchema();
  const typeMeta = builtin.models.get('V1ConfigMap')?.fields;
  const meta = builtin.models.get('V1ObjectMeta');
  for (const name of ['apiVersion', 'kind']) {
    const known = typeMeta?.get(name);
    fields.set(name, {
      name,
      type: { kind: 'scalar', scalar: 'string' },
      description: fields.get(name)?.description ?? known?.description,
      required: false,
      enum: [],
    });
  }
  fields.set('metadata', {
    name: 'metadata',
    type: meta ? { kind: 'object', model: meta } : { kind: 'any' },
    description: fields.get('metadata')?.description ?? typeMeta?.get('metadata')?.description,
    required: false,
    enum: [],
  });
  return new Map([...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function objectModel(schema: Record<string, unknown>, depth: number): ObjectModel {
  const properties = isRecord(schema['properties']) ? schema['properties'] : {};
  const required = new Set(Array.isArray(schema['required']) ? schema['required'].filter((r): r is string => typeof r === 'string') : []);
  const fields = new Map<string, FieldSchema>();
  for (const name of Object.keys(properties).sort()) {
    const prop = properties[name];
    const propSchema = isRecord(prop) ? prop : {};
    fields.set(name, {
      name,
      type: schemaType(propSchema, depth + 1),
      description: typeof propSchema['description'] === 'string' ? propSchema['description'] : undefined,
      required: required.has(name),
      enum: enumValues(propSchema),
    });
  }
  const model: ObjectModel = {
    displayName: 'Object',
    description: typeof schema['description'] === 'string' ? schema['description'] : undefined,
    fields,
    preserveUnknownFields: schema['x-kubernetes-preserve-unknown-fields'] === true,
  };
  return schema['x-kubernetes-embedded-resource'] === true ? { ...model, fields: withObjectFields(fields) } : model;
}

/** Cases: int-or-string; object with properties (object model) or additionalProperties (map);
 *  array; scalar types; anything else (no type, combinators, too deep) is `any`. */
function schemaType(schema: Record<string, unknown>, depth: number): SchemaType {
  if (depth > maxDepth) return { kind: 'any' };
  if (schema['x-kubernetes-int-or-string'] === true) return { kind: 'scalar', scalar: 'IntOrString' };
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  switch (schema['type']) {
    case 'object': {
      const additional = schema['additionalProperties'];
      if (!isRecord(schema['properties']) && additional !== undefined && additional !== false) {
        return { kind: 'map', values: isRecord(additional) ? schemaType(additional, depth + 1) : { kind: 'any' } };
      }
      if (!isRecord(schema['properties']) && preserve && schema['x-kubernetes-embedded-resource'] !== true) return { kind: 'any' };
      return { kind: 'object', model: objectModel(schema, depth) };
    }
    case 'array':
      return { kind: 'array', items: isRecord(schema['items']) ? schemaType(schema['items'], depth + 1) : { kind: 'any' } };
    case 'string':
      return { kind: 'scalar', scalar: 'string' };
    case 'integer':
      return { kind: 'scalar', scalar: 'integer' };
    case 'number':
      return { kind: 'scalar', scalar: 'number' };
    case 'boolean':
      return { kind: 'scalar', scalar: 'boolean' };
    default:
      return { kind: 'any' };
  }
}

/** String enums only: they are what manifests spell out; other enums stay unchecked. */
function enumValues(schema: Record<string, unknown>): readonly EnumValue[] {
  const values = schema['enum'];
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string')) return [];
  return values.map((value: string) => ({ value, meaning: '' }));
}

