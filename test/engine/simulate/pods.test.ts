// Simulated pods. Expectations are hand-derived from spec semantics.md (c) (StatefulSet identity
// c.2), the controller behaviour named in pods.ts's header (Deployment -> ReplicaSet naming,
// DaemonSet per node, Job parallelism/completions and labels) and the default kind profile
// (node names, pod CIDRs, control-plane taint). Properties: determinism, input-order
// independence, stability of names and IPs under unrelated edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PROFILE, parseProfile } from '../../../server/src/engine/simulate/profile';
import { simulatePods, type SimPod } from '../../../server/src/engine/simulate/pods';
import { cidrContains, parseCIDR, parseIP } from '../../../server/src/engine/simulate/sim-ip';
import { docs, shuffled, SUFFIX } from './sim-fixtures';

function pods(yaml: string, profile = DEFAULT_PROFILE) {
  return simulatePods(docs(yaml), { profile });
}
const names = (list: readonly SimPod[]) => list.map((p) => `${p.ref.namespace}/${p.ref.name}`);

const deployment = (name: string, replicas?: number, extra = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  ${replicas === undefined ? '' : `replicas: ${replicas}`}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: main, image: nginx${extra}}]
`;

test('Deployment -> ReplicaSet <deploy>-<hash> -> pods <rs>-<5 chars>; replicas default 1, 0 gives none', () => {
  const one = pods(deployment('web'));
  assert.equal(one.pods.length, 1);
  assert.equal(one.replicaSets.length, 1);
  const rs = one.replicaSets[0];
  const hash = rs.metadata!.labels!['pod-template-hash'];
  assert.match(hash, new RegExp(`^${SUFFIX}{1,10}$`));
  assert.equal(rs.metadata!.name, `web-${hash}`);
  assert.equal(rs.spec!.selector.matchLabels!['pod-template-hash'], hash);
  assert.deepEqual(rs.metadata!.ownerReferences!.map((o) => `${o.kind}/${o.name}`), ['Deployment/web']);
  const pod = one.pods[0];
  assert.match(pod.ref.name, new RegExp(`^web-${hash}-${SUFFIX}{5}$`));
  assert.deepEqual(pod.pod.metadata!.labels, { app: 'web', 'pod-template-hash': hash });
  assert.deepEqual(pod.pod.metadata!.ownerReferences!.map((o) => `${o.kind}/${o.name}/${o.controller}`), [`ReplicaSet/web-${hash}/true`]);
  assert.deepEqual(pod.owner.workload, { kind: 'Deployment', group: 'apps', namespace: 'shop', name: 'web' });
  assert.deepEqual(pod.owner.templatePath, ['spec', 'template']);
  assert.equal(pod.owner.controller?.name, `web-${hash}`);
  assert.equal(pod.origin, 'simulated');
  assert.equal(pod.ready, true);

  assert.equal(pods(deployment('web', 0)).pods.length, 0);
  const three = pods(deployment('web', 3));
  assert.equal(three.pods.length, 3);
  assert.equal(new Set(names(three.pods)).size, 3);
});

test('pod-template-hash depends on the template only', () => {
  const a = pods(deployment('web', 2)).replicaSets[0].metadata!.name;
  assert.equal(pods(deployment('web', 5)).replicaSets[0].metadata!.name, a, 'replicas are not part of the template');
  assert.notEqual(pods(deployment('web', 2, ':1.27')).replicaSets[0].metadata!.name, a, 'an image change is');
});

test('ReplicaSet and ReplicationController: <name>-<5 chars>', () => {
  const r = pods(`
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs}
spec: {replicas: 2, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: x}]}}}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc}
spec: {template: {metadata: {labels: {c: d}}, spec: {containers: [{name: c, image: x}]}}}
`);
  assert.deepEqual(r.pods.map((p) => p.ref.name.replace(new RegExp(`${SUFFIX}{5}$`), '*')), ['rc-*', 'rs-*', 'rs-*']);
  assert.deepEqual(r.pods.map((p) => p.owner.workload.kind), ['ReplicationController', 'ReplicaSet', 'ReplicaSet']);
});

test('StatefulSet: ordinals from spec.ordinals.start, hostname/subdomain, identity labels (spec c.2)', () => {
  const r = pods(`
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: data}
spec:
  serviceName: db-headless
  replicas: 2
  ordinals: {start: 5}
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: pg, image: postgres}]}
`);
  assert.deepEqual(names(r.pods), ['data/db-5', 'data/db-6']);
  for (const [i, p] of r.pods.entries()) {
    assert.equal(p.pod.spec!.hostname, `db-${5 + i}`);
    assert.equal(p.pod.spec!.subdomain, 'db-headless');
    const labels = p.pod.metadata!.labels!;
    assert.equal(labels['statefulset.kubernetes.io/pod-name'], `db-${5 + i}`);
    assert.equal(labels['apps.kubernetes.io/pod-index'], String(5 + i));
    assert.match(labels['controller-revision-hash'], new RegExp(`^db-${SUFFIX}+$`));
    assert.equal(labels.app, 'db');
  }
  const noService = pods(`
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: s}
spec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: x}]}}}
`);
  assert.deepEqual(names(noService.pods), ['default/s-0']);
  assert.equal(noService.pods[0].pod.spec!.subdomain, undefined, 'no serviceName, no subdomain');
});

const daemonSet = (spec: string) => `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: a, image: x}]
${spec}
`;
const nodesOf = (list: readonly SimPod[]) => list.map((p) => p.nodeName).sort();

test('DaemonSet: one pod per eligible node (taints, tolerations, nodeSelector, node affinity)', () => {
  assert.deepEqual(nodesOf(pods(daemonSet('')).pods), ['kind-worker', 'kind-worker2'], 'control plane is tainted');
  assert.deepEqual(
    nodesOf(pods(daemonSet('      tolerations: [{operator: Exists}]')).pods),
    ['kind-control-plane', 'kind-worker', 'kind-worker2'],
    'a key-less Exists toleration tolerates every taint',
  );
  assert.deepEqual(
    nodesOf(pods(daemonSet('      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]')).pods),
    ['kind-control-plane', 'kind-worker', 'kind-worker2'],
  );
  assert.deepEqual(
    nodesOf(pods(daemonSet('      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoExecute}]')).pods),
    ['kind-worker', 'kind-worker2'],
    'a toleration for another effect does not help',
  );
  assert.deepEqual(nodesOf(pods(daemonSet('      nodeSelector: {kubernetes.io/hostname: kind-worker2}')).pods), ['kind-worker2']);
  assert.deepEqual(
    nodesOf(pods(daemonSet(`      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions: [{key: kubernetes.io/hostname, operator: NotIn, values: [kind-worker]}]`)).pods),
    ['kind-worker2'],
  );
  const r = pods(daemonSet('      nodeSelector: {disktype: ssd}'));
  assert.equal(r.pods.length, 0);
  assert.deepEqual(r.problems.map((p) => p.message), [
    "DaemonSet runs no pod: 0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector.",
  ]);
  const p = pods(daemonSet('')).pods[0];
  assert.equal(p.pod.metadata!.labels!['pod-template-generation'], '1');
  assert.match(p.pod.metadata!.labels!['controller-revision-hash'], new RegExp(`^${SUFFIX}+$`));
  assert.match(p.ref.name, new RegExp(`^agent-${SUFFIX}{5}$`));
});

test('required node affinity: terms ORed, expressions ANDed, matchFields metadata.name, empty term matches nothing', () => {
  const withAffinity = (terms: string) => pods(`
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: x}]
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
${terms}
`);
  const placed = (terms: string) => withAffinity(terms).pods[0].nodeName;
  assert.equal(placed('        - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [kind-worker2]}]'), 'kind-worker2');
  assert.equal(placed('        - matchFields: [{key: metadata.name, operator: In, values: [kind-worker]}]'), 'kind-worker');
  assert.equal(placed(`        - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [nope]}]
        - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [kind-worker2]}]`), 'kind-worker2');
  assert.equal(placed(`        - matchExpressions:
          - {key: kubernetes.io/os, operator: In, values: [linux]}
          - {key: kubernetes.io/hostname, operator: NotIn, values: [kind-worker2]}`), 'kind-worker');
  assert.equal(placed('        - matchExpressions: [{key: zone, operator: DoesNotExist}, {key: kubernetes.io/hostname, operator: In, values: [kind-worker]}]'), 'kind-worker');
  const none = withAffinity('        - {}');
  assert.equal(none.pods[0].nodeName, undefined);
  assert.equal(none.pods[0].ready, false);
  assert.equal(none.pods[0].pod.status!.phase, 'Pending');
  assert.deepEqual(none.pods[0].podIPs, []);
  assert.equal(none.problems.length, 1);
});

test('Job: min(parallelism, completions) pods, labels; Indexed names; suspend gives none', () => {
  const job = (spec: string) => pods(`
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: ops, uid: 11111111-2222-4333-8444-555555555555}
spec:
${spec}
  template:
    metadata: {labels: {app: migrate}}
    spec: {restartPolicy: Never, containers: [{name: c, image: x}]}
