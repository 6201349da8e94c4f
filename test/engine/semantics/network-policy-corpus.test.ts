// NetworkPolicy analysis over the shared corpus of real manifests: every policy compiles without
// problems (they are valid upstream manifests), explanations and check facts never throw, and
// the model build does a linear number of selector evaluations (STYLE: counters, not timings).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusDir } from '../../support/paths';
import type { V1NetworkPolicy } from '../../../server/src/engine/model/k8s-types';
import { parseFile } from '../../../server/src/engine/syntax/parse';
import { extractObjects, type K8sObject } from '../../../server/src/engine/model/object';
import { buildNetworkPolicyModel, type NetpolPod } from '../../../server/src/engine/semantics/network-policy';
import { networkPolicyInputFromObjects } from '../../../server/src/engine/semantics/network-policy-workspace';
import { explainNetworkPolicy } from '../../../server/src/engine/semantics/network-policy-explain';
import { undeclaredNamedPorts } from '../../../server/src/engine/semantics/network-policy-checks';
import { defaultProbePorts, reachability } from '../../../server/src/engine/semantics/network-policy-reach';

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

const NETWORK_POLICY_LINE = /^\s*kind:\s*NetworkPolicy\s*$/gm;
/** Rendered all-in-one installs of ~2 MB: parsing them would dominate the suite's time. */
const SKIP_ABOVE_BYTES = 1_000_000;

/**
 * Objects per directory holding a NetworkPolicy: a directory is one deployment unit (corpus
 * SOURCES.md). Other directories, and files above SKIP_ABOVE_BYTES, are not parsed, to keep the
 * test fast; `skippedPolicies` counts `kind: NetworkPolicy` lines in the skipped files.
 */
function corpusUnits(): { units: Map<string, K8sObject[]>; skippedPolicies: number } {
  const files = yamlFiles(corpusDir).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
  const dirs = new Set(files.filter((f) => f.text.match(NETWORK_POLICY_LINE)).map((f) => path.dirname(f.file)));
  const units = new Map<string, K8sObject[]>();
  let skippedPolicies = 0;
  for (const { file, text } of files) {
    const dir = path.dirname(file);
    if (!dirs.has(dir)) continue;
    if (text.length > SKIP_ABOVE_BYTES) {
      skippedPolicies += text.match(NETWORK_POLICY_LINE)?.length ?? 0;
      continue;
    }
    const objects = extractObjects(parseFile(`file://${file}`, text), { defaultNamespace: 'default' });
    units.set(dir, [...(units.get(dir) ?? []), ...objects]);
  }
  return { units, skippedPolicies };
}

test('corpus: every NetworkPolicy compiles cleanly; explain, checks and reachability run', () => {
  let policyCount = 0;
  let unitsWithPolicies = 0;
  const { units, skippedPolicies } = corpusUnits();
  for (const [dir, objects] of units) {
    const input = networkPolicyInputFromObjects(objects);
    if (input.policies.length === 0) continue;
    unitsWithPolicies++;
    policyCount += objects.filter((o) => o.kind === 'NetworkPolicy').length;
    const model = buildNetworkPolicyModel(input);
    // Duplicate objects inside one directory are dropped by the adapter, never silently merged.
    assert.equal(model.policies.length, new Set(objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => `${o.namespace}/${o.name}`)).size);
    const problems = model.policies.flatMap((p) => p.policy.problems.map((x) => `${dir} ${p.policy.key} ${x.path}: ${x.message}`));
    assert.deepEqual(problems, []);
    for (const p of model.policies) assert.ok(explainNetworkPolicy(model, p.policy.key)?.markdown.startsWith('**NetworkPolicy '));
    undeclaredNamedPorts(model);
    const { pairs } = reachability(model, { ports: defaultProbePorts(model).slice(0, 3), externalIps: ['203.0.113.1'] });
    const endpoints = model.pods.length + 1;
    assert.equal(pairs.length, Math.min(3, defaultProbePorts(model).length) * (endpoints * endpoints - 1));
  }
  // SOURCES.md counts 79 NetworkPolicy objects in the corpus.
  assert.equal(policyCount + skippedPolicies, 79);
  assert.ok(skippedPolicies < 20);
  assert.ok(unitsWithPolicies > 5);
});

test('model build does O((policies + peers) x pods) selector evaluations, not per pair', () => {
  const build = (n: number) => {
    const pods: NetpolPod[] = [];
    for (let i = 0; i < n; i++) pods.push({ namespace: `ns${i % 4}`, name: `p${i}`, labels: { app: `a${i % 10}` }, ips: [], ports: [] });
    const policies: V1NetworkPolicy[] = [];
    for (let i = 0; i < 10; i++) {
      policies.push({
        metadata: { namespace: `ns${i % 4}`, name: `pol${i}` },
        spec: { podSelector: { matchLabels: { app: `a${i}` } }, ingress: [{ _from: [{ podSelector: {} }, { namespaceSelector: {}, podSelector: { matchLabels: { app: 'a1' } } }] }] },
      });
    }
    const model = buildNetworkPolicyModel({ namespaces: [], pods, policies });
    // Touch every pair once; reachability itself evaluates no selector.
    reachability(model, { ports: [{ port: 80, protocol: 'TCP' }] });
    return model.work.selectorEvaluations;
  };
  const [w1, w2, w4] = [build(40), build(80), build(160)];
  // 10 policies select within one namespace (n/4 Pods each); 2 peers per policy: one over its
  // namespace (n/4), one over all namespaces (4 namespace checks + n Pods).
  for (const [n, w] of [[40, w1], [80, w2], [160, w4]]) assert.ok(w <= 10 * (n / 4 + n / 4 + 4 + n), `n=${n}: ${w} evaluations`);
  assert.equal(w2 - w1, w4 - w2 - (w2 - w1), 'evaluations grow linearly with the number of Pods');
});
