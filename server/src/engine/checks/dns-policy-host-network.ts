// Diagnostic: dns-policy-host-network
//
// Kubernetes rule (spec e.4): a pod with `hostNetwork: true` and `dnsPolicy` unset or `ClusterFirst`
// silently gets the `Default` policy: the node's resolv.conf, so cluster names such as
// `<service>.<namespace>.svc` do not resolve. `ClusterFirstWithHostNet` is the policy that gives a
// host-network pod the cluster DNS.
// Fires on such pod templates, at `dnsPolicy` when it is written, else at `hostNetwork`. Most
// host-network pods (node agents, exporters, CNI and load-balancer speakers) never look up a cluster
// name, so the finding is a warning only when the pod's command, arguments or environment name a
// cluster DNS name (`*.svc`, `*.svc.cluster.local`) or a Service of its namespace as a host; it is
// information otherwise. Quick fix: set `dnsPolicy: ClusterFirstWithHostNet`.
import type { Check, CheckContext, Fix, RelatedPlace } from './types';
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
    const evidence = clusterNameIn(ctx, object, spec, specPath);
    const related: RelatedPlace[] = evidence ? [{ object, path: evidence.path, target: 'value', message: `cluster DNS name "${evidence.name}"` }] : [];
    report({
      code: 'dns-policy-host-network',
      severity: evidence ? 'warning' : 'info',
      message:
        `hostNetwork: true with dnsPolicy ${written ? 'ClusterFirst' : 'unset (ClusterFirst)'} falls back to dnsPolicy Default: the pod uses the node's resolv.conf and cannot resolve cluster names` +
        (evidence ? `, yet it uses "${evidence.name}"` : '') +
        `; use dnsPolicy: ${WITH_HOST_NET}`,
      path: written ? [...specPath, 'dnsPolicy'] : [...specPath, 'hostNetwork'],
      target: written ? 'value' : 'key',
      related,
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

const SVC_NAME = /\b([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\.svc(\.cluster\.local)?)(?![-a-z0-9])/;

/**
 * The first cluster DNS name the pod's containers mention in `command`, `args` or `env[].value`:
 * a `.svc` name, or a Service of the pod's namespace used as a URL or `host:port` host.
 */
function clusterNameIn(ctx: CheckContext, object: K8sObject, spec: Record<string, unknown>, specPath: FieldPath): { name: string; path: FieldPath } | undefined {
  const services = new Set(ctx.index.ofKind('Service', object.namespace).map((s) => s.name).filter((n) => n !== ''));
  for (const field of ['initContainers', 'containers']) {
    const containers = spec[field];
    if (!Array.isArray(containers)) continue;
    for (let ci = 0; ci < containers.length; ci++) {
      const c: unknown = containers[ci];
      if (!isRecord(c)) continue;
      const base = [...specPath, field, ci];
      const strings: Array<[string, FieldPath]> = [];
      for (const list of ['command', 'args']) {
        const v = c[list];
        if (Array.isArray(v)) v.forEach((s, i) => typeof s === 'string' && strings.push([s, [...base, list, i]]));
      }
      if (Array.isArray(c.env)) c.env.forEach((e, i) => isRecord(e) && typeof e.value === 'string' && strings.push([e.value, [...base, 'env', i, 'value']]));
      for (const [text, path] of strings) {
        const svc = SVC_NAME.exec(text);
        if (svc) return { name: svc[1], path };
        for (const m of text.matchAll(/:\/\/(?:[^@/\s]*@)?([a-z0-9]([-a-z0-9]*[a-z0-9])?)(?=[:/]|$)|^([a-z0-9]([-a-z0-9]*[a-z0-9])?):\d+$/g)) {
          const host = m[1] ?? m[3];
          if (host !== undefined && services.has(host)) return { name: host, path };
        }
      }
    }
  }
  return undefined;
}
