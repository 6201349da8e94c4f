// Test support for the kube-proxy vectors in shared/testdata/kube-proxy: loading a case folder
// and the comparison normalisation its README prescribes for iptables dumps. Shared by the
// iptables and nftables tests (read-only for the latter).
//
// Nothing here calls the engine: the normaliser and the chain extractor are written from the
// README's description (upstream `sortIPTablesRules` / `assertIPTablesChainEqual`), so they can
// judge engine output without trusting it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { V1EndpointSlice, V1Service } from '../../../server/src/engine/model/k8s-types';
import { testdataDir } from '../../support/paths';

export const kubeProxyVectorsDir = path.join(testdataDir, 'kube-proxy');

export interface PacketFlow {
  readonly name: string;
  readonly sourceIP: string;
  readonly protocol: string;
  readonly destIP: string;
  readonly destPort: number;
  readonly output: string;
  readonly masq: boolean;
}

export interface FlowsFile {
  readonly tracer: 'iptables' | 'nftables';
  readonly localIPs: readonly string[];
  readonly flows: readonly PacketFlow[];
  readonly flowsWithoutEndpointSlices?: readonly PacketFlow[];
  readonly flowsWithoutServices?: readonly PacketFlow[];
}

export interface ChainFile {
  readonly table: string;
  readonly chain: string;
  readonly rules: readonly string[];
}

export interface LinesFile {
  readonly mustContain: readonly string[];
  readonly dnatRules: number;
  readonly dnatRulesWithComment: number;
}

export interface VectorCase {
  readonly name: string;
  readonly dir: string;
  /** `config.json` as parsed JSON (not yet interpreted). */
  readonly config: unknown;
  readonly services: readonly V1Service[];
  readonly endpointSlices: readonly V1EndpointSlice[];
  readonly expectedIptables?: string;
  readonly expectedNft?: string;
  readonly expectedChain?: ChainFile;
  readonly expectedLines?: LinesFile;
  readonly expectedFlows?: FlowsFile;
}

/** Case folder names starting with `prefix` (`ipt-`, `nft-`), sorted. */
export function listVectorCases(prefix: string): string[] {
  return fs
    .readdirSync(kubeProxyVectorsDir)
    .filter((n) => n.startsWith(prefix) && fs.statSync(path.join(kubeProxyVectorsDir, n)).isDirectory())
    .sort();
}

export function loadVectorCase(name: string): VectorCase {
  const dir = path.join(kubeProxyVectorsDir, name);
  const read = (file: string): string | undefined => {
    const p = path.join(dir, file);
    return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined;
  };
  const json = <T>(file: string): T | undefined => {
    const text = read(file);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  };
  const objects = parseYamlObjects(read('input.yaml') ?? '');
  return {
    name,
    dir,
    config: json('config.json'),
    services: objects.filter((o) => o.kind === 'Service') as unknown as V1Service[],
    endpointSlices: objects.filter((o) => o.kind === 'EndpointSlice') as unknown as V1EndpointSlice[],
    expectedIptables: read('expected.iptables'),
    expectedNft: read('expected.nft'),
    expectedChain: json<ChainFile>('expected.chain.json'),
    expectedLines: json<LinesFile>('expected.lines.json'),
    expectedFlows: json<FlowsFile>('expected.flows.json'),
  };
}

/** Plain objects of every non-empty YAML document. */
export function parseYamlObjects(text: string): Array<Record<string, unknown>> {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as unknown)
    .filter((o): o is Record<string, unknown> => typeof o === 'object' && o !== null && !Array.isArray(o));
}

// ---------------------------------------------------------------------------------------------
// iptables dump normalisation (README "iptables full dumps")

/**
 * Lines a stateless generator cannot produce: chains left over from an earlier sync in the
 * history-dependent `ipt-sync-repeated-full-resync` case (README).
 */
const historyOnlyLines = new Set([
  ':KUBE-SEP-AYCN5HPXMIRJNJXU - [0:0]',
  ':KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]',
  '-X KUBE-SEP-AYCN5HPXMIRJNJXU',
  '-X KUBE-SVC-4SW47YFZTEDKD3PK',
]);

/** The expected text as upstream uses it: leading blanks trimmed, history-only lines removed. */
export function expectedIptablesText(c: VectorCase): string {
  const text = (c.expectedIptables ?? '').replace(/^[ \t\n]+/, '');
  if (c.name !== 'ipt-sync-repeated-full-resync') return text;
  return text
    .split('\n')
    .filter((l) => !historyOnlyLines.has(l))
    .join('\n');
}

interface DumpChain {
  readonly name: string;
  readonly decl: string;
  readonly rules: string[];
  deleted: boolean;
}
interface DumpTable {
  readonly name: string;
  readonly chains: DumpChain[];
}

