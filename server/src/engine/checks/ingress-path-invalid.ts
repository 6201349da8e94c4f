// Diagnostic: ingress-path-invalid
//
// Kubernetes rule (spec f.4): the API server refuses a networking.k8s.io/v1 Ingress whose
// `spec.rules[i].http` has no paths, whose path entry lacks `pathType` (v1 has no default) or has
// an unknown one, whose `Exact`/`Prefix` path is not absolute or contains `//`, `/./`, `/../`,
// `%2f`, `%2F` or ends in `/..` or `/.`, whose `ImplementationSpecific` path is non-empty and not
// absolute, or whose backend is malformed (neither or both of service/resource, both or neither of
// port name and number, invalid names or numbers).
// Fires once per field error, with the API server's exact text (semantics/ingress-validation.ts),
// at the offending field. Only v1 Ingresses: the removed v1beta1 API defaulted `pathType`.
import type { Check } from './types';
import type { FieldPath } from '../syntax/parse';
import { getPath, isRecord } from '../model/object';
import { fieldErrorText, required } from '../labels/field-error';
import { validateIngressPath } from '../semantics/ingress';

export const ingressPathInvalid: Check = {
  codes: { 'ingress-path-invalid': 'error' },
  kinds: ['Ingress'],
  run(object, _ctx, report) {
    if (object.apiVersion !== 'networking.k8s.io/v1') return;
    const rules = getPath(object.raw, ['spec', 'rules']);
    if (!Array.isArray(rules)) return;
    rules.forEach((rule, i) => {
      if (!isRecord(rule) || rule.http === undefined || rule.http === null) return;
      const httpPath: FieldPath = ['spec', 'rules', i, 'http'];
      const http = isRecord(rule.http) ? rule.http : {};
      const paths = Array.isArray(http.paths) ? http.paths : [];
      if (paths.length === 0) {
        const error = required(`spec.rules[${i}].http.paths`);
        report({ code: 'ingress-path-invalid', message: fieldErrorText(error), path: http.paths === undefined ? httpPath : [...httpPath, 'paths'], target: 'value' });
        return;
      }
      paths.forEach((entry, j) => {
        const prefix = `spec.rules[${i}].http.paths[${j}]`;
        const entryPath: FieldPath = [...httpPath, 'paths', j];
        for (const error of validateIngressPath(isRecord(entry) ? entry : null, prefix)) {
          report({ code: 'ingress-path-invalid', message: fieldErrorText(error), path: locate(object.raw, entryPath, error.field.slice(prefix.length)), target: 'value' });
        }
      });
    });
  },
};

/**
 * The deepest existing field of `entryPath` + the error's field suffix (`.backend.service.name`), so a
 * missing field is reported at its parent; a missing `pathType` is reported at the entry's `path`.
 */
function locate(raw: unknown, entryPath: FieldPath, suffix: string): FieldPath {
  const full: (string | number)[] = [...entryPath];
  for (const m of suffix.matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) full.push(m[1] !== undefined ? m[1] : Number(m[2]));
  if (suffix === '.pathType' && getPath(raw, full) === undefined && getPath(raw, [...entryPath, 'path']) !== undefined) return [...entryPath, 'path'];
  while (full.length > entryPath.length && getPath(raw, full) === undefined) full.pop();
  return full;
}
