// The editor-facing extras of the language server, over a real `kubeglass lsp --stdio` process:
// the workspace scan reports work-done progress and publishes diagnostics while it is still
// running, and `kubeglass/status` carries the totals the status bar shows.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../support/lsp-client';
import type { StatusParams } from '../../server/src/protocol/status';

type ProgressValue = { kind: 'begin'; title: string; message?: string; percentage?: number } | { kind: 'report'; message?: string; percentage?: number } | { kind: 'end' };

/** Every other file selects pods nobody has (one warning each); the rest are quiet Deployments. */
function writeWorkspace(count: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeglass-scan-'));
  for (let i = 0; i < count; i++) {
    const text =
      i % 2 === 0
        ? `apiVersion: v1\nkind: Service\nmetadata: {name: svc-${i}, namespace: scan}\nspec:\n  selector: {app: missing-${i}}\n  ports: [{port: 80}]\n`
        : `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-${i}, namespace: scan}\nspec:\n  selector: {matchLabels: {app: app-${i}}}\n  template:\n    metadata: {labels: {app: app-${i}}}\n    spec: {containers: [{name: c, image: nginx}]}\n`;
    fs.writeFileSync(path.join(dir, `m-${String(i).padStart(4, '0')}.yaml`), text);
  }
  return dir;
}

test('the scan reports progress, publishes while indexing, and sends status totals', async () => {
  const count = 600; // two chunks of the scan (250, then the remaining 350)
  const dir = writeWorkspace(count);
  const client = new LspClient();
  const events: string[] = [];
  const changed = createSignal();
  const progress: ProgressValue[] = [];
  const statuses: StatusParams[] = [];
  let token: string | number | undefined;
  client.connection.onRequest('window/workDoneProgress/create', (p: { token: string | number }) => {
    token = p.token;
    return null;
  });
  client.connection.onNotification('$/progress', (p: { token: string | number; value: ProgressValue }) => {
    if (p.token !== token) return;
    progress.push(p.value);
    events.push(`progress:${p.value.kind}`);
    changed.fire();
  });
  client.connection.onNotification('kubeglass/status', (s: StatusParams) => {
    statuses.push(s);
    events.push(`status:${s.files}`);
    changed.fire();
  });
  try {
    const rootUri = pathToFileURL(dir).href;
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'scan' }],
      capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true } },
    });
    await client.connection.sendNotification('initialized', {});
    const settled = () => statuses.at(-1)?.files === count && statuses.at(-1)?.warnings === count / 2 && statuses.at(-1)?.scanning === false;
    await withTimeout(changed.until(settled), 60000, () => `status never settled: ${JSON.stringify(statuses.slice(-3))}`);
    await withTimeout(changed.until(() => progress.some((p) => p.kind === 'end')), 60000, () => `no progress end: ${JSON.stringify(progress)}`);

    const begin = progress[0];
    assert.equal(begin?.kind, 'begin');
    assert.equal(begin.kind === 'begin' && begin.title, 'Kubeglass');
    assert.equal(begin.kind === 'begin' && begin.message, 'indexing 600 manifests');
    const percentages = progress.flatMap((p) => (p.kind === 'report' && p.percentage !== undefined ? [p.percentage] : []));
    assert.equal(percentages.length, 2, `expected a report per chunk, got ${JSON.stringify(progress)}`);
    assert.deepEqual(percentages, [...percentages].sort((a, b) => a - b), 'percentages never go back');
    assert.equal(percentages.at(-1), 100);

    // Progressive: a publication pass (each is followed by a status) happens while the scan still
    // has files to read.
    const end = events.indexOf('progress:end');
    const early = events.slice(0, end).filter((e) => e.startsWith('status:') && Number(e.slice(7)) < count);
    assert.ok(early.length > 0, `nothing published before the scan ended: ${events.join(', ')}`);
    // Those partial totals say so (the status bar shows them as "indexing"); the scan's end clears it.
    const partial = statuses.filter((s) => s.files < count);
    assert.ok(partial.length > 0 && partial.every((s) => s.scanning), `partial statuses: ${JSON.stringify(partial)}`);

    // The final totals agree with what was published: one warning per Service, no errors.
    const last = statuses.at(-1)!;
    assert.deepEqual(last, { objects: count, files: count, errors: 0, warnings: count / 2, scanning: false });
    const published = [...client.diagnostics.values()].reduce((n, d) => n + d.diagnostics.filter((x) => x.severity === 2).length, 0);
    assert.equal(published, last.warnings);

    // An edit that fixes one Service lowers the count by one.
    const fixed = pathToFileURL(path.join(dir, 'm-0000.yaml')).href;
    client.open(fixed, fs.readFileSync(path.join(dir, 'm-0000.yaml'), 'utf8'), 1);
    client.change(fixed, 'apiVersion: v1\nkind: Service\nmetadata: {name: svc-0, namespace: scan}\nspec:\n  selector: {app: app-1}\n  ports: [{port: 80}]\n', 2);
    await withTimeout(changed.until(() => statuses.at(-1)!.warnings === count / 2 - 1), 60000, () => `status after edit: ${JSON.stringify(statuses.at(-1))}`);
  } finally {
    await client.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a workspace without manifests still gets a status', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeglass-empty-'));
  const client = new LspClient();
  const status = new Promise<StatusParams>((resolve) => client.connection.onNotification('kubeglass/status', resolve));
  try {
    await client.initialize(pathToFileURL(dir).href);
    assert.deepEqual(await withTimeout(status, 10000, () => 'no status'), { objects: 0, files: 0, errors: 0, warnings: 0, scanning: false });
  } finally {
    await client.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Conditions re-checked whenever a notification arrives: waits for events, never polls. */
function createSignal() {
  const checks = new Set<() => void>();
  return {
    fire: () => {
      for (const check of [...checks]) check();
    },
    until: (condition: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!condition()) return;
          checks.delete(check);
          resolve();
        };
        checks.add(check);
        check();
      }),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, describe: () => string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(describe())), ms))),
  ]);
}
