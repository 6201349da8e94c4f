// validateObject: good and bad manifests, table-driven. Each expectation states what the API
// server does with the object on `kubectl apply` (strict field validation): the messages follow
// its wording (`unknown field "..."`, `...: Required value`, `...: Unsupported value: ...`), the
// rules come from the API types (required fields, enums, int-or-string, Quantity syntax).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { validateObject } from '../../../server/src/engine/schema/schema';

/** Parses one YAML object and asserts its problems equal `expected` (`severity message`). */
function checkProblems(name: string, yamlText: string, expected: readonly string[]): void {
  const value = parse(yamlText) as { apiVersion: string; kind: string };
  const actual = validateObject(value.apiVersion, value.kind, value).map((p) => `${p.severity} ${p.message}`);
  assert.deepEqual(actual, expected, name);
}

const deployment = (spec: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
${spec}`;

test('valid manifests have no problems', () => {
  const good: { name: string; yaml: string }[] = [
    {
      name: 'service with named and numeric targetPort, enums, null creationTimestamp, status ignored',
      yaml: `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop, creationTimestamp: null, annotations: {a: "1"}}
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http, protocol: TCP}
  - {name: metrics, port: 9090, targetPort: 9090}
status:
  loadBalancer: {}
  anything: goes`,
    },
    {
      name: 'deployment with quantities as numbers and strings, int-or-string percentages',
      yaml: `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        imagePullPolicy: ""
        env: [{name: A, value: "1"}, {name: B}]
        resources:
          limits: {cpu: 1, memory: 1Gi, nvidia.com/gpu: "2", ephemeral-storage: 1.5e3}
          requests: {cpu: 500m, memory: 128974848, hugepages-2Mi: 0.5Mi}
        ports: [{containerPort: 8080, name: http}]
        readinessProbe: {httpGet: {path: /, port: http, scheme: HTTPS}}
      volumes:
      - name: cache
        emptyDir: {sizeLimit: 500Mi, medium: ""}
      - name: cfg
        configMap: {name: cfg, defaultMode: 420, items: null}`,
    },
    {
      name: 'secret with base64 data (line-wrapped) and stringData',
      yaml: `
apiVersion: v1
kind: Secret
metadata: {name: s}
type: Opaque
data:
  a: aGVsbG8=
  b: "aGVs\\nbG8h"
  empty: ""
stringData: {c: plain text}`,
    },
    {
      name: 'rolebinding without roleRef.apiGroup (defaulted by the RBAC API)',
      yaml: `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb}
roleRef: {kind: Role, name: r}
subjects: [{kind: User, name: alice}]`,
    },
    {
      name: 'free-form fields: CRD openAPIV3Schema defaults and examples',
      yaml: `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
        properties:
          spec: {type: object, default: {size: 1}, example: [1, 2], enum: [{a: 1}]}`,
    },
    {
      name: 'unknown kinds (custom resources without CRD) are not checked',
      yaml: `
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {whatever: [1, 2, 3]}`,
    },
    {
      name: 'removed API versions are not checked here (see removed-apis.ts)',
      yaml: `
apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: i}
spec: {backend: {serviceName: s, servicePort: 80}}`,
    },
  ];
  for (const c of good) checkProblems(c.name, c.yaml, []);
});

test('unknown fields: strict decoding errors with the full field path', () => {
  checkProblems(
    'unknown fields at several depths, with a case hint',
    deployment(`      containers:
      - name: web
        image: nginx
        ports: [{containerport: 80}]
      nodeSelectors: {a: b}`) + '\n  replica: 3\nextra: 1',
    [
      'error unknown field "spec.template.spec.containers[0].ports[0].containerport" (did you mean "containerPort"?)',
      'error spec.template.spec.containers[0].ports[0].containerPort: Required value',
      'error unknown field "spec.template.spec.nodeSelectors"',
      'error unknown field "spec.replica"',
      'error unknown field "extra"',
    ],
  );
  checkProblems('unknown field in metadata', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, label: {a: b}}\ndata: {a: b}', [
    'error unknown field "metadata.label"',
  ]);
});

test('wrong JSON types', () => {
  checkProblems(
    'scalars of the wrong type',
    `
