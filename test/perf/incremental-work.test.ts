// Work counters, not timings: how much an edit re-checks and how many candidates a selector query
// tests, on the generated benchmark workspace (1,000 objects in 20 namespaces, 25 documents a file).
// Expectations are derived from the workspace's shape: each file's objects, each namespace's objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../server/src/engine/workspace';
import { selectorFromMap } from '../../server/src/engine/labels/selector';
import { generateWorkspace } from './generated-workspace';

function analysed(objects: number): { ws: Workspace; uris: string[] } {
  const files = generateWorkspace(objects);
  const ws = new Workspace();
  ws.apply(files.map((f) => ({ uri: `file:///bench/${f.path}`, text: f.text })));
  const uris = ws.fileUris();
  for (const uri of uris) ws.diagnostics(uri);
  return { ws, uris };
}

/** The uri and text of a file holding a Deployment in namespace `ns`. */
function fileWithDeployment(ws: Workspace, uris: readonly string[], ns: string): { uri: string; text: string } {
  const uri = uris.find((u) => ws.objectsIn(u).some((o) => o.kind === 'Deployment' && o.namespace === ns))!;
  return { uri, text: ws.text(uri)! };
}

/** A Deployment's pod-template label `tier` edited (the first Deployment of `ns` in the file). */
function withTierEdited(text: string, ns: string): string {
  const edited = text.replace(new RegExp(`(kind: Deployment\\nmetadata:\\n  name: \\S+\\n  namespace: ${ns}[\\s\\S]*?template:[\\s\\S]*?tier: )(\\w+)`), '$1$2-edited');
  assert.notEqual(edited, text);
  return edited;
}

const folderOf = (uri: string) => uri.slice(0, uri.lastIndexOf('/') + 1);

test('cold analysis checks every object once', () => {
  const { ws } = analysed(1000);
  assert.equal(ws.counters.objectsChecked, ws.objectIndex.objectCount);
});

test("editing a container image re-checks the edited object and the file's Ingresses, nothing else", () => {
  const { ws, uris } = analysed(1000);
  const { uri, text } = fileWithDeployment(ws, uris, 'team-03');
  const before = ws.counters.objectsChecked;
  const dirty = ws.setFile(uri, text.replace(/image: (\S+):1\.(\d)\.0/, 'image: $1:2.$2.0'));
  assert.deepEqual(dirty, [uri]);
  for (const u of dirty) ws.diagnostics(u);
  // The other documents of the file are unchanged: their objects keep what their checks found,
  // except ingress-path-shadowed, which compares the Ingresses of a plain file and so reads all of it.
  const ingresses = ws.objectsIn(uri).filter((o) => o.kind === 'Ingress').length;
  assert.equal(ws.counters.objectsChecked - before, 1 + ingresses);
});

/**
 * The objects outside `uri` that read the pod labels of Deployment `app` in team-05: an edit marks every
 * label its template had or has, so the Service selecting `app` re-checks; the HorizontalPodAutoscaler
 * scaling the Deployment reads the Deployment itself.
 */
function readersOf(ws: Workspace, uris: readonly string[], uri: string, app: string) {
  return uris
    .filter((u) => u !== uri)
    .flatMap((u) => ws.objectsIn(u))
    .filter((o) => o.namespace === 'team-05' && (o.kind === 'Service' || o.kind === 'HorizontalPodAutoscaler') && o.name === app);
}

test("editing a pod label re-checks, outside the edited file, only the objects reading that workload's labels", () => {
  const { ws, uris } = analysed(1000);
  // team-05 has no NetworkPolicy; its Services and workloads select by `app`, one app each.
  const { uri, text } = fileWithDeployment(ws, uris, 'team-05');
  const app = ws.objectsIn(uri).find((o) => o.kind === 'Deployment' && o.namespace === 'team-05')!.name;
  const before = ws.counters.objectsChecked;
  const dirty = ws.setFile(uri, withTierEdited(text, 'team-05'));
  assert.ok(dirty.length > 1, 'the label edit reaches other files of team-05');
  // Dirty: the edited file and the files holding objects of team-05, nothing else.
  for (const u of dirty) assert.ok(u === uri || ws.objectsIn(u).some((o) => o.namespace === 'team-05'), `${u} re-published without a team-05 object`);
  ws.diagnostics(uri);
  const inOtherFiles = ws.counters.objectsChecked;
  for (const u of dirty) ws.diagnostics(u);
  const readers = readersOf(ws, uris, uri, app);
  assert.ok(readers.length > 0);
  assert.ok(inOtherFiles - before <= ws.objectsIn(uri).length);
  assert.equal(ws.counters.objectsChecked - inOtherFiles, readers.length);
});

