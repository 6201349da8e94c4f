// Diagnostic: duplicate-object
//
// Kubernetes rule: an object is identified by API group, kind, namespace and name. Applying two
// definitions with the same identity does not create two objects: the later one silently replaces
// the earlier (`kubectl apply -f`), and kustomize refuses the build (`may not add resource with an
// already registered id`).
// Fires on each definition of an identity that is defined more than once within one apply unit
// (model/apply-unit.ts: a kustomization with everything it includes, or one plain manifest file).
// Definitions in different variants of an app (sibling folders, alternative files of one folder, an
// all-in-one file next to split files) are not duplicates. Never fires for a pair where
// only one side writes `metadata.namespace` (the other may be applied to any namespace), for objects
// named only by `generateName`, or for kustomize's own Kustomization/Component files.
import type { Check, RelatedPlace } from './types';
import { getPath, type K8sObject } from '../model/object';
import { refText } from '../model/ref';
import { applyUnitsOf } from './pod-references';

export const duplicateObject: Check = {
  codes: { 'duplicate-object': 'error' },
  run(object, ctx, report) {
    if (object.name === '' || object.group === 'kustomize.config.k8s.io') return;
    if (typeof getPath(object.raw, ['metadata', 'name']) !== 'string') return;
    const same = ctx.index.lookup(object);
    if (same.length < 2) return;
    const units = applyUnitsOf(ctx);
    const others = same.filter(
      (o) => o !== object && o.namespaceExplicit === object.namespaceExplicit && typeof getPath(o.raw, ['metadata', 'name']) === 'string' && units.shareUnit(object.uri, o.uri),
    );
    if (others.length === 0) return;
    const sorted = [...others].sort(compareLocation);
    const related: RelatedPlace[] = sorted.map((o) => ({ object: o, path: ['metadata', 'name'], target: 'value' as const, message: `other definition of ${refText(o)}` }));
    const where = sorted.map((o) => describeLocation(object, o)).join(', ');
    report({
      code: 'duplicate-object',
      message: `${refText(object)}${object.group ? ` (${object.group})` : ''} is defined ${others.length + 1} times in the same apply unit; also ${where}. Only one definition takes effect`,
      path: ['metadata', 'name'],
      target: 'value',
      related,
    });
  },
};

function describeLocation(from: K8sObject, other: K8sObject): string {
  if (other.uri === from.uri) return other.docIndex < from.docIndex || (other.docIndex === from.docIndex && other.id < from.id) ? 'earlier in this file' : 'later in this file';
  return `in ${relativePath(from.uri, other.uri)}`;
}

/** Path of `to` relative to the folder of `from`, e.g. `../base/web.yaml`. */
function relativePath(from: string, to: string): string {
  const a = from.split('/').slice(0, -1);
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...Array(a.length - i).fill('..'), ...b.slice(i)].join('/');
}

function compareLocation(a: K8sObject, b: K8sObject): number {
  return a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : a.docIndex - b.docIndex || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
