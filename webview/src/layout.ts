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
let fontFamily = '';
const widthCache = new Map<string, number>();

/** Text width in the page font (12px), cached. */
export function textWidth(text: string, bold = false): number {
  const key = (bold ? 'b' : 'n') + text;
  const cached = widthCache.get(key);
  if (cached !== undefined) return cached;
  if (measureCtx === undefined) {
    measureCtx = document.createElement('canvas').getContext('2d');
    fontFamily = getComputedStyle(document.body).fontFamily || 'sans-serif';
  }
  let w = text.length * 7;
  if (measureCtx) {
    const font = `${bold ? '600 ' : ''}12px ${fontFamily}`;
    if (measureCtx.font !== font) measureCtx.font = font;
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

type Elk = InstanceType<typeof ELK>;
let elkReady: Promise<Elk[]> | undefined;
/** Where ELK runs: a worker (its source from the page or the host) or, failing that, this page. */
export let elkEngine: 'worker' | 'page' | 'pending' = 'pending';

/**
 * Starts ELK as early as possible. With the worker source available (embedded in a standalone
 * page, or `data-elk-worker` naming the bundled file), ELK's large compiled code loads and warms
 * up in a worker while the page builds its picture (with four or more cores, two workers lay out
 * namespaces in parallel; on fewer, a second worker would only compete with the page); otherwise
 * ELK runs in the page.
 */
export function startElk(): Promise<Elk[]> {
  elkReady ??= (async () => {
    const source = await workerSource();
    if (source) {
      try {
        const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
        const count = (navigator.hardwareConcurrency || 1) >= 4 ? 2 : 1;
        const pool = await Promise.all(Array.from({ length: count }, (_, i) => workerElk(url, i === 0 ? adoptPrestarted() : undefined)));
        elkEngine = 'worker';
        return pool;
      } catch {
        // CSP without `worker-src blob:`, or no Worker: lay out in the page.
      }
    }
    elkEngine = 'page';
    return [new ELK()];
  })();
  return elkReady;
}

/** A worker a standalone page started before this bundle ran (see `kubeglass graph`), taken once. */
function adoptPrestarted(): Worker | undefined {
  const holder = window as unknown as { __kubeglassElkWorker?: Worker };
  const w = holder.__kubeglassElkWorker;
  holder.__kubeglassElkWorker = undefined;
  return w instanceof Worker ? w : undefined;
}

/** An ELK instance backed by a worker (a new one, or `prestarted`), warmed up by one small layout. */
async function workerElk(url: string, prestarted?: Worker): Promise<Elk> {
  let failed: (e: Error) => void = () => {};
  const failure = new Promise<never>((_, reject) => (failed = reject));
  const elk = new ELK({
    workerFactory: () => {
      const w = prestarted ?? new Worker(url);
      w.addEventListener('error', () => failed(new Error('the layout worker failed')));
      return w;
    },
  });
  await Promise.race([elk.layout(WARM_UP), failure, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 20000))]);
  return elk;
}

const WARM_UP: ElkNode = {
  id: 'warm-up',
  layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT' },
  children: [{ id: 'a', width: 10, height: 10 }, { id: 'b', width: 10, height: 10 }, { id: 'c', width: 10, height: 10 }],
  edges: [{ id: 'ab', sources: ['a'], targets: ['b'] }, { id: 'ac', sources: ['a'], targets: ['c'] }],
};

