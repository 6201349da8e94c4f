// Diagnostic: dns-config-invalid
//
// Kubernetes rule (spec e.5): the API server refuses a pod (or a workload's pod template) whose
// `dnsPolicy` is not one of ClusterFirstWithHostNet, ClusterFirst, Default, None; whose policy
// `None` comes without `dnsConfig` or without `dnsConfig.nameservers`; whose `dnsConfig` has more
// than 3 nameservers or one that is not an IP address, more than 32 search paths, a search list
// longer than 2048 characters, a search path that is not a DNS-1123 subdomain, or an option
// without a name.
// Fires once per field error, with the API server's exact text (semantics/dns.ts `validatePodDNS`),
// at the offending field (the nearest written one when the field is missing).
import type { Check } from './types';
import type { FieldPath } from '../syntax/parse';
import { getPath } from '../model/object';
import { fieldErrorText } from '../labels/field-error';
import { validatePodDNS } from '../semantics/dns';
import { POD_CARRIER_KINDS } from './pod-references';

export const dnsConfigInvalid: Check = {
  codes: { 'dns-config-invalid': 'error' },
  kinds: POD_CARRIER_KINDS,
  run(object, ctx, report) {
    const template = ctx.index.podTemplate(object);
    if (!template) return;
    const specPath: FieldPath = [...template.path, 'spec'];
    const prefix = specPath.join('.');
    for (const error of validatePodDNS(template.spec, prefix)) {
      const path = locate(object.raw, specPath, error.field.slice(prefix.length));
      report({ code: 'dns-config-invalid', message: fieldErrorText(error), path, target: path.length > specPath.length ? 'value' : 'key' });
    }
  },
};

/** `specPath` + the error's field suffix (`.dnsConfig.nameservers[3]`), cut back to the deepest written field. */
function locate(raw: unknown, specPath: FieldPath, suffix: string): FieldPath {
  const full: (string | number)[] = [...specPath];
  for (const m of suffix.matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) full.push(m[1] !== undefined ? m[1] : Number(m[2]));
  while (full.length > specPath.length && getPath(raw, full) === undefined) full.pop();
  if (full.length === specPath.length && getPath(raw, [...specPath, 'dnsPolicy']) !== undefined) return [...specPath, 'dnsPolicy'];
  return full;
}
