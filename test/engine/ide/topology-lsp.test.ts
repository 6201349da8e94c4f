// The topology requests over JSON-RPC through the built server (`kubeglass lsp --stdio`): the
// panel's three custom methods answer with wire types that pass the protocol's validators, and an
// edit is visible in the next model (the simulation memo follows the workspace revision).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient } from '../../support/lsp-client';
import { TOPOLOGY_FIXTURE } from './topology-fixture';
import { parseHostMessage, RULES_METHOD, TOPOLOGY_METHOD, TRACE_METHOD, type RulesResult, type TopologyModel, type TraceResult } from '../../../server/src/protocol/topology';

test('kubeglass/topology, kubeglass/rules and kubeglass/trace round trip', async () => {
  const client = new LspClient();
  try {
    await client.initialize(null);
    for (const [uri, text] of Object.entries(TOPOLOGY_FIXTURE)) client.open(uri, text);
    await client.waitForDiagnostics('file:///app/db.yaml', (d) => d.diagnostics.some((x) => x.code === 'service-selects-nothing'));

    const model = (await client.request(TOPOLOGY_METHOD, { includeConfig: true })) as TopologyModel;
    const checked = parseHostMessage({ type: 'model', model });
    assert.ok(checked.ok, checked.ok ? '' : checked.problems.join('\n'));
    assert.ok(model.nodes.some((n) => n.id === 'Pod/shop/db-1'));
    const ip = model.nodes.find((n) => n.id === 'Service/shop/web')!.service!.clusterIPs[0];

    const rules = (await client.request(RULES_METHOD, { mode: 'nftables', node: '', service: 'Service/shop/web' })) as RulesResult;
    assert.ok(parseHostMessage({ type: 'rulesResult', requestId: 1, result: rules, error: '' }).ok);
    assert.ok(rules.text.includes(`${ip} . tcp . 80`), rules.text.slice(0, 400));

    const trace = (await client.request(TRACE_METHOD, { mode: 'iptables', source: { kind: 'pod', pod: 'Pod/shop/db-0' }, destination: { ip, port: 80, protocol: 'TCP' } })) as TraceResult;
    assert.ok(parseHostMessage({ type: 'traceResult', requestId: 2, result: trace, error: '' }).ok);
    assert.equal(trace.outcome, 'dnat');
    assert.equal(trace.endpoints.length, 2);

    // An edit: three replicas make a third StatefulSet pod in the next model (the server handles
    // messages in order, so the request after the change sees it).
    client.change('file:///app/db.yaml', TOPOLOGY_FIXTURE['file:///app/db.yaml'].replace('replicas: 2', 'replicas: 3'), 2);
    const next = (await client.request(TOPOLOGY_METHOD, {})) as TopologyModel;
    assert.ok(next.nodes.some((n) => n.id === 'Pod/shop/db-2'));
    assert.ok(next.revision > model.revision);
  } finally {
    await client.shutdown();
  }
});
