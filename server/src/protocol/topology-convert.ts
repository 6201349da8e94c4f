// Converters from the engine's topology results (offsets) to the wire types of protocol/topology.ts
// (line/character ranges). Used by the adapters (LSP, CLI); the client and the webview never load it.
import type { TopologyGraph, GraphSpan, GraphRulesResult, GraphTraceResult } from '../engine/ide/topology';
import { TOPOLOGY_SCHEMA_VERSION, type Position, type RulesResult, type SourceLocation, type TopologyModel, type TraceResult } from './topology';

/** What the converters need from the workspace: a position for an offset in a file. */
export type PositionOf = (uri: string, offset: number) => Position;

export function toSourceLocation(span: GraphSpan | null, positionOf: PositionOf): SourceLocation | null {
  if (span === null) return null;
  return { uri: span.uri, range: { start: positionOf(span.uri, span.start), end: positionOf(span.uri, span.end) } };
}

/** The wire model of an engine topology graph. */
export function toTopologyModel(graph: TopologyGraph, positionOf: PositionOf): TopologyModel {
  const loc = (s: GraphSpan | null) => toSourceLocation(s, positionOf);
  return {
    schemaVersion: TOPOLOGY_SCHEMA_VERSION,
    revision: graph.revision,
    nodes: graph.nodes.map((n) => {
      const { source, extent, problems, ...rest } = n;
      return {
        ...rest,
        source: loc(source),
        extent: loc(extent),
        problems: problems.map((p) => ({ severity: p.severity, code: p.code, message: p.message, location: loc(p.span)! })),
      };
    }),
    edges: graph.edges.map((e) => ({ ...e, source: loc(e.source) })),
    dns: graph.dns,
    cluster: graph.cluster,
    notes: graph.notes,
  };
}

export function toRulesResult(r: GraphRulesResult): RulesResult {
  return { mode: r.mode, node: r.node, text: r.text, notes: r.notes };
}

export function toTraceResult(r: GraphTraceResult): TraceResult {
  return r;
}
