// The side panel: Details (the selected node or edge: labels, ports, problems; Secret values are
// never in the model), Rules (kube-proxy rules of the selected Service in the chosen mode and a
// packet trace walking them hop by hop) and DNS (records and resolv.conf).
import { h, clear, icon, append } from './dom';
import { highlightLine, highlightRules } from './highlight';
import type { Host } from './host';
import type { ProxyMode, SourceLocation, TopologyEdge, TopologyModel, TopologyNode, TraceResult, TraceSource } from './protocol-types';

export interface PaneCallbacks {
  reveal(ref: string, location: SourceLocation): void;
  select(id: string): void;
  modeChanged(mode: ProxyMode): void;
}

type Selection = { kind: 'node'; node: TopologyNode } | { kind: 'edge'; edge: TopologyEdge } | undefined;

export class Panes {
  readonly element: HTMLElement;
  private readonly details = h('div', { class: 'pane-body', id: 'details' });
  private readonly rulesHeader = h('div', { class: 'rules-header' });
  private readonly rulesText = h('pre', { class: 'rules', id: 'rules-text', tabindex: 0 });
  private readonly rulesNotes = h('div', { class: 'notes' });
  private readonly modeGroup: HTMLElement;
  private readonly nodeSelect: HTMLElement & { value: string };
  private readonly traceSource: HTMLElement & { value: string };
  private readonly traceDest: HTMLElement & { value: string };
  private readonly traceIp: HTMLElement & { value: string };
  private readonly traceResult = h('div', { class: 'trace-result', id: 'trace-result', 'aria-live': 'polite' });
  private readonly dns = h('div', { class: 'pane-body', id: 'dns' });
  private readonly tabs: HTMLElement & { selectedIndex: number };
  private model: TopologyModel | undefined;
  private selection: Selection;
  private mode: ProxyMode = 'iptables';
  private rulesToken = 0;

  constructor(
    private readonly host: Host,
    private readonly callbacks: PaneCallbacks,
  ) {
    this.modeGroup = h('vscode-radio-group', { id: 'rules-mode', 'aria-label': 'kube-proxy mode' },
      ...(['iptables', 'nftables', 'ipvs'] as const).map((m) => h('vscode-radio', { name: 'mode', value: m, label: m, 'data-mode': m, checked: m === this.mode }, m)));
    this.modeGroup.addEventListener('change', (ev) => {
      const value = (ev.target as HTMLElement & { value?: string }).value as ProxyMode | undefined;
      if (value && value !== this.mode && ['iptables', 'nftables', 'ipvs'].includes(value)) this.setMode(value, true);
    });
    this.nodeSelect = h('vscode-single-select', { id: 'rules-node', 'aria-label': 'cluster node' }) as HTMLElement & { value: string };
    this.nodeSelect.addEventListener('change', () => void this.loadRules());
    this.traceSource = h('vscode-single-select', { id: 'trace-source', combobox: true, 'aria-label': 'packet source' }) as HTMLElement & { value: string };
    this.traceDest = h('vscode-single-select', { id: 'trace-dest', 'aria-label': 'packet destination' }) as HTMLElement & { value: string };
    this.traceIp = h('vscode-textfield', { id: 'trace-ip', placeholder: 'source IP (outside)', value: '203.0.113.10', 'aria-label': 'outside source IP' }) as HTMLElement & { value: string };
    const run = h('vscode-button', { id: 'trace-run' }, icon('debug-start'), ' Trace packet');
    run.addEventListener('click', () => void this.runTrace());

    const rulesPane = h('div', { class: 'pane-body', id: 'rules' },
      this.rulesHeader,
      h('div', { class: 'row' }, h('span', { class: 'caption' }, 'Mode'), this.modeGroup),
      h('div', { class: 'row' }, h('span', { class: 'caption' }, 'Node'), this.nodeSelect),
      this.rulesNotes,
      this.rulesText,
      h('h3', {}, icon('pulse'), ' Packet trace'),
      h('div', { class: 'row' }, h('span', { class: 'caption' }, 'From'), this.traceSource),
      h('div', { class: 'row' }, h('span', { class: 'caption' }, ''), this.traceIp),
      h('div', { class: 'row' }, h('span', { class: 'caption' }, 'To'), this.traceDest),
      h('div', { class: 'row' }, h('span', { class: 'caption' }, ''), run),
      this.traceResult,
    );
    this.tabs = h('vscode-tabs', { id: 'side-tabs' },
      h('vscode-tab-header', { slot: 'header', 'data-tab': 'details' }, 'Details'),
      h('vscode-tab-panel', {}, this.details),
      h('vscode-tab-header', { slot: 'header', 'data-tab': 'rules' }, 'Rules'),
      h('vscode-tab-panel', {}, rulesPane),
      h('vscode-tab-header', { slot: 'header', 'data-tab': 'dns' }, 'DNS'),
      h('vscode-tab-panel', {}, this.dns),
    ) as HTMLElement & { selectedIndex: number };
    this.tabs.addEventListener('vsc-tabs-select', () => {
      if (this.tabs.selectedIndex !== 1) return;
      this.fillSources();
      void this.loadRules();
    });
    this.element = h('aside', { class: 'side', 'aria-label': 'Details, rules and DNS' }, this.tabs);
    this.renderDetails();
  }

