// StatefulSet governing Service checks: statefulset-service-missing, statefulset-service-not-headless,
// statefulset-service-selects-other-pods. Expectations: spec/semantics.md c.2 (serviceName, per-pod
// identity), e.3 (per-pod DNS needs a headless Service selecting the pod), b.5 (headless).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSeverities } from '../../../server/src/engine/checks/registry';
import { checkDiagnostics, workspaceOf, applyFix } from '../../support/fixture';

const STS_CODES = ['statefulset-service-missing', 'statefulset-service-not-headless', 'statefulset-service-selects-other-pods'];
/** Only this family's findings are compared (plus internal errors, which never have a known code). */
const only = { ignore: Object.keys(defaultSeverities()).filter((c) => !STS_CODES.includes(c)) };

function findingsAfter(files: { uri: string; text: string }[]): string[] {
  const { ws } = workspaceOf({ files });
  return files.flatMap((f) => ws.diagnostics(f.uri).filter((d) => !only.ignore.includes(d.code)).map((d) => `${d.code}: ${d.message}`));
}

/** A StatefulSet; `annotation` (a caret line) is placed right under `serviceName`. */
const STS = (serviceName: string, ns = 'db', annotation = '', name = 'pg') => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}, namespace: ${ns}}
spec:
  serviceName: ${serviceName}${annotation ? `\n${annotation}` : ''}
  selector: {matchLabels: {app: pg, tier: "true"}}
  template:
    metadata: {labels: {app: pg, tier: "true", version: v1}}
    spec: {containers: [{name: pg, image: postgres}]}`;

test('statefulset-service-missing: error with a stub headless Service fix that re-analyses clean', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /db/pg.yaml
${STS('pg-headless', 'db', `  #            ^^^^^^^^^^^ error statefulset-service-missing: spec.serviceName: Service "pg-headless" not found in namespace "db"; Services there: "pg"; the pods get no per-pod DNS names (pg-0.pg-headless)`, 'pg')}
#- /db/svc.yaml
apiVersion: v1
kind: Service
metadata: {name: pg, namespace: db}
spec: {selector: {app: pg}, ports: [{port: 5432}]}
`,
    only,
  );
  const fix = diagnostics[0].fixes[0];
  assert.equal(fix.title, 'Create headless Service "pg-headless"');
  const files = applyFix(ws, fix);
  const text = files.find((f) => f.uri === 'file:///db/pg.yaml')!.text;
  // Written by hand from the rule: a headless Service of that name, in the StatefulSet's namespace,
  // selecting the StatefulSet's matchLabels (the "true" value stays a string).
  assert.ok(
    text.endsWith('---\napiVersion: v1\nkind: Service\nmetadata:\n  name: pg-headless\n  namespace: db\nspec:\n  clusterIP: None\n  selector:\n    app: pg\n    tier: "true"\n'),
    text,
  );
  assert.deepEqual(findingsAfter(files), []);
});

test('statefulset-service-missing: no finding without serviceName; information where Services are not managed', () => {
  checkDiagnostics(
    `
#- /db/pg.yaml
${STS('""')}
---
${STS('pg', 'other', `  #            ^^ info statefulset-service-missing: spec.serviceName: Service "pg" not found in namespace "other"; the workspace defines no Service in namespace "other"`, 'pg2')}
`,
    only,
  );
});

test('statefulset-service-not-headless: warning, related Service, fix sets clusterIP: None', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /db/pg.yaml
${STS('pg', 'db', `  #            ^^ warning statefulset-service-not-headless: spec.serviceName: Service "pg" is not headless (no clusterIP (a cluster IP is allocated)); the pods get no per-pod DNS names (pg-0.pg). Use a Service with clusterIP: None`, 'pg')}
---
apiVersion: v1
kind: Service
metadata: {name: pg, namespace: db}
spec:
  selector: {app: pg}
  ports: [{port: 5432}]
