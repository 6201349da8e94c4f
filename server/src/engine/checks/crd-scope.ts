// Which CustomResourceDefinition of the workspace a custom resource is read against. CRDs are
// cluster-wide, but a workspace often holds several projects, each with the CRDs of its own release:
// the one deployed with the object (same apply unit, or a folder containing the other's folder, as
// `manifests/setup/` holds the CRDs of `manifests/`) is the version the object was written for. A CRD
// from elsewhere in the workspace (another sample, another release) may be older or newer than the
// one the object's cluster runs.
import type { CheckContext } from './types';
import { isRecord, type K8sObject } from '../model/object';
import { dirName } from '../model/apply-unit';
import { knownKind, schemaFromCRD, type KindSchema } from '../schema/schema';
import { applyUnitsOf } from './pod-references';

export interface CrdCandidate {
  readonly crd: K8sObject;
  /** The CRD's schema for the object's apiVersion and kind. */
  readonly schema: KindSchema;
  /** Deployed with the object: same apply unit, or one's folder contains the other's. */
  readonly near: boolean;
}

/** The workspace CRDs defining the object's apiVersion and kind, those deployed with it first, then by folder distance. */
export function crdCandidates(ctx: CheckContext, object: K8sObject): CrdCandidate[] {
  const defining = ctx.memo(`crd-scope:${object.group}/${object.kind}`, () => {
    const out: { crd: K8sObject; schemas: readonly KindSchema[] }[] = [];
    for (const crd of ctx.index.ofKind('CustomResourceDefinition')) {
      const spec = crd.raw.spec;
      if (!isRecord(spec) || spec.group !== object.group || !isRecord(spec.names) || spec.names.kind !== object.kind) continue;
      out.push({ crd, schemas: schemasOf(crd) });
    }
    return out;
  });
  if (defining.length === 0) return [];
  const units = applyUnitsOf(ctx);
  const candidates: (CrdCandidate & { distance: number })[] = [];
  for (const { crd, schemas } of defining) {
    const schema = schemas.find((s) => s.apiVersion === object.apiVersion);
    if (!schema) continue;
    const a = dirName(object.uri);
    const b = dirName(crd.uri);
    const near = a.startsWith(b) || b.startsWith(a) || units.shareUnit(object.uri, crd.uri);
    candidates.push({ crd, schema, near, distance: folderDistance(a, b) });
  }
  return candidates
    .sort((x, y) => Number(y.near) - Number(x.near) || x.distance - y.distance || (x.crd.uri < y.crd.uri ? -1 : x.crd.uri > y.crd.uri ? 1 : x.crd.docIndex - y.crd.docIndex))
    .map(({ crd, schema, near }) => ({ crd, schema, near }));
}

/** The schemas of the workspace CRDs for a custom resource, nearest first; none for built-in kinds. */
export function crdSchemasFor(ctx: CheckContext, object: K8sObject): KindSchema[] {
  if (knownKind(object.apiVersion, object.kind)) return [];
  return crdCandidates(ctx, object).map((c) => c.schema);
}

const schemaCache = new WeakMap<K8sObject, readonly KindSchema[]>();

function schemasOf(crd: K8sObject): readonly KindSchema[] {
  let schemas = schemaCache.get(crd);
  if (!schemas) schemaCache.set(crd, (schemas = schemaFromCRD(crd.raw)));
  return schemas;
}

/** Folders to walk up and down from one folder to the other. */
function folderDistance(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return x.length - i + (y.length - i);
}
