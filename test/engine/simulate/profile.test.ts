// Cluster profile: defaults (a fresh kind cluster, facts from the kind/kubeadm defaults named in
// the task and docs/cluster-profile.md), our own format (the documented full example must parse
// cleanly), every upstream kube-proxy vector config.json taken as is (round trip through
// kubeProxyOptionsFor, compared with kube-proxy/model.ts's own reading of the file), and
// invalid input (problems, never a throw).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { repoRoot, testdataDir } from '../../support/paths';
import {
  DEFAULT_PROFILE,
  kubeProxyOptionsFor,
  parseProfile,
  serviceFamilies,
} from '../../../server/src/engine/simulate/profile';
import { parseKubeProxyOptions } from '../../../server/src/engine/simulate/kube-proxy/model';

const kubeProxyDir = path.join(testdataDir, 'kube-proxy');
const vectorConfigs = readdirSync(kubeProxyDir)
  .filter((d) => existsSync(path.join(kubeProxyDir, d, 'config.json')))
  .sort();

test('default profile: a fresh three-node kind cluster', () => {
  const { profile, problems } = parseProfile(undefined);
  assert.deepEqual(problems, []);
  assert.equal(profile.clusterDomain, 'cluster.local');
  assert.deepEqual(profile.serviceCIDRs, ['10.96.0.0/16']);
  assert.deepEqual(profile.podCIDRs, ['10.244.0.0/16']);
  assert.equal(profile.dnsServiceIP, '10.96.0.10');
  assert.deepEqual(profile.kubelet.clusterDNS, ['10.96.0.10']);
  assert.deepEqual(
    profile.nodes.map((n) => [n.name, n.internalIP, n.podCIDR, n.taints.map((t) => `${t.key}:${t.effect}`)]),
    [
      ['kind-control-plane', '172.18.0.2', '10.244.0.0/24', ['node-role.kubernetes.io/control-plane:NoSchedule']],
      ['kind-worker', '172.18.0.3', '10.244.1.0/24', []],
      ['kind-worker2', '172.18.0.4', '10.244.2.0/24', []],
    ],
  );
  for (const n of profile.nodes) assert.equal(n.labels['kubernetes.io/hostname'], n.name);
  assert.equal(profile.kubeProxy.mode, 'iptables');
  assert.equal(profile.kubeProxy.node, 'kind-control-plane');
});

test('kubeProxyOptionsFor(default): the spec kube-proxy.md section 6 node settings', () => {
  const o = kubeProxyOptionsFor(DEFAULT_PROFILE);
  assert.equal(o.backend, 'iptables');
  assert.equal(o.nodeName, 'kind-control-plane');
  assert.equal(o.nodeIP, '172.18.0.2');
  assert.deepEqual(o.localDetector, { mode: 'ClusterCIDR', clusterCIDR: '10.244.0.0/16' });
  assert.equal(o.masqueradeAll, false);
  assert.equal(o.localhostNodePorts, true);
  assert.equal(o.nodePortAddresses, null);
  assert.equal(o.masqueradeMark, '0x4000');
  assert.equal(o.serviceCIDRs, '10.96.0.0/16');
  assert.equal(kubeProxyOptionsFor(DEFAULT_PROFILE, 'kind-worker2').nodeIP, '172.18.0.4');
});

