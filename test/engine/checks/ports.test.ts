// Port checks: target-port-name-not-found, target-port-protocol-mismatch,
// target-port-number-not-declared, service-port-invalid, probe-port-not-found; and the port
// semantics they share (semantics/ports.ts). Expectations: spec/semantics.md b.1 (defaulting:
// targetPort absent/0/"" -> port, protocol TCP), b.2 (the API's Service errors, quoted there),
// b.4 (named targetPort resolution: name and protocol, containers then sidecar init containers),
// 0.3 (port-name and DNS-1123 label messages); the node-port allocator text and the kubelet's
// per-container probe port lookup (`port <name> not found`) from the Kubernetes sources; hand
// derivation for the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSeverities } from '../../../server/src/engine/checks/registry';
import { checkDiagnostics, workspaceOf, applyFix, spanText } from '../../support/fixture';
import { portProtocol, resolveNamedTargetPort, servicePortTarget } from '../../../server/src/engine/semantics/ports';
import { podTemplateOf } from '../../../server/src/engine/model/pod-template';

const CODES = ['target-port-name-not-found', 'target-port-protocol-mismatch', 'target-port-number-not-declared', 'service-port-invalid', 'probe-port-not-found'];
const only = { ignore: Object.keys(defaultSeverities()).filter((c) => !CODES.includes(c)) };

function findingsAfter(files: { uri: string; text: string }[]): string[] {
  const { ws } = workspaceOf({ files });
  return files.flatMap((f) => ws.diagnostics(f.uri).filter((d) => CODES.includes(d.code) || d.code === 'internal-error').map((d) => `${d.code}: ${d.message}`));
}

/** A Deployment `name` in namespace `shop` labelled app=<name>, with the given containers (flow YAML). */
function deployment(name: string, containers: string, extraSpec = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}, tier: backend}}
    spec:${extraSpec}
      containers: ${containers}`;
}

// ---------------------------------------------------------------------------------------------
// semantics/ports.ts

test('ports: targetPort defaulting and named resolution order (spec b.1, b.4)', () => {
  const cases: Array<{ name: string; port: unknown; want: ReturnType<typeof servicePortTarget> }> = [
    { name: 'absent', port: { port: 80 }, want: { kind: 'number', port: 80, defaulted: true } },
    { name: 'zero', port: { port: 80, targetPort: 0 }, want: { kind: 'number', port: 80, defaulted: true } },
    { name: 'empty string', port: { port: 80, targetPort: '' }, want: { kind: 'number', port: 80, defaulted: true } },
    { name: 'number', port: { port: 80, targetPort: 8080 }, want: { kind: 'number', port: 8080, defaulted: false } },
    { name: 'name', port: { port: 80, targetPort: 'http' }, want: { kind: 'name', name: 'http' } },
    { name: 'quoted number is a name', port: { port: 80, targetPort: '8080' }, want: { kind: 'name', name: '8080' } },
    { name: 'no port to default from', port: {}, want: { kind: 'invalid' } },
    { name: 'boolean', port: { port: 80, targetPort: true }, want: { kind: 'invalid' } },
    { name: 'not a mapping', port: null, want: { kind: 'invalid' } },
  ];
  for (const c of cases) assert.deepEqual(servicePortTarget(c.port), c.want, c.name);
  assert.equal(portProtocol({}), 'TCP');
  assert.equal(portProtocol({ protocol: 'UDP' }), 'UDP');

  const { ws } = workspaceOf(`
#- /p.yaml
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: x}
spec:
  initContainers:
    - {name: plain-init, ports: [{name: init, containerPort: 1}]}
    - {name: sidecar, restartPolicy: Always, ports: [{name: dns, containerPort: 53, protocol: UDP}, {name: side, containerPort: 2}]}
  containers:
    - {name: a, ports: [{name: dns, containerPort: 5353}, {name: web, containerPort: 80}]}
    - {name: b, ports: [{name: web, containerPort: 8080}]}
