// kube-proxy nftables generator against the upstream vectors (testdata/kube-proxy `nft-*`):
// full transaction dumps after the README normalisation (both sides), packet flows through our
// tracer over our own output, and `nft -c` load checks of the loadable rendering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateNftables } from '../../../server/src/engine/simulate/kube-proxy/nftables';
import { parseNftTransaction, renderNftLoadable, renderNftTransaction } from '../../../server/src/engine/simulate/kube-proxy/nft-transaction';
import { traceNftPacket } from '../../../server/src/engine/simulate/kube-proxy/nft-trace';
import {
  caseModel,
  loadNftCase,
  nftCasesWith,
  nftCaseNames,
  nftCheck,
  nftCheckCapability,
  nftLineDiff,
  normaliseNft,
  type PacketFlow,
} from './nft-support';

const dumpCases = nftCasesWith('expected.nft');
const flowCases = nftCasesWith('expected.flows.json');

test('vector inventory', () => {
  assert.equal(dumpCases.length, 5);
  assert.equal(flowCases.length, 8);
  assert.equal(nftCaseNames().length, 13);
});

for (const name of dumpCases) {
  test(`dump ${name}`, () => {
    const c = loadNftCase(name);
    const actual = normaliseNft(renderNftTransaction(generateNftables(caseModel(c))));
    const expected = normaliseNft(c.expectedNft!);
    assert.ok(actual === expected, `${name}: transaction differs\n${nftLineDiff(expected, actual)}`);
  });
}

for (const name of flowCases) {
  test(`flows ${name}`, () => {
    const c = loadNftCase(name);
    const flows = c.flows!;
    const variants: Array<['all' | 'withoutEndpointSlices' | 'withoutServices', readonly PacketFlow[] | undefined]> = [
      ['all', flows.flows],
      ['withoutEndpointSlices', flows.flowsWithoutEndpointSlices],
      ['withoutServices', flows.flowsWithoutServices],
    ];
    const failures: string[] = [];
    for (const [variant, list] of variants) {
      if (!list) continue;
      const tx = generateNftables(caseModel(c, variant));
      for (const f of list) {
        const r = traceNftPacket(tx, f, { localIPs: flows.localIPs });
        if (r.output !== f.output || r.masq !== f.masq || r.unsupported.length > 0) {
          failures.push(
            `${variant} "${f.name}": expected ${JSON.stringify([f.output, f.masq])} got ${JSON.stringify([r.output, r.masq])}` +
              `${r.unsupported.length > 0 ? ` unsupported: ${r.unsupported.join('; ')}` : ''}\n  ${r.hops.map((h) => `${h.chain}: ${h.rule}`).join('\n  ')}`,
          );
        }
      }
    }
    assert.deepEqual(failures, []);
  });
}

test('normaliser: order-free across objects, order-preserving within a chain', () => {
  const text = [
    'add element ip kube-proxy service-ips { 2.2.2.2 . tcp . 80 : goto b }',
    '# comment',
    'add rule ip kube-proxy b numgen random mod 1 vmap { 0 : goto x }',
    'add chain ip kube-proxy b',
    'add rule ip kube-proxy b ip daddr 2.2.2.2 jump mark-for-masquerade',
    '',
    'add element ip kube-proxy service-ips { 1.1.1.1 . tcp . 80 : goto a }',
    'add table ip kube-proxy { comment "rules for kube-proxy" ; }',
  ].join('\n');
  assert.equal(
    normaliseNft(text),
    [
      'add table ip kube-proxy { comment "rules for kube-proxy" ; }',
      'add chain ip kube-proxy b',
      'add rule ip kube-proxy b numgen random mod 1 vmap { 0 : goto x }',
      'add rule ip kube-proxy b ip daddr 2.2.2.2 jump mark-for-masquerade',
      'add element ip kube-proxy service-ips { 1.1.1.1 . tcp . 80 : goto a }',
      'add element ip kube-proxy service-ips { 2.2.2.2 . tcp . 80 : goto b }',
    ].join('\n'),
  );
  // Different vectors must not compare equal (the comparison can fail).
  const a = normaliseNft(loadNftCase('nft-sync-repeated-step1').expectedNft!);
  const b = normaliseNft(loadNftCase('nft-sync-repeated-step2').expectedNft!);
  assert.notEqual(a, b);
});

test('generator output is independent of input order', () => {
  for (const name of dumpCases) {
    const c = loadNftCase(name);
    const forward = renderNftTransaction(generateNftables(caseModel(c)));
    const reversed = renderNftTransaction(
      generateNftables(
        caseModel({ ...c, services: [...c.services].reverse(), endpointSlices: [...c.endpointSlices].reverse() }),
      ),
    );
    assert.equal(reversed, forward, name);
  }
});

test('nft -c accepts the loadable rendering of every vector', (t) => {
  const cap = nftCheckCapability();
  if (!cap.ok) {
    console.log(`# nft load check skipped: ${cap.reason}`);
    t.skip(cap.reason);
    return;
  }
  const failures: string[] = [];
  let checked = 0;
  for (const name of nftCaseNames()) {
    const c = loadNftCase(name);
    const variants = ['all', 'withoutEndpointSlices', 'withoutServices'] as const;
    for (const variant of variants) {
      if (variant === 'withoutEndpointSlices' && !c.flows?.flowsWithoutEndpointSlices) continue;
      if (variant === 'withoutServices' && !c.flows?.flowsWithoutServices) continue;
      const text = renderNftLoadable(generateNftables(caseModel(c, variant)));
      const r = nftCheck(text);
      checked++;
      if (!r.ok) failures.push(`${name} (${variant}): ${r.stderr}`);
    }
  }
  // The renderer's ordering also makes the upstream expectations loadable (README "Load checks").
  for (const name of dumpCases) {
    const parsed = parseNftTransaction(loadNftCase(name).expectedNft!);
    const r = nftCheck(renderNftLoadable(parsed.transaction));
    checked++;
    if (!r.ok) failures.push(`${name} upstream expected.nft: ${r.stderr}`);
  }
  assert.deepEqual(failures, []);
  assert.equal(checked, 19);
});

test('nft -c rejects a broken rendering (the load check can fail)', (t) => {
  const cap = nftCheckCapability();
  if (!cap.ok) {
    t.skip(cap.reason);
    return;
  }
  const text = renderNftLoadable(generateNftables(caseModel(loadNftCase('nft-overall'))));
  assert.equal(nftCheck(text.replace('add chain ip kube-proxy services\n', '')).ok, false);
});
