// The SVG picture of a laid-out graph: namespace frames, nodes (with problem badges), workload
// groups with their pods, edges with port-mapping labels, and the NetworkPolicy overlay.
// Elements are created once per model and moved when a layout arrives. Every text goes through
// `textContent`; ids travel in `data-id` attributes. Nodes and edges are focusable buttons.
import { s, clear } from './dom';
import type { TopologyEdge, TopologyNode, TopologyProblem } from './protocol-types';
import { detailLines, textWidth, LINE_H, TITLE_H, POD_W, type Box, type Layout, type VisibleGraph } from './layout';

export interface GraphCallbacks {
  select(kind: 'node' | 'edge', id: string): void;
  activate(kind: 'node' | 'edge', id: string): void;
  toggle(groupId: string): void;
}

const ROLE_TAG: Record<string, string> = {
  ingress: 'ING',
  service: 'SVC',
  workload: 'WL',
  pod: 'POD',
  config: 'CFG',
  namespace: 'NS',
};

export class GraphView {
  readonly root: SVGGElement;
  private readonly layers: Record<'namespaces' | 'edges' | 'nodes' | 'policies' | 'labels', SVGGElement>;
  private readonly nodeEls = new Map<string, SVGGElement>();
  private readonly edgeEls = new Map<string, SVGGElement>();
  /** The frame rect and problem badge of each node, sized and moved by `apply`. */
  private readonly frames = new Map<string, { rect: Element | null; badge: Element | null }>();
  private graph: VisibleGraph | undefined;
  private selected = '';
  private highlighted = '';

  constructor(
    readonly svg: SVGSVGElement,
    private readonly callbacks: GraphCallbacks,
  ) {
    svg.appendChild(defs());
    this.root = s('g', { class: 'viewport' }) as SVGGElement;
    svg.appendChild(this.root);
    const layer = (name: string) => this.root.appendChild(s('g', { class: `layer-${name}` })) as SVGGElement;
    this.layers = { namespaces: layer('namespaces'), edges: layer('edges'), nodes: layer('nodes'), policies: layer('policies'), labels: layer('labels') };
    svg.addEventListener('click', (ev) => this.onClick(ev));
    svg.addEventListener('dblclick', (ev) => this.onActivate(ev));
    svg.addEventListener('keydown', (ev) => {
      if (ev.key !== 'Enter' && ev.key !== ' ') return;
      const target = (ev.target as Element).closest('[data-id]');
      if (!target) return;
      ev.preventDefault();
      const kind = target.classList.contains('edge') ? 'edge' : 'node';
      const id = target.getAttribute('data-id')!;
      if (ev.key === ' ' && target.classList.contains('role-workload')) this.callbacks.toggle(id);
      else this.callbacks.activate(kind, id);
    });
  }

  /** Creates the elements of a graph (replacing the previous ones). */
  build(graph: VisibleGraph): void {
    this.graph = graph;
    for (const l of Object.values(this.layers)) clear(l);
    this.nodeEls.clear();
    this.edgeEls.clear();
    this.frames.clear();
    for (const ns of graph.namespaces) {
      const g = s('g', { class: 'ns', 'data-id': ns.id }, s('rect', { class: 'ns-frame', rx: 8 }), s('text', { class: 'ns-title', x: 12, y: 20 }, `namespace ${ns.name}`)) as SVGGElement;
      addProblems(g, ns.problems, 0);
      this.layers.namespaces.appendChild(g);
      this.nodeEls.set(ns.id, g);
      this.frames.set(ns.id, { rect: g.firstChild as Element, badge: g.querySelector(':scope > .badge') });
    }
    for (const n of graph.leaves) {
      const g = this.nodeElement(n, graph.sizes.get(n.id)!.w);
      this.layers.nodes.appendChild(g);
      this.nodeEls.set(n.id, g);
      this.frames.set(n.id, { rect: g.firstChild as Element, badge: g.querySelector(':scope > .badge') });
      if (n.role !== 'workload') continue;
      const pods = graph.pods.get(n.id) ?? [];
      if (graph.collapsed.has(n.id)) {
        if (pods.length) {
          const y = TITLE_H + detailLines(n).length * LINE_H + 14;
          g.appendChild(s('text', { class: 'more', x: 10, y }, `${pods.length} pod${pods.length === 1 ? '' : 's'} (collapsed)`));
        }
        continue;
      }
      const podLayer = s('g', { class: 'pods' });
      for (const p of pods) {
        const pg = this.podElement(p);
        podLayer.appendChild(pg);
        this.nodeEls.set(p.id, pg);
      }
      g.appendChild(podLayer);
    }
    for (const e of graph.edges) {
      const g = s('g', { class: `edge kind-${e.kind}`, 'data-id': e.id, tabindex: 0, role: 'button', 'aria-label': `${e.kind} ${e.from} to ${e.to}` }) as SVGGElement;
      g.appendChild(s('path', { class: 'hit' }));
      g.appendChild(s('path', { class: 'line', 'marker-end': 'url(#kg-arrow)' }));
      this.layers.edges.appendChild(g);
      this.edgeEls.set(e.id, g);
      if (e.label) {
        const lg = s('g', { class: `edge-label kind-${e.kind}`, 'data-edge': e.id });
        lg.appendChild(s('rect', { rx: 3 }));
        const t = s('text', {});
        e.label.split('\n').forEach((line, i) => t.appendChild(s('tspan', { x: 5, dy: i === 0 ? 12 : 14 }, line)));
        lg.appendChild(t);
        this.layers.labels.appendChild(lg);
      }
    }
    for (const e of graph.policyEdges) {
      const g = s('g', { class: `edge policy ${e.verdict ?? ''}`, 'data-id': e.id, tabindex: 0, role: 'button', 'aria-label': `${e.verdict} ${e.from} to ${e.to}` }) as SVGGElement;
      g.appendChild(s('path', { class: 'hit' }));
      g.appendChild(s('path', { class: 'line', 'marker-end': `url(#kg-arrow-${e.verdict === 'denied' ? 'denied' : 'allowed'})` }));
      this.layers.policies.appendChild(g);
      this.edgeEls.set(e.id, g);
    }
    this.restoreMarks();
  }

