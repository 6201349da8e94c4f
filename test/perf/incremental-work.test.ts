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
