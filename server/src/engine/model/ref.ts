// Object identity. `ObjectRef` is the key every module uses for an object; its text form
// `Kind/namespace/name` (cluster-scoped: `Kind/name`) is what the CLI prints and the webview keys on.

export interface ObjectRef {
  readonly kind: string;
  /** API group ('' for the core group). */
  readonly group: string;
  /** '' for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
}

export function refText(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/** `namespace/name` or `name` for cluster-scoped objects, as kubectl prints names. */
export function shortName(ref: ObjectRef): string {
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
}

/** Group of an apiVersion: `apps/v1` -> `apps`, `v1` -> ''. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** Key used by the index: group and kind identify the type, so `extensions/Ingress` and `networking.k8s.io/Ingress` differ. */
export function refKey(ref: ObjectRef): string {
  return `${ref.group}|${ref.kind}|${ref.namespace}|${ref.name}`;
}
