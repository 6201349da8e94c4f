// Diagnostic: deprecated-api
//
// Kubernetes rule: API versions are removed on a published schedule (the "Deprecated API Migration
// Guide"); from the removing release on, the API server no longer serves them and refuses
// manifests that use them (`no matches for kind "Ingress" in version "extensions/v1beta1"`).
// Fires at `apiVersion` when the object's (apiVersion, kind) is removed in the Kubernetes version
// the analysis targets (`kubernetesVersion` option), naming the release that removed it and the
// apiVersion to use instead (schema/removed-apis.ts). Quick fix: change the apiVersion, offered
// only when the object is valid unchanged under the replacement's schema (otherwise the migration
// needs field changes too, e.g. the Ingress v1 backend shape).
import type { Check, Fix } from './types';
import type { K8sObject } from '../model/object';
import { isRemovedIn, removedApi, type RemovedApi } from '../schema/removed-apis';
import { validateObject } from '../schema/schema';

export const deprecatedApi: Check = {
  codes: { 'deprecated-api': 'warning' },
  run(object, ctx, report) {
    const removed = removedApi(object.apiVersion, object.kind);
    if (!removed || !isRemovedIn(removed, ctx.options.kubernetesVersion)) return;
    const instead = removed.replacement ? `use ${removed.replacement}` : `the kind has no replacement`;
    report({
      code: 'deprecated-api',
      message: `${object.kind} ${object.apiVersion} is no longer served since Kubernetes ${removed.removedIn} (analysis targets ${ctx.options.kubernetesVersion}); ${instead}`,
      path: ['apiVersion'],
      target: 'value',
      fixes: fixes(object, removed),
    });
  },
};

function fixes(object: K8sObject, removed: RemovedApi): Fix[] {
  const replacement = removed.replacement;
  if (replacement === undefined) return [];
  const candidate = { ...object.raw, apiVersion: replacement };
  if (validateObject(replacement, object.kind, candidate).some((p) => p.severity === 'error')) return [];
  return [{ title: `Change apiVersion to ${replacement}`, preferred: true, edits: [{ kind: 'replace-value', place: { object, path: ['apiVersion'] }, text: replacement }] }];
}
