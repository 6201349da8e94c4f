// The topology view: renders a `TopologyModel` it receives as JSON and posts back intents
// (`reveal`, rules and trace requests, exports). Toolbar: search (`key=value` matches labels),
// namespace and kind filters, config and NetworkPolicy toggles, fit/zoom, export. Live updates
// keep zoom, selection, collapsed groups and filters. View state survives reloads through the
// host's getState/setState.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import './styles.css';
import { h, s, clear, icon } from './dom';
import { createHost, type Host, type ViewState } from './host';
import { elkEngine, elkLayout, measure, provisionalLayout, startElk, type Layout, type VisibleGraph } from './layout';
import { GraphView } from './render';
import { Viewport, type Transform } from './viewport';
import { Panes } from './panes';
import { exportPng, exportSvg } from './export';
import type { HostMessage, ProxyMode, SourceLocation, TopologyModel, TopologyNode } from './protocol-types';

/** Groups with more pods than this start collapsed. */
const COLLAPSE_ABOVE = 60;

class App {
  private model: TopologyModel | undefined;
  private byId = new Map<string, TopologyNode>();
  private graph: VisibleGraph | undefined;
  private layout: Layout | undefined;
  private layoutToken = 0;
  private collapsed = new Set<string>();
  private expanded = new Set<string>();
  private selected = '';
  private namespace = '';
  private kind = '';
  private search = '';
  private showConfig = true;
  private showPolicies = true;
  private firstModel = true;
  private readonly view: GraphView;
  private readonly viewport: Viewport;
  private readonly panes: Panes;
  private readonly svg: SVGSVGElement;
  private readonly nsSelect: HTMLElement & { value: string };
  private readonly kindSelect: HTMLElement & { value: string };
  private readonly searchField: HTMLElement & { value: string };
  private readonly status = h('div', { class: 'status', role: 'status' });
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private restoredTransform: Transform | undefined;

