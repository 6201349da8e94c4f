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

test('cold analysis checks every object once', () => {
  const { ws } = analysed(1000);
  assert.equal(ws.counters.objectsChecked, ws.objectIndex.objectCount);
});

test('editing a container image re-checks only the objects of the edited file', () => {
  const { ws, uris } = analysed(1000);
  const { uri, text } = fileWithDeployment(ws, uris, 'team-03');
  const before = ws.counters.objectsChecked;
  const dirty = ws.setFile(uri, text.replace(/image: (\S+):1\.(\d)\.0/, 'image: $1:2.$2.0'));
  assert.deepEqual(dirty, [uri]);
  for (const u of dirty) ws.diagnostics(u);
  assert.equal(ws.counters.objectsChecked - before, ws.objectsIn(uri).length);
});

test("editing a pod label re-checks only its namespace's objects (and the edited file)", () => {
  const { ws, uris } = analysed(1000);
  const { uri, text } = fileWithDeployment(ws, uris, 'team-05');
  const inNamespace = uris.flatMap((u) => ws.objectsIn(u)).filter((o) => o.namespace === 'team-05').length;
  const before = ws.counters.objectsChecked;
  const dirty = ws.setFile(uri, text.replace(/(kind: Deployment\nmetadata:\n  name: \S+\n  namespace: team-05[\s\S]*?template:[\s\S]*?tier: )(\w+)/, '$1$2-edited'));
  assert.ok(dirty.length > 1, 'the label edit reaches other files of team-05');
  // Dirty: the edited file and the files holding objects of team-05, nothing else.
  for (const u of dirty) assert.ok(u === uri || ws.objectsIn(u).some((o) => o.namespace === 'team-05'), `${u} re-published without a team-05 object`);
  for (const u of dirty) ws.diagnostics(u);
  const rechecked = ws.counters.objectsChecked - before;
  assert.ok(rechecked <= inNamespace + ws.objectsIn(uri).length, `${rechecked} objects re-checked; team-05 has ${inNamespace}`);
  assert.ok(rechecked >= inNamespace, `${rechecked} objects re-checked; every team-05 object can see the change`);
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

/** A Deployment's pod-template label `tier` edited (the first Deployment of `ns` in the file). */
function withTierEdited(text: string, ns: string): string {
  const edited = text.replace(new RegExp(`(kind: Deployment\\nmetadata:\\n  name: \\S+\\n  namespace: ${ns}[\\s\\S]*?template:[\\s\\S]*?tier: )(\\w+)`), '$1$2-edited');
  assert.notEqual(edited, text);
  return edited;
}

const folderOf = (uri: string) => uri.slice(0, uri.lastIndexOf('/') + 1);

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

test('kept NetworkPolicy models give the diagnostics of a fresh analysis', () => {
  const { ws, uris } = analysed(1000);
  const { uri, text } = fileWithDeployment(ws, uris, 'team-04');
  const policyUri = uris.find((u) => ws.objectsIn(u).some((o) => o.kind === 'NetworkPolicy' && o.namespace === 'team-04'))!;
  const policyText = ws.text(policyUri)!;
  const edits: Array<[string, string]> = [
    [uri, withTierEdited(text, 'team-04')],
    // Named ports the policies open, no longer declared by the pods: networkpolicy-port-not-found.
    [uri, text.replaceAll('- name: http\n', '- name: web\n')],
    [policyUri, policyText.replaceAll('tier: frontend', 'tier: backend')],
    [policyUri, policyText.replaceAll('port: http\n', 'port: http-alt\n')],
    [uri, text],
    [policyUri, policyText],
  ];
  for (const [u, t] of edits) {
    for (const d of ws.setFile(u, t)) ws.diagnostics(d);
    const fresh = new Workspace();
    fresh.apply(ws.fileUris().map((f) => ({ uri: f, text: ws.text(f)! })));
    for (const f of ws.fileUris()) assert.deepEqual(ws.diagnostics(f), fresh.diagnostics(f), `${f} after editing ${u}`);
  }
});
