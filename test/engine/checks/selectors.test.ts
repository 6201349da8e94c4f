// Selector checks: selector-template-mismatch, service-selects-nothing, selector-overlap,
// networkpolicy-selects-nothing, networkpolicy-peer-selects-nothing, pdb-selects-nothing.
// Expectations: spec/semantics.md a.5 (empty vs nil per kind), c.1 (the API's template-label error
// text, quoted there), c.2 (StatefulSet pod labels), d.1/d.4 (Service selection), g.3 (peers and the
// namespace name label); Job texts from the batch validation code (`selector` not
// auto-generated, will be auto-generated, must be '<name>'); hand derivation for the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSeverities } from '../../../server/src/engine/checks/registry';
import { checkDiagnostics, workspaceOf, applyFix, spanText } from '../../support/fixture';

const CODES = [
  'selector-template-mismatch',
  'service-selects-nothing',
  'selector-overlap',
  'networkpolicy-selects-nothing',
  'networkpolicy-peer-selects-nothing',
  'pdb-selects-nothing',
];
/** Only this family's findings are compared (plus internal errors, which never have a known code). */
const only = { ignore: Object.keys(defaultSeverities()).filter((c) => !CODES.includes(c)) };

function findingsAfter(files: { uri: string; text: string }[]): string[] {
  const { ws } = workspaceOf({ files });
  return files.flatMap((f) => ws.diagnostics(f.uri).filter((d) => CODES.includes(d.code) || d.code === 'internal-error').map((d) => `${d.code}: ${d.message}`));
}

// ---------------------------------------------------------------------------------------------
// selector-template-mismatch

test('selector-template-mismatch: a label value the template does not carry (spec c.1 text, backticks included)', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /shop/api.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: web}
     #^^^^^^ error selector-template-mismatch: spec.template.metadata.labels: Invalid value: {"app":"web"}: \`selector\` does not match template \`labels\`; the selector requires app=api, but the template has app=web
    spec: {containers: [{name: c, image: x}]}
`,
    only,
  );
  const d = diagnostics[0];
  assert.equal(spanText(ws, d.related[0]), 'selector');
  assert.equal(d.fixes.length, 1);
  assert.equal(d.fixes[0].title, 'Set template label app=api');
  assert.equal(d.fixes[0].preferred, false, 'changing an existing label may break Services selecting it');
  const files = applyFix(ws, d.fixes[0]);
  assert.match(files[0].text, /labels: \{app: api\}/);
  assert.deepEqual(findingsAfter(files), []);
});

test('selector-template-mismatch: missing template labels are added by the preferred fix', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /shop/web.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, namespace: shop}
spec:
  selector:
    matchLabels: {app: web, tier: frontend}
  template:
    metadata:
      labels:
     #^^^^^^ error selector-template-mismatch: spec.template.metadata.labels: Invalid value: {"app":"web"}: \`selector\` does not match template \`labels\`; the selector requires tier=frontend, but the template has no label tier
        app: web
    spec: {containers: [{name: c, image: x}]}
`,
    only,
  );
  const fix = diagnostics[0].fixes[0];
  assert.equal(fix.title, 'Add template label tier=frontend');
  assert.equal(fix.preferred, true);
  const files = applyFix(ws, fix);
  assert.match(files[0].text, /\n {8}app: web\n {8}tier: frontend\n/);
  assert.deepEqual(findingsAfter(files), []);
});

test('selector-template-mismatch: matchExpressions are evaluated with full selector semantics', () => {
  checkDiagnostics(
    `
#- /ok/x.yaml
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: ok, namespace: x}
spec:
  # NotIn and DoesNotExist are satisfied by an absent label (spec a.1).
  selector: {matchLabels: {app: a}, matchExpressions: [{key: track, operator: NotIn, values: [canary]}, {key: legacy, operator: DoesNotExist}]}
  template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: x}]}}
#- /bad/x.yaml
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: bad, namespace: x}
spec:
  selector: {matchExpressions: [{key: tier, operator: In, values: [db, cache]}]}
  template: {metadata: {labels: {app: a, tier: web}}, spec: {containers: [{name: c, image: x}]}}
  #                     ^^^^^^ error selector-template-mismatch: spec.template.metadata.labels: Invalid value: {"app":"a","tier":"web"}: \`selector\` does not match template \`labels\`; the selector requires tier in (cache,db), but the template has tier=web
`,
    only,
  );
});

