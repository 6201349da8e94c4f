// "What does this value resolve to" for hovers, computed by the engine for the field under the cursor:
// selectors -> the workloads they select; pod template labels -> the selectors selecting them;
// targetPort/port -> the container ports they reach; serviceName / clusterIP: None -> per-pod DNS names;
// dnsPolicy / hostNetwork -> the effective policy and resolv.conf; Service type and traffic policies ->
// what kube-proxy does; named references -> the object or "not in workspace".
import type { FieldPath } from '../syntax/parse';
import type { Workspace } from '../workspace';
import { getPath, isRecord, type K8sObject } from '../model/object';
import { namedReferencesOf, selectorsOf } from '../semantics/references';
import { matches, selectorToString } from '../labels/selector';
import { refText } from '../model/ref';
import { compareText } from '../text/compare';
import { podDNS } from '../semantics/dns';
import { allocateServices } from '../simulate/cluster-ip';
import { DEFAULT_PROFILE } from '../simulate/profile';
import type { KindSchema } from '../schema/schema';
import { namespacePolicyModel } from '../checks/network-policy-model';
import { explainNetworkPolicy } from '../semantics/network-policy-explain';
import { netpolNamespace } from '../semantics/network-policy-model';
import { portProtocol, servicePortTarget, targetPortDeclarations } from '../semantics/ports';

export interface HoverContext {
  readonly clusterDomain?: string;
  readonly dnsServiceIP?: string;
  readonly crds?: readonly KindSchema[];
  /** ClusterIP the simulator allocated to a Service (ObjectRef text -> IP), when known. */
  readonly clusterIPs?: ReadonlyMap<string, string>;
  /** Extra resolution provided by the simulator (NetworkPolicy explanations, Ingress routing, ...). */
  readonly extra?: (object: K8sObject, path: FieldPath) => string | undefined;
}

export function resolveValue(ws: Workspace, object: K8sObject, path: FieldPath, ctx: HoverContext): string | undefined {
  const extra = ctx.extra?.(object, path);
  if (extra) return extra;
  return (
    networkPolicyHover(ws, object, path) ??
    selectorHover(ws, object, path) ??
    labelsHover(ws, object, path) ??
    servicePortHover(ws, object, path, ctx) ??
    dnsNamesHover(ws, object, path, ctx) ??
    dnsPolicyHover(object, path, ctx) ??
    serviceBehaviourHover(object, path) ??
    referenceHover(ws, object, path) ??
    secretHover(object, path)
  );
}

const link = (ws: Workspace, o: K8sObject, path: FieldPath = ['metadata', 'name']) => {
  const { start } = ws.locateStart({ object: o, path });
  const line = ws.lineIndex(o.uri).position(start).line + 1;
  return `[${refText(o)}](${o.uri}#L${line})`;
};

/** On a NetworkPolicy's name or spec (outside its selectors): who may now reach whom, in plain words. */
function networkPolicyHover(ws: Workspace, object: K8sObject, path: FieldPath): string | undefined {
  if (object.kind !== 'NetworkPolicy') return undefined;
  const onName = path.join('.') === 'metadata.name' || path.length === 0 || path.join('.') === 'kind';
  const onRules = path[0] === 'spec' && (path.length === 1 || path[1] === 'ingress' || path[1] === 'egress' || path[1] === 'policyTypes') && !path.includes('podSelector') && !path.includes('namespaceSelector');
  if (!onName && !onRules) return undefined;
  const model = namespacePolicyModel(ws.checkContext(), object.namespace, object.uri);
  return explainNetworkPolicy(model, `${object.namespace}/${object.name}`)?.markdown;
}

function selectorHover(ws: Workspace, object: K8sObject, path: FieldPath): string | undefined {
  const use = selectorsOf(object).find((u) => startsWith(path, u.path));
  if (!use) return undefined;
  if (use.selects === 'namespaces') {
    const namespaces = ws.objectIndex.ofKind('Namespace').filter((n) => matches(use.selector, netpolNamespace(n.name, n.labels).labels));
    return `**Selects ${namespaces.length} namespace${namespaces.length === 1 ? '' : 's'} defined in the workspace** (\`${selectorToString(use.selector) || 'everything'}\`)${namespaces.map((n) => `\n- ${link(ws, n)}`).join('')}`;
  }
  const templates = ws.objectIndex.selectPodTemplates(use.namespace, use.selector).filter((t) => t.owner !== object || object.kind !== 'Service');
  const pods = templates.reduce((n, t) => n + podCount(t.owner), 0);
  const lines = templates.map((t) => `- ${link(ws, t.owner)} — ${podCount(t.owner)} pod${podCount(t.owner) === 1 ? '' : 's'}`);
  const sel = selectorToString(use.selector);
  return `**Selects ${pods} pod${pods === 1 ? '' : 's'} in ${templates.length} workload${templates.length === 1 ? '' : 's'}** in namespace \`${use.namespace}\` (\`${sel || (use.selector.kind === 'nothing' ? 'nothing' : 'everything')}\`)${lines.length ? '\n' + lines.join('\n') : ''}`;
}

