// Ingress checks: ingress-backend-missing, ingress-backend-port-missing, ingress-class-missing,
// ingress-path-invalid, ingress-path-shadowed. Expectations: spec/semantics.md section f (backend
// resolution f.1, path precedence f.2, IngressClass f.3, API validation texts f.4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSeverities } from '../../../server/src/engine/checks/registry';
import { checkDiagnostics, workspaceOf, applyFix } from '../../support/fixture';

const INGRESS_CODES = ['ingress-backend-missing', 'ingress-backend-port-missing', 'ingress-class-missing', 'ingress-path-invalid', 'ingress-path-shadowed'];
/** Only this family's findings are compared (plus internal errors, which never have a known code). */
const only = { ignore: Object.keys(defaultSeverities()).filter((c) => !INGRESS_CODES.includes(c)) };

function codesAfter(files: { uri: string; text: string }[], codes: readonly string[]): string[] {
  const { ws } = workspaceOf({ files });
  return files.flatMap((f) => ws.diagnostics(f.uri).filter((d) => codes.includes(d.code)).map((d) => `${d.code}: ${d.message}`));
}

test('ingress-backend-missing: rule and default backends; a Service of that name elsewhere is related', () => {
  const { diagnostics } = checkDiagnostics(
    `
#- /shop/ingress.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  defaultBackend:
    service: {name: fallback, port: {number: 80}}
    #               ^^^^^^^^ error ingress-backend-missing: spec.defaultBackend: Service "fallback" not found in namespace "shop"; Services there: "web"
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
          #                                                          ^^^ error ingress-backend-missing: spec.rules[0].http.paths[1].backend: Service "api" not found in namespace "shop"; a Service of that name exists in namespace "backend"
          - {path: /files, pathType: Prefix, backend: {resource: {apiGroup: k8s.example.com, kind: Bucket, name: files}}}
#- /shop/web.yaml
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
#- /backend/api.yaml
apiVersion: v1
kind: Service
metadata: {name: api, namespace: backend}
spec: {selector: {app: api}, ports: [{port: 80}]}
`,
    only,
  );
  const api = diagnostics.find((d) => d.message.includes('"api"'))!;
  assert.deepEqual(api.related.map((r) => r.uri), ['file:///backend/api.yaml']);
});

test('ingress-backend-missing: the removed v1beta1 backend shape is read too', () => {
  checkDiagnostics(
    `
#- /old.yaml
apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: old, namespace: shop}
spec:
  backend: {serviceName: gone, servicePort: 80}
  #                      ^^^^ error ingress-backend-missing: spec.backend: Service "gone" not found in namespace "shop"
  rules:
    - http:
        paths:
          - {path: /, backend: {serviceName: web, servicePort: http}}
          #                                                    ^^^^ error ingress-backend-port-missing: spec.rules[0].http.paths[0].backend: Service "web" has no port named "http"; its ports: 80 (unnamed)
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 80}]}
`,
    only,
  );
});

