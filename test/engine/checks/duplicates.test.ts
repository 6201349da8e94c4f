// duplicate-object and the apply units it is judged in (model/apply-unit.ts). Expectations: an
// object's identity is group/kind/namespace/name (Kubernetes API); kustomize refuses two resources
// with one id in a build; variants of an app in sibling folders or bundle files are never applied
// together (the corpus' SOURCES.md describes such layouts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSeverities } from '../../../server/src/engine/checks/registry';
import { checkDiagnostics } from '../../support/fixture';
import { applyUnits, kustomizationSources } from '../../../server/src/engine/model/apply-unit';

/** Only duplicate-object findings are compared (plus internal errors, which never have a known code). */
const only = { ignore: Object.keys(defaultSeverities()).filter((c) => c !== 'duplicate-object') };

test('apply units: kustomizations (transitive), patches, plain files', () => {
  const units = applyUnits({
    kustomizations: [
      { uri: 'file:///k/base/kustomization.yaml', value: { resources: ['deploy.yaml', 'svc.yaml', 'https://github.com/x/y//z?ref=v1'] } },
      { uri: 'file:///k/overlays/dev/kustomization.yaml', value: { resources: ['../../base', 'extra.yaml'], patches: [{ path: 'patch.yaml' }] } },
      { uri: 'file:///k/overlays/prod/kustomization.yml', value: { bases: ['../../base/'], patchesStrategicMerge: ['replicas.yaml', 'apiVersion: v1\nkind: X'] } },
      { uri: 'file:///loop/a/kustomization.yaml', value: { resources: ['../b'] } },
      { uri: 'file:///loop/b/kustomization.yaml', value: { resources: ['../a', 'b.yaml'], configMapGenerator: [{ name: 'gen' }] } },
      { uri: 'file:///plain/kustomization.yaml', value: { resources: ['../no-kustomization/'] } },
      { uri: 'file:///k/not-a-mapping/kustomization.yaml', value: null },
      { uri: 'file:///ns/kustomization.yaml', value: { namespace: 'tools', commonLabels: { app: 'x' }, resources: ['a.yaml', 'b.yaml'] } },
      { uri: 'file:///lbl/kustomization.yaml', value: { labels: [{ pairs: { app: 'y' }, includeSelectors: true }], resources: ['a.yaml'] } },
      { uri: 'file:///lbl2/kustomization.yaml', value: { labels: [{ pairs: { app: 'y' } }], resources: ['a.yaml'] } },
    ],
  });
  assert.equal(units.sharedNamespace('file:///ns/a.yaml', 'file:///ns/b.yaml'), 'tools');
  assert.equal(units.sharedNamespace('file:///k/base/deploy.yaml', 'file:///k/base/svc.yaml'), undefined);
  assert.equal(units.addsSelectorLabels('file:///ns/a.yaml'), true);
  assert.equal(units.addsSelectorLabels('file:///lbl/a.yaml'), true);
  assert.equal(units.addsSelectorLabels('file:///lbl2/a.yaml'), false);
  assert.equal(units.addsSelectorLabels('file:///k/base/deploy.yaml'), false);
  assert.deepEqual(units.unitsOf('file:///k/base/deploy.yaml'), ['kustomize:file:///k/base/', 'kustomize:file:///k/overlays/dev/', 'kustomize:file:///k/overlays/prod/']);
  assert.deepEqual(units.unitsOf('file:///k/overlays/dev/extra.yaml'), ['kustomize:file:///k/overlays/dev/']);
  assert.deepEqual(units.unitsOf('file:///k/overlays/dev/patch.yaml'), []);
  assert.equal(units.isPatch('file:///k/overlays/dev/patch.yaml'), true);
  assert.equal(units.isPatch('file:///k/overlays/prod/replicas.yaml'), true);
  assert.equal(units.isPatch('file:///k/overlays/dev/extra.yaml'), false);
  assert.equal(units.shareUnit('file:///k/base/deploy.yaml', 'file:///k/overlays/dev/extra.yaml'), true);
  assert.equal(units.shareUnit('file:///k/overlays/prod/x.yaml', 'file:///k/overlays/dev/extra.yaml'), false);
  // Cycles are cut; both kustomizations include b.yaml.
  assert.deepEqual(units.unitsOf('file:///loop/b/b.yaml'), ['kustomize:file:///loop/a/', 'kustomize:file:///loop/b/']);
  // A folder resource without a kustomization includes the files directly in it.
  assert.deepEqual(units.unitsOf('file:///no-kustomization/x.yaml'), ['kustomize:file:///plain/']);
  assert.deepEqual(units.unitsOf('file:///no-kustomization/sub/x.yaml'), ['file:file:///no-kustomization/sub/x.yaml']);
  // Plain manifests stand alone, even in one folder (they are mostly alternatives of each other).
  assert.deepEqual(units.unitsOf('file:///app/all-in-one.yaml'), ['file:file:///app/all-in-one.yaml']);
  assert.equal(units.shareUnit('file:///app/a.yaml', 'file:///app/a.yaml'), true);
  assert.equal(units.shareUnit('file:///app/a.yaml', 'file:///app/b.yaml'), false);
  assert.equal(units.isGenerated('ConfigMap', 'gen'), true);
  assert.equal(units.isGenerated('Secret', 'gen'), false);
});