`);
  assert.equal(job('  parallelism: 2\n  completions: 5').pods.length, 2);
  assert.equal(job('  parallelism: 3\n  completions: 1').pods.length, 1);
  assert.equal(job('  parallelism: 3').pods.length, 3, 'no completions: parallelism pods');
  assert.equal(job('  completions: 4').pods.length, 1, 'parallelism defaults to 1');
  assert.equal(job('  suspend: true').pods.length, 0);
  assert.equal(job('  parallelism: 0').pods.length, 0);
  const p = job('  parallelism: 1').pods[0];
  assert.deepEqual(p.pod.metadata!.labels, {
    app: 'migrate',
    'batch.kubernetes.io/controller-uid': '11111111-2222-4333-8444-555555555555',
    'batch.kubernetes.io/job-name': 'migrate',
    'controller-uid': '11111111-2222-4333-8444-555555555555',
    'job-name': 'migrate',
  });
  assert.match(p.ref.name, new RegExp(`^migrate-${SUFFIX}{5}$`));
  const indexed = job('  completionMode: Indexed\n  parallelism: 2\n  completions: 2').pods;
  assert.deepEqual(indexed.map((x) => x.pod.metadata!.labels!['batch.kubernetes.io/job-completion-index']).sort(), ['0', '1']);
  for (const x of indexed) {
    const i = x.pod.metadata!.labels!['batch.kubernetes.io/job-completion-index'];
    assert.match(x.ref.name, new RegExp(`^migrate-${i}-${SUFFIX}{5}$`));
    assert.equal(x.pod.spec!.hostname, `migrate-${i}`);
  }
});

test('CronJob: one Job <cronjob>-<n> from the job template, its pods; suspended gives none', () => {
  const cron = (suspend: boolean) => pods(`
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: ops}
spec:
  schedule: "0 * * * *"
  suspend: ${suspend}
  jobTemplate:
    metadata: {labels: {team: data}}
    spec:
      template:
        metadata: {labels: {app: report}}
        spec: {restartPolicy: OnFailure, containers: [{name: c, image: x}]}
