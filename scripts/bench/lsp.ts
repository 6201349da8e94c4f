// Latency over the LSP on stdio, in the generated 10,000-object workspace:
// - edit: one pod-template label changed in a 25-document file whose Service sits in the next file,
//   timed from `didChange` to the last `publishDiagnostics` it causes (the edited file and its
//   dependents; a publication counts until the server has been quiet for `QUIET_MS`), 50 edits
//   alternating between breaking and restoring the Service's match;
// - the same edits sent to yaml-language-server, timed to its publication for the edited file;
// - hover and completion requests in the edited file.
// Usage: node --import tsx scripts/bench/lsp.ts [--objects 10000] [--edits 50] [--no-yls]
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BenchLspClient, format, now, percentile, report, repoRoot, workspaceOnDisk, type Publication } from './support';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const objects = option('--objects', 10000);
const edits = option('--edits', 50);
const QUIET_MS = 400;

const { root, files } = workspaceOnDisk(objects);

// An app whose Deployment is in one file and whose Service or NetworkPolicy (selecting its pods) is
// in the next, so the edit has a dependent in another file.
const docsOf = (text: string) => text.split(/^---\n/m);
const deploymentsOf = (text: string) => [...text.matchAll(/kind: Deployment\nmetadata:\n  name: (\S+)/g)].map((m) => m[1]!);
let target = -1;
let appName = '';
for (let i = 0; i + 1 < files.length && target < 0; i++) {
  const next = files[i + 1]!.text;
  for (const name of deploymentsOf(files[i]!.text)) {
    if (new RegExp(`kind: (Service|NetworkPolicy)\\nmetadata:\\n  name: ${name}(-ingress)?\\n`).test(next)) {
      target = i;
      appName = name;
    }
  }
}
if (target < 0) throw new Error('no app spans two files');
const edited = files[target]!;
const dependent = files[target + 1]!;
const labelLine = `        app: ${appName}\n`;
const labelAt = edited.text.indexOf(labelLine);
const textWith = (value: string) => edited.text.slice(0, labelAt) + `        app: ${value}\n` + edited.text.slice(labelAt + labelLine.length);
const selectsNothing = new RegExp(`app=${appName}(?![-0-9a-z])`);
const broken = (p: Publication) => p.diagnostics.some((d) => selectsNothing.test(d.message));

function waitFor(client: BenchLspClient, test: (p: Publication) => boolean, timeoutMs = 120_000): Promise<Publication> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error(`timed out; server stderr: ${client.stderr.slice(-2000)}`))), timeoutMs);
    const off = client.onPublication((p) => {
      if (test(p)) {
        clearTimeout(timer);
        off();
        resolve(p);
      }
    });
  });
}

