// Field documentation, explain cards, completion candidates and kind facts of the built-in schema.
// Expectations come from the Kubernetes 1.34 API reference (description sentences, enum values,
// required fields, `kubectl explain` type names) and `kubectl api-resources` (scope), never from
// the generator's own output.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';
import {
  builtinKinds,
  explainMarkdown,
  fieldDoc,
  fieldNames,
  isClusterScoped,
  knownKind,
} from '../../../server/src/engine/schema/schema';

test('Service spec.ports.targetPort: upstream description and IntOrString type', () => {
  for (const p of [['spec', 'ports', 'targetPort'], ['spec', 'ports', 0, 'targetPort']]) {
    const doc = fieldDoc('v1', 'Service', p);
    assert.ok(doc, String(p));
    assert.equal(doc.path, 'spec.ports.targetPort');
    assert.equal(doc.field, 'targetPort');
    assert.equal(doc.type, 'IntOrString');
    assert.equal(doc.required, false);
    assert.ok(doc.description.startsWith('Number or name of the port to access on the pods targeted by the service.'), doc.description);
    assert.ok(doc.description.includes('Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.'));
    assert.ok(doc.description.includes("If this is not specified, the value of the 'port' field is used (an identity map)."));
    assert.equal(doc.enum, undefined);
  }
});