/** Parses restore text the way upstream's test parser does; throws on malformed input. */
export function parseIptablesDump(text: string): DumpTable[] {
  const tables: DumpTable[] = [];
  let table: DumpTable | undefined;
  let inDecls = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      table = { name: line.slice(1), chains: [] };
      tables.push(table);
      inDecls = true;
      continue;
    }
    if (table === undefined) throw new Error(`line outside a table: ${line}`);
    if (line === 'COMMIT') {
      table = undefined;
      continue;
    }
    if (line.startsWith(':')) {
      if (!inDecls) throw new Error(`chain declaration after rules: ${line}`);
      const m = /^:(\S+) (\S+) \[(\d+):(\d+)\]$/.exec(line);
      if (m === null) throw new Error(`bad chain line: ${line}`);
      table.chains.push({ name: m[1]!, decl: line, rules: [], deleted: false });
      continue;
    }
    inDecls = false;
    const words = line.split(' ');
    const chain = table.chains.find((c) => c.name === words[1]);
    if (chain === undefined) throw new Error(`rule or deletion for undeclared chain: ${line}`);
    if (words[0] === '-A') chain.rules.push(line);
    else if (words[0] === '-X') chain.deleted = true;
    else throw new Error(`unexpected line: ${line}`);
  }
  return tables;
}

/** The `--comment` value of a rule (quotes removed), or undefined. */
export function ruleComment(rule: string): string | undefined {
  const m = /--comment (?:"([^"]*)"|(\S+))/.exec(rule);
  if (m === null) return undefined;
  return m[1] ?? m[2];
}

/** Upstream's service-name order: comment cut at the first space or colon; no comment, no order. */
function lessByServiceName(a: string, b: string): boolean {
  const ca = ruleComment(a);
  const cb = ruleComment(b);
  if (ca === undefined || cb === undefined) return false;
  return cutServiceName(ca) < cutServiceName(cb);
}

function cutServiceName(comment: string): string {
  const i = comment.search(/[ :]/);
  return i < 0 ? comment : comment.slice(0, i);
}

function stableSort<T>(items: T[], less: (a: T, b: T) => boolean): void {
  // Insertion sort: stable, and exactly defined for the partial orders used here.
  for (let i = 1; i < items.length; i++) {
    const x = items[i]!;
    let j = i;
    while (j > 0 && less(x, items[j - 1]!)) {
      items[j] = items[j - 1]!;
      j--;
    }
    items[j] = x;
  }
}

function chainRank(name: string): [number, string] {
  if (name === 'KUBE-NODEPORTS') return [0, ''];
  if (name === 'KUBE-SERVICES') return [1, ''];
  return [name.startsWith('KUBE-') ? 2 : 3, name];
}

/** README step 2: parse, sort tables/chains/service rules, print. */
export function normalizeIptablesDump(text: string): string {
  const tables = parseIptablesDump(text.replace(/^[ \t\n]+/, ''));
  tables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const t of tables) {
    t.chains.sort((a, b) => {
      const [ra, na] = chainRank(a.name);
      const [rb, nb] = chainRank(b.name);
      return ra - rb || (na < nb ? -1 : na > nb ? 1 : 0);
    });
    for (const c of t.chains) {
      if (c.name === 'KUBE-NODEPORTS' || (c.name === 'KUBE-SERVICES' && t.name === 'filter')) {
        stableSort(c.rules, lessByServiceName);
      } else if (c.name === 'KUBE-SERVICES' && t.name === 'nat') {
        const isLast = (r: string) => (ruleComment(r) ?? '').includes('must be the last rule');
        stableSort(c.rules, (a, b) => {
          if (isLast(a)) return false;
          if (isLast(b)) return true;
          return lessByServiceName(a, b);
        });
      }
    }
    out.push(`*${t.name}`);
    for (const c of t.chains) out.push(c.decl);
    for (const c of t.chains) out.push(...c.rules);
    for (const c of t.chains) if (c.deleted) out.push(`-X ${c.name}`);
    out.push('COMMIT');
  }
  return out.join('\n') + '\n';
}

/** The rules of one chain in written order (upstream `assertIPTablesChainEqual`). */
export function iptablesChainRules(text: string, table: string, chain: string): string[] {
  const t = parseIptablesDump(text).find((x) => x.name === table);
  return t?.chains.find((c) => c.name === chain)?.rules ?? [];
}

const builtinTargets = new Set(['ACCEPT', 'REJECT', 'DROP', 'MARK', 'RETURN', 'DNAT', 'SNAT', 'MASQUERADE']);
const topLevelChains = new Set([
  'KUBE-SERVICES',
  'KUBE-EXTERNAL-SERVICES',
  'KUBE-FORWARD',
  'KUBE-NODEPORTS',
  'KUBE-PROXY-FIREWALL',
  'KUBE-FIREWALL',
  'KUBE-POSTROUTING',
  'KUBE-MARK-MASQ',
]);

/**
 * README "Upstream additionally checks": every non-builtin jump target is a declared chain
 * with rules (KUBE-NODEPORTS may be empty), and every declared non-top-level chain is jumped
 * to. Returns the problems found (empty = consistent).
 */