  constructor(private readonly host: Host) {
    const saved = host.getState();
    this.svg = s('svg', { class: 'graph', role: 'application', 'aria-label': 'Topology graph', tabindex: 0 }) as SVGSVGElement;
    this.view = new GraphView(this.svg, {
      select: (kind, id) => this.select(id, kind === 'edge'),
      activate: (kind, id) => {
        this.select(id, kind === 'edge');
        this.revealSelected();
      },
      toggle: (id) => this.toggle(id),
    });
    this.viewport = new Viewport(this.svg, this.view.root, () => this.saveState());
    this.panes = new Panes(host, {
      reveal: (ref, location) => this.reveal(ref, location),
      select: (id) => this.select(id, false, true),
      modeChanged: () => this.saveState(),
    });
    this.searchField = h('vscode-textfield', { id: 'search', placeholder: 'Search names, or label=value', 'aria-label': 'Search' }, icon('search')) as HTMLElement & { value: string };
    this.searchField.setAttribute('slot', '');
    this.nsSelect = h('vscode-single-select', { id: 'filter-namespace', 'aria-label': 'Namespace filter' }) as HTMLElement & { value: string };
    this.kindSelect = h('vscode-single-select', { id: 'filter-kind', 'aria-label': 'Kind filter' }) as HTMLElement & { value: string };
    const configBox = h('vscode-checkbox', { id: 'show-config', checked: true }, 'Config');
    const policyBox = h('vscode-checkbox', { id: 'show-policies', checked: true }, 'Policies');
    const button = (id: string, name: string, title: string, fn: () => void) => {
      const b = h('vscode-button', { id, secondary: true, title, 'aria-label': title }, icon(name));
      b.addEventListener('click', fn);
      return b;
    };
    const toolbar = h('header', { class: 'toolbar', role: 'toolbar' },
      this.searchField,
      this.nsSelect,
      this.kindSelect,
      configBox,
      policyBox,
      h('span', { class: 'spacer' }),
      button('zoom-out', 'zoom-out', 'Zoom out (-)', () => this.viewport.zoom(1 / 1.25)),
      button('zoom-in', 'zoom-in', 'Zoom in (+)', () => this.viewport.zoom(1.25)),
      button('fit', 'screen-full', 'Fit (0)', () => this.fit()),
      button('export-svg', 'file-media', 'Export SVG', () => this.export('svg')),
      button('export-png', 'device-camera', 'Export PNG', () => void this.export('png')),
    );
    const tip = h('div', { class: 'tooltip', role: 'tooltip', hidden: true });
    const main = h('main', { class: 'main' }, h('div', { class: 'canvas' }, this.svg, tip), this.panes.element);
    this.svg.addEventListener('pointermove', (ev) => {
      const text = (ev.buttons === 0 && this.view.describe(ev.target as Element)) || '';
      tip.hidden = text === '';
      if (!text) return;
      if (tip.textContent !== text) tip.textContent = text;
      const r = this.svg.getBoundingClientRect();
      tip.style.left = `${Math.min(ev.clientX - r.left + 14, r.width - 260)}px`;
      tip.style.top = `${ev.clientY - r.top + 16}px`;
    });
    this.svg.addEventListener('pointerleave', () => (tip.hidden = true));
    this.hideTip = () => (tip.hidden = true);
    const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
    clear(app);
    app.append(toolbar, main, this.status);

    if (saved) {
      this.restoredTransform = saved.transform;
      this.selected = saved.selected ?? '';
      for (const c of saved.collapsed ?? []) this.collapsed.add(c);
      this.namespace = saved.namespace ?? '';
      this.kind = saved.kind ?? '';
      this.search = saved.search ?? '';
      this.showConfig = saved.showConfig ?? true;
      this.showPolicies = saved.showPolicies ?? true;
      if (saved.mode === 'iptables' || saved.mode === 'nftables' || saved.mode === 'ipvs') this.panes.setMode(saved.mode);
      (configBox as HTMLElement & { checked: boolean }).checked = this.showConfig;
      (policyBox as HTMLElement & { checked: boolean }).checked = this.showPolicies;
      this.searchField.value = this.search;
    }
    this.svg.classList.toggle('hide-policies', !this.showPolicies);

    this.searchField.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.applySearch(this.searchField.value), 120);
    });
    this.searchField.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') this.jumpToFirstMatch();
    });
    this.nsSelect.addEventListener('change', () => {
      this.namespace = this.nsSelect.value;
      void this.relayout();
    });
    this.kindSelect.addEventListener('change', () => {
      this.kind = this.kindSelect.value;
      void this.relayout();
    });
    configBox.addEventListener('change', () => {
      this.showConfig = (configBox as HTMLElement & { checked: boolean }).checked;
      void this.relayout();
    });
    policyBox.addEventListener('change', () => {
      this.showPolicies = (policyBox as HTMLElement & { checked: boolean }).checked;
      this.svg.classList.toggle('hide-policies', !this.showPolicies);
      this.saveState();
    });
    this.svg.addEventListener('keydown', (ev) => this.onGraphKey(ev));
    document.addEventListener('keydown', (ev) => this.onGlobalKey(ev));
    new ResizeObserver(() => {
      // Panels open small and grow: keep the drawing fitted until the user zooms or pans.
      if (this.layout && !this.restoredTransform && (this.firstFitPending || !this.viewport.userAdjusted)) this.fit();
    }).observe(this.svg);

    host.onMessage((m) => this.onMessage(m));
    void startElk();
    host.post({ type: 'ready' });
  }

  private firstFitPending = true;
  private hideTip: () => void = () => {};

  private onMessage(m: HostMessage): void {
    switch (m.type) {
      case 'model':
        if (m.model && m.model.schemaVersion === 1 && Array.isArray(m.model.nodes)) void this.setModel(m.model);
        return;
      case 'highlight':
        this.highlight(typeof m.ref === 'string' ? m.ref : '');
        return;
    }
  }

  private async setModel(model: TopologyModel): Promise<void> {
    performance.mark('kg-model-received');
    this.model = model;
    this.byId = new Map(model.nodes.map((n) => [n.id, n]));
    if (this.selected && !this.byId.has(this.selected) && !model.edges.some((e) => e.id === this.selected)) this.selected = '';
    if (this.firstModel) {
      this.firstModel = false;
      this.graph = this.visibleGraph();
      // With a worker, ELK lays out while this thread draws the provisional picture.
      const early = elkEngine === 'page' ? undefined : elkLayout(this.graph);
      this.view.build(this.graph);
      this.layout = provisionalLayout(this.graph);
      this.view.apply(this.layout);
      if (this.restoredTransform) this.viewport.set(this.restoredTransform);
      else this.fit();
      this.afterBuild();
      await nextFrame();
      performance.mark('kg-first-paint');
      document.body.dataset.firstPaint = 'true';
      await this.relayout(false, this.graph, early);
      // The filter menus and side panes are not needed for the picture: filled once it is drawn.
      this.fillFilters(model);
      this.panes.setModel(model);
      if (this.selected) this.panes.select(this.selectionOf(this.selected));
      return;
    }
    this.fillFilters(model);
    this.panes.setModel(model);
    await this.relayout(false);
  }

  /**
   * Recomputes what is visible (or takes `drawn`, the graph already on screen), lays it out with
   * ELK, then swaps the picture in one step.
   */
  private async relayout(save = true, drawn?: VisibleGraph, started?: Promise<Layout>): Promise<void> {
    if (!this.model) return;
    const token = ++this.layoutToken;
    const graph = drawn ?? this.visibleGraph();
    this.status.textContent = `Laying out ${graph.leaves.length} objects…`;
    let layout: Layout;
    try {
      layout = await (started ?? elkLayout(graph));
    } catch (err) {
      if (token === this.layoutToken) this.status.textContent = `Layout failed: ${(err as Error).message}`;
      return;
    }
    if (token !== this.layoutToken) return;
    this.layout = layout;
    if (graph !== this.graph) {
      this.hideTip();
      this.graph = graph;
      this.view.build(graph);
      this.view.apply(layout);
      this.afterBuild();
    } else this.view.apply(layout);
    performance.mark('kg-layout-applied');
    if (this.firstFitPending && !this.restoredTransform) this.fit();
    this.firstFitPending = false;
    const pods = [...graph.pods.values()].reduce((n, l) => n + l.length, 0);
    this.status.textContent = `${graph.leaves.length} objects · ${pods} pods · ${graph.edges.length} edges${this.model.notes.length ? ' · ' + this.model.notes.join(' · ') : ''}`;
    await nextFrame();
    performance.mark('kg-layout-done');
    document.body.dataset.layout = 'done';
    document.body.dataset.layoutEngine = elkEngine;
    document.dispatchEvent(new CustomEvent('kubeglass-layout'));
    document.body.dataset.revision = String(this.model.revision);
    document.body.dataset.layoutCount = String(Number(document.body.dataset.layoutCount ?? '0') + 1);
    if (save) this.saveState();
  }

  private afterBuild(): void {
    this.view.select(this.selected);
    this.applySearch(this.search, false);
    if (this.selected) this.panes.select(this.selectionOf(this.selected));
  }

  private visibleGraph(): VisibleGraph {
    const model = this.model!;
    const keepLeaf = (n: TopologyNode) => {
      if (this.namespace && n.namespace !== this.namespace) return false;
      if (n.role === 'config' && !this.showConfig) return false;
      if (this.kind) {
        if (this.kind === 'Pod') return n.role === 'workload' || n.kind === 'Pod';
        return n.kind === this.kind;
      }
      return true;
    };
    const leaves = model.nodes.filter((n) => n.role !== 'namespace' && !(n.role === 'pod' && n.pod?.workload) && keepLeaf(n));
    const leafIds = new Set(leaves.map((n) => n.id));
    const pods = new Map<string, TopologyNode[]>();
    for (const n of model.nodes) {
      if (n.role !== 'pod' || !n.pod?.workload || !leafIds.has(n.pod.workload)) continue;
      const list = pods.get(n.pod.workload) ?? [];
      list.push(n);
      pods.set(n.pod.workload, list);
    }
    for (const [id, list] of pods) {
      list.sort((a, b) => (a.pod!.ordinal - b.pod!.ordinal) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      if (list.length > COLLAPSE_ABOVE && !this.expanded.has(id)) this.collapsed.add(id);
    }
    const nsIds = new Set(leaves.map((n) => n.parent));
    const namespaces = model.nodes.filter((n) => n.role === 'namespace' && nsIds.has(n.id));
    const collapsed = new Set(this.collapsed);
    const edges = model.edges.filter((e) => e.kind !== 'policy' && leafIds.has(e.from) && leafIds.has(e.to));
    const policyEdges = model.edges.filter((e) => e.kind === 'policy' && leafIds.has(e.from) && leafIds.has(e.to));
    const partial = { namespaces, leaves, pods, collapsed, edges, policyEdges };
    return { ...partial, sizes: measure(partial) };
  }

  private fillFilters(model: TopologyModel): void {
    const namespaces = [...new Set(model.nodes.filter((n) => n.role === 'namespace').map((n) => n.name))].sort();
    const kinds = [...new Set(model.nodes.filter((n) => n.role !== 'namespace').map((n) => n.kind))].sort();
    if (this.namespace && !namespaces.includes(this.namespace)) this.namespace = '';
    if (this.kind && !kinds.includes(this.kind)) this.kind = '';
    fill(this.nsSelect, [{ value: '', label: 'All namespaces' }, ...namespaces.map((n) => ({ value: n, label: n }))], this.namespace);
    fill(this.kindSelect, [{ value: '', label: 'All kinds' }, ...kinds.map((k) => ({ value: k, label: k }))], this.kind);
  }

  // --- selection, reveal, highlight ----------------------------------------------------------

  private selectionOf(id: string): Parameters<Panes['select']>[0] {
    const node = this.byId.get(id);
    if (node) return { kind: 'node', node };
    const edge = this.model?.edges.find((e) => e.id === id);
    return edge ? { kind: 'edge', edge } : undefined;
  }

  private select(id: string, _isEdge: boolean, scroll = false): void {
    this.selected = id;
    this.view.select(id);
    const sel = this.selectionOf(id);
    this.panes.select(sel);
    if (sel?.kind === 'node' && sel.node.role === 'pod' && sel.node.pod?.workload && this.collapsed.has(sel.node.pod.workload)) {
      this.toggle(sel.node.pod.workload);
    }
    if (scroll) {
      const box = this.layout?.boxes.get(id);
      if (box) this.viewport.reveal(box);
    }
    this.view.element(id)?.focus({ preventScroll: true });
    this.saveState();
    if (sel) this.revealSelected();
  }

  private revealSelected(): void {
    const sel = this.selectionOf(this.selected);
    if (sel?.kind === 'node' && sel.node.source) this.reveal(sel.node.id, sel.node.source);
    else if (sel?.kind === 'edge' && sel.edge.source) this.reveal(sel.edge.owner, sel.edge.source);
  }

  private reveal(ref: string, location: SourceLocation): void {
    this.host.post({ type: 'reveal', ref, location });
    if (this.host.standalone) this.status.textContent = `${ref}: ${location.uri} line ${location.range.start.line + 1}`;
  }

  private highlight(ref: string): void {
    this.view.highlight(ref);
    const box = ref ? this.layout?.boxes.get(ref) : undefined;
    if (box) this.viewport.reveal(box);
  }

  private toggle(id: string): void {
    if (this.collapsed.has(id)) {
      this.collapsed.delete(id);
      this.expanded.add(id);
    } else {
      this.collapsed.add(id);
      this.expanded.delete(id);
    }
    void this.relayout();
  }

  // --- search --------------------------------------------------------------------------------

  private matcher(text: string): ((n: TopologyNode) => boolean) | undefined {
    const terms = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
    if (terms.length === 0) return undefined;
    return (n) =>
      terms.every((t) => {
        const eq = t.indexOf('=');
        if (eq > 0) {
          const key = t.slice(0, eq);
          const value = t.slice(eq + 1);
          return Object.entries(n.labels).some(([k, v]) => k.toLowerCase() === key && (value === '*' || v.toLowerCase() === value));
        }
        return n.id.toLowerCase().includes(t) || Object.values(n.labels).some((v) => v.toLowerCase().includes(t));
      });
  }

  private applySearch(text: string, save = true): void {
    this.search = text;
    const m = this.matcher(text);
    if (!m) this.view.dim(undefined);
    else {
      const keep = new Set<string>();
      for (const n of this.model?.nodes ?? []) {
        if (!m(n)) continue;
        keep.add(n.id);
        if (n.parent) keep.add(n.parent);
        if (n.pod?.workload) keep.add(n.pod.workload);
      }
      this.view.dim((id) => keep.has(id));
    }
    if (save) this.saveState();
  }

  private jumpToFirstMatch(): void {
    const m = this.matcher(this.searchField.value);
    const hit = m && this.model?.nodes.find((n) => n.role !== 'namespace' && m(n) && this.layout?.boxes.has(n.id));
    if (hit) this.select(hit.id, false, true);
  }

  // --- keyboard ------------------------------------------------------------------------------

  private onGraphKey(ev: KeyboardEvent): void {
    const dirs: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const dir = dirs[ev.key];
    if (!dir) return;
    ev.preventDefault();
    if (ev.shiftKey) {
      this.viewport.pan(-dir[0] * 80, -dir[1] * 80);
      return;
    }
    const next = this.neighbour(this.selected, dir);
    if (next) this.select(next, false, true);
  }

  /** The nearest drawn node in a direction (centre to centre, favouring the axis). */
  private neighbour(from: string, [dx, dy]: [number, number]): string | undefined {
    const boxes = this.layout?.boxes;
    if (!boxes) return undefined;
    const start = boxes.get(from);
    const candidates = [...boxes.entries()].filter(([id]) => id !== from && !id.startsWith('Namespace/') && this.view.element(id));
    if (!start) return candidates.sort((a, b) => a[1].x + a[1].y - (b[1].x + b[1].y))[0]?.[0];
    const cx = start.x + start.w / 2;
    const cy = start.y + start.h / 2;
    let best: string | undefined;
    let bestScore = Infinity;
    for (const [id, b] of candidates) {
      const vx = b.x + b.w / 2 - cx;
      const vy = b.y + b.h / 2 - cy;
      const along = vx * dx + vy * dy;
      if (along <= 1) continue;
      const across = Math.abs(vx * dy) + Math.abs(vy * dx);
      const score = along + 2 * across;
      if (score < bestScore) {
        bestScore = score;
        best = id;
      }
    }
    return best;
  }

  private onGlobalKey(ev: KeyboardEvent): void {
    const t = ev.target as HTMLElement;
    if (t.closest('vscode-textfield, input, textarea, vscode-single-select')) {
      if (ev.key === 'Escape') this.svg.focus();
      return;
    }
    if (ev.key === '/') {
      ev.preventDefault();
      this.searchField.focus();
    } else if (ev.key === '+' || ev.key === '=') this.viewport.zoom(1.25);
    else if (ev.key === '-') this.viewport.zoom(1 / 1.25);
    else if (ev.key === '0') this.fit();
    else if (ev.key === 'Escape') this.select('', false);
  }

  // --- view ----------------------------------------------------------------------------------

  private fit(): void {
    if (this.layout) this.viewport.fit(this.layout.width, this.layout.height);
  }

  private async export(format: 'svg' | 'png'): Promise<void> {
    if (!this.layout) return;
    const svg = exportSvg(this.svg, this.layout);
    try {
      if (format === 'svg') this.host.save('svg', svg);
      else this.host.save('png', await exportPng(svg, this.layout.width + 40, this.layout.height + 40));
      this.status.textContent = `Exported ${format.toUpperCase()}`;
    } catch (err) {
      this.status.textContent = `Export failed: ${(err as Error).message}`;
    }
  }

  private saveState(): void {
    const state: ViewState = {
      transform: this.viewport.transform,
      selected: this.selected,
      collapsed: [...this.collapsed],
      namespace: this.namespace,
      kind: this.kind,
      search: this.search,
      mode: this.panes.currentMode,
      showConfig: this.showConfig,
      showPolicies: this.showPolicies,
    };
    this.host.setState(state);
  }
}

function fill(select: HTMLElement & { value: string }, options: { value: string; label: string }[], value: string): void {
  clear(select);
  for (const o of options) select.appendChild(h('vscode-option', { value: o.value, selected: o.value === value }, o.label));
  select.value = value;
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

export type { ProxyMode };

new App(createHost());
