// Tests that run inside a real VS Code extension host (code-server in CI, VS Code desktop through
// @vscode/test-electron where it can be downloaded), against a copy of examples/ opened as the
// workspace folder. They call the editor's own commands (`vscode.executeHoverProvider`, ...), so
// they cover the LSP client wiring that the JSON-RPC round-trip tests cannot.
//
// Results go to the JSON file named by KUBEGLASS_TEST_RESULTS as well as to the thrown error: a
// failing extension-host test does not change code-server's exit code, so the driver reads the file.
// Every case waits for the event it needs (diagnostics changed), never for a fixed time, and undoes
// its edits without saving, so the cases are independent of their order.
import * as fs from 'node:fs';
import * as vscode from 'vscode';

export interface SuiteResults {
  readonly passed: string[];
  readonly failed: { name: string; error: string }[];
  readonly durationMs: number;
}

interface Case {
  readonly name: string;
  run(): Promise<void>;
}

const CASE_TIMEOUT_MS = 60_000;

const CASES: Case[] = [
  {
    name: 'the example mistakes are reported on the right lines',
    async run() {
      const doc = await open('shop/monitoring.yaml');
      const diagnostics = await diagnosticsWhere(doc.uri, (ds) => hasCode(ds, 'service-selects-nothing') && hasCode(ds, 'dns-policy-host-network'));
      const selector = diagnostics.find((d) => code(d) === 'service-selects-nothing')!;
      assertEqual(selector.source, 'kubeglass', 'source');
      assertEqual(selector.range.start.line, lineOf(doc, 'selector: {app: webapp}'), 'service-selects-nothing line');
      const dns = diagnostics.find((d) => code(d) === 'dns-policy-host-network')!;
      assertEqual(dns.range.start.line, lineOf(doc, 'hostNetwork: true'), 'dns-policy-host-network line');
    },
  },
  {
    name: 'a hover on targetPort resolves the container port',
    async run() {
      const doc = await open('shop/web.yaml');
      const at = positionOf(doc, 'targetPort: http', 'targetPort: '.length + 1);
      const text = await waitForValue(async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
        const joined = (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
        return joined.includes('8080') ? joined : undefined;
      });
      assertIncludes(text, 'container `web` port `http` 8080/TCP');
    },
  },
  {
    name: 'go to definition crosses files',
    async run() {
      const doc = await open('shop/web.yaml');
      const at = positionOf(doc, 'service: {name: api,', 'service: {name: '.length + 1);
      const targets = await waitForValue(async () => {
        const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, at);
        return found && found.length > 0 ? found : undefined;
      });
      const target = targets[0]!;
      const uri = 'targetUri' in target ? target.targetUri : target.uri;
      const range = 'targetUri' in target ? (target.targetSelectionRange ?? target.targetRange) : target.range;
      if (!uri.path.endsWith('/shop/api.yaml')) throw new Error(`definition went to ${uri.toString()}`);
      const api = await vscode.workspace.openTextDocument(uri);
      assertEqual(api.lineAt(range.start.line).text.trim(), 'name: api', 'definition line');
    },
  },
  {
    name: 'a quick fix removes the problem',
    async run() {
      const doc = await open('shop/monitoring.yaml');
      const diagnostics = await diagnosticsWhere(doc.uri, (ds) => hasCode(ds, 'service-selects-nothing'));
      const problem = diagnostics.find((d) => code(d) === 'service-selects-nothing')!;
      // The last argument resolves the actions, so that each carries its edit.
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, problem.range, vscode.CodeActionKind.QuickFix.value, 10);
      const fix = (actions ?? []).find((a) => a.title.startsWith('Change the selector to app=web'));
      if (!fix?.edit) throw new Error(`no quick fix with an edit; actions: ${(actions ?? []).map((a) => `${a.title} (edit: ${!!a.edit})`).join(', ')}`);
      try {
        if (!(await vscode.workspace.applyEdit(fix.edit))) throw new Error(`could not apply "${fix.title}"`);
        await diagnosticsWhere(doc.uri, (ds) => !hasCode(ds, 'service-selects-nothing'));
      } finally {
        await revert(doc);
      }
    },
  },
  {
    name: 'editing a pod label in one file updates a Service diagnostic in another',
    async run() {
      const monitoring = await open('shop/monitoring.yaml');
      await diagnosticsWhere(monitoring.uri, (ds) => hasCode(ds, 'service-selects-nothing'));
      const web = await open('shop/web.yaml');
      const edit = new vscode.WorkspaceEdit();
      const label = 'labels: {app: web, tier: frontend}';
      const templateLine = web.getText().indexOf(label, web.getText().indexOf('template:'));
      const start = web.positionAt(templateLine + 'labels: {app: '.length);
      edit.replace(web.uri, new vscode.Range(start, start.translate(0, 'web'.length)), 'webapp');
      try {
        if (!(await vscode.workspace.applyEdit(edit))) throw new Error('could not edit web.yaml');
        await diagnosticsWhere(monitoring.uri, (ds) => !hasCode(ds, 'service-selects-nothing'));
      } finally {
        await revert(web);
      }
      await diagnosticsWhere(monitoring.uri, (ds) => hasCode(ds, 'service-selects-nothing'));
    },
  },
  {
    name: 'a severity setting reaches the server',
    async run() {
      const doc = await open('shop/monitoring.yaml');
      await diagnosticsWhere(doc.uri, (ds) => severityOf(ds, 'service-selects-nothing') === vscode.DiagnosticSeverity.Warning);
      const config = vscode.workspace.getConfiguration('kubeglass');
      try {
        await config.update('severity', { 'service-selects-nothing': 'error' }, vscode.ConfigurationTarget.Workspace);
        await diagnosticsWhere(doc.uri, (ds) => severityOf(ds, 'service-selects-nothing') === vscode.DiagnosticSeverity.Error);
      } finally {
        await config.update('severity', undefined, vscode.ConfigurationTarget.Workspace);
      }
      await diagnosticsWhere(doc.uri, (ds) => severityOf(ds, 'service-selects-nothing') === vscode.DiagnosticSeverity.Warning);
    },
  },
  {
    name: 'declared setting defaults do not override .kubeglass.yaml',
    async run() {
      // kubeglass.kubernetesVersion defaults to 1.34 in package.json; only a value the user set may
      // win over the workspace file, so the file's 1.15 must decide whether this API is removed.
      const folder = vscode.workspace.workspaceFolders![0]!.uri;
      const manifest = vscode.Uri.joinPath(folder, 'old-api.yaml');
      const settingsFile = vscode.Uri.joinPath(folder, '.kubeglass.yaml');
      const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, Buffer.from(text));
      try {
        await write(manifest, 'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: old, namespace: shop}\nspec:\n  template:\n    metadata: {labels: {app: old}}\n    spec:\n      containers: [{name: c, image: nginx}]\n');
        await diagnosticsWhere(manifest, (ds) => hasCode(ds, 'deprecated-api'));
        await write(settingsFile, 'kubernetesVersion: "1.15"\n');
        await diagnosticsWhere(manifest, (ds) => !hasCode(ds, 'deprecated-api'));
      } finally {
        await vscode.workspace.fs.delete(settingsFile).then(undefined, () => undefined);
        await vscode.workspace.fs.delete(manifest).then(undefined, () => undefined);
      }
    },
  },
  {
    name: 'the extension contributes its commands',
    async run() {
      const commands = new Set(await vscode.commands.getCommands(true));
      for (const c of ['kubeglass.restartServer', 'kubeglass.showOutput']) {
        if (!commands.has(c)) throw new Error(`command ${c} is not registered`);
      }
    },
  },
];

