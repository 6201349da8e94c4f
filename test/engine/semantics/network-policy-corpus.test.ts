// NetworkPolicy analysis over the shared corpus of real manifests: every policy compiles without
// problems (they are valid upstream manifests), explanations and check facts never throw, and
// the model build does a linear number of selector evaluations (STYLE: counters, not timings).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { corpusDir } from '../../support/paths';
import type { V1NetworkPolicy, V1PodTemplateSpec } from '../../../server/src/engine/model/k8s-types';
import { buildNetworkPolicyModel, containerPortsOf, type NetpolNamespace, type NetpolPod } from '../../../server/src/engine/semantics/network-policy';
import { explainNetworkPolicy } from '../../../server/src/engine/semantics/network-policy-explain';
import { undeclaredNamedPorts } from '../../../server/src/engine/semantics/network-policy-checks';
import { defaultProbePorts, reachability } from '../../../server/src/engine/semantics/network-policy-reach';

type Obj = { kind?: string; metadata?: { name?: string; namespace?: string; labels?: Record<string, string> }; spec?: Record<string, unknown>; items?: Obj[] };

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

/**
 * Objects per directory holding a NetworkPolicy: a directory is one deployment unit (corpus
 * SOURCES.md). Other directories are not parsed, to keep the test fast.
 */
function corpusUnits(): Map<string, Obj[]> {
  const files = yamlFiles(corpusDir).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
  const dirs = new Set(files.filter((f) => /^kind:\s*NetworkPolicy\s*$/m.test(f.text)).map((f) => path.dirname(f.file)));
  const units = new Map<string, Obj[]>();
  for (const { file, text } of files) {
    if (!dirs.has(path.dirname(file))) continue;
    const objects: Obj[] = [];
    for (const doc of parseAllDocuments(text)) {
      let o: Obj | null = null;
      try {
        o = doc.toJS() as Obj | null;
      } catch {
        continue;
      }
      if (!o || typeof o !== 'object') continue;
      for (const item of o.kind?.endsWith('List') && Array.isArray(o.items) ? o.items : [o]) objects.push(item);
    }
    const dir = path.dirname(file);
    units.set(dir, [...(units.get(dir) ?? []), ...objects]);
  }
  return units;
}

function podsOf(objects: Obj[]): NetpolPod[] {
  const pods: NetpolPod[] = [];
  for (const o of objects) {
    const namespace = o.metadata?.namespace || 'default';
    if (o.kind === 'Pod') {
      pods.push({ namespace, name: o.metadata?.name ?? '', labels: o.metadata?.labels ?? {}, ips: [], ports: containerPortsOf(o.spec as never) });
    } else if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(o.kind ?? '')) {
      const template = o.spec?.template as V1PodTemplateSpec | undefined;
      if (!template) continue;
      pods.push({ namespace, name: `${o.kind}:${o.metadata?.name ?? ''}`, labels: template.metadata?.labels ?? {}, ips: [], ports: containerPortsOf(template.spec) });
    }
  }
  return pods;
}

test('corpus: every NetworkPolicy compiles cleanly; explain, checks and reachability run', () => {
  let policyCount = 0;
  let unitsWithPolicies = 0;
  for (const [dir, objects] of corpusUnits()) {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy') as V1NetworkPolicy[];
    if (policies.length === 0) continue;
    unitsWithPolicies++;
    policyCount += policies.length;
    const namespaces: NetpolNamespace[] = objects.filter((o) => o.kind === 'Namespace').map((o) => ({ name: o.metadata?.name ?? '', labels: o.metadata?.labels ?? {} }));
    const model = buildNetworkPolicyModel({ namespaces, pods: podsOf(objects), policies });
    const problems = model.policies.flatMap((p) => p.policy.problems.map((x) => `${dir} ${p.policy.key} ${x.path}: ${x.message}`));
    assert.deepEqual(problems, []);
    for (const p of model.policies) assert.ok(explainNetworkPolicy(model, p.policy.key)?.markdown.startsWith('**NetworkPolicy '));
    undeclaredNamedPorts(model);
    const { pairs } = reachability(model, { ports: defaultProbePorts(model).slice(0, 3), externalIps: ['203.0.113.1'] });
    const endpoints = model.pods.length + 1;
    assert.equal(pairs.length, Math.min(3, defaultProbePorts(model).length) * (endpoints * endpoints - 1));
  }
  // SOURCES.md counts 79 NetworkPolicy objects in the corpus.
  assert.equal(policyCount, 79);
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