test('docs/cluster-profile.md: the full example parses without problems and equals the defaults where it says so', () => {
  const doc = readFileSync(path.join(repoRoot, 'docs', 'cluster-profile.md'), 'utf8');
  const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 2);
  for (const block of blocks) assert.deepEqual(parseProfile(parseYaml(block)).problems, [], block.slice(0, 40));
  const { profile } = parseProfile(parseYaml(blocks[0]));
  assert.equal(profile.clusterDomain, DEFAULT_PROFILE.clusterDomain);
  assert.deepEqual(profile.serviceCIDRs, DEFAULT_PROFILE.serviceCIDRs);
  assert.deepEqual(profile.kubeProxy, DEFAULT_PROFILE.kubeProxy);
  assert.deepEqual(profile.kubelet, DEFAULT_PROFILE.kubelet);
  assert.deepEqual(profile.nodes.map((n) => n.labels['topology.kubernetes.io/zone']), ['zone-a', 'zone-a', 'zone-b']);
  assert.deepEqual(profile.nodes[2].taints, [{ key: 'dedicated', value: 'batch', effect: 'PreferNoSchedule' }]);
  // Without the example's additions the nodes equal the default nodes.
  const plain = profile.nodes.map((n) => {
    const labels = { ...n.labels };
    delete labels['topology.kubernetes.io/zone'];
    return { ...n, labels, taints: n.name === 'kind-worker2' ? [] : n.taints };
  });
  assert.deepEqual(plain, DEFAULT_PROFILE.nodes);
  // The dual-stack example.
  const dual = parseProfile(parseYaml(blocks[1])).profile;
  assert.deepEqual(serviceFamilies(dual), ['IPv4', 'IPv6']);
  assert.deepEqual(dual.nodes[0].podCIDRs, ['10.244.0.0/24', 'fd00:10:244::/64']);
});

test(`every kube-proxy vector config.json (${vectorConfigs.length}) is read as a profile and round-trips`, () => {
  assert.equal(vectorConfigs.length, 38);
  for (const dir of vectorConfigs) {
    const raw = JSON.parse(readFileSync(path.join(kubeProxyDir, dir, 'config.json'), 'utf8'));
    const { profile, problems } = parseProfile(raw);
    assert.deepEqual(problems, [], dir);
    const ours = kubeProxyOptionsFor(profile);
    const theirs = parseKubeProxyOptions(raw).options;
    if (raw.serviceCIDRs === undefined) {
      // iptables vectors name no service CIDR: the profile uses kind's default for the family.
      assert.equal(ours.serviceCIDRs, raw.ipFamily === 'IPv6' ? 'fd00:10:96::/112' : '10.96.0.0/16', dir);
      assert.deepEqual({ ...ours, serviceCIDRs: '' }, { ...theirs, serviceCIDRs: '' }, dir);
    } else {
      assert.deepEqual(ours, theirs, dir);
    }
    // Every field written in the file comes back unchanged.
    for (const [k, v] of Object.entries(raw)) assert.deepEqual((ours as unknown as Record<string, unknown>)[k], v, `${dir}: ${k}`);
  }
});

test('config.json mapping fills what the file does not say', () => {
  const raw = JSON.parse(readFileSync(path.join(kubeProxyDir, 'nft-nodeports-ipv6-multiple-nodeport-addresses', 'config.json'), 'utf8'));
  const { profile } = parseProfile(raw);
  assert.deepEqual(profile.podCIDRs, ['fd00:10::/64']);
  assert.deepEqual(profile.nodes.map((n) => [n.name, n.internalIP, n.podCIDR]), [['test-node', '2001:db8::1', 'fd00:10::/64']]);
  assert.deepEqual(profile.serviceCIDRs, ['fd00:10:96::/112']);
  assert.equal(profile.dnsServiceIP, 'fd00:10:96::a');
});

