// Ingress routing tests: every case of shared/testdata/ingress-paths.json (ingress.md tables,
// networking/v1 types.go, ingress-controller-conformance path_rules.feature, validation_test.go),
// table-driven by id, plus hand-derived cases for class resolution, merging, shadowing and
// validation, each citing its spec section.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { testdataDir } from '../../support/paths';
import type { V1Ingress, V1IngressClass } from '../../../server/src/engine/model/k8s-types';
import {
  defaultIngressClass,
  groupIngressesByClass,
  ingressErrorTexts,
  matchesIngressHost,
  matchesIngressPath,
  resolveIngressClass,
  routeIngressRequest,
  routeIngressRequestForClass,
  shadowedIngressPaths,
  validateIngressCreate,
  validateIngressPath,
  validateIngressSpec,
} from '../../../server/src/engine/semantics/ingress';

type Case = Record<string, unknown> & { id: string };
const data = JSON.parse(fs.readFileSync(path.join(testdataDir, 'ingress-paths.json'), 'utf8')) as {
  cases: Record<string, Case[]>;
};
const CATEGORIES = ['pathMatch', 'hostMatch', 'ingressRouting', 'pathValidation'];

interface SimplePath {
  pathType: string;
  path: string;
  backend: string;
}
interface SimpleRule {
  host?: string;
  paths: SimplePath[];
}

const svc = (name: string) => ({ service: { name, port: { number: 80 } } });

/** The vectors' compact Ingress shape as a real networking.k8s.io/v1 object. */
function toIngress(simple: { rules?: SimpleRule[]; defaultBackend?: string }, name = 'test', namespace = 'default'): V1Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace },
    spec: {
      ...(simple.defaultBackend !== undefined ? { defaultBackend: svc(simple.defaultBackend) } : {}),
      rules: (simple.rules ?? []).map((r) => ({
        ...(r.host !== undefined ? { host: r.host } : {}),
        http: { paths: r.paths.map((p) => ({ pathType: p.pathType, path: p.path, backend: svc(p.backend) })) },
      })),
    },
  };
}

const checkers: Record<string, (c: Case) => void> = {
  pathMatch(c) {
    const ingress = toIngress({ rules: [{ paths: c.paths as SimplePath[] }] });
    const r = routeIngressRequest([ingress], { host: 'example.com', path: c.requestPath as string });
    const expected = c.expected as { matched: boolean; backend: string | null };
    assert.equal(r.status, expected.matched ? 200 : 404);
    assert.equal(r.backend?.service ?? null, expected.backend);
    if (expected.matched) {
      assert.equal(r.ingress, 'default/test');
      const paths = c.paths as SimplePath[];
      const index = paths.findIndex((p) => p.backend === expected.backend);
      assert.equal(r.rulePath, `spec.rules[0].http.paths[${index}]`);
    }
    // The primitive agrees for the winning path.
    if (expected.matched) {
      const winner = (c.paths as SimplePath[]).find((p) => p.backend === expected.backend)!;
      assert.equal(matchesIngressPath(winner.pathType, winner.path, c.requestPath as string), true);
    }
  },
  hostMatch(c) {
    assert.equal(matchesIngressHost(c.ruleHost as string, c.requestHost as string), c.matches);
    const ingress = toIngress({ rules: [{ host: c.ruleHost as string, paths: [{ pathType: 'Prefix', path: '/', backend: 'web' }] }] });
    const r = routeIngressRequest([ingress], { host: c.requestHost as string, path: '/' });
    assert.equal(r.status, c.matches ? 200 : 404);
  },
  ingressRouting(c) {
    const ingress = toIngress(c.ingress as { rules: SimpleRule[]; defaultBackend?: string });
    const request = c.request as { host: string; path: string };
    const r = routeIngressRequest([ingress], { host: request.host, path: request.path });
    const expected = c.expected as { status: number; backend: string | null };
    assert.equal(r.status, expected.status);
    assert.equal(r.backend?.service ?? null, expected.backend);
    assert.equal(r.ingress, expected.status === 200 ? 'default/test' : null);
  },
  pathValidation(c) {
    const entry = {
      ...(c.pathType !== null ? { pathType: c.pathType as string } : {}),
      path: c.path as string,
      backend: svc('test'),
    };
    const errors = ingressErrorTexts(validateIngressPath(entry as never, 'testing.http.paths[0]'));
    assert.deepEqual(errors, c.errors);
    assert.equal(errors.length === 0, c.valid);
  },
};

