// Layout of the visible graph. ELK's layered algorithm (left to right, namespaces as compound
// nodes, edges across namespaces routed by ELK) places Ingresses, Services, workload groups,
// bare pods and config objects; pods inside a workload group sit in a grid the group's size
// was computed for, so ELK never sees thousands of unconnected pod boxes.
// A provisional layout (columns per role) gives a first picture while ELK runs.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { TopologyEdge, TopologyNode } from './protocol-types';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface EdgeGeometry {
  points: { x: number; y: number }[];
  label?: Box;
}

export interface Layout {
  /** Absolute boxes of every drawn node (namespaces, groups, pods, leaves). */
  readonly boxes: Map<string, Box>;
  readonly edges: Map<string, EdgeGeometry>;
  readonly width: number;
  readonly height: number;
  readonly provisional: boolean;
}

/** What is drawn: visible nodes by role, with each group's pods. */
export interface VisibleGraph {
  readonly namespaces: TopologyNode[];
  /** Ingresses, Services, workload groups, bare pods, config objects. */
  readonly leaves: TopologyNode[];
  /** Workload id -> its pods (ordinal order for StatefulSets, else by name). */
  readonly pods: Map<string, TopologyNode[]>;
  readonly collapsed: ReadonlySet<string>;
  /** Edges between visible leaves (policy edges excluded). */
  readonly edges: TopologyEdge[];
  readonly policyEdges: TopologyEdge[];
  readonly sizes: Map<string, { w: number; h: number }>;
}

export const POD_W = 176;
export const POD_H = 38;
export const POD_GAP = 6;
export const GROUP_PAD = 10;
export const LINE_H = 15;
export const TITLE_H = 24;
const MAX_DETAIL_LINES = 6;
const NAMESPACE_TITLE = 30;

let measureCtx: CanvasRenderingContext2D | null | undefined;
const widthCache = new Map<string, number>();

/** Text width in the page font (12px), cached. */
export function textWidth(text: string, bold = false): number {
  const key = (bold ? 'b' : 'n') + text;
  const cached = widthCache.get(key);
  if (cached !== undefined) return cached;
  if (measureCtx === undefined) {
    measureCtx = document.createElement('canvas').getContext('2d');
  }
  let w = text.length * 7;
  if (measureCtx) {
    const family = getComputedStyle(document.body).fontFamily || 'sans-serif';
    measureCtx.font = `${bold ? '600 ' : ''}12px ${family}`;
    w = measureCtx.measureText(text).width;
  }
  if (widthCache.size > 50_000) widthCache.clear();
  widthCache.set(key, w);
  return w;
}

export function detailLines(n: TopologyNode): string[] {
  return n.details.slice(0, MAX_DETAIL_LINES);
}

/** Grid columns for a group of `n` pods: a few columns, growing with the square root. */
export function podColumns(n: number): number {
  if (n <= 3) return Math.max(1, n);
  return Math.min(8, Math.ceil(Math.sqrt(n * 1.5)));
}

/** Sizes of every leaf (groups include their pod grid, or only their header when collapsed). */
export function measure(graph: Omit<VisibleGraph, 'sizes'>): Map<string, { w: number; h: number }> {
  const sizes = new Map<string, { w: number; h: number }>();
  for (const n of graph.leaves) {
    const lines = detailLines(n);
    const textW = Math.max(textWidth(`${n.kind} ${n.name}`, true) + 30, ...lines.map((l) => textWidth(l) + 20));
    const headerH = TITLE_H + lines.length * LINE_H + 6;
    if (n.role === 'workload') {
      const pods = graph.pods.get(n.id) ?? [];
      if (graph.collapsed.has(n.id) || pods.length === 0) {
        sizes.set(n.id, { w: clamp(textW + 20, 200, 420), h: headerH + (pods.length ? LINE_H + 6 : 0) });
        continue;
      }
      const cols = podColumns(pods.length);
      const rows = Math.ceil(pods.length / cols);
      const gridW = cols * (POD_W + POD_GAP) - POD_GAP + 2 * GROUP_PAD;
      sizes.set(n.id, { w: Math.max(clamp(textW + 20, 200, 420), gridW), h: headerH + rows * (POD_H + POD_GAP) + GROUP_PAD });
      continue;
    }
    sizes.set(n.id, { w: clamp(textW, 170, 360), h: headerH });
  }
  return sizes;
}

/** Pod boxes relative to their group's top-left corner. */
export function podBoxes(group: TopologyNode, pods: readonly TopologyNode[], width: number): Map<string, Box> {
  const out = new Map<string, Box>();
  const headerH = TITLE_H + detailLines(group).length * LINE_H + 6;
  const cols = podColumns(pods.length);
  const gridW = cols * (POD_W + POD_GAP) - POD_GAP;
  const left = Math.max(GROUP_PAD, (width - gridW) / 2);
  pods.forEach((p, i) => {
    out.set(p.id, { x: left + (i % cols) * (POD_W + POD_GAP), y: headerH + Math.floor(i / cols) * (POD_H + POD_GAP), w: POD_W, h: POD_H });
  });
  return out;
}

const ROLE_COLUMN: Record<string, number> = { ingress: 0, service: 1, workload: 2, pod: 2, config: 3 };