test('own format: shorthand fields, merging with defaults', () => {
  const { profile, problems } = parseProfile({
    profile: {
      serviceCIDR: '10.100.0.0/16',
      kubeProxy: { mode: 'nftables', clusterCIDR: '10.244.0.0/16', node: 'kind-worker' },
    },
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(profile.serviceCIDRs, ['10.100.0.0/16']);
  assert.equal(profile.dnsServiceIP, '10.100.0.10', 'tenth address of the service range');
  assert.deepEqual(profile.kubelet.clusterDNS, ['10.100.0.10']);
  assert.equal(profile.kubeProxy.mode, 'nftables');
  assert.equal(profile.kubeProxy.node, 'kind-worker');
  assert.equal(kubeProxyOptionsFor(profile).serviceCIDRs, '10.100.0.0/16');
  assert.equal(profile.nodes.length, 3);
});

test('invalid values become problems with their path, defaults stay in place', () => {
  const cases: { name: string; value: unknown; problems: string[] }[] = [
    { name: 'not a mapping', value: 42, problems: ['profile: expected a mapping, got 42'] },
    { name: 'profile key not a mapping', value: { profile: 'x' }, problems: ['profile: expected a mapping, got "x"'] },
    { name: 'bad CIDR', value: { serviceCIDRs: ['10.96.0.0/33'] }, problems: ['profile.serviceCIDRs[0]: invalid CIDR "10.96.0.0/33"'] },
    { name: 'dns IP outside', value: { dnsServiceIP: '10.0.0.10' }, problems: ['profile.dnsServiceIP: 10.0.0.10 is outside the service CIDRs (10.96.0.0/16)'] },
    { name: 'unknown field', value: { clusterDomian: 'x' }, problems: [
      'profile.clusterDomian: unknown field (known: clusterDomain, serviceCIDR, serviceCIDRs, podCIDR, podCIDRs, dnsServiceIP, serviceNodePortRange, maxEndpointsPerSlice, nodes, kubelet, kubeProxy)',
    ] },
    { name: 'bad domain', value: { clusterDomain: 'Cluster_Local' }, problems: ['profile.clusterDomain: "Cluster_Local" is not a valid DNS domain (lower-case labels separated by dots)'] },
    { name: 'bad mode', value: { kubeProxy: { mode: 'userspace' } }, problems: ['profile.kubeProxy.mode: Unsupported value: "userspace": supported values: "iptables", "ipvs", "nftables"'] },
    { name: 'unknown node', value: { kubeProxy: { node: 'nope' } }, problems: ['profile.kubeProxy.node: "nope" is not one of the profile\'s nodes (kind-control-plane, kind-worker, kind-worker2)'] },
    { name: 'node without address', value: { nodes: [{ name: 'a', podCIDR: '10.244.0.0/24' }] }, problems: ['profile.nodes[0].internalIP: Required value: node "a" needs an address'] },
    { name: 'duplicate node', value: { nodes: [{ name: 'a', internalIP: '1.1.1.1', podCIDR: '10.244.0.0/24' }, { name: 'a', internalIP: '1.1.1.2', podCIDR: '10.244.1.0/24' }] }, problems: ['profile.nodes[1].name: duplicate node name "a"'] },
    { name: 'node pod CIDR outside', value: { nodes: [{ name: 'a', internalIP: '1.1.1.1', podCIDR: '10.9.0.0/24' }] }, problems: ['profile.nodes[0].podCIDR: 10.9.0.0/24 is outside the cluster pod CIDRs (10.244.0.0/16)'] },
    { name: 'bad taint', value: { nodes: [{ name: 'a', internalIP: '1.1.1.1', podCIDR: '10.244.0.0/24', taints: [{ key: 'k', effect: 'Sometimes' }] }] }, problems: ['profile.nodes[0].taints[0].effect: Unsupported value: "Sometimes": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"'] },
    { name: 'bad port range', value: { serviceNodePortRange: '40000-30000' }, problems: ['profile.serviceNodePortRange: "40000-30000" is not a port range within 1-65535'] },
    { name: 'bad boolean', value: { kubeProxy: { masqueradeAll: 'yes' } }, problems: ['profile.kubeProxy.masqueradeAll: expected true or false, got "yes"'] },
  ];
  for (const c of cases) {
    const got = parseProfile(c.value);
    assert.deepEqual(got.problems, c.problems, c.name);
    assert.ok(got.profile.nodes.length > 0, c.name);
  }
});

test('garbage never throws and always yields a usable profile', () => {
  const values: unknown[] = [
    null, undefined, 0, '', 'x', [], [1], true, { profile: null }, { profile: [] },
    { nodes: 'x' }, { nodes: [null, 1, 'a', {}] }, { kubeProxy: [] }, { kubeProxy: { localDetector: 'x' } },
    { kubeProxy: { localDetector: { mode: 'ClusterCIDR' } } }, { kubelet: { clusterDNS: ['x', 1] } },
    { serviceCIDRs: [] }, { podCIDRs: {} }, { backend: 'iptables', nodeName: 5, nodeIP: 'x', localDetector: 7, hostInterfaces: 3 },
  ];
  for (const v of values) {
    const { profile } = parseProfile(v);
    assert.ok(profile.nodes.length > 0 && profile.serviceCIDRs.length > 0, JSON.stringify(v));
    kubeProxyOptionsFor(profile);
  }
});
