// Diagnostic: configmap-missing
//
// Kubernetes rule: a Pod that mounts a ConfigMap volume (or projected source), or reads one through
// `env[].valueFrom.configMapKeyRef` or `envFrom[].configMapRef`, does not start until that ConfigMap
// exists in its namespace, unless the reference says `optional: true` (the kubelet reports
// `CreateContainerConfigError` / the volume mount fails).
// Fires on every non-optional ConfigMap reference of a pod template when no ConfigMap of that name
// is in the workspace's namespace and no kustomize `configMapGenerator` creates one; severity per
// the shared policy of pod-references.ts (error where the workspace manages ConfigMaps there).
// `kube-root-ca.crt` is never reported: the cluster publishes it in every namespace (it backs the
// projected service account token volume).
import { podReferenceCheck } from './pod-references';

export const configmapMissing = podReferenceCheck('configmap-missing', 'ConfigMap', (ref) => ref.name === 'kube-root-ca.crt');
