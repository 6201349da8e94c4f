// Reference checks: configmap-missing, secret-missing, serviceaccount-missing, pvc-missing,
// priorityclass-missing, hpa-target-missing. Expectations come from the Kubernetes rules cited in
// each check's header (kubelet / admission behaviour) and the severity policy of pod-references.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';
import { defaultSeverities } from '../../../server/src/engine/checks/registry';
import { applyFix, checkDiagnostics, workspaceOf } from '../../support/fixture';

const REFERENCE_CODES = ['configmap-missing', 'secret-missing', 'serviceaccount-missing', 'pvc-missing', 'priorityclass-missing', 'hpa-target-missing'];
/** Only the given codes are compared (plus internal errors, which never have a known code). */
const ignoreOthers = (keep: readonly string[] = REFERENCE_CODES) => ({ ignore: Object.keys(defaultSeverities()).filter((c) => !keep.includes(c)) });

test('configmap-missing: volume, env, envFrom and projected references; optional ones are skipped', () => {
  const { diagnostics } = checkDiagnostics(
    `
#- /shop/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          envFrom:
            - configMapRef: {name: web-config}
            #                      ^^^^^^^^^^ error configmap-missing: envFrom of container "app": ConfigMap "web-config" not found in namespace "shop"; ConfigMaps there: "app-settings"
            - configMapRef: {name: maybe, optional: true}
          env:
            - name: MODE
              valueFrom:
                configMapKeyRef: {name: modes, key: mode}
                #                       ^^^^^ error configmap-missing: env MODE of container "app": ConfigMap "modes" not found
            - name: OK
              valueFrom:
                configMapKeyRef: {name: app-settings, key: ok}
      volumes:
        - name: cfg
          configMap: {name: files}
          #                 ^^^^^ error configmap-missing: volume "cfg": ConfigMap "files" not found
        - name: all
          projected:
            sources:
              - configMap: {name: proj}
              #                   ^^^^ error configmap-missing: projected volume "all": ConfigMap "proj" not found
              - configMap: {name: proj-opt, optional: true}
#- /shop/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: app-settings, namespace: shop}
`,
    ignoreOthers(),
  );
  assert.equal(diagnostics.length, 4);
});

test('configmap-missing: a ConfigMap of that name in another namespace is related', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /shop/web.yaml
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: app
      envFrom: [{configMapRef: {name: shared}}]
      #                               ^^^^^^ error configmap-missing: envFrom of container "app": ConfigMap "shared" not found in namespace "shop"; a ConfigMap of that name exists in namespace "common"
#- /shop/local.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: local, namespace: shop}
#- /common/shared.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: shared, namespace: common}
`,
    ignoreOthers(),
  );
  const related = diagnostics[0].related;
  assert.equal(related.length, 1);
  assert.equal(related[0].uri, 'file:///common/shared.yaml');
  const text = ws.text('file:///common/shared.yaml')!;
  assert.equal(text.slice(related[0].start, related[0].end), 'name');
});

test('severity policy: information when the workspace defines no object of that kind in the namespace', () => {
  checkDiagnostics(
    `
#- /shop/web.yaml
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  serviceAccountName: web
  #                   ^^^ info serviceaccount-missing: spec.serviceAccountName: ServiceAccount "web" not found in namespace "shop"; the workspace defines no ServiceAccount in namespace "shop" (it may be created outside the workspace)
  containers:
    - name: app
      env:
        - name: PASSWORD
          valueFrom: {secretKeyRef: {name: db, key: password}}
          #                                ^^ info secret-missing: env PASSWORD of container "app": Secret "db" not found in namespace "shop"
`,
    ignoreOthers(),
  );
});

test('severity policy: an implicit-namespace referrer is never an error against explicit-namespace objects', () => {
  // The Pod has no metadata.namespace (assumed "default"); the only Secrets are written in namespace
  // "default" explicitly, so the pair mixes namespace styles: information only.
  checkDiagnostics(
    `
#- /app/web.yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      envFrom: [{secretRef: {name: creds}}]
      #                            ^^^^^ info secret-missing: envFrom of container "app": Secret "creds" not found in namespace "default" (implicit: no metadata.namespace); Secrets there: "other" (it may be created outside the workspace)
#- /app/secret.yaml
apiVersion: v1
kind: Secret
metadata: {name: other, namespace: default}
`,
    ignoreOthers(),
  );
});

test('severity policy: implicit-namespace objects count only in the same folder or apply unit', () => {
  checkDiagnostics(
    `
#- /variant-a/web.yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      envFrom: [{secretRef: {name: creds}}]
      #                            ^^^^^ info secret-missing
#- /variant-b/web.yaml
apiVersion: v1
kind: Pod
metadata: {name: web2}
spec:
  containers:
    - name: app
      envFrom: [{secretRef: {name: creds}}]
      #                            ^^^^^ error secret-missing: envFrom of container "app": Secret "creds" not found in namespace "default" (implicit: no metadata.namespace); Secrets there: "unrelated"
#- /variant-b/secret.yaml
apiVersion: v1
kind: Secret
metadata: {name: unrelated}
`,
    ignoreOthers(),
  );
});

test('secret-missing: volumes, projected sources, generated Secrets and optional references', () => {
  checkDiagnostics(
    `
#- /shop/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [web.yaml, cert.yaml]
secretGenerator:
  - name: generated
    literals: [a=b]
#- /shop/cert.yaml
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: web-tls, namespace: shop}
spec: {secretName: web-tls-secret, issuerRef: {name: ca}}
---
apiVersion: v1
kind: Secret
metadata: {name: present, namespace: shop}
#- /shop/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, envFrom: [{secretRef: {name: generated}}]}]
      volumes:
        - name: tls
          secret: {secretName: web-tls-secret}
        - name: gone
          secret: {secretName: absent}
          #                    ^^^^^^ error secret-missing: volume "gone": Secret "absent" not found in namespace "shop"; Secrets there: "present"
        - name: opt
          secret: {secretName: absent, optional: true}
        - name: proj
          projected: {sources: [{secret: {name: absent2}}, {secret: {name: present}}]}
          #                                     ^^^^^^^ error secret-missing: projected volume "proj": Secret "absent2" not found
