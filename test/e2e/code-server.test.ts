// Kubeglass in a real VS Code: the packaged .vsix (`npm run package`) installed into code-server
// 4.100.3 (VS Code 1.100.3), a copy of examples/ opened as the folder, driven through Debian's
// Chromium with Playwright the way a person uses it. Two windows of the same server:
//  1. the extension-host suite (test/vscode/suite/) runs through `extensionTestsPath` and reports
//     through a results file, because code-server's exit code does not reflect it;
//  2. the UI scenarios: Problems panel, quick fix, hover, go to definition, a cross-file edit,
//     kube-proxy rules, the topology webview, the status bar and a server crash.
// Screenshots of each scenario go to test-results/e2e/. Skips, with the reason, only when
// code-server or Chromium is missing; .ci/run installs both (scripts/setup-code-server.sh).
import { after, before, beforeEach, describe, it, type TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../support/paths';
import { bundleSuite } from '../vscode/bundle-suite';
import type { SuiteResults } from '../vscode/suite/index';
import { codeServerBinary, findProcesses, startCodeServer, type CodeServer } from './support/code-server';
import { packageVsix } from './support/vsix';
import { CHROMIUM_ARGS, UI_TIMEOUT_MS, Workbench } from './support/workbench';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.join(repoRoot, 'test-results', 'e2e');

const missing = [
  fs.existsSync(codeServerBinary()) ? undefined : `code-server is not installed at ${codeServerBinary()} (run scripts/setup-code-server.sh)`,
  fs.existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install chromium)`,
].filter((m): m is string => m !== undefined);
if (missing.length) console.log(`# skipping the VS Code end-to-end tests: ${missing.join('; ')}`);

/** User settings: no welcome page, no telemetry or update checks, no trust prompt. */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'editor.minimap.enabled': false,
  'editor.hover.delay': 10_000,
  'chat.disableAIFeatures': true,
  'files.autoSave': 'off',
};

