// `kubeglass lsp --stdio` with a second, independent LSP client: Neovim's built-in one, configured
// by test/nvim/init.lua exactly as docs/editors.md tells users. Neovim opens a broken manifest in a
// folder of two files; the test asserts the cross-file diagnostic and a hover it received.
// Skips, with the reason, only when nvim is missing (scripts/setup-system.sh installs it).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/paths';

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const missing = nvim.error ? 'nvim is not installed (apt-get install neovim)' : undefined;
if (missing) console.log(`# skipping the Neovim test: ${missing}`);

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{name: http, containerPort: 8080}]
`;

const SERVICES = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: web-metrics, namespace: shop}
spec:
  selector: {app: webapp}
  ports: [{port: 9090}]
`;

interface Received {
  status?: { objects: number; files: number; errors: number; warnings: number; scanning: boolean };
  diagnostics: { lnum: number; col: number; severity: number; code?: string; source?: string; message: string }[];
  hover: string | null;
  errors: string[];
}

test('Neovim shows Kubeglass diagnostics and hovers', { skip: missing }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeglass-nvim-'));
  try {
    const workspace = path.join(dir, 'shop');
    fs.mkdirSync(path.join(workspace, '.git'), { recursive: true }); // the root init.lua looks for
    fs.writeFileSync(path.join(workspace, 'deployment.yaml'), DEPLOYMENT);
    const services = path.join(workspace, 'services.yaml');
    fs.writeFileSync(services, SERVICES);
    // `kubeglass` on PATH, as after `npm install -g`.
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.symlinkSync(path.join(repoRoot, 'bin', 'kubeglass.js'), path.join(bin, 'kubeglass'));
    const out = path.join(dir, 'received.json');
    const hoverLine = SERVICES.split('\n').findIndex((l) => l.includes('targetPort: http'));
    const hoverCol = SERVICES.split('\n')[hoverLine]!.indexOf('http') + 1;

    const started = Date.now();
    const run = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', path.join(repoRoot, 'test', 'nvim', 'init.lua'), '-c', `luafile ${path.join(repoRoot, 'test', 'nvim', 'probe.lua')}`], {
      cwd: workspace,
      encoding: 'utf8',
      timeout: 90_000,
      env: {
        ...process.env,
        PATH: `${bin}${path.delimiter}${process.env.PATH}`,
        // Neovim's own state, logs and config stay in the scratch folder.
        XDG_CONFIG_HOME: path.join(dir, 'config'),
        XDG_DATA_HOME: path.join(dir, 'data'),
        XDG_STATE_HOME: path.join(dir, 'state'),
        XDG_CACHE_HOME: path.join(dir, 'cache'),
        KUBEGLASS_NVIM_FILE: services,
        KUBEGLASS_NVIM_HOVER: `${hoverLine}:${hoverCol}`,
        KUBEGLASS_NVIM_OUT: out,
        KUBEGLASS_NVIM_FILES: '2',
      },
    });
    assert.ok(fs.existsSync(out), `nvim wrote nothing (exit ${run.status}, signal ${run.signal}):\n${run.stdout}\n${run.stderr}`);
    const received = JSON.parse(fs.readFileSync(out, 'utf8')) as Received;
    console.log(`# neovim round trip: ${Date.now() - started} ms`);
    assert.deepEqual(received.errors, []);
    assert.deepEqual(received.status, { objects: 3, files: 2, errors: 0, warnings: 1, scanning: false }, 'the kubeglass/status notification');

    // The selector of web-metrics matches no pod; the web Service (line 4) is fine.
    const selectorLine = SERVICES.split('\n').findIndex((l) => l.includes('selector: {app: webapp}'));
    const kubeglass = received.diagnostics.filter((d) => d.source === 'kubeglass');
    assert.deepEqual(
      kubeglass.map((d) => ({ lnum: d.lnum, code: d.code })),
      [{ lnum: selectorLine, code: 'service-selects-nothing' }],
      JSON.stringify(received.diagnostics, null, 2),
    );
    assert.equal(kubeglass[0]!.severity, 2, 'a warning (vim.diagnostic.severity.WARN)');
    assert.match(kubeglass[0]!.message, /app=webapp matches no pod in namespace "shop"/);

    // The hover resolves the named targetPort through the Deployment in the other file.
    assert.ok(received.hover, 'no hover received');
    assert.match(received.hover!, /container `web` port `http` 8080\/TCP/);
    assert.match(received.hover!, /deployment\.yaml/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