function labelsHover(ws: Workspace, object: K8sObject, path: FieldPath): string | undefined {
  const template = ws.objectIndex.podTemplate(object);
  if (!template) return undefined;
  const labelsPath = [...template.path, 'metadata', 'labels'];
  if (!startsWith(path, labelsPath)) return undefined;
  const selecting: string[] = [];
  for (const kind of ['Service', 'NetworkPolicy', 'PodDisruptionBudget', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job']) {
    for (const o of ws.objectIndex.ofKind(kind, object.namespace)) {
      for (const use of selectorsOf(o)) {
        if (use.selects === 'pods' && matches(use.selector, template.labels)) selecting.push(`- ${link(ws, o, use.path)} (\`${selectorToString(use.selector) || 'everything'}\`)`);
      }
    }
  }
  return `**Pods with these labels are selected by ${selecting.length} selector${selecting.length === 1 ? '' : 's'}**${selecting.length ? '\n' + selecting.join('\n') : ''}`;
}

function servicePortHover(ws: Workspace, object: K8sObject, path: FieldPath, ctx: HoverContext): string | undefined {
  if (object.kind !== 'Service' || path[0] !== 'spec' || path[1] !== 'ports' || typeof path[2] !== 'number') return undefined;
  const port = getPath(object.raw, ['spec', 'ports', path[2]]);
  if (!isRecord(port)) return undefined;
  const protocol = portProtocol(port);
  const resolved = servicePortTarget(port);
  const target = resolved.kind === 'number' ? resolved.port : resolved.kind === 'name' ? resolved.name : port.targetPort ?? port.port;
  const use = selectorsOf(object).find((u) => u.selects === 'pods');
  const written = getPath(object.raw, ['spec', 'clusterIP']);
  const clusterIP = typeof written === 'string' && written !== '' ? written : ctx.clusterIPs?.get(refText(object)) ?? simulatedClusterIP(ws, object) ?? 'ClusterIP';
  const lines: string[] = [];
  if (!use) return `**targetPort ${String(target)}**: this Service has no selector; traffic goes to the endpoints written by hand.`;
  for (const t of ws.objectIndex.selectPodTemplates(object.namespace, use.selector)) {
    const byName = resolved.kind === 'name';
    const hits = targetPortDeclarations(t.ports, resolved, protocol);
    if (hits.length) for (const h of hits) lines.push(`- ${link(ws, t.owner, h.path)}: container \`${h.container}\` port ${h.name ? `\`${h.name}\` ` : ''}${h.containerPort}/${h.protocol}`);
    else lines.push(`- ${link(ws, t.owner)}: ${byName ? `no container port named \`${String(target)}\`/${protocol}` : `${String(target)}/${protocol} (not declared, still reachable)`}`);
  }
  const allocated = typeof written !== 'string' || written === '';
  const head = clusterIP === 'None'
    ? `**Headless**: clients connect to the pod IPs directly on port ${String(target)}/${protocol}`
    : `**${clusterIP}:${String(port.port)}/${protocol} → pod:${String(target)}**${allocated && clusterIP !== 'ClusterIP' ? ' (ClusterIP as the simulated cluster allocates it)' : ''}`;
  return `${head}${lines.length ? '\n' + lines.join('\n') : '\n- no pods selected'}`;
}

/**
 * The ClusterIP the simulated cluster (default profile) gives a Service that names none. The
 * allocation is kept while the Services are unchanged: an edit elsewhere does not redo it.
 */
function simulatedClusterIP(ws: Workspace, service: K8sObject): string | undefined {
  const ips = ws.memo('hover:cluster-ips', () => {
    const services = ws.objectIndex.ofKind('Service').map(allocationInput);
    // The allocation sorts Services by namespace and name, keeping the given order of one name's
    // duplicates (the first is used): the inputs in that order decide the result.
    const inputs = [...services].sort((a, b) => compareText(a.ref, b.ref)).map((s) => s.json);
    return ws.memoByInputs('hover:cluster-ips', inputs, () => {
      const out = new Map<string, string>();
      for (const s of allocateServices(services.map((e) => e.value), { profile: DEFAULT_PROFILE }).services) {
        const ip = s.service.spec?.clusterIP;
        if (ip) out.set(`${s.ref.namespace}/${s.ref.name}`, ip);
      }
      return out;
    });
  });
  return ips.get(`${service.namespace}/${service.name}`);
}

interface AllocationInput {
  /** `namespace\0name`, as the allocation orders Services. */
  readonly ref: string;
  readonly value: Record<string, unknown>;
  /** The allocation reads a JSON copy of `value`: equal texts allocate alike. */
  readonly json: string;
}

/** Each Service's allocation input, once per object (objects are immutable: a re-read file gives new ones). */
const allocationInputs = new WeakMap<K8sObject, AllocationInput>();

function allocationInput(o: K8sObject): AllocationInput {
  let input = allocationInputs.get(o);
  if (!input) {
    const value = { ...o.raw, metadata: { ...(isRecord(o.raw.metadata) ? o.raw.metadata : {}), namespace: o.namespace } };
    const name = isRecord(o.raw.metadata) && typeof o.raw.metadata.name === 'string' ? o.raw.metadata.name : '';
    allocationInputs.set(o, (input = { ref: `${o.namespace}\u0000${name}`, value, json: JSON.stringify(value) }));
  }
  return input;
}

function dnsNamesHover(ws: Workspace, object: K8sObject, path: FieldPath, ctx: HoverContext): string | undefined {
  const domain = ctx.clusterDomain ?? 'cluster.local';
  const key = path.join('.');
  if (object.kind === 'StatefulSet' && key === 'spec.serviceName') {
    const svc = String(getPath(object.raw, ['spec', 'serviceName']) ?? '');
    return statefulSetDns(ws, object, svc, domain);
  }
  if (object.kind === 'Service' && key === 'spec.clusterIP' && getPath(object.raw, ['spec', 'clusterIP']) === 'None') {
    const out = [`**Headless Service**: \`${object.name}.${object.namespace}.svc.${domain}\` resolves to the ready pods' IPs (A/AAAA records), with SRV records \`_<port>._<proto>.${object.name}.${object.namespace}.svc.${domain}\` for named ports.`];
    for (const sts of ws.objectIndex.ofKind('StatefulSet', object.namespace)) {
      if (getPath(sts.raw, ['spec', 'serviceName']) === object.name) out.push(statefulSetDns(ws, sts, object.name, domain));
    }
    return out.join('\n\n');
  }
  return undefined;
}

