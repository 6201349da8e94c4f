// Real manifests through the simulator (shared/corpus): Google's microservices demo (release
// manifests: 12 Deployments, 12 Services) and the Docker example voting app. Expectations are
// read off the manifests by hand: every Deployment runs its replicas (default 1) on a worker,
// every Service with a selector gets one slice whose endpoints are exactly the pods of the
// Deployment with the same `app` label, ports resolved to the containers' numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { corpusDir } from '../../support/paths';
import { DEFAULT_PROFILE } from '../../../server/src/engine/simulate/profile';
import { clusterDnsRecords, simulateCluster } from '../../../server/src/engine/simulate/sim-cluster';
import { lookupDns } from '../../../server/src/engine/semantics/dns';
import { docs } from './sim-fixtures';

test('google-microservices-demo release manifests', () => {
  const objects = docs(readFileSync(path.join(corpusDir, 'google-microservices-demo', 'release', 'kubernetes-manifests.yaml'), 'utf8'));
  const cluster = simulateCluster(objects, { profile: DEFAULT_PROFILE });
  assert.deepEqual(cluster.problems, []);
  assert.equal(cluster.pods.length, 12, 'twelve single-replica Deployments');
  for (const p of cluster.pods) {
    assert.ok(p.nodeName === 'kind-worker' || p.nodeName === 'kind-worker2', `${p.ref.name} on a worker`);
    assert.equal(p.podIPs.length, 1);
    assert.equal(p.ready, true);
  }
  const slice = (name: string) => {
    const s = cluster.endpointSlices.filter((x) => x.service?.name === name);
    assert.equal(s.length, 1, name);
    return s[0].slice;
  };
  // frontend: Service port 80 -> targetPort 8080; frontend-external is the LoadBalancer twin.
  for (const name of ['frontend', 'frontend-external']) {
    const s = slice(name);
    assert.deepEqual(s.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }], name);
    assert.deepEqual(s.endpoints.map((e) => e.targetRef!.name!.replace(/-[^-]+-[^-]+$/, '')), ['frontend']);
  }
  assert.deepEqual(slice('redis-cart').ports, [{ name: 'tcp-redis', port: 6379, protocol: 'TCP' }]);
  const lb = cluster.services.find((s) => s.ref.name === 'frontend-external')!.service.spec!;
  assert.equal(lb.type, 'LoadBalancer');
  assert.ok(lb.ports![0].nodePort! >= 30000 && lb.ports![0].nodePort! <= 32767);
  const records = clusterDnsRecords(cluster);
  const cart = cluster.services.find((s) => s.ref.name === 'cartservice')!.service.spec!.clusterIP!;
  assert.deepEqual(lookupDns(records, 'cartservice.default.svc.cluster.local', 'A').answers.map((r) => ('address' in r ? r.address : '')), [cart]);
});

test('example-voting-app', () => {
  const dir = path.join(corpusDir, 'example-voting-app', 'k8s-specifications');
  const objects = readdirSync(dir).sort().flatMap((f) => docs(readFileSync(path.join(dir, f), 'utf8')));
  const cluster = simulateCluster(objects, { profile: DEFAULT_PROFILE });
  assert.deepEqual(cluster.problems, []);
  assert.deepEqual(cluster.pods.map((p) => p.pod.metadata!.labels!.app).sort(), ['db', 'redis', 'result', 'vote', 'worker']);
  const endpoints = Object.fromEntries(cluster.endpointSlices.map((s) => [s.service!.name, s.slice.endpoints.length]));
  assert.deepEqual(endpoints, { db: 1, redis: 1, result: 1, vote: 1 }, 'worker has no Service');
});
