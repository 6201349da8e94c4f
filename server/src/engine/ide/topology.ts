// The topology of a workspace, as the topology view draws it: namespaces as groups; Ingresses
// routing host/path rules to Services; Services sending each port to the workloads they select
// (with the port mapping `80 → http → 8080/TCP`); workloads as groups of the pods the simulated
// cluster runs for them (StatefulSet pods by ordinal, with their DNS names); ConfigMaps, Secrets
// and PVCs the pods use (optional); NetworkPolicy verdicts between workloads as an overlay; DNS
// records and resolv.conf per Service and pod; the problems the checks report, on the node of
// the object they concern.
//
// Invariants: pure (workspace queries only), deterministic (nodes and edges sorted by id),
// never throws on user input, bounded (pods per workload, policy edges: a note says when a
// limit cut the picture). Secret values never enter the graph: only their keys do.
// Node ids are `ObjectRef` text (`refText`); namespace groups use `Namespace/<name>`.
// Deliberately absent: layout and styling (the webview's), wire conversion (protocol/topology.ts).
import type { Workspace } from '../workspace';
import type { K8sObject } from '../model/object';
import { getPath, isRecord } from '../model/object';
import { refText } from '../model/ref';
import type { FieldPath } from '../syntax/parse';
import type { PodTemplate } from '../model/pod-template';
import { selectorsOf } from '../semantics/references';
import type { ClusterProfile } from '../simulate/profile';
import type { SimPod } from '../simulate/pods';
import type { V1Service } from '../model/k8s-types';
import { simulateForTopology, isHeadlessService, type TopologySimulation } from './topology-cluster';
import { dnsByNode } from './topology-dns';
import { policyEdges } from './topology-policy';
import { namedPort, portProtocol, servicePortTarget } from '../semantics/ports';

export { topologyRules, topologyRulesByService, topologyTrace } from './topology-proxy';
export type { GraphRulesResult, GraphTraceResult, GraphTraceRequest, GraphTraceSource } from './topology-proxy';
export type { TopologySimulation } from './topology-cluster';
export { simulateForTopology } from './topology-cluster';

// ---------------------------------------------------------------------------------------------
// Graph types (engine terms: offsets; protocol/topology.ts converts them to ranges)

export interface GraphSpan {
  readonly uri: string;
  readonly start: number;
  readonly end: number;
}

export interface GraphProblem {
  readonly severity: 'error' | 'warning' | 'info' | 'hint';
  readonly code: string;
  readonly message: string;
  readonly span: GraphSpan;
}

export type GraphNodeRole = 'namespace' | 'ingress' | 'service' | 'workload' | 'pod' | 'config';

export interface GraphServicePort {
  readonly name: string;
  readonly port: number;
  readonly targetPort: number | string;
  readonly protocol: string;
  readonly nodePort: number;
}

export interface GraphService {
  readonly type: string;
  readonly headless: boolean;
  readonly clusterIPs: readonly string[];
  readonly externalIPs: readonly string[];
  readonly loadBalancerIPs: readonly string[];
  readonly externalName: string;
  readonly ports: readonly GraphServicePort[];
}

export interface GraphPod {
  readonly workload: string;
  readonly ordinal: number;
  readonly node: string;
  readonly ips: readonly string[];
  readonly hostNetwork: boolean;
  readonly dnsNames: readonly string[];
  readonly simulated: boolean;
}

export interface GraphIngressRule {
  readonly host: string;
  readonly path: string;
  readonly pathType: string;
  readonly backend: string;
}

export interface GraphNode {
  readonly id: string;
  readonly role: GraphNodeRole;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly parent: string;
  readonly details: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly source: GraphSpan | null;
  readonly extent: GraphSpan | null;
  readonly problems: readonly GraphProblem[];
  readonly service?: GraphService;
  readonly pod?: GraphPod;
  readonly ingressRules?: readonly GraphIngressRule[];
  readonly config?: { readonly keys: readonly string[]; readonly summary: string };
}

export interface GraphEdge {
  readonly id: string;
  readonly kind: 'route' | 'backend' | 'uses' | 'policy';
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly owner: string;
  readonly source: GraphSpan | null;
  readonly verdict?: 'allowed' | 'denied';
  readonly policies?: readonly string[];
}

export interface GraphDns {
  readonly records: readonly string[];
  readonly resolvConf?: readonly string[];
}