test('selector-template-mismatch: apps/v1 requires a selector; the fix selects the template labels', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /shop/cart.yaml
apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: cart, namespace: shop}
    spec:
   #^^^^ error selector-template-mismatch: spec.selector: Required value: apps/v1 Deployments have no default selector; the template has labels app=cart,tier=backend
      replicas: 2
      template:
        metadata:
          labels: {app: cart, tier: backend}
        spec: {containers: [{name: c, image: x}]}
`,
    only,
  );
  const files = applyFix(ws, diagnostics[0].fixes[0]);
  assert.match(files[0].text, /template:\n[\s\S]*\n {6}selector:\n {8}matchLabels: \{app: cart, tier: backend\}/);
  assert.deepEqual(findingsAfter(files), []);
});

test('selector-template-mismatch: empty selectors (the ReplicaSet text says "for deployment") and a selector-less DaemonSet', () => {
  checkDiagnostics(
    `
#- /x.yaml
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs, namespace: x}
spec:
  selector: {}
 #^^^^^^^^ error selector-template-mismatch: spec.selector: Invalid value: {}: empty selector is invalid for deployment
  template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: x}]}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: sts, namespace: x}
spec:
  selector: {matchLabels: null}
 #^^^^^^^^ error selector-template-mismatch: spec.selector: Invalid value: {}: empty selector is invalid for statefulset
  template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: x}]}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds, namespace: x}
spec:
  template:
    metadata: {labels: {app: agent}}
    #          ^^^^^^ error selector-template-mismatch: spec.template.metadata.labels: Invalid value: {"app":"agent"}: \`selector\` does not match template \`labels\`: spec.selector is missing
    spec: {containers: [{name: c, image: x}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds-empty, namespace: x}
spec:
  selector: {}
 #^^^^^^^^ error selector-template-mismatch: spec.selector: Invalid value: {}: empty selector is invalid for daemonset
  template: {metadata: {labels: {app: agent}}, spec: {containers: [{name: c, image: x}]}}
`,
    only,
  );
});

test('selector-template-mismatch: invalid selectors get the API validation text at the offending field', () => {
  checkDiagnostics(
    `
#- /x.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: x}
spec:
  selector:
    matchLabels: {app: a}
    matchExpressions:
      - {key: tier, operator: Equals, values: [web]}
      #                       ^^^^^^ error selector-template-mismatch: spec.selector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator
  template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: x}]}}