describe('Kubeglass in VS Code (code-server + Chromium)', { skip: missing.length ? missing.join('; ') : false }, () => {
  let work: string;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let wb: Workbench;
  let workspace: string;
  let manifest: { contributes?: { commands?: { command: string }[] } };
  const results = () => path.join(work, 'suite-results.json');

  before(async () => {
    const started = Date.now();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeglass-e2e-'));
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const packaged = packageVsix();
    manifest = JSON.parse(fs.readFileSync(path.join(packaged.stagingDir, 'package.json'), 'utf8'));
    server = await startCodeServer({
      binary: codeServerBinary(),
      vsix: packaged.vsix,
      workDir: work,
      settings: SETTINGS,
      env: { KUBEGLASS_TEST_RESULTS: results() },
    });
    fs.rmSync(packaged.stagingDir, { recursive: true, force: true });
    workspace = copyExamples('workspace');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    console.log(`# e2e setup (package, install, start): ${Date.now() - started} ms`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('runs the extension-host suite in its own window', async () => {
    const suiteDir = path.join(work, 'suite');
    const suite = bundleSuite(suiteDir);
    const folder = copyExamples('suite-workspace');
    const remote = (p: string) => `vscode-remote://${server.authority}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(server.extensionDir)],
      ['extensionTestsPath', remote(suite)],
    ]);
    const suitePage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      const written = waitForFile(results(), 180_000);
      await suitePage.goto(`${server.url}?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`);
      await written;
      const r = JSON.parse(fs.readFileSync(results(), 'utf8')) as SuiteResults;
      for (const name of r.passed) console.log(`# extension host: ok - ${name}`);
      assert.deepEqual(r.failed, [], 'extension-host tests failed');
      assert.ok(r.passed.length >= 8, `only ${r.passed.length} extension-host tests ran`);
    } finally {
      await suitePage.close();
    }
  });

  describe('the UI', () => {
    let otherServers: number[] = [];
    const serverScript = () => path.join(server.extensionDir, 'dist', 'server', 'server.js');

    before(async () => {
      // Language servers of the suite's window (its extension host may outlive the page).
      otherServers = findProcesses(serverScript());
      page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      wb = new Workbench(page);
      await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: UI_TIMEOUT_MS });
      // The first status may come before the scan (0 objects); wait for the whole example.
      await wb.statusItem().filter({ hasText: `${countObjects(workspace)} objects` }).waitFor({ timeout: 120_000 });
    });

    beforeEach(async () => {
      // A scenario starts from a quiet workbench: no palette, widget or hover left open.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
    });

    after(async () => {
      await page?.close();
    });

    /** A UI scenario: on failure, a screenshot `failed-<name>.png` shows where it stood. */
    function scenario(name: string, fn: (t: TestContext) => Promise<void>): void {
      it(name, async (t) => {
        try {
          await fn(t);
        } catch (err) {
          await shot(`failed-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`).catch(() => undefined);
          throw err;
        }
      });
    }

    scenario('shows the index in the status bar', async () => {
      const text = (await wb.statusItem().textContent()) ?? '';
      const objects = countObjects(workspace);
      assert.match(text, new RegExp(`\\b${objects} objects\\b`), `status bar: "${text}"`);
      await shot('status-bar');
    });

    scenario('lists Kubeglass problems with file and line in the Problems panel', async () => {
      await wb.command('View: Focus Problems (Errors, Warnings, Infos)');
      const selector = position('shop/monitoring.yaml', 'selector: {app: webapp}', 0);
      const dns = position('shop/monitoring.yaml', 'hostNetwork: true', 0);
      const rows = await wb.waitForProblems(
        (rs) => problemIn(rs, 'monitoring.yaml', 'service-selects-nothing') !== undefined && problemIn(rs, 'monitoring.yaml', 'dns-policy-host-network') !== undefined,
        'the example mistakes',
      );
      // A problem row reads "<message>kubeglass<code>[Ln l, Col c]" (the parentheses are CSS).
      assert.match(problemIn(rows, 'monitoring.yaml', 'service-selects-nothing')!.text, new RegExp(`kubeglass\\(?service-selects-nothing\\)?\\s*\\[Ln ${selector.line}, Col ${selector.column}\\]$`));
      assert.match(problemIn(rows, 'monitoring.yaml', 'dns-policy-host-network')!.text, new RegExp(`kubeglass\\(?dns-policy-host-network\\)?\\s*\\[Ln ${dns.line}, Col ${dns.column}\\]$`));
      await shot('problems');
    });

    scenario('hovers a targetPort with the container port it resolves to', async () => {
      await wb.openAt('web.yaml', position('shop/web.yaml', 'targetPort: http', 'targetPort: '.length + 1));
      await wb.command('Show or Focus Hover');
      const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: '8080/TCP' });
      await hover.waitFor({ timeout: UI_TIMEOUT_MS });
      const text = (await hover.textContent()) ?? '';
      assert.match(text, /:80\/TCP → pod:http/);
      assert.match(text, /container web port http 8080\/TCP/);
      assert.match(text, /10\.96\.\d+\.\d+:80\/TCP → pod:http/);
      await shot('hover');
      await page.keyboard.press('Escape');
    });

    scenario('goes to a definition in another file', async () => {
      await wb.openAt('web.yaml', position('shop/web.yaml', 'service: {name: api,', 'service: {name: '.length + 1));
      await page.keyboard.press('F12');
      await wb.activeTab('api.yaml').waitFor({ timeout: UI_TIMEOUT_MS });
      const target = position('shop/api.yaml', '  name: api\n  namespace: shop\nspec:\n  selector', 2);
      await wb.waitForCursor(target.line);
      await shot('definition');
    });

    scenario('updates a Service diagnostic in another file when a pod label changes', async () => {
      await wb.command('View: Focus Problems (Errors, Warnings, Infos)');
      await wb.waitForProblems((rs) => problemIn(rs, 'monitoring.yaml', 'service-selects-nothing') !== undefined, 'the selector warning before the edit');
      // The pod template label of the web Deployment, app: web -> app: webapp.
      const at = position('shop/web.yaml', 'labels: {app: web, tier: frontend}\n    spec:', 'labels: {app: '.length);
      await wb.openAt('web.yaml', at);
      for (let i = 0; i < 'web'.length; i++) await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.type('webapp');
      await wb.waitForProblems((rs) => problemIn(rs, 'monitoring.yaml', 'service-selects-nothing') === undefined, 'the selector warning after the label edit');
      await shot('cross-file-edit');
      await page.keyboard.press('Control+Z');
      await wb.waitForProblems((rs) => problemIn(rs, 'monitoring.yaml', 'service-selects-nothing') !== undefined, 'the selector warning after undo');
      await wb.command('File: Revert File');
    });

    scenario('applies a quick fix and the problem disappears', async () => {
      const at = position('shop/monitoring.yaml', 'selector: {app: webapp}', 0);
      await wb.openAt('monitoring.yaml', at);
      await page.keyboard.press('Control+.');
      const fix = page.locator('.action-widget .monaco-list-row.action', { hasText: 'Change the selector to app=web' });
      await fix.waitFor({ timeout: UI_TIMEOUT_MS });
      // The widget keeps re-laying out while it opens, so choose with the keyboard, as people do.
      for (let i = 0; i < 10 && !(await fix.evaluate((el) => el.classList.contains('focused'))); i++) await page.keyboard.press('ArrowDown');
      await shot('quick-fix');
      await page.keyboard.press('Enter');
      await page.locator('.editor-group-container.active .view-line', { hasText: 'selector: {app: web}' }).waitFor({ timeout: UI_TIMEOUT_MS });
      await wb.command('View: Focus Problems (Errors, Warnings, Infos)');
      await wb.waitForProblems((rs) => problemIn(rs, 'monitoring.yaml', 'service-selects-nothing') === undefined, 'the selector warning after the quick fix');
      await shot('quick-fix-applied');
    });

    scenario('opens the kube-proxy rules with highlighting', async () => {
      await wb.openAt('web.yaml', position('shop/web.yaml', 'kind: Service\nmetadata:\n  name: web', 'kind: Service\nmetadata:\n  '.length + 1));
      await wb.command('Kubeglass: Show kube-proxy rules');
      await page.locator('[id="status.editor.mode"]', { hasText: /iptables|nftables|ipvs/i }).waitFor({ timeout: UI_TIMEOUT_MS });
      const text = await wb.editorText();
      assert.match(text, /KUBE-SERVICES/, `rules editor shows:\n${text.slice(0, 500)}`);
      // Highlighting is asynchronous: wait for the grammar's token colours to appear.
      await wb.waitForHighlighting(4);
      await shot('kube-proxy-rules');
    });

    scenario('draws the topology in a webview and reveals a node in its manifest', async (t) => {
      if (!manifest.contributes?.commands?.some((c) => c.command === 'kubeglass.showTopology')) {
        t.skip('the extension does not contribute kubeglass.showTopology yet');
        return;
      }
      await wb.open('api.yaml'); // the reveal must switch files
      await wb.command('Kubeglass: Show Topology');
      const view = wb.webview();
      const node = view.locator('g.node[aria-label^="Service shop/web"]').first();
      await node.waitFor({ timeout: UI_TIMEOUT_MS });
      assert.ok((await view.locator('g.node').count()) >= 5, 'the graph has nodes');
      // The panel opens beside the editor; given the window, the drawing re-fits itself as it grows.
      await wb.command('View: Toggle Maximize Editor Group');
      await shot('topology');
      await node.dblclick();
      await wb.activeTab('web.yaml').waitFor({ timeout: UI_TIMEOUT_MS });
      const service = documentLines('shop/web.yaml', 'kind: Service\nmetadata:\n  name: web');
      const line = await waitForActiveLineIn(wb, 'web.yaml', service);
      assert.ok(line !== undefined && line >= service.first && line <= service.last, `revealed line ${line}, Service web is lines ${service.first}-${service.last}`);
      await shot('topology-reveal');
    });

    scenario('offers the walkthrough', async () => {
      await wb.command('Welcome: Open Walkthrough...', { opensPicker: true });
      const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with Kubeglass' }).first();
      await pick.waitFor({ timeout: UI_TIMEOUT_MS });
      await pick.click();
      for (const title of ['Open a folder of manifests', 'Fix cross-object mistakes', 'See what the cluster would build']) {
        await page.locator('.gettingStartedContainer', { hasText: title }).first().waitFor({ timeout: UI_TIMEOUT_MS });
      }
      // The step's markdown (docs/walkthrough/*.md, packaged in the .vsix) renders in a webview.
      await wb.webview().getByText('Kubeglass starts when the workspace contains YAML files', { exact: false }).first().waitFor({ timeout: UI_TIMEOUT_MS });
      await shot('walkthrough');
      await wb.command('View: Close Editor');
    });

    scenario('restarts a crashed server once and tells the user', async () => {
      const ours = () => findProcesses(serverScript()).filter((pid) => !otherServers.includes(pid));
      const before = ours();
      assert.equal(before.length, 1, `one language server runs for this window: ${before.join(', ')}`);
      process.kill(before[0]!, 'SIGKILL'); // the server process this test's code-server started
      const toast = page.locator('.notification-toast', { hasText: 'stopped unexpectedly and was restarted' });
      await toast.waitFor({ timeout: UI_TIMEOUT_MS });
      await wb.statusItem().filter({ hasText: /objects/ }).waitFor({ timeout: UI_TIMEOUT_MS });
      const afterRestart = ours();
      assert.equal(afterRestart.length, 1);
      assert.notEqual(afterRestart[0], before[0]);
      await shot('server-restarted');
    });
  });

  /** A fresh copy of examples/ for one window. */
  function copyExamples(name: string): string {
    const dir = path.join(work, name);
    fs.cpSync(path.join(repoRoot, 'examples'), dir, { recursive: true });
    return dir;
  }

  /** 1-based line and column of `needle` (plus `delta` characters) in a workspace file. */
  function position(file: string, needle: string, delta: number): { line: number; column: number } {
    const text = fs.readFileSync(path.join(workspace, file), 'utf8');
    const at = text.indexOf(needle);
    assert.ok(at >= 0, `${JSON.stringify(needle)} not found in ${file}`);
    const before = text.slice(0, at + delta);
    const line = before.split('\n').length;
    return { line, column: at + delta - before.lastIndexOf('\n') };
  }

  /** The 1-based line range of the YAML document containing `needle`. */
  function documentLines(file: string, needle: string): { first: number; last: number } {
    const lines = fs.readFileSync(path.join(workspace, file), 'utf8').split('\n');
    const hit = position(file, needle, 0).line - 1;
    let first = hit;
    while (first > 0 && lines[first - 1] !== '---') first--;
    let last = hit;
    while (last < lines.length - 1 && lines[last + 1] !== '---') last++;
    return { first: first + 1, last: last + 1 };
  }

  async function shot(name: string): Promise<void> {
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  }
});

