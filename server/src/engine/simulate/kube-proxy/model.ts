// The mode-independent kube-proxy model: what the service and endpoint change trackers of one
// proxier (one node, one IP family) know, computed from plain Service and EndpointSlice
// objects plus `KubeProxyOptions`. Every rule generator (iptables, nftables, IPVS) starts here.
//
// Owns: the service-port facts of spec kube-proxy.md section 2 (with kube-proxy's lenient
// parsing of addresses and source ranges); the endpoint merge of section 3 (slices grouped by
// `kubernetes.io/service-name`, first address only, dedup preferring non-terminating, sorted
// by endpoint text); the effective local-traffic detector and NodePort addresses. Options
// live in options.ts, endpoint selection in endpoint-categories.ts; both are re-exported here
// so `./model` stays the one import for generators.
//
// Invariants: pure and total. Objects are read defensively (they come straight from YAML), so
// malformed fields are skipped, never thrown on. Output is sorted by key, independent of
// input order. Deliberately absent: history (stale chains, partial syncs), rule text, names.
import type { V1EndpointSlice, V1Service } from '../../model/k8s-types';
import {
  type IPFamily,
  type ParsedCIDR,
  type ParsedIP,
  canonicalIP,
  cidrContains,
  joinHostPort,
  parseCIDRSloppy,
  parseIPSloppy,
} from './ip-address';
import type { KubeProxyOptions, LocalDetectorConfig } from './options';
import { isRecord } from '../../model/object';
import { compareText } from '../../text/compare';
export { compareText };

export type { IPFamily } from './ip-address';
export * from './options';
export * from './endpoint-categories';

// ---------------------------------------------------------------------------------------------
// Local-traffic detector

/**
 * The effective local-traffic detector (spec section 1). A CIDR detector whose CIDR does not
 * parse, is of the other family, or is empty is the no-op detector, as in kube-proxy; an
 * empty interface name or prefix is too.
 */
export type LocalDetector =
  | { readonly kind: 'cidr'; readonly cidr: ParsedCIDR; /** As configured (trimmed): rules carry it verbatim. */ readonly text: string }
  | { readonly kind: 'interface'; readonly name: string }
  | { readonly kind: 'interfacePrefix'; readonly prefix: string }
  | { readonly kind: 'none' };

export function resolveLocalDetector(config: LocalDetectorConfig, family: IPFamily): LocalDetector {
  switch (config.mode) {
    case 'ClusterCIDR':
    case 'NodeCIDR': {
      const text = config.mode === 'ClusterCIDR' ? config.clusterCIDR : config.nodeCIDR;
      const cidr = parseCIDRSloppy(text.trim());
      return cidr !== undefined && cidr.family === family ? { kind: 'cidr', cidr, text: text.trim() } : { kind: 'none' };
    }
    case 'BridgeInterface':
      return config.bridgeInterface === '' ? { kind: 'none' } : { kind: 'interface', name: config.bridgeInterface };
    case 'InterfaceNamePrefix':
      return config.interfaceNamePrefix === '' ? { kind: 'none' } : { kind: 'interfacePrefix', prefix: config.interfaceNamePrefix };
    case 'None':
      return { kind: 'none' };
  }
}

// ---------------------------------------------------------------------------------------------
// Model

export type ServiceProtocol = 'TCP' | 'UDP' | 'SCTP';

export type SessionAffinity =
  | { readonly kind: 'None' }
  | { readonly kind: 'ClientIP'; readonly timeoutSeconds: number };

/** One endpoint of a service port, as the endpoint change tracker keeps it. */
export interface KubeProxyEndpoint {
  /** Canonical IP text. */
  readonly ip: string;
  readonly port: number;
  /** `IP:PORT`, `[IPv6]:PORT`: the endpoint's identity, sort key and hash input. */
  readonly endpoint: string;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  /** `nodeName` equals the proxier's node name. */
  readonly isLocal: boolean;
  readonly nodeName: string;
  readonly zone: string;
  /** `hints.forZones[].name`, sorted, deduplicated. */
  readonly zoneHints: readonly string[];
  /** `hints.forNodes[].name`, sorted, deduplicated. */
  readonly nodeHints: readonly string[];
}