`,
    only,
  );
});

test('selector-template-mismatch: Jobs get generated selectors unless manualSelector is true', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /batch.yaml
apiVersion: batch/v1
kind: Job
metadata: {name: generated, namespace: x}
spec:
  template: {metadata: {labels: {app: pi}}, spec: {restartPolicy: Never, containers: [{name: c, image: x}]}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: own, namespace: x}
spec:
  selector: {matchLabels: {app: pi}}
 #^^^^^^^^ error selector-template-mismatch: spec.selector: Invalid value: {"matchLabels":{"app":"pi","batch.kubernetes.io/controller-uid":"<uid>"}}: \`selector\` not auto-generated
  template: {metadata: {labels: {app: pi}}, spec: {restartPolicy: Never, containers: [{name: c, image: x}]}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: manual, namespace: x}
spec:
  manualSelector: true
  selector: {matchLabels: {app: pi-manual}}
  template: {metadata: {labels: {app: pi-manual}}, spec: {restartPolicy: Never, containers: [{name: c, image: x}]}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: manual-missing, namespace: x}
spec:
  manualSelector: true
 #^^^^^^^^^^^^^^ error selector-template-mismatch: spec.selector: Required value: spec.manualSelector is true
  template: {metadata: {labels: {app: pi}}, spec: {restartPolicy: Never, containers: [{name: c, image: x}]}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: mixed, namespace: x}
spec:
  manualSelector: false
  selector: {matchLabels: {job-name: mixed}}
  template: {metadata: {labels: {app: a}}, spec: {restartPolicy: Never, containers: [{name: c, image: x}]}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: both, namespace: x}
spec:
  selector: {matchLabels: {app: pi}}
 #^^^^^^^^ error selector-template-mismatch: spec.selector: Invalid value: {"matchLabels":{"app":"pi","batch.kubernetes.io/controller-uid":"<uid>"}}: \`selector\` not auto-generated
  template: {metadata: {labels: {app: other}}, spec: {restartPolicy: Never, containers: [{name: c, image: x}]}}
  #                     ^^^^^^ error selector-template-mismatch: spec.template.metadata.labels: Invalid value: {"app":"other","batch.kubernetes.io/controller-uid":"<uid>","batch.kubernetes.io/job-name":"both","controller-uid":"<uid>","job-name":"both"}: \`selector\` does not match template \`labels\`; the selector requires app=pi, but the template has app=other
---
apiVersion: batch/v1
kind: Job
metadata: {name: renamed, namespace: x}
spec:
  template: {metadata: {labels: {job-name: other}}, spec: {restartPolicy: Never, containers: [{name: c, image: x}]}}
  #                                        ^^^^^ error selector-template-mismatch: spec.template.metadata.labels[job-name]: Invalid value: {"job-name":"other"}: must be 'renamed'
`,
    only,
  );
  const own = diagnostics.find((d) => d.message.includes('not auto-generated'))!;
  assert.equal(own.fixes[0].title, 'Set spec.manualSelector: true (keep this selector)');
  const files = applyFix(ws, own.fixes[0]);
  const after = findingsAfter(files);
  assert.equal(after.filter((m) => m.includes('not auto-generated')).length, 1, 'only the Job "both" is left');
  assert.equal(after.length, diagnostics.length - 1);
});

test('selector-template-mismatch: CronJob job templates may not carry a selector or manualSelector', () => {
  checkDiagnostics(
    `
#- /cron.yaml
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: x}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      manualSelector: true
      #               ^^^^ error selector-template-mismatch: spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"
      selector: {matchLabels: {a: b}}
     #^^^^^^^^ error selector-template-mismatch: spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: \`selector\` will be auto-generated
      template: {metadata: {labels: {a: b}}, spec: {restartPolicy: Never, containers: [{name: c, image: x}]}}
`,
    only,
  );
});

test('selector-template-mismatch: ReplicationController selectors default from the template labels', () => {
  checkDiagnostics(
    `
#- /rc.yaml
apiVersion: v1
kind: ReplicationController
metadata: {name: defaulted, namespace: x}
spec: {template: {metadata: {labels: {app: d}}, spec: {containers: [{name: c, image: x}]}}}
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ReplicationController
    metadata: {name: nothing, namespace: x}
    spec: {template: {spec: {containers: [{name: c, image: x}]}}}
   #^^^^ error selector-template-mismatch: spec.selector: Required value
---
apiVersion: v1
kind: ReplicationController
metadata: {name: wrong, namespace: x}
spec:
  selector: {app: b}
  template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c, image: x}]}}
  #                     ^^^^^^ error selector-template-mismatch: spec.template.metadata.labels: Invalid value: {"app":"a"}: \`selector\` does not match template \`labels\`
`,
    only,
  );
});

