// kube-proxy node and proxier settings (`KubeProxyOptions`), named exactly like the fields of
// the test vectors' `config.json` (shared/testdata/kube-proxy/README.md), with their defaults
// and a parser that turns a config-shaped object into options plus problems.
// Invariant: parsing never throws; an unusable field falls back to its default and is listed.
import type { IPFamily } from './ip-address';
import { isRecord } from '../../model/object';

/** How kube-proxy recognises traffic coming from a pod on this node (spec section 1). */
export type LocalDetectorConfig =
  | { readonly mode: 'ClusterCIDR'; readonly clusterCIDR: string }
  | { readonly mode: 'NodeCIDR'; readonly nodeCIDR: string }
  | { readonly mode: 'BridgeInterface'; readonly bridgeInterface: string }
  | { readonly mode: 'InterfaceNamePrefix'; readonly interfaceNamePrefix: string }
  | { readonly mode: 'None' };

export type KubeProxyBackend = 'iptables' | 'nftables' | 'ipvs';

/**
 * Node and proxier settings. Field names are those of the test vectors' `config.json`
 * (shared/testdata/kube-proxy/README.md, "config.json fields").
 */
export interface KubeProxyOptions {
  readonly backend: KubeProxyBackend;
  readonly ipFamily: IPFamily;
  readonly nodeName: string;
  /** Primary node IP; only the LoadBalancerSourceRanges "allow from node" test uses it. */
  readonly nodeIP: string;
  /** Interface name -> addresses in `IP/PREFIX` form (expands `nodePortAddresses`). */
  readonly hostInterfaces: Readonly<Record<string, readonly string[]>>;
  readonly localDetector: LocalDetectorConfig;
  readonly masqueradeAll: boolean;
  /** Mark value text, `0x4000` for the default masquerade bit 14. */
  readonly masqueradeMark: string;
  /** As configured; see `KubeProxyModel.localhostNodePorts` for the effective value. */
  readonly localhostNodePorts: boolean;
  /** `null` = NodePorts on all local addresses; else CIDRs. */
  readonly nodePortAddresses: readonly string[] | null;
  readonly iptablesHasRandomFully: boolean;
  readonly conntrackTCPLiberal: boolean;
  /** nfacct counter name -> present. */
  readonly nfacctCounters: Readonly<Record<string, boolean>>;
  /** nftables only: comma-separated service CIDRs. */
  readonly serviceCIDRs: string;
  readonly nodeLabels: Readonly<Record<string, string>>;
  readonly featureGates: Readonly<Record<string, boolean>>;
}

/** Defaults of a stock kube-proxy on a node with no special configuration. */
export const defaultKubeProxyOptions: KubeProxyOptions = {
  backend: 'iptables',
  ipFamily: 'IPv4',
  nodeName: '',
  nodeIP: '',
  hostInterfaces: {},
  localDetector: { mode: 'None' },
  masqueradeAll: false,
  masqueradeMark: '0x4000',
  localhostNodePorts: true,
  nodePortAddresses: null,
  iptablesHasRandomFully: true,
  conntrackTCPLiberal: false,
  nfacctCounters: {},
  serviceCIDRs: '',
  nodeLabels: {},
  featureGates: {},
};

export interface ParsedKubeProxyOptions {
  readonly options: KubeProxyOptions;
  /** Fields that were present but unusable (they fell back to the default). */
  readonly problems: readonly string[];
}

/**
 * Reads a `config.json`-shaped object into `KubeProxyOptions`. Missing fields take
 * `defaultKubeProxyOptions`; fields of the wrong type also do, and are listed in `problems`.
 */
export function parseKubeProxyOptions(raw: unknown): ParsedKubeProxyOptions {
  const problems: string[] = [];
  const obj = isRecord(raw) ? raw : {};
  if (!isRecord(raw)) problems.push('config: not an object');
  const d = defaultKubeProxyOptions;

  function pick<T>(key: keyof KubeProxyOptions, ok: (v: unknown) => v is T, fallback: T): T {
    const v = obj[key];
    if (v === undefined) return fallback;
    if (ok(v)) return v;
    problems.push(`config.${key}: unexpected value ${JSON.stringify(v)}`);
    return fallback;
  }

  const backend = pick('backend', (v): v is KubeProxyBackend => v === 'iptables' || v === 'nftables' || v === 'ipvs', d.backend);
  const ipFamily = pick('ipFamily', (v): v is IPFamily => v === 'IPv4' || v === 'IPv6', d.ipFamily);
  const nodePortAddresses =
    obj.nodePortAddresses === null
      ? null
      : pick('nodePortAddresses', isStringArray, d.nodePortAddresses);
  return {
    options: {
      backend,
      ipFamily,
      nodeName: pick('nodeName', isString, d.nodeName),
      nodeIP: pick('nodeIP', isString, d.nodeIP),
      hostInterfaces: pick('hostInterfaces', isStringArrayRecord, d.hostInterfaces),
      localDetector: parseLocalDetector(obj.localDetector, problems),
      masqueradeAll: pick('masqueradeAll', isBoolean, d.masqueradeAll),
      masqueradeMark: pick('masqueradeMark', isString, d.masqueradeMark),
      localhostNodePorts: pick('localhostNodePorts', isBoolean, d.localhostNodePorts),
      nodePortAddresses,
      iptablesHasRandomFully: pick('iptablesHasRandomFully', isBoolean, d.iptablesHasRandomFully),
      conntrackTCPLiberal: pick('conntrackTCPLiberal', isBoolean, d.conntrackTCPLiberal),
      nfacctCounters: pick('nfacctCounters', isBooleanRecord, d.nfacctCounters),
      serviceCIDRs: pick('serviceCIDRs', isString, d.serviceCIDRs),
      nodeLabels: pick('nodeLabels', isStringRecord, d.nodeLabels),
      featureGates: pick('featureGates', isBooleanRecord, d.featureGates),
    },
    problems,
  };
}

function parseLocalDetector(v: unknown, problems: string[]): LocalDetectorConfig {
  if (v === undefined) return defaultKubeProxyOptions.localDetector;
  if (isRecord(v)) {
    if (v.mode === 'None') return { mode: 'None' };
    if (v.mode === 'ClusterCIDR' && typeof v.clusterCIDR === 'string') return { mode: 'ClusterCIDR', clusterCIDR: v.clusterCIDR };
    if (v.mode === 'NodeCIDR' && typeof v.nodeCIDR === 'string') return { mode: 'NodeCIDR', nodeCIDR: v.nodeCIDR };
    if (v.mode === 'BridgeInterface' && typeof v.bridgeInterface === 'string') return { mode: 'BridgeInterface', bridgeInterface: v.bridgeInterface };
    if (v.mode === 'InterfaceNamePrefix' && typeof v.interfaceNamePrefix === 'string')
      return { mode: 'InterfaceNamePrefix', interfaceNamePrefix: v.interfaceNamePrefix };
  }
  problems.push(`config.localDetector: unexpected value ${JSON.stringify(v)}`);
  return defaultKubeProxyOptions.localDetector;
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}
function isBoolean(v: unknown): v is boolean {
  return typeof v === 'boolean';
}
function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every(isString);
}
function isStringRecord(v: unknown): v is Record<string, string> {
  return isRecord(v) && Object.values(v).every(isString);
}
function isBooleanRecord(v: unknown): v is Record<string, boolean> {
  return isRecord(v) && Object.values(v).every(isBoolean);
}
function isStringArrayRecord(v: unknown): v is Record<string, string[]> {
  return isRecord(v) && Object.values(v).every(isStringArray);
}
