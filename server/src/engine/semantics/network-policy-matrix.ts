// Text matrix of NetworkPolicy reachability, laid out like the Kubernetes e2e netpol report
// (spec g.5): one block per port/protocol, rows are sources, columns destinations, `.` allowed,
// `X` denied, `?` not probed (e.g. external to external). The top-left cell is `-`.
// Owns only layout; verdicts come from `network-policy-reach.ts`. Columns are padded with
// spaces to the widest label so the text lines up in a terminal; output is deterministic
// (endpoint order as given, ports by number then protocol).
import type { ReachPair } from './network-policy-reach';

export type MatrixOptions = {
  /** Row/column order; defaults to the order endpoints first appear in `pairs`. */
  readonly endpoints?: readonly string[];
};

/** Renders every port/protocol in `pairs` as its own block, blocks separated by a blank line. */
export function renderReachMatrix(pairs: readonly ReachPair[], options: MatrixOptions = {}): string {
  const endpoints = options.endpoints ?? firstAppearance(pairs);
  const groups = new Map<string, { port: number; protocol: string; cells: Map<string, boolean> }>();
  for (const p of pairs) {
    const key = `${p.port}/${p.protocol}`;
    let group = groups.get(key);
    if (!group) {
      group = { port: p.port, protocol: p.protocol, cells: new Map() };
      groups.set(key, group);
    }
    group.cells.set(cellKey(p.from, p.to), p.allowed);
  }
  const ordered = [...groups.values()].sort((a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0));
  return ordered.map((g) => renderBlock(`${g.protocol}/${g.port}`, endpoints, g.cells)).join('\n\n');
}

function renderBlock(title: string, endpoints: readonly string[], cells: ReadonlyMap<string, boolean>): string {
  const width = Math.max(1, ...endpoints.map((e) => e.length));
  const pad = (s: string) => s.padEnd(width);
  const lines = [title, ['-', ...endpoints].map(pad).join(' ').trimEnd()];
  for (const from of endpoints) {
    const marks = endpoints.map((to) => {
      const allowed = cells.get(cellKey(from, to));
      return allowed === undefined ? '?' : allowed ? '.' : 'X';
    });
    lines.push([from, ...marks].map(pad).join(' ').trimEnd());
  }
  return lines.join('\n');
}

function cellKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

function firstAppearance(pairs: readonly ReachPair[]): string[] {
  const seen = new Set<string>();
  for (const p of pairs) {
    seen.add(p.from);
    seen.add(p.to);
  }
  return [...seen];
}