test('editing the pod label a Service selects re-checks that Service, not the rest of the namespace', () => {
  const { ws, uris } = analysed(1000);
  const { uri, text } = fileWithDeployment(ws, uris, 'team-05');
  const app = ws.objectsIn(uri).find((o) => o.kind === 'Deployment' && o.namespace === 'team-05')!.name;
  const edited = text.replace(new RegExp(`(template:\\n    metadata:\\n      labels:\\n        app: )${app}\\n`), `$1${app}-edited\n`);
  assert.notEqual(edited, text);
  const dirty = ws.setFile(uri, edited);
  ws.diagnostics(uri);
  const inOtherFiles = ws.counters.objectsChecked;
  for (const u of dirty) ws.diagnostics(u);
  assert.equal(ws.counters.objectsChecked - inOtherFiles, readersOf(ws, uris, uri, app).length);
  assert.ok(ws.fileUris().some((u) => ws.diagnostics(u).some((d) => d.code === 'service-selects-nothing')));
});

test('a selector query tests only the posting list of its rarest label', () => {
  const { ws, uris } = analysed(1000);
  const index = ws.objectIndex;
  const services = uris.flatMap((u) => ws.objectsIn(u)).filter((o) => o.kind === 'Service');
  const { selectorQueries, candidatesTested } = index.counters;
  let matched = 0;
  for (const s of services) {
    const selector = selectorFromMap((s.raw.spec as { selector?: Record<string, string> }).selector);
    matched += index.selectPodTemplates(s.namespace, selector).length;
  }
  assert.equal(index.counters.selectorQueries - selectorQueries, services.length);
  // Every Service selects by a unique `app` label: one candidate (its own workload) per query.
  assert.equal(index.counters.candidatesTested - candidatesTested, matched);
  assert.equal(matched, services.length);
});

test('editing a container image rebuilds no NetworkPolicy model', () => {
  const { ws, uris } = analysed(1000);
  // Every fourth app has a NetworkPolicy (team-00, -04, -08, -12, -16): their Services ask for the model of their folder.
  const { uri, text } = fileWithDeployment(ws, uris, 'team-04');
  assert.ok(ws.objectsIn(uri).some((o) => o.kind === 'Service' && o.namespace === 'team-04'));
  assert.ok(ws.objectIndex.ofKind('NetworkPolicy', 'team-04').length > 0);
  const before = ws.counters.keptValuesComputed;
  for (const u of ws.setFile(uri, text.replace(/image: (\S+):1\.(\d)\.0/g, 'image: $1:2.$2.0'))) ws.diagnostics(u);
  assert.equal(ws.counters.keptValuesComputed - before, 0);
});

test("a pod-label edit rebuilds only the NetworkPolicy model of the edited file's folder and namespace", () => {
  const { ws, uris } = analysed(1000);
  const { uri, text } = fileWithDeployment(ws, uris, 'team-12');
  // The namespace's Services live in several folders, each with its own model; all of them are re-checked.
  const folders = new Set(ws.objectIndex.ofKind('Service', 'team-12').map((s) => folderOf(s.uri)));
  assert.ok(folders.size > 1, `team-12 Services in ${folders.size} folders`);
  const before = ws.counters.keptValuesComputed;
  for (const u of ws.setFile(uri, withTierEdited(text, 'team-12'))) ws.diagnostics(u);
  assert.equal(ws.counters.keptValuesComputed - before, 1);
});