test('selector-template-mismatch: kustomize patches, commonLabels and pre-apps/v1 versions are not reported', () => {
  checkDiagnostics(
    `
#- /app/base/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
commonLabels: {app: web}
resources: [deployment.yaml]
#- /app/base/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {template: {spec: {containers: [{name: web, image: web}]}}}
#- /app/overlay/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../base]
patches: [{path: replicas.yaml}]
#- /app/overlay/replicas.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {replicas: 3, template: {spec: {containers: [{name: web, resources: {}}]}}}
#- /old.yaml
apiVersion: extensions/v1beta1
kind: Deployment
metadata: {name: old}
spec: {template: {metadata: {labels: {app: old}}, spec: {containers: [{name: c, image: x}]}}}
`,
    only,
  );
});

test('selector-template-mismatch: null specs, empty documents and lists never crash', () => {
  checkDiagnostics(
    `
#- /odd.yaml
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: a}
spec: null
---
apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: b}
    spec: {selector: {matchLabels: {app: b}}, template: {metadata: {labels: null}, spec: {containers: [{name: c, image: x}]}}}
    #                                                               ^^^^^^ error selector-template-mismatch: spec.template.metadata.labels: Invalid value: null
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: c}
    spec: {selector: 7, template: null}
`,
    only,
  );
});

// ---------------------------------------------------------------------------------------------
// service-selects-nothing

test('service-selects-nothing: a typo in a label value; the fix takes the value of the only close workload', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /shop/monitoring.yaml
apiVersion: v1
kind: Service
metadata: {name: web-metrics, namespace: shop}
spec:
  selector: {app: webapp}
 #^^^^^^^^ warning service-selects-nothing: Service selector app=webapp matches no pod in namespace "shop"; closest: Deployment shop/web has app=web
  ports: [{port: 9090}]
#- /shop/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: frontend}}
    spec: {containers: [{name: web, image: web}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: api}]}
`,
    only,
  );
  const d = diagnostics[0];
  assert.deepEqual(d.related.map((r) => r.uri), ['file:///shop/web.yaml'], 'api (app=api) is no plausible typo of webapp');
  assert.equal(spanText(ws, d.related[0]), 'labels');
  assert.equal(d.fixes[0].title, 'Change the selector to app=web (the labels of Deployment shop/web)');
  const files = applyFix(ws, d.fixes[0]);
  assert.match(files[0].text, /selector: \{app: web\}/);
  assert.deepEqual(findingsAfter(files), []);
  // The other fix relabels the pods instead (and the Deployment's own selector then misses them).
  const relabelled = applyFix(ws, d.fixes[1]);
  assert.match(relabelled[1].text, /labels: \{app: webapp, tier: frontend\}/);
});

test('service-selects-nothing: a label the template lacks is added to the template, in its own file', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /shop/svc.yaml
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector:
 #^^^^^^^^ warning service-selects-nothing: Service selector app=web,tier=frontend matches no pod in namespace "shop"; closest: Deployment shop/web has no label tier
    app: web
    tier: frontend
  ports: [{port: 80}]
#- /shop/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec: {containers: [{name: web, image: web}]}
`,
    only,
  );
  const fix = diagnostics[0].fixes[0];
  assert.equal(fix.title, 'Add the label tier=frontend to the pods of Deployment shop/web');
  assert.deepEqual(fix.edits.map((e) => e.uri), ['file:///shop/web.yaml']);
  const files = applyFix(ws, fix);
  assert.match(files[1].text, /labels:\n {8}app: web\n {8}tier: frontend\n/);
  assert.deepEqual(findingsAfter(files), []);
});

