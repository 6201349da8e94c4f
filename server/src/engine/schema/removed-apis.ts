// API versions Kubernetes stopped serving, per release, and where each kind moved: the facts of
// the Kubernetes "Deprecated API Migration Guide" (kubernetes.io/docs/reference/using-api/
// deprecation-guide/, "Removed APIs by release", v1.16 to v1.32), plus the v1.16 removal of
// extensions/v1beta1 PodSecurityPolicy from the v1.16 release announcement. Kept as data.
//
// `replacement` is the apiVersion to migrate to that Kubernetes 1.34 serves (for flowcontrol
// v1beta1/v1beta2 the guide also offered v1beta3, itself removed in 1.32). PodSecurityPolicy
// has no replacement kind: Pod Security Admission took its place.
// Absent on purpose: alpha versions (never covered by the deprecation policy) and deprecations
// that are not removals yet.

export interface RemovedApi {
  readonly apiVersion: string;
  readonly kind: string;
  /** Kubernetes minor release that no longer serves it, e.g. `1.22`. */
  readonly removedIn: string;
  /** apiVersion serving the kind in Kubernetes 1.34; absent when the kind itself is gone. */
  readonly replacement?: string;
}

type Row = readonly [removedIn: string, apiVersions: readonly string[], kinds: readonly string[], replacement: string | undefined];

const rows: readonly Row[] = [
  ['1.16', ['extensions/v1beta1'], ['NetworkPolicy'], 'networking.k8s.io/v1'],
  ['1.16', ['extensions/v1beta1', 'apps/v1beta2'], ['DaemonSet'], 'apps/v1'],
  ['1.16', ['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'], ['Deployment', 'ReplicaSet'], 'apps/v1'],
  ['1.16', ['apps/v1beta1', 'apps/v1beta2'], ['StatefulSet'], 'apps/v1'],
  ['1.16', ['extensions/v1beta1'], ['PodSecurityPolicy'], undefined],
  ['1.22', ['admissionregistration.k8s.io/v1beta1'], ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], 'admissionregistration.k8s.io/v1'],
  ['1.22', ['apiextensions.k8s.io/v1beta1'], ['CustomResourceDefinition'], 'apiextensions.k8s.io/v1'],
  ['1.22', ['apiregistration.k8s.io/v1beta1'], ['APIService'], 'apiregistration.k8s.io/v1'],
  ['1.22', ['authentication.k8s.io/v1beta1'], ['TokenReview'], 'authentication.k8s.io/v1'],
  ['1.22', ['authorization.k8s.io/v1beta1'], ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SubjectAccessReview'], 'authorization.k8s.io/v1'],
  ['1.22', ['certificates.k8s.io/v1beta1'], ['CertificateSigningRequest'], 'certificates.k8s.io/v1'],
  ['1.22', ['coordination.k8s.io/v1beta1'], ['Lease'], 'coordination.k8s.io/v1'],
  ['1.22', ['extensions/v1beta1', 'networking.k8s.io/v1beta1'], ['Ingress'], 'networking.k8s.io/v1'],
  ['1.22', ['networking.k8s.io/v1beta1'], ['IngressClass'], 'networking.k8s.io/v1'],
  ['1.22', ['rbac.authorization.k8s.io/v1beta1'], ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'], 'rbac.authorization.k8s.io/v1'],
  ['1.22', ['scheduling.k8s.io/v1beta1'], ['PriorityClass'], 'scheduling.k8s.io/v1'],
  ['1.22', ['storage.k8s.io/v1beta1'], ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], 'storage.k8s.io/v1'],
  ['1.25', ['batch/v1beta1'], ['CronJob'], 'batch/v1'],
  ['1.25', ['discovery.k8s.io/v1beta1'], ['EndpointSlice'], 'discovery.k8s.io/v1'],
  ['1.25', ['events.k8s.io/v1beta1'], ['Event'], 'events.k8s.io/v1'],
  ['1.25', ['autoscaling/v2beta1'], ['HorizontalPodAutoscaler'], 'autoscaling/v2'],
  ['1.25', ['policy/v1beta1'], ['PodDisruptionBudget'], 'policy/v1'],
  ['1.25', ['policy/v1beta1'], ['PodSecurityPolicy'], undefined],
  ['1.25', ['node.k8s.io/v1beta1'], ['RuntimeClass'], 'node.k8s.io/v1'],
  ['1.26', ['flowcontrol.apiserver.k8s.io/v1beta1'], ['FlowSchema', 'PriorityLevelConfiguration'], 'flowcontrol.apiserver.k8s.io/v1'],
  ['1.26', ['autoscaling/v2beta2'], ['HorizontalPodAutoscaler'], 'autoscaling/v2'],
  ['1.27', ['storage.k8s.io/v1beta1'], ['CSIStorageCapacity'], 'storage.k8s.io/v1'],
  ['1.29', ['flowcontrol.apiserver.k8s.io/v1beta2'], ['FlowSchema', 'PriorityLevelConfiguration'], 'flowcontrol.apiserver.k8s.io/v1'],
  ['1.32', ['flowcontrol.apiserver.k8s.io/v1beta3'], ['FlowSchema', 'PriorityLevelConfiguration'], 'flowcontrol.apiserver.k8s.io/v1'],
];

/** Every removed (apiVersion, kind), sorted by apiVersion then kind. */
export const removedApis: readonly RemovedApi[] = rows
  .flatMap(([removedIn, apiVersions, kinds, replacement]) =>
    apiVersions.flatMap((apiVersion) => kinds.map((kind): RemovedApi => (replacement ? { apiVersion, kind, removedIn, replacement } : { apiVersion, kind, removedIn }))),
  )
  .sort((a, b) => compare(a.apiVersion, b.apiVersion) || compare(a.kind, b.kind));

const byKey = new Map(removedApis.map((r) => [r.apiVersion + '\n' + r.kind, r]));

/** The removal of (apiVersion, kind), if Kubernetes stopped serving it. */
export function removedApi(apiVersion: string, kind: string): RemovedApi | undefined {
  return byKey.get(apiVersion + '\n' + kind);
}

/** true when `api` is no longer served by Kubernetes `version` (`1.34`, `v1.22.3`). */
export function isRemovedIn(api: RemovedApi, version: string): boolean {
  const target = minor(version);
  return target !== undefined && target >= minor(api.removedIn)!;
}

/** `1.22` or `v1.22.3` -> 22; undefined for other shapes. */
function minor(version: string): number | undefined {
  const m = /^v?1\.(\d+)(?:\.\d+)?$/.exec(version);
  return m ? Number(m[1]) : undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
