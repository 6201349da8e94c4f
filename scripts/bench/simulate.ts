// kube-proxy rule generation for a synthetic cluster of N Services x 10 endpoints: model, ruleset and
// its iptables-restore / nft text, at N and 2N (the larger must take at most 2.2x the smaller).
// Usage: node --import tsx scripts/bench/simulate.ts [--services 10000]
import { buildKubeProxyModel } from '../../server/src/engine/simulate/kube-proxy/model';
import { parseKubeProxyOptions } from '../../server/src/engine/simulate/kube-proxy/options';
import { generateIptablesRuleset, renderIptablesRestore } from '../../server/src/engine/simulate/kube-proxy/iptables';
import { generateNftables } from '../../server/src/engine/simulate/kube-proxy/nftables';
import { renderNftTransaction } from '../../server/src/engine/simulate/kube-proxy/nft-transaction';
import { syntheticCluster } from '../../test/engine/kube-proxy/support';
import { format, now, report } from './support';

const args = process.argv.slice(2);
const services = args.includes('--services') ? Number(args[args.indexOf('--services') + 1]) : 10000;
const options = {
  ...parseKubeProxyOptions({}).options,
  ipFamily: 'IPv4' as const,
  nodeName: 'test-node',
  iptablesHasRandomFully: true,
  localDetector: { mode: 'ClusterCIDR' as const, clusterCIDR: '10.0.0.0/8' },
};

function time(n: number, mode: 'iptables' | 'nftables'): { ms: number; lines: number } {
  const cluster = syntheticCluster(n, 10);
  let best = Infinity;
  let lines = 0;
  for (let i = 0; i < 3; i++) {
    const start = now();
    const model = buildKubeProxyModel(cluster.services, cluster.endpointSlices, { ...options, backend: mode });
    const text = mode === 'iptables' ? renderIptablesRestore(generateIptablesRuleset(model)) : renderNftTransaction(generateNftables(model));
    best = Math.min(best, now() - start);
    lines = text.split('\n').length;
  }
  return { ms: best, lines };
}

for (const mode of ['iptables', 'nftables'] as const) {
  const small = time(services, mode);
  const large = time(2 * services, mode);
  report({ name: `${mode} rules, ${services} Services x 10 endpoints`, value: small.ms, unit: 'ms', target: 1000, note: `${small.lines} lines` });
  report({ name: `${mode} rules, ${2 * services} / ${services} Services`, value: large.ms / small.ms, unit: 'x', target: 2.2, note: `${format(large.ms)} ms, ${large.lines} lines` });
}