  get currentMode(): ProxyMode {
    return this.mode;
  }

  setModel(model: TopologyModel): void {
    const nodeBefore = this.nodeSelect.value;
    this.model = model;
    if (!this.mode || !['iptables', 'nftables', 'ipvs'].includes(this.mode)) this.mode = model.cluster.defaultMode;
    setOptions(this.nodeSelect, model.cluster.nodes.map((n) => ({ value: n.name, label: `${n.name} (${n.ips.join(', ')})` })), nodeBefore || model.cluster.defaultNode);
    this.sourcesFilled = false;
    if (this.tabs.selectedIndex === 1) this.fillSources();
    this.refreshSelection();
  }

  /**
   * The trace source list (every node, outside, every pod) is filled when the Rules tab is first
   * shown after a model arrives: thousands of options cost time no one else needs.
   */
  private sourcesFilled = false;

  private fillSources(): void {
    const model = this.model;
    if (this.sourcesFilled || !model) return;
    this.sourcesFilled = true;
    const sources = [
      ...model.cluster.nodes.map((n) => ({ value: `node:${n.name}`, label: `node ${n.name}` })),
      { value: 'outside', label: 'outside the cluster' },
      ...model.nodes.filter((n) => n.role === 'pod').map((n) => ({ value: `pod:${n.id}`, label: `pod ${n.namespace}/${n.name}` })),
    ];
    const keep = sources.some((s) => s.value === this.traceSource.value) ? this.traceSource.value : '';
    setOptions(this.traceSource, sources, keep || sources.find((s) => s.value.startsWith('pod:'))?.value || sources[0]?.value || '');
  }

  setMode(mode: ProxyMode, fromUser = false): void {
    this.mode = mode;
    for (const r of Array.from(this.modeGroup.querySelectorAll('vscode-radio'))) (r as HTMLElement & { checked: boolean }).checked = r.getAttribute('value') === mode;
    if (fromUser) this.callbacks.modeChanged(mode);
    void this.loadRules();
  }

  showTab(name: 'details' | 'rules' | 'dns'): void {
    this.tabs.selectedIndex = name === 'details' ? 0 : name === 'rules' ? 1 : 2;
    if (name !== 'rules') return;
    this.fillSources();
    void this.loadRules();
  }

  select(selection: Selection): void {
    this.selection = selection;
    this.renderDetails();
    this.renderDns();
    this.updateDestinations();
    if (this.tabs.selectedIndex === 1) void this.loadRules();
  }

  /** After a model update: the same ids, new data. */
  private refreshSelection(): void {
    const s = this.selection;
    if (s?.kind === 'node') {
      const node = this.model?.nodes.find((n) => n.id === s.node.id);
      this.select(node ? { kind: 'node', node } : undefined);
    } else if (s?.kind === 'edge') {
      const edge = this.model?.edges.find((e) => e.id === s.edge.id);
      this.select(edge ? { kind: 'edge', edge } : undefined);
    } else this.select(undefined);
  }

