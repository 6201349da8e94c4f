// nftables object names against the upstream hash vectors (hash-vectors/names.json, the
// "nftables" entries: upstream Test_servicePortChainNameBase / Test_servicePortEndpointChainNameBase)
// and against every name in the upstream expected.nft dumps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  nftAffinitySetName,
  nftEndpointChainName,
  nftEndpointNameBase,
  nftExternalChainName,
  nftFirewallChainName,
  nftLocalChainName,
  nftServiceChainName,
  nftServicePortNameBase,
} from '../../../server/src/engine/simulate/kube-proxy/nft-names';
import { kubeProxyDir } from './nft-support';

interface NameVector {
  readonly kind: 'service' | 'endpoint';
  readonly namespace: string;
  readonly name: string;
  readonly port: string;
  readonly protocol: string;
  readonly endpoint?: string;
  readonly expected: string;
}

const vectors: readonly NameVector[] = JSON.parse(
  readFileSync(path.join(kubeProxyDir, 'hash-vectors', 'names.json'), 'utf8'),
).nftables.vectors;

test('names.json nftables vectors', () => {
  assert.equal(vectors.length, 9);
  for (const v of vectors) {
    const sp = { namespace: v.namespace, name: v.name, portName: v.port, protocol: v.protocol };
    const got = v.kind === 'service' ? nftServicePortNameBase(sp) : nftEndpointNameBase(sp, v.endpoint!);
    assert.equal(got, v.expected, JSON.stringify(v));
    assert.ok(got.length <= 240);
  }
});

test('prefixes', () => {
  // Upstream nft-overall: svc5 (ClientIP affinity, source ranges) and ns2/svc2.
  const svc5 = { namespace: 'ns5', name: 'svc5', portName: 'p80', protocol: 'TCP' };
  assert.equal(nftServiceChainName(svc5), 'service-HVFWP5L3-ns5/svc5/tcp/p80');
  assert.equal(nftExternalChainName(svc5), 'external-HVFWP5L3-ns5/svc5/tcp/p80');
  assert.equal(nftFirewallChainName(svc5), 'firewall-HVFWP5L3-ns5/svc5/tcp/p80');
  assert.equal(nftLocalChainName(svc5), 'local-HVFWP5L3-ns5/svc5/tcp/p80');
  assert.equal(nftEndpointChainName(svc5, '10.180.0.3:80'), 'endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80');
  assert.equal(nftAffinitySetName(svc5, '10.180.0.3:80'), 'affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80');
});

test('every generated-looking name in the upstream dumps carries the right hash', () => {
  // Recompute each name's hash from its readable part; a wrong hash function fails here.
  let checked = 0;
  for (const dir of ['nft-overall', 'nft-sync-repeated-step1', 'nft-sync-repeated-step2', 'nft-sync-repeated-step5', 'nft-sync-repeated-step8']) {
    const text = readFileSync(path.join(kubeProxyDir, dir, 'expected.nft'), 'utf8');
    for (const m of text.matchAll(/\b(service|local|external|firewall|endpoint|affinity)-([A-Z2-7]{8})-([a-z0-9-]+)\/([a-z0-9-]+)\/(tcp|udp|sctp)\/([a-z0-9-]*)(?:__([0-9a-f.]+)\/(\d+))?/g)) {
      const [whole, , , ns, name, proto, portName, ip, port] = m;
      const sp = { namespace: ns, name, portName, protocol: proto };
      const prefix = whole.slice(0, whole.indexOf('-') + 1);
      const base = ip === undefined ? nftServicePortNameBase(sp) : nftEndpointNameBase(sp, `${ip}:${port}`);
      assert.equal(prefix + base, whole);
      checked++;
    }
  }
  assert.ok(checked > 50, `only ${checked} names found`);
});
