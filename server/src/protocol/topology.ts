// The topology wire contract: the `TopologyModel` the webview renders, the custom LSP methods that
// produce it (`kubeglass/topology`, `kubeglass/rules`, `kubeglass/trace`), the messages between the
// webview and its host (both directions), and the validators the receivers run before using a
// message. JSON only: no Map, class or function crosses this boundary.
//
// Invariants: every message received from a webview goes through `parseWebviewMessage`; every
// message received by a webview goes through `parseHostMessage`. Validators never throw; they
// return the typed value or a list of problems quoting the failing path.
// Deliberately absent: anything that computes topology (that is `engine/ide/topology.ts`) and
// anything that renders it (that is `webview/`). This file imports nothing, so the client and the
// webview can use it; the converters from engine results live in topology-convert.ts.

export const TOPOLOGY_SCHEMA_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// Model

export interface Position {
  readonly line: number;
  /** UTF-16 code units, as in LSP. */
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export interface SourceLocation {
  readonly uri: string;
  readonly range: Range;
}

export type TopologyNodeRole = 'namespace' | 'ingress' | 'service' | 'workload' | 'pod' | 'config';

export type ProblemSeverity = 'error' | 'warning' | 'info' | 'hint';

export interface TopologyProblem {
  readonly severity: ProblemSeverity;
  readonly code: string;
  readonly message: string;
  readonly location: SourceLocation;
}

export interface TopologyServicePort {
  readonly name: string;
  readonly port: number;
  /** As written (defaulted to `port`): a number or a container port name. */
  readonly targetPort: number | string;
  readonly protocol: string;
  /** 0 = none. */
  readonly nodePort: number;
}

export interface TopologyService {
  /** `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`. */
  readonly type: string;
  readonly headless: boolean;
  readonly clusterIPs: readonly string[];
  readonly externalIPs: readonly string[];
  readonly loadBalancerIPs: readonly string[];
  readonly externalName: string;
  readonly ports: readonly TopologyServicePort[];
}

export interface TopologyPod {
  /** Node id of the owning workload group, '' for a bare Pod. */
  readonly workload: string;
  /** StatefulSet ordinal, -1 otherwise. */
  readonly ordinal: number;
  /** Cluster node the simulator placed the pod on, '' when unschedulable. */
  readonly node: string;
  readonly ips: readonly string[];
  readonly hostNetwork: boolean;
  /** Names that resolve to this pod (pod A record, StatefulSet per-pod names), FQDN with trailing dot. */
  readonly dnsNames: readonly string[];
  /** True when the pod exists only in the simulation (created from a workload template). */
  readonly simulated: boolean;
}

export interface TopologyIngressRule {
  /** '' = any host. */
  readonly host: string;
  readonly path: string;
  readonly pathType: string;
  /** `service:port`, or `Kind/name` for a resource backend. */
  readonly backend: string;
}

export interface TopologyConfig {
  /** Keys of `data`, `binaryData` and `stringData`; values are never sent (Secret values least of all). */
  readonly keys: readonly string[];
  /** Secret type or PVC storage request, for the node's second line. */
  readonly summary: string;
}

export interface TopologyNode {
  /** `ObjectRef` text: `Kind/namespace/name` (`Namespace/name` for namespace groups). */
  readonly id: string;
  readonly role: TopologyNodeRole;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** Id of the enclosing group (a namespace or a workload), '' at the top. */
  readonly parent: string;
  /** Lines under the title: type, ClusterIP, ports, node... */
  readonly details: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** Where reveal goes: the object's `metadata.name` (simulated pods: their template). */
  readonly source: SourceLocation | null;
  /** The whole object, to map an editor cursor to its node. */
  readonly extent: SourceLocation | null;
  readonly problems: readonly TopologyProblem[];
  readonly service?: TopologyService;
  readonly pod?: TopologyPod;
  readonly ingressRules?: readonly TopologyIngressRule[];
  readonly config?: TopologyConfig;
}

export type TopologyEdgeKind = 'route' | 'backend' | 'uses' | 'policy';

export interface TopologyEdge {
  readonly id: string;
  readonly kind: TopologyEdgeKind;
  readonly from: string;
  readonly to: string;
  /** One line per port mapping, e.g. `80 → http → 8080/TCP`. */
  readonly label: string;
  /** `ObjectRef` text of the object whose YAML defines the edge. */
  readonly owner: string;
  readonly source: SourceLocation | null;
  /** Policy edges only. */
  readonly verdict?: 'allowed' | 'denied';
  /** Policy edges: the deciding policies, `namespace/name`. */
  readonly policies?: readonly string[];
}

export interface TopologyDns {
  /** Zone-file lines, e.g. `web.shop.svc.cluster.local. A 10.96.12.7`. */
  readonly records: readonly string[];
  /** The pod's resolv.conf lines (pods only). */
  readonly resolvConf?: readonly string[];
}

export type ProxyMode = 'iptables' | 'nftables' | 'ipvs';

export interface TopologyCluster {
  readonly clusterDomain: string;
  readonly nodes: ReadonlyArray<{ readonly name: string; readonly ips: readonly string[] }>;
  readonly defaultNode: string;
  readonly defaultMode: ProxyMode;
}

export interface TopologyModel {
  readonly schemaVersion: typeof TOPOLOGY_SCHEMA_VERSION;
  /** Workspace revision the model was built from; a view keeps zoom and selection across revisions. */
  readonly revision: number;
  readonly nodes: readonly TopologyNode[];
  readonly edges: readonly TopologyEdge[];
  /** DNS data per node id (services and pods). */
  readonly dns: Readonly<Record<string, TopologyDns>>;
  readonly cluster: TopologyCluster;
  /** Visible notes: limits hit, profile problems. */
  readonly notes: readonly string[];
  /**
   * Precomputed rules for pages without a server (`kubeglass graph --format html`):
   * `mode -> service id -> text`. Absent in the editor, which asks `kubeglass/rules`.
   */
  readonly offlineRules?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

// ---------------------------------------------------------------------------------------------
// Custom LSP methods (client -> server requests, sent by the topology panel host)

/** `kubeglass/topology`: sent when the panel opens and (debounced) after edits. */
export const TOPOLOGY_METHOD = 'kubeglass/topology';
export interface TopologyParams {
  /** Include ConfigMaps, Secrets and PVCs as detail nodes. */
  readonly includeConfig?: boolean;
}
export type TopologyResult = TopologyModel;

/** `kubeglass/rules`: sent when the rules pane shows a Service (or its mode/node changes). */
export const RULES_METHOD = 'kubeglass/rules';
export interface RulesParams {
  readonly mode: ProxyMode;
  /** Cluster node whose kube-proxy rules are shown; '' = the profile's node. */
  readonly node: string;
  /** Service node id; '' = every Service. */
  readonly service: string;
}
export interface RulesResult {
  readonly mode: ProxyMode;
  readonly node: string;
  /** `iptables-restore`, `nft` or `ipvsadm` text; sections separated by `# ---` headers. */
  readonly text: string;
  readonly notes: readonly string[];
}

/** `kubeglass/trace`: sent when the user runs a packet trace in the rules pane. */
export const TRACE_METHOD = 'kubeglass/trace';
export type TraceSource =
  | { readonly kind: 'pod'; readonly pod: string }
  | { readonly kind: 'node'; readonly node: string }
  | { readonly kind: 'outside'; readonly ip: string; readonly node: string };
export interface TraceParams {
  readonly mode: ProxyMode;
  readonly source: TraceSource;
  readonly destination: { readonly ip: string; readonly port: number; readonly protocol: string };
}
export interface TraceHop {
  readonly chain: string;
  readonly rule: string;
  readonly verdict: string;
  /** Share of new connections taking this hop's endpoint jump (0..1), -1 when not a split. */
  readonly probability: number;
}
export interface TraceResult {
  readonly mode: ProxyMode;
  /** Node whose rules the packet walked. */
  readonly node: string;
  readonly sourceIP: string;
  readonly hops: readonly TraceHop[];
  /** `dnat`, `drop`, `reject`, `accept` or `none` (no kube-proxy rule decided). */
  readonly outcome: 'dnat' | 'drop' | 'reject' | 'accept' | 'none';
  readonly masquerade: boolean;
  readonly endpoints: ReadonlyArray<{ readonly address: string; readonly probability: number; readonly pod: string }>;
  readonly notes: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Webview <-> host messages

/** Webview -> host. */
export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'reveal'; readonly ref: string; readonly location: SourceLocation }
  | { readonly type: 'rules'; readonly requestId: number; readonly params: RulesParams }
  | { readonly type: 'trace'; readonly requestId: number; readonly params: TraceParams }
  | { readonly type: 'export'; readonly format: 'svg' | 'png'; readonly data: string };

/** Host -> webview. */
export type HostMessage =
  | { readonly type: 'model'; readonly model: TopologyModel }
  | { readonly type: 'highlight'; readonly ref: string }
  | { readonly type: 'rulesResult'; readonly requestId: number; readonly result: RulesResult | null; readonly error: string }
  | { readonly type: 'traceResult'; readonly requestId: number; readonly result: TraceResult | null; readonly error: string };

// ---------------------------------------------------------------------------------------------
// A small schema validator

type Schema =
  | { readonly t: 'string'; readonly max: number; readonly pattern?: RegExp }
  | { readonly t: 'int'; readonly min: number; readonly max: number }
  | { readonly t: 'number' }
  | { readonly t: 'bool' }
  | { readonly t: 'enum'; readonly values: readonly string[] }
  | { readonly t: 'object'; readonly fields: Readonly<Record<string, Schema>>; readonly optional?: readonly string[] }
  | { readonly t: 'array'; readonly of: Schema; readonly max: number }
  | { readonly t: 'record'; readonly of: Schema; readonly max: number }
  | { readonly t: 'union'; readonly tag: string; readonly cases: Readonly<Record<string, Schema>> }
  | { readonly t: 'nullable'; readonly of: Schema }
  | { readonly t: 'or'; readonly options: readonly Schema[] };

const str = (max = 4096, pattern?: RegExp): Schema => ({ t: 'string', max, pattern });
const int = (min = 0, max = Number.MAX_SAFE_INTEGER): Schema => ({ t: 'int', min, max });
const obj = (fields: Record<string, Schema>, optional: string[] = []): Schema => ({ t: 'object', fields, optional });
const arr = (of: Schema, max = 100_000): Schema => ({ t: 'array', of, max });
const en = (...values: string[]): Schema => ({ t: 'enum', values });

/** Checks `value` against `schema`; problems quote the path. Extra object keys are rejected. */
function check(schema: Schema, value: unknown, path: string, problems: string[]): void {
  if (problems.length > 20) return;
  switch (schema.t) {
    case 'string':
      if (typeof value !== 'string') problems.push(`${path}: expected a string`);
      else if (value.length > schema.max) problems.push(`${path}: longer than ${schema.max} characters`);
      else if (schema.pattern && !schema.pattern.test(value)) problems.push(`${path}: invalid value`);
      return;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < schema.min || value > schema.max) {
        problems.push(`${path}: expected an integer in ${schema.min}..${schema.max}`);
      }
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(`${path}: expected a number`);
      return;
    case 'bool':
      if (typeof value !== 'boolean') problems.push(`${path}: expected a boolean`);
      return;
    case 'enum':
      if (typeof value !== 'string' || !schema.values.includes(value)) problems.push(`${path}: expected one of ${schema.values.join(', ')}`);
      return;
    case 'nullable':
      if (value !== null) check(schema.of, value, path, problems);
      return;
    case 'or': {
      for (const option of schema.options) {
        const sub: string[] = [];
        check(option, value, path, sub);
        if (sub.length === 0) return;
      }
      problems.push(`${path}: matches none of the allowed shapes`);
      return;
    }
    case 'array':
      if (!Array.isArray(value)) problems.push(`${path}: expected an array`);
      else if (value.length > schema.max) problems.push(`${path}: more than ${schema.max} items`);
      else value.forEach((v, i) => check(schema.of, v, `${path}[${i}]`, problems));
      return;
    case 'record': {
      if (!isPlainObject(value)) {
        problems.push(`${path}: expected an object`);
        return;
      }
      const keys = Object.keys(value);
      if (keys.length > schema.max) problems.push(`${path}: more than ${schema.max} keys`);
      else for (const k of keys) check(schema.of, value[k], `${path}.${k}`, problems);
      return;
    }
    case 'object': {
      if (!isPlainObject(value)) {
        problems.push(`${path}: expected an object`);
        return;
      }
      for (const k of Object.keys(value)) if (!(k in schema.fields)) problems.push(`${path}.${k}: unexpected field`);
      for (const [k, s] of Object.entries(schema.fields)) {
        if (!(k in value) || value[k] === undefined) {
          if (!schema.optional?.includes(k)) problems.push(`${path}.${k}: required`);
          continue;
        }
        check(s, value[k], `${path}.${k}`, problems);
      }
      return;
    }
    case 'union': {
      if (!isPlainObject(value) || typeof value[schema.tag] !== 'string') {
        problems.push(`${path}.${schema.tag}: required`);
        return;
      }
      const tag = value[schema.tag] as string;
      const c = Object.prototype.hasOwnProperty.call(schema.cases, tag) ? schema.cases[tag] : undefined;
      if (!c) {
        problems.push(`${path}.${schema.tag}: unknown value`);
        return;
      }
      check(c, value, path, problems);
      return;
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

const position = obj({ line: int(0), character: int(0) });
const location = obj({ uri: str(8192), range: obj({ start: position, end: position }) });
/** ObjectRef text: printable, no control characters. */
const refString = str(800, /^[^\u0000-\u001f\u007f]+$/);
const proxyMode = en('iptables', 'nftables', 'ipvs');
const ipText = str(64, /^[0-9a-fA-F.:]+$/);
const rulesParams = obj({ mode: proxyMode, node: str(253), service: str(800) });
const traceParams = obj({
  mode: proxyMode,
  source: {
    t: 'union',
    tag: 'kind',
    cases: {
      pod: obj({ kind: en('pod'), pod: refString }),
      node: obj({ kind: en('node'), node: str(253) }),
      outside: obj({ kind: en('outside'), ip: ipText, node: str(253) }),
    },
  },
  destination: obj({ ip: ipText, port: int(1, 65535), protocol: en('TCP', 'UDP', 'SCTP') }),
});

/** Exports are bounded: an SVG of a 2,000-pod view is a few MB; a PNG data URL a little more. */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;

const WEBVIEW_MESSAGE: Schema = {
  t: 'union',
  tag: 'type',
  cases: {
    ready: obj({ type: en('ready') }),
    reveal: obj({ type: en('reveal'), ref: refString, location }),
    rules: obj({ type: en('rules'), requestId: int(0), params: rulesParams }),
    trace: obj({ type: en('trace'), requestId: int(0), params: traceParams }),
    export: obj({ type: en('export'), format: en('svg', 'png'), data: str(MAX_EXPORT_CHARS) }),
  },
};

const problem = obj({ severity: en('error', 'warning', 'info', 'hint'), code: str(200), message: str(8192), location });
const stringList = arr(str(8192));
const node = obj(
  {
    id: refString,
    role: en('namespace', 'ingress', 'service', 'workload', 'pod', 'config'),
    kind: str(200),
    namespace: str(253),
    name: str(800),
    parent: str(800),
    details: stringList,
    labels: { t: 'record', of: str(65536), max: 1000 },
    source: { t: 'nullable', of: location },
    extent: { t: 'nullable', of: location },
    problems: arr(problem, 1000),
    service: obj({
      type: str(64),
      headless: { t: 'bool' },
      clusterIPs: stringList,
      externalIPs: stringList,
      loadBalancerIPs: stringList,
      externalName: str(1024),
      ports: arr(obj({ name: str(253), port: int(0, 65535), targetPort: { t: 'or', options: [int(0, 65535), str(253)] }, protocol: str(16), nodePort: int(0, 65535) })),
    }),
    pod: obj({
      workload: str(800),
      ordinal: int(-1),
      node: str(253),
      ips: stringList,
      hostNetwork: { t: 'bool' },
      dnsNames: stringList,
      simulated: { t: 'bool' },
    }),
    ingressRules: arr(obj({ host: str(1024), path: str(4096), pathType: str(64), backend: str(1024) })),
    config: obj({ keys: stringList, summary: str(1024) }),
  },
  ['service', 'pod', 'ingressRules', 'config'],
);
const edge = obj(
  {
    id: str(4096),
    kind: en('route', 'backend', 'uses', 'policy'),
    from: refString,
    to: refString,
    label: str(8192),
    owner: refString,
    source: { t: 'nullable', of: location },
    verdict: en('allowed', 'denied'),
    policies: stringList,
  },
  ['verdict', 'policies'],
);
const MODEL: Schema = obj(
  {
    schemaVersion: { t: 'int', min: TOPOLOGY_SCHEMA_VERSION, max: TOPOLOGY_SCHEMA_VERSION },
    revision: int(0),
    nodes: arr(node, 200_000),
    edges: arr(edge, 400_000),
    dns: { t: 'record', of: obj({ records: stringList, resolvConf: stringList }, ['resolvConf']), max: 200_000 },
    cluster: obj({
      clusterDomain: str(253),
      nodes: arr(obj({ name: str(253), ips: stringList }), 10_000),
      defaultNode: str(253),
      defaultMode: proxyMode,
    }),
    notes: stringList,
    offlineRules: { t: 'record', of: { t: 'record', of: str(16 * 1024 * 1024), max: 100_000 }, max: 3 },
  },
  ['offlineRules'],
);

const traceHop = obj({ chain: str(1024), rule: str(65536), verdict: str(4096), probability: { t: 'number' } });
const TRACE_RESULT: Schema = obj({
  mode: proxyMode,
  node: str(253),
  sourceIP: str(64),
  hops: arr(traceHop, 10_000),
  outcome: en('dnat', 'drop', 'reject', 'accept', 'none'),
  masquerade: { t: 'bool' },
  endpoints: arr(obj({ address: str(128), probability: { t: 'number' }, pod: str(800) }), 100_000),
  notes: stringList,
});
const RULES_RESULT: Schema = obj({ mode: proxyMode, node: str(253), text: str(64 * 1024 * 1024), notes: stringList });

const HOST_MESSAGE: Schema = {
  t: 'union',
  tag: 'type',
  cases: {
    model: obj({ type: en('model'), model: MODEL }),
    highlight: obj({ type: en('highlight'), ref: str(800) }),
    rulesResult: obj({ type: en('rulesResult'), requestId: int(0), result: { t: 'nullable', of: RULES_RESULT }, error: str(8192) }),
    traceResult: obj({ type: en('traceResult'), requestId: int(0), result: { t: 'nullable', of: TRACE_RESULT }, error: str(8192) }),
  },
};

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly string[] };

function parseWith<T>(schema: Schema, value: unknown, root: string): Parsed<T> {
  const problems: string[] = [];
  try {
    check(schema, value, root, problems);
  } catch {
    problems.push(`${root}: could not be checked`); // e.g. a hostile getter or a cycle
  }
  return problems.length === 0 ? { ok: true, value: value as T } : { ok: false, problems };
}

/** Validates a message a webview posted, before the host acts on it. */
export function parseWebviewMessage(value: unknown): Parsed<WebviewMessage> {
  return parseWith<WebviewMessage>(WEBVIEW_MESSAGE, value, 'message');
}

/** Validates a message the host posted, before the webview renders it. */
export function parseHostMessage(value: unknown): Parsed<HostMessage> {
  return parseWith<HostMessage>(HOST_MESSAGE, value, 'message');
}

/** Validates a model (e.g. one embedded in an exported page or restored from state). */
export function parseTopologyModel(value: unknown): Parsed<TopologyModel> {
  return parseWith<TopologyModel>(MODEL, value, 'model');
}