apiVersion: v1
kind: Service
metadata: {name: web, labels: {version: 1.0, enabled: true}}
spec:
  selector: {app: web}
  ports:
  - {port: "80", targetPort: 8.5, nodePort: 30080.5}
  publishNotReadyAddresses: "true"
  clusterIPs: 10.0.0.1`,
    [
      'error metadata.labels.version: expected string, got integer 1',
      'error metadata.labels.enabled: expected string, got boolean true',
      'error spec.ports[0].port: expected integer, got string "80"',
      'error spec.ports[0].targetPort: expected integer or string, got number 8.5',
      'error spec.ports[0].nodePort: expected integer, got number 30080.5',
      'error spec.publishNotReadyAddresses: expected boolean, got string "true"',
      'error spec.clusterIPs: expected array, got string "10.0.0.1"',
    ],
  );
  checkProblems('YAML 1.1 boolean words: a warning, since kubectl reads them unquoted as booleans', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}], hostNetwork: yes, hostPID: "off", hostIPC: "maybe"}', [
    'warning spec.hostNetwork: "yes" is a boolean only to YAML 1.1 parsers such as kubectl\'s, and a string when quoted or parsed as YAML 1.2; write true',
    'warning spec.hostPID: "off" is a boolean only to YAML 1.1 parsers such as kubectl\'s, and a string when quoted or parsed as YAML 1.2; write false',
    'error spec.hostIPC: expected boolean, got string "maybe"',
  ]);
  checkProblems('object where a list is expected, and the reverse', deployment(`      containers: {name: web, image: nginx}
      securityContext: [runAsUser: 1]`), [
    'error spec.template.spec.containers: expected array, got object',
    'error spec.template.spec.securityContext: expected object, got array',
  ]);
  checkProblems('env value must be a string', deployment(`      containers:
      - name: web
        env: [{name: DEBUG, value: true}, {name: PORT, value: 8080}]`), [
    'error spec.template.spec.containers[0].env[0].value: expected string, got boolean true',
    'error spec.template.spec.containers[0].env[1].value: expected string, got integer 8080',
  ]);
});

test('missing required fields', () => {
  checkProblems(
    'deployment without selector, container without name, port without port',
    `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers: [{image: nginx, ports: [{name: http}]}]`,
    [
      'error spec.template.spec.containers[0].ports[0].containerPort: Required value',
      'error spec.template.spec.containers[0].name: Required value',
      'error spec.selector: Required value',
    ],
  );
  checkProblems('null counts as missing for required fields', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: null}', [
    'error spec.containers: Required value',
  ]);
  checkProblems('ingress path without pathType (required in networking.k8s.io/v1)', `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: i}
spec:
  rules:
  - http:
      paths:
      - path: /
        backend: {service: {name: web, port: {number: 80}}}`, ['error spec.rules[0].http.paths[0].pathType: Required value']);
});

test('invalid enum values', () => {
  checkProblems(
    'enums are case-sensitive; the empty string is accepted (defaulted)',
    `
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: nodeport
  sessionAffinity: ""
  ports: [{port: 80, protocol: tcp}]`,
    [
      'error spec.type: Unsupported value: "nodeport": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      'error spec.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"',
    ],
  );
  checkProblems('imagePullPolicy', deployment(`      containers: [{name: web, imagePullPolicy: Sometimes}]`), [
    'error spec.template.spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
  ]);
});

test('Quantity, base64 and date-time syntax', () => {
  const quantityError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  checkProblems(
    'quantities: decimal and binary suffixes, exponents; not units like Gb or placeholders',
    deployment(`      containers:
      - name: web
        resources:
          limits: {memory: 1Gb, cpu: "1 core", a: 1Ki, b: 5E, c: 2e-3, d: +.5m, e: "-1"}
          requests: {memory: GPU_COUNT, cpu: ""}`),
    [
      `error spec.template.spec.containers[0].resources.limits.memory: ${quantityError}`,
      `error spec.template.spec.containers[0].resources.limits.cpu: ${quantityError}`,
      `error spec.template.spec.containers[0].resources.requests.memory: ${quantityError}`,
      `error spec.template.spec.containers[0].resources.requests.cpu: ${quantityError}`,
    ],
  );
  checkProblems('base64 in Secret data', 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {a: hello world!, b: abc, c: "ab=c", d: "a==="}', [
    'error data.a: illegal base64 data at input byte 5',
    'error data.b: illegal base64 data: the last group of 4 characters is incomplete',
    'error data.c: illegal base64 data: misplaced "=" padding',
    'error data.d: illegal base64 data: misplaced "=" padding',
  ]);
  checkProblems('RFC 3339 times', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, creationTimestamp: "2024-01-02T03:04:05Z", deletionTimestamp: yesterday}', [
    'error metadata.deletionTimestamp: Invalid value: "yesterday": must be an RFC 3339 date-time',
  ]);
});

test('never throws and stays bounded on odd input', () => {
  assert.deepEqual(
    validateObject('v1', 'Pod', 'not an object').map((p) => p.message),
    ['expected an object for Pod, got string'],
  );
  assert.deepEqual(validateObject('v1', 'Pod', null).map((p) => p.message), ['expected an object for Pod, got null']);
  // A self-referencing value (YAML aliases can build one) is cut off at the depth bound.
  const cyclic: Record<string, unknown> = { name: 'x' };
  cyclic['items'] = [cyclic];
  const problems = validateObject('v1', 'ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', managedFields: [{ fieldsV1: cyclic }] } });
  assert.deepEqual(problems, []);
  const many = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i])) };
  const capped = validateObject('v1', 'ConfigMap', many);
  assert.equal(capped.length, 501);
  assert.equal(capped[500]?.message, 'more than 500 schema problems; the rest are not shown');
  assert.equal(capped[500]?.severity, 'warning');
});
