// schema and deprecated-api checks. Expectations: the API server's strict decoding and required /
// enum validation (messages as schema/validate.ts documents them, in the API server's wording), the
// Deprecated API Migration Guide's removal releases (Ingress extensions/v1beta1: 1.22; CronJob
// batch/v1beta1: 1.25; Deployment apps/v1beta1: 1.16).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSeverities } from '../../../server/src/engine/checks/registry';
import { checkDiagnostics, workspaceOf } from '../../support/fixture';
import { widgetCrd } from '../../support/crd';

const CODES = ['schema', 'deprecated-api'];
/** Only this family's findings are compared (plus internal errors, which never have a known code). */
const only = { ignore: Object.keys(defaultSeverities()).filter((c) => !CODES.includes(c)) };

test('schema: unknown field, wrong type, unsupported enum value and missing required field', () => {
  checkDiagnostics(
    `
#- /shop/web.yaml
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: Cluster
  #     ^^^^^^^ error schema: spec.type: Unsupported value: "Cluster": supported values:
  selector: {app: web}
  prots: []
 #^^^^^ error schema: unknown field "spec.prots"
  ports:
    - port: http
    #       ^^^^ error schema: spec.ports[0].port: expected integer, got string
    - targetPort: 80
    # ^^^^^^^^^^^^^^ error schema: spec.ports[1].port: Required value
`,
    only,
  );
});

/** A Widget CRD whose spec has `size` (integer, required) and the extra properties given. */
const WIDGET_CRD = (...extra: string[]) => widgetCrd(['size: {type: integer}', ...extra], ['size']);

test('schema: custom resources are checked against a workspace CRD, and only then', () => {
  checkDiagnostics(
    `
#- /crd.yaml
${WIDGET_CRD()}
#- /widgets.yaml
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, namespace: shop}
spec: {size: 3, colour: red}
#               ^^^^^^ error schema: unknown field "spec.colour"
---
apiVersion: other.example.com/v1
kind: Gadget
metadata: {name: g, namespace: shop}
spec: {anything: goes}
`,
    only,
  );
});

test('schema: the CRD deployed with a custom resource decides; one from another project only reports what every version finds', () => {
  checkDiagnostics(
    `
#- /samples/widget-v1/install.yaml
${WIDGET_CRD()}
#- /samples/widget-v1/widget.yaml
apiVersion: example.com/v1
kind: Widget
metadata: {name: a, namespace: shop}
spec: {size: 3, colour: red}
#               ^^^^^^ error schema: unknown field "spec.colour"
#- /samples/widget-v2/install.yaml
${WIDGET_CRD('colour: {type: string}')}
#- /samples/widget-v2/widget.yaml
apiVersion: example.com/v1
kind: Widget
metadata: {name: b, namespace: shop}
spec: {size: 3, colour: red}
#- /samples/federation/widget.yaml
apiVersion: example.com/v1
kind: Widget
metadata: {name: c, namespace: shop}
spec: {size: big, colour: red, shape: round}
#            ^^^ error schema: spec.size: expected integer, got string
#                              ^^^^^ warning schema: unknown field "spec.shape" in the CustomResourceDefinition from another folder (not deployed with this object; the version the cluster runs may define it)
`,
    only,
  );
});

test('schema: a CRD in a subfolder (manifests/setup) is deployed with the resources of the folder above', () => {
  checkDiagnostics(
    `
#- /manifests/setup/widget-crd.yaml
${WIDGET_CRD()}
#- /manifests/widget.yaml
apiVersion: example.com/v1
kind: Widget
metadata: {name: a, namespace: shop}
spec: {size: 3, shape: round}
#               ^^^^^ error schema: unknown field "spec.shape"
`,
    only,
  );
});

test('schema: kustomize patch files are partial objects and are not checked', () => {
  checkDiagnostics(
    `
#- /k/overlay/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../base]
patches: [{path: replicas.yaml}]
#- /k/overlay/replicas.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {replicas: 3}
#- /k/overlay/not-a-patch.yaml
apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web2}
    spec: {replicas: 3}
   #^^^^ error schema: spec.selector: Required value
   #^^^^ error schema: spec.template: Required value
`,
    only,
  );
});

test('deprecated-api: removed in the target version, with the replacement; fix only when valid as is', () => {
  const { diagnostics } = checkDiagnostics(
    `
#- /old.yaml
apiVersion: extensions/v1beta1
#           ^^^^^^^^^^^^^^^^^^ warning deprecated-api: Ingress extensions/v1beta1 is no longer served since Kubernetes 1.22 (analysis targets 1.34); use networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  backend: {serviceName: web, servicePort: 80}
---
apiVersion: batch/v1beta1
#           ^^^^^^^^^^^^^ warning deprecated-api: CronJob batch/v1beta1 is no longer served since Kubernetes 1.25 (analysis targets 1.34); use batch/v1
kind: CronJob
metadata: {name: nightly, namespace: shop}
spec:
  schedule: "0 0 * * *"
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}
---
apiVersion: policy/v1beta1
#           ^^^^^^^^^^^^^^ warning deprecated-api: PodSecurityPolicy policy/v1beta1 is no longer served since Kubernetes 1.25 (analysis targets 1.34); the kind has no replacement
kind: PodSecurityPolicy
metadata: {name: restricted}
`,
    only,
  );
  assert.deepEqual(diagnostics.map((d) => d.fixes.map((f) => f.title)), [[], ['Change apiVersion to batch/v1'], []]);
  // The fix re-analyses clean.
  const { ws } = workspaceOf({ files: [{ uri: 'file:///c.yaml', text: 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly, namespace: shop}\nspec:\n  schedule: "0 0 * * *"\n  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}\n' }] });
  assert.deepEqual(ws.diagnostics('file:///c.yaml').filter((d) => CODES.includes(d.code)), []);
});

test('deprecated-api: not reported when the target version still serves the API', () => {
  checkDiagnostics(
    `
#- /old.yaml
apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  backend: {serviceName: web, servicePort: 80}
`,
    { ...only, kubernetesVersion: '1.21' },
  );
});

test('schema: selectors written by kustomize commonLabels and ${VAR} placeholders are not reported', () => {
  checkDiagnostics(
    `
#- /k/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
commonLabels: {app: web}
resources: [deploy.yaml]
#- /k/deploy.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: \${REPLICAS:-1}
  template:
    spec:
      containers: [{name: web, image: web, ports: [{containerPort: PORT}]}]
      #                                                            ^^^^ error schema: spec.template.spec.containers[0].ports[0].containerPort: expected integer, got string "PORT"
`,
    only,
  );
});

test('schema: a partial object that a kustomize patch in the workspace targets is not missing required fields', () => {
  const partial = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: ctrl\nspec:\n  replicas: 0\n';
  const base = { uri: 'file:///base/ctrl/sts.yaml', text: partial };
  const alone = workspaceOf(`#- /base/ctrl/sts.yaml\n${partial}`).ws;
  assert.ok(alone.diagnostics(base.uri).some((d) => d.code === 'schema' && d.message.includes('Required value')), 'reported without a patch');
  const withPatch = workspaceOf(`#- /base/ctrl/sts.yaml
${partial}#- /overlay/kustomization.yaml
resources: [../base/ctrl]
patches:
  - path: sts-patch.yaml
#- /overlay/sts-patch.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ctrl
spec:
  selector: {matchLabels: {app: ctrl}}
`).ws;
  assert.deepEqual(withPatch.diagnostics(base.uri).filter((d) => d.code === 'schema' && d.message.includes('Required value')), []);
});