  private selectedService(): TopologyNode | undefined {
    const s = this.selection;
    if (s?.kind === 'node' && s.node.role === 'service') return s.node;
    if (s?.kind === 'edge') {
      const id = s.edge.kind === 'backend' ? s.edge.from : s.edge.kind === 'route' ? s.edge.to : '';
      return this.model?.nodes.find((n) => n.id === id && n.role === 'service');
    }
    return undefined;
  }

  // --- details -------------------------------------------------------------------------------

  private renderDetails(): void {
    clear(this.details);
    const s = this.selection;
    if (!s) {
      this.details.appendChild(h('p', { class: 'hint' }, 'Select a node or an edge. Enter or double-click opens its YAML; arrow keys move between nodes; / searches.'));
      for (const note of this.model?.notes ?? []) this.details.appendChild(h('p', { class: 'note' }, icon('info'), ' ', note));
      return;
    }
    if (s.kind === 'edge') {
      const e = s.edge;
      this.addDetails(
        h('h2', {}, icon(e.kind === 'policy' ? 'shield' : 'arrow-right'), ` ${e.kind} edge`),
        kv('from', e.from),
        kv('to', e.to),
        e.verdict ? kv('verdict', e.verdict) : null,
        e.policies?.length ? kv('policies', e.policies.join(', ')) : null,
        e.label ? h('pre', { class: 'edge-label-text' }, e.label) : null,
        e.source ? this.revealButton(e.owner, e.source, `Open ${e.owner}`) : null,
      );
      return;
    }
    const n = s.node;
    this.addDetails(
      h('h2', {}, h('span', { class: `role-dot role-${n.role}` }), ` ${n.kind} `, h('span', { class: 'name' }, n.name)),
      n.namespace ? kv('namespace', n.namespace) : null,
      n.source ? this.revealButton(n.id, n.source, n.pod?.simulated ? 'Open the pod template' : 'Open YAML') : null,
      ...n.details.map((d) => h('div', { class: 'detail-line' }, d)),
    );
    if (n.pod) {
      this.addDetails(
        kv('IPs', n.pod.ips.join(', ') || 'none'),
        kv('node', n.pod.node || 'not scheduled'),
        n.pod.ordinal >= 0 ? kv('ordinal', String(n.pod.ordinal)) : null,
        n.pod.simulated ? h('p', { class: 'hint' }, 'Simulated from its workload template.') : null,
      );
      if (n.pod.dnsNames.length) this.addDetails(h('h3', {}, 'DNS names'), h('ul', { class: 'dns-names' }, ...n.pod.dnsNames.map((d) => h('li', {}, d))));
    }
    if (n.config) {
      this.addDetails(h('h3', {}, 'Keys'), h('ul', {}, ...n.config.keys.map((k) => h('li', {}, n.kind === 'Secret' ? `${k}: •••••• (hidden)` : k))));
    }
    const labels = Object.entries(n.labels);
    if (labels.length) {
      this.addDetails(h('h3', {}, 'Labels'), h('table', { class: 'labels' }, ...labels.map(([k, v]) => h('tr', {}, h('td', { class: 'key' }, k), h('td', { class: 'value' }, v)))));
    }
    if (n.problems.length) {
      this.addDetails(h('h3', {}, 'Problems'));
      const list = h('ul', { class: 'problems' });
      for (const p of n.problems) {
        const li = h('li', { class: `problem ${p.severity}`, tabindex: 0, role: 'button', title: 'Open in the editor' },
          icon(p.severity === 'error' ? 'error' : p.severity === 'warning' ? 'warning' : 'info'), ' ', p.message, ' ', h('span', { class: 'code' }, p.code));
        const go = () => this.callbacks.reveal(n.id, p.location);
        li.addEventListener('click', go);
        li.addEventListener('keydown', (ev) => ev.key === 'Enter' && go());
        list.appendChild(li);
      }
      this.details.appendChild(list);
    }
    if (n.role === 'service') {
      const b = h('vscode-button', { secondary: true, id: 'show-rules' }, icon('list-flat'), ' kube-proxy rules');
      b.addEventListener('click', () => this.showTab('rules'));
      this.details.appendChild(b);
    }
  }

