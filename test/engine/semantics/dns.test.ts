// Every case of shared/testdata/dns.json (upstream kubelet dns_test.go, the Kubernetes DNS
// specification, dns-pod-service.md, and derived cases), table-driven by category and index.
// The `records` cases run through the whole simulator (Services as stored, simulated pods,
// EndpointSlice controller) and then the DNS record generator, so they also check that chain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { testdataDir } from '../../support/paths';
import {
  fitNameservers,
  fitSearches,
  lookupDns,
  mergeDNSOptions,
  parseResolvConf,
  podDNS,
  podDNSType,
  podHostname,
  resolvConfLines,
  type DnsRecord,
  type DnsRecordType,
} from '../../../server/src/engine/semantics/dns';
import { DEFAULT_PROFILE } from '../../../server/src/engine/simulate/profile';
import { clusterDnsRecords, simulateCluster } from '../../../server/src/engine/simulate/sim-cluster';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const data = JSON.parse(readFileSync(path.join(testdataDir, 'dns.json'), 'utf8'));
const cases: Record<string, Any[]> = data.cases;
let ran = 0;

function caseName(category: string, i: number, c: Any): string {
  return `${category}[${i}] ${c.test ?? JSON.stringify(c.input ?? c.pod ?? '').slice(0, 60)}`;
}

for (const [i, c] of cases.podDNSType.entries()) {
  test(caseName('podDNSType', i, c), () => {
    ran++;
    const got = podDNSType(c.dnsPolicy, c.hostNetwork);
    assert.equal(got.kind === 'error' ? 'error' : got.type, c.expected);
  });
}

for (const [i, c] of cases.podDNS.entries()) {
  test(caseName('podDNS', i, c), () => {
    ran++;
    const got = podDNS(
      { clusterDomain: c.kubelet.clusterDomain, resolvConf: c.kubelet.resolvConf, clusterDNS: c.kubelet.clusterDNS },
      { namespace: c.pod.namespace, dnsPolicy: c.pod.dnsPolicy, hostNetwork: c.pod.hostNetwork, dnsConfig: c.pod.dnsConfig },
    );
    assert.equal(got.kind, 'ok');
    if (got.kind !== 'ok') return;
    assert.deepEqual(got.nameservers, c.expected.nameservers);
    if (c.expected.searches) assert.deepEqual(got.searches, c.expected.searches);
    if (c.expected.searchesPrefix) assert.deepEqual(got.searches.slice(0, c.expected.searchesPrefix.length), c.expected.searchesPrefix);
    if (c.expected.options) assert.deepEqual([...got.options].sort(), [...c.expected.options].sort());
    if (c.expected.resolvConfLines) {
      // The documented example prints the options in the order the pod lists them.
      assert.deepEqual(resolvConfLines(got), c.expected.resolvConfLines);
    }
  });
}

for (const [i, c] of cases.parseResolvConf.entries()) {
  test(caseName('parseResolvConf', i, c), () => {
    ran++;
    const got = parseResolvConf(c.input);
    assert.equal(got.kind === 'error', c.error);
    if (got.kind === 'error') return;
    assert.deepEqual(got.nameservers, c.nameservers);
    assert.deepEqual(got.searches, c.searches);
    assert.deepEqual(got.options, c.options);
  });
}

for (const [i, c] of cases.searchLimits.entries()) {
  test(caseName('searchLimits', i, c), () => {
    ran++;
    const got = fitSearches(c.input, c.expandedDNSConfig);
    assert.deepEqual(got.value, c.expected);
    const event = got.event ? `${got.event.type} ${got.event.reason} ${got.event.message}` : null;
    assert.equal(event, c.event);
  });
}

for (const [i, c] of cases.nameserverLimits.entries()) {
  test(caseName('nameserverLimits', i, c), () => {
    ran++;
    const got = fitNameservers(c.input);
    assert.deepEqual(got.value, c.expected);
    assert.equal(got.event !== undefined, c.event);
    if (c.eventMessage) assert.equal(got.event?.message, c.eventMessage);
  });
}

for (const [i, c] of cases.mergeOptions.entries()) {
  test(caseName('mergeOptions', i, c), () => {
    ran++;
    const got = mergeDNSOptions(c.existing, c.podOptions);
    assert.deepEqual([...got].sort(), [...c.expectedSet].sort());
  });
}

for (const [i, c] of cases.hostname.entries()) {
  test(caseName('hostname', i, c), () => {
    ran++;
    const got = podHostname(c.pod, c.clusterDomain);
    assert.equal(got.kind, 'ok');
    if (got.kind !== 'ok') return;
    assert.equal(got.hostname, c.expected.hostname);
    assert.equal(got.hostDomain, c.expected.hostDomain);
    if (c.expected.etcHostsLine) assert.equal(got.etcHostsLine, c.expected.etcHostsLine);
  });
}

for (const [i, c] of cases.records.entries()) {
  test(caseName('records', i, c), () => {
    ran++;
    checkRecordsCase(c);
  });
}

test('every dns.json case ran', () => {
  const total = Object.values(cases).reduce((n, list) => n + list.length, 0);
  assert.equal(total, 84);
  assert.equal(ran, total);
});

// ---------------------------------------------------------------------------------------
// records: vector objects -> Kubernetes objects -> simulated cluster -> DNS records.

