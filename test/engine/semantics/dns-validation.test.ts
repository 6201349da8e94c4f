// DNS validation with the API server's messages (spec semantics.md e.5; the nameserver message is
// the one of upstream `IsValidIP`), the setHostnameAsFQDN limit (c.3), DNS lookups (NXDOMAIN vs
// empty non-terminal), and a simulated pod's resolv.conf under the default profile (the "typical
// result" of spec e.4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorText } from '../../../server/src/engine/labels/field-error';
import { lookupDns, podFQDNHostname, validatePodDNS } from '../../../server/src/engine/semantics/dns';
import { DEFAULT_PROFILE } from '../../../server/src/engine/simulate/profile';
import { clusterDnsRecords, podResolvConf, simulateCluster } from '../../../server/src/engine/simulate/sim-cluster';
import { resolvConfLines } from '../../../server/src/engine/semantics/dns-resolv-conf';

const errors = (spec: unknown, prefix?: string) => validatePodDNS(spec, prefix).map(fieldErrorText);
const DNS1123_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

test('validatePodDNS: the spec e.5 table', () => {
  const cases: { name: string; spec: unknown; prefix?: string; want: string[] }[] = [
    { name: 'defaults are valid', spec: {}, want: [] },
    { name: 'empty policy is the default', spec: { dnsPolicy: '' }, want: [] },
    { name: 'every policy', spec: { dnsPolicy: 'ClusterFirstWithHostNet' }, want: [] },
    {
      name: 'unknown policy',
      spec: { dnsPolicy: 'Bogus' },
      want: ['spec.dnsPolicy: Unsupported value: "Bogus": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
    },
    {
      name: 'template prefix',
      spec: { dnsPolicy: 'clusterfirst' },
      prefix: 'spec.template.spec',
      want: ['spec.template.spec.dnsPolicy: Unsupported value: "clusterfirst": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
    },
    { name: 'None without dnsConfig', spec: { dnsPolicy: 'None' }, want: ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None'] },
    {
      name: 'None without nameservers',
      spec: { dnsPolicy: 'None', dnsConfig: { searches: ['a.b'] } },
      want: ['spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None'],
    },
    { name: 'None with a nameserver', spec: { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'] } }, want: [] },
    {
      name: 'four nameservers',
      spec: { dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4'] } },
      want: ['spec.dnsConfig.nameservers: Invalid value: ["1.1.1.1","2.2.2.2","3.3.3.3","4.4.4.4"]: must not have more than 3 nameservers'],
    },
    {
      name: 'nameserver not an IP',
      spec: { dnsConfig: { nameservers: ['dns.example', '2001:db8::1', '010.0.0.1'] } },
      want: ['spec.dnsConfig.nameservers[0]: Invalid value: "dns.example": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
    },
    {
      name: 'search paths: count, characters, format; one trailing dot allowed',
      spec: { dnsConfig: { searches: [...Array.from({ length: 32 }, (_, i) => `s${i}.example`), 'Bad_Domain', 'ok.example.'] } },
      want: [
        `spec.dnsConfig.searches: Invalid value: [${[...Array.from({ length: 32 }, (_, i) => `"s${i}.example"`), '"Bad_Domain"', '"ok.example."'].join(',')}]: must not have more than 32 search paths`,
        `spec.dnsConfig.searches[32]: Invalid value: "Bad_Domain": ${DNS1123_SUBDOMAIN}`,
      ],
    },
    {
      name: 'search line too long',
      spec: { dnsConfig: { searches: Array.from({ length: 9 }, () => `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(50)}`) } },
      want: [`spec.dnsConfig.searches: Invalid value: [${Array.from({ length: 9 }, () => `"${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(50)}"`).join(',')}]: must not have more than 2048 characters (including spaces) in the search list`],
    },
    {
      name: 'option without a name',
      spec: { dnsConfig: { options: [{ name: 'ndots', value: '2' }, { value: '1' }, { name: '' }] } },
      want: ['spec.dnsConfig.options[1]: Required value: must not be empty', 'spec.dnsConfig.options[2]: Required value: must not be empty'],
    },
  ];
  for (const c of cases) assert.deepEqual(errors(c.spec, c.prefix), c.want, c.name);
});

test('validatePodDNS never throws on malformed input', () => {
  for (const spec of [null, 1, 'x', [], { dnsConfig: 'x' }, { dnsConfig: { nameservers: 'x', searches: [1, null], options: [null, 3] } }, { dnsPolicy: 7 }]) {
    validatePodDNS(spec);
  }
});

test('setHostnameAsFQDN: at most 64 characters', () => {
  const ok = podFQDNHostname({ name: 'web-0', namespace: 'default', hostname: 'web-0', subdomain: 'nginx' }, 'cluster.local');
  assert.deepEqual(ok, { kind: 'ok', fqdn: 'web-0.nginx.default.svc.cluster.local' });
  const long = podFQDNHostname({ name: 'p', namespace: 'a-rather-long-namespace-name', hostname: 'a-long-hostname-here', subdomain: 'subdomain' }, 'cluster.local');
  assert.deepEqual(long, {
    kind: 'error',
    message: 'Failed to construct FQDN from pod hostname and cluster domain, FQDN a-long-hostname-here.subdomain.a-rather-long-namespace-name.svc.cluster.local is too long (64 characters is the max, 77 characters requested)',
  });
});

test('lookups: case-insensitive; empty non-terminals answer NOERROR with no data; unknown names NXDOMAIN', () => {
  const cluster = simulateCluster([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } }], { profile: DEFAULT_PROFILE });
  const records = clusterDnsRecords(cluster);
  const a = lookupDns(records, 'WEB.shop.svc.cluster.local', 'A');
  assert.equal(a.rcode, 'NOERROR');
  assert.equal(a.answers.length, 1);
  assert.deepEqual(lookupDns(records, 'web.shop.svc.cluster.local.', 'AAAA'), { rcode: 'NOERROR', answers: [] });
  assert.deepEqual(lookupDns(records, 'shop.svc.cluster.local.', 'A'), { rcode: 'NOERROR', answers: [] });
  assert.equal(lookupDns(records, 'api.shop.svc.cluster.local.', 'A').rcode, 'NXDOMAIN');
});

test('a simulated pod under the default profile gets the typical ClusterFirst resolv.conf (spec e.4)', () => {
  const cluster = simulateCluster([
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app', namespace: 'prod' }, spec: { containers: [{ name: 'c', image: 'x' }] } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'host', namespace: 'prod' }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'x' }] } },
  ], { profile: DEFAULT_PROFILE });
  const conf = (name: string) => {
    const r = podResolvConf(DEFAULT_PROFILE, cluster.pods.find((p) => p.ref.name === name)!);
    assert.equal(r.kind, 'ok');
    return r.kind === 'ok' ? resolvConfLines(r) : [];
  };
  assert.deepEqual(conf('app'), ['nameserver 10.96.0.10', 'search prod.svc.cluster.local svc.cluster.local cluster.local', 'options ndots:5']);
  assert.deepEqual(conf('host'), ['nameserver 172.18.0.1'], 'hostNetwork + ClusterFirst falls back to the node resolv.conf');
});
