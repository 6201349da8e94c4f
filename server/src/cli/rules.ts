// `kubeglass rules [paths...] [--mode iptables|nftables|ipvs] [--format restore|save] [--profile FILE]
//  [--node NAME] [--service NS/NAME]`: the kube-proxy rules of one node of the simulated cluster.
import type { Command } from './commands';
import { kubeProxyRules } from '../engine/simulate/kube-proxy/rules';
import { loadSimulation, oneOf, parseNamespacedName } from './simulation';

export const rulesCommand: Command = {
  name: 'rules',
  usage: 'rules [paths...] [--mode M] [--format restore|save] [--profile F] [--node N] [--service NS/NAME]',
  summary: 'the kube-proxy rules a node would program (iptables, nftables, ipvs)',
  run(ctx) {
    const { values, positionals } = ctx.parse({
      mode: { type: 'string', short: 'm' },
      format: { type: 'string', short: 'f' },
      profile: { type: 'string' },
      node: { type: 'string' },
      service: { type: 'string' },
    });
    const format = oneOf(values.format, ['restore', 'save'] as const, '--format', 'restore');
    const sim = loadSimulation(ctx, positionals, values.profile as string | undefined);
    const mode = oneOf(values.mode, ['iptables', 'nftables', 'ipvs'] as const, '--mode', sim.profile.kubeProxy.mode);
    const service = values.service === undefined ? undefined : parseNamespacedName(String(values.service), '--service');
    const result = kubeProxyRules(sim.cluster, { mode, format, node: values.node as string | undefined, service });
    for (const p of result.problems) ctx.err(`kubeglass: ${p}\n`);
    if (!result.text) return 1;
    ctx.out(result.text.endsWith('\n') ? result.text : result.text + '\n');
    return 0;
  },
};