/** One Service port as every proxier mode sees it (spec section 2). */
export interface KubeProxyServicePort {
  readonly namespace: string;
  readonly name: string;
  /** `spec.ports[].name`, possibly empty. */
  readonly portName: string;
  /** `NAMESPACE/NAME:PORTNAME`, or `NAMESPACE/NAME` for an unnamed port. */
  readonly servicePortName: string;
  readonly protocol: ServiceProtocol;
  /** Canonical ClusterIP of the proxier's family. */
  readonly clusterIP: string;
  readonly port: number;
  /** 0 = none. */
  readonly nodePort: number;
  /** Of this family, canonical, in spec order. */
  readonly externalIPs: readonly string[];
  /** `status.loadBalancer.ingress[].ip` of this family (VIP mode only), canonical, in order. */
  readonly loadBalancerVIPs: readonly string[];
  /** Trimmed, of this family, canonical network text, in spec order. */
  readonly loadBalancerSourceRanges: readonly string[];
  /** 0 = none; set only for `type: LoadBalancer` with `externalTrafficPolicy: Local`. */
  readonly healthCheckNodePort: number;
  readonly externalPolicyLocal: boolean;
  readonly internalPolicyLocal: boolean;
  readonly sessionAffinity: SessionAffinity;
  /** Merged from all slices of the service, sorted by `endpoint` text. */
  readonly endpoints: readonly KubeProxyEndpoint[];
}

export interface KubeProxyModel {
  readonly options: KubeProxyOptions;
  /** Sorted by servicePortName, then protocol. */
  readonly servicePorts: readonly KubeProxyServicePort[];
  readonly localDetector: LocalDetector;
  /**
   * Effective localhost NodePorts: forced off when the NodePort addresses contain no IPv4
   * loopback address, which is always the case for an IPv6 proxier.
   */
  readonly localhostNodePorts: boolean;
  readonly nodePortAddresses: NodePortAddresses;
  /** Sum of the endpoint counts of all service ports (large-cluster threshold input). */
  readonly totalEndpoints: number;
}

/**
 * NodePort addresses of this family: `matchAll` when unset (or no CIDR of the family, or a
 * zero CIDR), else the CIDRs and the node IPs (from `hostInterfaces`) inside them.
 */
export interface NodePortAddresses {
  readonly matchAll: boolean;
  readonly cidrs: readonly ParsedCIDR[];
  readonly containsIPv4Loopback: boolean;
  /** Node IPs inside the CIDRs, deduplicated, sorted by canonical text; empty when matchAll. */
  readonly nodeIPs: readonly ParsedIP[];
}

/** Builds the proxier model for one node and family. Total over arbitrary input. */
export function buildKubeProxyModel(
  services: readonly V1Service[],
  endpointSlices: readonly V1EndpointSlice[],
  options: KubeProxyOptions,
): KubeProxyModel {
  const family = options.ipFamily;
  const endpointsByPort = collectEndpoints(endpointSlices, options);
  const byKey = new Map<string, KubeProxyServicePort>();
  for (const svc of services) addServicePorts(byKey, svc, family, options, endpointsByPort);
  const servicePorts = [...byKey.entries()].sort((a, b) => compareText(a[0], b[0])).map((e) => e[1]);
  const nodePortAddresses = resolveNodePortAddresses(options);
  return {
    options,
    servicePorts,
    localDetector: resolveLocalDetector(options.localDetector, family),
    localhostNodePorts: options.localhostNodePorts && nodePortAddresses.containsIPv4Loopback,
    nodePortAddresses,
    totalEndpoints: servicePorts.reduce((n, sp) => n + sp.endpoints.length, 0),
  };
}

// ---------------------------------------------------------------------------------------------
// Services -> service ports

