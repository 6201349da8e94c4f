// The iptables-save rendering (spec kube-proxy.md 5.8) against the real round trip of
// ipt-overall (iptables 1.8.9 loading expected.iptables, then iptables-save), plus focused
// cases for renderings that round trip does not exercise (hand-derived from iptables'
// save code paths: IPv6 masks, REJECT for IPv6, probability fixed point, quoting).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildKubeProxyModel, parseKubeProxyOptions } from '../../../server/src/engine/simulate/kube-proxy/model';
import { generateIptablesRuleset } from '../../../server/src/engine/simulate/kube-proxy/iptables';
import { renderIptablesSave, renderRestoreAsIptablesSave } from '../../../server/src/engine/simulate/kube-proxy/iptables-save';
import { parseIptablesRestore } from '../../../server/src/engine/simulate/kube-proxy/restore-text';
import { kubeProxyVectorsDir, loadVectorCase } from './support';

test('ipt-overall: generated rules render exactly as the real iptables-save round trip', () => {
  const c = loadVectorCase('ipt-overall');
  const { options } = parseKubeProxyOptions(c.config);
  const text = renderIptablesSave(generateIptablesRuleset(buildKubeProxyModel(c.services, c.endpointSlices, options)));
  const expected = fs.readFileSync(path.join(kubeProxyVectorsDir, 'ipt-overall', 'roundtrip.iptables-save.txt'), 'utf8');
  assert.equal(text, expected);
});

test('ipt-overall: the upstream expected restore text renders as the round trip too', () => {
  const restore = fs.readFileSync(path.join(kubeProxyVectorsDir, 'ipt-overall', 'expected.iptables'), 'utf8');
  const expected = fs.readFileSync(path.join(kubeProxyVectorsDir, 'ipt-overall', 'roundtrip.iptables-save.txt'), 'utf8');
  assert.equal(renderRestoreAsIptablesSave(parseIptablesRestore(restore), 'IPv4'), expected);
});

function saveOf(rules: string[], family: 'IPv4' | 'IPv6' = 'IPv4'): string[] {
  const chains = [...new Set(rules.map((r) => r.split(' ')[1]!))].map((c) => `:${c} - [0:0]`);
  const text = ['*nat', ...chains, ...rules, 'COMMIT', ''].join('\n');
  return renderRestoreAsIptablesSave(parseIptablesRestore(text), family)
    .split('\n')
    .filter((l) => l.startsWith('-A'));
}

test('save rendering details', () => {
  const cases: Array<{ name: string; rule: string; family?: 'IPv4' | 'IPv6'; expected: string }> = [
    {
      name: 'kernel fixed-point probability, eleven decimals',
      rule: '-A KUBE-SVC-X -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-X',
      // 0.3333333333 * 2^31 = 715827882.595..., rounded 715827883; / 2^31 = 0.333333333488...
      expected: '-A KUBE-SVC-X -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-X',
    },
    {
      name: 'IPv6 recent mask, address prefix and REJECT default',
      rule: '-A KUBE-SVC-X -d fd00::0001 -m recent --name KUBE-SEP-X --rcheck --seconds 10 --reap -j REJECT',
      family: 'IPv6',
      expected: '-A KUBE-SVC-X -d fd00::1/128 -m recent --rcheck --seconds 10 --reap --name KUBE-SEP-X --mask ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff --rsource -j REJECT --reject-with icmp6-port-unreachable',
    },
    {
      name: 'plain comments stay unquoted, CIDRs are masked, DNAT IPv6 keeps brackets',
      rule: '-A KUBE-SEP-X -m comment --comment plain_word -s 10.1.2.3/8 -m tcp -p tcp -j DNAT --to-destination [FD00::1]:80',
      expected: '-A KUBE-SEP-X -s 10.0.0.0/8 -p tcp -m comment --comment plain_word -m tcp -j DNAT --to-destination [fd00::1]:80',
    },
    {
      name: 'MARK set-mark and MASQUERADE random-fully',
      rule: '-A KUBE-POSTROUTING -j MARK --set-mark 0x10',
      expected: '-A KUBE-POSTROUTING -j MARK --set-xmark 0x10/0xffffffff',
    },
  ];
  for (const c of cases) assert.deepEqual(saveOf([c.rule], c.family), [c.expected], c.name);
});
