// Diagnostic: ingress-class-missing
//
// Kubernetes rule (spec f.3): an Ingress is served by the controller of its IngressClass:
// `spec.ingressClassName`, else the legacy `kubernetes.io/ingress.class` annotation, else the class
// marked `ingressclass.kubernetes.io/is-default-class: "true"` (written by the DefaultIngressClass
// admission plugin on create). An Ingress naming a class that does not exist, or with no class when
// no class is default, is served by no controller and never gets an address.
// When it fires (chosen to avoid false alarms, since IngressClasses are usually installed with the
// controller, outside the application's manifests):
// - `spec.ingressClassName` names a class the workspace does not define, while it defines others:
//   warning, with a fix per defined class;
// - the workspace defines no IngressClass at all: nothing for the class names of widely used
//   controllers (nginx, traefik, alb, gce, ...), information for any other name;
// - no class field, no annotation, and the workspace defines IngressClasses of which none is
//   default: warning, with a fix per defined class.
// The legacy annotation is not checked: its values are controller-specific (often not class names).
import type { Check, Fix } from './types';
import { isRecord, type K8sObject } from '../model/object';
import { DEFAULT_INGRESS_CLASS_ANNOTATION, LEGACY_INGRESS_CLASS_ANNOTATION } from '../semantics/ingress';

/** Class names of widely used Ingress controllers' default installations. */
const WELL_KNOWN_CLASSES: ReadonlySet<string> = new Set([
  'nginx', 'nginx-internal', 'nginx-public', 'traefik', 'alb', 'gce', 'gce-internal', 'haproxy', 'kong', 'istio', 'contour',
  'cilium', 'azure-application-gateway', 'webapprouting.kubernetes.azure.com', 'openshift-default', 'public-iks-k8s-nginx',
  'private-iks-k8s-nginx', 'ambassador', 'skipper', 'apisix', 'pomerium', 'tailscale', 'ngrok',
]);

export const ingressClassMissing: Check = {
  codes: { 'ingress-class-missing': 'warning' },
  kinds: ['Ingress'],
  run(object, ctx, report) {
    const spec = isRecord(object.raw.spec) ? object.raw.spec : {};
    const classes = ctx.index.ofKind('IngressClass').filter((c) => c.name !== '');
    const names = [...new Set(classes.map((c) => c.name))].sort();
    const className = spec.ingressClassName;
    if (typeof className === 'string' && className !== '') {
      if (names.includes(className)) return;
      if (names.length === 0) {
        if (WELL_KNOWN_CLASSES.has(className)) return;
        report({
          code: 'ingress-class-missing',
          severity: 'info',
          message: `IngressClass "${className}" is not defined in the workspace, which defines no IngressClass at all; the cluster must provide it, or no controller serves this Ingress`,
          path: ['spec', 'ingressClassName'],
          target: 'value',
        });
        return;
      }
      report({
        code: 'ingress-class-missing',
        message: `IngressClass "${className}" does not exist; the workspace defines ${names.map((n) => `"${n}"`).join(', ')}. No controller serves this Ingress`,
        path: ['spec', 'ingressClassName'],
        target: 'value',
        related: classes.map((c) => ({ object: c, path: ['metadata', 'name'], message: `IngressClass "${c.name}"` })),
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
    report({
      code: 'ingress-class-missing',
      message: `Ingress names no IngressClass and none of the workspace's IngressClasses (${names.map((n) => `"${n}"`).join(', ')}) is marked ${DEFAULT_INGRESS_CLASS_ANNOTATION}: "true"; no controller is bound to serve it`,
      path: ['metadata', 'name'],
      target: 'value',
      related: classes.map((c) => ({ object: c, path: ['metadata', 'name'], message: `IngressClass "${c.name}" (not default)` })),
      fixes: isRecord(object.raw.spec) ? names.slice(0, 5).map((n) => setClassFix(object, n, names.length === 1)) : [],
    });
  },
};

function setClassFix(object: K8sObject, name: string, preferred: boolean): Fix {
  return { title: `Set ingressClassName: ${name}`, preferred, edits: [{ kind: 'set-field', place: { object, path: ['spec'] }, key: 'ingressClassName', text: name }] };
}