`);
  const template = podTemplateOf(ws.objects()[0])!;
  const found = (name: string, protocol: string) => {
    const r = resolveNamedTargetPort(template.ports, name, protocol);
    return r.kind === 'found' ? `${r.port.container}:${r.port.containerPort}` : r.kind;
  };
  assert.equal(found('web', 'TCP'), 'a:80', 'the first container wins');
  assert.equal(found('dns', 'TCP'), 'a:5353', 'name and protocol must both match');
  assert.equal(found('dns', 'UDP'), 'sidecar:53', 'sidecar init containers are searched after the containers');
  assert.equal(found('side', 'TCP'), 'sidecar:2');
  assert.equal(found('init', 'TCP'), 'missing', 'plain init containers are never searched');
  assert.equal(found('web', 'SCTP'), 'protocol-mismatch');
});

// ---------------------------------------------------------------------------------------------
// target-port-name-not-found

test('target-port-name-not-found: no selected container declares the name; the message lists what they declare', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /shop/web.yaml
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports:
    - {name: http, port: 80, targetPort: http}
      #                                  ^^^^ error target-port-name-not-found: targetPort 'http' is not a port name of any container in the pods selected by this Service (Deployment shop/web); they declare: metrics(9090/TCP), web(8080/TCP)
---
${deployment('web', '[{name: web, image: web, ports: [{name: web, containerPort: 8080}, {name: metrics, containerPort: 9090}]}]')}
`,
    only,
  );
  const d = diagnostics[0];
  assert.equal(d.related.length, 1);
  assert.equal(spanText(ws, d.related[0]), 'containers');
  assert.equal(d.fixes.length, 0, 'two candidate ports: no unambiguous replacement');
});

test('target-port-name-not-found: the one declared port is the fix, in the Service file', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /shop/svc.yaml
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: http}]
  #                              ^^^^ error target-port-name-not-found: targetPort 'http' is not a port name of any container
#- /shop/api.yaml
${deployment('api', '[{name: api, image: api, ports: [{name: http-api, containerPort: 8080}]}]')}
`,
    only,
  );
  const fix = diagnostics[0].fixes[0];
  assert.equal(fix.title, 'Use targetPort http-api');
  const files = applyFix(ws, fix);
  assert.match(files[1].text, /targetPort: http-api\}/);
  assert.deepEqual(findingsAfter(files), []);
});

test('target-port-name-not-found: some selected pods declare the name and others do not', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /shop/all.yaml
apiVersion: v1
kind: Service
metadata: {name: backend, namespace: shop}
spec:
  selector: {tier: backend}
  ports: [{port: 80, targetPort: http}]
  #                              ^^^^ error target-port-name-not-found: targetPort 'http' is not declared by Deployment shop/worker (declared ports: 9000/TCP); it is declared by Deployment shop/api; pods without it get no endpoint for this port
---
${deployment('api', '[{name: api, image: api, ports: [{name: http, containerPort: 8080}]}]')}
---
${deployment('worker', '[{name: worker, image: worker, ports: [{containerPort: 9000}]}]')}
`,
    only,
  );
  const related = diagnostics[0].related.map((r) => `${spanText(ws, r).split('\n')[0]} | ${r.message}`);
  assert.deepEqual(related, ["{name: http, containerPort: 8080} | 'http' is port 8080/TCP of container 'api' in Deployment shop/api", 'containers | Deployment shop/worker declares 9000/TCP']);
  assert.equal(diagnostics[0].fixes.length, 0, 'replacing the name would break the pods that have it');
});

