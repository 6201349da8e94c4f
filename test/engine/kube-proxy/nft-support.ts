// Test helpers specific to kube-proxy's nftables mode: the comparison normalisation of the
// upstream vectors, the list of nft vector folders, and the `nft -c` load check in a private
// network namespace.
//
// The normaliser follows testdata/kube-proxy/README.md ("nftables full dumps") and is applied
// to both sides of every comparison, exactly as upstream's assertNFTablesTransactionEqual does.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { testdataDir } from '../../support/paths';
import { loadVectorCase, type FlowsFile } from './support';
import type { V1EndpointSlice, V1Service } from '../../../server/src/engine/model/k8s-types';
import { buildKubeProxyModel, parseKubeProxyOptions, type KubeProxyModel, type KubeProxyOptions } from '../../../server/src/engine/simulate/kube-proxy/model';

export const kubeProxyDir = path.join(testdataDir, 'kube-proxy');

/** Every `nft-*` vector folder name, sorted. */
export function nftCaseNames(): string[] {
  return readdirSync(kubeProxyDir)
    .filter((n) => n.startsWith('nft-'))
    .sort();
}

export function nftCasesWith(file: string): string[] {
  return nftCaseNames().filter((n) => existsSync(path.join(kubeProxyDir, n, file)));
}

const OBJECT_RANK: Readonly<Record<string, number>> = {
  table: 10,
  chain: 9,
  rule: 8,
  set: 7,
  map: 6,
  element: 5,
};

/**
 * README normalisation: drop empty and `#` lines, then stable-sort by object type (higher rank
 * first), then object name (word 5), then, except for rules, the whole line. Lines with fewer
 * than five words keep their place relative to anything.
 */
export function normaliseNft(text: string): string {
  const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  const words = new Map(lines.map((l) => [l, l.split(' ')] as const));
  const sorted = [...lines].sort((a, b) => {
    const wa = words.get(a)!;
    const wb = words.get(b)!;
    if (wa.length < 5 || wb.length < 5) return 0;
    if (wa[1] !== wb[1]) return (OBJECT_RANK[wb[1]] ?? 0) - (OBJECT_RANK[wa[1]] ?? 0);
    if (wa[4] !== wb[4]) return wa[4] < wb[4] ? -1 : 1;
    if (wa[1] === 'rule') return 0;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return sorted.join('\n');
}

/** A line-oriented diff summary for assertion messages: lines only on one side. */
export function nftLineDiff(expected: string, actual: string): string {
  const e = expected.split('\n');
  const a = actual.split('\n');
  const eSet = new Set(e);
  const aSet = new Set(a);
  const missing = e.filter((l) => !aSet.has(l)).map((l) => `- ${l}`);
  const extra = a.filter((l) => !eSet.has(l)).map((l) => `+ ${l}`);
  if (missing.length === 0 && extra.length === 0) return '(same lines, different order)';
  return [...missing, ...extra].join('\n');
}

export type NftCheckCapability = { readonly ok: true } | { readonly ok: false; readonly reason: string };

let capability: NftCheckCapability | undefined;

/** Whether `unshare -n nft -c -f` can run here (root or user namespaces, nft installed). */
export function nftCheckCapability(): NftCheckCapability {
  if (capability) return capability;
  const nft = spawnSync('nft', ['--version'], { encoding: 'utf8' });
  if (nft.error || nft.status !== 0) {
    capability = { ok: false, reason: 'nft is not installed (Debian package "nftables")' };
    return capability;
  }
  const probe = spawnSync('unshare', ['-n', 'nft', 'list', 'ruleset'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    capability = {
      ok: false,
      reason: `cannot run nft in a private network namespace: ${probe.error?.message ?? probe.stderr.trim()}`,
    };
    return capability;
  }
  capability = { ok: true };
  return capability;
}

/** Runs `nft -c -f -` on the text inside `unshare -n`; returns nft's stderr on failure. */
export function nftCheck(text: string): { readonly ok: boolean; readonly stderr: string } {
  const r = spawnSync('unshare', ['-n', 'nft', '-c', '-f', '-'], { input: text, encoding: 'utf8' });
  return { ok: !r.error && r.status === 0, stderr: r.error?.message ?? r.stderr };
}

export type { PacketFlow, FlowsFile } from './support';

export interface NftCase {
  readonly name: string;
  readonly services: readonly V1Service[];
  readonly endpointSlices: readonly V1EndpointSlice[];
  readonly options: KubeProxyOptions;
  readonly expectedNft?: string;
  readonly flows?: FlowsFile;
}

/** Reads one vector folder (through the shared loader) and interprets its config.json. */
export function loadNftCase(name: string): NftCase {
  const c = loadVectorCase(name);
  const { options, problems } = parseKubeProxyOptions(c.config);
  if (problems.length > 0) throw new Error(`${name}/config.json: ${problems.join('; ')}`);
  return {
    name,
    services: c.services,
    endpointSlices: c.endpointSlices,
    options,
    expectedNft: c.expectedNft,
    flows: c.expectedFlows,
  };
}

export function caseModel(c: NftCase, variant: 'all' | 'withoutEndpointSlices' | 'withoutServices' = 'all'): KubeProxyModel {
  const services = variant === 'withoutServices' ? [] : c.services;
  const slices = variant === 'all' ? c.endpointSlices : [];
  return buildKubeProxyModel(services, slices, c.options);
}