test('service-selects-nothing: pods of another namespace are named, never selected', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /a/svc.yaml
apiVersion: v1
kind: Service
metadata: {name: api, namespace: front}
spec:
  selector: {app: api}
 #^^^^^^^^ warning service-selects-nothing: Service selector app=api matches no pod in namespace "front"; the workspace describes no pods in that namespace; it would select the pods of Deployment back/api in another namespace, but Services select Pods only in their own namespace
  ports: [{port: 80}]
#- /b/api.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: back}
spec:
  selector: {matchLabels: {app: api}}
  template: {metadata: {labels: {app: api}}, spec: {containers: [{name: api, image: api}]}}
`,
    only,
  );
  assert.equal(diagnostics[0].related[0].uri, 'file:///b/api.yaml');
  assert.equal(spanText(ws, diagnostics[0].related[0]), 'labels');
});

test('service-selects-nothing: a Service that names no namespace is at most info about pods elsewhere', () => {
  checkDiagnostics(
    `
#- /svc.yaml
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
 #^^^^^^^^ info service-selects-nothing: Service selector app=api matches no pod in namespace "default"
  ports: [{port: 80}]
#- /api.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: back}
spec:
  selector: {matchLabels: {app: api}}
  template: {metadata: {labels: {app: api}}, spec: {containers: [{name: api, image: api}]}}
---
apiVersion: v1
kind: Pod
metadata: {name: other, namespace: default, labels: {app: other}}
spec: {containers: [{name: c, image: x}]}
`,
    only,
  );
});

test('service-selects-nothing: labels controllers add at run time select pods', () => {
  checkDiagnostics(
    `
#- /db.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: x}
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: db}]}}
---
apiVersion: v1
kind: Service
metadata: {name: db-0, namespace: x}
spec: {selector: {statefulset.kubernetes.io/pod-name: db-0}, ports: [{port: 5432}]}
---
apiVersion: v1
kind: Service
metadata: {name: db-primary, namespace: x}
spec: {selector: {app: db, apps.kubernetes.io/pod-index: "2"}, ports: [{port: 5432}]}
---
apiVersion: v1
kind: Service
metadata: {name: db-9, namespace: x}
spec: {selector: {statefulset.kubernetes.io/pod-name: db-9}, ports: [{port: 5432}]}
#      ^^^^^^^^ warning service-selects-nothing: Service selector statefulset.kubernetes.io/pod-name=db-9 matches no pod in namespace "x"
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: x}
spec:
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: web}]}}
---
apiVersion: v1
kind: Service
metadata: {name: web-hash, namespace: x}
spec: {selector: {app: web, pod-template-hash: 5d8c7f9b4}, ports: [{port: 80}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: x}
spec: {template: {spec: {restartPolicy: Never, containers: [{name: m, image: m}]}}}
---
apiVersion: v1
kind: Service
metadata: {name: migrate, namespace: x}
spec: {selector: {batch.kubernetes.io/job-name: migrate}, ports: [{port: 80}]}
`,
    only,
  );
});

test('service-selects-nothing: operator-managed namespaces and cluster namespaces are info; selector-less Services are fine', () => {
  checkDiagnostics(
    `
#- /monitoring.yaml
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: monitoring}
spec: {replicas: 2}
---
apiVersion: v1
kind: Service
metadata: {name: prometheus-k8s, namespace: monitoring}
spec:
  selector: {app.kubernetes.io/name: prometheus}
 #^^^^^^^^ info service-selects-nothing: Service selector app.kubernetes.io/name=prometheus matches no pod in namespace "monitoring"
  ports: [{port: 9090}]
---
apiVersion: v1
kind: Service
metadata: {name: kube-scheduler, namespace: kube-system}
spec:
  selector: {component: kube-scheduler}
 #^^^^^^^^ info service-selects-nothing
  ports: [{port: 10259}]