test('ingress-backend-port-missing: number and name, with the Service ports listed and a fix per port', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /shop/ingress.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port: {number: 8080}
                #              ^^^^ error ingress-backend-port-missing: spec.rules[0].http.paths[0].backend: Service "web" has no port 8080; its ports: 80 ("http")
          - path: /admin
            pathType: Prefix
            backend:
              service:
                name: web
                port: {name: admin}
                #            ^^^^^ error ingress-backend-port-missing: spec.rules[0].http.paths[1].backend: Service "web" has no port named "admin"; its ports: 80 ("http")
          - {path: /ok, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
          - {path: /ext, pathType: Prefix, backend: {service: {name: ext, port: {number: 443}}}}
#- /shop/web.yaml
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: shop}
spec: {type: ExternalName, externalName: example.com}
`,
    only,
  );
  const [byNumber, byName] = diagnostics;
  assert.equal(byNumber.related[0].uri, 'file:///shop/web.yaml');
  assert.equal(ws.text('file:///shop/web.yaml')!.slice(byNumber.related[0].start, byNumber.related[0].end), 'ports');
  assert.deepEqual(byNumber.fixes.map((f) => [f.title, f.preferred]), [['Use Service port 80', true]]);
  assert.deepEqual(byName.fixes.map((f) => f.title), ['Use Service port "http"']);
  let files = applyFix(ws, byNumber.fixes[0]);
  assert.match(files.find((f) => f.uri === 'file:///shop/ingress.yaml')!.text, /port: \{number: 80\}/);
  const { ws: ws2 } = workspaceOf({ files });
  files = applyFix(ws2, ws2.diagnostics('file:///shop/ingress.yaml').find((d) => d.code === 'ingress-backend-port-missing')!.fixes[0]);
  assert.deepEqual(codesAfter(files, INGRESS_CODES), []);
});

test('ingress-backend-port-missing: the Service variant applied with the Ingress decides', () => {
  // Two variants define Service "web" with different ports; each Ingress is judged by its own.
  checkDiagnostics(
    `
#- /v1/bundle.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  defaultBackend: {service: {name: web, port: {number: 8080}}}
  #                                                    ^^^^ error ingress-backend-port-missing: spec.defaultBackend: Service "web" has no port 8080; its ports: 80 (unnamed)
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 80}]}
#- /v2/bundle.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  defaultBackend: {service: {name: web, port: {number: 8080}}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 8080}]}
`,
    only,
  );
});

test('ingress-class-missing: a named class the workspace does not define, with a fix', () => {
  const { ws, diagnostics } = checkDiagnostics(
    `
#- /edge/classes.yaml
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: edge}
spec: {controller: example.com/edge}
#- /edge/ingress.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: egde
  #                 ^^^^ warning ingress-class-missing: IngressClass "egde" is not defined; the workspace defines "edge". Unless the cluster provides it, no controller serves this Ingress
  defaultBackend: {resource: {kind: Bucket, name: b}}
#- /other/ingress.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: internal-lb
  #                 ^^^^^^^^^^^ info ingress-class-missing: IngressClass "internal-lb" is not defined; the workspace defines "edge"
  defaultBackend: {resource: {kind: Bucket, name: b}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: platform, namespace: shop}
spec:
  ingressClassName: webapprouting.kubernetes.azure.com
  defaultBackend: {resource: {kind: Bucket, name: b}}
`,
    only,
  );
  assert.deepEqual(diagnostics[0].related.map((r) => r.uri), ['file:///edge/classes.yaml']);
  assert.deepEqual(diagnostics[0].fixes.map((f) => [f.title, f.preferred]), [['Use IngressClass "edge"', true]]);
  assert.deepEqual(codesAfter(applyFix(ws, diagnostics[0].fixes[0]), INGRESS_CODES).filter((m) => !m.includes('internal-lb')), []);
});

test('ingress-class-missing: no IngressClass in the workspace: well-known names pass, others are information', () => {
  checkDiagnostics(
    `
#- /shop/ingress.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: a, namespace: shop}
spec: {ingressClassName: nginx, defaultBackend: {resource: {kind: B, name: b}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: b, namespace: shop}
spec: {ingressClassName: my-edge, defaultBackend: {resource: {kind: B, name: b}}}
#                        ^^^^^^^ info ingress-class-missing: IngressClass "my-edge" is not defined; the workspace defines no IngressClass
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: c, namespace: shop}
spec: {defaultBackend: {resource: {kind: B, name: b}}}
`,
    only,
  );
});

test('ingress-class-missing: no class and no default IngressClass; a default, the annotation or "" silence it', () => {
  const source = `
#- /cluster/classes.yaml
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: internal}
spec: {controller: example.com/internal}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: a, namespace: shop}
#                ^ warning ingress-class-missing: Ingress names no IngressClass and none of the workspace's IngressClasses ("internal") is marked ingressclass.kubernetes.io/is-default-class: "true"
spec:
  defaultBackend: {resource: {kind: B, name: b}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: b, namespace: shop, annotations: {kubernetes.io/ingress.class: internal}}
