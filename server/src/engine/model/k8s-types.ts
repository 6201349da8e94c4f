// Kubernetes API object types used by the engine, re-exported from @kubernetes/client-node as
// type-only imports: the engine never loads that package at run time.
export type {
  V1Service,
  V1ServicePort,
  V1Pod,
  V1PodSpec,
  V1PodTemplateSpec,
  V1Container,
  V1ContainerPort,
  V1LabelSelector,
  V1LabelSelectorRequirement,
  V1ObjectMeta,
  V1EndpointSlice,
  V1Endpoint,
  V1Ingress,
  V1NetworkPolicy,
  V1Deployment,
  V1StatefulSet,
  V1DaemonSet,
  V1Job,
  V1CronJob,
  V1ReplicaSet,
  V1Probe,
} from '@kubernetes/client-node';
export type { V1NetworkPolicySpec, V1NetworkPolicyPeer, V1NetworkPolicyPort, V1NetworkPolicyIngressRule, V1NetworkPolicyEgressRule, V1IPBlock } from '@kubernetes/client-node';
export type { V1IngressClass, V1IngressSpec, V1IngressRule, V1HTTPIngressPath, V1IngressBackend, V1IngressTLS } from '@kubernetes/client-node';
export type { DiscoveryV1EndpointPort, V1EndpointConditions, V1ObjectReference, V1OwnerReference, V1PodCondition, V1PodStatus, V1PodIP, V1PodDNSConfig, V1Toleration, V1Taint, V1NodeSelectorTerm, V1NodeSelectorRequirement, V1ReplicationController } from '@kubernetes/client-node';
