// Which IngressClass an Ingress belongs to (spec f.3), so routing can merge the Ingresses of one
// class: `spec.ingressClassName` when set (even to ""), else the legacy `kubernetes.io/ingress.class`
// annotation (still honoured by many controllers), else the default IngressClass that the
// DefaultIngressClass admission plugin writes on create: the class annotated
// `ingressclass.kubernetes.io/is-default-class: "true"` (exactly that string). With several
// defaults, releases since v1.25 pick the newest by creationTimestamp, ties going to the smaller
// name (kubernetes/kubernetes#110974); earlier releases refused the Ingress, which
// `defaultIngressClass` reports through `defaults` so a check can warn.

import type { V1Ingress, V1IngressClass } from '../model/k8s-types';
import { LEGACY_INGRESS_CLASS_ANNOTATION } from './ingress-validation';

export const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
export { LEGACY_INGRESS_CLASS_ANNOTATION };

export type IngressClassSource = 'field' | 'annotation' | 'default' | 'none';

export interface ResolvedIngressClass {
  /** The class name, or null when the Ingress has none (no field, no annotation, no default). */
  readonly className: string | null;
  readonly source: IngressClassSource;
}

/**
 * The default IngressClass among `classes`: `name` is the one admission would choose (null when
 * there is none), `defaults` lists every class marked default, sorted by name (more than one is
 * worth a warning: rejected before v1.25, silently resolved since).
 */
export function defaultIngressClass(classes: readonly V1IngressClass[]): { name: string | null; defaults: string[] } {
  const marked = classes.filter((c) => c?.metadata?.annotations?.[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true');
  const chosen = [...marked].sort(
    (a, b) => timestampOf(b.metadata?.creationTimestamp) - timestampOf(a.metadata?.creationTimestamp) || compareNames(a, b),
  )[0];
  return {
    name: chosen === undefined ? null : (chosen.metadata?.name ?? ''),
    defaults: marked.map((c) => c.metadata?.name ?? '').sort(),
  };
}

/** The class of one Ingress, in the order described in the header. */
export function resolveIngressClass(ingress: V1Ingress, classes: readonly V1IngressClass[]): ResolvedIngressClass {
  const field: unknown = ingress.spec?.ingressClassName;
  if (typeof field === 'string') return { className: field, source: 'field' };
  const annotations = ingress.metadata?.annotations ?? {};
  if (Object.hasOwn(annotations, LEGACY_INGRESS_CLASS_ANNOTATION)) {
    return { className: String(annotations[LEGACY_INGRESS_CLASS_ANNOTATION]), source: 'annotation' };
  }
  const fallback = defaultIngressClass(classes).name;
  return fallback === null ? { className: null, source: 'none' } : { className: fallback, source: 'default' };
}

/** Ingresses grouped by resolved class name (null = no class), groups sorted by name, null last. */
export function groupIngressesByClass(
  ingresses: readonly V1Ingress[],
  classes: readonly V1IngressClass[],
): Array<{ className: string | null; ingresses: V1Ingress[] }> {
  const groups = new Map<string | null, V1Ingress[]>();
  for (const ingress of ingresses) {
    const { className } = resolveIngressClass(ingress, classes);
    const list = groups.get(className) ?? [];
    list.push(ingress);
    groups.set(className, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([className, list]) => ({ className, ingresses: list }));
}

/** Milliseconds of a creationTimestamp (parsed YAML gives a string, typed objects a Date); absent = -Infinity. */
export function timestampOf(value: Date | string | undefined | null): number {
  if (value === undefined || value === null) return Number.NEGATIVE_INFINITY;
  const ms = value instanceof Date ? value.getTime() : Date.parse(String(value));
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

function compareNames(a: V1IngressClass, b: V1IngressClass): number {
  const x = a.metadata?.name ?? '';
  const y = b.metadata?.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}