/** Columns per role inside each namespace, namespaces stacked: instant, no edge routing. */
export function provisionalLayout(graph: VisibleGraph): Layout {
  const boxes = new Map<string, Box>();
  let y = 0;
  let width = 0;
  const colW = [260, 300, 0, 260];
  for (const n of graph.leaves) {
    const size = graph.sizes.get(n.id)!;
    const c = ROLE_COLUMN[n.role] ?? 2;
    colW[c] = Math.max(colW[c], size.w + 60);
  }
  const colX = [0, colW[0], colW[0] + colW[1], colW[0] + colW[1] + colW[2]];
  for (const ns of graph.namespaces) {
    const heights = [0, 0, 0, 0];
    const members = graph.leaves.filter((n) => n.parent === ns.id);
    for (const n of members) {
      const size = graph.sizes.get(n.id)!;
      const c = ROLE_COLUMN[n.role] ?? 2;
      boxes.set(n.id, { x: 20 + colX[c], y: y + NAMESPACE_TITLE + heights[c], w: size.w, h: size.h });
      heights[c] += size.h + 20;
    }
    const h = NAMESPACE_TITLE + Math.max(40, ...heights) + 10;
    const w = colX[3] + colW[3] + 20;
    boxes.set(ns.id, { x: 0, y, w, h });
    width = Math.max(width, w);
    y += h + 30;
  }
  addPodBoxes(graph, boxes);
  return { boxes, edges: new Map(), width, height: y, provisional: true };
}

let elk: InstanceType<typeof ELK> | undefined;

/** The ELK layered layout of the visible graph. */
export async function elkLayout(graph: VisibleGraph): Promise<Layout> {
  elk ??= new ELK();
  const labelSize = (label: string) => {
    const lines = label ? label.split('\n') : [];
    return { w: Math.max(0, ...lines.map((l) => textWidth(l) + 10)), h: lines.length * 14 + 4 };
  };
  const children: ElkNode[] = graph.namespaces.map((ns) => ({
    id: ns.id,
    layoutOptions: { 'elk.padding': `[top=${NAMESPACE_TITLE + 6},left=16,bottom=16,right=16]` },
    children: graph.leaves
      .filter((n) => n.parent === ns.id)
      .map((n) => ({ id: n.id, width: graph.sizes.get(n.id)!.w, height: graph.sizes.get(n.id)!.h })),
  }));
  // Leaves outside any namespace (cluster-scoped objects) sit at the top level.
  for (const n of graph.leaves) {
    if (n.parent === '') children.push({ id: n.id, width: graph.sizes.get(n.id)!.w, height: graph.sizes.get(n.id)!.h });
  }
  const edges: ElkExtendedEdge[] = graph.edges.map((e) => {
    const size = labelSize(e.label);
    return {
      id: e.id,
      sources: [e.from],
      targets: [e.to],
      labels: e.label ? [{ text: e.label, width: size.w, height: size.h }] : [],
    };
  });
  const root: ElkNode = {
    id: '__root__',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '60',
      'elk.spacing.nodeNode': '22',
      'elk.spacing.edgeLabel': '4',
      'elk.layered.spacing.edgeNodeBetweenLayers': '20',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.spacing.componentComponent': '40',
      'elk.padding': '[top=10,left=10,bottom=10,right=10]',
    },
    children,
    edges,
  };
  const out = await elk.layout(root);
  const boxes = new Map<string, Box>();
  const walk = (node: ElkNode, dx: number, dy: number) => {
    for (const c of node.children ?? []) {
      const x = dx + (c.x ?? 0);
      const y = dy + (c.y ?? 0);
      boxes.set(c.id, { x, y, w: c.width ?? 0, h: c.height ?? 0 });
      walk(c, x, y);
    }
  };
  walk(out, 0, 0);
  const edgeGeo = new Map<string, EdgeGeometry>();
  const collect = (node: ElkNode) => {
    for (const e of (node.edges ?? []) as (ElkExtendedEdge & { container?: string })[]) {
      const origin = e.container && e.container !== '__root__' ? boxes.get(e.container) : undefined;
      const ox = origin?.x ?? 0;
      const oy = origin?.y ?? 0;
      const points: { x: number; y: number }[] = [];
      for (const sec of e.sections ?? []) {
        points.push({ x: sec.startPoint.x + ox, y: sec.startPoint.y + oy });
        for (const b of sec.bendPoints ?? []) points.push({ x: b.x + ox, y: b.y + oy });
        points.push({ x: sec.endPoint.x + ox, y: sec.endPoint.y + oy });
      }
      const l = e.labels?.[0];
      edgeGeo.set(e.id, {
        points,
        label: l && l.x !== undefined ? { x: (l.x ?? 0) + ox, y: (l.y ?? 0) + oy, w: l.width ?? 0, h: l.height ?? 0 } : undefined,
      });
    }
    for (const c of node.children ?? []) collect(c);
  };
  collect(out);
  addPodBoxes(graph, boxes);
  return { boxes, edges: edgeGeo, width: out.width ?? 0, height: out.height ?? 0, provisional: false };
}

function addPodBoxes(graph: VisibleGraph, boxes: Map<string, Box>): void {
  for (const [groupId, pods] of graph.pods) {
    const g = boxes.get(groupId);
    if (!g || graph.collapsed.has(groupId)) continue;
    const group = graph.leaves.find((n) => n.id === groupId);
    if (!group) continue;
    for (const [id, b] of podBoxes(group, pods, g.w)) boxes.set(id, { x: g.x + b.x, y: g.y + b.y, w: b.w, h: b.h });
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}
