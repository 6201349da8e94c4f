// LSP round trip through the real binary: `kubeglass lsp --stdio` as a child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { LspClient } from '../support/lsp-client';
import { repoRoot } from '../support/paths';

test('a document with a YAML error gets a yaml-syntax diagnostic at the right range', async () => {
  const client = new LspClient();
  try {
    const init = (await client.initialize(null)) as { capabilities: { textDocumentSync: unknown } };
    assert.ok(init.capabilities.textDocumentSync, 'server announces document sync');
    const uri = 'file:///virtual/broken.yaml';
    const text = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: cfg', 'data:', '  key: "unclosed', ''].join('\n');
    client.open(uri, text);
    const published = await client.waitForDiagnostics(uri, (d) => d.diagnostics.length > 0);
    const syntax = published.diagnostics.filter((d) => d.code === 'yaml-syntax');
    assert.ok(syntax.length >= 1, JSON.stringify(published));
    // The unclosed quote starts on line 5 (0-based), column 7.
    assert.equal(syntax[0].range.start.line, 5);
    assert.equal(syntax[0].range.start.character, 7);
    assert.equal(syntax[0].severity, 1);

    // Fixing the text clears the diagnostic.
    client.change(uri, text.replace('"unclosed', '"closed"'), 2);
    const fixed = await client.waitForDiagnostics(uri, (d) => d.diagnostics.length === 0);
    assert.deepEqual(fixed.diagnostics, []);
  } finally {
    await client.shutdown();
  }
});

test('the server indexes the workspace folder and survives requests on unknown documents', async () => {
  const client = new LspClient();
  try {
    const root = pathToFileURL(path.join(repoRoot, 'examples')).href;
    await client.initialize(root);
    const result = await client.request('textDocument/codeAction', {
      textDocument: { uri: 'file:///nowhere/unknown.yaml' },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    });
    assert.deepEqual(result, []);
    // Still alive: a second request answers.
    const again = await client.request('textDocument/codeAction', {
      textDocument: { uri: 'file:///nowhere/unknown.yaml' },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    });
    assert.deepEqual(again, []);
  } finally {
    await client.shutdown();
  }
});
