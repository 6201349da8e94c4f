// Diagnostic: yaml-type-coercion
//
// Kubernetes rule: kubectl and the API server read YAML with a YAML 1.1 style reader (go-yaml v2
// under sigs.k8s.io/yaml) and then decode JSON. An unquoted `on`, `yes`, `off` or `n` is a boolean
// to that reader, `0755` the octal integer 493, `1e3` the number 1000, a long digit string a number
// that loses digits, and `~` null. Where the API expects a string (label and annotation values, env
// values, ConfigMap data, command arguments...) a boolean or number makes the API server refuse the
// object (`cannot unmarshal bool into Go struct field ... of type string`), and null silently
// becomes the empty string. A YAML 1.2 reader (most editors and linters) reads several of these as
// strings, so the manifest looks right everywhere except in the cluster.
//
// Fires on a scalar that the reader decoded to a boolean, a number or (written as `~`/`null`) null,
// where the object's schema expects a string; for kinds without a schema, in `metadata.labels` and
// `metadata.annotations`, which are strings in every object. The message quotes the text as written
// (re-read from the source only for these values) and says how it is read; Secret values are never
// quoted. Quick fix: quote the text. Not reported: empty values (`key:`), explicit tags (`!!bool`),
// aliases, and fields that accept numbers (IntOrString, Quantity, integers).
import type { Check, CheckContext, FindingInput } from './types';
import type { FieldPath } from '../syntax/parse';
import { isRecord, type K8sObject } from '../model/object';
import { resolveKind, pathText, type KindSchema } from '../schema/schema';
import { crdCandidates } from './crd-scope';
import type { ObjectModel, SchemaType } from '../schema/schema-model';

export const yamlTypeCoercion: Check = {
  codes: { 'yaml-type-coercion': 'warning' },
  run(object, ctx, report) {
    const candidates = coercedStrings(object, ctx);
    for (const c of candidates) {
      const source = ctx.scalarSource?.(object, c.path);
      const finding = source === undefined ? undefined : findingFor(object, c, source);
      if (finding) report(finding);
    }
  },
};

interface Candidate {
  readonly path: FieldPath;
  readonly value: boolean | number | null;
}

/** At most this many values are looked up per object: a generated file full of them needs no more. */
const maxCandidates = 50;
const maxDepth = 64;

/** String-typed places whose decoded value is a boolean, a number or null, in document order. */
function coercedStrings(object: K8sObject, ctx: CheckContext): Candidate[] {
  const out: Candidate[] = [];
  const schema = schemaOf(object, ctx);
  if (schema) {
    walk(out, { kind: 'object', model: schema.root }, object.raw, [], 0);
    return out;
  }
  const metadata = object.raw.metadata;
  if (!isRecord(metadata)) return out;
  for (const field of ['labels', 'annotations']) {
    const map = metadata[field];
    if (!isRecord(map)) continue;
    for (const [key, value] of Object.entries(map)) {
      if (isCoerced(value) && out.length < maxCandidates) out.push({ path: ['metadata', field, key], value });
    }
  }
  return out;
}

function walk(out: Candidate[], type: SchemaType, value: unknown, path: FieldPath, depth: number): void {
  if (out.length >= maxCandidates || depth > maxDepth || value === undefined) return;
  switch (type.kind) {
    case 'scalar':
      if ((type.scalar === 'string' || type.scalar === 'byte') && isCoerced(value)) out.push({ path, value });
      return;
    case 'array':
      if (Array.isArray(value)) value.forEach((item, i) => walk(out, type.items, item, [...path, i], depth + 1));
      return;
    case 'map':
      if (isRecord(value)) for (const [k, v] of Object.entries(value)) walk(out, type.values, v, [...path, k], depth + 1);
      return;
    case 'object':
      if (isRecord(value)) walkObject(out, type.model, value, path, depth);
      return;
    case 'any':
      return;
  }
}

