// Facts about built-in kinds the workspace model needs before any schema is consulted: which kinds
// are cluster-scoped, and which kinds carry pod templates where.
// Cluster-scoped kinds: the Kubernetes API reference (`kubectl api-resources --namespaced=false`, 1.34).

const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'IngressClass', 'PriorityClass', 'RuntimeClass',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'APIService',
  'CertificateSigningRequest', 'ComponentStatus', 'FlowSchema', 'PriorityLevelConfiguration', 'ClusterTrustBundle',
  'DeviceClass', 'ResourceSlice', 'IPAddress', 'ServiceCIDR', 'VolumeAttributesClass', 'TokenReview',
  'SelfSubjectReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview',
  'StorageVersion', 'StorageVersionMigration',
  // Widely used cluster-scoped custom resources, so they are not given a namespace by default.
  'ClusterIssuer', 'GatewayClass', 'ClusterPolicy', 'IPAddressPool',
]);

const BUILTIN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io',
  'apiextensions.k8s.io', 'admissionregistration.k8s.io', 'scheduling.k8s.io', 'node.k8s.io', 'discovery.k8s.io',
  'coordination.k8s.io', 'certificates.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io',
  'apiregistration.k8s.io', 'resource.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'extensions',
]);

export function isClusterScopedKind(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

/** True for API groups served by Kubernetes itself (not custom resources). */
export function isBuiltinGroup(group: string): boolean {
  return BUILTIN_GROUPS.has(group);
}

/** Kinds that own pods through a template, with the template's path in the object. */
export const POD_TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  PodTemplate: ['template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export const WORKLOAD_KINDS = new Set(['Pod', ...Object.keys(POD_TEMPLATE_PATHS).filter((k) => k !== 'PodTemplate')]);