/**
 * Adds the service ports kube-proxy tracks for one Service to `byKey` (service-port key ->
 * port, with its endpoints from `endpointsByPort`). None when the Service is headless
 * (`clusterIP` empty or `None`), `type: ExternalName`, or has no ClusterIP of this family.
 * A later port with the same key (the same Service, port name and protocol) replaces an
 * earlier one, whether in the same Service object or a repeated one.
 */
function addServicePorts(
  byKey: Map<string, KubeProxyServicePort>,
  svc: unknown,
  family: IPFamily,
  options: KubeProxyOptions,
  endpointsByPort: ReadonlyMap<string, readonly KubeProxyEndpoint[]>,
): void {
  if (!isRecord(svc)) return;
  const meta = record(svc.metadata);
  const spec = record(svc.spec);
  const status = record(svc.status);
  const namespace = str(meta.namespace) || 'default';
  const name = str(meta.name);
  if (name === '') return;
  const type = str(spec.type) || 'ClusterIP';
  const specClusterIP = str(spec.clusterIP);
  if (specClusterIP === '' || specClusterIP === 'None' || type === 'ExternalName') return;
  const clusterIP = clusterIPOfFamily(spec, family);
  if (clusterIP === undefined) return;

  const externalIPs = ipsOfFamily(array(spec.externalIPs), family);
  const loadBalancerSourceRanges = array(spec.loadBalancerSourceRanges)
    .map((r) => (typeof r === 'string' ? parseCIDRSloppy(r.trim()) : undefined))
    .filter((c): c is ParsedCIDR => c !== undefined && c.family === family)
    .map((c) => c.text);
  const ipModeGate = options.featureGates.LoadBalancerIPMode !== false;
  const loadBalancerVIPs = array(record(status.loadBalancer).ingress)
    .map(record)
    .filter((ing) => str(ing.ip) !== '' && (!ipModeGate || ing.ipMode === undefined || ing.ipMode === null || ing.ipMode === 'VIP'))
    .map((ing) => parseIPSloppy(str(ing.ip)))
    .filter((ip): ip is ParsedIP => ip !== undefined && ip.family === family)
    .map((ip) => ip.text);

  const externallyAccessibleByType =
    type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && array(spec.externalIPs).length > 0);
  const externalPolicyLocal = externallyAccessibleByType && spec.externalTrafficPolicy === 'Local';
  const internalPolicyLocal = spec.internalTrafficPolicy === 'Local';
  const healthCheckNodePort = type === 'LoadBalancer' && externalPolicyLocal ? int(spec.healthCheckNodePort) : 0;
  const sessionAffinity: SessionAffinity =
    spec.sessionAffinity === 'ClientIP'
      ? { kind: 'ClientIP', timeoutSeconds: timeoutOf(spec.sessionAffinityConfig) }
      : { kind: 'None' };

  for (const p of array(spec.ports)) {
    const port = record(p);
    const protocol = protocolOf(port.protocol);
    const portNumber = int(port.port);
    if (protocol === undefined || portNumber === 0) continue;
    const portName = str(port.name);
    const key = servicePortKey(namespace, name, portName, protocol);
    // Built in one literal (no spread): one object shape for every service port.
    byKey.set(key, {
      namespace,
      name,
      portName,
      servicePortName: servicePortNameText(namespace, name, portName),
      protocol,
      clusterIP,
      port: portNumber,
      nodePort: int(port.nodePort),
      externalIPs,
      loadBalancerVIPs,
      loadBalancerSourceRanges,
      healthCheckNodePort,
      externalPolicyLocal,
      internalPolicyLocal,
      sessionAffinity,
      endpoints: endpointsByPort.get(key) ?? noEndpoints,
    });
  }
}

/** `NAMESPACE/NAME:PORTNAME`, or `NAMESPACE/NAME` for an unnamed port. */
export function servicePortNameText(namespace: string, name: string, portName: string): string {
  return portName === '' ? `${namespace}/${name}` : `${namespace}/${name}:${portName}`;
}

/**
 * The ClusterIP of `family`: from `clusterIPs` by the index of the family in `ipFamilies`
 * when `ipFamilies` is set, else `clusterIP` if it is of that family.
 */
