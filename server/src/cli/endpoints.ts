// `kubeglass endpoints [paths...] [--profile FILE]`: the EndpointSlices the control plane would
// build (or that the workspace carries), as multi-document YAML.
import { stringify } from 'yaml';
import type { Command } from './commands';
import { loadSimulation } from './simulation';

export const endpointsCommand: Command = {
  name: 'endpoints',
  usage: 'endpoints [paths...] [--profile F]',
  summary: 'the EndpointSlices of every Service, as YAML',
  run(ctx) {
    const { values, positionals } = ctx.parse({ profile: { type: 'string' } });
    const sim = loadSimulation(ctx, positionals, values.profile as string | undefined);
    const docs = sim.cluster.endpointSlices.map((s) => stringify(s.slice, { lineWidth: 0 }).trimEnd());
    ctx.out(docs.length ? docs.map((d) => `---\n${d}\n`).join('') : '# no EndpointSlices\n');
    return 0;
  },
};