export interface TopologyGraph {
  readonly revision: number;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly dns: Readonly<Record<string, GraphDns>>;
  readonly cluster: {
    readonly clusterDomain: string;
    readonly nodes: ReadonlyArray<{ readonly name: string; readonly ips: readonly string[] }>;
    readonly defaultNode: string;
    readonly defaultMode: 'iptables' | 'nftables' | 'ipvs';
  };
  readonly notes: readonly string[];
}

export interface TopologyOptions {
  readonly profile: ClusterProfile;
  /** ConfigMaps, Secrets and PersistentVolumeClaims as detail nodes with `uses` edges. */
  readonly includeConfig: boolean;
  /** Pods drawn per workload; the rest are summarised in a note (default 500). */
  readonly maxPodsPerWorkload?: number;
  /** Policy overlay edges (default 400). */
  readonly maxPolicyEdges?: number;
  /** A simulation already computed for this workspace revision (the adapters memoise it). */
  readonly simulation?: TopologySimulation;
}

const CONFIG_KINDS = new Set(['ConfigMap', 'Secret', 'PersistentVolumeClaim']);

/** Builds the topology graph of the workspace. */
export function buildTopology(workspace: Workspace, options: TopologyOptions): TopologyGraph {
  const sim = options.simulation ?? simulateForTopology(workspace, options.profile);
  const b = new GraphBuilder(workspace, options, sim);
  b.build();
  return b.result();
}

// ---------------------------------------------------------------------------------------------

class GraphBuilder {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly edges = new Map<string, GraphEdge>();
  private readonly notes: string[] = [];
  private readonly extents = new Map<string, GraphSpan>();
  private readonly objectById = new Map<string, K8sObject>();
  private readonly maxPods: number;
  /** Simulation results by `namespace/name`. */
  private readonly storedServices: ReadonlyMap<string, V1Service>;
  private readonly workspacePods: ReadonlyMap<string, SimPod>;

  constructor(
    private readonly workspace: Workspace,
    private readonly options: TopologyOptions,
    private readonly sim: TopologySimulation,
  ) {
    this.maxPods = options.maxPodsPerWorkload ?? 500;
    this.storedServices = new Map(sim.services.map((s) => [`${s.ref.namespace}/${s.ref.name}`, s.service]));
    this.workspacePods = new Map(sim.pods.filter((p) => p.origin === 'workspace').map((p) => [`${p.ref.namespace}/${p.ref.name}`, p]));
  }

  build(): void {
    const index = this.workspace.objectIndex;
    const objects = this.workspace.objects().filter((o) => o.name !== '');
    for (const o of objects) {
      const id = refText(o);
      if (this.objectById.has(id)) continue; // a duplicate: the checks report it, the view shows the first
      this.objectById.set(id, o);
    }
    for (const o of this.objectById.values()) {
      if (o.kind === 'Ingress') this.addIngress(o);
      else if (o.kind === 'Service') this.addService(o);
      else if (o.kind === 'Pod') this.addBarePod(o);
      else if (index.podTemplate(o) && o.kind !== 'PodTemplate') this.addWorkload(o);
      else if (this.options.includeConfig && CONFIG_KINDS.has(o.kind)) this.addConfig(o);
    }
    this.addSimulatedPods();
    for (const o of this.objectById.values()) {
      if (o.kind === 'Service') this.addBackendEdges(o);
      if (o.kind === 'Ingress') this.addRouteEdges(o);
      if (this.options.includeConfig) this.addUsesEdges(o);
    }
    this.addNamespaces();
    const groupIds = new Set([...this.nodes.values()].filter((n) => n.role === 'workload' || (n.role === 'pod' && !n.pod?.simulated)).map((n) => n.id));
    const policies = policyEdges(this.sim, [...this.objectById.values()], groupIds, this.options.maxPolicyEdges ?? 400);
    for (const e of policies.edges) this.edges.set(e.id, { ...e, source: this.nameSpan(e.owner) });
    this.notes.push(...policies.notes);
    this.attachProblems();
  }