spec: {defaultBackend: {resource: {kind: B, name: b}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: c, namespace: shop}
spec: {ingressClassName: "", defaultBackend: {resource: {kind: B, name: b}}}
#- /elsewhere/ingress.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: d, namespace: shop}
#                ^ info ingress-class-missing: Ingress names no IngressClass
spec: {defaultBackend: {resource: {kind: B, name: b}}}
`;
  const { ws, diagnostics } = checkDiagnostics(source, only);
  const files = applyFix(ws, diagnostics[0].fixes[0]);
  assert.match(files.find((f) => f.uri === 'file:///cluster/classes.yaml')!.text, /ingressClassName: internal/);
  assert.deepEqual(codesAfter(files, INGRESS_CODES).filter((m) => !m.startsWith('ingress-class-missing: Ingress names no IngressClass')).length, 0);
  assert.equal(codesAfter(files, INGRESS_CODES).length, 1);
  checkDiagnostics(source.replace('metadata: {name: internal}', 'metadata: {name: internal, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}').replace(/^# +\^ (warning|info) .*\n/gm, ''), only);
});

test('ingress-path-invalid: the API server texts, at the offending field', () => {
  checkDiagnostics(
    `
#- /shop/ingress.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
    - host: a.example.com
      http:
        paths:
          - path: /no-type
          #       ^^^^^^^^ error ingress-path-invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified
            backend: {service: {name: web, port: {number: 80}}}
          - path: relative
          #       ^^^^^^^^ error ingress-path-invalid: spec.rules[0].http.paths[1].path: Invalid value: "relative": must be an absolute path
            pathType: Exact
            backend: {service: {name: web, port: {number: 80}}}
          - path: /a//b/..
          #       ^^^^^^^^ error ingress-path-invalid: spec.rules[0].http.paths[2].path: Invalid value: "/a//b/..": must not contain '//'
          #       ^^^^^^^^ error ingress-path-invalid: spec.rules[0].http.paths[2].path: Invalid value: "/a//b/..": cannot end with '/..'
            pathType: Prefix
            backend: {service: {name: web, port: {number: 80}}}
          - path: /([a-z0-9]*)[
            pathType: ImplementationSpecific
            backend: {service: {name: web, port: {number: 80}}}
          - path: /both
            pathType: Mixed
            #         ^^^^^ error ingress-path-invalid: spec.rules[0].http.paths[4].pathType: Unsupported value: "Mixed": supported values: "Exact", "ImplementationSpecific", "Prefix"
            backend: {service: {name: web, port: {name: http, number: 80}}}
            #        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error ingress-path-invalid: spec.rules[0].http.paths[4].backend: Invalid value: "": cannot set both port name & port number
    - host: b.example.com
      http: {paths: []}
      #             ^^ error ingress-path-invalid: spec.rules[1].http.paths: Required value
#- /shop/web.yaml
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{name: http, port: 80}]}
#- /old.yaml
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata: {name: old, namespace: shop}
spec:
  rules: [{http: {paths: [{path: /, backend: {serviceName: web, servicePort: 80}}]}}]
`,
    { ignore: [...only.ignore, 'ingress-backend-port-missing'] },
  );
});

test('ingress-path-shadowed: identical and longer Prefix paths, across Ingresses of one class and unit', () => {
  const { diagnostics } = checkDiagnostics(
    `
#- /shop/ingress.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: a, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /foo, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          #        ^^^^ warning ingress-path-shadowed: Prefix path "/foo" for host "shop.example.com" is never used: Prefix path "/foo/" at spec.rules[0].http.paths[1] matches the same requests and takes precedence (longer path)
          - {path: /foo/, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
          - {path: /bar, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}
          - {path: /x, pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: b, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /bar, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}
          #        ^^^^ warning ingress-path-shadowed: Exact path "/bar" for host "shop.example.com" is never used: the identical path at spec.rules[0].http.paths[2] of Ingress shop/a takes precedence
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: other-class, namespace: shop}
spec:
  ingressClassName: traefik
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /bar, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 80}]}
#- /variant/ingress.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: a2, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /bar, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}
`,
    only,
  );
  const b = diagnostics.find((d) => d.message.includes('of Ingress shop/a'))!;
  assert.equal(b.related.length, 1);
  assert.equal(b.related[0].uri, 'file:///shop/ingress.yaml');
});