`,
    ignoreOthers(),
  );
});

test('serviceaccount-missing: the default ServiceAccount and the deprecated field', () => {
  checkDiagnostics(
    `
#- /shop/sa.yaml
apiVersion: v1
kind: ServiceAccount
metadata: {name: runner, namespace: shop}
#- /shop/pods.yaml
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop}
spec: {serviceAccountName: default, containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: shop}
spec: {serviceAccount: builder, containers: [{name: c}]}
#                      ^^^^^^^ error serviceaccount-missing: spec.serviceAccount: ServiceAccount "builder" not found in namespace "shop"; ServiceAccounts there: "runner"
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: shop}
spec:
  schedule: "0 0 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: runner
          containers: [{name: c}]
`,
    ignoreOthers(),
  );
});

test('pvc-missing: StatefulSet claim templates are not references; a shared claim is', () => {
  checkDiagnostics(
    `
#- /db/db.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db}]
      volumes:
        - name: data
          persistentVolumeClaim: {claimName: data}
        - name: shared
          persistentVolumeClaim: {claimName: shared-files}
          #                                  ^^^^^^^^^^^^ error pvc-missing: volume "shared": PersistentVolumeClaim "shared-files" not found in namespace "db"; PersistentVolumeClaims there: "backups"
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: backups, namespace: db}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: db}
spec: {clusterIP: None, selector: {app: db}}
`,
    ignoreOthers(),
  );
});

test('priorityclass-missing: built-in classes; error only when the workspace defines PriorityClasses', () => {
  checkDiagnostics(
    `
#- /a/pods.yaml
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x}
spec: {priorityClassName: system-node-critical, containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x}
spec: {priorityClassName: high, containers: [{name: c}]}
#                         ^^^^ info priorityclass-missing: spec.priorityClassName: PriorityClass "high" not found in the workspace; the workspace defines no PriorityClass at all (it may be created outside the workspace)
`,
    ignoreOthers(),
  );
  checkDiagnostics(
    `
#- /a/pods.yaml
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x}
spec: {priorityClassName: high, containers: [{name: c}]}
#                         ^^^^ error priorityclass-missing: spec.priorityClassName: PriorityClass "high" not found in the workspace; PriorityClasses in the workspace: "low"
#- /cluster/pc.yaml
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: low}
value: 10
`,
    ignoreOthers(),
  );
});

test('hpa-target-missing: scaleTargetRef kind and name in the HPA namespace', () => {
  checkDiagnostics(
    `
