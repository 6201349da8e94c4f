// Security properties of what Kubeglass shows and runs:
// - Secret values (`data`, `stringData`) never appear in hovers, diagnostics (message, related
//   information, quick-fix titles) or completion details;
// - no code path can execute workspace content: no eval, Function constructor, vm, child
//   processes or dynamic imports of computed paths in the server, client or webview sources, and no
//   HTML injection in the webview;
// - the untrusted-workspace declaration in package.json matches that: supported, no setting names a
//   program or a path to run, and the workspace cannot change (nor, anywhere, remove) the limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { workspaceOf } from '../support/fixture';
import { checkHover } from '../support/ide';
import { hoverAt } from '../../server/src/engine/ide/hover';
import { completionsAt } from '../../server/src/engine/ide/completion';
import { repoRoot } from '../support/paths';
import { readSettings, LIMIT_CEILINGS } from '../../server/src/protocol/settings';

test('Secret data values are never shown in hovers (data and stringData, value and key)', () => {
  const data = checkHover(`
apiVersion: v1
kind: Secret
metadata: {name: s}
data:
  password: aHVudGVy$0Mg==
`, 'hidden');
  assert.ok(!data.includes('aHVudGVyMg=='), data);
  assert.ok(!data.includes('hunter2'), data);
  const stringData = checkHover(`
apiVersion: v1
kind: Secret
metadata: {name: s}
stringData:
  token: s3cr$0et-token
`, 'hidden');
  assert.ok(!stringData.includes('s3cret-token'), stringData);
});

/** Secret values chosen to be findable in any text; some are malformed on purpose. */
const SECRET_VALUES = ['c2VjcmV0LXZhbHVlLTE=', 'not-base64-#secret2', '7351294', 'yes', 'opensesame-stringdata', 'ZmFrZQ'];

const SECRETS = `
#- /secrets.yaml
apiVersion: v1
kind: Secret
metadata: {name: app-secret, namespace: shop, labels: {app: web}}
type: Opaque
data:
  good: c2VjcmV0LXZhbHVlLTE=
  bad: not-base64-#secret2
  number: 7351294
  short: ZmFrZQ
stringData:
  flag: yes
  text: opensesame-stringdata
  nested: {a: opensesame-stringdata}
---
apiVersion: v1
kind: Secret
metadata: {name: tls, namespace: shop}
type: kubernetes.io/tls
data:
  tls.crt: 7351294
---
apiVersion: v1
kind: Secret
metadata: {name: app-secret, namespace: shop}
stringData: {text: opensesame-stringdata}
#- /pod.yaml
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  containers:
    - name: web
      image: nginx
      env:
        - name: PASSWORD
          valueFrom: {secretKeyRef: {name: app-secret, key: missing-key}}
`;

test('diagnostics never repeat a Secret value (schema, base64, type, duplicates, references)', () => {
  const { ws } = workspaceOf(SECRETS);
  const texts: string[] = [];
  for (const uri of ws.fileUris()) {
    for (const d of ws.diagnostics(uri)) {
      texts.push(`${d.code}: ${d.message}`);
      for (const r of d.related) texts.push(`${d.code} related: ${r.message}`);
      for (const f of d.fixes) texts.push(`${d.code} fix: ${f.title}`);
    }
  }
  assert.ok(texts.length >= 4, `the fixture must produce findings to inspect:\n${texts.join('\n')}`);
  for (const secret of SECRET_VALUES) {
    const leaks = texts.filter((t) => (secret === 'yes' ? /`yes`|"yes"/.test(t) : t.includes(secret)));
    assert.deepEqual(leaks, [], `Secret value ${JSON.stringify(secret)} appears in:\n${leaks.join('\n')}`);
  }
});

test('hovers anywhere in a Secret and completions inside it never show a value', () => {
  const { ws } = workspaceOf(SECRETS);
  const uri = 'file:///secrets.yaml';
  const text = ws.text(uri)!;
  for (let offset = 0; offset < text.length; offset += 3) {
    const hover = hoverAt(ws, uri, offset);
    const shown = hover ? hover.markdown : '';
    for (const secret of SECRET_VALUES.filter((s) => s !== 'yes')) assert.ok(!shown.includes(secret), `hover at ${offset} shows ${secret}:\n${shown}`);
    for (const c of completionsAt(ws, uri, offset)) {
      const all = `${c.label} ${c.detail ?? ''} ${c.documentation ?? ''} ${c.insertText ?? ''}`;
      for (const secret of SECRET_VALUES.filter((s) => s !== 'yes')) assert.ok(!all.includes(secret), `completion at ${offset} shows ${secret}: ${all}`);
    }
  }
});

