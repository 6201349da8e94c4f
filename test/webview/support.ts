// Browser harness for the webview tests: launches Debian's Chromium through playwright-core,
// serves the built webview bundle (dist/webview) from a fake origin under the same kind of strict
// CSP VS Code uses, and stubs `acquireVsCodeApi` so the page's posted messages are recorded and
// its rules/trace requests are answered by the engine in this process.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../support/paths';
import { Workspace } from '../../server/src/engine/workspace';
import { buildTopology, simulateForTopology, topologyRules, topologyTrace } from '../../server/src/engine/ide/topology';
import { DEFAULT_PROFILE } from '../../server/src/engine/simulate/profile';
import { parseWebviewMessage, type TopologyModel } from '../../server/src/protocol/topology';
import { toRulesResult, toTopologyModel, toTraceResult } from '../../server/src/protocol/topology-convert';

export const CHROMIUM = '/usr/bin/chromium';
export const ORIGIN = 'https://kubeglass-webview.test';
export const WEBVIEW_DIR = path.join(repoRoot, 'dist', 'webview');
export const RESULTS_DIR = path.join(repoRoot, 'test-results');

/** Why the browser tests cannot run here (only a missing Chromium), or undefined when they can. */
export function browserUnavailable(): string | undefined {
  return fs.existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install chromium, or scripts/setup-system.sh)`;
}

export async function launchBrowser(): Promise<Browser> {
  // A missing bundle is a failure, not a reason to skip: `npm test` builds before testing.
  if (!fs.existsSync(path.join(WEBVIEW_DIR, 'main.js'))) throw new Error('dist/webview/main.js is missing: run `npm run build` first');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** A workspace from `{uri: text}` and its topology model (wire form) plus the simulation behind it. */
export function modelOf(files: Record<string, string>) {
  const ws = new Workspace();
  ws.apply(Object.entries(files).map(([uri, text]) => ({ uri, text })));
  const sim = simulateForTopology(ws, DEFAULT_PROFILE);
  const graph = buildTopology(ws, { profile: DEFAULT_PROFILE, includeConfig: true, simulation: sim });
  const model = toTopologyModel(graph, (uri, offset) => ws.lineIndex(uri).position(offset));
  return { ws, sim, model };
}

export interface WebviewPage {
  readonly page: Page;
  /** Messages the page posted, validated with the protocol's validator (invalid ones fail the test). */
  readonly posted: unknown[];
  readonly consoleErrors: string[];
  /** Posts a host message into the page. */
  send(message: unknown): Promise<void>;
}

const NONCE = 'dGVzdG5vbmNlMTIzNDU2';

/** Opens the built webview with `model`, answering rules/trace requests from `sim`. */
export async function openWebview(browser: Browser, model: TopologyModel, sim: ReturnType<typeof simulateForTopology>, viewport = { width: 1400, height: 900 }): Promise<WebviewPage> {
  const page = await browser.newPage({ viewport });
  const posted: unknown[] = [];
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/index.html') return route.fulfill({ contentType: 'text/html', body: pageHtml() });
    const file = path.join(WEBVIEW_DIR, path.normalize(url.pathname).replace(/^\/+/, ''));
    if (!file.startsWith(WEBVIEW_DIR) || !fs.existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : file.endsWith('.ttf') ? 'font/ttf' : 'application/octet-stream';
    return route.fulfill({ contentType: type, body: fs.readFileSync(file) });
  });
  // The host side of the stub: validate, record, answer.
  await page.exposeFunction('__kubeglassHost', (raw: string) => {
    const message = JSON.parse(raw) as unknown;
    const parsed = parseWebviewMessage(message);
    if (!parsed.ok) {
      consoleErrors.push(`invalid webview message: ${parsed.problems.join('; ')}`);
      return null;
    }
    posted.push(message);
    const m = parsed.value;
    if (m.type === 'ready') return { type: 'model', model };
    if (m.type === 'rules') return { type: 'rulesResult', requestId: m.requestId, result: toRulesResult(topologyRules(sim, m.params.mode, m.params.node, m.params.service)), error: '' };
    if (m.type === 'trace') return { type: 'traceResult', requestId: m.requestId, result: toTraceResult(topologyTrace(sim, m.params)), error: '' };
    return null;
  });
  await page.goto(`${ORIGIN}/index.html`);
  return {
    page,
    posted,
    consoleErrors,
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message as object),
  };
}

/** The page VS Code would get: strict CSP, nonce-tagged scripts, resources from the webview origin only. */
function pageHtml(): string {
  const csp = [
    "default-src 'none'",
    `img-src ${ORIGIN} data: blob:`,
    `style-src ${ORIGIN} 'nonce-${NONCE}'`,
    `font-src ${ORIGIN}`,
    `script-src 'nonce-${NONCE}'`,
    'worker-src blob:',
    `connect-src ${ORIGIN}`,
  ].join('; ');
  // The layout worker runs when the build ships it (dist/webview/elk-worker.js); else ELK runs in the page.
  const worker = fs.existsSync(path.join(WEBVIEW_DIR, 'elk-worker.js')) ? ` data-elk-worker="${ORIGIN}/elk-worker.js"` : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="${ORIGIN}/main.css" nonce="${NONCE}">
<link rel="stylesheet" href="${ORIGIN}/codicon.css" id="vscode-codicon-stylesheet" nonce="${NONCE}">
</head><body class="vscode-light"${worker}><div id="app"></div>
<script nonce="${NONCE}">
  window.__state = undefined;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => { window.__kubeglassHost(JSON.stringify(m)).then((reply) => { if (reply) window.postMessage(reply, '*'); }); },
    getState: () => window.__state,
    setState: (s) => { window.__state = s; },
  });
</script>
<script nonce="${NONCE}" src="${ORIGIN}/main.js"></script>
</body></html>`;
}