  /** Moves every element to its laid-out place and draws edges. */
  apply(layout: Layout): void {
    const graph = this.graph;
    if (!graph) return;
    for (const [id, el] of this.nodeEls) {
      const b = layout.boxes.get(id);
      if (!b) continue;
      const frame = this.frames.get(id);
      if (!frame) {
        // A pod: placed relative to its group.
        const parent = layout.boxes.get(el.getAttribute('data-group') ?? '');
        el.setAttribute('transform', `translate(${b.x - (parent?.x ?? 0)},${b.y - (parent?.y ?? 0)})`);
        continue;
      }
      el.setAttribute('transform', `translate(${b.x},${b.y})`);
      frame.rect?.setAttribute('width', String(b.w));
      frame.rect?.setAttribute('height', String(b.h));
      frame.badge?.setAttribute('transform', `translate(${b.w - 10},0)`);
    }
    for (const lg of Array.from(this.layers.labels.children)) {
      const geo = layout.edges.get(lg.getAttribute('data-edge') ?? '');
      (lg as SVGGElement).style.display = geo?.label ? '' : 'none';
      if (!geo?.label) continue;
      lg.setAttribute('transform', `translate(${geo.label.x},${geo.label.y})`);
      const r = lg.querySelector('rect')!;
      r.setAttribute('width', String(geo.label.w));
      r.setAttribute('height', String(geo.label.h));
    }
    for (const e of graph.edges) {
      const el = this.edgeEls.get(e.id);
      const geo = layout.edges.get(e.id);
      if (!el) continue;
      const d = geo && geo.points.length >= 2 ? pathOf(geo.points) : '';
      el.style.display = d ? '' : 'none';
      for (const p of Array.from(el.querySelectorAll('path'))) p.setAttribute('d', d);
    }
    for (const e of graph.policyEdges) {
      const el = this.edgeEls.get(e.id);
      const a = layout.boxes.get(e.from);
      const b = layout.boxes.get(e.to);
      if (!el) continue;
      const d = a && b ? curveBetween(a, b) : '';
      el.style.display = d ? '' : 'none';
      for (const p of Array.from(el.querySelectorAll('path'))) p.setAttribute('d', d);
    }
  }

  select(id: string): void {
    this.selected = id;
    this.restoreMarks();
  }

  highlight(id: string): void {
    this.highlighted = id;
    this.restoreMarks();
  }

  /** Dims what `keep` rejects (search results stay bright). `undefined` clears. */
  dim(keep: ((id: string) => boolean) | undefined): void {
    for (const [id, el] of this.nodeEls) el.classList.toggle('dimmed', keep !== undefined && !keep(id));
  }