function clusterIPOfFamily(spec: Record<string, unknown>, family: IPFamily): string | undefined {
  const families = array(spec.ipFamilies);
  let text: string | undefined;
  if (families.length === 0) {
    text = str(spec.clusterIP);
  } else {
    const idx = families.indexOf(family);
    const ips = array(spec.clusterIPs);
    text = idx >= 0 && idx < ips.length ? str(ips[idx]) : undefined;
  }
  if (text === undefined || text === '' || text === 'None') return undefined;
  const ip = parseIPSloppy(text);
  return ip !== undefined && ip.family === family ? ip.text : undefined;
}

function ipsOfFamily(values: readonly unknown[], family: IPFamily): string[] {
  return values
    .map((v) => (typeof v === 'string' ? parseIPSloppy(v) : undefined))
    .filter((ip): ip is ParsedIP => ip !== undefined && ip.family === family)
    .map((ip) => ip.text);
}

function timeoutOf(config: unknown): number {
  const t = record(record(config).clientIP).timeoutSeconds;
  return typeof t === 'number' && Number.isInteger(t) && t > 0 ? t : 10800;
}

function protocolOf(v: unknown): ServiceProtocol | undefined {
  if (v === undefined || v === null) return 'TCP';
  return v === 'TCP' || v === 'UDP' || v === 'SCTP' ? v : undefined;
}

// ---------------------------------------------------------------------------------------------
// EndpointSlices -> endpoints per service port

function servicePortKey(namespace: string, name: string, portName: string, protocol: string): string {
  return `${namespace}/${name}\u0000${portName}\u0000${protocol}`;
}

/**
 * Endpoints per service-port key. Slices are read in (namespace, name) order; a slice counts
 * only with the `kubernetes.io/service-name` label and an `addressType` of this family. A
 * slice port needs a `name` (possibly empty) and a non-zero port. Endpoints of the other
 * family or with an unparseable first address are skipped. A duplicate endpoint replaces the
 * earlier one unless it is terminating.
 */
function collectEndpoints(slices: readonly unknown[], options: KubeProxyOptions): Map<string, readonly KubeProxyEndpoint[]> {
  const family = options.ipFamily;
  // Every endpoint of each key in slice order; duplicates are resolved after sorting.
  const lists = new Map<string, KubeProxyEndpoint[]>();
  const ordered = slices
    .filter(isRecord)
    .map((s) => {
      const meta = record(s.metadata);
      return { s, meta, namespace: str(meta.namespace), name: str(meta.name) };
    })
    .sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name));
  for (const { s, meta } of ordered) {
    const serviceName = str(record(meta.labels)['kubernetes.io/service-name']);
    const namespace = str(meta.namespace) || 'default';
    if (serviceName === '' || s.addressType !== family) continue;
    const endpoints = array(s.endpoints).map(record);
    const ports = array(s.ports)
      .map(record)
      .filter((p) => typeof p.name === 'string' && int(p.port) !== 0);
    for (const p of ports) {
      const protocol = protocolOf(p.protocol);
      if (protocol === undefined) continue;
      const key = servicePortKey(namespace, serviceName, str(p.name), protocol);
      let list = lists.get(key);
      if (list === undefined) lists.set(key, (list = []));
      for (const e of endpoints) {
        const ep = endpointOf(e, int(p.port), family, options.nodeName);
        if (ep !== undefined) list.push(ep);
      }
    }
  }
  const out = new Map<string, readonly KubeProxyEndpoint[]>();
  for (const [key, list] of lists) out.set(key, sortedUniqueEndpoints(list));
  return out;
}

/**
 * `list` sorted by endpoint text with one endpoint per text: of the occurrences of a text (in
 * slice order), a later one replaces the kept one unless it is terminating. The sort is stable,
 * so equal texts stay in slice order; sorts in place.
 */
