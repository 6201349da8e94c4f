// Generates server/src/engine/schema/generated/k8s-1.34.json: the Kubernetes 1.34 API schema that
// Kubeglass uses for field documentation, completion and validation.
//
// Sources (all installed packages, no network):
// - @kubernetes/client-node 1.4.0 (OpenAPI spec v1.34.0) is the authority on structure: every model,
//   its fields, JSON names (attributeTypeMap `baseName`), types and formats (int-or-string,
//   date-time, byte, int32/int64/double), required-ness (non-optional properties), and the REST
//   paths that tell which (group, version, kind) each root model is served under and whether that
//   kind is namespaced.
// - kubernetes-models (OpenAPI spec of the previous release, 1.33) restores what client-node's
//   generator drops: descriptions of fields typed by reference ($ref siblings are discarded, so
//   `spec`, `metadata`, `targetPort` carry the referenced type's text or none), line breaks, the
//   "Possible enum values" sections, and which strings are Quantities. A field's client-node text
//   stays the authority: the richer kubernetes-models text is used only when it says the same words
//   (whitespace and the enum section aside), or when client-node has no text of the field's own.
//
// Output shape (arrays, so loading and type-checking the JSON stay cheap):
//   { v, s: string table, m: [[model, docIdx, [[jsonName, typeRef, docIdx, required, enums?]...]]...],
//     k: [[apiVersion, kind, model, namespaced, plural]...] }
// typeRef grammar: string | integer | number | boolean | date-time | byte | IntOrString | Quantity |
//   Object | []<typeRef> | map[string]<typeRef> | #<Model>
// enums: [[value, meaning]...] taken from the "Possible enum values" list of the description.
//
// Usage: node scripts/gen-field-docs.mjs   (always regenerates)
//        ensureFieldDocs() from scripts/build.mjs (regenerates when missing or stale)
import { readFileSync, writeFileSync, readdirSync, statSync, existsSync, mkdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const clientNodeDir = join(root, 'node_modules/@kubernetes/client-node');
const modelsDir = join(clientNodeDir, 'dist/gen/models');
const apisDir = join(clientNodeDir, 'dist/gen/apis');
const kmDirs = [join(root, 'node_modules/kubernetes-models'), join(root, 'node_modules/@kubernetes-models/apimachinery')];
export const outputFile = join(root, 'server/src/engine/schema/generated/k8s-1.34.json');
const moduleFile = join(root, 'server/src/engine/schema/generated/k8s-1.34.ts');

/** Regenerates the schema when it is missing or older than this script or the packages it reads. */
export async function ensureFieldDocs() {
  const inputs = [fileURLToPath(import.meta.url), join(clientNodeDir, 'package.json'), ...kmDirs.map((d) => join(d, 'package.json'))];
  if (existsSync(outputFile) && existsSync(moduleFile)) {
    const built = Math.min(statSync(outputFile).mtimeMs, statSync(moduleFile).mtimeMs);
    if (inputs.every((p) => !existsSync(p) || statSync(p).mtimeMs <= built)) return false;
  }
  await generate();
  return true;
}

export async function generate() {
  const cn = await readClientNodeModels();
  const km = readKubernetesModels();
  const kinds = readKinds(cn);
  const groupOfModel = new Map(kinds.map((k) => [k.model, groupOf(k.apiVersion)]));
  const strings = new StringTable();
  const stats = { fields: 0, cnText: 0, kmSameText: 0, kmOwnText: 0, typeTextOnly: 0, none: 0, enums: 0, quantity: 0, unmatched: [] };
  const typeDocs = collectTypeDocs(cn, km);
  const models = [];
  for (const name of [...cn.keys()].sort()) {
    const model = cn.get(name);
    const kmDef = matchKubernetesModel(name, model, km, groupOfModel.get(name));
    if (!kmDef) stats.unmatched.push(name);
    const fields = [];
    for (const field of [...model.fields.values()].sort((a, b) => cmp(a.jsonName, b.jsonName))) {
      stats.fields++;
      const kmField = kmDef?.fields.get(field.jsonName);
      let type = field.type;
      if (kmField) {
        const refined = refineQuantity(type, kmField.type);
        if (refined !== type) stats.quantity++;
        type = refined;
      }
      const { text, source } = chooseDescription(field, kmField, typeDocs);
      stats[source]++;
      const enums = kmField ? parseEnumSection(kmField.doc ?? '') : parseEnumSection(text ?? '');
      const row = [field.jsonName, type, text === undefined ? -1 : strings.id(text), field.required ? 1 : 0];
      if (enums.length > 0) {
        stats.enums++;
        row.push(enums);
      }
      fields.push(row);
    }
    const doc = model.doc ?? kmDef?.doc;
    models.push([name, doc === undefined ? -1 : strings.id(doc), fields]);
  }
  const out = {
    v: '1.34.0',
    s: strings.list,
    m: models,
    k: kinds.map((k) => [k.apiVersion, k.kind, k.model, k.namespaced ? 1 : 0, k.plural]),
  };
  mkdirSync(join(outputFile, '..'), { recursive: true });
  const json = JSON.stringify(out);
  writeFileSync(outputFile, json);
  // The engine imports this module rather than the JSON: the server and test projects are
  // composite, and composite projects only accept imported files their `include` lists (*.ts).
  // One string literal also keeps `tsc` from inferring a type for every row.
  writeFileSync(
    moduleFile,
    `// Generated by scripts/gen-field-docs.mjs (Kubernetes ${out.v}); do not edit. Same content as k8s-1.34.json.\n` +
      `export const k8sSchemaJson: string = ${JSON.stringify(json)};\n`,
  );
  console.log(
    `gen-field-docs: ${models.length} models, ${stats.fields} fields, ${kinds.length} kinds, ${(json.length / 1024 / 1024).toFixed(2)} MB -> ${relative(root, outputFile)}`,
  );
  console.log(
    `gen-field-docs: descriptions: client-node ${stats.cnText}, kubernetes-models same text ${stats.kmSameText}, kubernetes-models own text ${stats.kmOwnText}, type text only ${stats.typeTextOnly}, none ${stats.none}; enum fields ${stats.enums}; quantities ${stats.quantity}; models without kubernetes-models match ${stats.unmatched.length}`,
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// Descriptions

/**
 * Picks a field's description:
 * 1. kubernetes-models text when it says the same as client-node's (it keeps line breaks and the
 *    enum section that client-node flattens or drops);
 * 2. client-node's own text when it is the field's (not the referenced type's) description;
 * 3. kubernetes-models text when client-node has none of the field's own (reference-typed fields);
 * 4. whatever client-node has (the referenced type's description), else nothing.
 */
function chooseDescription(field, kmField, typeDocs) {
  const cnText = field.doc;
  const kmText = kmField?.doc;
  if (cnText !== undefined && kmText !== undefined && normalize(cnText) === normalize(kmText)) return { text: kmText, source: 'kmSameText' };
  const cnIsTypeText = cnText !== undefined && typeDocs.has(normalize(cnText));
  if (cnText !== undefined && !cnIsTypeText) return { text: cnText, source: 'cnText' };
  if (kmText !== undefined) return { text: kmText, source: 'kmOwnText' };
  if (cnText !== undefined) return { text: cnText, source: 'typeTextOnly' };
  return { text: undefined, source: 'none' };
}

const enumHeading = '\n\nPossible enum values:\n';

/** Text without the enum section, whitespace collapsed: the words both generators agree on. */
function normalize(text) {
  const at = text.indexOf(enumHeading);
  return (at >= 0 ? text.slice(0, at) : text).replace(/\s+/g, ' ').trim();
}

/** `[[value, meaning]...]` from the " - `"Value"` meaning" lines after "Possible enum values:". */
export function parseEnumSection(text) {
  const at = text.indexOf(enumHeading);
  if (at < 0) return [];
  const out = [];
  for (const line of text.slice(at + enumHeading.length).split('\n')) {
    const m = /^ - `"(.*?)"`(?: (.*))?$/.exec(line);
    if (m) out.push([m[1], m[2] ?? '']);
  }
  return out;
}

/** Descriptions that belong to a type rather than to a field, as client-node substitutes them. */
function collectTypeDocs(cn, km) {
  const docs = new Set();
  for (const model of cn.values()) if (model.doc) docs.add(normalize(model.doc));
  for (const def of km.values()) if (def.doc && def.isAlias) docs.add(normalize(def.doc));
  return docs;
}

/** client-node types Quantity as `string`; kubernetes-models keeps the Quantity reference. */
function refineQuantity(cnType, kmType) {
  if (kmType === undefined) return cnType;
  if (cnType === 'string' && kmType === 'Quantity') return 'Quantity';
  for (const prefix of ['[]', 'map[string]']) {
    if (cnType.startsWith(prefix) && kmType.startsWith(prefix)) return prefix + refineQuantity(cnType.slice(prefix.length), kmType.slice(prefix.length));
  }
  return cnType;
}

class StringTable {
  list = [];
  #ids = new Map();
  id(s) {
    let id = this.#ids.get(s);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(s);
      this.#ids.set(s, id);
    }
    return id;
  }
}

// ---------------------------------------------------------------------------------------------
// @kubernetes/client-node models

async function readClientNodeModels() {
  // The package also ships stale files of APIs no longer served (resource.k8s.io/v1alpha2 ...):
  // only the models that `models/all` exports belong to the 1.34 spec.
  const live = [...readFileSync(join(modelsDir, 'all.d.ts'), 'utf8').matchAll(/from '\.\.\/models\/(\w+)\.js'/g)].map((m) => m[1]);
  const models = new Map();
  for (const file of live.filter((n) => n !== 'ObjectSerializer').sort().map((n) => n + '.d.ts')) {
    const text = readFileSync(join(modelsDir, file), 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    for (const st of sf.statements) {
      if (!ts.isClassDeclaration(st) || !st.name) continue;
      const name = st.name.text;
      const runtime = (await import(pathToFileURL(join(modelsDir, file.replace(/\.d\.ts$/, '.js'))).href))[name];
      const attrs = new Map((runtime?.attributeTypeMap ?? []).map((a) => [a.name, a]));
      const fields = new Map();
      for (const m of st.members) {
        if (!ts.isPropertyDeclaration(m) || m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)) continue;
        const prop = propertyName(m.name);
        const attr = attrs.get(prop);
        if (!attr) throw new Error(`${name}.${prop}: no attributeTypeMap entry`);
        const doc = rawDoc(text, m);
        fields.set(attr.baseName, {
          jsonName: attr.baseName,
          type: clientNodeType(m.type, attr.format, `${name}.${prop}`),
          required: !m.questionToken,
          doc: doc === undefined ? undefined : unescapeClientNode(doc),
        });
      }
      const doc = rawDoc(text, st);
      models.set(name, { name, doc: doc === undefined ? undefined : unescapeClientNode(doc), fields });
    }
  }
  return models;
}

/** Type reference of a client-node property (TypeScript type node + attributeTypeMap format). */
function clientNodeType(node, format, where) {
  if (!node) throw new Error(`${where}: no type`);
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return format === 'byte' ? 'byte' : 'string';
    case ts.SyntaxKind.NumberKeyword:
      return format === 'double' || format === 'float' ? 'number' : 'integer';
    case ts.SyntaxKind.BooleanKeyword:
      return 'boolean';
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.ObjectKeyword:
      return 'Object';
  }
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText();
    if (name === 'Array') return '[]' + clientNodeType(node.typeArguments[0], format, where);
    if (name === 'Date' || name === 'V1MicroTime') return 'date-time';
    if (name === 'IntOrString') return 'IntOrString';
    return '#' + name;
  }
  if (ts.isTypeLiteralNode(node) && node.members.length === 1 && ts.isIndexSignatureDeclaration(node.members[0])) {
    // The format describes the values (Secret.data: map of base64 byte strings).
    return 'map[string]' + clientNodeType(node.members[0].type, format, where);
  }
  throw new Error(`${where}: unsupported type ${node.getText()}`);
}