for (const category of CATEGORIES) {
  const cases = data.cases[category] ?? [];
  test(`ingress-paths.json has ${category} cases`, () => assert.ok(cases.length > 0));
  for (const c of cases) test(`${c.id} ${String(c.scenario ?? c.requestPath ?? c.requestHost ?? c.path)}`, () => checkers[category]!(c));
}

test('every case category is covered', () => {
  assert.deepEqual(Object.keys(data.cases).sort(), [...CATEGORIES].sort());
});

// ---- hand-derived cases ---------------------------------------------------------------------

test('request details: query, fragment, port and case of the Host header (spec f.2)', () => {
  const ing = toIngress({ rules: [{ host: 'shop.example.com', paths: [{ pathType: 'Exact', path: '/cart', backend: 'cart' }] }] });
  const r = routeIngressRequest([ing], { host: 'Shop.Example.com:8443', path: '/cart?x=1#top' });
  assert.deepEqual(
    { status: r.status, ingress: r.ingress, backend: r.backend, rulePath: r.rulePath, hostMatch: r.hostMatch },
    { status: 200, ingress: 'default/test', backend: { service: 'cart', port: 80 }, rulePath: 'spec.rules[0].http.paths[0]', hostMatch: 'exact' },
  );
});

test('exact host wins over wildcard and host-less rules; no fallback between hosts (spec f.1)', () => {
  const ing = toIngress({
    rules: [
      { paths: [{ pathType: 'Prefix', path: '/', backend: 'catch-all' }] },
      { host: '*.foo.com', paths: [{ pathType: 'Prefix', path: '/', backend: 'wild' }] },
      { host: 'a.foo.com', paths: [{ pathType: 'Exact', path: '/only', backend: 'exact-host' }] },
    ],
  });
  const route = (host: string, p: string) => routeIngressRequest([ing], { host, path: p }).backend?.service ?? null;
  assert.equal(route('a.foo.com', '/only'), 'exact-host');
  assert.equal(route('a.foo.com', '/other'), null); // the host's rule matched, no path: 404
  assert.equal(route('b.foo.com', '/other'), 'wild');
  assert.equal(route('foo.com', '/x'), 'catch-all');
});

test('no path matches: defaultBackend of the owning Ingress, else of the class (spec f.1)', () => {
  const a = toIngress({ rules: [{ host: 'a.com', paths: [{ pathType: 'Exact', path: '/a', backend: 'a' }] }], defaultBackend: 'a-default' }, 'a');
  const b = toIngress({ defaultBackend: 'b-default' }, 'b');
  const c = toIngress({ rules: [{ host: 'c.com', paths: [{ pathType: 'Exact', path: '/c', backend: 'c' }] }] }, 'c');
  const r1 = routeIngressRequest([c, b, a], { host: 'a.com', path: '/zzz' });
  assert.deepEqual([r1.ingress, r1.backend?.service, r1.rulePath, r1.match.kind], ['default/a', 'a-default', 'spec.defaultBackend', 'defaultBackend']);
  const r2 = routeIngressRequest([c, b, a], { host: 'c.com', path: '/zzz' });
  assert.deepEqual([r2.ingress, r2.backend?.service], ['default/a', 'a-default']); // first by name among defaults
  const r3 = routeIngressRequest([c], { host: 'c.com', path: '/zzz' });
  assert.deepEqual([r3.status, r3.ingress, r3.backend], [404, null, null]);
});

test('merged Ingresses of one class: longest path across Ingresses, oldest wins identical paths (spec f.2, f.4)', () => {
  const older = toIngress({ rules: [{ host: 'x.com', paths: [{ pathType: 'Prefix', path: '/api', backend: 'old' }] }] }, 'zz-older');
  older.metadata!.creationTimestamp = '2024-01-01T00:00:00Z' as never;
  const newer = toIngress({ rules: [{ host: 'x.com', paths: [{ pathType: 'Prefix', path: '/api', backend: 'new' }, { pathType: 'Prefix', path: '/api/v2', backend: 'v2' }] }] }, 'aa-newer');
  newer.metadata!.creationTimestamp = '2025-01-01T00:00:00Z' as never;
  assert.equal(routeIngressRequest([newer, older], { host: 'x.com', path: '/api/v1' }).backend?.service, 'old');
  assert.equal(routeIngressRequest([newer, older], { host: 'x.com', path: '/api/v2/x' }).backend?.service, 'v2');
  const shadowed = shadowedIngressPaths([newer, older]);
  assert.deepEqual(
    shadowed.map((s) => [s.ingress, s.rulePath, s.shadowedBy.ingress, s.reason]),
    [['default/aa-newer', 'spec.rules[0].http.paths[0]', 'default/zz-older', 'same-path']],
  );
});