test('target-port-name-not-found: sidecar init containers count, plain init containers do not; implicit namespaces cap at warning', () => {
  checkDiagnostics(
    `
#- /shop/sidecar.yaml
apiVersion: v1
kind: Service
metadata: {name: proxy, namespace: shop}
spec: {selector: {app: proxy}, ports: [{name: a, port: 80, targetPort: envoy}, {name: b, port: 81, targetPort: setup}]}
#                                                                                                              ^^^^^ error target-port-name-not-found: targetPort 'setup' is not a port name of any container
---
${deployment('proxy', '[{name: app, image: app}]', `
      initContainers:
        - {name: envoy, image: envoy, restartPolicy: Always, ports: [{name: envoy, containerPort: 15001}]}
        - {name: setup, image: setup, ports: [{name: setup, containerPort: 9}]}`)}
#- /implicit/svc.yaml
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}
#                                                           ^^^^ warning target-port-name-not-found
#- /implicit/web.yaml
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: default, labels: {app: web}}
spec: {containers: [{name: web, image: web, ports: [{name: web, containerPort: 80}]}]}
`,
    only,
  );
});

test('target-port-name-not-found: Services without pods, without selectors, or with invalid names are left to other checks', () => {
  checkDiagnostics(
    `
#- /x.yaml
apiVersion: v1
kind: Service
metadata: {name: nobody, namespace: x}
spec: {selector: {app: nobody}, ports: [{port: 80, targetPort: http}]}
---
apiVersion: v1
kind: Service
metadata: {name: manual, namespace: x}
spec: {ports: [{port: 80, targetPort: http}]}
---
apiVersion: v1
kind: Service
metadata: {name: bad-name, namespace: x}
spec: {selector: {app: a}, ports: [{port: 80, targetPort: Not_A_Name}]}
#                                                         ^^^^^^^^^^ error service-port-invalid: spec.ports[0].targetPort: Invalid value: "Not_A_Name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {app: a}}
spec: {containers: [{name: a, image: a, ports: [{name: web, containerPort: 80}]}]}
`,
    only,
  );
});

// ---------------------------------------------------------------------------------------------
// target-port-protocol-mismatch

test('target-port-protocol-mismatch: a UDP-only port behind a TCP Service port; the fix sets the protocol', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /dns.yaml
apiVersion: v1
kind: Service
metadata: {name: dns, namespace: shop}
spec:
  selector: {app: dns}
  ports:
    - name: dns
      port: 53
      targetPort: dns
      #           ^^^ error target-port-protocol-mismatch: targetPort 'dns' uses protocol TCP, but Deployment shop/dns declares it only as dns(53/UDP); a named target port must match name and protocol
---
${deployment('dns', '[{name: dns, image: dns, ports: [{name: dns, containerPort: 53, protocol: UDP}]}]')}
`,
    only,
  );
  assert.equal(spanText(ws, diagnostics[0].related[0]), '{name: dns, containerPort: 53, protocol: UDP}');
  const files = applyFix(ws, diagnostics[0].fixes[0]);
  assert.match(files[0].text, /targetPort: dns\n {6}protocol: UDP\n/);
  assert.deepEqual(findingsAfter(files), []);
});

test('target-port-protocol-mismatch: a written protocol is replaced; no fix when it would duplicate a port', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /dns.yaml
apiVersion: v1
kind: Service
metadata: {name: dns, namespace: shop}
spec:
  selector: {app: dns}
  ports: [{name: tcp, port: 53, targetPort: dns, protocol: TCP}]
  #                                                        ^^^ error target-port-protocol-mismatch
---
apiVersion: v1
kind: Service
metadata: {name: dns-both, namespace: shop}
spec:
  selector: {app: dns}
  ports: [{name: udp, port: 53, targetPort: dns, protocol: UDP}, {name: tcp, port: 53, targetPort: dns}]
  #                                                                                                ^^^ error target-port-protocol-mismatch
---
${deployment('dns', '[{name: dns, image: dns, ports: [{name: dns, containerPort: 53, protocol: UDP}]}]')}
`,
    only,
  );
  const files = applyFix(ws, diagnostics[0].fixes[0]);
  assert.match(files[0].text, /targetPort: dns, protocol: UDP\}\]\n/);
  assert.equal(diagnostics[1].fixes.length, 0);
});

