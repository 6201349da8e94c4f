// `kubeglass graph`: the self-contained HTML page renders in Chromium with no console errors (its
// own CSP included), with offline rules and no server; `--format json` is a valid model and
// `--format dot` is Graphviz with escaped labels.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { runCli } from '../support/cli';
import { repoRoot } from '../support/paths';
import { browserUnavailable, launchBrowser, RESULTS_DIR } from './support';
import { TOPOLOGY_FIXTURE, XSS_LABEL, SECRET_VALUE } from '../engine/ide/topology-fixture';
import { parseTopologyModel } from '../../server/src/protocol/topology';

const skip = browserUnavailable();
if (skip) console.log(`# graph html browser test skipped: ${skip}`);
const cliMissing = fs.existsSync(path.join(repoRoot, 'dist', 'server', 'cli.js')) ? undefined : 'the CLI is not built (npm run build)';

let dir: string;
let browser: Browser | undefined;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeglass-graph-'));
  for (const [uri, text] of Object.entries(TOPOLOGY_FIXTURE)) fs.writeFileSync(path.join(dir, path.basename(uri)), text);
});

after(async () => {
  await browser?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('graph --format html renders in Chromium without console errors, offline', { skip: skip ?? cliMissing }, async () => {
  const out = path.join(dir, 'topology.html');
  const r = runCli(['graph', dir, '--format', 'html', '-o', out]);
  assert.equal(r.status, 0, r.stderr);
  const html = fs.readFileSync(out, 'utf8');
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-[^']+'/);
  assert.ok(!html.includes(SECRET_VALUE), 'secret value in the page');
  assert.ok(!/<script(?![^>]*(nonce=|type="application\/json"|type="text\/plain"))/.test(html), 'a script without nonce');
  assert.ok(!/\b(src|href)="https?:/.test(html), 'a remote resource');
  browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1300, height: 850 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  const requests: string[] = [];
  page.on('request', (req) => requests.push(req.url()));
  await page.goto(`file://${out}`);
  await page.waitForFunction(() => document.body.dataset.layout === 'done', null, { timeout: 30000 });
  assert.equal(await page.locator('[data-id="Service/shop/web"]').count(), 1);
  assert.equal(await page.locator('g.pod').count(), 4);
  // Details escape the label; rules come from the page; traces say they need the server.
  await page.locator('g.pod[data-group="Deployment/shop/web"]').first().click();
  assert.ok((await page.locator('#details table.labels td.value').allTextContents()).includes(XSS_LABEL));
  assert.equal(await page.locator('img').count(), 0);
  await page.locator('[data-id="Service/shop/web"] > rect.body').click();
  await page.locator('[data-tab="rules"]').click();
  await page.waitForFunction(() => document.querySelector('#rules-text')?.getAttribute('data-mode') === 'iptables');
  assert.match((await page.locator('#rules-text').textContent()) ?? '', /KUBE-SVC-/);
  await page.locator('#trace-run').click();
  await page.waitForSelector('#trace-result .note.error');
  assert.match((await page.locator('#trace-result').textContent()) ?? '', /language server/);
  // Reveal without a host says where the YAML is.
  assert.match((await page.locator('.status').textContent()) ?? '', /Service\/shop\/web: file:\/\/.*web\.yaml line 29/);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(RESULTS_DIR, 'topology-graph-html.png') });
  assert.deepEqual(problems, []);
  assert.deepEqual(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:') && !u.startsWith('blob:')), []);
});

test('graph --format json is a valid TopologyModel; --format dot is escaped Graphviz', { skip: cliMissing }, () => {
  const json = runCli(['graph', dir, '--format', 'json']);
  assert.equal(json.status, 0, json.stderr);
  const parsed = parseTopologyModel(JSON.parse(json.stdout));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.join('\n'));
  const dot = runCli(['graph', dir, '--format', 'dot']);
  assert.equal(dot.status, 0, dot.stderr);
  assert.match(dot.stdout, /^digraph topology \{\n  rankdir=LR;/);
  assert.match(dot.stdout, /"Service\/shop\/web" -> "Deployment\/shop\/web" \[label="80 → http → 8080\/TCP"\];/);
  assert.match(dot.stdout, /subgraph cluster_0 \{\n    label="namespace shop";/);
  const bad = runCli(['graph', dir, '--format', 'png']);
  assert.equal(bad.status, 2);
});