  /**
   * The tooltip text for the element under the pointer: a badge lists its node's problems, a node
   * its kind, details and labels, an edge its ends and label. One shared tooltip element shows it
   * (no <title> per element: thousands of pods would mean thousands more DOM nodes).
   */
  describe(target: Element): string | undefined {
    const graph = this.graph;
    if (!graph) return undefined;
    const label = target.closest('[data-edge]');
    const el = label ? this.edgeEls.get(label.getAttribute('data-edge') ?? '') : target.closest('[data-id]');
    const id = el?.getAttribute('data-id');
    if (!el || !id) return undefined;
    if (el.classList.contains('edge')) {
      const e = graph.edges.find((x) => x.id === id) ?? graph.policyEdges.find((x) => x.id === id);
      if (!e) return undefined;
      const head = e.kind === 'policy' ? `${e.verdict === 'denied' ? 'denied' : 'allowed'}: ` : '';
      return `${head}${e.from} → ${e.to}${e.label ? '\n' + e.label : ''}${e.policies?.length ? '\npolicies: ' + e.policies.join(', ') : ''}`;
    }
    const node = this.nodeById(id);
    if (!node) return undefined;
    if (target.closest('.badge')) return node.problems.map((p) => `${p.severity} ${p.code}: ${p.message}`).join('\n');
    return tooltip(node);
  }

  private nodeById(id: string): TopologyNode | undefined {
    const graph = this.graph!;
    const group = this.nodeEls.get(id)?.getAttribute('data-group');
    if (group) return graph.pods.get(group)?.find((p) => p.id === id);
    return graph.leaves.find((n) => n.id === id) ?? graph.namespaces.find((n) => n.id === id);
  }

  element(id: string): SVGGElement | undefined {
    return this.nodeEls.get(id) ?? this.edgeEls.get(id);
  }

  private restoreMarks(): void {
    for (const el of this.root.querySelectorAll('.selected, .highlighted')) el.classList.remove('selected', 'highlighted');
    this.element(this.selected)?.classList.add('selected');
    this.element(this.highlighted)?.classList.add('highlighted');
  }

  private nodeElement(n: TopologyNode, width: number): SVGGElement {
    const g = s('g', {
      class: `node role-${n.role}${this.graph?.collapsed.has(n.id) ? ' collapsed' : ''}`,
      'data-id': n.id,
      tabindex: 0,
      role: 'button',
      'aria-label': `${n.kind} ${n.namespace ? n.namespace + '/' : ''}${n.name}${n.problems.length ? `, ${n.problems.length} problem(s)` : ''}`,
    }) as SVGGElement;
    g.appendChild(s('rect', { class: 'body', rx: 5 }));
    g.appendChild(s('rect', { class: 'stripe', width: 4, height: TITLE_H - 6, x: 0, y: 3, rx: 2 }));
    const title = s('text', { class: 'title', x: n.role === 'workload' ? 26 : 10, y: 16 });
    title.appendChild(s('tspan', { class: 'kind' }, `${ROLE_TAG[n.role] === 'WL' ? n.kind : n.kind} `));
    title.appendChild(s('tspan', { class: 'name' }, fit(n.name, width - 90)));
    g.appendChild(title);
    if (n.role === 'workload') {
      const collapsed = this.graph?.collapsed.has(n.id);
      g.appendChild(s('path', { class: 'toggle', d: collapsed ? 'M10 7 L16 12 L10 17 Z' : 'M8 9 L18 9 L13 15 Z', 'data-toggle': n.id }));
    }
    detailLines(n).forEach((line, i) => g.appendChild(s('text', { class: 'detail', x: 10, y: TITLE_H + 10 + i * LINE_H }, fit(line, width - 20))));
    addProblems(g, n.problems, width - 10);
    return g;
  }

  private podElement(p: TopologyNode): SVGGElement {
    const g = s('g', {
      class: 'node pod role-pod',
      'data-id': p.id,
      'data-group': p.parent,
      tabindex: 0,
      role: 'button',
      'aria-label': `Pod ${p.namespace}/${p.name}`,
    }) as SVGGElement;
    // Pod cards share one clip path instead of measuring thousands of names for an ellipsis;
    // the tooltip and the Details pane show the full name.
    g.appendChild(s('rect', { class: 'body', rx: 4, width: POD_W, height: 38 }));
    g.appendChild(s('text', { class: 'title', x: 8, y: 15, 'clip-path': 'url(#kg-pod-clip)' }, p.name));
    // StatefulSet pods show their stable DNS name (`db-0.db.shop.svc…`), other pods IP and node.
    const stable = p.pod && p.pod.ordinal >= 0 ? p.pod.dnsNames.find((d) => d.startsWith(`${p.name}.`)) : undefined;
    const second = stable ?? (p.pod ? `${p.pod.ips[0] ?? 'no IP'}${p.pod.node ? ' · ' + p.pod.node : ''}` : '');
    g.appendChild(s('text', { class: 'detail', x: 8, y: 30, 'clip-path': 'url(#kg-pod-clip)' }, second));
    addProblems(g, p.problems, POD_W - 8);
    return g;
  }