export function checkIptablesRuleJumps(text: string): string[] {
  const problems: string[] = [];
  for (const t of parseIptablesDump(text)) {
    const byName = new Map(t.chains.map((c) => [c.name, c]));
    const jumpedTo = new Set<string>();
    for (const c of t.chains) {
      for (const r of c.rules) {
        const m = / -j (\S+)/.exec(r);
        if (m === null || builtinTargets.has(m[1]!)) continue;
        jumpedTo.add(m[1]!);
        const target = byName.get(m[1]!);
        if (target === undefined) problems.push(`${t.name}: jump to undeclared chain ${m[1]}`);
        else if (target.rules.length === 0 && target.name !== 'KUBE-NODEPORTS') problems.push(`${t.name}: jump to empty chain ${m[1]}`);
      }
    }
    for (const c of t.chains) {
      if (!c.deleted && !topLevelChains.has(c.name) && !jumpedTo.has(c.name)) problems.push(`${t.name}: chain ${c.name} is never jumped to`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Synthetic clusters (hand-built inputs for load checks and measurements)

export interface SyntheticCluster {
  readonly services: V1Service[];
  readonly endpointSlices: V1EndpointSlice[];
}

/**
 * `serviceCount` Services cycling through ten shapes (ClusterIP, NodePort/UDP, LoadBalancer
 * with source ranges and ClientIP affinity, eTP Local with health check, externalIPs, iTP
 * Local, no endpoints, SCTP, terminating-only endpoints, two named ports), each with
 * `endpointsPerService` endpoints (every third on `nodeName`), of one IP family.
 */
export function syntheticCluster(serviceCount: number, endpointsPerService: number, family: 'IPv4' | 'IPv6' = 'IPv4', nodeName = 'test-node'): SyntheticCluster {
  const services: V1Service[] = [];
  const endpointSlices: V1EndpointSlice[] = [];
  const v6 = family === 'IPv6';
  const clusterIP = (i: number) => (v6 ? `fd00:172:30::${i.toString(16)}` : `172.30.${i >> 8}.${i & 255}`);
  const podIP = (i: number, j: number) => (v6 ? `fd00:10:${i.toString(16)}::${(j + 1).toString(16)}` : `10.${(i >> 8) & 255}.${i & 255}.${j + 1}`);
  const externalIP = (i: number) => (v6 ? `2001:db8:99::${i.toString(16)}` : `192.168.99.${(i % 250) + 1}`);
  const lbIP = (i: number) => (v6 ? `2001:db8:1b::${i.toString(16)}` : `1.2.${i >> 8}.${i & 255}`);
  for (let i = 0; i < serviceCount; i++) {
    const shape = i % 10;
    const namespace = `ns${i % 97}`;
    const name = `svc${i}`;
    const nodePort = 30000 + (i % 2700);
    const protocol = shape === 1 ? 'UDP' : shape === 7 ? 'SCTP' : 'TCP';
    const ports: Array<Record<string, unknown>> =
      shape === 9
        ? [
            { name: 'http', port: 80, protocol, targetPort: 8080 },
            { name: 'metrics', port: 9090, protocol, targetPort: 9090 },
          ]
        : [{ name: 'p80', port: 80, protocol, ...(shape === 1 || shape === 2 || shape === 3 ? { nodePort } : {}) }];
    const spec: Record<string, unknown> = { clusterIP: clusterIP(i), ports };
    const status: Record<string, unknown> = {};
    if (shape === 1) spec.type = 'NodePort';
    if (shape === 2 || shape === 3) {
      spec.type = 'LoadBalancer';
      status.loadBalancer = { ingress: [{ ip: lbIP(i) }] };
    }
    if (shape === 2) {
      spec.loadBalancerSourceRanges = v6 ? ['2001:db8::/64', '2600:5200::/32'] : ['203.0.113.0/25', '192.168.0.0/24'];
      spec.sessionAffinity = 'ClientIP';
      spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 300 } };
    }
    if (shape === 3) {
      spec.externalTrafficPolicy = 'Local';
      spec.healthCheckNodePort = 32000 + (i % 700);
    }
    if (shape === 4) spec.externalIPs = [externalIP(i)];
    if (shape === 5) spec.internalTrafficPolicy = 'Local';
    services.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec, status } as unknown as V1Service);
    if (shape === 6) continue;
    const endpoints = [];
    for (let j = 0; j < endpointsPerService; j++) {
      endpoints.push({
        addresses: [podIP(i, j)],
        ...(j % 3 === 0 ? { nodeName } : { nodeName: 'other-node' }),
        ...(shape === 8 ? { conditions: { ready: false, serving: true, terminating: true } } : {}),
      });
    }
    const slicePorts = ports.map((p) => ({ name: p.name, port: p.targetPort ?? p.port, protocol }));
    endpointSlices.push({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-1`, namespace, labels: { 'kubernetes.io/service-name': name } },
      addressType: family,
      endpoints,
      ports: slicePorts,
    } as unknown as V1EndpointSlice);
  }
  return { services, endpointSlices };
}
