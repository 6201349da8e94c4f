// Diagnostic: pvc-missing
//
// Kubernetes rule: a Pod with a `persistentVolumeClaim` volume is not scheduled until the claim
// exists in its namespace (`persistentvolumeclaim "<name>" not found`).
// Fires when no PersistentVolumeClaim of that name is in the workspace's namespace. StatefulSet
// volumes named after one of its `volumeClaimTemplates` are not references: the controller creates
// `<template>-<statefulset>-<ordinal>` claims and substitutes them. Severity per the shared policy
// of pod-references.ts.
import { podReferenceCheck } from './pod-references';

export const pvcMissing = podReferenceCheck('pvc-missing', 'PersistentVolumeClaim');