  private addDetails(...children: (Node | string | null | undefined | false)[]): void {
    append(this.details, children);
  }

  private revealButton(ref: string, location: SourceLocation, text: string): HTMLElement {
    const b = h('vscode-button', { class: 'reveal', secondary: true }, icon('go-to-file'), ` ${text}`);
    b.addEventListener('click', () => this.callbacks.reveal(ref, location));
    return b;
  }

  // --- rules ---------------------------------------------------------------------------------

  private async loadRules(): Promise<void> {
    const service = this.selectedService();
    const token = ++this.rulesToken;
    clear(this.rulesHeader);
    this.rulesHeader.append(service ? h('span', {}, icon('server-process'), ` Rules for Service ${service.namespace}/${service.name}`) : h('span', { class: 'hint' }, 'Select a Service to see the rules kube-proxy writes for it.'));
    clear(this.rulesNotes);
    if (!service || !this.model) {
      clear(this.rulesText);
      return;
    }
    this.rulesText.setAttribute('aria-busy', 'true');
    try {
      const result = await this.host.rules({ mode: this.mode, node: this.nodeSelect.value || this.model.cluster.defaultNode, service: service.id });
      if (token !== this.rulesToken) return;
      clear(this.rulesText);
      this.rulesText.setAttribute('data-mode', result.mode);
      this.rulesText.appendChild(highlightRules(result.text));
      for (const n of result.notes) this.rulesNotes.appendChild(h('div', { class: 'note' }, icon('info'), ' ', n));
    } catch (err) {
      if (token !== this.rulesToken) return;
      clear(this.rulesText);
      this.rulesNotes.appendChild(h('div', { class: 'note error' }, icon('error'), ' ', (err as Error).message));
    } finally {
      if (token === this.rulesToken) this.rulesText.removeAttribute('aria-busy');
    }
  }

  private updateDestinations(): void {
    const service = this.selectedService();
    const options: { value: string; label: string }[] = [];
    const svc = service?.service;
    if (svc && this.model) {
      for (const p of svc.ports) {
        for (const ip of svc.clusterIPs) options.push({ value: `${ip}|${p.port}|${p.protocol}`, label: `ClusterIP ${join(ip, p.port)}/${p.protocol}` });
        for (const ip of svc.loadBalancerIPs) options.push({ value: `${ip}|${p.port}|${p.protocol}`, label: `LoadBalancer ${join(ip, p.port)}/${p.protocol}` });
        for (const ip of svc.externalIPs) options.push({ value: `${ip}|${p.port}|${p.protocol}`, label: `externalIP ${join(ip, p.port)}/${p.protocol}` });
        if (p.nodePort) {
          for (const n of this.model.cluster.nodes) for (const ip of n.ips) options.push({ value: `${ip}|${p.nodePort}|${p.protocol}`, label: `NodePort ${join(ip, p.nodePort)}/${p.protocol} (${n.name})` });
        }
      }
    }
    setOptions(this.traceDest, options, options[0]?.value ?? '');
  }

  private async runTrace(): Promise<void> {
    clear(this.traceResult);
    const model = this.model;
    const [ip, port, protocol] = (this.traceDest.value || '').split('|');
    if (!model || !ip) {
      this.traceResult.appendChild(h('p', { class: 'hint' }, 'Select a Service with a ClusterIP, NodePort or LoadBalancer address first.'));
      return;
    }
    const src = this.traceSource.value || '';
    const node = this.nodeSelect.value || model.cluster.defaultNode;
    const source: TraceSource = src.startsWith('pod:')
      ? { kind: 'pod', pod: src.slice(4) }
      : src.startsWith('node:')
        ? { kind: 'node', node: src.slice(5) }
        : { kind: 'outside', ip: (this.traceIp.value || '').trim(), node };
    this.traceResult.setAttribute('aria-busy', 'true');
    try {
      const result = await this.host.trace({ mode: this.mode, source, destination: { ip, port: Number(port), protocol: protocol as 'TCP' } });
      this.renderTrace(result);
    } catch (err) {
      this.traceResult.appendChild(h('p', { class: 'note error' }, icon('error'), ' ', (err as Error).message));
    } finally {
      this.traceResult.removeAttribute('aria-busy');
    }
  }