function statefulSetDns(ws: Workspace, sts: K8sObject, svc: string, domain: string): string {
  const n = podCount(sts);
  const start = Number(getPath(sts.raw, ['spec', 'ordinals', 'start']) ?? 0) || 0;
  const names = Array.from({ length: Math.min(n, 10) }, (_, i) => `- \`${sts.name}-${start + i}.${svc}.${sts.namespace}.svc.${domain}\``);
  const found = ws.objectIndex.named('Service', sts.namespace, svc);
  const state = found.length === 0 ? `Service \`${svc}\` is not in the workspace` : getPath(found[0].raw, ['spec', 'clusterIP']) === 'None' ? `governed by headless ${link(ws, found[0])}` : `${link(ws, found[0])} is not headless: pods get no per-pod DNS records`;
  return `**Pod DNS names of ${refText(sts)}** (${state})\n${names.join('\n')}${n > 10 ? `\n- … ${n - 10} more` : ''}`;
}

function dnsPolicyHover(object: K8sObject, path: FieldPath, ctx: HoverContext): string | undefined {
  const last = path[path.length - 1];
  if (last !== 'dnsPolicy' && last !== 'hostNetwork' && last !== 'dnsConfig') return undefined;
  const spec = getPath(object.raw, path.slice(0, -1));
  if (!isRecord(spec)) return undefined;
  const domain = ctx.clusterDomain ?? 'cluster.local';
  const result = podDNS(
    { clusterDomain: domain, clusterDNS: [ctx.dnsServiceIP ?? '10.96.0.10'], resolvConf: '' },
    { namespace: object.namespace, dnsPolicy: typeof spec.dnsPolicy === 'string' ? spec.dnsPolicy : undefined, hostNetwork: spec.hostNetwork === true, dnsConfig: isRecord(spec.dnsConfig) ? (spec.dnsConfig as never) : undefined },
  );
  if (result.kind !== 'ok') return `**DNS**: ${result.message}`;
  const effective = result.type === 'cluster' ? 'cluster DNS' : result.type === 'host' ? "the node's resolver (Default)" : 'only dnsConfig (None)';
  const fallback = spec.hostNetwork === true && (spec.dnsPolicy === undefined || spec.dnsPolicy === 'ClusterFirst')
    ? "\n\n`hostNetwork: true` makes ClusterFirst fall back to the node's resolver: cluster names do not resolve. Use `dnsPolicy: ClusterFirstWithHostNet`."
    : '';
  const text = [
    ...(result.type === 'host' ? ["# the node's own /etc/resolv.conf (its nameservers and search domains)"] : []),
    ...result.nameservers.map((n) => `nameserver ${n}`),
    result.searches.length ? `search ${result.searches.join(' ')}` : '',
    result.options.length ? `options ${result.options.join(' ')}` : '',
  ].filter(Boolean).join('\n');
  return `**Effective DNS: ${effective}** — the pod's /etc/resolv.conf:\n\`\`\`\n${text}\n\`\`\`${fallback}`;
}

