// The generated kube-proxy rules in a real kernel. For each mode, `kubeglass rules` prints the
// ruleset of one node of a small workspace; the test loads it into the node namespace of a lab
// (lab.ts: an outside client, the node, four pods with TCP echo servers, addresses matching the
// workspace) and opens real connections. Expectations come from the workspace by hand, per
// Kubernetes semantics (spec kube-proxy.md sections 2-5), never from our own output:
// - `shop/web` selects web-a, web-b (ready) and web-c (Ready=False): ClusterIP and NodePort
//   connections reach only web-a and web-b, on the containerPort named `http` (8080, not the
//   9090 every pod also serves), and both of them within 60 connections;
// - pod-to-ClusterIP traffic keeps the pod's source address (ClusterCIDR local detector);
//   NodePort traffic from outside is masqueraded; a pod reaching itself through its Service
//   (hairpin) is masqueraded, otherwise its own reply would bypass the DNAT;
// - `shop/db` reaches only db-0 on targetPort 9090;
// - `shop/empty` selects nothing: connections are rejected (refused at once, not timed out).
// A control before loading shows that without the rules neither address answers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../support/cli';
import {
  nodeIptablesRuleset,
  renderIptablesRestore,
  type IptablesChainDecl,
  type IptablesRuleset,
  type IptablesTable,
  type IptablesTableName,
} from '../../server/src/engine/simulate/kube-proxy/iptables';
import { Lab, missingCapability, type LabPlan, type ProbeResult } from './lab';

const nodeName = 'kg-node';
const nodeIP = '192.168.50.1';
const clientIP = '192.168.50.2';
const podGateway = '10.244.1.1';
const echoPorts = [8080, 9090];
const pods = [
  { name: 'web-a', ip: '10.244.1.11', app: 'web', ready: true },
  { name: 'web-b', ip: '10.244.1.12', app: 'web', ready: true },
  { name: 'web-c', ip: '10.244.1.14', app: 'web', ready: false },
  { name: 'db-0', ip: '10.244.1.13', app: 'db', ready: true },
] as const;
const web = { clusterIP: '10.96.100.10', port: 80, nodePort: 30080, targetPort: 8080 };
const db = { clusterIP: '10.96.100.20', port: 5432, targetPort: 9090 };
const empty = { clusterIP: '10.96.100.30', port: 80 };
/** Enough for two endpoints to both show up: P(one never chosen) = 2 * 0.5^60. */
const spreadCount = 60;
/** Local links answer in milliseconds; the bounds only keep a broken data path from stalling the run. */
const connectTimeoutMs = 1000;
const probeDeadlineMs = 6000;

const workspace = `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: NodePort
  clusterIP: ${web.clusterIP}
  selector: {app: web}
  ports:
    - {name: http, port: ${web.port}, targetPort: http, nodePort: ${web.nodePort}}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  clusterIP: ${db.clusterIP}
  selector: {app: db}
  ports:
    - {name: pg, port: ${db.port}, targetPort: ${db.targetPort}}
---
apiVersion: v1
kind: Service
metadata: {name: empty, namespace: shop}
spec:
  clusterIP: ${empty.clusterIP}
  selector: {app: nothing}
  ports:
    - {port: ${empty.port}, targetPort: 8080}
${pods.map((p) => `---
apiVersion: v1
kind: Pod
metadata: {name: ${p.name}, namespace: shop, labels: {app: ${p.app}}}
spec:
  nodeName: ${nodeName}
  containers:
    - name: echo
      image: echo
      ports: [{name: http, containerPort: 8080}, {name: alt, containerPort: 9090}]
status:
  phase: Running
  podIP: ${p.ip}
  conditions: [{type: Ready, status: "${p.ready ? 'True' : 'False'}"}]
`).join('')}`;

const profile = `
profile:
  serviceCIDRs: [10.96.0.0/16]
  podCIDRs: [10.244.0.0/16]
  nodes:
    - name: ${nodeName}
      internalIP: ${nodeIP}
      podCIDR: 10.244.1.0/24
  kubeProxy:
    node: ${nodeName}
    localDetector: {mode: ClusterCIDR, clusterCIDR: 10.244.0.0/16}
`;

