// Diagnostic: serviceaccount-missing
//
// Kubernetes rule: the ServiceAccount admission plugin refuses a Pod whose
// `spec.serviceAccountName` (or the deprecated `spec.serviceAccount`) names a ServiceAccount that
// does not exist in the Pod's namespace; a workload controller then fails to create any Pod. The
// `default` ServiceAccount is created in every namespace by the cluster and is never reported.
// Fires when no ServiceAccount of that name is in the workspace's namespace; severity per the shared
// policy of pod-references.ts.
import { podReferenceCheck } from './pod-references';

export const serviceaccountMissing = podReferenceCheck('serviceaccount-missing', 'ServiceAccount', (ref) => ref.name === 'default');