  result(): TopologyGraph {
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const profile = this.sim.profile;
    const { dns, podNames } = dnsByNode(this.sim, new Set(this.nodes.keys()));
    const nodes = [...this.nodes.values()].map((n) => {
      const names = n.pod ? podNames.get(n.id) : undefined;
      return names && n.pod ? { ...n, pod: { ...n.pod, dnsNames: [...names].sort() } } : n;
    });
    return {
      revision: this.workspace.revision,
      nodes: nodes.sort(byId),
      edges: [...this.edges.values()].sort(byId),
      dns,
      cluster: {
        clusterDomain: profile.clusterDomain,
        nodes: profile.nodes.map((n) => ({ name: n.name, ips: [...n.internalIPs] })),
        defaultNode: profile.kubeProxy.node,
        defaultMode: profile.kubeProxy.mode,
      },
      notes: [...this.notes].sort(),
    };
  }

  // --- nodes ---------------------------------------------------------------------------------

  private base(o: K8sObject, role: GraphNodeRole, parent: string, details: string[]): GraphNode {
    return {
      id: refText(o),
      role,
      kind: o.kind,
      namespace: o.namespace,
      name: o.name,
      parent,
      details,
      labels: o.labels,
      source: this.span(o, ['metadata', 'name'], 'value'),
      extent: this.extentOf(o),
      problems: [],
    };
  }

  private addIngress(o: K8sObject): void {
    const rules: GraphIngressRule[] = [];
    const spec = isRecord(o.raw.spec) ? o.raw.spec : {};
    const className = typeof spec.ingressClassName === 'string' ? spec.ingressClassName : o.annotations['kubernetes.io/ingress.class'] ?? '';
    if (isRecord(spec.defaultBackend)) rules.push({ host: '', path: '*', pathType: 'default', backend: backendText(spec.defaultBackend) });
    forEachIngressPath(o, (host, path, pathType, backend) => rules.push({ host, path, pathType, backend: backendText(backend) }));
    const details = [className ? `class ${className}` : 'no IngressClass', ...rules.map((r) => `${r.host || '*'}${r.path === '*' ? ' (default)' : r.path} → ${r.backend}`)];
    this.put({ ...this.base(o, 'ingress', nsId(o.namespace), details), ingressRules: rules });
  }

  private addService(o: K8sObject): void {
    const stored = this.storedServices.get(`${o.namespace}/${o.name}`);
    const service = serviceInfo(stored ?? (o.raw as V1Service));
    const details: string[] = [];
    if (service.type === 'ExternalName') details.push(`ExternalName → ${service.externalName}`);
    else if (service.headless) details.push('Headless (clusterIP: None)');
    else details.push(`${service.type} ${service.clusterIPs.join(', ') || '(no ClusterIP)'}`);
    for (const p of service.ports) {
      details.push(`${p.port}/${p.protocol}${p.name ? ` (${p.name})` : ''} → ${p.targetPort}${p.nodePort ? ` · NodePort ${p.nodePort}` : ''}`);
    }
    if (service.loadBalancerIPs.length) details.push(`LoadBalancer ${service.loadBalancerIPs.join(', ')}`);
    if (service.externalIPs.length) details.push(`externalIPs ${service.externalIPs.join(', ')}`);
    this.put({ ...this.base(o, 'service', nsId(o.namespace), details), service });
  }

  private addWorkload(o: K8sObject): void {
    const replicas = getPath(o.raw, ['spec', 'replicas']);
    const details = [o.kind === 'DaemonSet' ? 'one pod per eligible node' : `replicas ${typeof replicas === 'number' ? replicas : 1}`];
    if (o.kind === 'StatefulSet') {
      const serviceName = getPath(o.raw, ['spec', 'serviceName']);
      if (typeof serviceName === 'string' && serviceName) details.push(`serviceName ${serviceName}`);
    }
    this.put(this.base(o, 'workload', nsId(o.namespace), details));
  }

  private addBarePod(o: K8sObject): void {
    const sim = this.workspacePods.get(`${o.namespace}/${o.name}`);
    const node = this.base(o, 'pod', nsId(o.namespace), []);
    this.put(sim ? { ...node, details: podDetails(sim), pod: podInfo(sim, '', false) } : node);
  }