#- /shop/hpa.yaml
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  #                                                             ^^^ error hpa-target-missing: spec.scaleTargetRef: Deployment "web" not found in namespace "shop"; Deployments there: "api"
  minReplicas: 1
  maxReplicas: 3
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  maxReplicas: 3
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: roll, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: roll}
  #                                                                       ^^^^ info hpa-target-missing
  maxReplicas: 3
#- /shop/api.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c}]}}
`,
    ignoreOthers(),
  );
});

test('null values, empty documents and kind: List never crash the reference checks', () => {
  checkDiagnostics(
    `
#- /odd.yaml
---
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: p, namespace: x}
    spec:
      serviceAccountName: null
      volumes: [null, {name: v, configMap: null}, {name: w, secret: {secretName: null}}, {name: z, projected: {sources: [null]}}]
      containers: [null, {name: c, env: [null, {name: A, valueFrom: null}], envFrom: [null, {configMapRef: null}]}]
  - null
---
apiVersion: v1
kind: Pod
metadata: {name: q, namespace: x}
spec: null
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h, namespace: x}
spec: {scaleTargetRef: null}
`,
    ignoreOthers(),
  );
});

test('severity policy: a same-name object with the other namespace style, applied together, is not an error', () => {
  // A bundle whose ConfigMap names namespace "otel" while the Deployment names none (applied with
  // `kubectl apply -n otel`, both land in "otel").
  checkDiagnostics(
    `
#- /bundle.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: flags, namespace: otel}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: local}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c}]
  volumes: [{name: v, configMap: {name: flags}}]
  #                                     ^^^^^ info configmap-missing: volume "v": ConfigMap "flags" not found in namespace "default" (implicit: no metadata.namespace); a ConfigMap of that name exists in namespace "otel" (one side has no metadata.namespace
`,
    ignoreOthers(),
  );
});

test('missing Secrets and ConfigMaps a workspace Role may create at run time are information', () => {
  const { diagnostics } = checkDiagnostics(
    `
#- /app/bundle.yaml
apiVersion: v1
kind: Secret
metadata: {name: other, namespace: app}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: cert-gen, namespace: app}
rules:
  - {apiGroups: [""], resources: [secrets], resourceNames: [webhook-cert], verbs: [get, create]}
  - {apiGroups: [""], resources: [secrets], verbs: [get, create]}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: app}
spec:
  containers: [{name: c}]
  volumes: [{name: v, secret: {secretName: webhook-cert}}]
  #                                        ^^^^^^^^^^^^ info secret-missing: volume "v": Secret "webhook-cert" not found in namespace "app"; Secrets there: "other" (Role "cert-gen" lets a workload create Secrets there at run time)
---
apiVersion: v1
kind: Pod
metadata: {name: q, namespace: app}
spec:
  containers: [{name: c}]
  volumes: [{name: v, configMap: {name: settings}}, {name: w, configMap: {name: kube-root-ca.crt}}]
  #                                     ^^^^^^^^ info configmap-missing: volume "v": ConfigMap "settings" not found in namespace "app"; the workspace defines no ConfigMap in namespace "app"
`,
    ignoreOthers(),
  );
  assert.equal(diagnostics[0].related.length, 1);
  assert.equal(diagnostics[0].related[0].uri, 'file:///app/bundle.yaml');
});

test('kustomize: a kustomization namespace moves referrer and target into one namespace; ConfigMapList items count', () => {
  checkDiagnostics(
    `
#- /k/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: tools
resources: [pod.yaml, cm.yaml]
#- /k/pod.yaml
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c}]
  volumes: [{name: v, configMap: {name: settings}}, {name: d, configMap: {name: dashboards}}]
#- /k/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: elsewhere}
---
apiVersion: v1
kind: ConfigMapList
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: dashboards}
`,
    ignoreOthers(),
  );
});

test('severity policy: a name one or two edits from one the project defines there is an error with a "Change to" fix', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /shop/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          envFrom: [{secretRef: {name: web-credentails}}]
          #                            ^^^^^^^^^^^^^^^ error secret-missing: envFrom of container "app": Secret "web-credentails" not found in namespace "shop"; Secrets there: "web-credentials", "web-tls"; did you mean "web-credentials"?
#- /shop/secrets.yaml
apiVersion: v1
kind: Secret
metadata: {name: web-credentials, namespace: shop}
---
apiVersion: v1
kind: Secret
metadata: {name: web-tls, namespace: shop}
`,
    ignoreOthers(),
  );
  const [d] = diagnostics;
  assert.deepEqual(
    d.related.map((r) => r.message),
    ['Secret "web-credentials"'],
  );
  assert.equal(d.fixes.length, 1);
  assert.equal(d.fixes[0].title, 'Change to "web-credentials"');
  const files = applyFix(ws, d.fixes[0]);
  assert.match(files.find((f) => f.uri === 'file:///shop/web.yaml')!.text, /envFrom: \[\{secretRef: \{name: web-credentials\}\}\]/);
  const after = workspaceOf({ files }).ws;
  assert.deepEqual(after.diagnostics('file:///shop/web.yaml').filter((x) => REFERENCE_CODES.includes(x.code)), []);
});

