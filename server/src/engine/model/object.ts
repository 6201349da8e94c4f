// The workspace model: one `K8sObject` per Kubernetes object found in a file (every document of a
// multi-document file, every item of a `kind: List`). Documents without `apiVersion` and `kind`
// (CI workflows, compose files, Helm values) are not objects and are ignored silently.
import type { ParsedFile, FieldPath } from '../syntax/parse';
import { groupOf, type ObjectRef } from './ref';
import { isClusterScopedKind } from './kinds';

export type Labels = Readonly<Record<string, string>>;

export interface K8sObject extends ObjectRef {
  /** Unique within the workspace: `uri#doc` or `uri#doc/items/i`. */
  readonly id: string;
  readonly uri: string;
  readonly docIndex: number;
  /** Path of this object inside its document: [] or ['items', i] for `kind: List`. */
  readonly basePath: FieldPath;
  readonly apiVersion: string;
  /** True when `metadata.namespace` is written; otherwise `namespace` is the assumed one. */
  readonly namespaceExplicit: boolean;
  readonly clusterScoped: boolean;
  readonly labels: Labels;
  readonly annotations: Labels;
  /** The decoded object, as the API server would receive it. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** The document has YAML errors: other objects may still refer to it, but it is not checked itself. */
  readonly hasSyntaxErrors: boolean;
}

export interface ExtractOptions {
  /** Namespace for namespaced objects that name none. */
  readonly defaultNamespace: string;
}

/** Extracts the Kubernetes objects of a parsed file. */
export function extractObjects(file: ParsedFile, options: ExtractOptions): K8sObject[] {
  const out: K8sObject[] = [];
  for (const doc of file.documents) {
    const value = doc.value;
    if (!isRecord(value)) continue;
    // `kind: List` and typed lists (`ConfigMapList`, `ServiceList`, ...) as `kubectl get -o yaml` writes them.
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items) && typeof value.apiVersion === 'string') {
      value.items.forEach((item, i) => {
        const obj = toObject(file.uri, doc.index, ['items', i], item, doc.hasErrors, options);
        if (obj) out.push(obj);
      });
      continue;
    }
    const obj = toObject(file.uri, doc.index, [], value, doc.hasErrors, options);
    if (obj) out.push(obj);
  }
  return out;
}

function toObject(uri: string, docIndex: number, basePath: FieldPath, value: unknown, hasSyntaxErrors: boolean, options: ExtractOptions): K8sObject | undefined {
  if (!isRecord(value)) return undefined;
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion || !kind) return undefined;
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const clusterScoped = isClusterScopedKind(kind);
  const explicitNs = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
  const name = typeof metadata.name === 'string' ? metadata.name : typeof metadata.generateName === 'string' ? metadata.generateName : '';
  return {
    id: basePath.length ? `${uri}#${docIndex}/${basePath.join('/')}` : `${uri}#${docIndex}`,
    uri,
    docIndex,
    basePath,
    apiVersion,
    kind,
    group: groupOf(apiVersion),
    name,
    namespace: clusterScoped ? '' : (explicitNs ?? options.defaultNamespace),
    namespaceExplicit: clusterScoped || explicitNs !== undefined,
    clusterScoped,
    labels: stringMap(metadata.labels),
    annotations: stringMap(metadata.annotations),
    raw: value,
    hasSyntaxErrors,
  };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A label/annotation map as strings. Non-string values (a YAML 1.1 `true` or a number) are kept in their
 * printed form here; the checks that care report how the API server treats them.
 */
export function stringMap(v: unknown): Labels {
  if (!isRecord(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (val === null || val === undefined) out[k] = '';
    else if (typeof val === 'object') continue;
    else out[k] = String(val);
  }
  return out;
}

/** Reads a nested value by path, or undefined. */
export function getPath(value: unknown, path: FieldPath): unknown {
  let cur: unknown = value;
  for (const seg of path) {
    if (cur === null || cur === undefined) return undefined;
    if (typeof seg === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[seg];
    } else {
      if (!isRecord(cur)) return undefined;
      cur = cur[seg];
    }
  }
  return cur;
}