  private addSimulatedPods(): void {
    const counts = new Map<string, number>();
    const templateSpans = new Map<string, GraphSpan | null>();
    for (const p of this.sim.pods) {
      if (p.origin !== 'simulated') continue;
      const workloadId = refText(p.owner.workload);
      const workload = this.nodes.get(workloadId);
      const owner = this.objectById.get(workloadId);
      if (!workload || !owner) continue;
      const n = (counts.get(workloadId) ?? 0) + 1;
      counts.set(workloadId, n);
      if (n > this.maxPods) continue;
      let templateSpan = templateSpans.get(workloadId);
      if (templateSpan === undefined) templateSpans.set(workloadId, (templateSpan = this.span(owner, [...p.owner.templatePath], 'key')));
      this.put({
        id: refText(p.ref),
        role: 'pod',
        kind: 'Pod',
        namespace: p.ref.namespace,
        name: p.ref.name,
        parent: workloadId,
        details: podDetails(p),
        labels: p.pod.metadata?.labels ?? {},
        source: templateSpan,
        extent: null,
        problems: [],
        pod: podInfo(p, workloadId, true),
      });
    }
    for (const [id, n] of counts) {
      if (n > this.maxPods) this.notes.push(`${id}: showing ${this.maxPods} of its ${n} pods`);
      const w = this.nodes.get(id);
      if (w) this.nodes.set(id, { ...w, details: [...w.details, `${n} pod${n === 1 ? '' : 's'} simulated`] });
    }
  }

  private addConfig(o: K8sObject): void {
    const keys = new Set<string>();
    for (const field of ['data', 'binaryData', 'stringData']) {
      const v = o.raw[field];
      if (isRecord(v)) for (const k of Object.keys(v)) keys.add(k);
    }
    let summary = '';
    if (o.kind === 'Secret') summary = `${typeof o.raw.type === 'string' ? o.raw.type : 'Opaque'} · values hidden`;
    else if (o.kind === 'PersistentVolumeClaim') {
      const storage = getPath(o.raw, ['spec', 'resources', 'requests', 'storage']);
      summary = `${typeof storage === 'string' || typeof storage === 'number' ? String(storage) : '?'} requested`;
    } else summary = `${keys.size} key${keys.size === 1 ? '' : 's'}`;
    const details = [summary, ...[...keys].sort().slice(0, 8).map((k) => (o.kind === 'Secret' ? `${k}: ••••` : k))];
    this.put({ ...this.base(o, 'config', nsId(o.namespace), details), config: { keys: [...keys].sort(), summary } });
  }

  private addNamespaces(): void {
    const names = new Set<string>();
    for (const n of this.nodes.values()) if (n.namespace) names.add(n.namespace);
    for (const ns of names) {
      const obj = this.objectById.get(`Namespace/${ns}`);
      this.put({
        id: nsId(ns),
        role: 'namespace',
        kind: 'Namespace',
        namespace: '',
        name: ns,
        parent: '',
        details: [],
        labels: obj?.labels ?? {},
        source: obj ? this.span(obj, ['metadata', 'name'], 'value') : null,
        extent: obj ? this.extentOf(obj) : null,
        problems: [],
      });
    }
  }

  // --- edges ---------------------------------------------------------------------------------

  /** Service -> each workload (or bare Pod) whose template its selector matches, one line per port. */
  private addBackendEdges(o: K8sObject): void {
    const use = selectorsOf(o).find((u) => u.selects === 'pods');
    if (!use || use.selector.kind === 'nothing') return;
    const id = refText(o);
    const service = this.nodes.get(id)?.service;
    for (const template of this.workspace.objectIndex.selectPodTemplates(o.namespace, use.selector)) {
      const target = refText(template.owner);
      if (!this.nodes.has(target)) continue;
      const label = (service?.ports ?? []).map((p) => portMapping(p, template)).join('\n');
      this.addEdge({ kind: 'backend', from: id, to: target, label, owner: id, source: this.span(o, ['spec', 'ports'], 'key') ?? this.nameSpan(id) });
    }
  }

  private addRouteEdges(o: K8sObject): void {
    const id = refText(o);
    const spec = isRecord(o.raw.spec) ? o.raw.spec : {};
    if (isRecord(spec.defaultBackend)) this.addRouteEdge(o, spec.defaultBackend, '* (default)', ['spec', 'defaultBackend']);
    forEachIngressPath(o, (host, path, _type, backend, at) => this.addRouteEdge(o, backend, `${host || '*'}${path}`, at));
    const tls = Array.isArray(spec.tls) ? spec.tls : [];
    if (!this.options.includeConfig) return;
    tls.forEach((t, i) => {
      if (!isRecord(t) || typeof t.secretName !== 'string') return;
      const secret = `Secret/${o.namespace}/${t.secretName}`;
      if (this.nodes.has(secret)) this.addEdge({ kind: 'uses', from: id, to: secret, label: 'tls', owner: id, source: this.span(o, ['spec', 'tls', i, 'secretName'], 'value') });
    });
  }