async function kubeglass(): Promise<void> {
  // BENCH_CPU_PROF=<dir> profiles the server (node --cpu-prof), written when it exits.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  const client = new BenchLspClient(process.execPath, [...profile, path.join(repoRoot, 'bin', 'kubeglass.js'), 'lsp', '--stdio'], { kubeglass: {} });
  const indexed = new Promise<number>((resolve) => {
    client.connection.onNotification('kubeglass/status', (s: { objects: number }) => {
      if (s.objects >= objects) resolve(now());
    });
  });
  const started = now();
  await client.initialize(pathToFileURL(root).href);
  const indexedAt = await indexed;
  await client.quiet(1000);
  console.log(`  kubeglass: workspace of ${objects} objects indexed and checked ${format(indexedAt - started)} ms after initialize`);

  client.open(edited.uri, edited.text, 1);
  await client.quiet(QUIET_MS);
  const latencies: number[] = [];
  for (let i = 1; i <= edits; i++) {
    const breaking = i % 2 === 1;
    const expectDependent = waitFor(client, (p) => p.uri === dependent.uri && broken(p) === breaking);
    const from = client.publications.length;
    const sent = now();
    client.change(edited.uri, textWith(breaking ? `${appName}-edited` : appName), i + 1);
    await expectDependent;
    await client.quiet(QUIET_MS);
    const caused = client.publications.slice(from);
    latencies.push(Math.max(...caused.map((p) => p.at)) - sent);
  }
  const filesPublished = new Set(client.publications.map((p) => p.uri)).size;
  console.log(`  kubeglass: edit latency over ${edits} edits: p50 ${format(percentile(latencies, 50))} ms, p95 ${format(percentile(latencies, 95))} ms, max ${format(Math.max(...latencies))} ms (${filesPublished} files ever published)`);
  report({ name: 'edit latency p50, didChange -> last publishDiagnostics (kubeglass)', value: percentile(latencies, 50), unit: 'ms' });
  report({ name: 'edit latency p95, didChange -> last publishDiagnostics (kubeglass)', value: percentile(latencies, 95), unit: 'ms', target: 30 });

  // Requests in the edited file (restored to its original text by the even number of edits).
  const text = textWith(appName);
  const positionOf = (offset: number) => {
    const before = text.slice(0, offset);
    return { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
  };
  const hoverOffsets = [...text.matchAll(/targetPort: http|port: http|name: app-\d+-config|app: app-\d+/g)].map((m) => m.index! + m[0].length - 2);
  const completionOffsets = [...text.matchAll(/\n {4}app: |\n {6}name: |\n {8}tier: /g)].map((m) => m.index! + m[0].length);
  const timeRequests = async (method: string, offsets: number[], n: number) => {
    const times: number[] = [];
    let nonEmpty = 0;
    for (let i = 0; i < n; i++) {
      const offset = offsets[i % offsets.length]!;
      const t = now();
      const result = await client.connection.sendRequest(method, { textDocument: { uri: edited.uri }, position: positionOf(offset) });
      times.push(now() - t);
      if (result && (!Array.isArray(result) || result.length > 0)) nonEmpty++;
    }
    return { times, nonEmpty };
  };
  const hovers = await timeRequests('textDocument/hover', hoverOffsets, 50);
  const completions = await timeRequests('textDocument/completion', completionOffsets, 50);
  report({ name: 'hover latency p95 (kubeglass)', value: percentile(hovers.times, 95), unit: 'ms', target: 10, note: `p50 ${format(percentile(hovers.times, 50))} ms, ${hovers.nonEmpty}/50 with a result` });
  report({ name: 'completion latency p95 (kubeglass)', value: percentile(completions.times, 95), unit: 'ms', target: 10, note: `p50 ${format(percentile(completions.times, 50))} ms, ${completions.nonEmpty}/50 with a result` });
  await client.shutdown();
}

async function yamlLanguageServer(): Promise<void> {
  const bin = path.join(repoRoot, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
  // No schema store and no Kubernetes schema (both would be downloaded): syntax validation only.
  const settings = { yaml: { validate: true, hover: true, completion: true, schemaStore: { enable: false }, schemas: {} } };
  const client = new BenchLspClient(process.execPath, [bin, '--stdio'], settings);
  await client.initialize(pathToFileURL(root).href);
  void client.connection.sendNotification('workspace/didChangeConfiguration', { settings });
  const opened = waitFor(client, (p) => p.uri === edited.uri);
  client.open(edited.uri, edited.text, 1);
  await opened;
  await client.quiet(QUIET_MS);
  const latencies: number[] = [];
  for (let i = 1; i <= edits; i++) {
    const published = waitFor(client, (p) => p.uri === edited.uri);
    const sent = now();
    client.change(edited.uri, textWith(i % 2 === 1 ? `${appName}-edited` : appName), i + 1);
    const p = await published;
    latencies.push(p.at - sent);
    await client.quiet(QUIET_MS);
  }
  report({ name: 'edit latency p50, didChange -> publishDiagnostics (yaml-language-server, reference)', value: percentile(latencies, 50), unit: 'ms' });
  report({ name: 'edit latency p95, didChange -> publishDiagnostics (yaml-language-server, reference)', value: percentile(latencies, 95), unit: 'ms', note: 'syntax validation only, no schemas' });
  await client.shutdown();
}

void (async () => {
  console.log(`  edited: ${path.relative(root, edited.file)} (label app of Deployment ${appName}); dependent: ${path.relative(root, dependent.file)}`);
  await kubeglass();
  if (!args.includes('--no-yls')) await yamlLanguageServer();
  process.exit(0);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