`,
    only,
  );
  const d = diagnostics[0];
  assert.equal(d.related.length, 1);
  assert.equal(ws.text('file:///db/pg.yaml')!.slice(d.related[0].start, d.related[0].end), 'name');
  const files = applyFix(ws, d.fixes[0]);
  assert.match(files[0].text, /spec:\n  selector: \{app: pg\}\n  ports: \[\{port: 5432\}\]\n  clusterIP: None\n/);
  assert.deepEqual(findingsAfter(files), []);
});

test('statefulset-service-not-headless: an explicit cluster IP is replaced; NodePort Services get no fix', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /db/pg.yaml
${STS('pg', 'db', `  #            ^^ warning statefulset-service-not-headless: spec.serviceName: Service "pg" is not headless (clusterIP: 10.96.0.20)`, 'pg')}
---
apiVersion: v1
kind: Service
metadata: {name: pg, namespace: db}
spec: {clusterIP: 10.96.0.20, selector: {app: pg}, ports: [{port: 5432}]}
---
${STS('pg-np', 'db', `  #            ^^^^^ warning statefulset-service-not-headless: spec.serviceName: Service "pg-np" is not headless (no clusterIP (a cluster IP is allocated), type: NodePort)`, 'pg2')}
---
apiVersion: v1
kind: Service
metadata: {name: pg-np, namespace: db}
spec: {type: NodePort, selector: {app: pg}, ports: [{port: 5432}]}
`,
    only,
  );
  assert.equal(diagnostics[1].fixes.length, 0);
  const files = applyFix(ws, diagnostics[0].fixes[0]);
  assert.match(files[0].text, /spec: \{clusterIP: None, selector/);
  assert.deepEqual(findingsAfter(files).filter((m) => !m.includes('pg-np')), []);
});

test('statefulset-service-selects-other-pods: a selector missing the pod labels, or none at all', () => {
  const { diagnostics } = checkDiagnostics(
    `
#- /db/pg.yaml
${STS('pg', 'db', `  #            ^^ warning statefulset-service-selects-other-pods: spec.serviceName: Service "pg" selects app=postgres, which does not select the pods of StatefulSet "pg" (labels: app=pg,tier=true,version=v1); they get no per-pod DNS names (pg-0.pg)`, 'pg')}
---
apiVersion: v1
kind: Service
metadata: {name: pg, namespace: db}
spec: {clusterIP: None, selector: {app: postgres}}
---
${STS('pg-manual', 'db', `  #            ^^^^^^^^^ warning statefulset-service-selects-other-pods: spec.serviceName: Service "pg-manual" has no selector (its endpoints are managed by hand)`, 'pg2')}
---
apiVersion: v1
kind: Service
metadata: {name: pg-manual, namespace: db}
spec: {clusterIP: None}
---
${STS('pg-ok', 'db', '', 'pg3')}
---
apiVersion: v1
kind: Service
metadata: {name: pg-ok, namespace: db}
spec: {clusterIP: None, selector: {app: pg, version: v1}}
`,
    only,
  );
  const text = 'spec: {clusterIP: None, selector: {app: postgres}}';
  assert.ok(diagnostics[0].related[0].end - diagnostics[0].related[0].start === 'selector'.length, text);
});

test('governing Service variants: the Service applied with the StatefulSet decides', () => {
  checkDiagnostics(
    `
#- /plain/db.yaml
${STS('pg')}
---
apiVersion: v1
kind: Service
metadata: {name: pg, namespace: db}
spec: {clusterIP: None, selector: {app: pg}}
#- /other-variant/db.yaml
${STS('pg', 'db', `  #            ^^ warning statefulset-service-not-headless`, 'pg')}
---
apiVersion: v1
kind: Service
metadata: {name: pg, namespace: db}
spec: {selector: {app: pg}, ports: [{port: 5432}]}
`,
    { ignore: [...only.ignore] },
  );
});

test('StatefulSet checks tolerate null specs and odd values', () => {
  checkDiagnostics(
    `
#- /odd.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: a, namespace: x}
spec: null
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: b, namespace: x}
spec: {serviceName: 42, template: null}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: c, namespace: x}
spec: {serviceName: svc, template: {metadata: null, spec: null}}
---
apiVersion: v1
kind: Service
metadata: {name: svc, namespace: x}
spec: {clusterIP: None, selector: null}
`,
    { ignore: [...only.ignore, 'statefulset-service-selects-other-pods'] },
  );
});
