// The limits are editor settings (`kubeglass.limits.*`) that the language server pulls with
// workspace/configuration and passes to the engine: a small maxFileSize refuses a document the
// default would analyse, and changing the setting back analyses it again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient } from '../support/lsp-client';

test('kubeglass.limits.maxFileSize from the editor settings reaches the engine', async () => {
  const client = new LspClient();
  let settings: Record<string, unknown> = { limits: { maxFileSize: 64 } };
  client.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
  try {
    await client.initialize(null);
    const uri = 'file:///limits/app.yaml';
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, labels: {debug: on}}\n';
    client.open(uri, text);
    // The settings arrive asynchronously after `initialized`: wait for the publication that uses them.
    const refused = await client.waitForDiagnostics(uri, (d) => d.diagnostics.some((x) => x.code === 'file-too-large'));
    assert.deepEqual(refused.diagnostics.map((d) => d.code), ['file-too-large']);
    assert.match(refused.diagnostics[0]!.message, /more than the limit of 64 \(setting kubeglass.limits.maxFileSize\)/);

    settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const analysed = await client.waitForDiagnostics(uri, (d) => d.diagnostics.some((x) => x.code === 'yaml-type-coercion'));
    assert.ok(!analysed.diagnostics.some((d) => d.code === 'file-too-large'));
  } finally {
    await client.shutdown();
  }
});