  private renderTrace(r: TraceResult): void {
    const outcome =
      r.outcome === 'dnat' ? `DNAT to ${r.endpoints.length} endpoint${r.endpoints.length === 1 ? '' : 's'}` : r.outcome === 'none' ? 'no kube-proxy rule matched' : r.outcome.toUpperCase();
    this.traceResult.append(
      h('div', { class: `trace-summary outcome-${r.outcome}`, 'data-outcome': r.outcome },
        icon(r.outcome === 'dnat' || r.outcome === 'accept' ? 'pass' : r.outcome === 'none' ? 'circle-slash' : 'error'),
        ` ${outcome} · from ${r.sourceIP || '?'} on ${r.node || '?'} (${r.mode})`,
        r.masquerade ? h('span', { class: 'masq', title: 'The source address is rewritten to the node address (SNAT)' }, 'MASQUERADE') : null,
      ),
    );
    if (r.endpoints.length) {
      const list = h('ul', { class: 'endpoints' });
      for (const e of r.endpoints) {
        const li = h('li', { class: 'endpoint', 'data-address': e.address }, `${e.address}  ${(e.probability * 100).toFixed(1)}%`, e.pod ? ` → ${e.pod}` : '');
        if (e.pod) li.addEventListener('click', () => this.callbacks.select(e.pod));
        list.appendChild(li);
      }
      this.traceResult.appendChild(list);
    }
    const hops = h('ol', { class: 'hops' });
    for (const hop of r.hops) {
      const verdict = hop.verdict || '';
      const cls = /drop|reject/i.test(verdict) ? 'drop' : /masq|MARK-MASQ/i.test(hop.rule) ? 'masq' : verdict ? 'jump' : '';
      hops.appendChild(
        h('li', { class: `hop ${cls}` },
          h('div', { class: 'hop-head' }, h('span', { class: 'chain' }, hop.chain), hop.probability >= 0 ? h('span', { class: 'prob' }, ` p=${(hop.probability * 100).toFixed(1)}%`) : null, verdict ? h('span', { class: 'verdict' }, ` → ${verdict}`) : null),
          highlightLine(hop.rule),
        ),
      );
    }
    this.traceResult.appendChild(hops);
    for (const n of r.notes) this.traceResult.appendChild(h('div', { class: 'note' }, icon('info'), ' ', n));
  }

  // --- DNS -----------------------------------------------------------------------------------

  private renderDns(): void {
    clear(this.dns);
    const s = this.selection;
    const model = this.model;
    if (!model || s?.kind !== 'node') {
      this.dns.appendChild(h('p', { class: 'hint' }, 'Select a Service or a pod to see its DNS records.'));
      return;
    }
    const ids = s.node.role === 'workload' ? model.nodes.filter((n) => n.parent === s.node.id && n.role === 'pod').slice(0, 20).map((n) => n.id) : [s.node.id];
    let any = false;
    for (const id of ids) {
      const d = model.dns[id];
      if (!d) continue;
      any = true;
      if (ids.length > 1) this.dns.appendChild(h('h3', {}, id));
      this.dns.append(h('h4', {}, 'Records'), h('pre', { class: 'dns-records' }, d.records.join('\n') || '(none)'));
      if (d.resolvConf) this.dns.append(h('h4', {}, '/etc/resolv.conf'), h('pre', { class: 'resolv-conf' }, d.resolvConf.join('\n')));
    }
    if (!any) this.dns.appendChild(h('p', { class: 'hint' }, 'No DNS records for this object.'));
  }
}

function kv(key: string, value: string): HTMLElement {
  return h('div', { class: 'kv' }, h('span', { class: 'key' }, key), h('span', { class: 'value' }, value));
}

function join(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Replaces the options of a vscode-single-select and selects `value`. */
function setOptions(select: HTMLElement & { value: string }, options: readonly { value: string; label: string }[], value: string): void {
  clear(select);
  for (const o of options) select.appendChild(h('vscode-option', { value: o.value, selected: o.value === value }, o.label));
  select.value = value;
}
