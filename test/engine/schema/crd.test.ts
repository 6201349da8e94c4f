// schemaFromCRD: a CustomResourceDefinition in the workspace gives its kind docs, completion and
// validation. Expectations follow the API server's structural-schema rules (apiextensions.k8s.io/v1:
// pruning of unlisted fields, x-kubernetes-preserve-unknown-fields, x-kubernetes-int-or-string,
// x-kubernetes-embedded-resource, required, enum) and CRD scope.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import {
  explainMarkdown,
  fieldDoc,
  fieldNames,
  isClusterScoped,
  knownKind,
  schemaFromCRD,
  validateObject,
} from '../../../server/src/engine/schema/schema';

const crd = parse(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        description: Widget is a test resource.
        type: object
        properties:
          spec:
            description: Desired state of the widget.
            type: object
            required: [size]
            properties:
              size: {type: integer, description: Number of parts.}
              color: {type: string, enum: [red, green]}
              port: {x-kubernetes-int-or-string: true, description: Port number or name.}
              labels: {type: object, additionalProperties: {type: string}}
              extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
              template: {type: object, x-kubernetes-embedded-resource: true, properties: {spec: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
              items: {type: array, items: {type: object, properties: {name: {type: string}}}}
          status: {type: object, properties: {ready: {type: boolean}}}
  - name: v1beta1
    served: false
    storage: false
    schema: {openAPIV3Schema: {type: object}}
  - name: v2
    served: true
    storage: false
`);

const crds = schemaFromCRD(crd);
const options = { crds };

test('one kind per served version, with the CRD scope', () => {
  assert.deepEqual(crds.map((k) => [k.apiVersion, k.kind, k.namespaced, k.source]), [
    ['example.com/v1', 'Widget', true, 'crd'],
    ['example.com/v2', 'Widget', true, 'crd'],
  ]);
  assert.equal(knownKind('example.com/v1', 'Widget', options), true);
  assert.equal(knownKind('example.com/v1beta1', 'Widget', options), false, 'not served');
  assert.equal(knownKind('example.com/v1', 'Widget'), false, 'only with the CRD passed in');
  assert.equal(isClusterScoped('example.com/v1', 'Widget', options), false);
  const cluster = schemaFromCRD({ ...crd, spec: { ...crd.spec, scope: 'Cluster' } });
  assert.equal(isClusterScoped('example.com/v1', 'Widget', { crds: cluster }), true);
});

test('documentation from the schema descriptions', () => {
  const size = fieldDoc('example.com/v1', 'Widget', ['spec', 'size'], options);
  assert.deepEqual(size, { path: 'spec.size', field: 'size', type: 'integer', description: 'Number of parts.', required: true });
  assert.equal(fieldDoc('example.com/v1', 'Widget', ['spec', 'port'], options)?.type, 'IntOrString');
  assert.equal(fieldDoc('example.com/v1', 'Widget', ['spec', 'labels'], options)?.type, 'map[string]string');
  assert.equal(fieldDoc('example.com/v1', 'Widget', ['spec', 'items'], options)?.type, '[]Object');
  assert.deepEqual(fieldDoc('example.com/v1', 'Widget', ['spec', 'color'], options)?.enum?.map((e) => e.value), ['red', 'green']);
  assert.equal(fieldDoc('example.com/v1', 'Widget', [], options)?.description, 'Widget is a test resource.');
  // metadata is a standard ObjectMeta, documented as for built-in kinds.
  assert.equal(fieldDoc('example.com/v1', 'Widget', ['metadata', 'name'], options)?.type, 'string');
  assert.ok(fieldDoc('example.com/v1', 'Widget', ['metadata'], options)?.description.startsWith("Standard object's metadata."));
  assert.ok(explainMarkdown('example.com/v1', 'Widget', ['spec', 'size'], options)?.includes('**FIELD:** size \\<integer\\> (required)'));
  assert.deepEqual(fieldNames('example.com/v1', 'Widget', [], options).map((f) => f.name), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  assert.deepEqual(fieldNames('example.com/v1', 'Widget', ['spec', 'items', 0], options).map((f) => f.name), ['name']);
});

test('validation of custom resources', () => {
  const problems = (yaml: string) => {
    const v = parse(yaml) as { apiVersion: string; kind: string };
    return validateObject(v.apiVersion, v.kind, v, options).map((p) => p.message);
  };
  assert.deepEqual(
    problems(`
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, labels: {a: b}}
spec:
  size: 3
  color: red
  port: http
  labels: {tier: web}
  extra: {anything: [1, {deep: true}]}
  template: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: []}}
  items: [{name: a}]
status: {ready: maybe}`),
    [],
  );
  assert.deepEqual(
    problems(`
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, labelz: {}}
spec:
  color: blue
  port: 1.5
  labels: {tier: 1}
  items: [{name: a, nmae: b}]
  unknown: 1`),
    [
      'unknown field "metadata.labelz"',
      'spec.color: Unsupported value: "blue": supported values: "red", "green"',
      'spec.port: expected integer or string, got number 1.5',
      'spec.labels.tier: expected string, got integer 1',
      'unknown field "spec.items[0].nmae"',
      'unknown field "spec.unknown"',
      'spec.size: Required value',
    ],
  );
  // A served version without a schema keeps every field (nothing to prune against).
  assert.deepEqual(validateObject('example.com/v2', 'Widget', { apiVersion: 'example.com/v2', kind: 'Widget', metadata: { name: 'w' }, spec: { x: 1 } }, options), []);
});

test('built-in kinds are not overridden by a CRD of the same name', () => {
  const fake = schemaFromCRD({ ...crd, spec: { ...crd.spec, group: 'apps', names: { kind: 'Deployment', plural: 'deployments' } } });
  assert.equal(fieldDoc('apps/v1', 'Deployment', ['spec', 'size'], { crds: fake }), undefined);
  assert.equal(fieldDoc('apps/v1', 'Deployment', ['spec', 'replicas'], { crds: fake })?.type, 'integer');
});

test('the removed v1beta1 CRD shape is read too', () => {
  const old = schemaFromCRD(parse(`
apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  version: v1alpha1
  scope: Cluster
  names: {kind: Gadget, plural: gadgets}
  validation:
    openAPIV3Schema:
      properties:
        spec: {properties: {on: {type: boolean}}}`));
  assert.deepEqual(old.map((k) => [k.apiVersion, k.kind, k.namespaced]), [['example.com/v1alpha1', 'Gadget', false]]);
  assert.equal(fieldDoc('example.com/v1alpha1', 'Gadget', ['spec'], { crds: old })?.type, 'Object');
});

test('anything that is not a usable CRD gives no kinds', () => {
  for (const v of [null, 'text', [], {}, { kind: 'CustomResourceDefinition' }, { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', spec: { group: 'x' } }, { apiVersion: 'v1', kind: 'ConfigMap' }]) {
    assert.deepEqual(schemaFromCRD(v), [], JSON.stringify(v));
  }
});