async function workerSource(): Promise<string | undefined> {
  const inline = document.getElementById('kubeglass-elk-worker');
  if (inline?.textContent) return inline.textContent;
  const url = document.body.dataset.elkWorker;
  if (!url) return undefined;
  try {
    const response = await fetch(url);
    return response.ok ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

const NAMESPACE_GAP = 36;

/**
 * The ELK layered layout of the visible graph. Every drawn edge stays inside one namespace
 * (Ingress backends, Service selectors and pod references never cross namespaces), so each
 * namespace is laid out on its own, which keeps ELK's work per call small, and the namespace
 * frames are stacked top to bottom. Policy edges may cross namespaces; they are an overlay
 * drawn over the result.
 */
export async function elkLayout(graph: VisibleGraph): Promise<Layout> {
  const pool = await startElk();
  const boxes = new Map<string, Box>();
  const edgeGeo = new Map<string, EdgeGeometry>();
  const groups = new Map<string, TopologyNode[]>();
  for (const n of graph.leaves) {
    const list = groups.get(n.parent) ?? [];
    list.push(n);
    groups.set(n.parent, list);
  }
  const edgesByGroup = new Map<string, TopologyEdge[]>();
  const parentOf = new Map(graph.leaves.map((n) => [n.id, n.parent]));
  for (const e of graph.edges) {
    const p = parentOf.get(e.from);
    if (p === undefined || p !== parentOf.get(e.to)) continue;
    const list = edgesByGroup.get(p) ?? [];
    list.push(e);
    edgesByGroup.set(p, list);
  }
  const labels = new Map(graph.edges.filter((e) => e.label).map((e) => [e.id, e.label]));
  let y = 0;
  let width = 0;
  performance.mark('kg-elk-start');
  const order = [...graph.namespaces.map((ns) => ns.id), ...(groups.has('') ? [''] : [])];
  // All requests at once, the biggest namespaces first, each to the least loaded instance: workers
  // answer back to back with no round trip in between, two of them in parallel.
  const load = pool.map(() => 0);
  const instance = new Map<string, Elk>();
  for (const groupId of [...order].sort((a, b) => (groups.get(b)?.length ?? 0) - (groups.get(a)?.length ?? 0))) {
    const i = load.indexOf(Math.min(...load));
    load[i] += (groups.get(groupId)?.length ?? 0) + 1;
    instance.set(groupId, pool[i]);
  }
  const results = await Promise.all(order.map((groupId) => layoutGroup(instance.get(groupId)!, groups.get(groupId) ?? [], edgesByGroup.get(groupId) ?? [], graph.sizes)));
  for (const [i, groupId] of order.entries()) {
    const out = results[i];
    const top = groupId ? NAMESPACE_TITLE + 6 : 0;
    const left = groupId ? 16 : 0;
    for (const c of out.children ?? []) boxes.set(c.id, { x: left + (c.x ?? 0), y: y + top + (c.y ?? 0), w: c.width ?? 0, h: c.height ?? 0 });
    for (const e of (out.edges ?? []) as ElkExtendedEdge[]) {
      const points: { x: number; y: number }[] = [];
      for (const sec of e.sections ?? []) {
        points.push({ x: left + sec.startPoint.x, y: y + top + sec.startPoint.y });
        for (const b of sec.bendPoints ?? []) points.push({ x: left + b.x, y: y + top + b.y });
        points.push({ x: left + sec.endPoint.x, y: y + top + sec.endPoint.y });
      }
      const label = labels.get(e.id);
      edgeGeo.set(e.id, { points, label: label ? placeLabel(points, labelSize(label)) : undefined });
    }
    const w = (out.width ?? 0) + 2 * left;
    const h = (out.height ?? 0) + top + (groupId ? 12 : 0);
    if (groupId) boxes.set(groupId, { x: 0, y, w, h });
    width = Math.max(width, w);
    y += h + NAMESPACE_GAP;
  }
  performance.mark('kg-elk-end');
  // Frames share the widest width, so the stack reads as one picture.
  for (const ns of graph.namespaces) {
    const b = boxes.get(ns.id);
    if (b) b.w = width;
  }
  addPodBoxes(graph, boxes);
  return { boxes, edges: edgeGeo, width, height: Math.max(0, y - NAMESPACE_GAP), provisional: false };
}

function layoutGroup(elk: Elk, members: readonly TopologyNode[], edges: readonly TopologyEdge[], sizes: VisibleGraph['sizes']): Promise<ElkNode> {
  // Edge labels are not given to ELK (label dummy nodes make layered layout several times
  // slower); the gap between layers is made wide enough for the widest label instead, and
  // `placeLabel` puts each label on its edge's longest horizontal run.
  const widest = Math.max(0, ...edges.map((e) => labelSize(e.label).w));
  const root: ElkNode = {
    id: '__root__',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': String(Math.round(Math.min(320, Math.max(60, widest + 36)))),
      'elk.spacing.nodeNode': '22',
      'elk.layered.spacing.edgeNodeBetweenLayers': '16',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.thoroughness': members.length > 12 ? '1' : '4',
      'elk.spacing.componentComponent': '30',
      'elk.padding': '[top=0,left=0,bottom=0,right=0]',
    },
    children: members.map((n) => ({ id: n.id, width: sizes.get(n.id)!.w, height: sizes.get(n.id)!.h })),
    edges: edges.map((e) => ({ id: e.id, sources: [e.from], targets: [e.to] })),
  };
  return elk.layout(root);
}

export function labelSize(label: string): { w: number; h: number } {
  const lines = label ? label.split('\n') : [];
  return { w: Math.max(0, ...lines.map((l) => textWidth(l) + 10)), h: lines.length * 14 + 4 };
}

/** A label box centred on the longest horizontal segment of a route (its middle when none is). */
export function placeLabel(points: readonly { x: number; y: number }[], size: { w: number; h: number }): Box | undefined {
  if (points.length < 2 || size.w === 0) return undefined;
  let best = -1;
  let bestLen = -1;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    if (Math.abs(a.y - b.y) > 0.5) continue;
    const len = Math.abs(b.x - a.x);
    if (len > bestLen) {
      bestLen = len;
      best = i;
    }
  }
  const a = best >= 0 ? points[best] : points[Math.floor((points.length - 1) / 2)];
  const b = best >= 0 ? points[best + 1] : points[Math.floor((points.length - 1) / 2) + 1];
  const cx = (a.x + b.x) / 2;
  return { x: cx - size.w / 2, y: a.y - size.h - 2, w: size.w, h: size.h };
}

function addPodBoxes(graph: VisibleGraph, boxes: Map<string, Box>): void {
  const leaves = new Map(graph.leaves.map((n) => [n.id, n]));
  for (const [groupId, pods] of graph.pods) {
    const g = boxes.get(groupId);
    if (!g || graph.collapsed.has(groupId)) continue;
    const group = leaves.get(groupId);
    if (!group) continue;
    for (const [id, b] of podBoxes(group, pods, g.w)) boxes.set(id, { x: g.x + b.x, y: g.y + b.y, w: b.w, h: b.h });
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}
