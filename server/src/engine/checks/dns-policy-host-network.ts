// Diagnostic: dns-policy-host-network
//
// Kubernetes rule (spec e.4): a pod with `hostNetwork: true` and `dnsPolicy` unset or `ClusterFirst`
// silently gets the `Default` policy: the node's resolv.conf, so cluster names such as
// `<service>.<namespace>.svc` do not resolve. `ClusterFirstWithHostNet` is the policy that gives a
// host-network pod the cluster DNS.
// Fires on such pod templates: at `dnsPolicy` when it is written, else at `hostNetwork`. Quick fix:
// set `dnsPolicy: ClusterFirstWithHostNet`.
import type { Check, Fix } from './types';
import type { FieldPath } from '../syntax/parse';
import { isRecord, type K8sObject } from '../model/object';
import { POD_CARRIER_KINDS } from './pod-references';

const WITH_HOST_NET = 'ClusterFirstWithHostNet';

export const dnsPolicyHostNetwork: Check = {
  codes: { 'dns-policy-host-network': 'warning' },
  kinds: POD_CARRIER_KINDS,
  run(object, ctx, report) {
    const template = ctx.index.podTemplate(object);
    const spec: unknown = template?.spec;
    if (!template || !isRecord(spec) || spec.hostNetwork !== true) return;
    const policy = spec.dnsPolicy;
    const written = typeof policy === 'string' && policy !== '';
    if (written && policy !== 'ClusterFirst') return;
    const specPath: FieldPath = [...template.path, 'spec'];
    report({
      code: 'dns-policy-host-network',
      message: `hostNetwork: true with dnsPolicy ${written ? 'ClusterFirst' : 'unset (ClusterFirst)'} falls back to dnsPolicy Default: the pod uses the node's resolv.conf and cannot resolve cluster names; use dnsPolicy: ${WITH_HOST_NET}`,
      path: written ? [...specPath, 'dnsPolicy'] : [...specPath, 'hostNetwork'],
      target: written ? 'value' : 'key',
      fixes: [fix(object, specPath, written)],
    });
  },
};

function fix(object: K8sObject, specPath: FieldPath, written: boolean): Fix {
  const title = `Set dnsPolicy: ${WITH_HOST_NET}`;
  return written
    ? { title, preferred: true, edits: [{ kind: 'replace-value', place: { object, path: [...specPath, 'dnsPolicy'] }, text: WITH_HOST_NET }] }
    : { title, preferred: true, edits: [{ kind: 'set-field', place: { object, path: specPath }, key: 'dnsPolicy', text: WITH_HOST_NET }] };
}
