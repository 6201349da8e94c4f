// A pod's effective resolv.conf, as the kubelet writes it (spec semantics.md e.4).
//
// Owns: reading a node resolv.conf the way the kubelet does, the dnsPolicy x hostNetwork table
// that picks the base configuration (cluster / host / none), the merge of `spec.dnsConfig`, the
// kubelet's limits (nameservers, search paths, search line length) and the Warning events the
// kubelet records when it truncates, and the resolv.conf text itself.
// Invariants: pure; never throws. A pod the kubelet would refuse (an unknown dnsPolicy, an
// unreadable node resolv.conf) yields `{kind: 'error'}` with the kubelet's message.
// Deliberately absent: option order. The kubelet merges options through a Go map, so their
// order in a real pod is unspecified; Kubeglass keeps first-appearance order.

/** The kubelet settings that shape pod DNS. */
export interface KubeletDNSConfig {
  /** The kubelet's cluster domain (`--cluster-domain`); '' adds no cluster search domains. */
  readonly clusterDomain: string;
  /** Content of the node file named by `--resolv-conf`; null when the flag is the empty string. */
  readonly resolvConf: string | null;
  /** `--cluster-dns` addresses. */
  readonly clusterDNS: readonly string[];
  /** ExpandedDNSConfig limits (default true: the feature is on in current releases). */
  readonly expandedDNSConfig?: boolean;
  /** Node addresses; only used for the loopback nameserver when `resolvConf` is null. */
  readonly nodeIPs?: readonly string[];
}

/** The part of a pod the kubelet reads for DNS. */
export interface PodDNSInput {
  readonly namespace: string;
  readonly dnsPolicy?: string;
  readonly hostNetwork?: boolean;
  readonly dnsConfig?: PodDNSConfigInput | null;
}

export interface PodDNSConfigInput {
  readonly nameservers?: readonly string[] | null;
  readonly searches?: readonly string[] | null;
  readonly options?: readonly { readonly name?: string; readonly value?: string | null }[] | null;
}

export type PodDNSType = 'cluster' | 'host' | 'none';

export interface KubeletEvent {
  readonly type: 'Warning';
  readonly reason: 'DNSConfigForming' | 'MissingClusterDNS';
  readonly message: string;
}

export type PodDNSResult =
  | {
      readonly kind: 'ok';
      readonly type: PodDNSType;
      readonly nameservers: readonly string[];
      readonly searches: readonly string[];
      readonly options: readonly string[];
      readonly events: readonly KubeletEvent[];
    }
  | { readonly kind: 'error'; readonly message: string };

export interface ResolvConf {
  readonly nameservers: readonly string[];
  readonly searches: readonly string[];
  readonly options: readonly string[];
}

export type ParsedResolvConf =
  | ({ readonly kind: 'ok' } & ResolvConf)
  | { readonly kind: 'error'; readonly message: string; readonly partial: ResolvConf };

/** Cluster-type options: exactly `ndots:5`, the node's options are dropped. */
const CLUSTER_DNS_OPTIONS: readonly string[] = ['ndots:5'];
const MAX_NAMESERVERS = 3;
const MAX_SEARCH_PATH_LENGTH = 253;
const SEARCH_LIMITS = {
  expanded: { paths: 32, chars: 2048 },
  legacy: { paths: 6, chars: 256 },
} as const;

/**
 * The resolver configuration the kubelet gives a pod:
 * - `none`: empty, then `dnsConfig`;
 * - `cluster` with cluster DNS addresses: those nameservers, search
 *   `<ns>.svc.<domain> svc.<domain> <domain>` followed by the node's search domains (duplicates
 *   dropped, first kept), options exactly `ndots:5`; without cluster DNS addresses the kubelet
 *   records MissingClusterDNS and falls back to `host`;
 * - `host`: the node's resolv.conf (or `127.0.0.1` / `::1` and search `.` when the kubelet has
 *   no resolv.conf);
 * then `dnsConfig` is merged (nameservers and searches appended without duplicates, options
 * merged by name with the pod's value winning) and the limits are applied.
 */
