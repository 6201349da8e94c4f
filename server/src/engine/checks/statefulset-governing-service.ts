// The governing Service of a StatefulSet (`spec.serviceName`, spec c.2), shared by the
// `statefulset-service-*` checks: its name and place, and the Service definitions that back it,
// preferring those applied together with the StatefulSet (model/apply-unit.ts).
import type { CheckContext } from './types';
import type { FieldPath } from '../syntax/parse';
import { getPath, type K8sObject } from '../model/object';
import { closestTargets, findTargets } from './pod-references';

export interface GoverningService {
  readonly name: string;
  readonly path: FieldPath;
  /** Definitions of the Service judged for this StatefulSet (empty when none exists). */
  readonly services: readonly K8sObject[];
}

/** Undefined when `spec.serviceName` is absent or empty (no per-pod DNS is asked for). */
export function governingService(ctx: CheckContext, sts: K8sObject): GoverningService | undefined {
  const name = getPath(sts.raw, ['spec', 'serviceName']);
  if (typeof name !== 'string' || name === '') return undefined;
  const all = findTargets(ctx, sts, 'Service', sts.namespace, name).objects;
  return { name, path: ['spec', 'serviceName'], services: closestTargets(ctx, sts, all) };
}

/** True for `spec.clusterIP: None` (spec b.5). */
export function isHeadless(service: K8sObject): boolean {
  return getPath(service.raw, ['spec', 'clusterIP']) === 'None';
}
