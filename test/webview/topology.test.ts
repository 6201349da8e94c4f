// The topology webview in a real browser (Debian Chromium via playwright-core): the built bundle
// under a strict CSP, a stub of the VS Code webview API recording posted messages, and the engine
// answering rules and trace requests. Expected ranges and texts are read from the fixture text.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { browserUnavailable, launchBrowser, modelOf, openWebview, RESULTS_DIR, WEBVIEW_DIR, type WebviewPage } from './support';
import { TOPOLOGY_FIXTURE, XSS_LABEL } from '../engine/ide/topology-fixture';

const skip = browserUnavailable();
if (skip) console.log(`# webview tests skipped: ${skip}`);

let browser: Browser;
let view: WebviewPage;
const { model, sim } = modelOf(TOPOLOGY_FIXTURE);

before(async () => {
  if (skip) return;
  browser = await launchBrowser();
  view = await openWebview(browser, model, sim);
  await layoutDone(view, 1);
});

after(async () => {
  await browser?.close();
});

/** Waits until the page has finished `count` layouts. */
async function layoutDone(w: WebviewPage, count: number): Promise<void> {
  await w.page.waitForFunction((n) => Number(document.body.dataset.layoutCount ?? '0') >= n, count, { timeout: 30000 });
}

function lastPosted(type: string): Record<string, unknown> | undefined {
  return [...view.posted].reverse().find((m) => (m as { type: string }).type === type) as Record<string, unknown> | undefined;
}

/** The 0-based line and column of the `name: <name>` under the document of `kind` in a fixture file. */
function nameRange(uri: string, kind: string, name: string) {
  const text = TOPOLOGY_FIXTURE[uri];
  const docStart = text.indexOf(`kind: ${kind}\n`);
  const at = text.indexOf(`  name: ${name}\n`, docStart) + '  name: '.length;
  const before = text.slice(0, at).split('\n');
  const line = before.length - 1;
  const character = before[before.length - 1].length;
  return { start: { line, character }, end: { line, character: character + name.length } };
}

test('renders namespaces, nodes, pods, edges and port-mapping labels', { skip }, async () => {
  const { page } = view;
  for (const id of ['Namespace/shop', 'Ingress/shop/shop', 'Service/shop/web', 'Deployment/shop/web', 'StatefulSet/shop/db', 'Pod/shop/db-0', 'Pod/shop/db-1', 'ConfigMap/shop/web-config', 'Secret/shop/db-creds']) {
    assert.equal(await page.locator(`[data-id="${id}"]`).count(), 1, id);
  }
  assert.equal(await page.locator('g.pod[data-group="Deployment/shop/web"]').count(), 2);
  assert.equal(await page.locator('[data-id="backend|Service/shop/web|Deployment/shop/web"] path.line').count(), 1);
  const d = await page.locator('[data-id="backend|Service/shop/web|Deployment/shop/web"] path.line').getAttribute('d');
  assert.match(d ?? '', /^M[\d.]+ [\d.]+ L/, 'edge has a routed path');
  const labels = await page.locator('.edge-label text').allTextContents();
  assert.ok(labels.includes('80 → http → 8080/TCP'), labels.join(' | '));
  assert.ok(labels.includes('shop.example.com/ → 80'), labels.join(' | '));
  // The policy overlay colours web → db as allowed.
  assert.equal(await page.locator('[data-id="policy|Deployment/shop/web|StatefulSet/shop/db"].allowed').count(), 1);
  // Problems from the server become a badge with the message as tooltip.
  const badge = page.locator('[data-id="Service/shop/orphan"] > .badge.warning');
  assert.equal(await badge.count(), 1);
  await badge.hover();
  assert.match((await page.locator('.tooltip').textContent()) ?? '', /service-selects-nothing/);
  // ELK runs in a worker when the build ships its source, else in the page.
  const engine = await page.evaluate(() => document.body.dataset.layoutEngine);
  assert.equal(engine, fs.existsSync(path.join(WEBVIEW_DIR, 'elk-worker.js')) ? 'worker' : 'page');
  // Nodes sit inside their namespace frame.
  const ns = await page.locator('[data-id="Namespace/shop"] rect.ns-frame').boundingBox();
  const svc = await page.locator('[data-id="Service/shop/web"] > rect.body').boundingBox();
  assert.ok(ns && svc && svc.x >= ns.x && svc.y >= ns.y && svc.x + svc.width <= ns.x + ns.width + 1 && svc.y + svc.height <= ns.y + ns.height + 1);
});