/** The problem row with `code` under the file row `fileName`, if any. */
function problemIn(rows: { level: number; text: string }[], fileName: string, code: string): { level: number; text: string } | undefined {
  let inFile = false;
  for (const row of rows) {
    if (row.level === 1) inFile = row.text.startsWith(fileName);
    else if (inFile && row.level === 2 && new RegExp(`kubeglass\\(?${code}\\)?\\s*\\[Ln `).test(row.text)) return row;
  }
  return undefined;
}

/** Objects in the example workspace: YAML documents with a `kind`. */
function countObjects(dir: string): number {
  let n = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.ya?ml$/.test(entry.name)) continue;
    n += (fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8').match(/^kind: /gm) ?? []).length;
  }
  return n;
}

/** The highlighted line of the editor of `fileName` once it falls in `range` (or the last one seen). */
async function waitForActiveLineIn(wb: Workbench, fileName: string, range: { first: number; last: number }): Promise<number | undefined> {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    const line = await wb.activeLineNumber(fileName);
    if ((line !== undefined && line >= range.first && line <= range.last) || Date.now() > deadline) return line;
    // The reveal scrolls and moves the cursor in one go; wait for the editor's next change.
    await wb.page.locator('.monaco-workbench').evaluate((el) => new Promise<void>((resolve) => {
      const observer = new MutationObserver(() => (observer.disconnect(), resolve()));
      observer.observe(el, { subtree: true, childList: true, attributes: true });
      setTimeout(() => (observer.disconnect(), resolve()), 1000);
    }));
  }
}

/** Resolves when `file` exists with content, watching its folder (no polling loop). */
function waitForFile(file: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const dir = path.dirname(file);
    const done = () => fs.existsSync(file) && fs.statSync(file).size > 0;
    if (done()) return resolve();
    const watcher = fs.watch(dir, () => {
      if (!done()) return;
      clearTimeout(timer);
      watcher.close();
      // The writer may still be flushing: JSON.parse below fails loudly if it was cut short.
      setImmediate(resolve);
    });
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`${file} was not written within ${timeoutMs} ms`));
    }, timeoutMs);
  });
}