// ---------------------------------------------------------------------------------------------
// target-port-number-not-declared

test('target-port-number-not-declared: info for a number no selected container declares; defaulted targetPort too', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /shop/web.yaml
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports:
    - name: http
      port: 80
      #     ^^ info target-port-number-not-declared: targetPort (not set, so the same as port 80) is not declared as a containerPort/TCP by the pods selected by this Service (Deployment shop/web); they declare: 8080/TCP
    - name: alt
      port: 81
      targetPort: 8081
      #           ^^^^ info target-port-number-not-declared: targetPort 8081 is not declared as a containerPort/TCP
---
${deployment('web', '[{name: web, image: web, ports: [{containerPort: 8080}]}]')}
`,
    only,
  );
  const first = applyFix(ws, diagnostics[0].fixes[0]);
  assert.match(first[0].text, /port: 80\n {6}targetPort: 8080\n/);
  const second = applyFix(ws, diagnostics[1].fixes[0]);
  assert.match(second[0].text, /targetPort: 8080\n/);
  assert.deepEqual(findingsAfter(first).filter((m) => m.includes('same as port 80')), []);
  assert.deepEqual(findingsAfter(second).filter((m) => m.includes('8081')), []);
});

test('target-port-number-not-declared: declared numbers, pods declaring no ports and targetPort 0 are quiet', () => {
  checkDiagnostics(
    `
#- /shop/x.yaml
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 8080, targetPort: 0, name: a}, {port: 80, targetPort: 8080, name: b}]}
---
${deployment('web', '[{name: web, image: web, ports: [{containerPort: 8080}]}]')}
---
apiVersion: v1
kind: Service
metadata: {name: quiet, namespace: shop}
spec: {selector: {app: quiet}, ports: [{port: 80, targetPort: 3000}]}
---
${deployment('quiet', '[{name: quiet, image: quiet}]')}
`,
    only,
  );
});

// ---------------------------------------------------------------------------------------------
// service-port-invalid

test('service-port-invalid: per-port API errors, word for word (spec b.2, 0.3)', () => {
  checkDiagnostics(
    `
#- /svc.yaml
apiVersion: v1
kind: Service
metadata: {name: web, namespace: x}
spec:
  ports:
    - port: 80
     #^^^^ error service-port-invalid: spec.ports[0].name: Required value
    - name: HTTP
      #     ^^^^ error service-port-invalid: spec.ports[1].name: Invalid value: "HTTP": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')
      port: 81
      protocol: tcp
      #         ^^^ error service-port-invalid: spec.ports[1].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"
    - name: "8080"
      port: 70000
      #     ^^^^^ error service-port-invalid: spec.ports[2].port: Invalid value: 70000: must be between 1 and 65535, inclusive
      #     ^^^^^ error service-port-invalid: spec.ports[2].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive
    - name: web
      port: 82
      targetPort: "8080"
      #           ^^^^^^ error service-port-invalid: spec.ports[3].targetPort: Invalid value: "8080": must contain at least one letter (a-z) (a quoted number is a port name; write 8080 without quotes)
    - name: web
      #     ^^^ error service-port-invalid: spec.ports[4].name: Duplicate value: "web"
      port: 82
      #     ^^ error service-port-invalid: spec.ports[4]: Duplicate value:
      targetPort: very-long-port-name
      #           ^^^^^^^^^^^^^^^^^^^ error service-port-invalid: spec.ports[4].targetPort: Invalid value: "very-long-port-name": must be no more than 15 characters
    - name: udp
      port: 82
      protocol: UDP
      targetPort: a--b
      #           ^^^^ error service-port-invalid: spec.ports[5].targetPort: Invalid value: "a--b": must not contain consecutive hyphens
