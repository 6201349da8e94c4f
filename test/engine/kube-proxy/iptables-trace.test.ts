// Upstream packet-flow expectations (expected.flows.json of every ipt-* case) reproduced by
// tracing the rules our generator wrote: `flows` with all objects, `flowsWithoutEndpointSlices`
// after removing the EndpointSlices, `flowsWithoutServices` after removing everything.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { V1EndpointSlice, V1Service } from '../../../server/src/engine/model/k8s-types';
import { buildKubeProxyModel, parseKubeProxyOptions } from '../../../server/src/engine/simulate/kube-proxy/model';
import { generateIptablesRuleset, nodeIptablesRuleset, renderIptablesRestore } from '../../../server/src/engine/simulate/kube-proxy/iptables';
import { parseIptablesRestore } from '../../../server/src/engine/simulate/kube-proxy/restore-text';
import { traceIptablesPacket } from '../../../server/src/engine/simulate/kube-proxy/iptables-trace';
import { type PacketFlow, type VectorCase, listVectorCases, loadVectorCase } from './support';

const cases = listVectorCases('ipt-')
  .map(loadVectorCase)
  .filter((c) => c.expectedFlows !== undefined);

function checkFlows(c: VectorCase, services: readonly V1Service[], slices: readonly V1EndpointSlice[], flows: readonly PacketFlow[], node: boolean): number {
  const { options } = parseKubeProxyOptions(c.config);
  let ruleset = generateIptablesRuleset(buildKubeProxyModel(services, slices, options));
  if (node) ruleset = nodeIptablesRuleset(ruleset);
  const parsed = parseIptablesRestore(renderIptablesRestore(ruleset));
  assert.deepEqual(parsed.problems, []);
  const failures: string[] = [];
  for (const f of flows) {
    const trace = traceIptablesPacket(parsed, {
      sourceIP: f.sourceIP,
      destIP: f.destIP,
      destPort: f.destPort,
      protocol: f.protocol,
      localIPs: c.expectedFlows!.localIPs,
    });
    if (trace.output !== f.output || trace.masq !== f.masq) {
      failures.push(`${f.name}: expected ${JSON.stringify(f.output)} masq=${f.masq}, got ${JSON.stringify(trace.output)} masq=${trace.masq}\n  ${trace.hops.map((h) => h.rule).join('\n  ')}`);
    }
  }
  assert.deepEqual(failures, []);
  return flows.length;
}

let total = 0;
for (const c of cases) {
  const f = c.expectedFlows!;
  test(`flows ${c.name}`, () => {
    total += checkFlows(c, c.services, c.endpointSlices, f.flows, false);
  });
  if (f.flowsWithoutEndpointSlices !== undefined) {
    test(`flows without EndpointSlices ${c.name}`, () => {
      total += checkFlows(c, c.services, [], f.flowsWithoutEndpointSlices!, false);
    });
  }
  if (f.flowsWithoutServices !== undefined) {
    test(`flows without Services ${c.name}`, () => {
      total += checkFlows(c, [], [], f.flowsWithoutServices!, false);
    });
  }
  // The same answers when tracing a whole node ruleset from nat PREROUTING.
  test(`flows through the node ruleset ${c.name}`, () => {
    checkFlows(c, c.services, c.endpointSlices, f.flows, true);
  });
}

test('all flow expectations were checked', () => {
  const expected = cases.reduce(
    (n, c) => n + c.expectedFlows!.flows.length + (c.expectedFlows!.flowsWithoutEndpointSlices?.length ?? 0) + (c.expectedFlows!.flowsWithoutServices?.length ?? 0),
    0,
  );
  assert.equal(total, expected);
  console.log(`iptables packet flows checked: ${total} in ${cases.length} cases`);
});
