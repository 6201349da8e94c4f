// Checks a manifest object against its kind's schema the way the API server would on create with
// strict field validation (`kubectl apply`'s default): decoding (unknown fields, JSON types,
// Quantity and base64 syntax), then the schema's required fields and enums.
//
// What the API accepts, and so is never reported:
// - `null` anywhere: JSON null decodes to the field's zero value;
// - the root `status`: the server ignores it on create;
// - an empty string for an enum field: it decodes to "" and is defaulted like an absent field;
// - numbers for Quantity fields, integers or strings for IntOrString fields;
// - any field inside `x-kubernetes-preserve-unknown-fields` objects and free-form (`Object`) fields.
// YAML 1.1 boolean words (`yes`, `off`) in boolean fields are a warning: kubectl reads them as
// booleans unless quoted, and the value given here no longer says which it was.
// Required fields the server fills in before validating (defaulting) are listed in
// `defaultedRequired` and not reported.
//
// Messages follow the API server's wording: `unknown field "spec.foo"` (strict decoding),
// `spec.selector: Required value`, `...: Unsupported value: "x": supported values: ...`.
// Work is bounded (depth, problem count); hitting a bound adds one visible problem.
import type { FieldSchema, KindSchema, ObjectModel, SchemaType } from './schema-model';

export type ProblemPath = readonly (string | number)[];

