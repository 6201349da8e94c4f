// Every check Kubeglass runs, in one list. Each check lives in its own file named after its code.
import type { Check } from './types';
import { configmapMissing } from './configmap-missing';
import { secretMissing } from './secret-missing';
import { serviceaccountMissing } from './serviceaccount-missing';
import { pvcMissing } from './pvc-missing';
import { priorityclassMissing } from './priorityclass-missing';
import { hpaTargetMissing } from './hpa-target-missing';
import { duplicateObject } from './duplicate-object';
import { ingressBackendMissing } from './ingress-backend-missing';
import { ingressBackendPortMissing } from './ingress-backend-port-missing';
import { ingressClassMissing } from './ingress-class-missing';
import { ingressPathInvalid } from './ingress-path-invalid';
import { ingressPathShadowed } from './ingress-path-shadowed';
import { statefulsetServiceMissing } from './statefulset-service-missing';
import { statefulsetServiceNotHeadless } from './statefulset-service-not-headless';
import { statefulsetServiceSelectsOtherPods } from './statefulset-service-selects-other-pods';
import { dnsPolicyHostNetwork } from './dns-policy-host-network';
import { dnsConfigInvalid } from './dns-config-invalid';
import { schema } from './schema';
import { deprecatedApi } from './deprecated-api';
import { yamlTypeCoercion } from './yaml-type-coercion';
import { selectorTemplateMismatch } from './selector-template-mismatch';
import { serviceSelectsNothing } from './service-selects-nothing';
import { selectorOverlap } from './selector-overlap';
import { networkpolicySelectsNothing } from './networkpolicy-selects-nothing';
import { networkpolicyPeerSelectsNothing } from './networkpolicy-peer-selects-nothing';
import { pdbSelectsNothing } from './pdb-selects-nothing';
import { targetPortNameNotFound } from './target-port-name-not-found';
import { targetPortNumberNotDeclared } from './target-port-number-not-declared';
import { targetPortProtocolMismatch } from './target-port-protocol-mismatch';
import { servicePortInvalid } from './service-port-invalid';
import { probePortNotFound } from './probe-port-not-found';
import { networkpolicyIsolatesService } from './networkpolicy-isolates-service';
import { networkpolicyPortNotFound } from './networkpolicy-port-not-found';

export const CHECKS: readonly Check[] = [
  configmapMissing,
  secretMissing,
  serviceaccountMissing,
  pvcMissing,
  priorityclassMissing,
  hpaTargetMissing,
  duplicateObject,
  ingressBackendMissing,
  ingressBackendPortMissing,
  ingressClassMissing,
  ingressPathInvalid,
  ingressPathShadowed,
  statefulsetServiceMissing,
  statefulsetServiceNotHeadless,
  statefulsetServiceSelectsOtherPods,
  dnsPolicyHostNetwork,
  dnsConfigInvalid,
  schema,
  deprecatedApi,
  yamlTypeCoercion,
  selectorTemplateMismatch,
  serviceSelectsNothing,
  selectorOverlap,
  networkpolicySelectsNothing,
  networkpolicyPeerSelectsNothing,
  pdbSelectsNothing,
  targetPortNameNotFound,
  targetPortNumberNotDeclared,
  targetPortProtocolMismatch,
  servicePortInvalid,
  probePortNotFound,
  networkpolicyIsolatesService,
  networkpolicyPortNotFound,
];

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