`);
  const r = cron(false);
  assert.equal(r.jobs.length, 1);
  const jobName = r.jobs[0].metadata!.name!;
  assert.match(jobName, /^report-\d{8}$/);
  assert.deepEqual(r.jobs[0].metadata!.ownerReferences!.map((o) => `${o.kind}/${o.name}`), ['CronJob/report']);
  assert.equal(r.pods.length, 1);
  assert.equal(r.pods[0].pod.metadata!.labels!['job-name'], jobName);
  assert.deepEqual(r.pods[0].owner.templatePath, ['spec', 'jobTemplate', 'spec', 'template']);
  assert.equal(r.pods[0].owner.workload.kind, 'CronJob');
  assert.equal(r.pods[0].owner.controller?.name, jobName);
  assert.equal(cron(true).pods.length, 0);
});

test('Pod as is: keeps nodeName, podIPs, conditions, phase, deletionTimestamp', () => {
  const r = pods(`
apiVersion: v1
kind: Pod
metadata: {name: fixed, namespace: a}
spec: {nodeName: kind-worker2, containers: [{name: c, image: x}]}
status:
  phase: Running
  podIP: 10.244.2.7
  podIPs: [{ip: 10.244.2.7}]
  conditions: [{type: Ready, status: "False"}]
---
apiVersion: v1
kind: Pod
metadata: {name: done, namespace: a}
spec: {containers: [{name: c, image: x}]}
status: {phase: Succeeded}
---
apiVersion: v1
kind: Pod
metadata: {name: going, namespace: a, deletionTimestamp: "2024-01-01T00:00:00Z"}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: plain, namespace: a}
spec: {containers: [{name: c, image: x}]}
`);
  const by = Object.fromEntries(r.pods.map((p) => [p.ref.name, p]));
  assert.equal(by.fixed.nodeName, 'kind-worker2');
  assert.deepEqual(by.fixed.podIPs, ['10.244.2.7']);
  assert.equal(by.fixed.ready, false);
  assert.equal(by.fixed.origin, 'workspace');
  assert.deepEqual(by.fixed.owner, { workload: { kind: 'Pod', group: '', namespace: 'a', name: 'fixed' }, templatePath: [] });
  assert.equal(by.done.ready, false, 'Succeeded is not ready');
  assert.equal(by.going.terminating, true);
  assert.equal(by.plain.ready, true, 'no status: ready unless it says otherwise');
  assert.equal(by.plain.pod.status!.phase, 'Running');
  assert.deepEqual(by.plain.pod.status!.conditions!.find((c) => c.type === 'Ready'), { type: 'Ready', status: 'True' });
});

test('pod IPs: inside the node pod CIDR, never network/gateway/broadcast, unique; hostNetwork uses the node IP', () => {
  const many = Array.from({ length: 60 }, (_, i) => `
apiVersion: v1
kind: Pod
metadata: {name: p${i}}
spec: {containers: [{name: c, image: x}]}`).join('\n---\n');
  const r = pods(`${many}