`,
    only,
  );
});

test('service-port-invalid: node ports, types and type-only fields', () => {
  checkDiagnostics(
    `
#- /svc.yaml
apiVersion: v1
kind: Service
metadata: {name: cluster, namespace: x}
spec:
  ports: [{port: 80, nodePort: 30080}]
  #                  ^^^^^^^^ error service-port-invalid: spec.ports[0].nodePort: Forbidden: may not be used when \`type\` is 'ClusterIP'
  externalTrafficPolicy: Local
  #                      ^^^^^ error service-port-invalid: spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services
  loadBalancerSourceRanges: [10.0.0.0/8]
 #^^^^^^^^^^^^^^^^^^^^^^^^ error service-port-invalid: spec.LoadBalancerSourceRanges: Forbidden: may only be used when \`type\` is 'LoadBalancer'
---
apiVersion: v1
kind: Service
metadata: {name: np, namespace: x}
spec:
  type: NodePort
  clusterIP: None
  #          ^^^^ error service-port-invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services
  ports:
    - {name: a, port: 80, nodePort: 80}
      #                             ^^ error service-port-invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767
    - {name: b, port: 81, nodePort: 80}
      #                             ^^ error service-port-invalid: spec.ports[1].nodePort: Invalid value: 80: provided port is not in the valid range
      #                             ^^ error service-port-invalid: spec.ports[1].nodePort: Duplicate value: 80
    - {name: c, port: 82, nodePort: 80, protocol: UDP}
      #                             ^^ error service-port-invalid: spec.ports[2].nodePort: Invalid value: 80: provided port is not in the valid range
---
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: x}
spec:
  type: ExternalName
  clusterIP: 10.0.0.1
 #^^^^^^^^^ error service-port-invalid: spec.clusterIPs: Forbidden: may not be set for ExternalName services
  externalName: db_primary.example.com.
  #             ^^^^^^^^^^^^^^^^^^^^^^^ error service-port-invalid: spec.externalName: Invalid value: "db_primary.example.com": a lowercase RFC 1123 subdomain must consist of
---
apiVersion: v1
kind: Service
metadata: {name: weird, namespace: x}
spec:
  type: Headless
  #     ^^^^^^^^ error service-port-invalid: spec.type: Unsupported value: "Headless": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: lb, namespace: x}
spec: {type: LoadBalancer, externalTrafficPolicy: Local, loadBalancerSourceRanges: [10.0.0.0/8], ports: [{port: 443, nodePort: 31443}]}
`,
    only,
  );
});

test('service-port-invalid: ports are required unless headless or ExternalName; selectors are validated; placeholders skipped', () => {
  checkDiagnostics(
    `
#- /svc.yaml
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: {name: portless, namespace: x}
    spec: {selector: {app: a}}
   #^^^^ error service-port-invalid: spec.ports: Required value
  - apiVersion: v1
    kind: Service
    metadata: {name: headless, namespace: x}
    spec: {clusterIP: None, selector: {app: a}}
  - apiVersion: v1
    kind: Service
    metadata: {name: ext, namespace: x}
    spec: {type: ExternalName, externalName: example.com}
  - apiVersion: v1
    kind: Service
    metadata: {name: labels, namespace: x}
    spec: {selector: {app: "-bad-"}, ports: [{port: 80}]}
    #                      ^^^^^^^ error service-port-invalid: spec.selector: Invalid value: "-bad-": a valid label must be an empty string or consist of alphanumeric characters
  - apiVersion: v1
    kind: Service
    metadata: {name: templated, namespace: x}
    spec: {type: "\${SERVICE_TYPE}", ports: [{port: 80, targetPort: "\${PORT}", name: a}, {port: PORT, targetPort: PORT, name: b}]}
  - apiVersion: v1
    kind: Service
    metadata: {name: digits, namespace: x}
    spec: {ports: [{name: "80", port: 80}, {name: "81", port: 81}]}
