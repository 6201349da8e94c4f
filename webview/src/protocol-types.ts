// The wire types the webview renders and posts, from the protocol (type-only: nothing of the
// server is bundled into the page).
export type {
  HostMessage,
  ProxyMode,
  RulesParams,
  RulesResult,
  SourceLocation,
  TopologyDns,
  TopologyEdge,
  TopologyModel,
  TopologyNode,
  TopologyProblem,
  TraceParams,
  TraceResult,
  TraceSource,
  WebviewMessage,
} from '../../server/src/protocol/topology';
