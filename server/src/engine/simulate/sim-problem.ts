// A finding of the cluster simulator about one input object: something the simulated cluster
// would do differently from what the manifests suggest (a pod that cannot be scheduled, a
// ClusterIP that is already taken, ...). Plain data; the checks layer decides whether and how
// to show it as a diagnostic.

import type { ObjectRef } from '../model/ref';

export interface SimProblem {
  /** The input object the problem is about. */
  readonly object: ObjectRef;
  /** Field path inside that object, when one field is at fault (e.g. `spec.clusterIP`). */
  readonly field?: string;
  readonly message: string;
}

export function compareProblems(a: SimProblem, b: SimProblem): number {
  const ka = `${a.object.namespace}\u0000${a.object.kind}\u0000${a.object.name}\u0000${a.field ?? ''}\u0000${a.message}`;
  const kb = `${b.object.namespace}\u0000${b.object.kind}\u0000${b.object.name}\u0000${b.field ?? ''}\u0000${b.message}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