export function podDNS(kubelet: KubeletDNSConfig, pod: PodDNSInput): PodDNSResult {
  const type = podDNSType(pod.dnsPolicy, pod.hostNetwork === true);
  if (type.kind === 'error') return type;
  let host: ResolvConf = { nameservers: [], searches: [], options: [] };
  if (kubelet.resolvConf !== null && kubelet.resolvConf !== '') {
    const parsed = parseResolvConf(kubelet.resolvConf);
    if (parsed.kind === 'error') return { kind: 'error', message: parsed.message };
    host = parsed;
  }
  const events: KubeletEvent[] = [];
  let base: ResolvConf;
  let effective: PodDNSType = type.type;
  if (type.type === 'none') {
    base = { nameservers: [], searches: [], options: [] };
  } else if (type.type === 'cluster' && kubelet.clusterDNS.length > 0) {
    base = {
      nameservers: [...kubelet.clusterDNS],
      searches: clusterSearches(kubelet.clusterDomain, pod.namespace, host.searches),
      options: CLUSTER_DNS_OPTIONS,
    };
  } else {
    if (type.type === 'cluster') {
      events.push({
        type: 'Warning',
        reason: 'MissingClusterDNS',
        message:
          'kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.',
      });
      effective = 'host';
    }
    base = kubelet.resolvConf === null || kubelet.resolvConf === ''
      ? { nameservers: loopbackNameservers(kubelet.nodeIPs ?? []), searches: ['.'], options: host.options }
      : host;
  }
  const merged = pod.dnsConfig ? mergeDNSConfig(base, pod.dnsConfig) : base;
  const nameservers = fitNameservers(merged.nameservers);
  if (nameservers.event) events.push(nameservers.event);
  const searches = fitSearches(merged.searches, kubelet.expandedDNSConfig ?? true);
  if (searches.event) events.push(searches.event);
  return {
    kind: 'ok',
    type: effective,
    nameservers: nameservers.value,
    searches: searches.value,
    options: merged.options,
    events,
  };
}

/**
 * Which base configuration a policy selects (spec e.4 table):
 * ClusterFirstWithHostNet -> cluster; ClusterFirst -> cluster, or host with hostNetwork;
 * Default -> host; None -> none; '' or absent is the API default ClusterFirst; anything else
 * is an error.
 */
export function podDNSType(
  dnsPolicy: string | undefined, hostNetwork: boolean,
): { readonly kind: 'ok'; readonly type: PodDNSType } | { readonly kind: 'error'; readonly message: string } {
  switch (dnsPolicy ?? 'ClusterFirst') {
    case 'ClusterFirstWithHostNet':
      return { kind: 'ok', type: 'cluster' };
    case '':
    case 'ClusterFirst':
      return { kind: 'ok', type: hostNetwork ? 'host' : 'cluster' };
    case 'Default':
      return { kind: 'ok', type: 'host' };
    case 'None':
      return { kind: 'ok', type: 'none' };
    default:
      return { kind: 'error', message: `invalid DNSPolicy=${dnsPolicy}` };
  }
}

/**
 * Reads resolv.conf text as the kubelet does: `#` lines and blank lines skipped, words split on
 * whitespace; every `nameserver` line adds its first argument (a bare `nameserver` is an error);
 * the last `search` line wins, with trailing dots removed and `.` entries dropped; the last
 * `options` line wins; other lines are ignored.
 */
export function parseResolvConf(text: string): ParsedResolvConf {
  const nameservers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  const errors: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('#')) continue;
    const fields = trimmed.split(/[ \t\r\n\v\f]+/).filter((f) => f !== '');
    if (fields.length === 0) continue;
    switch (fields[0]) {
      case 'nameserver':
        if (fields.length >= 2) nameservers.push(fields[1]);
        else errors.push('nameserver list is empty ');
        break;
      case 'search':
        searches = fields.slice(1).filter((s) => s !== '.').map((s) => (s.endsWith('.') ? s.slice(0, -1) : s));
        break;
      case 'options':
        options = fields.slice(1);
        break;
    }
  }
  const conf = { nameservers, searches, options };
  if (errors.length > 0) return { kind: 'error', message: errors.join(', '), partial: conf };
  return { kind: 'ok', ...conf };
}