`,
    only,
  );
});

// ---------------------------------------------------------------------------------------------
// probe-port-not-found

test('probe-port-not-found: probes and hooks resolve names in their own container only', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /shop/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: web
          ports: [{name: http, containerPort: 8080}]
          livenessProbe: {httpGet: {path: /healthz, port: http}}
          readinessProbe: {httpGet: {path: /ready, port: metrics}}
          #                                              ^^^^^^^ error probe-port-not-found: readinessProbe.httpGet.port 'metrics' is not a port name of container 'web', which declares http(8080/TCP); container 'exporter' declares it, but probes resolve names in their own container only; the kubelet cannot resolve it and the readinessProbe fails
          startupProbe: {tcpSocket: {port: 8080}}
          lifecycle:
            preStop: {httpGet: {path: /drain, port: admin}}
            #                                       ^^^^^ error probe-port-not-found: preStop.httpGet.port 'admin' is not a port name of container 'web', which declares http(8080/TCP); the preStop hook fails
        - name: exporter
          image: exporter
          ports: [{name: metrics, containerPort: 9090}]
          livenessProbe: {tcpSocket: {port: "9090"}}
          #                                 ^^^^^^ error probe-port-not-found: spec.template.spec.containers[1].livenessProbe.tcpSocket.port: Invalid value: "9090": must contain at least one letter (a-z)
          readinessProbe: {grpc: {port: grpc}}
          #                             ^^^^ error probe-port-not-found: spec.template.spec.containers[1].readinessProbe.grpc.port must be a number: gRPC probes do not accept port names
          startupProbe: {httpGet: {path: /, port: 0}}
          #                                       ^ error probe-port-not-found: spec.template.spec.containers[1].startupProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive
`,
    only,
  );
  const readiness = diagnostics.find((d) => d.message.startsWith('readinessProbe'))!;
  assert.equal(spanText(ws, readiness.related[0]), '{name: metrics, containerPort: 9090}');
  // A single declared port is the fix.
  const files = applyFix(ws, readiness.fixes[0]);
  assert.match(files[0].text, /readinessProbe: \{httpGet: \{path: \/ready, port: http\}\}/);
  assert.deepEqual(findingsAfter(files).filter((m) => m.includes('readinessProbe.httpGet')), []);
});

test('probe-port-not-found: bare Pods and sidecar init containers are checked too', () => {
  checkDiagnostics(
    `
#- /pod.yaml
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: x}
spec:
  initContainers:
    - name: proxy
      image: proxy
      restartPolicy: Always
      ports: [{name: admin, containerPort: 15000}]
      startupProbe: {httpGet: {path: /ready, port: admin}}
      readinessProbe: {httpGet: {path: /ready, port: http}}
      #                                              ^^^^ error probe-port-not-found: readinessProbe.httpGet.port 'http' is not a port name of container 'proxy', which declares admin(15000/TCP)
  containers:
    - {name: app, image: app, ports: [{name: http, containerPort: 80}], livenessProbe: {httpGet: {port: http, path: /}}}
`,
    only,
  );
});

test('every code of the selector and port families has a documentation page', async () => {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const { repoRoot } = await import('../../support/paths');
  const codes = [
    'selector-template-mismatch', 'service-selects-nothing', 'selector-overlap', 'networkpolicy-selects-nothing',
    'networkpolicy-peer-selects-nothing', 'pdb-selects-nothing', ...CODES,
  ];
  const known = defaultSeverities();
  for (const code of codes) {
    assert.ok(code in known, `${code} is registered`);
    const page = fs.readFileSync(path.join(repoRoot, 'docs', 'checks', `${code}.md`), 'utf8');
    assert.ok(page.startsWith(`# ${code}\n`), code);
    for (const heading of ['## The Kubernetes rule', '## When Kubeglass reports it', '## Bad', '## Fixed']) assert.ok(page.includes(heading), `${code}: ${heading}`);
  }
});