test('Pod spec.dnsPolicy: description, enum values and their meanings', () => {
  const doc = fieldDoc('v1', 'Pod', ['spec', 'dnsPolicy']);
  assert.ok(doc);
  assert.equal(doc.type, 'string');
  assert.ok(doc.description.startsWith('Set DNS policy for the pod. Defaults to "ClusterFirst".'), doc.description);
  assert.ok(doc.description.includes("Valid values are 'ClusterFirstWithHostNet', 'ClusterFirst', 'Default' or 'None'."));
  // The description keeps upstream's enum section, as `kubectl explain` prints it.
  assert.ok(doc.description.includes('\n\nPossible enum values:\n - `"ClusterFirst"` indicates'));
  assert.deepEqual(doc.enum?.map((e) => e.value), ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']);
  const none = doc.enum?.find((e) => e.value === 'None');
  assert.ok(none?.meaning.startsWith('indicates that the pod should use empty DNS settings.'), none?.meaning);
});

test('enum extraction: upstream enum fields list exactly their values', () => {
  const cases: { name: string; apiVersion: string; kind: string; path: (string | number)[]; values: string[] }[] = [
    { name: 'ServicePort.protocol', apiVersion: 'v1', kind: 'Service', path: ['spec', 'ports', 'protocol'], values: ['SCTP', 'TCP', 'UDP'] },
    { name: 'ServiceSpec.type', apiVersion: 'v1', kind: 'Service', path: ['spec', 'type'], values: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] },
    { name: 'ServiceSpec.sessionAffinity', apiVersion: 'v1', kind: 'Service', path: ['spec', 'sessionAffinity'], values: ['ClientIP', 'None'] },
    { name: 'ServiceSpec.externalTrafficPolicy', apiVersion: 'v1', kind: 'Service', path: ['spec', 'externalTrafficPolicy'], values: ['Cluster', 'Local'] },
    { name: 'Container.imagePullPolicy', apiVersion: 'apps/v1', kind: 'Deployment', path: ['spec', 'template', 'spec', 'containers', 0, 'imagePullPolicy'], values: ['Always', 'IfNotPresent', 'Never'] },
    { name: 'PodSpec.restartPolicy', apiVersion: 'v1', kind: 'Pod', path: ['spec', 'restartPolicy'], values: ['Always', 'Never', 'OnFailure'] },
    { name: 'HTTPIngressPath.pathType', apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', path: ['spec', 'rules', 'http', 'paths', 'pathType'], values: ['Exact', 'ImplementationSpecific', 'Prefix'] },
    { name: 'Toleration.operator', apiVersion: 'v1', kind: 'Pod', path: ['spec', 'tolerations', 'operator'], values: ['Equal', 'Exists'] },
  ];
  for (const c of cases) {
    const doc = fieldDoc(c.apiVersion, c.kind, c.path);
    assert.deepEqual(doc?.enum?.map((e) => e.value), c.values, c.name);
  }
  // Free-form strings carry no enum.
  assert.equal(fieldDoc('v1', 'Pod', ['spec', 'containers', 'image'])?.enum, undefined);
});

test('types and required flags as kubectl explain shows them', () => {
  const cases: { path: (string | number)[]; apiVersion: string; kind: string; type: string; required: boolean }[] = [
    { apiVersion: 'v1', kind: 'Service', path: ['spec', 'ports'], type: '[]ServicePort', required: false },
    { apiVersion: 'v1', kind: 'Service', path: ['spec', 'ports', 'port'], type: 'integer', required: true },
    { apiVersion: 'v1', kind: 'Service', path: ['spec'], type: 'ServiceSpec', required: false },
    { apiVersion: 'v1', kind: 'Service', path: ['metadata'], type: 'ObjectMeta', required: false },
    { apiVersion: 'v1', kind: 'Service', path: ['metadata', 'labels'], type: 'map[string]string', required: false },
    { apiVersion: 'v1', kind: 'Service', path: ['metadata', 'creationTimestamp'], type: 'string', required: false },
    { apiVersion: 'v1', kind: 'Pod', path: ['spec', 'containers'], type: '[]Container', required: true },
    { apiVersion: 'v1', kind: 'Pod', path: ['spec', 'containers', 'name'], type: 'string', required: true },
    { apiVersion: 'v1', kind: 'Pod', path: ['spec', 'containers', 'resources', 'limits'], type: 'map[string]Quantity', required: false },
    { apiVersion: 'v1', kind: 'Pod', path: ['spec', 'volumes', 'emptyDir', 'sizeLimit'], type: 'Quantity', required: false },
    { apiVersion: 'v1', kind: 'Pod', path: ['spec', 'hostNetwork'], type: 'boolean', required: false },
    { apiVersion: 'apps/v1', kind: 'Deployment', path: ['spec', 'selector'], type: 'LabelSelector', required: true },
    { apiVersion: 'apps/v1', kind: 'Deployment', path: ['spec', 'template'], type: 'PodTemplateSpec', required: true },
    { apiVersion: 'apps/v1', kind: 'Deployment', path: ['spec', 'strategy', 'rollingUpdate', 'maxSurge'], type: 'IntOrString', required: false },
    { apiVersion: 'v1', kind: 'Secret', path: ['data'], type: 'map[string]string', required: false },
    { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', path: ['spec', 'versions', 'schema', 'openAPIV3Schema', 'x-kubernetes-preserve-unknown-fields'], type: 'boolean', required: false },
  ];
  for (const c of cases) {
    const doc = fieldDoc(c.apiVersion, c.kind, c.path);
    assert.ok(doc, c.path.join('.'));
    assert.equal(doc.type, c.type, c.path.join('.'));
    assert.equal(doc.required, c.required, c.path.join('.'));
  }
});

test('reference-typed fields carry their own upstream description, not their type\'s', () => {
  // client-node drops these; upstream: "Spec defines the behavior of a service."
  assert.ok(fieldDoc('v1', 'Service', ['spec'])?.description.startsWith('Spec defines the behavior of a service.'));
  assert.ok(fieldDoc('apps/v1', 'Deployment', ['metadata'])?.description.startsWith("Standard object's metadata."));
  assert.ok(fieldDoc('v1', 'Pod', ['spec', 'containers', 'resources'])?.description.startsWith('Compute Resources required by this container. Cannot be updated.'));
});

test('paths outside the schema and unknown kinds have no documentation', () => {
  assert.equal(fieldDoc('v1', 'Service', ['spec', 'nope']), undefined);
  assert.equal(fieldDoc('v1', 'Service', ['spec', 'type', 'deeper']), undefined);
  assert.equal(fieldDoc('v1', 'Service', ['spec', 0]), undefined);
  assert.equal(fieldDoc('example.com/v1', 'Widget', ['spec']), undefined);
  assert.equal(fieldDoc('extensions/v1beta1', 'Ingress', ['spec']), undefined);
});

test('map keys are documented by their map field', () => {
  const doc = fieldDoc('v1', 'Service', ['metadata', 'labels', 'app.kubernetes.io/name']);
  assert.ok(doc);
  assert.equal(doc.field, 'labels');
  assert.equal(doc.type, 'string');
  assert.ok(doc.description.startsWith('Map of string keys and values that can be used to organize and categorize'));
});

test('the kind itself: empty path', () => {
  const doc = fieldDoc('v1', 'Service', []);
  assert.ok(doc);
  assert.equal(doc.path, '');
  assert.equal(doc.field, 'Service');
  assert.ok(doc.description.startsWith('Service is a named abstraction of software service'));
});

test('explainMarkdown: the kubectl explain card', () => {
  const md = explainMarkdown('v1', 'Service', ['spec', 'ports', 0, 'targetPort']);
  assert.ok(md);
  const lines = md.split('\n');
  assert.equal(lines[0], '**GROUP:** (core) · **KIND:** Service · **VERSION:** v1');
  assert.ok(lines.includes('**FIELD:** targetPort \\<IntOrString\\>'), md);
  assert.ok(md.includes('Number or name of the port to access on the pods targeted by the service.'));
  const proto = explainMarkdown('v1', 'Service', ['spec', 'ports', 'protocol']);
  assert.ok(proto);
  // Enum values listed once, from the extracted list, with their meanings.
  assert.ok(proto.includes('**ENUM:**\n\n- `"SCTP"` is the SCTP protocol.\n- `"TCP"` is the TCP protocol.\n- `"UDP"` is the UDP protocol.'), proto);
  assert.ok(!proto.includes('Possible enum values'));
  const port = explainMarkdown('v1', 'Service', ['spec', 'ports', 'port']);
  assert.ok(port?.includes('**FIELD:** port \\<integer\\> (required)'), port);
  const ing = explainMarkdown('networking.k8s.io/v1', 'Ingress', ['spec']);
  assert.ok(ing?.startsWith('**GROUP:** networking.k8s.io · **KIND:** Ingress · **VERSION:** v1'), ing);
  assert.equal(explainMarkdown('v1', 'Service', ['nope']), undefined);
});

test('fieldNames: completion candidates of the object at a path', () => {
  const names = fieldNames('v1', 'Service', ['spec', 'ports', 0]);
  assert.deepEqual(names.map((n) => n.name), ['appProtocol', 'name', 'nodePort', 'port', 'protocol', 'targetPort']);
  assert.deepEqual(fieldNames('v1', 'Service', ['spec', 'ports']).map((n) => n.name), names.map((n) => n.name));
  const port = names.find((n) => n.name === 'port');
  assert.deepEqual([port?.type, port?.required], ['integer', true]);
  assert.deepEqual(names.find((n) => n.name === 'protocol')?.enum?.map((e) => e.value), ['SCTP', 'TCP', 'UDP']);
  const root = fieldNames('apps/v1', 'Deployment', []).map((n) => n.name);
  assert.deepEqual(root, ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  assert.ok(fieldNames('v1', 'Pod', ['spec', 'containers', 0]).some((n) => n.name === 'readinessProbe'));
  assert.deepEqual(fieldNames('v1', 'Service', ['spec', 'type']), []);
  assert.deepEqual(fieldNames('example.com/v1', 'Widget', []), []);
});

// `kubectl api-resources --namespaced=false` on Kubernetes 1.34 (default feature gates), GA
// (non-alpha, non-beta) API versions only.
const clusterScopedGA = [
  'admissionregistration.k8s.io/v1 MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration',
  'apiextensions.k8s.io/v1 CustomResourceDefinition',
  'apiregistration.k8s.io/v1 APIService',
  'authentication.k8s.io/v1 SelfSubjectReview',
  'authentication.k8s.io/v1 TokenReview',
  'authorization.k8s.io/v1 SelfSubjectAccessReview',
  'authorization.k8s.io/v1 SelfSubjectRulesReview',
  'authorization.k8s.io/v1 SubjectAccessReview',
  'certificates.k8s.io/v1 CertificateSigningRequest',
  'flowcontrol.apiserver.k8s.io/v1 FlowSchema',
  'flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfiguration',
  'networking.k8s.io/v1 IPAddress',
  'networking.k8s.io/v1 IngressClass',
  'networking.k8s.io/v1 ServiceCIDR',
  'node.k8s.io/v1 RuntimeClass',
  'rbac.authorization.k8s.io/v1 ClusterRole',
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding',
  'resource.k8s.io/v1 DeviceClass',
  'resource.k8s.io/v1 ResourceSlice',
  'scheduling.k8s.io/v1 PriorityClass',
  'storage.k8s.io/v1 CSIDriver',
  'storage.k8s.io/v1 CSINode',
  'storage.k8s.io/v1 StorageClass',
  'storage.k8s.io/v1 VolumeAttachment',
  'storage.k8s.io/v1 VolumeAttributesClass',
  'v1 ComponentStatus',
  'v1 Namespace',
  'v1 Node',
  'v1 PersistentVolume',
];

test('cluster-scoped kinds: derived scope equals the well-known list', () => {
  const ga = builtinKinds().filter((k) => !/(alpha|beta)\d*$/.test(k.apiVersion));
  const derived = ga.filter((k) => !k.namespaced).map((k) => `${k.apiVersion} ${k.kind}`);
  assert.deepEqual(derived, [...clusterScopedGA].sort());
  for (const entry of clusterScopedGA) {
    const [apiVersion, kind] = entry.split(' ') as [string, string];
    assert.equal(isClusterScoped(apiVersion, kind), true, entry);
  }
});

test('namespaced kinds and the kind table', () => {
  const namespaced = [
    'v1 Pod', 'v1 Service', 'v1 ConfigMap', 'v1 Secret', 'v1 ServiceAccount', 'v1 Endpoints', 'v1 PersistentVolumeClaim',
    'v1 ReplicationController', 'v1 LimitRange', 'v1 ResourceQuota', 'v1 PodTemplate', 'v1 Event', 'v1 Binding',
    'apps/v1 Deployment', 'apps/v1 StatefulSet', 'apps/v1 DaemonSet', 'apps/v1 ReplicaSet', 'apps/v1 ControllerRevision',
    'batch/v1 Job', 'batch/v1 CronJob', 'autoscaling/v2 HorizontalPodAutoscaler', 'autoscaling/v1 HorizontalPodAutoscaler',
    'policy/v1 PodDisruptionBudget', 'networking.k8s.io/v1 Ingress', 'networking.k8s.io/v1 NetworkPolicy',
    'discovery.k8s.io/v1 EndpointSlice', 'events.k8s.io/v1 Event', 'coordination.k8s.io/v1 Lease',
    'rbac.authorization.k8s.io/v1 Role', 'rbac.authorization.k8s.io/v1 RoleBinding', 'storage.k8s.io/v1 CSIStorageCapacity',
    'authorization.k8s.io/v1 LocalSubjectAccessReview', 'resource.k8s.io/v1 ResourceClaim', 'resource.k8s.io/v1 ResourceClaimTemplate',
  ];
  for (const entry of namespaced) {
    const [apiVersion, kind] = entry.split(' ') as [string, string];
    assert.equal(knownKind(apiVersion, kind), true, entry);
    assert.equal(isClusterScoped(apiVersion, kind), false, entry);
  }
  // Served only as subresources or lists, or removed: not kinds of their own.
  for (const [apiVersion, kind] of [['autoscaling/v1', 'Scale'], ['policy/v1', 'Eviction'], ['v1', 'PodList'], ['extensions/v1beta1', 'Ingress'], ['policy/v1beta1', 'PodSecurityPolicy']] as const) {
    assert.equal(knownKind(apiVersion, kind), false, `${apiVersion} ${kind}`);
    assert.equal(isClusterScoped(apiVersion, kind), undefined);
  }
  const all = builtinKinds().map((k) => `${k.apiVersion} ${k.kind}`);
  assert.deepEqual(all, [...all].sort(byApiVersionThenKind), 'sorted by apiVersion, then kind');
});

function byApiVersionThenKind(a: string, b: string): number {
  const [va, ka] = a.split(' ') as [string, string];
  const [vb, kb] = b.split(' ') as [string, string];
  return va < vb ? -1 : va > vb ? 1 : ka < kb ? -1 : ka > kb ? 1 : 0;
}

test('generated data: Kubernetes 1.34, compact', () => {
  const file = path.join(repoRoot, 'server/src/engine/schema/generated/k8s-1.34.json');
  const size = fs.statSync(file).size;
  assert.ok(size < 3 * 1024 * 1024, `k8s-1.34.json is ${size} bytes`);
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { v: string };
  assert.equal(data.v, '1.34.0');
});