#- /plain/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
metadata: {name: plain, namespace: plain}
resources: [app.yaml]
#- /plain/app.yaml
apiVersion: v1
kind: Pod
metadata: {name: app, namespace: plain, labels: {app: app}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Service
metadata: {name: typo, namespace: plain}
spec:
  selector: {app: ap}
 #^^^^^^^^ warning service-selects-nothing: Service selector app=ap matches no pod in namespace "plain"; closest: Pod plain/app has app=app
  ports: [{port: 80}]
#- /x.yaml
apiVersion: v1
kind: Service
metadata: {name: external, namespace: x}
spec: {type: ExternalName, externalName: db.example.com, selector: {app: nothing}}
---
apiVersion: v1
kind: Service
metadata: {name: manual, namespace: x}
spec: {selector: {}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: none, namespace: x}
spec: {ports: [{port: 80}]}
`,
    only,
  );
});

test('service-selects-nothing: labels kustomize adds at build time select pods', () => {
  checkDiagnostics(
    `
#- /ms/base/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
commonLabels: {k8s-app: metrics-server}
resources: [deployment.yaml]
#- /ms/base/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: metrics-server, namespace: ms}
spec: {template: {spec: {containers: [{name: m, image: m}]}}}
#- /ms/ha/pdb.yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: metrics-server, namespace: ms}
spec: {minAvailable: 1, selector: {matchLabels: {k8s-app: metrics-server}}}
`,
    only,
  );
});

// ---------------------------------------------------------------------------------------------
// selector-overlap

test('selector-overlap: a broad selector that also selects a sibling controller\'s pods', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /app/redis.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: redis-leader, namespace: x}
spec:
  selector: {matchLabels: {app: redis}}
 #^^^^^^^^ warning selector-overlap: selector app=redis also selects the pods of Deployment x/redis-follower (labels app=redis,role=follower)
  template: {metadata: {labels: {app: redis, role: leader}}, spec: {containers: [{name: r, image: redis}]}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: redis-follower, namespace: x}
spec:
  selector: {matchLabels: {app: redis, role: follower}}
  template: {metadata: {labels: {app: redis, role: follower}}, spec: {containers: [{name: r, image: redis}]}}
#- /app/cache.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: cache, namespace: x}
spec:
  selector: {matchLabels: {role: follower}}
 #^^^^^^^^ info selector-overlap: selector role=follower also selects the pods of Deployment x/redis-follower
  template: {metadata: {labels: {role: follower, app: cache}}, spec: {containers: [{name: r, image: redis}]}}
#- /other-sample/redis.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: redis-copy, namespace: x}
spec:
  selector: {matchLabels: {app: redis}}
  template: {metadata: {labels: {app: redis}}, spec: {containers: [{name: r, image: redis}]}}
`,
    only,
  );
  assert.equal(spanText(ws, diagnostics[0].related[0]), 'labels');
  assert.equal(diagnostics[0].related[0].uri, 'file:///app/redis.yaml');
});

test('selector-overlap: variants of one object and generated Job selectors never overlap', () => {
  checkDiagnostics(
    `
#- /app/a.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: x}
spec:
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: w, image: w}]}}
#- /app/b.yaml
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: web, namespace: x}
spec:
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: w, image: w}]}}
#- /app/c.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-copy, namespace: x}
spec:
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: w, image: w}]}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: once, namespace: x}
spec: {template: {metadata: {labels: {app: web}}, spec: {restartPolicy: Never, containers: [{name: w, image: w}]}}}
`,
    only,
  );
});

// ---------------------------------------------------------------------------------------------
// networkpolicy-selects-nothing, networkpolicy-peer-selects-nothing

const SOCK_SHOP = `
#- /sock-shop/carts.yaml
apiVersion: v1
kind: Namespace
metadata: {name: sock-shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: carts, namespace: sock-shop}
spec:
  selector: {matchLabels: {name: carts}}
  template: {metadata: {labels: {name: carts}}, spec: {containers: [{name: c, image: c}]}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: front-end, namespace: sock-shop}
spec:
  selector: {matchLabels: {name: front-end}}
  template: {metadata: {labels: {name: front-end}}, spec: {containers: [{name: c, image: c}]}}
`;