test('kept findings and NetworkPolicy models give the diagnostics of a fresh analysis after every edit', () => {
  const { ws, uris } = analysed(1000);
  const { uri, text } = fileWithDeployment(ws, uris, 'team-04');
  const policyUri = uris.find((u) => ws.objectsIn(u).some((o) => o.kind === 'NetworkPolicy' && o.namespace === 'team-04'))!;
  const policyText = ws.text(policyUri)!;
  const other = uris.find((u) => u !== uri && u !== policyUri && ws.objectsIn(u).some((o) => o.namespace === 'team-04'))!;
  const otherText = ws.text(other)!;
  const namespaceUri = 'file:///bench/namespaces.yaml';
  const isolated = /name: (\S+)-ingress\n  namespace: team-04\n/.exec(policyText)![1];
  const twinUri = `${folderOf(policyUri)}pod-twin.yaml`;
  const renamed = otherText
    .replace(/(kind: ConfigMap\nmetadata:\n  name: \S+)-config/, '$1-settings')
    .replace(/(kind: Service\nmetadata:\n  name: )(\S+)/, '$1$2-renamed')
    .replace(/(kind: Deployment\nmetadata:\n  name: )(\S+)/, '$1$2-renamed');
  const edits: Array<[string, string | undefined]> = [
    [uri, withTierEdited(text, 'team-04')],
    // Named ports the policies open, no longer declared by the pods: networkpolicy-port-not-found.
    [uri, text.replaceAll('- name: http\n', '- name: web\n')],
    [policyUri, policyText.replaceAll('tier: frontend', 'tier: backend')],
    [policyUri, policyText.replaceAll('port: http\n', 'port: http-alt\n')],
    // A bare Pod beside them, selected by none of them, named like a workload they isolate: the model
    // names that workload's pods after their kind now (the findings name the pods).
    [twinUri, `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${isolated}\n  namespace: team-04\n  labels:\n    app: ${isolated}-twin\nspec:\n  containers:\n  - name: main\n    image: x\n`],
    [twinUri, undefined],
    // Referenced objects renamed: configmap-missing, ingress-backend-missing, hpa-target-missing.
    [other, renamed],
    // Every document moved (findings carry offsets), then a suppression comment that hides findings.
    [other, `# moved\n${renamed}`],
    [other, `# kubeglass-disable-file configmap-missing\n${renamed}`],
    [other, `# moved\n${renamed}`],
    // A copy of a file (its own apply unit), then two copies a kustomization applies together:
    // duplicate-object and ingress-path-shadowed between them.
    ['file:///bench/copy.yaml', otherText],
    ['file:///bench/dup/a.yaml', otherText],
    ['file:///bench/dup/b.yaml', otherText],
    ['file:///bench/dup/kustomization.yaml', 'resources: [a.yaml, b.yaml]\n'],
    ['file:///bench/dup/b.yaml', withTierEdited(otherText, 'team-04')],
    // Cluster-scoped objects: every finding is recomputed.
    [namespaceUri, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-04, labels: {tier: frontend}}\n'],
    [uri, text],
    [policyUri, policyText],
    [other, undefined],
    ['file:///bench/copy.yaml', undefined],
    ['file:///bench/dup/kustomization.yaml', undefined],
    ['file:///bench/dup/a.yaml', undefined],
    [namespaceUri, undefined],
    [other, otherText],
  ];
  for (const [u, t] of edits) {
    for (const d of t === undefined ? ws.removeFile(u) : ws.setFile(u, t)) ws.diagnostics(d);
    const fresh = new Workspace();
    fresh.apply(ws.fileUris().map((f) => ({ uri: f, text: ws.text(f)! })));
    for (const f of ws.fileUris()) assert.deepEqual(ws.diagnostics(f), fresh.diagnostics(f), `${f} after ${t === undefined ? 'removing' : 'editing'} ${u}`);
  }
});

test('after an edit, a file is dirty again only when something its checks read changes', () => {
  const { ws, uris } = analysed(1000);
  const { uri, text } = fileWithDeployment(ws, uris, 'team-03');
  for (const u of ws.setFile(uri, text.replace(/image: (\S+):1\.(\d)\.0/, 'image: $1:2.$2.0'))) ws.diagnostics(u);
  // An image edit in another file of another namespace reaches nothing here.
  const other = uris.find((u) => u !== uri && !ws.objectsIn(u).some((o) => o.namespace === 'team-03'))!;
  assert.deepEqual(ws.setFile(other, ws.text(other)!.replace(/image: (\S+):1\.(\d)\.0/, 'image: $1:3.$2.0')), [other]);
});

test('a pod-label edit re-runs the NetworkPolicy checks of the Services and policies selecting that pod only', () => {
  const { ws, uris } = analysed(1000);
  // team-00 has NetworkPolicies, and Services in other files of the edited file's folder, which share
  // its model; the edit changes a pod's `app` label.
  const { uri, text } = fileWithDeployment(ws, uris, 'team-00');
  const app = ws.objectsIn(uri).find((o) => o.kind === 'Deployment' && o.namespace === 'team-00')!.name;
  const sameModel = uris.filter((u) => u !== uri && folderOf(u) === folderOf(uri)).flatMap((u) => ws.objectsIn(u)).filter((o) => o.kind === 'Service' && o.namespace === 'team-00');
  assert.ok(sameModel.length > 1, `${sameModel.length} team-00 Services share the model`);
  const edited = text.replace(new RegExp(`(template:\\n    metadata:\\n      labels:\\n        app: )${app}\\n`), `$1${app}-edited\n`);
  assert.notEqual(edited, text);
  const runs = (code: string) => ws.counters.runsByCheck.get(code) ?? 0;
  const before = { isolates: runs('networkpolicy-isolates-service'), ports: runs('networkpolicy-port-not-found'), models: ws.counters.keptValuesComputed };
  for (const u of ws.setFile(uri, edited)) ws.diagnostics(u);
  // The folder's model is rebuilt; the checks reading it run again only where they concern the pod:
  // the Service and the policy selecting `app` (the edited file's other documents are unchanged).
  assert.equal(ws.counters.keptValuesComputed - before.models, 1, 'models rebuilt');
  const selecting = (kind: string, name: string) => uris.flatMap((u) => ws.objectsIn(u)).filter((o) => o.kind === kind && o.namespace === 'team-00' && o.name === name).length;
  assert.equal(runs('networkpolicy-isolates-service') - before.isolates, selecting('Service', app), 'isolates-service runs');
  assert.equal(runs('networkpolicy-port-not-found') - before.ports, selecting('NetworkPolicy', `${app}-ingress`), 'port-not-found runs');
});