function sortedUniqueEndpoints(list: KubeProxyEndpoint[]): KubeProxyEndpoint[] {
  list.sort((a, b) => compareText(a.endpoint, b.endpoint));
  let n = 0;
  for (let i = 0; i < list.length; i++) {
    const ep = list[i]!;
    if (n > 0 && list[n - 1]!.endpoint === ep.endpoint) {
      if (!ep.terminating) list[n - 1] = ep;
    } else {
      list[n++] = ep;
    }
  }
  list.length = n;
  return list;
}

function endpointOf(e: Record<string, unknown>, port: number, family: IPFamily, nodeName: string): KubeProxyEndpoint | undefined {
  const first = array(e.addresses)[0];
  if (typeof first !== 'string') return undefined;
  const ip = canonicalIP(first);
  if (ip === undefined || (ip.includes(':') ? 'IPv6' : 'IPv4') !== family) return undefined;
  const cond = record(e.conditions);
  const epNodeName = str(e.nodeName);
  const hints = record(e.hints);
  return {
    ip,
    port,
    endpoint: joinHostPort(ip, port),
    ready: cond.ready === undefined || cond.ready === null || cond.ready === true,
    serving: cond.serving === undefined || cond.serving === null || cond.serving === true,
    terminating: cond.terminating === true,
    isLocal: nodeName !== '' && epNodeName === nodeName,
    nodeName: epNodeName,
    zone: str(e.zone),
    zoneHints: hintNames(hints.forZones),
    nodeHints: hintNames(hints.forNodes),
  };
}

const noHints: readonly string[] = [];
const noEndpoints: readonly KubeProxyEndpoint[] = [];

function hintNames(v: unknown): readonly string[] {
  if (!Array.isArray(v) || v.length === 0) return noHints;
  const names = array(v)
    .map((h) => str(record(h).name))
    .filter((n) => n !== '');
  return [...new Set(names)].sort(compareText);
}

// ---------------------------------------------------------------------------------------------
// NodePort addresses

function resolveNodePortAddresses(options: KubeProxyOptions): NodePortAddresses {
  const family = options.ipFamily;
  const cidrs: ParsedCIDR[] = [];
  for (const text of options.nodePortAddresses ?? []) {
    const cidr = parseCIDRSloppy(text.trim());
    if (cidr !== undefined && cidr.family === family) cidrs.push(cidr);
  }
  const matchAll = cidrs.length === 0 || cidrs.some((c) => c.prefix === 0);
  const loopbackStart = parseIPSloppy('127.0.0.0')!;
  const scope = matchAll ? [parseCIDRSloppy(family === 'IPv4' ? '0.0.0.0/0' : '::/0')!] : cidrs;
  const containsIPv4Loopback = scope.some(
    (c) => c.family === 'IPv4' && (c.bytes[0] === 127 || cidrContains(c, loopbackStart)),
  );
  if (matchAll) return { matchAll, cidrs: scope, containsIPv4Loopback, nodeIPs: [] };
  const found = new Map<string, ParsedIP>();
  for (const iface of Object.keys(options.hostInterfaces).sort(compareText)) {
    for (const addr of options.hostInterfaces[iface] ?? []) {
      const ipText = addr.includes('/') ? addr.slice(0, addr.indexOf('/')) : addr;
      const ip = parseIPSloppy(ipText);
      if (ip !== undefined && cidrs.some((c) => cidrContains(c, ip))) found.set(ip.text, ip);
    }
  }
  const nodeIPs = [...found.values()].sort((a, b) => compareText(a.text, b.text));
  return { matchAll, cidrs, containsIPv4Loopback, nodeIPs };
}

// ---------------------------------------------------------------------------------------------
// Defensive readers for YAML-shaped input

// Missing fields read as one shared empty record or array (read only), not a new one per read.
const emptyRecord: Readonly<Record<string, unknown>> = Object.freeze({});
const emptyArray: readonly unknown[] = Object.freeze([]);

function record(v: unknown): Readonly<Record<string, unknown>> {
  return isRecord(v) ? v : emptyRecord;
}
function array(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : emptyArray;
}
function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
function int(v: unknown): number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 65535 ? v : 0;
}