test('clicking a node posts reveal with the exact range of its metadata.name', { skip }, async () => {
  await view.page.locator('[data-id="Service/shop/web"] > rect.body').click();
  const m = lastPosted('reveal');
  assert.ok(m, 'no reveal posted');
  assert.equal(m.ref, 'Service/shop/web');
  assert.deepEqual(m.location, { uri: 'file:///app/web.yaml', range: nameRange('file:///app/web.yaml', 'Service', 'web') });
  assert.equal(await view.page.locator('[data-id="Service/shop/web"].selected').count(), 1);
});

test('clicking an edge reveals the field that defines it', { skip }, async () => {
  await view.page.locator('.edge-label[data-edge="route|Ingress/shop/shop|Service/shop/web"]').click();
  const m = lastPosted('reveal') as { ref: string; location: { uri: string; range: { start: { line: number } } } };
  assert.equal(m.ref, 'Ingress/shop/shop');
  const text = TOPOLOGY_FIXTURE['file:///app/web.yaml'].split('\n');
  assert.match(text[m.location.range.start.line], /- path: \//);
});

test('the rules pane shows the Service rules and switches mode', { skip }, async () => {
  const { page } = view;
  await page.locator('[data-id="Service/shop/web"] > rect.body').click();
  await page.locator('[data-tab="rules"]').click();
  const ip = model.nodes.find((n) => n.id === 'Service/shop/web')!.service!.clusterIPs[0];
  await page.waitForFunction(() => document.querySelector('#rules-text')?.getAttribute('data-mode') === 'iptables');
  let text = (await page.locator('#rules-text').textContent()) ?? '';
  assert.ok(text.includes(`-d ${ip}/32`) || text.includes(`-d ${ip}`), text.slice(0, 400));
  assert.ok(/KUBE-SVC-[A-Z0-9]{16}/.test(text));
  assert.ok((await page.locator('#rules-text .tok-chain').count()) > 0, 'chains are highlighted');
  for (const [mode, marker] of [['nftables', 'add rule ip kube-proxy'], ['ipvs', `-A -t ${ip}:80 -s rr`]] as const) {
    await page.locator(`vscode-radio[data-mode="${mode}"]`).click();
    await page.waitForFunction((m) => document.querySelector('#rules-text')?.getAttribute('data-mode') === m, mode);
    text = (await page.locator('#rules-text').textContent()) ?? '';
    assert.ok(text.includes(marker), `${mode}: ${text.slice(0, 300)}`);
    const req = lastPosted('rules') as { params: { mode: string; service: string } };
    assert.deepEqual([req.params.mode, req.params.service], [mode, 'Service/shop/web']);
  }
  await page.locator('vscode-radio[data-mode="iptables"]').click();
  await page.waitForFunction(() => document.querySelector('#rules-text')?.getAttribute('data-mode') === 'iptables');
});

test('a packet trace from a pod to the ClusterIP walks KUBE-SERVICES to the endpoints', { skip }, async () => {
  const { page } = view;
  const ip = model.nodes.find((n) => n.id === 'Service/shop/web')!.service!.clusterIPs[0];
  await page.evaluate(() => {
    const src = document.querySelector('#trace-source') as HTMLElement & { value: string };
    src.value = 'pod:Pod/shop/db-0';
    src.dispatchEvent(new Event('change'));
  });
  assert.equal(await page.evaluate(() => (document.querySelector('#trace-dest') as HTMLElement & { value: string }).value), `${ip}|80|TCP`);
  await page.locator('#trace-run').click();
  await page.waitForSelector('#trace-result .trace-summary');
  assert.equal(await page.locator('#trace-result .trace-summary').getAttribute('data-outcome'), 'dnat');
  const webPods = model.nodes.filter((n) => n.parent === 'Deployment/shop/web');
  const endpoints = await page.locator('#trace-result li.endpoint').evaluateAll((els) => els.map((e) => e.getAttribute('data-address')));
  assert.deepEqual(endpoints.sort(), webPods.map((p) => `${p.pod!.ips[0]}:8080`).sort());
  const endpointText = await page.locator('#trace-result li.endpoint').allTextContents();
  assert.ok(endpointText.every((t) => t.includes('50.0%')), endpointText.join(' | '));
  const chains = await page.locator('#trace-result .hop .chain').allTextContents();
  assert.ok(chains.includes('nat KUBE-SERVICES'), chains.join(' | '));
  assert.ok(chains.some((c) => /KUBE-SEP-/.test(c)), chains.join(' | '));
  assert.equal(await page.locator('#trace-result .masq').count(), 0, 'pod-to-ClusterIP is not masqueraded');
  const req = lastPosted('trace') as { params: unknown };
  assert.deepEqual(req.params, { mode: 'iptables', source: { kind: 'pod', pod: 'Pod/shop/db-0' }, destination: { ip, port: 80, protocol: 'TCP' } });
});

test('a label value with HTML renders as text, never as markup', { skip }, async () => {
  const { page } = view;
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await page.locator('[data-tab="details"]').click();
  await page.locator('g.pod[data-group="Deployment/shop/web"]').first().click();
  const values = await page.locator('#details table.labels td.value').allTextContents();
  assert.ok(values.includes(XSS_LABEL), values.join(' | '));
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(await page.evaluate(() => document.querySelectorAll('[onerror]').length), 0);
  // The tooltip of the node carries it as text too.
  await page.locator('g.pod[data-group="Deployment/shop/web"]').first().hover();
  assert.ok(((await page.locator('.tooltip').textContent()) ?? '').includes(XSS_LABEL));
  assert.equal(await page.locator('.tooltip *').count(), 0, 'the tooltip holds text only');
  assert.equal(dialogs, 0);
});

test('DNS pane shows per-pod names and resolv.conf', { skip }, async () => {
  const { page } = view;
  await page.locator('[data-id="Pod/shop/db-0"]').click();
  await page.locator('[data-tab="dns"]').click();
  const records = (await page.locator('#dns pre.dns-records').textContent()) ?? '';
  assert.match(records, /^db-0\.db\.shop\.svc\.cluster\.local\. A 10\.244\./m);
  const resolv = (await page.locator('#dns pre.resolv-conf').textContent()) ?? '';
  assert.equal(resolv, 'nameserver 10.96.0.10\nsearch shop.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5');
  await page.locator('[data-tab="details"]').click();
});

test('host highlight messages mark the node under the cursor', { skip }, async () => {
  await view.send({ type: 'highlight', ref: 'Service/shop/db' });
  await view.page.waitForSelector('[data-id="Service/shop/db"].highlighted');
  await view.send({ type: 'highlight', ref: '' });
  await view.page.waitForFunction(() => document.querySelectorAll('.highlighted').length === 0);
});

test('keyboard: arrows move the selection, Enter reveals, + zooms', { skip }, async () => {
  const { page } = view;
  await page.locator('[data-id="Ingress/shop/shop"] > rect.body').click();
  const before = view.posted.length;
  await page.keyboard.press('ArrowRight');
  const selected = await page.evaluate(() => document.querySelector('.node.selected')?.getAttribute('data-id'));
  assert.equal(selected, 'Service/shop/web');
  await page.keyboard.press('Enter');
  assert.ok(view.posted.slice(before).some((m) => (m as { type: string; ref?: string }).type === 'reveal' && (m as { ref: string }).ref === 'Service/shop/web'));
  const k0 = await page.evaluate(() => (window as unknown as { __state?: { transform: { k: number } } }).__state?.transform.k ?? 0);
  await page.keyboard.press('+');
  const k1 = await page.evaluate(() => (window as unknown as { __state?: { transform: { k: number } } }).__state?.transform.k ?? 0);
  assert.ok(k1 > k0, `${k0} -> ${k1}`);
});

test('search dims what does not match (label=value)', { skip }, async () => {
  const { page } = view;
  await page.locator('#search').click();
  await page.keyboard.type('app=db');
  await page.waitForSelector('[data-id="Deployment/shop/web"].dimmed');
  assert.equal(await page.locator('[data-id="StatefulSet/shop/db"].dimmed').count(), 0);
  await page.evaluate(() => {
    const f = document.querySelector('#search') as HTMLElement & { value: string };
    f.value = '';
    f.dispatchEvent(new Event('input'));
  });
  await page.waitForFunction(() => document.querySelectorAll('.dimmed').length === 0);
  await page.locator('svg.graph').focus();
});

test('exports a standalone SVG with the theme colours resolved', { skip }, async () => {
  await view.page.locator('#export-svg').click();
  await view.page.waitForFunction(() => document.querySelector('.status')?.textContent?.startsWith('Exported'));
  const m = lastPosted('export') as { format: string; data: string };
  assert.equal(m.format, 'svg');
  assert.ok(m.data.startsWith('<svg'), m.data.slice(0, 60));
  assert.ok(m.data.includes('data-id="Service/shop/web"'));
  assert.ok(!m.data.includes('var(--'), 'CSS variables left unresolved');
  assert.ok(m.data.includes('80 → http → 8080/TCP'), 'edge labels are in the drawing');
  // Parsed in a blank page (the webview's CSP would report the file's own <style> as inline style).
  const blank = await browser.newPage();
  const parsed = await blank.evaluate((text) => new DOMParser().parseFromString(text, 'image/svg+xml').querySelector('parsererror')?.textContent ?? 'ok', m.data);
  await blank.close();
  assert.equal(parsed, 'ok', 'the export is well-formed SVG');
});

test('exports a PNG rendered from the SVG (a data URL the host saves)', { skip }, async () => {
  const before = view.posted.length;
  await view.page.locator('#export-png').click();
  await view.page.waitForFunction((n) => document.querySelector('.status')?.textContent === 'Exported PNG' || n < 0, before);
  const m = view.posted.slice(before).find((x) => (x as { type: string }).type === 'export') as { format: string; data: string };
  assert.equal(m.format, 'png');
  assert.match(m.data, /^data:image\/png;base64,[A-Za-z0-9+/]{1000,}/);
});

test('a live update keeps zoom and selection and shows the new pods', { skip }, async () => {
  const { page } = view;
  await page.locator('[data-id="StatefulSet/shop/db"] > rect.body').click({ position: { x: 60, y: 10 } });
  const stateBefore = await page.evaluate(() => JSON.stringify((window as unknown as { __state: { transform: unknown } }).__state.transform));
  const count = Number(await page.evaluate(() => document.body.dataset.layoutCount));
  const edited = { ...TOPOLOGY_FIXTURE, 'file:///app/db.yaml': TOPOLOGY_FIXTURE['file:///app/db.yaml'].replace('replicas: 2', 'replicas: 3') };
  await view.send({ type: 'model', model: { ...modelOf(edited).model, revision: 2 } });
  await layoutDone(view, count + 1);
  assert.equal(await page.locator('[data-id="Pod/shop/db-2"]').count(), 1);
  assert.equal(await page.locator('[data-id="StatefulSet/shop/db"].selected').count(), 1);
  const stateAfter = await page.evaluate(() => JSON.stringify((window as unknown as { __state: { transform: unknown } }).__state.transform));
  assert.equal(stateAfter, stateBefore);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(RESULTS_DIR, 'topology-webview.png') });
});

test('no console errors or CSP violations during the session', { skip }, () => {
  assert.deepEqual(view.consoleErrors, []);
});
