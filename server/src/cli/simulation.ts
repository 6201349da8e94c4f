// Loading a workspace and a cluster profile for the simulator commands. The profile comes from
// `--profile FILE` (our format, or an upstream kube-proxy test `config.json` as is), else the
// `profile:` key of `.kubeglass.yaml`, else the default 3-node kind-like cluster.
import * as fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseProfile, type ClusterProfile } from '../engine/simulate/profile';
import { simulateWorkspace } from '../engine/simulate/workspace-simulation';
import type { SimulatedCluster } from '../engine/simulate/sim-cluster';
import type { CommandContext } from './commands';
import type { LoadedWorkspace } from './load';
import { UsageError } from './usage-error';

export interface LoadedSimulation {
  readonly loaded: LoadedWorkspace;
  readonly profile: ClusterProfile;
  readonly cluster: SimulatedCluster;
}

export function loadSimulation(ctx: CommandContext, paths: readonly string[], profileFile: string | undefined): LoadedSimulation {
  const loaded = ctx.loadWorkspace(paths.length ? paths : ['.']);
  for (const e of loaded.errors) ctx.err(`kubeglass: ${e}\n`);
  let raw: unknown = loaded.settings.profile;
  if (profileFile !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(profileFile, 'utf8');
    } catch (err) {
      throw new UsageError(`--profile ${profileFile}: ${(err as Error).message}`);
    }
    try {
      raw = parseYaml(text);
    } catch (err) {
      throw new UsageError(`--profile ${profileFile}: not YAML or JSON: ${(err as Error).message}`);
    }
  }
  const { profile, problems } = parseProfile(raw);
  for (const p of problems) ctx.err(`kubeglass: profile: ${p}\n`);
  const isProxyTestConfig = isKubeProxyTestConfig(raw);
  const cluster = simulateWorkspace(loaded.workspace.objects(), {
    profile,
    defaultNamespace: loaded.workspace.getOptions().defaultNamespace,
    includeBuiltins: !isProxyTestConfig,
    servicesAsWritten: isProxyTestConfig,
  });
  return { loaded, profile, cluster };
}

/** An upstream kube-proxy vector's config.json describes one proxier, not a cluster: no built-in Services. */
function isKubeProxyTestConfig(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && 'backend' in raw && 'nodeName' in raw;
}

/** `NS/NAME` (or `NAME` in the default namespace). */
export function parseNamespacedName(text: string, flag: string, defaultNamespace = 'default'): { namespace: string; name: string } {
  const parts = text.split('/');
  if (parts.length === 1 && parts[0]) return { namespace: defaultNamespace, name: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { namespace: parts[0], name: parts[1] };
  throw new UsageError(`${flag} must be NAMESPACE/NAME, not "${text}"`);
}

/** A port number flag (`--port N`): an integer in 1-65535. */
export function portFlag(value: unknown, flag: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`${flag} must be 1-65535, not "${String(value)}"`);
  return port;
}

/** A flag with a fixed set of values; `fallback` when absent. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be ${allowed.join(', ')}; got "${String(value)}"`);
}
