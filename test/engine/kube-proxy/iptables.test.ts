// Upstream vectors for the iptables generator (shared/testdata/kube-proxy, README "How to
// compare"): full dumps after the README normalisation, single chains verbatim, the
// large-cluster line checks, plus the upstream consistency check on every generated dump.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildKubeProxyModel, parseKubeProxyOptions } from '../../../server/src/engine/simulate/kube-proxy/model';
import {
  generateIptablesRuleset,
  renderIptablesRestore,
} from '../../../server/src/engine/simulate/kube-proxy/iptables';
import {
  type VectorCase,
  checkIptablesRuleJumps,
  expectedIptablesText,
  iptablesChainRules,
  listVectorCases,
  loadVectorCase,
  normalizeIptablesDump,
} from './support';

const cases = listVectorCases('ipt-').map(loadVectorCase);

function generate(c: VectorCase): string {
  const { options, problems } = parseKubeProxyOptions(c.config);
  assert.deepEqual(problems, [], `${c.name}: config problems`);
  return renderIptablesRestore(generateIptablesRuleset(buildKubeProxyModel(c.services, c.endpointSlices, options)));
}

for (const c of cases.filter((x) => x.expectedIptables !== undefined)) {
  test(`full dump ${c.name}`, () => {
    assert.equal(normalizeIptablesDump(generate(c)), expectedIptablesText(c));
  });
}

for (const c of cases.filter((x) => x.expectedChain !== undefined)) {
  test(`chain ${c.name} ${c.expectedChain!.table}/${c.expectedChain!.chain}`, () => {
    assert.deepEqual(iptablesChainRules(generate(c), c.expectedChain!.table, c.expectedChain!.chain), c.expectedChain!.rules);
  });
}

for (const c of cases.filter((x) => x.expectedLines !== undefined)) {
  test(`lines ${c.name}`, () => {
    const lines = generate(c).split('\n');
    for (const l of c.expectedLines!.mustContain) assert.ok(lines.includes(l), `missing line: ${l}`);
    const dnat = lines.filter((l) => l.startsWith('-A KUBE-SEP-') && l.includes('-j DNAT'));
    assert.equal(dnat.length, c.expectedLines!.dnatRules);
    assert.equal(dnat.filter((l) => l.includes('--comment')).length, c.expectedLines!.dnatRulesWithComment);
  });
}

for (const c of cases) {
  test(`consistent jumps ${c.name}`, () => {
    assert.deepEqual(checkIptablesRuleJumps(generate(c)), []);
  });
}

test('the normaliser ignores service order but not rule order within a chain', () => {
  const c = loadVectorCase('ipt-overall');
  const expected = expectedIptablesText(c);
  assert.equal(normalizeIptablesDump(expected), expected, 'expected text is already canonical');
  const lines = expected.split('\n');
  // Moving a whole service's KUBE-SERVICES rules to the end (before the last rule) is order-free...
  const natStart = lines.indexOf('*nat');
  const svc1 = lines.findIndex((l, i) => i > natStart && l.startsWith('-A KUBE-SERVICES') && l.includes('ns1/svc1'));
  const moved = [...lines];
  const [rule] = moved.splice(svc1, 1);
  moved.splice(moved.findIndex((l) => l.includes('must be the last rule')), 0, rule!);
  assert.equal(normalizeIptablesDump(moved.join('\n')), expected);
  // ...but swapping two rules of one SVC chain is a real difference.
  const i = lines.findIndex((l) => l.startsWith('-A KUBE-SVC-4SW47YFZTEDKD3PK'));
  const swapped = [...lines];
  [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
  assert.notEqual(normalizeIptablesDump(swapped.join('\n')), expected);
});

test('deciding is separate from emitting: a model without Services still has the fixed chains', () => {
  const { options } = parseKubeProxyOptions(loadVectorCase('ipt-overall').config);
  const text = renderIptablesRestore(generateIptablesRuleset(buildKubeProxyModel([], [], options)));
  assert.deepEqual(checkIptablesRuleJumps(text), []);
  assert.match(text, /^\*filter\n:KUBE-SERVICES - \[0:0\]\n/);
  assert.ok(text.endsWith('COMMIT\n'));
});
