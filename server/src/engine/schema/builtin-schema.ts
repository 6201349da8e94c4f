// The built-in Kubernetes 1.34 schema: models, fields and served kinds, read from the data that
// scripts/gen-field-docs.mjs generates at build time (generated/k8s-1.34.ts, bundled).
//
// Invariants: the data is parsed once, on first use, into immutable ObjectModels; lookups never
// throw. Absent on purpose: kinds that exist only as subresources (Scale, Eviction, TokenRequest)
// and `<Kind>List` kinds; removed API versions live in removed-apis.ts.
import { k8sSchemaJson } from './generated/k8s-1.34';
import type { EnumValue, FieldSchema, KindSchema, ObjectModel, SchemaType } from './schema-model';

/** Row layouts of the generated data (see the generator's header). */
type FieldRow = [name: string, type: string, description: number, required: 0 | 1, enums?: [string, string][]];
type ModelRow = [name: string, description: number, fields: FieldRow[]];
type KindRow = [apiVersion: string, kind: string, model: string, namespaced: 0 | 1, plural: string];
interface GeneratedSchema {
  readonly v: string;
  readonly s: string[];
  readonly m: ModelRow[];
  readonly k: KindRow[];
}

export interface BuiltinSchema {
  /** Kubernetes version the data describes, e.g. `1.34.0`. */
  readonly version: string;
  /** Models by client-node name (`V1ServicePort`, `CoreV1EndpointPort`). */
  readonly models: ReadonlyMap<string, ObjectModel>;
  /** Kinds by `apiVersion + '\n' + kind`. */
  readonly kinds: ReadonlyMap<string, KindSchema & { readonly plural: string; readonly model: string }>;
}

let loaded: BuiltinSchema | undefined;

/** The built-in schema, parsed on first use (constant data, so sharing it is safe). */
export function builtinSchema(): BuiltinSchema {
  loaded ??= parseGenerated(JSON.parse(k8sSchemaJson) as GeneratedSchema);
  return loaded;
}

export function kindKey(apiVersion: string, kind: string): string {
  return apiVersion + '\n' + kind;
}

function parseGenerated(data: GeneratedSchema): BuiltinSchema {
  const text = (i: number): string | undefined => (i >= 0 ? data.s[i] : undefined);
  // Shells first, so that references (including JSONSchemaProps' references to itself) resolve.
  const models = new Map<string, ObjectModel & { fields: Map<string, FieldSchema> }>();
  for (const [name, description] of data.m) {
    models.set(name, { displayName: displayName(name), description: text(description), fields: new Map(), preserveUnknownFields: false });
  }
  const resolve = (ref: string): SchemaType => parseTypeRef(ref, (name) => models.get(name));
  for (const [name, , rows] of data.m) {
    const model = models.get(name)!;
    for (const [field, typeRef, description, required, enums] of rows) {
      const type = resolve(typeRef);
      model.fields.set(field, {
        name: field,
        type,
        // A reference-typed field upstream leaves undocumented reads as its type's description,
        // as `kubectl explain` prints it.
        description: text(description) ?? (type.kind === 'object' ? type.model.description : undefined),
        required: required === 1,
        enum: (enums ?? []).map(([value, meaning]): EnumValue => ({ value, meaning })),
      });
    }
  }
  const kinds = new Map<string, KindSchema & { plural: string; model: string }>();
  for (const [apiVersion, kind, model, namespaced, plural] of data.k) {
    const root = models.get(model);
    if (!root) continue;
    kinds.set(kindKey(apiVersion, kind), { apiVersion, kind, namespaced: namespaced === 1, root, source: 'builtin', plural, model });
  }
  return { version: data.v, models, kinds };
}

/** Parses the generator's type grammar; an unknown model reference degrades to `any`. */
function parseTypeRef(ref: string, model: (name: string) => ObjectModel | undefined): SchemaType {
  if (ref.startsWith('[]')) return { kind: 'array', items: parseTypeRef(ref.slice(2), model) };
  if (ref.startsWith('map[string]')) return { kind: 'map', values: parseTypeRef(ref.slice('map[string]'.length), model) };
  if (ref.startsWith('#')) {
    const m = model(ref.slice(1));
    return m ? { kind: 'object', model: m } : { kind: 'any' };
  }
  switch (ref) {
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
    case 'date-time':
    case 'byte':
    case 'IntOrString':
    case 'Quantity':
      return { kind: 'scalar', scalar: ref };
    default:
      return { kind: 'any' };
  }
}

/** `V1beta1DeviceClass` -> `DeviceClass`, `CoreV1EndpointPort` -> `EndpointPort`. */
function displayName(model: string): string {
  return model.replace(/^([A-Z][a-z]+)?V\d+(?:alpha\d+|beta\d+)?(?=[A-Z])/, '');
}