/** client-node writes descriptions on one line with `\'`, `\"` and `\\` escapes. */
function unescapeClientNode(s) {
  return s.replace(/\\(.)/g, '$1').trim();
}

// ---------------------------------------------------------------------------------------------
// kubernetes-models (descriptions with line breaks and enum sections; Quantity references)

/** Map of "<group>/<version>/<Kind>" (group "core" for the legacy group) to its definition. */
function readKubernetesModels() {
  const defs = new Map();
  for (const dir of kmDirs) {
    for (const file of walk(dir)) {
      const rel = relative(dir, file).split(sep);
      if (rel[0] === '_schemas' || rel[rel.length - 1] === 'index.d.ts') continue;
      const text = readFileSync(file, 'utf8');
      const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
      const aliases = new Map();
      for (const st of sf.statements) {
        if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
          for (const e of st.exportClause.elements) if (e.propertyName) aliases.set(e.propertyName.text, e.name.text);
        }
      }
      for (const st of sf.statements) {
        const isIface = ts.isInterfaceDeclaration(st);
        if (!isIface && !ts.isTypeAliasDeclaration(st)) continue;
        const full = aliases.get(st.name.text);
        if (!full || !full.startsWith('IIoK8s')) continue;
        const key = kmKey(dir === kmDirs[0] ? rel : ['meta', ...rel]);
        if (!key) continue;
        const fields = new Map();
        if (isIface) {
          for (const m of st.members) {
            if (!ts.isPropertySignature(m)) continue;
            const doc = rawDoc(text, m);
            fields.set(propertyName(m.name), { type: kmType(m.type), doc: doc === undefined ? undefined : unescapeKubernetesModels(doc) });
          }
        }
        const doc = rawDoc(text, st);
        defs.set(key, { key, doc: doc === undefined ? undefined : unescapeKubernetesModels(doc), fields, isAlias: !isIface });
      }
    }
  }
  return defs;
}

