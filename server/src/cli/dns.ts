// `kubeglass dns [paths...] [--format text|json] [--profile FILE] [--pod NS/NAME]`: every record the
// cluster DNS would serve for the workspace, and (with --pod) that pod's resolv.conf.
import type { Command } from './commands';
import { clusterDnsRecords, podResolvConf } from '../engine/simulate/sim-cluster';
import { recordText } from '../engine/semantics/dns';
import { loadSimulation, oneOf, parseNamespacedName } from './simulation';

export const dnsCommand: Command = {
  name: 'dns',
  usage: 'dns [paths...] [--format text|json] [--profile F] [--pod NS/NAME]',
  summary: 'DNS records the cluster would serve, and a pod\'s resolv.conf',
  run(ctx) {
    const { values, positionals } = ctx.parse({ format: { type: 'string', short: 'f' }, profile: { type: 'string' }, pod: { type: 'string' } });
    const format = oneOf(values.format, ['text', 'json'] as const, '--format', 'text');
    const sim = loadSimulation(ctx, positionals, values.profile as string | undefined);
    const records = clusterDnsRecords(sim.cluster);
    const wanted = values.pod === undefined ? undefined : parseNamespacedName(String(values.pod), '--pod');
    const pods = sim.cluster.pods
      .filter((p) => !wanted || (p.ref.namespace === wanted.namespace && p.ref.name === wanted.name))
      .map((p) => ({ pod: `${p.ref.namespace}/${p.ref.name}`, resolv: podResolvConf(sim.profile, p) }));
    if (wanted && pods.length === 0) {
      ctx.err(`kubeglass: no pod ${wanted.namespace}/${wanted.name} in the simulated cluster\n`);
      return 1;
    }
    if (format === 'json') {
      ctx.out(JSON.stringify({ records: records.map(({ source, ...r }) => ({ ...r, source })), pods: pods.map((p) => ({ pod: p.pod, resolvConf: p.resolv })) }, null, 2) + '\n');
      return 0;
    }
    if (!wanted) for (const r of records) ctx.out(recordText(r) + '\n');
    if (wanted) {
      const r = pods[0].resolv;
      if (r.kind === 'error') ctx.out(`# ${pods[0].pod}: ${r.message}\n`);
      else {
        ctx.out(`# /etc/resolv.conf of ${pods[0].pod}\n`);
        for (const n of r.nameservers) ctx.out(`nameserver ${n}\n`);
        if (r.searches.length) ctx.out(`search ${r.searches.join(' ')}\n`);
        if (r.options.length) ctx.out(`options ${r.options.join(' ')}\n`);
      }
    }
    return 0;
  },
};