export interface SchemaProblem {
  readonly path: ProblemPath;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

const maxDepth = 100;
const maxProblems = 500;

/**
 * Required in the OpenAPI schema, yet defaulted by the API server when omitted, so a manifest
 * without them is accepted. Keyed by `<model display name>.<field>`.
 * - RoleRef.apiGroup, Subject.apiGroup: rbac.authorization.k8s.io/v1 defaulting sets the RBAC
 *   group (Subject: for User and Group subjects; ServiceAccount subjects use "").
 */
const defaultedRequired: ReadonlySet<string> = new Set(['RoleRef.apiGroup', 'Subject.apiGroup']);

/** Problems of `value` as an object of `schema`, in document order. */
export function validateAgainst(schema: KindSchema, value: unknown): readonly SchemaProblem[] {
  const ctx: Context = { problems: [], truncated: false };
  if (!isRecord(value)) {
    report(ctx, [], `expected an object for ${schema.kind}, got ${jsonType(value)}`);
    return ctx.problems;
  }
  checkObject(ctx, schema.root, value, [], 0, true);
  return ctx.problems;
}

interface Context {
  problems: SchemaProblem[];
  truncated: boolean;
}

function checkObject(ctx: Context, model: ObjectModel, value: Record<string, unknown>, path: ProblemPath, depth: number, isRoot: boolean): void {
  for (const key of Object.keys(value)) {
    if (isRoot && key === 'status') continue;
    const field = model.fields.get(key);
    const child = [...path, key];
    if (!field) {
      if (!model.preserveUnknownFields) report(ctx, child, `unknown field "${pathText(child)}"${suggestion(model, key)}`);
      continue;
    }
    checkValue(ctx, field.type, value[key], child, depth + 1, field);
  }
  for (const field of model.fields.values()) {
    if (!field.required || (isRoot && field.name === 'status')) continue;
    if (value[field.name] !== undefined && value[field.name] !== null) continue;
    if (defaultedRequired.has(`${model.displayName}.${field.name}`)) continue;
    report(ctx, [...path, field.name], `${pathText([...path, field.name])}: Required value`);
  }
}

function checkValue(ctx: Context, type: SchemaType, value: unknown, path: ProblemPath, depth: number, field?: FieldSchema): void {
  if (value === null || value === undefined || ctx.truncated) return;
  if (depth > maxDepth) {
    report(ctx, path, `${pathText(path)}: nested deeper than ${maxDepth} levels; not checked further`, 'warning');
    return;
  }
  switch (type.kind) {
    case 'any':
      return;
    case 'scalar':
      checkScalar(ctx, type.scalar, value, path, field);
      return;
    case 'array':
      if (!Array.isArray(value)) return typeMismatch(ctx, path, 'array', value);
      value.forEach((item, i) => checkValue(ctx, type.items, item, [...path, i], depth + 1));
      return;
    case 'map':
      if (!isRecord(value)) return typeMismatch(ctx, path, 'object', value);
      for (const key of Object.keys(value)) checkValue(ctx, type.values, value[key], [...path, key], depth + 1);
      return;
    case 'object':
      if (!isRecord(value)) return typeMismatch(ctx, path, 'object', value);
      checkObject(ctx, type.model, value, path, depth, false);
      return;
  }
}

/**
 * Scalars, as the API server decodes them:
 * - string, date-time, byte: a JSON string (date-time in RFC 3339, byte in standard base64);
 * - integer: a whole number; number: any number; boolean: true or false;
 * - IntOrString: a whole number or a string;
 * - Quantity: a number, or a string in quantity syntax (`100m`, `1.5Gi`, `1e3`).
 */
function checkScalar(ctx: Context, scalar: string, value: unknown, path: ProblemPath, field?: FieldSchema): void {
  switch (scalar) {
    case 'string':
      if (typeof value !== 'string') return typeMismatch(ctx, path, 'string', value);
      return checkEnum(ctx, value, path, field);
    case 'date-time':
      if (value instanceof Date) return;
      if (typeof value !== 'string') return typeMismatch(ctx, path, 'string', value);
      if (value !== '' && !rfc3339.test(value)) report(ctx, path, `${pathText(path)}: Invalid value: ${quote(value)}: must be an RFC 3339 date-time`);
      return;
    case 'byte': {
      if (typeof value !== 'string') return typeMismatch(ctx, path, 'string', value);
      const bad = base64Error(value);
      if (bad === 'incomplete') report(ctx, path, `${pathText(path)}: illegal base64 data: the last group of 4 characters is incomplete`);
      else if (bad === 'padding') report(ctx, path, `${pathText(path)}: illegal base64 data: misplaced "=" padding`);
      else if (bad !== undefined) report(ctx, path, `${pathText(path)}: illegal base64 data at input byte ${bad}`);
      return;
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return typeMismatch(ctx, path, 'integer', value);
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return typeMismatch(ctx, path, 'number', value);
      return;
    case 'boolean':
      if (typeof value === 'boolean') return;
      if (typeof value === 'string' && yaml11Booleans.has(value)) {
        report(ctx, path, `${pathText(path)}: ${quote(value)} is a boolean only to YAML 1.1 parsers such as kubectl's, and a string when quoted or parsed as YAML 1.2; write ${yaml11True.has(value) ? 'true' : 'false'}`, 'warning');
        return;
      }
      return typeMismatch(ctx, path, 'boolean', value);
    case 'IntOrString':
      if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) return;
      return typeMismatch(ctx, path, 'integer or string', value);
    case 'Quantity':
      if (typeof value === 'number' && Number.isFinite(value)) return;
      if (typeof value !== 'string') return typeMismatch(ctx, path, 'quantity (number or string)', value);
      if (!quantity.test(value)) {
        report(ctx, path, `${pathText(path)}: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
      }
      return;
  }
}

function checkEnum(ctx: Context, value: string, path: ProblemPath, field: FieldSchema | undefined): void {
  if (!field || field.enum.length === 0 || value === '') return;
  if (field.enum.some((e) => e.value === value)) return;
  const supported = field.enum.map((e) => quote(e.value)).join(', ');
  report(ctx, path, `${pathText(path)}: Unsupported value: ${quote(value)}: supported values: ${supported}`);
}

/**
 * Unquoted, these words are booleans to kubectl's YAML 1.1 reader (so the API accepts them) but
 * strings to a YAML 1.2 reader; quoted, they are strings to both (and the API rejects them).
 */
const yaml11True: ReadonlySet<string> = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const yaml11Booleans: ReadonlySet<string> = new Set([...yaml11True, 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);

/**
 * resource.Quantity's grammar: a signed decimal number, then one suffix: a binary SI suffix
 * (Ki..Ei), a decimal SI suffix (n, u, m, "", k, M, G, T, P, E) or a decimal exponent (e3, E-2).
 */
const quantity = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/** RFC 3339 as Go's time.RFC3339 parses it (metav1.Time's JSON form). */
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Why Go's base64.StdEncoding rejects `s`: the offset of the first character outside the
 * alphabet (Go reports that offset too), 'padding' for "=" anywhere but in the last 1-2
 * positions of the final group, 'incomplete' when the length is not a multiple of 4; undefined
 * when valid. Like Go's JSON decoding of []byte, carriage returns and newlines are skipped.
 */
function base64Error(s: string): number | 'padding' | 'incomplete' | undefined {
  let n = 0;
  let padding = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\n' || c === '\r') continue;
    if (c === '=') {
      padding++;
    } else if (!/[A-Za-z0-9+/]/.test(c)) {
      return i;
    } else if (padding > 0) {
      return 'padding';
    }
    n++;
  }
  if (n % 4 !== 0) return 'incomplete';
  return padding > 2 ? 'padding' : undefined;
}

function typeMismatch(ctx: Context, path: ProblemPath, expected: string, value: unknown): void {
  report(ctx, path, `${pathText(path)}: expected ${expected}, got ${jsonType(value)}${preview(value)}`);
}

function report(ctx: Context, path: ProblemPath, message: string, severity: 'error' | 'warning' = 'error'): void {
  if (ctx.truncated) return;
  if (ctx.problems.length >= maxProblems) {
    ctx.truncated = true;
    ctx.problems.push({ path: [], message: `more than ${maxProblems} schema problems; the rest are not shown`, severity: 'warning' });
    return;
  }
  ctx.problems.push({ path, message, severity });
}

/** ` (did you mean "containerPort"?)` when only the letter case differs. */
function suggestion(model: ObjectModel, key: string): string {
  const lower = key.toLowerCase();
  for (const name of model.fields.keys()) if (name.toLowerCase() === lower) return ` (did you mean "${name}"?)`;
  return '';
}

/** `spec.ports[0].targetPort`: field names joined by dots, list indices in brackets. */
export function pathText(path: ProblemPath): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else out += out === '' ? step : `.${step}`;
  }
  return out;
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

function preview(value: unknown): string {
  if (typeof value === 'string') return ' ' + quote(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'number' || typeof value === 'boolean') return ' ' + String(value);
  return '';
}

function quote(s: string): string {
  return JSON.stringify(s);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}
