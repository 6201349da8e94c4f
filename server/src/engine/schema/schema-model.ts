// The schema vocabulary shared by built-in Kubernetes kinds and CustomResourceDefinitions: what a
// field may hold, its documentation, and how `kubectl explain` names its type.
//
// Invariants: values are immutable once built; an ObjectModel's `fields` are keyed by JSON field
// name. Absent on purpose: formats nobody validates (int32 ranges, CRD `format` strings), and
// `default` values.

/** A value's shape. `any` accepts everything (RawExtension, JSON, schemaless CRD parts). */
export type SchemaType =
  | { readonly kind: 'scalar'; readonly scalar: ScalarKind }
  | { readonly kind: 'any' }
  | { readonly kind: 'array'; readonly items: SchemaType }
  | { readonly kind: 'map'; readonly values: SchemaType }
  | { readonly kind: 'object'; readonly model: ObjectModel };

/**
 * Leaf types as the API server decodes them:
 * - `date-time`: metav1.Time / MicroTime, an RFC 3339 string;
 * - `byte`: []byte, a standard base64 string;
 * - `IntOrString`: intstr.IntOrString, an integer or a string;
 * - `Quantity`: resource.Quantity, a number or a quantity string such as `500m` or `1Gi`.
 */
export type ScalarKind = 'string' | 'integer' | 'number' | 'boolean' | 'date-time' | 'byte' | 'IntOrString' | 'Quantity';

export interface ObjectModel {
  /** Name shown by `kubectl explain`: `ServiceSpec` for built-ins, `Object` for CRD objects. */
  readonly displayName: string;
  readonly description: string | undefined;
  readonly fields: ReadonlyMap<string, FieldSchema>;
  /** `x-kubernetes-preserve-unknown-fields`: fields not listed are kept, so never unknown. */
  readonly preserveUnknownFields: boolean;
}

export interface FieldSchema {
  readonly name: string;
  readonly type: SchemaType;
  readonly description: string | undefined;
  readonly required: boolean;
  /** Allowed values with their meaning ('' when the source gives none); empty when open. */
  readonly enum: readonly EnumValue[];
}

export interface EnumValue {
  readonly value: string;
  readonly meaning: string;
}

/** One served (apiVersion, kind) and the model of its objects. */
export interface KindSchema {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly root: ObjectModel;
  readonly source: 'builtin' | 'crd';
}

/**
 * The type as `kubectl explain` prints it between angle brackets: `string`, `integer`,
 * `boolean`, `IntOrString`, `Quantity`, `Object`, `[]ServicePort`, `map[string]string`.
 * Times and base64 bytes are strings on the wire, and kubectl shows them as such.
 */
export function typeDisplay(type: SchemaType): string {
  switch (type.kind) {
    case 'scalar':
      return type.scalar === 'date-time' || type.scalar === 'byte' ? 'string' : type.scalar;
    case 'any':
      return 'Object';
    case 'array':
      return '[]' + typeDisplay(type.items);
    case 'map':
      return 'map[string]' + typeDisplay(type.values);
    case 'object':
      return type.model.displayName;
  }
}

/** The object model a path step lands in after skipping array and map layers, if any. */
export function objectModelOf(type: SchemaType): ObjectModel | undefined {
  let t = type;
  while (t.kind === 'array' || t.kind === 'map') t = t.kind === 'array' ? t.items : t.values;
  return t.kind === 'object' ? t.model : undefined;
}