test('port name backends and resource backends', () => {
  const ing: V1Ingress = {
    metadata: { name: 'r', namespace: 'shop' },
    spec: {
      rules: [
        {
          http: {
            paths: [
              { pathType: 'Prefix', path: '/', backend: { service: { name: 'web', port: { name: 'http' } } } },
              { pathType: 'Prefix', path: '/static', backend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'assets' } } },
            ],
          },
        },
      ],
    },
  };
  const web = routeIngressRequest([ing], { host: 'h', path: '/x' });
  assert.deepEqual([web.ingress, web.backend], ['shop/r', { service: 'web', port: 'http' }]);
  const res = routeIngressRequest([ing], { host: 'h', path: '/static/a.css' });
  assert.deepEqual([res.status, res.backend, res.resource], [200, null, { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'assets' }]);
});

test('ImplementationSpecific paths never win and are reported as uncertain (spec f.2)', () => {
  const ing = toIngress({
    rules: [{ paths: [{ pathType: 'ImplementationSpecific', path: '/api(/|$)(.*)', backend: 'regex' }, { pathType: 'Prefix', path: '/', backend: 'root' }] }],
  });
  const r = routeIngressRequest([ing], { host: 'h', path: '/api/x' });
  assert.equal(r.backend?.service, 'root');
  assert.deepEqual(r.uncertain, [{ ingress: 'default/test', rulePath: 'spec.rules[0].http.paths[0]', path: '/api(/|$)(.*)' }]);
  assert.equal(matchesIngressPath('ImplementationSpecific', '/api', '/api'), null);
  assert.deepEqual(shadowedIngressPaths([ing]), []);
});

test('shadowed paths (spec f.2 precedence)', () => {
  const ing = toIngress({
    rules: [
      {
        host: 'a.com',
        paths: [
          { pathType: 'Prefix', path: '/foo', backend: 'p-foo' }, // beaten by /foo/ on every request
          { pathType: 'Prefix', path: '/foo/', backend: 'p-foo-slash' },
          { pathType: 'Exact', path: '/foo', backend: 'e-foo' }, // /foo/ (longer) wins for /foo
          { pathType: 'Exact', path: '/foo/', backend: 'e-foo-slash' }, // equal length: Exact wins, reachable
          { pathType: 'Prefix', path: '/bar', backend: 'p-bar' }, // only partly covered: reachable
          { pathType: 'Exact', path: '/bar/baz', backend: 'e-bar-baz' },
          { pathType: 'Exact', path: '/bar/baz', backend: 'dup' }, // identical, later: shadowed
        ],
      },
      { host: 'b.com', paths: [{ pathType: 'Prefix', path: '/foo', backend: 'other-host' }] }, // other host: reachable
    ],
  });
  const got = shadowedIngressPaths([ing]).map((s) => [s.rulePath, s.shadowedBy.rulePath, s.reason]);
  assert.deepEqual(got, [
    ['spec.rules[0].http.paths[0]', 'spec.rules[0].http.paths[1]', 'longer-path'],
    ['spec.rules[0].http.paths[2]', 'spec.rules[0].http.paths[1]', 'longer-path'],
    ['spec.rules[0].http.paths[6]', 'spec.rules[0].http.paths[5]', 'same-path'],
  ]);
  // Cross-check each claim against routing itself: the shadowed backend is never returned.
  for (const p of ['/foo', '/foo/', '/foo/x', '/bar', '/bar/baz', '/bar/baz/q']) {
    const b = routeIngressRequest([ing], { host: 'a.com', path: p }).backend?.service;
    assert.ok(!['p-foo', 'e-foo', 'dup'].includes(b!), `${p} -> ${b}`);
  }
  assert.equal(routeIngressRequest([ing], { host: 'a.com', path: '/foo/' }).backend?.service, 'e-foo-slash');
  assert.equal(routeIngressRequest([ing], { host: 'a.com', path: '/bar/q' }).backend?.service, 'p-bar');
});