function walkObject(out: Candidate[], model: ObjectModel, value: Record<string, unknown>, path: FieldPath, depth: number): void {
  for (const [key, child] of Object.entries(value)) {
    const field = model.fields.get(key);
    if (field) walk(out, field.type, child, [...path, key], depth + 1);
  }
}

function isCoerced(value: unknown): value is boolean | number | null {
  return value === null || typeof value === 'boolean' || typeof value === 'number';
}

/** The object's schema: a built-in kind, else its kind in the nearest CustomResourceDefinition of the workspace (crd-scope.ts). */
function schemaOf(object: K8sObject, ctx: CheckContext): KindSchema | undefined {
  return resolveKind(object.apiVersion, object.kind) ?? crdCandidates(ctx, object)[0]?.schema;
}

const nullWords: ReadonlySet<string> = new Set(['~', 'null', 'Null', 'NULL']);

/**
 * The finding for one candidate, given its source text; undefined when the text was not a plain
 * scalar (an explicit tag, an alias, a quoted value) or, for null, not written as a null word.
 */
function findingFor(object: K8sObject, c: Candidate, source: string): FindingInput | undefined {
  if (!/^[-+.0-9A-Za-z~]/.test(source)) return undefined;
  if (c.value === null && !nullWords.has(source)) return undefined;
  const secret = isSecretValue(object, c.path);
  const shown = secret ? 'This Secret value' : '`' + source + '`';
  const field = fieldNoun(object, c.path);
  let message: string;
  if (c.value === null) {
    message = `${shown} is read as null, so ${field} becomes the empty string; quote it if you meant the text`;
  } else {
    const read = secret ? readAsKind(c.value) : readAs(source, c.value);
    message = `${shown} is read as ${read}, but ${field} must be a string: the API server rejects the object. Quote it`;
    if (!secret) message += `: ${JSON.stringify(source)}`;
  }
  return {
    code: 'yaml-type-coercion',
    message,
    path: c.path,
    target: 'value',
    fixes: [{ title: 'Quote the value', preferred: true, edits: [{ kind: 'replace-value', place: { object, path: c.path }, text: JSON.stringify(source) }] }],
  };
}

/** How the reader reads `source`, e.g. "the boolean true", "the octal integer 493". */
function readAs(source: string, value: boolean | number): string {
  if (typeof value === 'boolean') return `the boolean ${value}`;
  const digits = source.replace(/^[-+]/, '').replace(/_/g, '');
  if (/^0[0-7]+$/.test(digits) || /^0[oO]/.test(digits)) return `the octal integer ${value}`;
  if (/^0[xX]/.test(digits)) return `the hexadecimal integer ${value}`;
  if (/^0[bB]/.test(digits)) return `the binary integer ${value}`;
  if (/^[0-9]+$/.test(digits) && !Number.isSafeInteger(value)) return `a number that keeps only about 16 significant digits (${value})`;
  if (/^[0-9]+$/.test(digits)) return `the integer ${value}`;
  return `the number ${value}`;
}

/** `readAs` without the value, for Secret data. */
function readAsKind(value: boolean | number): string {
  return typeof value === 'boolean' ? 'a boolean' : 'a number';
}

function isSecretValue(object: K8sObject, path: FieldPath): boolean {
  return object.kind === 'Secret' && (path[0] === 'data' || path[0] === 'stringData');
}

/** What the field is called in the message: "the label value", "the env value", or its path. */
function fieldNoun(object: K8sObject, path: FieldPath): string {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (parent === 'labels') return 'the label value';
  if (parent === 'annotations') return 'the annotation value';
  if (last === 'value' && path.includes('env')) return 'the env value';
  if (object.kind === 'ConfigMap' && path[0] === 'data' && path.length === 2) return 'the ConfigMap data value';
  if (isSecretValue(object, path) && path.length === 2) return 'the Secret value';
  if (parent === 'args' || parent === 'command') return `the ${parent} item`;
  if (parent === 'nodeSelector' || parent === 'selector' || parent === 'matchLabels') return `the ${parent} value`;
  return `\`${pathText(path)}\``;
}
