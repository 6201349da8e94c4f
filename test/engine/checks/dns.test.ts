// DNS checks: dns-policy-host-network and dns-config-invalid. Expectations: spec/semantics.md e.4
// (getPodDNSType table: hostNetwork + ClusterFirst -> host resolver) and e.5 (API validation texts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSeverities } from '../../../server/src/engine/checks/registry';
import { checkDiagnostics, workspaceOf, applyFix } from '../../support/fixture';

const DNS_CODES = ['dns-policy-host-network', 'dns-config-invalid'];
/** Only this family's findings are compared (plus internal errors, which never have a known code). */
const only = { ignore: Object.keys(defaultSeverities()).filter((c) => !DNS_CODES.includes(c)) };

function findingsAfter(files: { uri: string; text: string }[]): string[] {
  const { ws } = workspaceOf({ files });
  return files.flatMap((f) => ws.diagnostics(f.uri).filter((d) => DNS_CODES.includes(d.code)).map((d) => `${d.code}: ${d.message}`));
}

test('dns-policy-host-network: unset policy, reported at hostNetwork, fixed by adding ClusterFirstWithHostNet', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /node/agent.yaml
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      hostNetwork: true
     #^^^^^^^^^^^ warning dns-policy-host-network: hostNetwork: true with dnsPolicy unset (ClusterFirst) falls back to dnsPolicy Default: the pod uses the node's resolv.conf and cannot resolve cluster names, yet it uses "collector.monitoring.svc"; use dnsPolicy: ClusterFirstWithHostNet
      containers: [{name: agent, image: agent, env: [{name: OTLP, value: "http://collector.monitoring.svc:4317"}]}]
`,
    only,
  );
  assert.equal(ws.text('file:///node/agent.yaml')!.slice(diagnostics[0].related[0].start, diagnostics[0].related[0].end), '"http://collector.monitoring.svc:4317"');
  const files = applyFix(ws, diagnostics[0].fixes[0]);
  assert.match(files[0].text, /4317"\}\]\}\]\n {6}dnsPolicy: ClusterFirstWithHostNet\n/);
  assert.deepEqual(findingsAfter(files), []);
});

test('dns-policy-host-network: information when the pod names no cluster host; Service hosts count', () => {
  checkDiagnostics(
    `
#- /node/agents.yaml
apiVersion: v1
kind: Pod
metadata: {name: exporter, namespace: mon}
spec: {hostNetwork: true, containers: [{name: c, args: [--web.listen-address=:9100], env: [{name: SERVICE, value: prometheus}]}]}
#      ^^^^^^^^^^^ info dns-policy-host-network: hostNetwork: true with dnsPolicy unset (ClusterFirst) falls back to dnsPolicy Default: the pod uses the node's resolv.conf and cannot resolve cluster names; use
---
apiVersion: v1
kind: Pod
metadata: {name: shipper, namespace: mon}
spec: {hostNetwork: true, containers: [{name: c, args: [--target, "prometheus:9090"]}]}
#      ^^^^^^^^^^^ warning dns-policy-host-network: hostNetwork: true with dnsPolicy unset (ClusterFirst) falls back to dnsPolicy Default: the pod uses the node's resolv.conf and cannot resolve cluster names, yet it uses "prometheus"
---
apiVersion: v1
kind: Pod
metadata: {name: pusher, namespace: mon}
spec: {hostNetwork: true, containers: [{name: c, command: [push, "https://user@prometheus/api"]}]}
#      ^^^^^^^^^^^ warning dns-policy-host-network: hostNetwork: true with dnsPolicy unset (ClusterFirst) falls back to dnsPolicy Default: the pod uses the node's resolv.conf and cannot resolve cluster names, yet it uses "prometheus"
---
apiVersion: v1
kind: Service
metadata: {name: prometheus, namespace: mon}
spec: {ports: [{port: 9090}]}
`,
    only,
  );
});

test('dns-policy-host-network: an explicit ClusterFirst is replaced; other policies and no hostNetwork pass', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /pods.yaml
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x}
spec: {hostNetwork: true, dnsPolicy: ClusterFirst, containers: [{name: c}]}
#                                    ^^^^^^^^^^^^ info dns-policy-host-network: hostNetwork: true with dnsPolicy ClusterFirst falls back
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x}
spec: {hostNetwork: true, dnsPolicy: Default, containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: x}
spec: {hostNetwork: true, dnsPolicy: ClusterFirstWithHostNet, containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: d, namespace: x}
spec: {hostNetwork: false, containers: [{name: c}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: e, namespace: x}
spec:
  schedule: "* * * * *"
  jobTemplate: {spec: {template: {spec: {hostNetwork: true, dnsPolicy: "", containers: [{name: c}]}}}}
  #                                      ^^^^^^^^^^^ info dns-policy-host-network: hostNetwork: true with dnsPolicy unset (ClusterFirst)
`,
    only,
  );
  const files = applyFix(ws, diagnostics[0].fixes[0]);
  assert.match(files[0].text, /dnsPolicy: ClusterFirstWithHostNet, containers/);
  assert.deepEqual(findingsAfter(files).length, 1); // the CronJob's finding remains
});