test('IngressClass resolution (spec f.3)', () => {
  const cls = (name: string, isDefault: boolean, created?: string): V1IngressClass => ({
    metadata: {
      name,
      ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}),
      ...(created ? { creationTimestamp: created as never } : {}),
    },
    spec: { controller: 'example.com/ingress' },
  });
  const classes = [cls('nginx', true, '2024-01-01T00:00:00Z'), cls('traefik', true, '2025-01-01T00:00:00Z'), cls('haproxy', false)];
  assert.deepEqual(defaultIngressClass(classes), { name: 'traefik', defaults: ['nginx', 'traefik'] }); // newest wins
  assert.deepEqual(defaultIngressClass([cls('b', true), cls('a', true)]).name, 'a'); // tie: smaller name
  const notExactlyTrue = { ...cls('x', false), metadata: { name: 'x', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'True' } } };
  assert.equal(defaultIngressClass([notExactlyTrue]).name, null);

  const ing = (spec: V1Ingress['spec'], annotations?: Record<string, string>): V1Ingress => ({ metadata: { name: 'i', annotations }, spec });
  assert.deepEqual(resolveIngressClass(ing({ ingressClassName: 'haproxy' }), classes), { className: 'haproxy', source: 'field' });
  assert.deepEqual(resolveIngressClass(ing({ ingressClassName: '' }), classes), { className: '', source: 'field' });
  assert.deepEqual(resolveIngressClass(ing({}, { 'kubernetes.io/ingress.class': 'nginx' }), classes), { className: 'nginx', source: 'annotation' });
  assert.deepEqual(resolveIngressClass(ing({}), classes), { className: 'traefik', source: 'default' });
  assert.deepEqual(resolveIngressClass(ing({}), [cls('haproxy', false)]), { className: null, source: 'none' });

  const nginxOnly = ing({ ingressClassName: 'nginx', defaultBackend: svc('n') });
  const defaulted = ing({ defaultBackend: svc('t') });
  assert.equal(routeIngressRequestForClass([nginxOnly, defaulted], classes, 'traefik', { host: 'h', path: '/' }).backend?.service, 't');
  assert.equal(routeIngressRequestForClass([nginxOnly, defaulted], classes, 'nginx', { host: 'h', path: '/' }).backend?.service, 'n');

  const groups = groupIngressesByClass([ing({ ingressClassName: 'b' }), ing({}), ing({ ingressClassName: 'a' })], []);
  assert.deepEqual(groups.map((g) => [g.className, g.ingresses.length]), [['a', 1], ['b', 1], [null, 1]]);
});

test('Ingress validation texts (spec f.3, f.4)', () => {
  const errs = ingressErrorTexts(
    validateIngressSpec({
      rules: [
        { host: '1.2.3.4', http: { paths: [] } },
        { host: '*.Foo.com' },
        {
          host: 'ok.com',
          http: {
            paths: [
              { pathType: 'Prefix', path: '/a', backend: { service: { name: 'web', port: { name: 'http', number: 80 } } } },
              { pathType: 'Prefix', path: '/b', backend: { service: { name: '', port: {} } } },
              { pathType: 'Prefix', path: '/c', backend: {} },
            ],
          },
        },
      ],
    }),
  );
  assert.deepEqual(errs, [
    'spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP address',
    'spec.rules[0].http.paths: Required value',
    "spec.rules[1].host: Invalid value: \"*.Foo.com\": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    'spec.rules[2].http.paths[0].backend: Invalid value: "": cannot set both port name & port number',
    'spec.rules[2].http.paths[1].backend.service.name: Required value',
    'spec.rules[2].http.paths[1].backend: Required value: port name or number is required',
    'spec.rules[2].http.paths[2].backend: Invalid value: "": resource or service backend is required',
  ]);
  const empty = ingressErrorTexts(validateIngressSpec({}));
  assert.deepEqual(empty, ['spec: Invalid value: []: either `defaultBackend` or `rules` must be specified']);
  const mismatch = ingressErrorTexts(
    validateIngressCreate({
      metadata: { name: 'i', annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
      spec: { ingressClassName: 'traefik', defaultBackend: svc('web') },
    }),
  );
  assert.deepEqual(mismatch, ['annotations.kubernetes.io/ingress.class: Invalid value: "nginx": must match `ingressClassName` when both are specified']);
  const implementationSpecific = validateIngressPath({ pathType: 'ImplementationSpecific', path: '/([a-z0-9]*)[', backend: svc('web') }, 'p');
  assert.deepEqual(implementationSpecific, []);
  const multi = ingressErrorTexts(validateIngressPath({ pathType: 'Exact', path: '/a//b/.', backend: svc('web') }, 'p'));
  assert.deepEqual(multi, ['p.path: Invalid value: "/a//b/.": must not contain \'//\'', 'p.path: Invalid value: "/a//b/.": cannot end with \'/.\'']);
});
