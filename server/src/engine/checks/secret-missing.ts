// Diagnostic: secret-missing
//
// Kubernetes rule: a Pod that mounts a Secret volume (or projected source), or reads one through
// `env[].valueFrom.secretKeyRef` or `envFrom[].secretRef`, does not start until that Secret exists
// in its namespace, unless the reference says `optional: true`.
// Fires on every non-optional Secret reference of a pod template when no Secret of that name is in
// the workspace's namespace and nothing in the workspace creates one (kustomize `secretGenerator`,
// cert-manager Certificate, SealedSecret, ExternalSecret, Strimzi users and clusters); severity per
// the shared policy of pod-references.ts. `imagePullSecrets` are not checked: a missing pull secret
// only produces an event, and the kubelet still pulls without it.
import { podReferenceCheck } from './pod-references';

export const secretMissing = podReferenceCheck('secret-missing', 'Secret');
