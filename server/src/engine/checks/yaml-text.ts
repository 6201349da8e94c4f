// Text that quick fixes write into manifests.
import { resolvePlainScalar } from '../syntax/plain-scalar';

/**
 * `text` as a YAML scalar that reads back as that same string: plain when kubectl's YAML reader
 * takes it as the string (`web`, `app.kubernetes.io/name`), double-quoted otherwise (`"yes"`,
 * `"0755"`, `"a: b"`, `""`).
 */
export function scalarText(text: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(text) && resolvePlainScalar(text) === text ? text : JSON.stringify(text);
}
