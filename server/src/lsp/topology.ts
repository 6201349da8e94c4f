// The topology panel's requests: `kubeglass/topology` (the model), `kubeglass/rules` (kube-proxy
// rules of one mode and node, optionally for one Service) and `kubeglass/trace` (a packet trace).
// Each is a thin conversion of an engine query in the server's guard. The simulation is memoised
// for the current workspace revision and profile, so rules and traces after a model cost no
// second simulation; an edit (new revision) drops it.
import type { ServerState } from './server';
import {
  RULES_METHOD,
  TOPOLOGY_METHOD,
  TRACE_METHOD,
  TOPOLOGY_SCHEMA_VERSION,
  type RulesParams,
  type RulesResult,
  type TopologyModel,
  type TopologyParams,
  type TraceParams,
  type TraceResult,
} from '../protocol/topology';
import { toRulesResult, toTopologyModel, toTraceResult } from '../protocol/topology-convert';
import { buildTopology, simulateForTopology, topologyRules, topologyTrace, type TopologySimulation } from '../engine/ide/topology';
import { parseProfile, type ClusterProfile } from '../engine/simulate/profile';

const MODES = new Set(['iptables', 'nftables', 'ipvs']);

export function registerTopology(state: ServerState): void {
  const { connection, workspace, guard } = state;
  let memo: { revision: number; profileKey: string; profile: ClusterProfile; sim: TopologySimulation } | undefined;

  const simulation = (): { profile: ClusterProfile; sim: TopologySimulation } => {
    const setting = (state as { profileSetting?: () => unknown }).profileSetting?.();
    const profileKey = JSON.stringify(setting ?? null);
    if (!memo || memo.revision !== workspace.revision || memo.profileKey !== profileKey) {
      const { profile, problems } = parseProfile(setting);
      for (const p of problems) connection.console.warn(`profile: ${p}`);
      memo = { revision: workspace.revision, profileKey, profile, sim: simulateForTopology(workspace, profile) };
    }
    return memo;
  };
  const positionOf = (uri: string, offset: number) => workspace.lineIndex(uri).position(offset);

  connection.onRequest(TOPOLOGY_METHOD, (params: TopologyParams | undefined): TopologyModel =>
    guard('topology', undefined, emptyModel(workspace.revision), () => {
      const { profile, sim } = simulation();
      const graph = buildTopology(workspace, { profile, includeConfig: params?.includeConfig !== false, simulation: sim });
      return toTopologyModel(graph, positionOf);
    }),
  );

  connection.onRequest(RULES_METHOD, (params: RulesParams): RulesResult | null =>
    guard('rules', undefined, null, () => {
      if (!params || !MODES.has(params.mode)) return null;
      return toRulesResult(topologyRules(simulation().sim, params.mode, String(params.node ?? ''), String(params.service ?? '')));
    }),
  );

  connection.onRequest(TRACE_METHOD, (params: TraceParams): TraceResult | null =>
    guard('trace', undefined, null, () => {
      if (!params || !MODES.has(params.mode) || !params.source || !params.destination) return null;
      return toTraceResult(topologyTrace(simulation().sim, params));
    }),
  );
}

function emptyModel(revision: number): TopologyModel {
  return {
    schemaVersion: TOPOLOGY_SCHEMA_VERSION,
    revision,
    nodes: [],
    edges: [],
    dns: {},
    cluster: { clusterDomain: 'cluster.local', nodes: [], defaultNode: '', defaultMode: 'iptables' },
    notes: ['Kubeglass could not build the topology; see the Kubeglass output channel'],
  };
}
