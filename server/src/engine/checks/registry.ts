// Every check Kubeglass runs, in one list. Each check lives in its own file named after its code.
import type { Check } from './types';

export const CHECKS: readonly Check[] = [];

/** Default severity of every known diagnostic code (checks plus the syntax problems of the parser). */
export function defaultSeverities(): Record<string, string> {
  const out: Record<string, string> = {
    'yaml-syntax': 'error',
    'yaml-warning': 'warning',
    'yaml-limit': 'info',
    'helm-template': 'info',
    'file-too-large': 'info',
    'not-text': 'info',
  };
  for (const check of CHECKS) Object.assign(out, check.codes);
  return out;
}
