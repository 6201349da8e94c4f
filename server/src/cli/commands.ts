// Further CLI commands register here, one module each (rules, trace, dns, endpoints, reach, route,
// graph, explain). Each gets parsed arguments and a workspace loader; none touches process state.
import type { ParseArgsConfig } from 'node:util';
import type { loadWorkspace } from './load';

export interface CommandContext {
  parse(options: ParseArgsConfig['options']): { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  out(text: string): void;
  err(text: string): void;
  loadWorkspace: typeof loadWorkspace;
}

export interface Command {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  run(ctx: CommandContext): number | Promise<number>;
}

import { explainCommand } from './explain';
import { rulesCommand } from './rules';
import { traceCommand } from './trace';
import { dnsCommand } from './dns';
import { endpointsCommand } from './endpoints';
import { reachCommand } from './reach';
import { routeCommand } from './route';
import { graphCommand } from './graph';

export const COMMANDS: readonly Command[] = [explainCommand, rulesCommand, traceCommand, dnsCommand, endpointsCommand, reachCommand, routeCommand, graphCommand];