const BEHAVIOUR: Record<string, Record<string, string>> = {
  type: {
    ClusterIP: 'kube-proxy answers only on the virtual ClusterIP, inside the cluster.',
    NodePort: 'kube-proxy also opens the nodePort on every node address (nodePortAddresses) and forwards it to the endpoints.',
    LoadBalancer: 'a NodePort Service plus rules for the load balancer ingress IPs; the cloud controller provisions the balancer.',
    ExternalName: 'no proxying: cluster DNS answers with a CNAME to externalName.',
  },
  externalTrafficPolicy: {
    Cluster: 'external traffic may go to endpoints on any node and is masqueraded (client IP lost).',
    Local: 'external traffic goes only to endpoints on the receiving node (client IP kept); nodes without one drop it, and healthCheckNodePort reports which nodes have endpoints.',
  },
  internalTrafficPolicy: {
    Cluster: 'traffic from inside the cluster goes to any ready endpoint.',
    Local: 'traffic from pods goes only to endpoints on the same node; with none there, it is dropped.',
  },
  sessionAffinity: {
    None: 'each connection picks an endpoint at random.',
    ClientIP: 'kube-proxy pins each client IP to one endpoint (iptables `recent` match) for sessionAffinityConfig.clientIP.timeoutSeconds (default 10800 s).',
  },
};

function serviceBehaviourHover(object: K8sObject, path: FieldPath): string | undefined {
  if (object.kind !== 'Service' || path[0] !== 'spec' || path.length !== 2) return undefined;
  const field = String(path[1]);
  const table = BEHAVIOUR[field];
  if (!table) return undefined;
  const value = String(getPath(object.raw, path) ?? (field === 'type' ? 'ClusterIP' : field === 'sessionAffinity' ? 'None' : 'Cluster'));
  const text = table[value];
  return text ? `**${field}: ${value}** — ${text}` : undefined;
}

function referenceHover(ws: Workspace, object: K8sObject, path: FieldPath): string | undefined {
  for (const ref of namedReferencesOf(object)) {
    if (ref.path.join('.') !== path.join('.')) continue;
    const found = ws.objectIndex.named(ref.kind, ref.namespace, ref.name);
    if (found.length === 0) return `**${ref.kind} \`${ref.name}\`**${ref.namespace ? ` in namespace \`${ref.namespace}\`` : ''}: not in the workspace${ref.optional ? ' (optional)' : ''}`;
    return `**${ref.kind}**: ${found.map((o) => link(ws, o)).join(', ')}${ref.key ? ` — key \`${ref.key}\`${hasKey(found[0], ref.key) ? '' : ' (not found in it)'}` : ''}`;
  }
  return undefined;
}

function secretHover(object: K8sObject, path: FieldPath): string | undefined {
  if (object.kind === 'Secret' && (path[0] === 'data' || path[0] === 'stringData') && path.length === 2) return '**Secret value** — hidden by Kubeglass (••••••).';
  return undefined;
}

function hasKey(o: K8sObject, key: string): boolean {
  return [o.raw.data, o.raw.stringData, o.raw.binaryData].some((d) => isRecord(d) && key in d);
}

function podCount(o: K8sObject): number {
  if (o.kind === 'Pod' || o.kind === 'DaemonSet') return 1;
  const r = getPath(o.raw, ['spec', o.kind === 'Job' ? 'parallelism' : 'replicas']);
  return typeof r === 'number' ? r : 1;
}

function startsWith(path: FieldPath, prefix: FieldPath): boolean {
  if (path.length < prefix.length) return false;
  return prefix.every((s, i) => path[i] === s);
}