---
apiVersion: v1
kind: Pod
metadata: {name: host}
spec: {hostNetwork: true, nodeName: kind-worker, containers: [{name: c, image: x}]}
`);
  const seen = new Set<string>();
  for (const p of r.pods) {
    assert.equal(p.podIPs.length, 1, p.ref.name);
    const ip = p.podIPs[0];
    if (p.ref.name === 'host') {
      assert.equal(ip, '172.18.0.3');
      continue;
    }
    const node = DEFAULT_PROFILE.nodes.find((n) => n.name === p.nodeName)!;
    assert.ok(cidrContains(parseCIDR(node.podCIDR)!, parseIP(ip)!), `${ip} in ${node.podCIDR}`);
    const last = Number(ip.split('.')[3]);
    assert.ok(last >= 2 && last <= 254, ip);
    assert.ok(!seen.has(ip), `unique ${ip}`);
    seen.add(ip);
    assert.equal(p.pod.status!.podIP, ip);
    assert.equal(p.pod.status!.hostIP, node.internalIP);
  }
  assert.ok(!r.pods.some((p) => p.nodeName === 'kind-control-plane'), 'ordinary pods avoid the tainted control plane');
});

test('explicit pod IPs are reserved: no simulated pod gets one', () => {
  const taken = Array.from({ length: 252 }, (_, i) => `
apiVersion: v1
kind: Pod
metadata: {name: t${i}}
spec: {nodeName: kind-worker, containers: [{name: c, image: x}]}
status: {podIP: 10.244.1.${i + 2}}`).join('\n---\n');
  const r = pods(`${taken}
---
apiVersion: v1
kind: Pod
metadata: {name: newcomer}
spec: {nodeName: kind-worker, containers: [{name: c, image: x}]}
`);
  const newcomer = r.pods.find((p) => p.ref.name === 'newcomer')!;
  assert.deepEqual(newcomer.podIPs, ['10.244.1.254'], 'the only free host address of 10.244.1.0/24 left');
});

test('deterministic, independent of input order, stable under unrelated edits', () => {
  const base = `${deployment('web', 3)}---${deployment('api', 2)}---${daemonSet('')}`;
  const a = pods(base);
  assert.deepEqual(pods(base), a);
  const objects = docs(base);
  assert.deepEqual(simulatePods(shuffled(objects), { profile: DEFAULT_PROFILE }), a);
  const edited = pods(`${base}---${deployment('extra', 4)}`);
  for (const p of a.pods) {
    const same = edited.pods.find((q) => q.ref.name === p.ref.name);
    assert.ok(same, `${p.ref.name} still exists`);
    assert.equal(same.nodeName, p.nodeName, `${p.ref.name} keeps its node`);
    assert.deepEqual(same.podIPs, p.podIPs, `${p.ref.name} keeps its IP`);
  }
});

test('children already in the input: the owner generates none (a dump of a live cluster)', () => {
  const r = pods(`${deployment('web', 2)}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-abc12
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: u1, controller: true}]
spec: {replicas: 1, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: x}]}}}
`);
  assert.equal(r.replicaSets.length, 0);
  assert.equal(r.pods.length, 1);
  assert.equal(r.pods[0].owner.workload.kind, 'ReplicaSet');
});

test('malformed workloads are reported, never thrown on', () => {
  const r = simulatePods(
    [null, 1, 'x', [], { kind: 'Deployment' }, { kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: -1, template: {} } },
      { kind: 'StatefulSet', metadata: { name: 's' }, spec: { replicas: 'two', template: { spec: { containers: 'x' } } } },
      { kind: 'DaemonSet', metadata: { name: 'ds' }, spec: {} },
      { kind: 'Pod', metadata: { name: 'p' }, spec: { nodeSelector: 'x', tolerations: 'y', affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: 'z' } } } } }],
    { profile: DEFAULT_PROFILE },
  );
  assert.deepEqual(r.problems.map((p) => `${p.object.kind}/${p.object.name} ${p.field ?? ''}`), [
    'DaemonSet/ds spec.template',
    'Deployment/d spec.replicas',
    'Pod/p ',
    'StatefulSet/s spec.replicas',
  ]);
});

test('a custom profile: pods land on its nodes and in their ranges', () => {
  const { profile } = parseProfile({ profile: {
    podCIDR: '10.50.0.0/16',
    nodes: [{ name: 'solo', internalIP: '192.168.5.5', podCIDR: '10.50.7.0/24' }],
  } });
  const r = pods(deployment('web', 2), profile);
  for (const p of r.pods) {
    assert.equal(p.nodeName, 'solo');
    assert.match(p.podIPs[0], /^10\.50\.7\.\d+$/);
  }
});
