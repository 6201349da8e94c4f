// Removed API versions: the deprecation guide's facts, cross-checked against the generated 1.34
// kind table (a removed version must not be served any more, its replacement must be).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isRemovedIn, removedApi, removedApis } from '../../../server/src/engine/schema/removed-apis';
import { knownKind } from '../../../server/src/engine/schema/schema';

test('examples from the deprecation guide', () => {
  assert.deepEqual(removedApi('extensions/v1beta1', 'Ingress'), { apiVersion: 'extensions/v1beta1', kind: 'Ingress', removedIn: '1.22', replacement: 'networking.k8s.io/v1' });
  assert.deepEqual(removedApi('networking.k8s.io/v1beta1', 'Ingress')?.removedIn, '1.22');
  assert.deepEqual(removedApi('extensions/v1beta1', 'Deployment'), { apiVersion: 'extensions/v1beta1', kind: 'Deployment', removedIn: '1.16', replacement: 'apps/v1' });
  assert.deepEqual(removedApi('batch/v1beta1', 'CronJob'), { apiVersion: 'batch/v1beta1', kind: 'CronJob', removedIn: '1.25', replacement: 'batch/v1' });
  assert.deepEqual(removedApi('policy/v1beta1', 'PodSecurityPolicy'), { apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy', removedIn: '1.25' });
  assert.equal(removedApi('autoscaling/v2beta2', 'HorizontalPodAutoscaler')?.removedIn, '1.26');
  assert.equal(removedApi('storage.k8s.io/v1beta1', 'CSIStorageCapacity')?.removedIn, '1.27');
  assert.equal(removedApi('flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema')?.removedIn, '1.29');
  assert.equal(removedApi('flowcontrol.apiserver.k8s.io/v1beta3', 'PriorityLevelConfiguration')?.removedIn, '1.32');
  assert.equal(removedApi('apps/v1', 'Deployment'), undefined);
  assert.equal(removedApi('networking.k8s.io/v1', 'Ingress'), undefined);
});

test('isRemovedIn compares minor releases', () => {
  const ingress = removedApi('extensions/v1beta1', 'Ingress')!;
  assert.equal(isRemovedIn(ingress, '1.21'), false);
  assert.equal(isRemovedIn(ingress, '1.22'), true);
  assert.equal(isRemovedIn(ingress, 'v1.34.1'), true);
  assert.equal(isRemovedIn(ingress, 'latest'), false);
});

test('consistent with the Kubernetes 1.34 kind table', () => {
  assert.ok(removedApis.length >= 40);
  for (const r of removedApis) {
    assert.equal(knownKind(r.apiVersion, r.kind), false, `${r.apiVersion} ${r.kind} is still served`);
    if (r.replacement) assert.equal(knownKind(r.replacement, r.kind), true, `${r.replacement} ${r.kind} is not served`);
  }
  const keys = removedApis.map((r) => `${r.apiVersion} ${r.kind}`);
  assert.equal(new Set(keys).size, keys.length, 'no duplicates');
});
