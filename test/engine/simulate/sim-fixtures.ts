// Shared helpers of the simulator tests: multi-document YAML fixtures as plain objects, and a
// one-call run of the simulated cluster.
import { parseAllDocuments } from 'yaml';
import { DEFAULT_PROFILE, type ClusterProfile } from '../../../server/src/engine/simulate/profile';
import { simulateCluster, type SimulatedCluster } from '../../../server/src/engine/simulate/sim-cluster';

/** The documents of a multi-document YAML text, as plain objects (empty documents dropped). */
export function docs(text: string): unknown[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as unknown)
    .filter((v) => v !== null && v !== undefined);
}

export function sim(text: string, profile: ClusterProfile = DEFAULT_PROFILE): SimulatedCluster {
  return simulateCluster(docs(text), { profile });
}

/** A deterministic permutation (reversal plus rotation), to show input order does not matter. */
export function shuffled<T>(list: readonly T[]): T[] {
  const r = [...list].reverse();
  const k = Math.floor(r.length / 2);
  return [...r.slice(k), ...r.slice(0, k)];
}

/** Generated-name alphabet: consonants and digits without 0, 1, 3. */
export const SUFFIX = '[bcdfghjklmnpqrstvwxz2456789]';
