// Malformed LSP traffic through the real `kubeglass lsp --stdio`: garbage bodies, messages that are
// not JSON-RPC, a header block without Content-Length, requests and notifications with bad params,
// requests on documents the server never saw, an unknown method, a watched file that vanished,
// oversized and binary documents. The server answers every request (an error response for an unknown
// method or params without a document, an empty result and a log line for a request it cannot
// serve), never exits, and a valid request afterwards still gets its answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient } from '../support/lsp-client';

const OPEN = 'file:///robust/app.yaml';
const APP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, labels: {debug: on}}\n';

function frame(body: string): string {
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

test('the language server survives malformed traffic and keeps answering', async () => {
  const client = new LspClient();
  const logs: string[] = [];
  client.connection.onNotification('window/logMessage', (p: { message: string }) => logs.push(p.message));
  try {
    await client.initialize(null);
    client.open(OPEN, APP);
    await client.waitForDiagnostics(OPEN, (d) => d.diagnostics.length > 0);
    const raw = (s: string) => client.child.stdin!.write(s);

    // Bodies that are not JSON, or JSON that is not JSON-RPC.
    raw(frame('{not json!!}'));
    raw(frame('{"foo": 1}'));
    raw(frame('[1, 2, 3]'));
    raw(frame('"just a string"'));

    // A request with bad params: an empty result, and the failure is logged with the uri.
    const hoverNoPosition = await client.request('textDocument/hover', { textDocument: { uri: OPEN } });
    assert.equal(hoverNoPosition, null);
    assert.deepEqual(await client.request('textDocument/definition', { textDocument: 5, position: 'x' }), []);
    // Params without a document at all: a JSON-RPC error response (internal error).
    await assert.rejects(client.request('textDocument/references', {}), (err: { code?: number }) => err.code === -32603);

    // A notification with bad params, and a change for a document that was never opened.
    raw(frame('{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{}}'));
    raw(frame('{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///robust/never.yaml","version":3},"contentChanges":[{"text":"x"}]}}'));
    // A watched file that vanished before the server could read it.
    raw(frame('{"jsonrpc":"2.0","method":"workspace/didChangeWatchedFiles","params":{"changes":[{"uri":"file:///robust/vanished-kubeglass-test.yaml","type":1}]}}'));

    // Requests on documents the server does not know: empty answers.
    const unknown = { textDocument: { uri: 'file:///robust/unknown.yaml' }, position: { line: 0, character: 0 } };
    assert.equal(await client.request('textDocument/hover', unknown), null);
    assert.deepEqual(await client.request('textDocument/definition', unknown), []);
    assert.deepEqual(await client.request('textDocument/references', { ...unknown, context: { includeDeclaration: true } }), []);
    assert.deepEqual(await client.request('textDocument/documentSymbol', { textDocument: unknown.textDocument }), []);
    assert.deepEqual(await client.request('textDocument/codeLens', { textDocument: unknown.textDocument }), []);
    assert.deepEqual(await client.request('textDocument/completion', unknown), []);

    // An unknown method: a JSON-RPC error response.
    await assert.rejects(client.request('kubeglass/noSuchMethod', {}), (err: { code?: number }) => err.code === -32601);

    // A header block without Content-Length is dropped; the reader resumes at the next message
    // (the library looks at the rest of its buffer when more data arrives, hence two requests).
    raw('X-Garbage: 1\r\n\r\n');
    const afterHeader = [
      client.request('textDocument/hover', { textDocument: { uri: OPEN }, position: { line: 1, character: 8 } }),
      client.request('textDocument/hover', { textDocument: { uri: OPEN }, position: { line: 1, character: 8 } }),
    ];

    // An oversized document and a binary one: a clear diagnostic each, no crash.
    client.open('file:///robust/huge.yaml', APP + '#'.repeat(6 * 1024 * 1024) + '\n');
    client.open('file:///robust/blob.yaml', '\u0000\u0001\u0002binary\u0000');
    const huge = await client.waitForDiagnostics('file:///robust/huge.yaml', (d) => d.diagnostics.length > 0, 30000);
    assert.deepEqual(huge.diagnostics.map((d) => d.code), ['file-too-large']);
    const blob = await client.waitForDiagnostics('file:///robust/blob.yaml', (d) => d.diagnostics.length > 0);
    assert.deepEqual(blob.diagnostics.map((d) => d.code), ['not-text']);

    // Valid requests still answer.
    for (const h of await Promise.all(afterHeader)) assert.match(JSON.stringify(h), /ConfigMap/);
    const hover = (await client.request('textDocument/hover', { textDocument: { uri: OPEN }, position: { line: 1, character: 8 } })) as { contents: { value: string } };
    assert.match(hover.contents.value, /ConfigMap/);
    assert.equal(client.child.exitCode, null, 'the server is still running');
    assert.ok(logs.some((l) => /hover failed \(uri file:\/\/\/robust\/app\.yaml/.test(l)), `the bad hover is logged: ${logs.join('\n')}`);
    assert.ok(logs.some((l) => /didOpen' failed/.test(l)), 'the bad notification is logged');
  } finally {
    await client.shutdown();
  }
});