test('apply units: kustomization files are picked by name, with or without apiVersion/kind', () => {
  const sources = kustomizationSources([
    { uri: 'file:///b/kustomization.yaml', documents: [{ value: { resources: ['x.yaml'] } }] },
    { uri: 'file:///a/Kustomization', documents: [{ value: undefined }, { value: { kind: 'Kustomization' } }] },
    { uri: 'file:///a/deploy.yaml', documents: [{ value: { kind: 'Deployment' } }] },
    { uri: 'file:///c/kustomization.yml', documents: [{ value: 'text' }] },
  ]);
  assert.deepEqual(sources.map((s) => s.uri), ['file:///a/Kustomization', 'file:///b/kustomization.yaml']);
});

test('duplicate-object: twice in one file', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /app/bundle.yaml
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
#                ^^^ error duplicate-object: Service/shop/web is defined 2 times in the same apply unit; also later in this file
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
#                ^^^ error duplicate-object: Service/shop/web is defined 2 times in the same apply unit; also earlier in this file
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web, namespace: shop}
`,
    only,
  );
  const first = diagnostics[0];
  assert.equal(first.related.length, 1);
  const text = ws.text('file:///app/bundle.yaml')!;
  assert.equal(text.slice(first.related[0].start, first.related[0].end), 'web');
  assert.equal(first.related[0].start, text.indexOf('name: web', text.indexOf('---')) + 'name: '.length);
});

test('duplicate-object: files of one plain folder are alternatives, not one unit', () => {
  checkDiagnostics(
    `
#- /app/web-service.yaml
apiVersion: v1
kind: Service
metadata: {name: web}
#- /app/web-service-static-ip.yaml
apiVersion: v1
kind: Service
metadata: {name: web}
`,
    only,
  );
});

test('duplicate-object: variants (bundle files, sibling folders, overlays of one base) are not duplicates', () => {
  checkDiagnostics(
    `
#- /app/all-in-one.yaml
apiVersion: v1
kind: Service
metadata: {name: web}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
#- /app/quickstart.yaml
apiVersion: v1
kind: Service
metadata: {name: web}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
#- /app/web.yaml
apiVersion: v1
kind: Service
metadata: {name: web}
#- /k/base/kustomization.yaml
resources: [web.yaml]
#- /k/base/web.yaml
apiVersion: v1
kind: Service
metadata: {name: web}
#- /k/overlays/dev/kustomization.yaml
resources: [../../base]
patches: [{path: web-patch.yaml}]
#- /k/overlays/dev/web-patch.yaml
apiVersion: v1
kind: Service
metadata: {name: web}
#- /k/overlays/prod/kustomization.yaml
resources: [../../base]
`,
    only,
  );
});

test('duplicate-object: an overlay resource repeating a base resource (kustomize refuses the build)', () => {
  const { diagnostics } = checkDiagnostics(
    `
#- /k/base/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [web.yaml]
#- /k/base/web.yaml
apiVersion: v1
kind: Service
metadata: {name: web}
#                ^^^ error duplicate-object: Service/default/web is defined 2 times in the same apply unit; also in ../overlays/dev/web.yaml
#- /k/overlays/dev/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../../base, web.yaml]
#- /k/overlays/dev/web.yaml
apiVersion: v1
kind: Service
metadata: {name: web}
#                ^^^ error duplicate-object: Service/default/web is defined 2 times in the same apply unit; also in ../../base/web.yaml
`,
    only,
  );
  assert.deepEqual(diagnostics.map((d) => d.related[0].uri), ['file:///k/base/web.yaml', 'file:///k/overlays/dev/web.yaml'].reverse());
});

test('duplicate-object: mixed namespace styles, other groups, generateName and kind: List items', () => {
  checkDiagnostics(
    `
#- /app/bundle.yaml
apiVersion: v1
kind: Service
metadata: {name: web}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: web}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
---
apiVersion: batch/v1
kind: Job
metadata: {generateName: migrate-}
---
apiVersion: batch/v1
kind: Job
metadata: {generateName: migrate-}
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: cfg}
    #                ^^^ error duplicate-object: ConfigMap/default/cfg is defined 2 times in the same apply unit; also later in this file
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: cfg}
    #                ^^^ error duplicate-object: ConfigMap/default/cfg is defined 2 times in the same apply unit; also earlier in this file
  - null
---
---
`,
    only,
  );
});
