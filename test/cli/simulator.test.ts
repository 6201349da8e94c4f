// The simulator commands through the real binary: the cluster profile accepts the upstream kube-proxy
// vectors' config.json as is (rules equal upstream's expected text, traces reproduce the upstream flows),
// and the bundled example's rules load into a real kernel's iptables-restore.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from '../support/cli';
import { testdataDir } from '../support/paths';
import { normalizeIptablesDump, expectedIptablesText, loadVectorCase } from '../engine/kube-proxy/support';

const vectors = path.join(testdataDir, 'kube-proxy');

test('rules --profile config.json reproduces the upstream full iptables dump (ipt-overall)', () => {
  const dir = path.join(vectors, 'ipt-overall');
  const r = runCli(['rules', path.join(dir, 'input.yaml'), '--profile', path.join(dir, 'config.json')]);
  assert.equal(r.status, 0, r.stderr);
  const expected = expectedIptablesText(loadVectorCase('ipt-overall'));
  assert.equal(normalizeIptablesDump(r.stdout), expected);
});

test('trace --format json reproduces upstream packet flows through the CLI', () => {
  for (const name of ['ipt-clusterip-general', 'ipt-etp-local', 'nft-clusterip-general', 'nft-etp-cluster']) {
    const dir = path.join(vectors, name);
    const flows = JSON.parse(fs.readFileSync(path.join(dir, 'expected.flows.json'), 'utf8')) as { tracer: string; flows: Array<{ name: string; sourceIP: string; protocol: string; destIP: string; destPort: number; output: string; masq: boolean }> };
    const mode = flows.tracer === 'nftables' ? 'nftables' : 'iptables';
    for (const f of flows.flows.slice(0, 6)) {
      const r = runCli(['trace', path.join(dir, 'input.yaml'), '--profile', path.join(dir, 'config.json'), '--mode', mode, '--src', f.sourceIP, '--dst', f.destIP, '--port', String(f.destPort), '--protocol', f.protocol, '--format', 'json']);
      assert.equal(r.status, 0, r.stderr);
      const got = JSON.parse(r.stdout);
      assert.equal(got.output, f.output, `${name}: ${f.name}`);
      assert.equal(got.masq, f.masq, `${name}: ${f.name} masq`);
      assert.ok(Array.isArray(got.hops));
    }
  }
});

test('rules on the example app: the kind kube-dns chains, and a ruleset the kernel accepts', () => {
  const r = runCli(['rules', 'examples/']);
  assert.equal(r.status, 0, r.stderr);
  // Chain names of kube-system/kube-dns (dns/UDP, dns-tcp/TCP, metrics/TCP) in every kind cluster.
  for (const chain of ['KUBE-SVC-TCOU7JCQXEZGVUNU', 'KUBE-SVC-ERIFXISQEP7F7OF4', 'KUBE-SVC-JD5MR3NA4I4DYORP']) assert.ok(r.stdout.includes(`:${chain} - [0:0]`), chain);
  // The example's web-metrics Service selects nothing: kube-proxy rejects its traffic.
  assert.match(r.stdout, /"shop\/web-metrics:metrics has no endpoints" .* -j REJECT/);
  const save = runCli(['rules', 'examples/', '--format', 'save']);
  assert.match(save.stdout, /-A KUBE-SVC-[A-Z0-9]+ .*--probability 0\.33333333349 /);
  const canLoad = spawnSync('sh', ['-c', 'command -v iptables-restore && unshare -n true'], { encoding: 'utf8' });
  if (canLoad.status !== 0) {
    console.log('# skipped kernel load check: iptables-restore or unshare -n is not available here');
    return;
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kg-rules-')), 'rules.txt');
  fs.writeFileSync(file, r.stdout);
  const load = spawnSync('unshare', ['-n', 'sh', '-c', `iptables-restore --test < ${file}`], { encoding: 'utf8' });
  assert.equal(load.status, 0, load.stderr);
  const nft = runCli(['rules', 'examples/', '--mode', 'nftables']);
  assert.equal(nft.status, 0, nft.stderr);
  assert.match(nft.stdout, /^add table ip kube-proxy/m);
  const ipvs = runCli(['rules', 'examples/', '--mode', 'ipvs', '--service', 'shop/web']);
  assert.equal(ipvs.status, 0, ipvs.stderr);
  assert.match(ipvs.stdout, /^-A -t 10\.96\.\d+\.\d+:80 -s rr$/m);
  assert.equal((ipvs.stdout.match(/^-a -t /gm) ?? []).length, 3, 'three web pods behind the virtual server');
});

test('dns, endpoints, reach and route on the example app', () => {
  const dns = runCli(['dns', 'examples/']);
  assert.equal(dns.status, 0, dns.stderr);
  assert.match(dns.stdout, /^redis-0\.redis\.shop\.svc\.cluster\.local\. A 10\.244\.\d+\.\d+$/m);
  assert.match(dns.stdout, /^_http\._tcp\.web\.shop\.svc\.cluster\.local\. SRV 0 100 80 web\.shop\.svc\.cluster\.local\.$/m);
  const resolv = runCli(['dns', 'examples/', '--pod', 'shop/redis-0']);
  assert.equal(resolv.stdout, '# /etc/resolv.conf of shop/redis-0\nnameserver 10.96.0.10\nsearch shop.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n');

  const eps = runCli(['endpoints', 'examples/']);
  assert.match(eps.stdout, /kubernetes\.io\/service-name: web\n/);
  assert.match(eps.stdout, /hostname: redis-0\n/);

  const reach = JSON.parse(runCli(['reach', 'examples/', '--port', '8080', '--format', 'json']).stdout) as Array<{ from: string; to: string; allowed: boolean; ingressPolicies: string[] }>;
  const fromWebToApi = reach.filter((p) => p.from.startsWith('shop/web-') && p.to.startsWith('shop/api-'));
  const fromRedisToApi = reach.filter((p) => p.from.startsWith('shop/redis-') && p.to.startsWith('shop/api-'));
  assert.ok(fromWebToApi.length > 0 && fromWebToApi.every((p) => p.allowed && p.ingressPolicies.includes('shop/api-from-web')));
  assert.ok(fromRedisToApi.length > 0 && fromRedisToApi.every((p) => !p.allowed));

  const route = JSON.parse(runCli(['route', 'examples/', '--host', 'shop.example.com', '--path', '/api/items', '--format', 'json']).stdout);
  assert.equal(route.status, 200);
  assert.equal(route.ingress, 'shop/shop');
  assert.deepEqual(route.backend, { service: 'api', port: 8080 });
  assert.equal(route.pods.length, 2);
  const miss = JSON.parse(runCli(['route', 'examples/', '--host', 'other.example.com', '--path', '/', '--format', 'json']).stdout);
  assert.equal(miss.status, 404);
  assert.equal(miss.backend, null);
});

test('simulator commands reject bad flags with exit code 2', () => {
  assert.equal(runCli(['rules', 'examples/', '--mode', 'pf']).status, 2);
  assert.equal(runCli(['trace', 'examples/', '--src', '1.1.1.1']).status, 2);
  assert.equal(runCli(['trace', 'examples/', '--src', '1.1.1.1', '--dst', '2.2.2.2', '--port', '99999']).status, 2);
  assert.equal(runCli(['rules', 'examples/', '--profile', 'no/such/profile.yaml']).status, 2);
});