test('dns-config-invalid: the API server texts at the offending fields', () => {
  checkDiagnostics(
    `
#- /pods.yaml
apiVersion: v1
kind: Pod
metadata: {name: none-without-config, namespace: x}
spec: {dnsPolicy: None, containers: [{name: c}]}
#                 ^^^^ error dns-config-invalid: spec.dnsConfig: Required value: must provide \`dnsConfig\` when \`dnsPolicy\` is None
---
apiVersion: v1
kind: Pod
metadata: {name: none-without-nameservers, namespace: x}
spec:
  dnsPolicy: None
  dnsConfig: {searches: [a.example]}
  #          ^^^^^^^^^^^^^^^^^^^^^^^ error dns-config-invalid: spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when \`dnsPolicy\` is None
  containers: [{name: c}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: too-many, namespace: x}
spec:
  selector: {matchLabels: {app: t}}
  template:
    metadata: {labels: {app: t}}
    spec:
      dnsPolicy: Cluster
      #          ^^^^^^^ error dns-config-invalid: spec.template.spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"
      dnsConfig:
        nameservers: [1.1.1.1, 8.8.8.8, 9.9.9.9, not-an-ip]
        #            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error dns-config-invalid: spec.template.spec.dnsConfig.nameservers: Invalid value: ["1.1.1.1","8.8.8.8","9.9.9.9","not-an-ip"]: must not have more than 3 nameservers
        #                                        ^^^^^^^^^ error dns-config-invalid: spec.template.spec.dnsConfig.nameservers[3]: Invalid value: "not-an-ip"
        searches: [Bad_Domain.]
        #          ^^^^^^^^^^^ error dns-config-invalid: spec.template.spec.dnsConfig.searches[0]: Invalid value: "Bad_Domain": a lowercase RFC 1123 subdomain
        options: [{name: ndots, value: "2"}, {value: "1"}]
        #                                    ^^^^^^^^^^^^ error dns-config-invalid: spec.template.spec.dnsConfig.options[1]: Required value: must not be empty
      containers: [{name: c}]
---
apiVersion: v1
kind: Pod
metadata: {name: fine, namespace: x}
spec:
  dnsPolicy: None
  dnsConfig: {nameservers: [10.0.0.10], searches: [svc.cluster.local.], options: [{name: ndots, value: "2"}]}
  containers: [{name: c}]
---
apiVersion: v1
kind: Pod
metadata: {name: nulls, namespace: x}
spec: {dnsPolicy: null, dnsConfig: null, containers: null}
`,
    only,
  );
});

test('dns-config-invalid: more than 32 search paths and an over-long search list', () => {
  const searches = Array.from({ length: 33 }, (_, i) => `s${i}.example`);
  const long = ['a'.repeat(63), 'b'.repeat(63)].join('.');
  // 17 names of 127 characters: 17 * 127 + 16 spaces = 2175 > 2048, with no more than 32 paths.
  const longList = Array.from({ length: 17 }, () => long);
  const { diagnostics } = workspaceCheck(`apiVersion: v1
kind: Pod
metadata: {name: p, namespace: x}
spec:
  dnsConfig:
    searches: [${searches.join(', ')}]
  containers: [{name: c}]
---
apiVersion: v1
kind: Pod
metadata: {name: q, namespace: x}
spec:
  dnsConfig:
    searches: [${longList.join(', ')}]
  containers: [{name: c}]
`);
  assert.deepEqual(
    diagnostics.map((d) => d.message.replace(/: \[.*\]: /, ': [...]: ')),
    [
      'spec.dnsConfig.searches: Invalid value: [...]: must not have more than 32 search paths',
      'spec.dnsConfig.searches: Invalid value: [...]: must not have more than 2048 characters (including spaces) in the search list',
    ],
  );
});

function workspaceCheck(text: string) {
  const { ws } = workspaceOf({ files: [{ uri: 'file:///p.yaml', text }] });
  return { ws, diagnostics: ws.diagnostics('file:///p.yaml').filter((d) => DNS_CODES.includes(d.code)) };
}