test('networkpolicy-selects-nothing: a podSelector typo; empty and absent selectors select every pod', () => {
  checkDiagnostics(
    `${SOCK_SHOP}
#- /sock-shop/policies.yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: cart-access, namespace: sock-shop}
spec:
  podSelector:
 #^^^^^^^^^^^ warning networkpolicy-selects-nothing: podSelector name=cart matches no pod in namespace "sock-shop"; closest: Deployment sock-shop/carts has name=carts
    matchLabels: {name: cart}
  ingress: [{from: [{podSelector: {matchLabels: {name: front-end}}}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: sock-shop}
spec: {podSelector: {}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: null-labels, namespace: sock-shop}
spec: {podSelector: {matchLabels: null}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: absent, namespace: sock-shop}
spec: {policyTypes: [Egress]}
`,
    only,
  );
});

test('networkpolicy-peer-selects-nothing: pod peers of the own namespace, and namespaces the workspace defines', () => {
  checkDiagnostics(
    `${SOCK_SHOP}
#- /monitoring.yaml
apiVersion: v1
kind: Namespace
metadata: {name: monitoring}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: prometheus, namespace: monitoring}
spec:
  selector: {matchLabels: {app: prometheus}}
  template: {metadata: {labels: {app: prometheus}}, spec: {containers: [{name: p, image: p}]}}
#- /sock-shop/policy.yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: carts-access, namespace: sock-shop}
spec:
  podSelector: {matchLabels: {name: carts}}
  ingress:
    - from:
        - podSelector: {matchLabels: {name: frontend}}
         #^^^^^^^^^^^ warning networkpolicy-peer-selects-nothing: peer podSelector name=frontend matches no pod in namespace "sock-shop"; closest: Deployment sock-shop/front-end has name=front-end
        - namespaceSelector: {matchLabels: {name: monitoring}}
         #^^^^^^^^^^^^^^^^^ warning networkpolicy-peer-selects-nothing: namespaceSelector name=monitoring matches no Namespace of the workspace; Namespace monitoring has labels kubernetes.io/metadata.name=monitoring
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
          podSelector: {matchLabels: {app: grafana}}
         #^^^^^^^^^^^ warning networkpolicy-peer-selects-nothing: podSelector app=grafana matches no pod in namespace "monitoring" (chosen by the namespaceSelector of this peer)
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
          podSelector: {matchLabels: {app: prometheus}}
        - ipBlock: {cidr: 10.0.0.0/8}
  egress:
    - to:
        - namespaceSelector: {}
          podSelector: {matchLabels: {k8s-app: kube-dns}}
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
          podSelector: {matchLabels: {k8s-app: kube-dns}}
        - namespaceSelector: {matchLabels: {team: payments}}
        - podSelector: {}
`,
    only,
  );
});

// ---------------------------------------------------------------------------------------------
// pdb-selects-nothing

test('pdb-selects-nothing: null selects nothing; {} is every pod in policy/v1 but nothing in v1beta1', () => {
  checkDiagnostics(
    `${SOCK_SHOP}
#- /sock-shop/pdb.yaml
apiVersion: v1
kind: List
items:
  - apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: none, namespace: sock-shop}
    spec: {minAvailable: 1}
   #^^^^ warning pdb-selects-nothing: spec.selector is not set: a PodDisruptionBudget without a selector selects no pods
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: all, namespace: sock-shop}
spec: {minAvailable: 1, selector: {}}
---
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata: {name: old-empty, namespace: sock-shop}
spec: {minAvailable: 1, selector: {}}
#                       ^^^^^^^^ warning pdb-selects-nothing: spec.selector is empty: in policy/v1beta1 an empty selector selects no pods
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: carts, namespace: sock-shop}
spec: {minAvailable: 1, selector: {matchLabels: {name: cart}}}
#                       ^^^^^^^^ warning pdb-selects-nothing: selector name=cart matches no pod in namespace "sock-shop"; closest: Deployment sock-shop/carts has name=carts
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: carts-ok, namespace: sock-shop}
spec: {maxUnavailable: 1, selector: {matchLabels: {name: carts}}}
`,
    only,
  );
});