test('severity policy: kube-system holds cluster add-ons, so only a plausible typo there is an error', () => {
  // An Ingress in kube-system next to the project's own Service there (ingress-nginx's external-auth
  // examples): the Kubernetes Dashboard it fronts is installed separately into kube-system.
  checkDiagnostics(
    `
#- /auth/oauth2-proxy.yaml
apiVersion: v1
kind: Service
metadata: {name: oauth2-proxy, namespace: kube-system}
spec: {selector: {app: oauth2-proxy}, ports: [{port: 4180}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: dashboard, namespace: kube-system}
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: kubernetes-dashboard, port: {number: 80}}}
            #                         ^^^^^^^^^^^^^^^^^^^^ info ingress-backend-missing: spec.rules[0].http.paths[0].backend: Service "kubernetes-dashboard" not found in namespace "kube-system"; Services there: "oauth2-proxy" (kube-system holds cluster add-ons installed outside the workspace)
          - path: /oauth2
            pathType: Prefix
            backend: {service: {name: oauth2-proxi, port: {number: 4180}}}
            #                         ^^^^^^^^^^^^ error ingress-backend-missing: spec.rules[0].http.paths[1].backend: Service "oauth2-proxi" not found in namespace "kube-system"; Services there: "oauth2-proxy"; did you mean "oauth2-proxy"?
`,
    ignoreOthers(['ingress-backend-missing']),
  );
});

test('severity policy: a sibling folder describes the namespace only when the project creates the namespace', () => {
  // Tutorial steps in sibling folders deploying into a namespace another installation owns (a chaos
  // tool's own namespace): one step's ServiceAccounts say nothing about the tool's own.
  const steps = `
#- /tutorial/08-monitoring/exporter.yaml
apiVersion: v1
kind: Pod
metadata: {name: exporter, namespace: litmus}
spec:
  serviceAccountName: litmus
  #                   ^^^^^^ SEVERITY serviceaccount-missing: spec.serviceAccountName: ServiceAccount "litmus" not found in namespace "litmus"; ServiceAccounts there: "zone-failure-sa"
  containers: [{name: exporter, image: exporter}]
#- /tutorial/09-zone-failure/sa.yaml
apiVersion: v1
kind: ServiceAccount
metadata: {name: zone-failure-sa, namespace: litmus}
`;
  checkDiagnostics(steps.replace('SEVERITY', 'info'), ignoreOthers());
  // The same layout in a project that creates the namespace (sock-shop's manifests/ beside autoscaling/).
  checkDiagnostics(
    steps.replace('SEVERITY', 'error') +
      `
#- /tutorial/00-setup/namespace.yaml
apiVersion: v1
kind: Namespace
metadata: {name: litmus}
`,
    ignoreOthers(),
  );
});

test('every code of the reference, duplicate, Ingress, StatefulSet, DNS and schema families has a documentation page', () => {
  const codes = [
    ...REFERENCE_CODES, 'duplicate-object', 'ingress-backend-missing', 'ingress-backend-port-missing', 'ingress-class-missing',
    'ingress-path-invalid', 'ingress-path-shadowed', 'statefulset-service-missing', 'statefulset-service-not-headless',
    'statefulset-service-selects-other-pods', 'dns-policy-host-network', 'dns-config-invalid', 'schema', 'deprecated-api',
  ];
  const known = defaultSeverities();
  for (const code of codes) {
    assert.ok(code in known, `${code} is registered`);
    const page = fs.readFileSync(path.join(repoRoot, 'docs', 'checks', `${code}.md`), 'utf8');
    assert.ok(page.startsWith(`# ${code}\n`), code);
    for (const heading of ['## The Kubernetes rule', '## When Kubeglass reports it', '## Bad', '## Fixed']) assert.ok(page.includes(heading), `${code}: ${heading}`);
  }
});