/** "apps/v1/Deployment.d.ts" -> "apps/v1/Deployment"; "v1/Pod.d.ts" -> "core/v1/Pod"; apimachinery -> "meta/...". */
function kmKey(rel) {
  const parts = rel.map((p) => p.replace(/\.d\.ts$/, ''));
  if (parts[0] === 'meta') {
    const kind = parts[parts.length - 1];
    const version = parts.find((p) => /^v\d/.test(p)) ?? '';
    return `meta/${version}/${kind}`;
  }
  if (parts.length === 2) return `core/${parts[0]}/${parts[1]}`;
  if (parts.length === 3) return `${parts[0]}/${parts[1]}/${parts[2]}`;
  return undefined;
}

function kmType(node) {
  if (!node) return undefined;
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return 'string';
    case ts.SyntaxKind.NumberKeyword:
      return 'number';
    case ts.SyntaxKind.BooleanKeyword:
      return 'boolean';
  }
  if (ts.isArrayTypeNode(node)) return '[]' + kmType(node.elementType);
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText();
    if (name === 'Array') return '[]' + kmType(node.typeArguments?.[0]);
    if (name === 'IIoK8sApimachineryPkgApiResourceQuantity') return 'Quantity';
    return '#' + name;
  }
  if (ts.isTypeLiteralNode(node) && node.members.length === 1 && ts.isIndexSignatureDeclaration(node.members[0])) {
    return 'map[string]' + kmType(node.members[0].type);
  }
  return 'other';
}

