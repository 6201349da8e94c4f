// Diagnostic: priorityclass-missing
//
// Kubernetes rule: the Priority admission plugin refuses a Pod whose `spec.priorityClassName` names
// a PriorityClass that does not exist (`no PriorityClass with name <name> was found`).
// PriorityClasses are cluster-scoped; `system-cluster-critical` and `system-node-critical` exist in
// every cluster and are never reported. Fires when the workspace defines no PriorityClass of that
// name: an error when it defines other PriorityClasses, information otherwise.
import { BUILTIN_PRIORITY_CLASSES, podReferenceCheck } from './pod-references';

export const priorityclassMissing = podReferenceCheck('priorityclass-missing', 'PriorityClass', (ref) => BUILTIN_PRIORITY_CLASSES.has(ref.name));
