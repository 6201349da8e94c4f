// The page's link to whoever shows it. In VS Code (and in tests, which stub the same API) that is
// `acquireVsCodeApi()`: messages both ways and `getState`/`setState`. In a page written by
// `kubeglass graph --format html` there is no host: the model is embedded in the page as JSON,
// rules come from the model's `offlineRules`, traces are unavailable and reveal only tells where
// the YAML is. The page posts intents only; it never reaches into the engine.
import type { HostMessage, RulesParams, RulesResult, TopologyModel, TraceParams, TraceResult, WebviewMessage } from './protocol-types';

export interface ViewState {
  readonly transform?: { x: number; y: number; k: number };
  readonly selected?: string;
  readonly collapsed?: readonly string[];
  readonly namespace?: string;
  readonly kind?: string;
  readonly search?: string;
  readonly mode?: string;
  readonly tab?: string;
  readonly showConfig?: boolean;
  readonly showPolicies?: boolean;
}

export interface Host {
  readonly standalone: boolean;
  post(message: WebviewMessage): void;
  onMessage(handler: (message: HostMessage) => void): void;
  getState(): ViewState | undefined;
  setState(state: ViewState): void;
  rules(params: RulesParams): Promise<RulesResult>;
  trace(params: TraceParams): Promise<TraceResult>;
  /** Saves an export: the host's save dialog, or a download in a standalone page. */
  save(format: 'svg' | 'png', data: string): void;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export function createHost(): Host {
  if (typeof acquireVsCodeApi === 'function') return vscodeHost(acquireVsCodeApi());
  return standaloneHost();
}

function vscodeHost(api: VsCodeApi): Host {
  const handlers: ((m: HostMessage) => void)[] = [];
  const pending = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
  let next = 1;
  window.addEventListener('message', (event: MessageEvent) => {
    const m = event.data as HostMessage | undefined;
    if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
    if (m.type === 'rulesResult' || m.type === 'traceResult') {
      const p = pending.get(m.requestId);
      if (!p) return;
      pending.delete(m.requestId);
      if (m.result) p.resolve(m.result as never);
      else p.reject(new Error(m.error || 'no answer'));
      return;
    }
    for (const h of handlers) h(m);
  });
  const request = <T>(type: 'rules' | 'trace', params: RulesParams | TraceParams): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const requestId = next++;
      pending.set(requestId, { resolve: resolve as (v: never) => void, reject });
      api.postMessage(type === 'rules' ? { type, requestId, params } : { type, requestId, params });
    });
  return {
    standalone: false,
    post: (m) => api.postMessage(m),
    onMessage: (h) => handlers.push(h),
    getState: () => (api.getState() as ViewState | undefined) ?? undefined,
    setState: (s) => api.setState(s),
    rules: (params) => request<RulesResult>('rules', params),
    trace: (params) => request<TraceResult>('trace', params),
    save: (format, data) => api.postMessage({ type: 'export', format, data }),
  };
}

/** A page without a host: the model is the JSON in `<script type="application/json" id="kubeglass-model">`. */
function standaloneHost(): Host {
  const handlers: ((m: HostMessage) => void)[] = [];
  let model: TopologyModel | undefined;
  let state: ViewState | undefined;
  return {
    standalone: true,
    post: (m) => {
      if (m.type === 'ready') {
        const el = document.getElementById('kubeglass-model');
        try {
          model = JSON.parse(el?.textContent ?? 'null') as TopologyModel;
        } catch {
          model = undefined;
        }
        if (model) for (const h of handlers) h({ type: 'model', model });
      }
    },
    onMessage: (h) => handlers.push(h),
    getState: () => state,
    setState: (s) => {
      state = s;
    },
    rules: async (params) => {
      const text = model?.offlineRules?.[params.mode]?.[params.service || '*'];
      if (text === undefined) throw new Error('These rules were not included in this page; run `kubeglass rules` for them.');
      const node = model?.cluster.defaultNode ?? '';
      return { mode: params.mode, node, text, notes: [`precomputed for node ${node} when the page was written`] };
    },
    trace: async () => {
      throw new Error('Packet traces need the Kubeglass language server: open the topology in VS Code, or run `kubeglass trace`.');
    },
    save: (format, data) => {
      const a = document.createElement('a');
      a.download = `topology.${format}`;
      a.href = format === 'png' ? data : URL.createObjectURL(new Blob([data], { type: 'image/svg+xml' }));
      document.body.appendChild(a);
      a.click();
      a.remove();
    },
  };
}
