// `kubeglass reach [paths...] [--from NS/POD] [--to NS/POD] [--port N] [--protocol P]
//  [--format matrix|json]`: NetworkPolicy reachability between the simulated pods. The matrix has
// sources as rows and destinations as columns, `.` allowed and `X` denied; JSON is one
// {from, to, port, protocol, allowed, ingressPolicies, egressPolicies} per pair.
import type { Command } from './commands';
import { buildNetworkPolicyModel } from '../engine/semantics/network-policy';
import { reachability, defaultProbePorts, type ProbePort } from '../engine/semantics/network-policy-reach';
import { renderReachMatrix } from '../engine/semantics/network-policy-matrix';
import { networkPolicyInputOf } from '../engine/simulate/workspace-simulation';
import { loadSimulation, oneOf, parseNamespacedName, portFlag } from './simulation';

export const reachCommand: Command = {
  name: 'reach',
  usage: 'reach [paths...] [--from NS/POD] [--to NS/POD] [--port N] [--protocol P] [--format matrix|json]',
  summary: 'which pods may connect to which, under the NetworkPolicies',
  run(ctx) {
    const { values, positionals } = ctx.parse({
      from: { type: 'string' },
      to: { type: 'string' },
      port: { type: 'string' },
      protocol: { type: 'string' },
      format: { type: 'string', short: 'f' },
      profile: { type: 'string' },
    });
    const format = oneOf(values.format, ['matrix', 'json'] as const, '--format', 'matrix');
    const protocol = oneOf(typeof values.protocol === 'string' ? values.protocol.toUpperCase() : undefined, ['TCP', 'UDP', 'SCTP'] as const, '--protocol', 'TCP');
    const sim = loadSimulation(ctx, positionals, values.profile as string | undefined);
    const model = buildNetworkPolicyModel(networkPolicyInputOf(sim.cluster, sim.loaded.workspace.objects()));
    let ports: ProbePort[];
    if (values.port !== undefined) {
      ports = [{ port: portFlag(values.port, '--port'), protocol }];
    } else {
      ports = defaultProbePorts(model).filter((p) => values.protocol === undefined || p.protocol === protocol);
      if (ports.length === 0) ports = [{ port: 80, protocol }];
    }
    const from = values.from === undefined ? undefined : parseNamespacedName(String(values.from), '--from');
    const to = values.to === undefined ? undefined : parseNamespacedName(String(values.to), '--to');
    const key = (x: { namespace: string; name: string }) => `${x.namespace}/${x.name}`;
    for (const [flag, want] of [['--from', from], ['--to', to]] as const) {
      if (want && !model.podKeys.includes(key(want))) ctx.err(`kubeglass: ${flag} ${key(want)} is not a simulated pod; pods are named like ${model.podKeys.slice(0, 3).join(', ')}\n`);
    }
    const result = reachability(model, { ports });
    const pairs = result.pairs.filter((p) => (!from || p.from === key(from)) && (!to || p.to === key(to)));
    if (format === 'json') {
      ctx.out(JSON.stringify(pairs, null, 2) + '\n');
      return 0;
    }
    ctx.out(renderReachMatrix(pairs));
    return 0;
  },
};
