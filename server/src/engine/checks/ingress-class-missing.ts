// Diagnostic: ingress-class-missing
//
// Kubernetes rule (spec f.3): an Ingress is served by the controller of its IngressClass:
// `spec.ingressClassName`, else the legacy `kubernetes.io/ingress.class` annotation, else the class
// marked `ingressclass.kubernetes.io/is-default-class: "true"` (written by the DefaultIngressClass
// admission plugin on create). An Ingress naming a class that does not exist, or with no class when
// no class is default, is served by no controller and never gets an address.
// When it fires (chosen to avoid false alarms: IngressClasses usually come with the controller or a
// platform add-on, outside an application's manifests, and platforms such as GKE serve Ingresses
// without a class):
// - `spec.ingressClassName` names a class the workspace does not define: nothing for the classes of
//   widely used controllers and add-ons (nginx, traefik, alb, gce, webapprouting..., ...); a warning
//   when IngressClasses are defined in the Ingress' own apply unit or folder (the place that installs
//   the controller), with a fix per defined class; information otherwise.
// - no class field, no annotation, and no IngressClass in the workspace is default: a warning when
//   IngressClasses are defined in the Ingress' apply unit or folder, information when they are
//   defined elsewhere, nothing when the workspace defines none.
// The legacy annotation is not checked: its values are controller-specific (often not class names).
import type { Check, Fix } from './types';
import { isRecord, type K8sObject } from '../model/object';
import { DEFAULT_INGRESS_CLASS_ANNOTATION, LEGACY_INGRESS_CLASS_ANNOTATION } from '../semantics/ingress';
import { applyUnitsOf, isNearby } from './pod-references';

/** Class names of widely used Ingress controllers' and platform add-ons' installations. */
const WELL_KNOWN_CLASSES: ReadonlySet<string> = new Set([
  'nginx', 'nginx-internal', 'nginx-public', 'traefik', 'alb', 'gce', 'gce-internal', 'haproxy', 'kong', 'istio', 'contour',
  'cilium', 'azure-application-gateway', 'webapprouting.kubernetes.azure.com', 'openshift-default', 'public-iks-k8s-nginx',
  'private-iks-k8s-nginx', 'ambassador', 'skipper', 'apisix', 'pomerium', 'tailscale', 'ngrok',
]);

export const ingressClassMissing: Check = {
  codes: { 'ingress-class-missing': 'warning' },
  kinds: ['Ingress'],
  run(object, ctx, report) {
    const spec = isRecord(object.raw.spec) ? object.raw.spec : undefined;
    const classes = ctx.index.ofKind('IngressClass').filter((c) => c.name !== '' && c.group === 'networking.k8s.io');
    const names = [...new Set(classes.map((c) => c.name))].sort();
    const className = spec?.ingressClassName;
    if (typeof className === 'string' && className !== '') {
      if (names.includes(className) || WELL_KNOWN_CLASSES.has(className)) return;
      const units = applyUnitsOf(ctx);
      const nearby = classes.filter((c) => isNearby(units, object.uri, c.uri));
      const listed = names.length === 0 ? 'the workspace defines no IngressClass' : `the workspace defines ${quoteAll(names)}`;
      report({
        code: 'ingress-class-missing',
        severity: nearby.length > 0 ? 'warning' : 'info',
        message: `IngressClass "${className}" is not defined; ${listed}. Unless the cluster provides it, no controller serves this Ingress`,
        path: ['spec', 'ingressClassName'],
        target: 'value',
        related: classes.map((c) => ({ object: c, path: ['metadata', 'name'], target: 'value', message: `IngressClass "${c.name}"` })),
        fixes: names.slice(0, 5).map((n) => ({
          title: `Use IngressClass "${n}"`,
          preferred: names.length === 1,
          edits: [{ kind: 'replace-value', place: { object, path: ['spec', 'ingressClassName'] }, text: n }],
        })),
      });
      return;
    }
    if (typeof className === 'string') return; // "" opts out of the default class on purpose
    if (Object.hasOwn(object.annotations, LEGACY_INGRESS_CLASS_ANNOTATION) || names.length === 0) return;
    if (classes.some((c) => c.annotations[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true')) return;
    const units = applyUnitsOf(ctx);
    const nearby = classes.filter((c) => isNearby(units, object.uri, c.uri));
    report({
      code: 'ingress-class-missing',
      severity: nearby.length > 0 ? 'warning' : 'info',
      message: `Ingress names no IngressClass and none of the workspace's IngressClasses (${quoteAll(names)}) is marked ${DEFAULT_INGRESS_CLASS_ANNOTATION}: "true"; no controller is bound to serve it unless the cluster has a default class`,
      path: ['metadata', 'name'],
      target: 'value',
      related: (nearby.length > 0 ? nearby : classes).map((c) => ({ object: c, path: ['metadata', 'name'], target: 'value', message: `IngressClass "${c.name}" (not default)` })),
      fixes: spec ? names.slice(0, 5).map((n) => setClassFix(object, n, names.length === 1)) : [],
    });
  },
};

function setClassFix(object: K8sObject, name: string, preferred: boolean): Fix {
  return { title: `Set ingressClassName: ${name}`, preferred, edits: [{ kind: 'set-field', place: { object, path: ['spec'] }, key: 'ingressClassName', text: name }] };
}

function quoteAll(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