function sources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.(ts|js|mjs|cjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

/**
 * Ways to run code. None is allowed anywhere in the shipped sources (server, client, webview):
 * Kubeglass reads manifests and never starts programs; the CLI only reads files and the LSP only
 * speaks over its transport. Dynamic `import()`/`require()` are allowed only with a string literal
 * (the CLI loads the LSP adapter lazily: `import('../lsp/server')`).
 * Allowed on purpose: browser Web Workers (`new Worker`) that run Kubeglass's own bundled layout
 * code (ELK) in the webview and in the page `kubeglass graph` writes; they get model data as
 * messages, never workspace text as code. Node worker threads are not allowed.
 */
const FORBIDDEN: { what: string; re: RegExp }[] = [
  { what: 'eval', re: /(?<![\w.])eval\s*\(/ },
  { what: 'Function constructor', re: /\bnew\s+Function\s*\(|(?<![\w.])Function\s*\(\s*['"`]/ },
  { what: 'child processes', re: /['"](?:node:)?child_process['"]/ },
  { what: 'vm module', re: /['"](?:node:)?vm['"]/ },
  { what: 'worker threads', re: /['"](?:node:)?worker_threads['"]/ },
  { what: 'dynamic import of a computed path', re: /\bimport\s*\(\s*(?!['"])/ },
  { what: 'require of a computed path', re: /\brequire\s*\(\s*(?!['"])/ },
  { what: 'string timers', re: /\bset(?:Timeout|Interval)\s*\(\s*['"`]/ },
  { what: 'process.binding', re: /process\.binding\s*\(/ },
  { what: 'HTML injection', re: /\.(?:innerHTML|outerHTML)\s*=|insertAdjacentHTML\s*\(|document\.write\s*\(/ },
];

test('no shipped source can execute workspace content', () => {
  const roots = ['server/src', 'client/src', 'webview/src'].map((r) => path.join(repoRoot, r));
  const files = roots.flatMap(sources);
  assert.ok(files.length > 50, 'the scan sees the sources');
  const offenders: string[] = [];
  for (const file of files) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '');
      for (const f of FORBIDDEN) if (f.re.test(code)) offenders.push(`${path.relative(repoRoot, file)}:${i + 1}: ${f.what}: ${line.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});

test('the scan would catch each forbidden form', () => {
  const samples = [
    'eval(text)',
    'const f = new Function("return 1")',
    "import { spawn } from 'node:child_process';",
    "const vm = require('vm');",
    'await import(userPath)',
    'require(name)',
    "setTimeout('alert(1)', 0)",
    'el.innerHTML = label',
  ];
  for (const s of samples) assert.ok(FORBIDDEN.some((f) => f.re.test(s)), s);
  for (const ok of ["await import('../lsp/server')", "require('node:path')", 'schema.evaluate(x)', 'myeval(x)', 'x.textContent = label']) {
    assert.ok(!FORBIDDEN.some((f) => f.re.test(ok)), ok);
  }
});

test('package.json declares untrusted workspaces supported, and no setting names a program to run', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const untrusted = pkg.capabilities.untrustedWorkspaces;
  assert.equal(untrusted.supported, true);
  assert.match(untrusted.description, /never runs workspace content/);
  const settings = Object.keys(pkg.contributes.configuration.properties);
  const risky = settings.filter((s) => /path|command|executable|binary|program|kubectl|helm|shell/i.test(s));
  assert.deepEqual(risky, [], 'a setting that runs a program would need restrictedConfigurations');
  // An untrusted workspace cannot loosen the guards against pathological files.
  assert.deepEqual([...untrusted.restrictedConfigurations].sort(), settings.filter((s) => s.startsWith('kubeglass.limits.')).sort());
});

test('limits from an untrusted source are capped: they can loosen the guards, never remove them', () => {
  const { settings, problems } = readSettings({ limits: { maxFileSize: 1e12, maxAliasCount: 1e9, maxDepth: 1e6 } });
  assert.deepEqual(settings.limits, LIMIT_CEILINGS);
  assert.deepEqual(problems, ['limits.maxFileSize is capped at 67108864', 'limits.maxAliasCount is capped at 100000', 'limits.maxDepth is capped at 1000']);
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  for (const [k, max] of Object.entries(LIMIT_CEILINGS)) assert.equal(pkg.contributes.configuration.properties[`kubeglass.limits.${k}`].maximum, max, k);
  assert.deepEqual(readSettings({ limits: { maxDepth: -1, maxAliasCount: 'lots' } }).problems, ['limits.maxAliasCount must be a positive number', 'limits.maxDepth must be a positive number']);
});
