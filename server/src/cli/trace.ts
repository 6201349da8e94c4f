// `kubeglass trace [paths...] --src IP --dst IP --port N [--protocol tcp|udp|sctp] [--mode M]
//  [--profile FILE] [--node NAME] [--format text|json]`: a packet through the generated rules.
// JSON: {"output": "10.180.0.1:80, 10.180.2.1:80", "masq": false, "hops": [...]} with `output`
// spelled exactly as the upstream packet-flow vectors spell it.
import type { Command } from './commands';
import { tracePacket } from '../engine/simulate/kube-proxy/rules';
import { loadSimulation, oneOf, portFlag } from './simulation';
import { UsageError } from './usage-error';

export const traceCommand: Command = {
  name: 'trace',
  usage: 'trace [paths...] --src IP --dst IP --port N [--protocol P] [--mode M] [--format text|json]',
  summary: 'trace a packet through the kube-proxy rules (DNAT targets, masquerade, drop/reject)',
  run(ctx) {
    const { values, positionals } = ctx.parse({
      src: { type: 'string' },
      dst: { type: 'string' },
      port: { type: 'string' },
      protocol: { type: 'string' },
      mode: { type: 'string', short: 'm' },
      profile: { type: 'string' },
      node: { type: 'string' },
      format: { type: 'string', short: 'f' },
    });
    if (typeof values.src !== 'string' || typeof values.dst !== 'string' || typeof values.port !== 'string') {
      throw new UsageError('trace needs --src IP --dst IP --port N');
    }
    const port = portFlag(values.port, '--port');
    const protocol = oneOf(typeof values.protocol === 'string' ? values.protocol.toLowerCase() : undefined, ['tcp', 'udp', 'sctp'] as const, '--protocol', 'tcp');
    const format = oneOf(values.format, ['text', 'json'] as const, '--format', 'text');
    const sim = loadSimulation(ctx, positionals, values.profile as string | undefined);
    const mode = oneOf(values.mode, ['iptables', 'nftables', 'ipvs'] as const, '--mode', sim.profile.kubeProxy.mode);
    const r = tracePacket(sim.cluster, { mode, node: values.node as string | undefined, sourceIP: values.src, destIP: values.dst, destPort: port, protocol });
    for (const p of r.problems) ctx.err(`kubeglass: ${p}\n`);
    if (format === 'json') {
      ctx.out(JSON.stringify({ output: r.output, masq: r.masq, hops: r.hops }, null, 2) + '\n');
      return 0;
    }
    for (const h of r.hops) ctx.out(`${h.table ? h.table + ' ' : ''}${h.chain}: ${h.rule}${h.verdict ? `  => ${h.verdict}` : ''}\n`);
    ctx.out(`output: ${r.output === '' ? '(no kube-proxy rule matched)' : r.output}\nmasquerade: ${r.masq ? 'yes' : 'no'}\n`);
    return 0;
  },
};
