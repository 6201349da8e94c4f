// Oracle our code did not produce: the real iptables (Debian package `iptables`, nf_tables
// backend) in a private network namespace (`unshare -n`, needs root).
//  1. Every generated restore text (all ipt-* vectors, a 10-service IPv4 and IPv6 synthetic
//     cluster) passes `iptables-restore --test` (ip6tables-restore for IPv6), nfacct rules
//     included (--test does not need the nfacct objects).
//  2. The whole node ruleset (built-in chains, jump rules, canary chains) really loads, and
//     the kernel's `iptables-save` equals our save rendering line for line. A real load of
//     nfacct rules needs the counter objects: they are created with the `nfacct` tool (Debian
//     package `nfacct`); without it this step generates with nfacct counters off and says so.
// Skipped, with the reason printed, only when iptables-restore or unshare is unusable.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { V1EndpointSlice, V1Service } from '../../../server/src/engine/model/k8s-types';
import { type KubeProxyOptions, buildKubeProxyModel, parseKubeProxyOptions } from '../../../server/src/engine/simulate/kube-proxy/model';
import { generateIptablesRuleset, nodeIptablesRuleset, renderIptablesRestore } from '../../../server/src/engine/simulate/kube-proxy/iptables';
import { renderIptablesSave } from '../../../server/src/engine/simulate/kube-proxy/iptables-save';
import { listVectorCases, loadVectorCase, syntheticCluster } from './support';

interface LoadCase {
  readonly name: string;
  readonly options: KubeProxyOptions;
  readonly services: readonly V1Service[];
  readonly slices: readonly V1EndpointSlice[];
}

const cases: LoadCase[] = listVectorCases('ipt-').map((name) => {
  const c = loadVectorCase(name);
  return { name, options: parseKubeProxyOptions(c.config).options, services: c.services, slices: c.endpointSlices };
});
const base = parseKubeProxyOptions(loadVectorCase('ipt-overall').config).options;
for (const family of ['IPv4', 'IPv6'] as const) {
  const s = syntheticCluster(10, 3, family);
  const options: KubeProxyOptions = {
    ...base,
    ipFamily: family,
    iptablesHasRandomFully: true,
    localDetector: { mode: 'ClusterCIDR', clusterCIDR: family === 'IPv4' ? '10.0.0.0/8' : 'fd00:10::/32' },
  };
  cases.push({ name: `synthetic-10-services-${family}`, options, services: s.services, slices: s.endpointSlices });
}

function capability(): string | undefined {
  const probe = spawnSync('unshare', ['-n', 'sh', '-c', 'command -v iptables-restore && command -v ip6tables-restore && iptables-save >/dev/null'], { encoding: 'utf8' });
  if (probe.error !== undefined) return `unshare unavailable: ${probe.error.message}`;
  if (probe.status !== 0) return `unshare -n or iptables-restore unusable (exit ${probe.status}): ${probe.stderr.trim()}`;
  return undefined;
}

const missing = capability();
if (missing !== undefined) console.log(`SKIP iptables load checks: ${missing} (install Debian package "iptables", run as root)`);
const hasNfacctTool = missing === undefined && spawnSync('unshare', ['-n', 'sh', '-c', 'nfacct add probe && nfacct list']).status === 0;
if (missing === undefined && !hasNfacctTool) console.log('nfacct tool missing (Debian package "nfacct"): real loads use nfacct counters off');
const createCounters = 'nfacct add ct_state_invalid_dropped_pkts && nfacct add localhost_nps_accepted_pkts && ';

function inNetns(script: string, input: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('unshare', ['-n', 'sh', '-c', script], { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

for (const c of cases) {
  const bin = c.options.ipFamily === 'IPv6' ? 'ip6tables' : 'iptables';
  test(`${bin}-restore --test accepts ${c.name}`, { skip: missing }, () => {
    const text = renderIptablesRestore(generateIptablesRuleset(buildKubeProxyModel(c.services, c.slices, c.options)));
    const r = inNetns(`${bin}-restore --test`, text);
    assert.equal(r.status, 0, r.stderr);
  });

  test(`real load and ${bin}-save round trip of the node ruleset ${c.name}`, { skip: missing }, () => {
    const options = hasNfacctTool ? c.options : { ...c.options, nfacctCounters: {} };
    const node = nodeIptablesRuleset(generateIptablesRuleset(buildKubeProxyModel(c.services, c.slices, options)));
    const r = inNetns(`${hasNfacctTool ? createCounters : ''}${bin}-restore && ${bin}-save`, renderIptablesRestore(node));
    assert.equal(r.status, 0, r.stderr);
    const kernel = r.stdout
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .join('\n');
    assert.equal(renderIptablesSave(node), kernel);
  });
}
