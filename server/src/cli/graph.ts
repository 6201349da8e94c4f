// `kubeglass graph [paths...] [--format html|json|dot] [-o FILE] [--profile FILE]`: the topology
// outside the editor. `json` is the `TopologyModel` the panel renders; `dot` is Graphviz input
// (namespaces as clusters); `html` is one self-contained page: the webview bundle, its stylesheet
// and the codicon font inlined, the model embedded as JSON, a CSP meta tag allowing only this
// page's nonce-tagged script and styles. Rules for each Service (every kube-proxy mode) are
// precomputed into the page; packet traces need the language server or `kubeglass trace`.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from './commands';
import { loadSimulation, oneOf } from './simulation';
import { packageRoot } from '../host/package-root';
import { buildTopology, topologyRulesByService } from '../engine/ide/topology';
import { topologySimulationOf } from '../engine/ide/topology-cluster';
import type { ProxyMode, TopologyModel } from '../protocol/topology';
import { toTopologyModel } from '../protocol/topology-convert';

const FORMATS = ['html', 'json', 'dot'] as const;
/** Services whose rules an HTML page carries (each mode), to keep pages of big workspaces small. */
const MAX_OFFLINE_SERVICES = 200;

export const graphCommand: Command = {
  name: 'graph',
  usage: 'graph [paths...] [--format html|json|dot] [-o FILE] [--profile FILE] [--no-config]',
  summary: 'the topology (Ingress → Service → pods) as a page, JSON model or Graphviz',
  run(ctx) {
    const { values, positionals } = ctx.parse({
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      profile: { type: 'string' },
      'no-config': { type: 'boolean' },
    });
    const format = oneOf(values.format, FORMATS, '--format', 'html');
    const { loaded, profile, cluster } = loadSimulation(ctx, positionals, values.profile as string | undefined);
    const ws = loaded.workspace;
    const sim = topologySimulationOf(cluster);
    const graph = buildTopology(ws, { profile, includeConfig: values['no-config'] !== true, simulation: sim });
    const model = toTopologyModel(graph, (uri, offset) => ws.lineIndex(uri).position(offset));
    let text: string;
    if (format === 'json') text = JSON.stringify(model, null, 2) + '\n';
    else if (format === 'dot') text = toDot(model);
    else {
      const services = model.nodes.filter((n) => n.role === 'service').slice(0, MAX_OFFLINE_SERVICES);
      const offlineRules: Record<string, Record<string, string>> = {};
      for (const mode of ['iptables', 'nftables', 'ipvs'] as ProxyMode[]) {
        offlineRules[mode] = topologyRulesByService(sim, mode, '', services.map((s) => s.id));
      }
      const webview = path.join(packageRoot(), 'dist', 'webview');
      if (!fs.existsSync(path.join(webview, 'main.js'))) {
        ctx.err(`kubeglass: the webview is not built (${webview}/main.js); run \`npm run build\`\n`);
        return 2;
      }
      text = standalonePage({ ...model, offlineRules }, webview);
    }
    const out = values.output as string | undefined;
    if (out) {
      fs.writeFileSync(out, text);
      ctx.err(`kubeglass: wrote ${out} (${model.nodes.length} nodes, ${model.edges.length} edges)\n`);
    } else ctx.out(text);
    return 0;
  },
};

/** One HTML file that renders `model` with no server and no network. */
export function standalonePage(model: TopologyModel, webviewDir: string): string {
  const nonce = crypto.randomBytes(18).toString('base64');
  const read = (f: string) => (fs.existsSync(path.join(webviewDir, f)) ? fs.readFileSync(path.join(webviewDir, f), 'utf8') : '');
  const script = scriptText(read('main.js').replace(/\/\/# sourceMappingURL=\S+\s*$/, ''));
  const css = read('main.css').replace(/\/\*# sourceMappingURL=\S+ \*\/\s*$/, '');
  let codicons = read('codicon.css');
  const font = path.join(webviewDir, 'codicon.ttf');
  if (codicons && fs.existsSync(font)) {
    const data = `data:font/ttf;base64,${fs.readFileSync(font).toString('base64')}`;
    codicons = codicons.replace(/url\((["']?)[^)"']*codicon\.ttf[^)"']*\1\)/g, `url("${data}")`);
  }
  const csp = ["default-src 'none'", `script-src 'nonce-${nonce}'`, `style-src 'nonce-${nonce}'`, 'font-src data:', 'img-src data: blob:', 'worker-src blob:'].join('; ');
  // The ELK layout worker's source, when the build ships it: the page starts it from a blob.
  const worker = scriptText(read('elk-worker.js'));
  const json = JSON.stringify(model).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kubeglass topology</title>
<style nonce="${nonce}">${codicons.replace(/<\/(style)/gi, '<\\/$1')}</style>
<style nonce="${nonce}">${css.replace(/<\/(style)/gi, '<\\/$1')}</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="kubeglass-model">${json}</script>
${worker ? `<script type="text/plain" id="kubeglass-elk-worker">${worker}</script>
<script nonce="${nonce}">${WORKER_BOOTSTRAP}</script>` : ''}
<script nonce="${nonce}">${script}</script>
</body>
</html>
`;
}

/**
 * Starts the layout worker before the page's bundle is even parsed, so ELK's code compiles in
 * parallel with it; the page adopts the worker (`window.__kubeglassElkWorker`).
 */
const WORKER_BOOTSTRAP =
  "(function(){var s=document.getElementById('kubeglass-elk-worker');if(!s||typeof Worker!=='function')return;" +
  "try{window.__kubeglassElkWorker=new Worker(URL.createObjectURL(new Blob([s.textContent],{type:'text/javascript'})));}catch(e){}})();";

/**
 * JavaScript made safe as the raw text of a <script> element: `</script` and `<!--` would end or
 * confuse the element; inside strings and regular expressions the escaped forms mean the same.
 */
function scriptText(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** Graphviz: namespaces as clusters, labels escaped, left to right like the view. */
export function toDot(model: TopologyModel): string {
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  const lines = ['digraph topology {', '  rankdir=LR;', '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];'];
  const shown = model.nodes.filter((n) => n.role !== 'namespace' && !(n.role === 'pod' && n.pod?.simulated));
  const byNs = new Map<string, typeof shown>();
  for (const n of shown) {
    const list = byNs.get(n.namespace) ?? [];
    list.push(n);
    byNs.set(n.namespace, list);
  }
  let i = 0;
  for (const [ns, nodes] of [...byNs].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (ns) lines.push(`  subgraph cluster_${i++} {`, `    label=${q(`namespace ${ns}`)};`);
    for (const n of nodes) {
      lines.push(`    ${q(n.id)} [label=${q([`${n.kind} ${n.name}`, ...n.details.slice(0, 4)].join('\n'))}${n.problems.length ? ', color=red' : ''}];`);
    }
    if (ns) lines.push('  }');
  }
  for (const e of model.edges) {
    const style = e.kind === 'policy' ? `, style=dashed, color=${e.verdict === 'denied' ? 'red' : 'darkgreen'}` : e.kind === 'uses' ? ', style=dotted' : '';
    lines.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(e.label)}${style}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