function checkRecordsCase(c: Any): void {
  const objects = c.objects.map(toK8sObject(c.objects));
  const cluster = simulateCluster(objects, { profile: { ...DEFAULT_PROFILE, clusterDomain: c.zone } });
  const records = clusterDnsRecords(cluster);
  const podIP = (name?: string): string => {
    const pod = name === undefined ? cluster.pods[0] : cluster.pods.find((p) => p.ref.name === name);
    assert.ok(pod && pod.podIPs.length > 0, `pod ${name ?? '(only)'} has an IP`);
    return pod.podIPs[0];
  };
  const resolve = (value: string): string => {
    if (value === '<pod IP>') return podIP();
    const m = /^<(.+) IP>$/.exec(value);
    return m ? podIP(m[1]) : value;
  };
  for (const expected of c.records) {
    const answer = lookupDns(records, expected.name, expected.type as DnsRecordType);
    const label = `${expected.name} ${expected.type}`;
    if (expected.rcode) {
      assert.equal(answer.rcode, expected.rcode, label);
      assert.equal(answer.answers.length, 0, label);
      continue;
    }
    assert.equal(answer.rcode, 'NOERROR', label);
    const own = answer.answers.filter((r) => r.type === expected.type);
    if (expected.type === 'SRV') {
      const srv = own as Extract<DnsRecord, { type: 'SRV' }>[];
      assert.ok(srv.every((r) => r.port === expected.port), `${label}: port ${expected.port}`);
      const targets = srv.map((r) => r.target).sort();
      const wanted: string[] = expected.targets ?? [expected.target];
      assert.equal(targets.length, wanted.length, `${label}: ${targets.join(' ')}`);
      for (const t of wanted) {
        if (t.startsWith('<system-assigned-id>.')) {
          // Any label not used by another target, under the same service name.
          const suffix = t.slice('<system-assigned-id>'.length);
          const others = wanted.filter((w) => w !== t);
          assert.ok(targets.some((g) => g.endsWith(suffix) && !g.slice(0, -suffix.length).includes('.') && !others.includes(g)), `${label}: a unique target under ${suffix}`);
        } else {
          assert.ok(targets.includes(t), `${label}: target ${t} in ${targets.join(' ')}`);
        }
      }
      continue;
    }
    const got = own.map((r) => ('address' in r ? r.address : 'target' in r ? r.target : r.type === 'TXT' ? r.text : '')).sort();
    const want: string[] = (expected.dataSet ?? [expected.data]).map(resolve).sort();
    assert.deepEqual(got, want, label);
  }
  for (const name of c.absent ?? []) {
    assert.equal(lookupDns(records, name, 'A').rcode, 'NXDOMAIN', `${name} is absent`);
  }
  for (const derived of c.derivedPods ?? []) {
    const pod = cluster.pods.find((p) => p.ref.name === derived.name);
    assert.ok(pod, `pod ${derived.name}`);
    assert.equal(pod.pod.spec?.hostname, derived.hostname);
    assert.equal(pod.pod.spec?.subdomain, derived.subdomain);
    for (const [k, v] of Object.entries(derived.labels)) assert.equal(pod.pod.metadata?.labels?.[k], v, `${derived.name} label ${k}`);
  }
}

/** The vectors' shorthand objects as the manifests they stand for. */
function toK8sObject(all: Any[]): (o: Any) => Any {
  return (o: Any) => {
    const namespace = o.namespace ?? 'default';
    switch (o.kind) {
      case 'Service':
        return {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: o.name, namespace },
          spec: {
            ...(o.clusterIP ? { clusterIP: o.clusterIP } : {}),
            ...(o.type ? { type: o.type } : {}),
            ...(o.externalName ? { externalName: o.externalName } : {}),
            ...(o.selector ? { selector: o.selector } : {}),
            ...(o.ports ? { ports: o.ports } : {}),
          },
        };
      case 'EndpointSlice': {
        // The shorthand slice lists no ports; the controller would write the Service's ports
        // (targetPort defaulting to port), so the adapter does the same.
        const svc = all.find((x) => x.kind === 'Service' && x.name === o.service);
        const ports = (svc?.ports ?? []).map((p: Any) => ({ name: p.name ?? '', port: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP' }));
        const family = String(o.endpoints[0]?.addresses?.[0] ?? '').includes(':') ? 'IPv6' : 'IPv4';
        return {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: { name: `${o.service}-vector`, namespace, labels: { 'kubernetes.io/service-name': o.service } },
          addressType: family,
          ports,
          endpoints: o.endpoints.map((e: Any) => ({
            addresses: e.addresses,
            ...(e.hostname ? { hostname: e.hostname } : {}),
            conditions: { ready: e.ready },
          })),
        };
      }
      case 'Pod':
        return {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: o.name ?? 'pod', namespace, labels: o.labels ?? {} },
          spec: {
            containers: [{ name: 'main', image: 'busybox' }],
            ...(o.hostname ? { hostname: o.hostname } : {}),
            ...(o.subdomain ? { subdomain: o.subdomain } : {}),
          },
          ...(o.podIP
            ? { status: { phase: 'Running', podIP: o.podIP, podIPs: [{ ip: o.podIP }], conditions: [{ type: 'Ready', status: 'True' }] } }
            : o.ready === false ? { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } } : {}),
        };
      case 'StatefulSet':
        return {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          metadata: { name: o.name, namespace },
          spec: {
            serviceName: o.serviceName,
            replicas: o.replicas,
            selector: { matchLabels: o.template.labels },
            template: { metadata: { labels: o.template.labels }, spec: { containers: [{ name: 'main', image: 'nginx' }] } },
          },
        };
      default:
        throw new Error(`vector object kind ${o.kind} not handled by the test adapter`);
    }
  };
}