  private addRouteEdge(o: K8sObject, backend: Record<string, unknown>, where: string, at: FieldPath): void {
    const svc = isRecord(backend.service) ? backend.service : undefined;
    if (!svc || typeof svc.name !== 'string') return;
    const target = `Service/${o.namespace}/${svc.name}`;
    if (!this.nodes.has(target)) return;
    const port = isRecord(svc.port) ? (typeof svc.port.number === 'number' ? String(svc.port.number) : typeof svc.port.name === 'string' ? svc.port.name : '?') : '?';
    this.addEdge({ kind: 'route', from: refText(o), to: target, label: `${where} → ${port}`, owner: refText(o), source: this.span(o, at, 'key') });
  }

  /** Workload (pod template) -> ConfigMaps, Secrets and PVCs it names. */
  private addUsesEdges(o: K8sObject): void {
    const template = this.workspace.objectIndex.podTemplate(o);
    if (!template || o.kind === 'PodTemplate') return;
    const from = refText(o);
    if (!this.nodes.has(from)) return;
    const specPath: FieldPath = [...template.path, 'spec'];
    for (const ref of templateReferences(template.spec as unknown as Record<string, unknown>)) {
      const to = `${ref.kind}/${o.namespace}/${ref.name}`;
      if (!this.nodes.has(to)) continue;
      this.addEdge({ kind: 'uses', from, to, label: ref.how, owner: from, source: this.span(o, [...specPath, ...ref.path], 'value') });
    }
  }

  private addEdge(e: Omit<GraphEdge, 'id'>): void {
    let id = `${e.kind}|${e.from}|${e.to}`;
    for (let i = 2; this.edges.has(id); i++) id = `${e.kind}|${e.from}|${e.to}|${i}`;
    this.edges.set(id, { id, ...e });
  }

  // --- problems ------------------------------------------------------------------------------