const modes = [
  { mode: 'iptables', loaders: ['iptables-restore'] },
  { mode: 'nftables', loaders: ['nft'] },
] as const;

for (const { mode, loaders } of modes) {
  const skip = missingCapability(loaders);
  if (skip) console.log(`dataplane ${mode}: skipped: ${skip}`);

  describe(`kube-proxy ${mode} rules in a real kernel`, { skip }, () => {
    const plan: LabPlan = {
      prefix: `kgdp${process.pid}-${mode.slice(0, 3)}`,
      nodeIP,
      clientIP,
      linkPrefix: 24,
      podGateway,
      pods: pods.map((p) => ({ name: p.name, ip: p.ip, ports: echoPorts })),
      serverTtlMs: 120000,
    };
    const lab = new Lab(plan);
    const onExit = () => lab.tearDownNow();
    let dir = '';

    before(async () => {
      process.on('exit', onExit);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-dataplane-'));
      await lab.build();
    });

    after(async () => {
      await lab.tearDown();
      process.off('exit', onExit);
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    test('without the rules, neither the ClusterIP nor the NodePort answers', () => {
      assertNoReply(lab.probe(lab.node, web.clusterIP, web.port, 1, connectTimeoutMs, probeDeadlineMs), 'ClusterIP from the node');
      assertNoReply(lab.probe(lab.client, nodeIP, web.nodePort, 1, connectTimeoutMs, probeDeadlineMs), 'NodePort from the client');
    });

    test(`kubeglass rules --mode ${mode} loads into the node namespace`, () => {
      fs.writeFileSync(path.join(dir, 'shop.yaml'), workspace);
      fs.writeFileSync(path.join(dir, 'profile.yaml'), profile);
      const r = runCli(['rules', path.join(dir, 'shop.yaml'), '--mode', mode, '--profile', path.join(dir, 'profile.yaml'), '--node', nodeName]);
      assert.equal(r.status, 0, r.stderr);
      const load = mode === 'iptables'
        // The restore data plus the jumps from the built-in chains kube-proxy installs beside it.
        ? lab.exec(lab.node, ['iptables-restore'], renderIptablesRestore(nodeIptablesRuleset(parseRestoreData(r.stdout))))
        // kube-proxy's nftables transaction is loadable as printed.
        : lab.exec(lab.node, ['nft', '-f', '-'], r.stdout);
      assert.equal(load.status, 0, `${mode} load failed:\n${load.stderr}`);
    });

    test('ClusterIP from the node (nat OUTPUT) reaches both ready web pods on port 8080', () => {
      const results = lab.probe(lab.node, web.clusterIP, web.port, spreadCount, connectTimeoutMs, probeDeadlineMs);
      assertSpread(results, ['web-a', 'web-b'], web.targetPort, 'web ClusterIP from the node');
    });

    test('ClusterIP from a pod of another Service (nat PREROUTING, forwarded) keeps the pod source', () => {
      const results = lab.probe(lab.podNamespace('db-0'), web.clusterIP, web.port, spreadCount, connectTimeoutMs, probeDeadlineMs);
      const replies = assertSpread(results, ['web-a', 'web-b'], web.targetPort, 'web ClusterIP from db-0');
      for (const r of replies) assert.equal(r.source, podIP('db-0'), `not masqueraded: ${r.line}`);
    });

    test('NodePort from outside the node reaches both ready web pods, masqueraded', () => {
      const results = lab.probe(lab.client, nodeIP, web.nodePort, spreadCount, connectTimeoutMs, probeDeadlineMs);
      const replies = assertSpread(results, ['web-a', 'web-b'], web.targetPort, 'web NodePort from the client');
      for (const r of replies) assert.ok([nodeIP, podGateway].includes(r.source), `masqueraded to a node address: ${r.line}`);
    });

    test('a pod reaching its own Service gets itself back masqueraded (hairpin), the other pod unmasqueraded', () => {
      const results = lab.probe(lab.podNamespace('web-a'), web.clusterIP, web.port, spreadCount, connectTimeoutMs, probeDeadlineMs);
      const replies = assertSpread(results, ['web-a', 'web-b'], web.targetPort, 'web ClusterIP from web-a');
      for (const r of replies) {
        if (r.pod === 'web-a') assert.notEqual(r.source, podIP('web-a'), `hairpin masqueraded: ${r.line}`);
        else assert.equal(r.source, podIP('web-a'), `not masqueraded: ${r.line}`);
      }
    });

    test('ClusterIP of db reaches only db-0 on targetPort 9090', () => {
      const results = lab.probe(lab.podNamespace('web-b'), db.clusterIP, db.port, 10, connectTimeoutMs, probeDeadlineMs);
      assertSpread(results, ['db-0'], db.targetPort, 'db ClusterIP from web-b');
    });

    test('a Service without endpoints is rejected, from the node and from a pod', () => {
      for (const from of [lab.node, lab.podNamespace('db-0')]) {
        const results = lab.probe(from, empty.clusterIP, empty.port, 3, connectTimeoutMs, probeDeadlineMs);
        assert.deepEqual(results, [{ error: 'ECONNREFUSED' }, { error: 'ECONNREFUSED' }, { error: 'ECONNREFUSED' }], `empty ClusterIP from ${from}`);
      }
    });
  });
}

interface Reply {
  readonly line: string;
  readonly pod: string;
  readonly port: number;
  readonly source: string;
}

/**
 * Every connection answered, only by `expectedPods`, only on `port`, each expected pod at least
 * once. Returns the parsed replies.
 */
function assertSpread(results: readonly ProbeResult[], expectedPods: readonly string[], port: number, what: string): Reply[] {
  const tally = new Map<string, number>();
  const replies: Reply[] = [];
  for (const r of results) {
    const key = 'reply' in r ? r.reply.split(' ').slice(0, 2).join(':') : `error ${r.error}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
    if ('reply' in r) {
      const [pod, localPort, source] = r.reply.split(' ');
      replies.push({ line: r.reply, pod, port: Number(localPort), source });
    }
  }
  const summary = `${what}: ${[...tally].map(([k, n]) => `${k} x${n}`).join(', ')}`;
  assert.equal(replies.length, results.length, `every connection answered; ${summary}`);
  for (const r of replies) {
    assert.ok(expectedPods.includes(r.pod), `only ${expectedPods.join(', ')} answer; ${summary}`);
    assert.equal(r.port, port, `target port ${port}; ${summary}`);
  }
  for (const pod of expectedPods) assert.ok(replies.some((r) => r.pod === pod), `${pod} chosen at least once; ${summary}`);
  return replies;
}

function assertNoReply(results: readonly ProbeResult[], what: string): void {
  for (const r of results) assert.ok(!('reply' in r), `${what} answered without rules: ${JSON.stringify(r)}`);
}

function podIP(name: string): string {
  return pods.find((p) => p.name === name)!.ip;
}

/** `kubeglass rules --mode iptables` output (filter and nat restore data) as an `IptablesRuleset`. */
function parseRestoreData(text: string): IptablesRuleset {
  const tables: IptablesTable[] = [];
  let current: { name: IptablesTableName; chains: IptablesChainDecl[]; rules: string[] } | undefined;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      assert.equal(current, undefined, `table ${line} opened before COMMIT`);
      current = { name: line.slice(1) as IptablesTableName, chains: [], rules: [] };
      continue;
    }
    assert.ok(current, `line outside a table: ${line}`);
    if (line === 'COMMIT') {
      tables.push(current);
      current = undefined;
    } else if (line.startsWith(':')) {
      const [name, policy] = line.slice(1).split(' ');
      current.chains.push({ name, policy });
    } else if (line.startsWith('-A ')) {
      current.rules.push(line);
    } else {
      assert.fail(`unexpected restore line: ${line}`);
    }
  }
  assert.equal(current, undefined, 'restore data ends with COMMIT');
  assert.deepEqual(tables.map((t) => t.name), ['filter', 'nat']);
  return { family: 'IPv4', largeClusterMode: false, tables };
}