  private onClick(ev: MouseEvent): void {
    const t = ev.target as Element;
    const toggle = t.closest('[data-toggle]');
    if (toggle) {
      this.callbacks.toggle(toggle.getAttribute('data-toggle')!);
      return;
    }
    const label = t.closest('[data-edge]');
    const el = label ? this.edgeEls.get(label.getAttribute('data-edge')!) : t.closest('[data-id]');
    if (!el) return;
    const kind = el.classList.contains('edge') ? 'edge' : 'node';
    this.callbacks.select(kind, el.getAttribute('data-id')!);
  }

  private onActivate(ev: MouseEvent): void {
    const el = (ev.target as Element).closest('[data-id]');
    if (el?.classList.contains('role-workload') && !(ev.target as Element).closest('.pod')) this.callbacks.toggle(el.getAttribute('data-id')!);
  }
}

function defs(): SVGElement {
  const marker = (id: string, cls: string) =>
    s('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M0 0 L10 5 L0 10 z', class: cls }));
  return s('defs', {},
    marker('kg-arrow', 'arrow'), marker('kg-arrow-allowed', 'arrow allowed'), marker('kg-arrow-denied', 'arrow denied'),
    s('clipPath', { id: 'kg-pod-clip', clipPathUnits: 'userSpaceOnUse' }, s('rect', { x: 4, y: 0, width: POD_W - 10, height: 38 })));
}

function addProblems(g: SVGGElement, problems: readonly TopologyProblem[], x: number): void {
  if (problems.length === 0) return;
  const worst = problems.some((p) => p.severity === 'error') ? 'error' : problems.some((p) => p.severity === 'warning') ? 'warning' : 'info';
  g.classList.add(`has-${worst}`);
  const badge = s('g', { class: `badge ${worst}`, transform: `translate(${x},0)` });
  badge.appendChild(s('circle', { r: 9, cx: 0, cy: 0 }));
  badge.appendChild(s('text', { x: 0, y: 4, 'text-anchor': 'middle' }, String(problems.length)));
  g.appendChild(badge);
}

function tooltip(n: TopologyNode): string {
  const lines = [`${n.kind} ${n.namespace ? n.namespace + '/' : ''}${n.name}`, ...n.details];
  const labels = Object.entries(n.labels);
  if (labels.length) lines.push('labels: ' + labels.map(([k, v]) => `${k}=${v}`).join(', '));
  for (const p of n.problems) lines.push(`${p.severity}: ${p.message}`);
  return lines.join('\n');
}

/** Cuts `text` with an ellipsis to fit `width` pixels. */
export function fit(text: string, width: number): string {
  const full = textWidth(text);
  if (full <= width) return text;
  // Start from the proportional cut, then search the few characters around it.
  const guess = Math.floor((text.length * width) / full);
  let lo = Math.max(0, guess - 4);
  let hi = Math.min(text.length, guess + 1);
  if (lo > 0 && textWidth(text.slice(0, lo) + '…') > width) lo = 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (textWidth(text.slice(0, mid) + '…') <= width) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo) + '…';
}

function pathOf(points: readonly { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
}

/**
 * A curve between two boxes, leaving and entering on the sides that face each other: right to
 * left when `b` lies to the right of `a`, left to right when to the left, else bottom to top (or
 * top to bottom) for boxes stacked in one column.
 */
function curveBetween(a: Box, b: Box): string {
  if (b.x >= a.x + a.w || b.x + b.w <= a.x) {
    const forward = b.x >= a.x + a.w;
    const ax = forward ? a.x + a.w : a.x;
    const bx = forward ? b.x : b.x + b.w;
    const ay = a.y + a.h / 2;
    const by = b.y + b.h / 2;
    const dx = (forward ? 1 : -1) * Math.max(40, Math.abs(bx - ax) / 2);
    return `M${ax} ${ay} C${ax + dx} ${ay} ${bx - dx} ${by} ${bx} ${by}`;
  }
  const down = b.y >= a.y;
  const ax = a.x + a.w / 2;
  const bx = b.x + b.w / 2;
  const ay = down ? a.y + a.h : a.y;
  const by = down ? b.y : b.y + b.h;
  const dy = (down ? 1 : -1) * Math.max(30, Math.abs(by - ay) / 2);
  return `M${ax} ${ay} C${ax} ${ay + dy} ${bx} ${by - dy} ${bx} ${by}`;
}

export type { TopologyEdge };