  /** Each diagnostic goes to the innermost object extent containing its start. */
  private attachProblems(): void {
    const byUri = new Map<string, { id: string; span: GraphSpan }[]>();
    for (const [id, span] of this.extents) {
      if (!this.nodes.has(id)) continue;
      const list = byUri.get(span.uri) ?? [];
      list.push({ id, span });
      byUri.set(span.uri, list);
    }
    const problems = new Map<string, GraphProblem[]>();
    for (const [uri, extents] of byUri) {
      for (const d of this.workspace.diagnostics(uri)) {
        let best: { id: string; span: GraphSpan } | undefined;
        for (const e of extents) {
          if (d.start < e.span.start || d.start > e.span.end) continue;
          if (!best || e.span.end - e.span.start < best.span.end - best.span.start) best = e;
        }
        if (!best) continue;
        const list = problems.get(best.id) ?? [];
        list.push({ severity: d.severity, code: d.code, message: d.message, span: { uri, start: d.start, end: d.end } });
        problems.set(best.id, list);
      }
    }
    for (const p of this.sim.problems) {
      const id = refText(p.object);
      const span = this.nameSpan(id);
      if (!span || !this.nodes.has(id)) continue;
      const list = problems.get(id) ?? [];
      list.push({ severity: 'info', code: 'simulation', message: p.message, span });
      problems.set(id, list);
    }
    for (const [id, list] of problems) {
      const n = this.nodes.get(id)!;
      this.nodes.set(id, { ...n, problems: list });
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private put(n: GraphNode): void {
    this.nodes.set(n.id, n);
  }

  private span(o: K8sObject, path: FieldPath, target: 'key' | 'value'): GraphSpan | null {
    const s = this.workspace.locate({ object: o, path, target });
    return s.start === 0 && s.end === 0 ? null : s;
  }

  private nameSpan(id: string): GraphSpan | null {
    const o = this.objectById.get(id);
    return o ? this.span(o, ['metadata', 'name'], 'value') : null;
  }

  private extentOf(o: K8sObject): GraphSpan | null {
    const id = refText(o);
    const cached = this.extents.get(id);
    if (cached) return cached;
    const s = this.workspace.locate({ object: o, path: [], target: 'value' });
    if (s.start === s.end) return null;
    this.extents.set(id, s);
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Pure helpers

function nsId(namespace: string): string {
  return namespace ? `Namespace/${namespace}` : '';
}

function serviceInfo(svc: V1Service): GraphService {
  const spec = svc.spec ?? {};
  const type = typeof spec.type === 'string' && spec.type ? spec.type : 'ClusterIP';
  const headless = isHeadlessService(svc);
  const clusterIPs = headless || type === 'ExternalName' ? [] : (spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])).filter((ip) => typeof ip === 'string' && ip !== 'None');
  const ports = (Array.isArray(spec.ports) ? spec.ports : []).filter(isRecord).map((p) => {
    const port = typeof p.port === 'number' ? p.port : 0;
    const target = servicePortTarget(p);
    return {
      name: typeof p.name === 'string' ? p.name : '',
      port,
      targetPort: target.kind === 'number' ? target.port : target.kind === 'name' ? target.name : port,
      protocol: portProtocol(p),
      nodePort: typeof p.nodePort === 'number' ? p.nodePort : 0,
    };
  });
  return {
    type,
    headless,
    clusterIPs,
    externalIPs: (spec.externalIPs ?? []).filter((ip): ip is string => typeof ip === 'string'),
    loadBalancerIPs: (svc.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i && typeof i.ip === 'string' ? [i.ip] : [])),
    externalName: typeof spec.externalName === 'string' ? spec.externalName : '',
    ports,
  };
}

/**
 * `port → targetPort-name → containerPort/PROTOCOL` for a named targetPort resolved in the
 * template (containers, then sidecar init containers; spec b.4), `port → number/PROTOCOL` for a
 * numeric one, `?` when the name resolves to nothing.
 */
export function portMapping(p: GraphServicePort, template: PodTemplate): string {
  if (typeof p.targetPort === 'number') return `${p.port} → ${p.targetPort}/${p.protocol}`;
  const hit = namedPort(template.ports, p.targetPort, p.protocol);
  return `${p.port} → ${p.targetPort} → ${hit ? hit.containerPort : '?'}/${p.protocol}`;
}

function podDetails(p: SimPod): string[] {
  const out: string[] = [];
  out.push(p.podIPs.length ? p.podIPs.join(', ') : 'no IP (not scheduled)');
  if (p.nodeName) out.push(`on ${p.nodeName}`);
  if (!p.ready) out.push('not ready');
  return out;
}

function podInfo(p: SimPod, workload: string, simulated: boolean): GraphPod {
  const ordinalLabel = p.pod.metadata?.labels?.['apps.kubernetes.io/pod-index'];
  const isStatefulSet = p.owner.workload.kind === 'StatefulSet';
  return {
    workload,
    ordinal: isStatefulSet && ordinalLabel !== undefined && /^\d+$/.test(ordinalLabel) ? Number(ordinalLabel) : -1,
    node: p.nodeName ?? '',
    ips: [...p.podIPs],
    hostNetwork: p.pod.spec?.hostNetwork === true,
    dnsNames: [],
    simulated,
  };
}

function backendText(backend: Record<string, unknown>): string {
  if (isRecord(backend.service)) {
    const s = backend.service;
    const port = isRecord(s.port) ? (typeof s.port.number === 'number' ? String(s.port.number) : String(s.port.name ?? '?')) : '?';
    return `${String(s.name ?? '?')}:${port}`;
  }
  if (isRecord(backend.resource)) return `${String(backend.resource.kind ?? '?')}/${String(backend.resource.name ?? '?')}`;
  return '?';
}

function forEachIngressPath(
  o: K8sObject,
  fn: (host: string, path: string, pathType: string, backend: Record<string, unknown>, at: FieldPath) => void,
): void {
  const rules = getPath(o.raw, ['spec', 'rules']);
  if (!Array.isArray(rules)) return;
  rules.forEach((rule, ri) => {
    if (!isRecord(rule)) return;
    const host = typeof rule.host === 'string' ? rule.host : '';
    const paths = getPath(rule, ['http', 'paths']);
    if (!Array.isArray(paths)) return;
    paths.forEach((p, pi) => {
      if (!isRecord(p) || !isRecord(p.backend)) return;
      const path = typeof p.path === 'string' ? p.path : '/';
      fn(host, path, typeof p.pathType === 'string' ? p.pathType : '', p.backend, ['spec', 'rules', ri, 'http', 'paths', pi]);
    });
  });
}

interface TemplateReference {
  readonly kind: 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim';
  readonly name: string;
  readonly how: string;
  /** Relative to the pod spec. */
  readonly path: FieldPath;
}

/** Every ConfigMap, Secret and PVC a pod spec names: volumes, envFrom, env valueFrom, pull secrets. */
function templateReferences(spec: Record<string, unknown>): TemplateReference[] {
  const out: TemplateReference[] = [];
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  volumes.forEach((v, i) => {
    if (!isRecord(v)) return;
    const at = (...rest: (string | number)[]): FieldPath => ['volumes', i, ...rest];
    if (isRecord(v.configMap) && typeof v.configMap.name === 'string') out.push({ kind: 'ConfigMap', name: v.configMap.name, how: 'volume', path: at('configMap', 'name') });
    if (isRecord(v.secret) && typeof v.secret.secretName === 'string') out.push({ kind: 'Secret', name: v.secret.secretName, how: 'volume', path: at('secret', 'secretName') });
    if (isRecord(v.persistentVolumeClaim) && typeof v.persistentVolumeClaim.claimName === 'string') {
      out.push({ kind: 'PersistentVolumeClaim', name: v.persistentVolumeClaim.claimName, how: 'volume', path: at('persistentVolumeClaim', 'claimName') });
    }
    const sources = isRecord(v.projected) && Array.isArray(v.projected.sources) ? v.projected.sources : [];
    sources.forEach((s, j) => {
      if (!isRecord(s)) return;
      if (isRecord(s.configMap) && typeof s.configMap.name === 'string') out.push({ kind: 'ConfigMap', name: s.configMap.name, how: 'projected', path: at('projected', 'sources', j, 'configMap', 'name') });
      if (isRecord(s.secret) && typeof s.secret.name === 'string') out.push({ kind: 'Secret', name: s.secret.name, how: 'projected', path: at('projected', 'sources', j, 'secret', 'name') });
    });
  });
  for (const field of ['containers', 'initContainers'] as const) {
    const list = Array.isArray(spec[field]) ? (spec[field] as unknown[]) : [];
    list.forEach((c, ci) => {
      if (!isRecord(c)) return;
      const envFrom = Array.isArray(c.envFrom) ? c.envFrom : [];
      envFrom.forEach((e, ei) => {
        if (!isRecord(e)) return;
        if (isRecord(e.configMapRef) && typeof e.configMapRef.name === 'string') out.push({ kind: 'ConfigMap', name: e.configMapRef.name, how: 'envFrom', path: [field, ci, 'envFrom', ei, 'configMapRef', 'name'] });
        if (isRecord(e.secretRef) && typeof e.secretRef.name === 'string') out.push({ kind: 'Secret', name: e.secretRef.name, how: 'envFrom', path: [field, ci, 'envFrom', ei, 'secretRef', 'name'] });
      });
      const env = Array.isArray(c.env) ? c.env : [];
      env.forEach((e, ei) => {
        const from = isRecord(e) && isRecord(e.valueFrom) ? e.valueFrom : undefined;
        if (!from) return;
        if (isRecord(from.configMapKeyRef) && typeof from.configMapKeyRef.name === 'string') out.push({ kind: 'ConfigMap', name: from.configMapKeyRef.name, how: 'env', path: [field, ci, 'env', ei, 'valueFrom', 'configMapKeyRef', 'name'] });
        if (isRecord(from.secretKeyRef) && typeof from.secretKeyRef.name === 'string') out.push({ kind: 'Secret', name: from.secretKeyRef.name, how: 'env', path: [field, ci, 'env', ei, 'valueFrom', 'secretKeyRef', 'name'] });
      });
    });
  }
  const pull = Array.isArray(spec.imagePullSecrets) ? spec.imagePullSecrets : [];
  pull.forEach((s, i) => {
    if (isRecord(s) && typeof s.name === 'string') out.push({ kind: 'Secret', name: s.name, how: 'imagePullSecret', path: ['imagePullSecrets', i, 'name'] });
  });
  // One edge per (kind, name, how): several env vars from one Secret are one line.
  const seen = new Set<string>();
  return out.filter((r) => {
    const key = `${r.kind}/${r.name}/${r.how}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