/** Entry point called by the extension host (extensionTestsPath). */
export async function run(): Promise<void> {
  const started = Date.now();
  const passed: string[] = [];
  const failed: { name: string; error: string }[] = [];
  for (const c of CASES) {
    try {
      await withTimeout(c.run(), CASE_TIMEOUT_MS, c.name);
      passed.push(c.name);
    } catch (err) {
      failed.push({ name: c.name, error: (err as Error).stack ?? String(err) });
    }
  }
  const results: SuiteResults = { passed, failed, durationMs: Date.now() - started };
  const file = process.env.KUBEGLASS_TEST_RESULTS;
  if (file) fs.writeFileSync(file, JSON.stringify(results, null, 2));
  if (failed.length > 0) throw new Error(`${failed.length} of ${CASES.length} extension-host tests failed:\n${failed.map((f) => `- ${f.name}: ${f.error}`).join('\n')}`);
}

async function open(relative: string): Promise<vscode.TextDocument> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, relative));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

async function revert(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc, { preview: false });
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

/** Resolves with the diagnostics of `uri` once they satisfy `test`, checking at every change. */
function diagnosticsWhere(uri: vscode.Uri, test: (ds: readonly vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  const kubeglass = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'kubeglass');
  return new Promise((resolve) => {
    const check = () => {
      const ds = kubeglass();
      if (!test(ds)) return false;
      subscription.dispose();
      resolve(ds);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    check();
  });
}

/**
 * Asks again until `probe` returns a value: a request made before the server has indexed the file
 * answers empty. Each retry follows a diagnostics change or a short pause, whichever comes first.
 */
async function waitForValue<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 250);
      const subscription = vscode.languages.onDidChangeDiagnostics(done);
      function done() {
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      }
    });
  }
}

function code(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

function severityOf(ds: readonly vscode.Diagnostic[], wanted: string): vscode.DiagnosticSeverity | undefined {
  return ds.find((d) => code(d) === wanted)?.severity;
}

function hasCode(ds: readonly vscode.Diagnostic[], wanted: string): boolean {
  return ds.some((d) => code(d) === wanted);
}

function lineOf(doc: vscode.TextDocument, text: string): number {
  const at = doc.getText().indexOf(text);
  if (at < 0) throw new Error(`"${text}" not found in ${doc.uri.path}`);
  return doc.positionAt(at).line;
}

function positionOf(doc: vscode.TextDocument, text: string, delta: number): vscode.Position {
  const at = doc.getText().indexOf(text);
  if (at < 0) throw new Error(`"${text}" not found in ${doc.uri.path}`);
  return doc.positionAt(at + delta);
}

function assertEqual<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function assertIncludes(text: string, part: string): void {
  if (!text.includes(part)) throw new Error(`expected ${JSON.stringify(part)} in:\n${text}`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms))),
  ]);
}