/** kubernetes-models writes `*` as `\*` and `*` + `/` as `*\/` inside its JSDoc. */
function unescapeKubernetesModels(s) {
  return s.replace(/\\\*\\\//g, '*/').replace(/\\\*/g, '*').replace(/\s+$/, '');
}

/**
 * Finds the kubernetes-models definition of a client-node model. client-node names a model
 * `<Version><Kind>` and adds a group prefix only when two groups share the name
 * (`CoreV1EndpointPort`, `DiscoveryV1EndpointPort`). Candidates with the same version and kind are
 * narrowed by that prefix or the served group; remaining ties go to the best field-name overlap.
 * A kind new in 1.34 falls back to the same kind in another version of the group.
 */
function matchKubernetesModel(name, model, km, servedGroup) {
  const parsed = /^([A-Z][a-z]+)?(V\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/.exec(name);
  const kind = parsed ? parsed[3] : name;
  const version = parsed ? parsed[2].toLowerCase() : undefined;
  const prefix = parsed?.[1];
  const all = [...km.values()].filter((d) => d.key.endsWith('/' + kind));
  const groupOk = (d) => {
    const group = d.key.split('/')[0];
    if (servedGroup !== undefined) return group === (servedGroup === '' ? 'core' : servedGroup);
    if (prefix) return capitalize(group.split('.')[0]) === prefix;
    return true;
  };
  const pick = (cands) => {
    let best;
    let bestScore = 0;
    for (const d of cands.sort((a, b) => cmp(a.key, b.key))) {
      const score = overlap(model, d);
      if (score > bestScore) {
        best = d;
        bestScore = score;
      }
    }
    return model.fields.size === 0 ? cands[0] : best;
  };
  const sameVersion = all.filter((d) => d.key.split('/')[1] === version && groupOk(d));
  if (sameVersion.length > 0) return pick(sameVersion);
  const otherVersion = all.filter((d) => groupOk(d)).filter((d) => overlap(model, d) >= 0.8);
  otherVersion.sort((a, b) => cmp(b.key, a.key));
  return otherVersion.length > 0 ? pick(otherVersion) : undefined;
}

function overlap(model, def) {
  if (model.fields.size === 0) return 0;
  let n = 0;
  for (const f of model.fields.keys()) if (def.fields.has(f)) n++;
  return n / model.fields.size;
}

// ---------------------------------------------------------------------------------------------
// Kinds: (apiVersion, kind) -> root model, namespaced, from client-node's REST paths

/**
 * Every collection path (`/api/v1/namespaces/{namespace}/pods`, `/apis/apps/v1/deployments`) that
 * a create* or list* operation uses names a served resource; the operation's model is the kind's
 * root model (for list*, the List's `items` element). A kind is namespaced when any of its
 * collection paths sits under `namespaces/{namespace}/`. Subresource paths (`.../{name}/...`) are
 * not kinds of their own.
 */
function readKinds(cn) {
  const kinds = new Map();
  // As with models, only the API classes the package index exports are served by 1.34.
  const index = readFileSync(join(clientNodeDir, 'dist/gen/index.d.ts'), 'utf8');
  const live = [...index.matchAll(/\bObject(\w+V\d+(?:alpha\d+|beta\d+)?Api) as \1\b/g)].map((m) => m[1]);
  for (const file of [...new Set(live)].sort().map((n) => n + '.js')) {
    const js = readFileSync(join(apisDir, file), 'utf8');
    const dts = readFileSync(join(apisDir, file.replace(/\.js$/, '.d.ts')), 'utf8');
    const paths = methodPaths(js);
    const results = methodResults(dts);
    for (const [method, path] of paths) {
      if (!/^(create|list)/.test(method)) continue;
      const m = /^\/api(?:s\/([^/]+))?\/([^/]+)\/(namespaces\/\{namespace\}\/)?([a-z0-9]+)$/.exec(path);
      if (!m) continue;
      const [, group = '', version, ns, plural] = m;
      let model = results.get(method);
      if (!model) continue;
      if (method.startsWith('list')) {
        const items = cn.get(model)?.fields.get('items')?.type;
        if (!items?.startsWith('[]#')) continue;
        model = items.slice(3);
      }
      if (!cn.has(model)) continue;
      const apiVersion = group ? `${group}/${version}` : version;
      const kind = shortName(model);
      const key = `${apiVersion}\u0000${kind}`;
      const prev = kinds.get(key);
      if (prev && prev.model !== model) throw new Error(`${apiVersion} ${kind}: models ${prev.model} and ${model}`);
      kinds.set(key, { apiVersion, kind, model, plural, namespaced: Boolean(ns) || Boolean(prev?.namespaced) });
    }
  }
  return [...kinds.values()].sort((a, b) => cmp(a.apiVersion, b.apiVersion) || cmp(a.kind, b.kind));
}

/** method name -> the string literal that starts its `localVarPath`. */
function methodPaths(js) {
  const sf = ts.createSourceFile('api.js', js, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const out = new Map();
  for (const st of sf.statements) {
    if (!ts.isClassDeclaration(st) || !st.name?.text.endsWith('RequestFactory')) continue;
    for (const m of st.members) {
      if (!ts.isMethodDeclaration(m) || !m.body) continue;
      const found = findLocalVarPath(m.body);
      if (found) out.set(m.name.getText(), found);
    }
  }
  return out;
}

function findLocalVarPath(node) {
  let found;
  const visit = (n) => {
    if (found) return;
    if (ts.isVariableDeclaration(n) && n.name.getText() === 'localVarPath' && n.initializer) {
      let e = n.initializer;
      while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) e = e.expression.expression;
      if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) found = e.text;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** method name -> model named in `<method>WithHttpInfo(...): Promise<HttpInfo<Model>>`. */
function methodResults(dts) {
  const out = new Map();
  for (const m of dts.matchAll(/^\s+(\w+)WithHttpInfo\(response: ResponseContext\): Promise<HttpInfo<(\w+)>>;/gm)) out.set(m[1], m[2]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

/** The JSDoc block right before `node`, without its `/**`, `*\/` and leading ` * ` markers. */
function rawDoc(text, node) {
  const ranges = ts.getLeadingCommentRanges(text, node.pos) ?? [];
  const r = ranges.filter((c) => text.startsWith('/**', c.pos)).pop();
  if (!r) return undefined;
  const lines = text.slice(r.pos + 3, r.end - 2).split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
  while (lines.length > 0 && lines[0].trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return lines.length === 0 ? undefined : lines.join('\n');
}

function propertyName(n) {
  return ts.isIdentifier(n) || ts.isStringLiteral(n) ? n.text : n.getText();
}

/** `V1beta1DeviceClass` -> `DeviceClass`, `CoreV1EndpointPort` -> `EndpointPort`. */
function shortName(model) {
  return model.replace(/^([A-Z][a-z]+)?V\d+(?:alpha\d+|beta\d+)?(?=[A-Z])/, '');
}

function groupOf(apiVersion) {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

function capitalize(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  generate().catch((err) => {
    console.error(err.stack ?? err);
    process.exit(1);
  });
}