/**
 * Merges pod options into base options by name (`name` or `name:value`): a pod option replaces
 * the base option of the same name; a pod option without a value (or with '') prints as `name`.
 */
export function mergeDNSOptions(
  existing: readonly string[], podOptions: readonly { readonly name?: string; readonly value?: string | null }[],
): string[] {
  const values = new Map<string, string>();
  for (const op of existing) {
    const colon = op.indexOf(':');
    if (colon >= 0) values.set(op.slice(0, colon), op.slice(colon + 1));
    else values.set(op, '');
  }
  for (const op of podOptions) values.set(op.name ?? '', op.value ?? '');
  return [...values].map(([name, value]) => (value === '' ? name : `${name}:${value}`));
}

/** At most three nameservers; the kubelet drops the rest and records an event. */
export function fitNameservers(nameservers: readonly string[]): { value: string[]; event?: KubeletEvent } {
  if (nameservers.length <= MAX_NAMESERVERS) return { value: [...nameservers] };
  const value = nameservers.slice(0, MAX_NAMESERVERS);
  return {
    value,
    event: {
      type: 'Warning',
      reason: 'DNSConfigForming',
      message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${value.join(' ')}`,
    },
  };
}

/**
 * The kubelet's search-line limits: paths longer than 253 characters are dropped; if the
 * joined line is too long, paths are removed from the end until it fits; then the list is cut
 * to the maximum count. Limits: 32 paths / 2048 characters (ExpandedDNSConfig), else 6 / 256.
 */
export function fitSearches(searches: readonly string[], expanded: boolean): { value: string[]; event?: KubeletEvent } {
  const limits = expanded ? SEARCH_LIMITS.expanded : SEARCH_LIMITS.legacy;
  let exceeded = false;
  let value = searches.filter((s) => s.length <= MAX_SEARCH_PATH_LENGTH);
  if (value.length !== searches.length) exceeded = true;
  let lineLength = value.join(' ').length;
  if (lineLength > limits.chars) {
    exceeded = true;
    while (value.length > 0 && lineLength > limits.chars) {
      lineLength -= value[value.length - 1].length + 1;
      value = value.slice(0, -1);
    }
  }
  if (value.length > limits.paths) {
    exceeded = true;
    value = value.slice(0, limits.paths);
  }
  if (!exceeded) return { value };
  return {
    value,
    event: {
      type: 'Warning',
      reason: 'DNSConfigForming',
      message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${value.join(' ')}`,
    },
  };
}

/** The resolv.conf lines the container sees (empty sections are left out). */
export function resolvConfLines(conf: ResolvConf): string[] {
  const lines = conf.nameservers.map((ns) => `nameserver ${ns}`);
  if (conf.searches.length > 0) lines.push(`search ${conf.searches.join(' ')}`);
  if (conf.options.length > 0) lines.push(`options ${conf.options.join(' ')}`);
  return lines;
}

/** `<ns>.svc.<domain>`, `svc.<domain>`, `<domain>`, then the node's domains, first occurrence kept. */
function clusterSearches(clusterDomain: string, namespace: string, hostSearches: readonly string[]): string[] {
  if (clusterDomain === '') return [...hostSearches];
  return withoutDuplicates([`${namespace}.svc.${clusterDomain}`, `svc.${clusterDomain}`, clusterDomain, ...hostSearches]);
}

function mergeDNSConfig(base: ResolvConf, dnsConfig: PodDNSConfigInput): ResolvConf {
  return {
    nameservers: withoutDuplicates([...base.nameservers, ...(dnsConfig.nameservers ?? [])]),
    searches: withoutDuplicates([...base.searches, ...(dnsConfig.searches ?? [])]),
    options: mergeDNSOptions(base.options, dnsConfig.options ?? []),
  };
}

/** One loopback nameserver per node address family (`127.0.0.1` when the node has none). */
function loopbackNameservers(nodeIPs: readonly string[]): string[] {
  const out = nodeIPs.map((ip) => (ip.includes(':') ? '::1' : '127.0.0.1'));
  return out.length > 0 ? out : ['127.0.0.1'];
}

function withoutDuplicates(list: readonly string[]): string[] {
  return [...new Set(list)];
}
